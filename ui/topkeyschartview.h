#pragma once

#include "adminapi.h"

#include <QtCharts/QChartView>

class QBarCategoryAxis;
class QBarSet;
class QHorizontalBarSeries;
class QValueAxis;

// Horizontal bar chart of the most used keys (usage in % of their limit). Receives the top keys
// after each poll and updates the one bar set in place; never polls by itself. GUI thread only.
class TopKeysChartView : public QChartView
{
    Q_OBJECT
public:
    explicit TopKeysChartView(QWidget *parent = nullptr);

    // `rates` ordered by usage, highest first (the stats' order); the first `barCount()` are shown.
    void setTopKeys(const QList<AdminApi::CurrentRate> &rates);
    int barCount() const { return m_barCount; }
    QStringList categories() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyPalette();

    QHorizontalBarSeries *m_series;
    QBarSet *m_set;
    QBarCategoryAxis *m_axisY;
    QValueAxis *m_axisX;
    int m_barCount = 8;
};
