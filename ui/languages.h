#pragma once

#include <QString>
#include <QStringList>

// The console's languages: embedded translations (:/i18n/sluice_<code>.qm) plus Qt's own for standard
// dialogs. The choice is kept in QSettings; an empty code follows the system locale.
// GUI thread only (installs translators on the application).
namespace Languages {

QStringList available();                        // "en", "zh_CN", "de"
QString nativeName(const QString &code);        // "English", "简体中文", "Deutsch" (never translated)
// Installs the translators for `code` ("" = system locale), replacing earlier ones; returns the code
// actually used. Widgets receive QEvent::LanguageChange and retranslate.
QString install(const QString &code);
QString saved();
void save(const QString &code);

} // namespace Languages
