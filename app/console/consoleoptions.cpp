#include "consoleoptions.h"

#include <QCoreApplication>

ConsoleOptions ConsoleOptions::parse(const QStringList &arguments)
{
    ConsoleOptions o;
    if (!arguments.isEmpty())
        o.serviceArguments.append(arguments.constFirst());
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &arg = arguments.at(i);
        const qsizetype eq = arg.indexOf(QLatin1Char('='));
        const QString name = eq > 0 ? arg.left(eq) : arg;
        const bool isOurs = name == QLatin1String("--connect") || name == QLatin1String("--interval")
                            || name == QLatin1String("--top") || name == QLatin1String("--language");
        if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            o.help = true;
            continue;
        }
        if (!isOurs) {
            o.serviceArguments.append(arg);
            continue;
        }
        QString value;
        if (eq > 0) {
            value = arg.mid(eq + 1);
        } else if (i + 1 < arguments.size()) {
            value = arguments.at(++i);
        } else {
            o.errors.append(QStringLiteral("%1: missing value").arg(name));
            continue;
        }
        bool ok = true;
        if (name == QLatin1String("--connect")) {
            const QUrl url(value.contains(QLatin1String("://")) ? value : QStringLiteral("http://") + value);
            ok = url.isValid() && !url.host().isEmpty();
            o.connectUrl = url;
        } else if (name == QLatin1String("--interval")) {
            o.intervalSeconds = value.toDouble(&ok);
            ok = ok && *o.intervalSeconds >= 0.1 && *o.intervalSeconds <= 3600;
        } else if (name == QLatin1String("--top")) {
            o.topKeys = value.toInt(&ok);
            ok = ok && *o.topKeys >= 1 && *o.topKeys <= 1000;
        } else {
            o.language = value;
        }
        if (!ok)
            o.errors.append(QStringLiteral("%1: invalid value \"%2\"").arg(name, value));
    }
    return o;
}

QString ConsoleOptions::helpText()
{
    return QStringLiteral(
        "Usage: sluice-console [console options] [sluice-server options]\n\n"
        "Without --connect the console starts an embedded Sluice service, configured exactly like\n"
        "sluice-server by the remaining options and the environment (REDIS_ADDR, ADMIN_KEY, ...), and\n"
        "watches it over HTTP. The embedded service listens on 127.0.0.1 with a free port unless\n"
        "LISTEN_ADDR or --listen says otherwise.\n\n"
        "Console options:\n"
        "  --connect <url>       Watch a remote sluice-server; the admin key is read from\n"
        "                        SLUICE_ADMIN_KEY (never from the command line).\n"
        "  --interval <seconds>  Refresh interval (default 1).\n"
        "  --top <n>             Keys requested per refresh, highest usage first (default 500, max 1000).\n"
        "  --language <code>     en, zh_CN or de (default: the saved choice, else the system locale).\n"
        "  -h, --help            This help and the service options.\n");
}
