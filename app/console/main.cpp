// sluice-console: the operator console. Embeds a Sluice service (or connects to a remote one with
// --connect) and shows it through the admin API only. Exit codes: 0 normal, 1 the embedded service
// could not start, 2 invalid options or configuration.

#include "consoleoptions.h"
#include "embeddedservice.h"
#include "languages.h"
#include "mainwindow.h"
#include "serviceconfig.h"

#include <QApplication>
#include <QDoubleSpinBox>
#include <QMessageBox>
#include <QProcessEnvironment>
#include <QSettings>

#include <cstdio>
#include <memory>
#include <optional>

int main(int argc, char *argv[])
{
    // Options and the embedded service's configuration are checked before the GUI exists, so --help
    // and configuration errors work without a display.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    const ConsoleOptions options = ConsoleOptions::parse(arguments);
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (options.help) {
        std::fputs(qPrintable(ConsoleOptions::helpText()), stdout);
        const ConfigLoadResult serviceHelp = ServiceConfig::load({arguments.constFirst(), QStringLiteral("--help")}, environment);
        std::fputs("\nEmbedded service options (as for sluice-server; each also read from the variable in brackets):\n", stdout);
        const QString text = serviceHelp.text;
        const QStringList lines = text.mid(text.indexOf(QLatin1String("Options:")) + 9).split(QLatin1Char('\n'));
        for (const QString &line : lines) {
            if (!line.contains(QLatin1String("--help")) && !line.contains(QLatin1String("--version"))
                && !line.contains(QLatin1String("Displays")))
                std::fputs(qPrintable(line + QLatin1Char('\n')), stdout);
        }
        return 0;
    }
    if (!options.errors.isEmpty()) {
        for (const QString &e : options.errors)
            std::fprintf(stderr, "sluice-console: %s\n", qPrintable(e));
        return 2;
    }
    std::optional<ServiceConfig> serviceConfig;
    if (!options.connectUrl) {
        const ConfigLoadResult loaded = ServiceConfig::load(options.serviceArguments, environment);
        if (loaded.outcome != ConfigLoadResult::Outcome::Ok) {
            for (const QString &error : loaded.errors)
                std::fprintf(stderr, "sluice-console: %s\n", qPrintable(error));
            return 2;
        }
        serviceConfig = loaded.config;
        const bool listenGiven = environment.contains(QStringLiteral("LISTEN_ADDR"))
                                 || !options.serviceArguments.filter(QStringLiteral("--listen")).isEmpty();
        if (!listenGiven) {
            serviceConfig->listenHost = QStringLiteral("127.0.0.1");
            serviceConfig->listenPort = 0;
        }
    }

    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Sluice"));
    QApplication::setApplicationName(QStringLiteral("sluice-console"));
    QApplication::setApplicationDisplayName(QStringLiteral("Sluice Console"));
    QApplication::setApplicationVersion(QStringLiteral(SLUICE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("sluice-console"));
    Languages::install(options.language.value_or(Languages::saved()));

    MainWindow window;
    if (options.intervalSeconds)
        window.findChild<QDoubleSpinBox *>(QStringLiteral("intervalSpin"))->setValue(*options.intervalSeconds);
    if (options.topKeys)
        window.controller()->setTopKeyCount(*options.topKeys);

    std::unique_ptr<EmbeddedService> embedded;
    if (options.connectUrl) {
        window.connectToRemote(*options.connectUrl, environment.value(QStringLiteral("SLUICE_ADMIN_KEY")));
    } else {
        embedded = std::make_unique<EmbeddedService>(*serviceConfig);
        QString error;
        if (!embedded->start(&error)) {
            std::fprintf(stderr, "sluice-console: the embedded service did not start: %s\n", qPrintable(error));
            QMessageBox::critical(nullptr, QObject::tr("Sluice Console"),
                                  QObject::tr("The embedded service did not start:\n%1").arg(error));
            return 1;
        }
        window.setEmbeddedTarget(MainWindow::Target{embedded->baseUrl(), embedded->adminKey()});
        window.connectToEmbedded();
    }
    window.show();
    const int code = QApplication::exec();
    if (embedded)
        embedded->stop();
    return code;
}
