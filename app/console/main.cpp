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

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Sluice"));
    QApplication::setApplicationName(QStringLiteral("sluice-console"));
    QApplication::setApplicationDisplayName(QStringLiteral("Sluice Console"));
    QApplication::setApplicationVersion(QStringLiteral(SLUICE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("sluice-console"));

    const ConsoleOptions options = ConsoleOptions::parse(QApplication::arguments());
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (options.help) {
        std::fputs(qPrintable(ConsoleOptions::helpText()), stdout);
        const ConfigLoadResult serviceHelp = ServiceConfig::load({options.serviceArguments.constFirst(), QStringLiteral("--help")}, environment);
        std::fputs("\nEmbedded service options:\n", stdout);
        std::fputs(qPrintable(serviceHelp.text.section(QLatin1Char('\n'), 2)), stdout);
        return 0;
    }
    if (!options.errors.isEmpty()) {
        for (const QString &e : options.errors)
            std::fprintf(stderr, "sluice-console: %s\n", qPrintable(e));
        return 2;
    }
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
        const ConfigLoadResult loaded = ServiceConfig::load(options.serviceArguments, environment);
        if (loaded.outcome != ConfigLoadResult::Outcome::Ok) {
            for (const QString &error : loaded.errors)
                std::fprintf(stderr, "sluice-console: %s\n", qPrintable(error));
            return 2;
        }
        ServiceConfig config = loaded.config;
        const bool listenGiven = environment.contains(QStringLiteral("LISTEN_ADDR"))
                                 || options.serviceArguments.filter(QStringLiteral("--listen")).size() > 0;
        if (!listenGiven) {
            config.listenHost = QStringLiteral("127.0.0.1");
            config.listenPort = 0;
        }
        embedded = std::make_unique<EmbeddedService>(config);
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
