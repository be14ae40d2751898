#pragma once

#include <QColor>
#include <QPalette>

class QChart;

// Keeps the charts in step with the application palette (light or dark system theme): a chart has its
// own theme that does not follow QPalette by itself.
namespace ChartTheme {

bool isDark(const QPalette &palette);
// Applies the Qt Charts theme matching `palette` and blends the chart background into the window.
void apply(QChart *chart, const QPalette &palette);

inline QColor allowedColor() { return QColor(0x26, 0xa6, 0x9a); }
inline QColor blockedColor() { return QColor(0xef, 0x53, 0x50); }

} // namespace ChartTheme
