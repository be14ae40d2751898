#include "languages.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

namespace Languages {

namespace {

QTranslator *g_console = nullptr;
QTranslator *g_qt = nullptr;

QString resolve(const QString &code)
{
    if (!code.isEmpty())
        return code;
    for (const QString &ui : QLocale().uiLanguages()) {
        const QString name = QLocale(ui).name(); // "zh_CN", "de_DE"
        if (available().contains(name))
            return name;
        const QString language = name.section(QLatin1Char('_'), 0, 0);
        if (language == QLatin1String("zh"))
            return QStringLiteral("zh_CN");
        if (available().contains(language))
            return language;
    }
    return QStringLiteral("en");
}

} // namespace

QStringList available()
{
    return {QStringLiteral("en"), QStringLiteral("zh_CN"), QStringLiteral("de")};
}

QString nativeName(const QString &code)
{
    if (code == QLatin1String("zh_CN"))
        return QStringLiteral("简体中文");
    if (code == QLatin1String("de"))
        return QStringLiteral("Deutsch");
    return QStringLiteral("English");
}

QString install(const QString &code)
{
    const QString used = resolve(code);
    for (QTranslator **t : {&g_console, &g_qt}) {
        if (*t) {
            QCoreApplication::removeTranslator(*t);
            delete *t;
            *t = nullptr;
        }
    }
    g_console = new QTranslator;
    if (g_console->load(QStringLiteral(":/i18n/sluice_%1.qm").arg(used)))
        QCoreApplication::installTranslator(g_console);
    g_qt = new QTranslator;
    if (g_qt->load(QLocale(used), QStringLiteral("qtbase"), QStringLiteral("_"),
                   QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(g_qt);
    if (!code.isEmpty())
        QLocale::setDefault(QLocale(used)); // else keep the system locale for numbers and dates
    return used;
}

QString saved()
{
    return QSettings().value(QStringLiteral("ui/language")).toString();
}

void save(const QString &code)
{
    QSettings().setValue(QStringLiteral("ui/language"), code);
}

} // namespace Languages
