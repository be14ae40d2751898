#include "confirmation.h"
#include "historydialog.h"
#include "languages.h"
#include "mainwindow.h"
#include "stattile.h"
#include "statusbanner.h"
#include "redisserver.h"
#include "uitestservice.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <cmath>

// GUI tests: drive the console's widgets by objectName against a real service and check through the
// admin API that the service really changed. Also renders the window with live data to PNG.
class tst_MainWindow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_settingsDir;

    template<typename T>
    static T *child(QWidget &w, const char *name)
    {
        T *found = w.findChild<T *>(QLatin1String(name));
        if (!found)
            qWarning("no child %s", name);
        return found;
    }

    static void startConsole(MainWindow &window, UiTestService &service)
    {
        window.resize(1280, 800);
        window.show();
        child<QDoubleSpinBox>(window, "intervalSpin")->setValue(0.5);
        window.connectToRemote(service.baseUrl(), service.adminKey());
    }

    // Starts `redis`, a service deciding in it and `window` watching that service's Deployment page.
    static bool watchDeploymentOnRedis(RedisServer &redis, UiTestService &service, MainWindow &window)
    {
        if (!redis.start()) {
            qWarning("%s", qPrintable(redis.errorString()));
            return false;
        }
        service.setRedisAddress(QString::fromLatin1(redis.address()));
        if (!service.start())
            return false;
        startConsole(window, service);
        child<QTabWidget>(window, "mainTabs")->setCurrentIndex(2);
        return true;
    }

    static int rowWithCount(QTableView *view, qint64 count)
    {
        for (int row = 0; row < view->model()->rowCount(); ++row) {
            if (view->model()->index(row, KeyUsageModel::CountColumn).data(KeyUsageModel::SortRole).toLongLong() == count)
                return row;
        }
        return -1;
    }

    static QList<qint64> serviceCounts(UiTestService &service)
    {
        QList<qint64> counts;
        const auto [status, body] = service.adminGet(QStringLiteral("/admin/rate-limit/stats?limit=100"));
        for (const AdminApi::CurrentRate &r : AdminApi::Stats::fromJson(body).currentRates)
            counts.append(r.currentCount);
        std::sort(counts.begin(), counts.end());
        return counts;
    }

    static QList<AdminApi::EndpointRule> serviceRules(UiTestService &service)
    {
        return AdminApi::Config::fromJson(service.adminGet(QStringLiteral("/admin/config")).second).endpoints;
    }

    static void setSpin(QSpinBox *spin, int value)
    {
        spin->setFocus();
        spin->selectAll();
        QTest::keyClicks(spin, QString::number(value));
        QCOMPARE(spin->value(), value);
    }

    static void setText(QLineEdit *edit, const QString &text)
    {
        edit->setFocus();
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTest::keyClicks(edit, text);
    }

private slots:
    void initTestCase()
    {
        // Never touch the operator's real settings.
        QVERIFY(m_settingsDir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("SluiceTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
        Languages::install(QStringLiteral("en"));
    }

    void clearsAKeyThroughTheWidgets()
    {
        UiTestService service;
        QVERIFY(service.start());
        QCOMPARE(service.hit("alpha", 5), 5);
        QCOMPARE(service.hit("beta", 3), 3);
        MainWindow window;
        startConsole(window, service);
        auto *view = child<QTableView>(window, "keysTableView");
        auto *clear = child<QPushButton>(window, "clearKeyButton");
        QTRY_COMPARE(view->model()->rowCount(), 2);
        QVERIFY(!clear->isEnabled());

        const int row = rowWithCount(view, 3);
        QVERIFY(row >= 0);
        view->selectRow(row);
        QVERIFY(clear->isEnabled());
        const int answered = Confirmation::answeredByTest();
        Confirmation::setNextAnswer(Confirmation::Answer::Yes);
        QTest::mouseClick(clear, Qt::LeftButton);
        QCOMPARE(Confirmation::answeredByTest(), answered + 1);
        QTRY_COMPARE(serviceCounts(service), QList<qint64>{5});
        QTRY_COMPARE(view->model()->rowCount(), 1);

        // The same through the table's action (context menu entry, Delete key).
        view->setFocus();
        view->selectRow(0);
        Confirmation::setNextAnswer(Confirmation::Answer::Yes);
        QTest::keyClick(view, Qt::Key_Delete);
        QCOMPARE(Confirmation::answeredByTest(), answered + 2);
        QTRY_VERIFY(serviceCounts(service).isEmpty());
        QTRY_COMPARE(view->model()->rowCount(), 0);
    }

    void filtersTheKeyTable()
    {
        UiTestService service;
        service.setTrustLoopback();
        QVERIFY(service.start());
        for (const char *ip : {"10.1.0.1", "10.1.0.2", "192.168.7.7"})
            QCOMPARE(service.hitWith({{"X-Forwarded-For", ip}}, 1), 1);
        MainWindow window;
        startConsole(window, service);
        auto *view = child<QTableView>(window, "keysTableView");
        QTRY_COMPARE(view->model()->rowCount(), 3);
        QTest::keyClicks(child<QLineEdit>(window, "keyFilterEdit"), QStringLiteral("10.1."));
        QCOMPARE(view->model()->rowCount(), 2);
        QTest::qWait(700); // polls keep the filter
        QCOMPARE(view->model()->rowCount(), 2);
        child<QLineEdit>(window, "keyFilterEdit")->clear();
        QCOMPARE(view->model()->rowCount(), 3);
    }

    void historyDialogListsChanges()
    {
        UiTestService service;
        QVERIFY(service.start());
        QCOMPARE(service.putRule({{"endpoint", "/v1/a"}, {"requests", 10}, {"window", 60}}), 200);
        QCOMPARE(service.putRule({{"endpoint", "/v1/a"}, {"requests", 20}, {"window", 60}}), 200);
        MainWindow window;
        startConsole(window, service);
        child<QTabWidget>(window, "mainTabs")->setCurrentIndex(1);
        QTest::mouseClick(child<QPushButton>(window, "historyButton"), Qt::LeftButton);
        auto *dialog = window.findChild<HistoryDialog *>(QStringLiteral("historyDialog"));
        QVERIFY(dialog);
        QTRY_COMPARE(dialog->entryCount(), 2);
        auto *table = dialog->findChild<QTableWidget *>(QStringLiteral("historyTable"));
        QVERIFY(table->item(0, 4)->text().startsWith(QLatin1String("20"))); // newest first: 10 -> 20
        QVERIFY(table->item(0, 3)->text().startsWith(QLatin1String("10")));
    }

    void decliningTheConfirmationKeepsTheKey()
    {
        UiTestService service;
        QVERIFY(service.start());
        QCOMPARE(service.hit("alpha", 2), 2);
        MainWindow window;
        startConsole(window, service);
        auto *view = child<QTableView>(window, "keysTableView");
        QTRY_COMPARE(view->model()->rowCount(), 1);
        view->selectRow(0);
        Confirmation::setNextAnswer(Confirmation::Answer::No);
        QTest::mouseClick(child<QPushButton>(window, "clearKeyButton"), Qt::LeftButton);
        QTest::qWait(700); // more than one poll: a clear would have shown by now
        QCOMPARE(serviceCounts(service), QList<qint64>{2});
    }

    void changesLimitsThroughTheWidgets()
    {
        UiTestService service;
        QVERIFY(service.start());
        MainWindow window;
        startConsole(window, service);
        child<QTabWidget>(window, "mainTabs")->setCurrentIndex(1);
        auto *table = child<QTableView>(window, "limitsTableView");

        // Add.
        QTest::mouseClick(child<QPushButton>(window, "newLimitButton"), Qt::LeftButton);
        setText(child<QLineEdit>(window, "limitEndpointEdit"), QStringLiteral("/v1/chat/completions"));
        setSpin(child<QSpinBox>(window, "limitRequestsSpin"), 25);
        setSpin(child<QSpinBox>(window, "limitWindowSpin"), 10);
        auto *algorithm = child<QComboBox>(window, "limitAlgorithmCombo");
        algorithm->setCurrentIndex(algorithm->findData(QStringLiteral("sliding_window_counter")));
        QTest::mouseClick(child<QPushButton>(window, "saveLimitButton"), Qt::LeftButton);
        QTRY_COMPARE(serviceRules(service).size(), 1);
        AdminApi::EndpointRule stored = serviceRules(service).at(0);
        QCOMPARE(stored.endpoint, QStringLiteral("/v1/chat/completions"));
        QCOMPARE(stored.requests, 25);
        QCOMPARE(stored.windowSeconds, 10);
        QCOMPARE(stored.algorithm, QStringLiteral("sliding_window_counter"));
        QTRY_COMPARE(table->model()->rowCount(), 1);
        QTRY_COMPARE(table->model()->index(0, LimitsModel::StatusColumn).data().toString(), QStringLiteral("Active"));

        // Change: select the row, edit the form, save.
        table->selectRow(0);
        QCOMPARE(child<QLineEdit>(window, "limitEndpointEdit")->text(), QStringLiteral("/v1/chat/completions"));
        setSpin(child<QSpinBox>(window, "limitRequestsSpin"), 40);
        QTest::mouseClick(child<QPushButton>(window, "saveLimitButton"), Qt::LeftButton);
        QTRY_COMPARE(serviceRules(service).value(0).requests, 40);
        QCOMPARE(serviceRules(service).size(), 1);

        // Remove, confirmed through the seam.
        table->selectRow(0);
        Confirmation::setNextAnswer(Confirmation::Answer::Yes);
        QTest::mouseClick(child<QPushButton>(window, "removeLimitButton"), Qt::LeftButton);
        QTRY_VERIFY(serviceRules(service).isEmpty());
        QTRY_COMPARE(table->model()->rowCount(), 0);
    }

    void changesApiKeyLimitsThroughTheWidgets()
    {
        UiTestService service;
        QVERIFY(service.start());
        QCOMPARE(service.hit("customer-key", 1), 1);
        const auto stats = AdminApi::Stats::fromJson(service.adminGet(QStringLiteral("/admin/rate-limit/stats")).second);
        QCOMPARE(stats.currentRates.size(), 1);
        const QString keyId = stats.currentRates.at(0).client; // the key's id, as the key table shows it
        auto serviceConfig = [&service] { return AdminApi::Config::fromJson(service.adminGet(QStringLiteral("/admin/config")).second); };

        MainWindow window;
        startConsole(window, service);
        child<QTabWidget>(window, "mainTabs")->setCurrentIndex(1);
        child<QTabWidget>(window, "limitsTabs")->setCurrentIndex(1);
        auto *table = child<QTableView>(window, "apiKeyLimitsTableView");
        auto *save = child<QPushButton>(window, "saveApiKeyLimitButton");

        // The API-key default.
        QTest::mouseClick(child<QPushButton>(window, "newApiKeyLimitButton"), Qt::LeftButton);
        setText(child<QLineEdit>(window, "apiKeyIdEdit"), QStringLiteral("default"));
        setSpin(child<QSpinBox>(window, "apiKeyRequestsSpin"), 600);
        QTest::mouseClick(save, Qt::LeftButton);
        QTRY_VERIFY(serviceConfig().apiKeyDefault.has_value());
        QCOMPARE(serviceConfig().apiKeyDefault->requests, 600);
        QCOMPARE(serviceConfig().apiKeyRateLimit, 600);

        // An override for one key: key id, requests, window, algorithm.
        QTest::mouseClick(child<QPushButton>(window, "newApiKeyLimitButton"), Qt::LeftButton);
        setText(child<QLineEdit>(window, "apiKeyIdEdit"), keyId);
        setSpin(child<QSpinBox>(window, "apiKeyRequestsSpin"), 5);
        setSpin(child<QSpinBox>(window, "apiKeyWindowSpin"), 120);
        auto *algorithm = child<QComboBox>(window, "apiKeyAlgorithmCombo");
        algorithm->setCurrentIndex(algorithm->findData(QStringLiteral("sliding_log")));
        QTest::mouseClick(save, Qt::LeftButton);
        QTRY_COMPARE(serviceConfig().apiKeyOverrides.size(), 1);
        AdminApi::ApiKeyLimit stored = serviceConfig().apiKeyOverrides.at(0);
        QCOMPARE(stored.keyId, keyId);
        QCOMPARE(stored.requests, 5);
        QCOMPARE(stored.windowSeconds, 120);
        QCOMPARE(stored.algorithm, QStringLiteral("sliding_log"));
        QTRY_COMPARE(table->model()->rowCount(), 2);
        // The service enforces it: one request was counted before, four more pass.
        QCOMPARE(service.hit("customer-key", 6), 4);

        // Change the override from its row.
        const int row = window.controller()->apiKeyLimits()->rowOf(keyId, {});
        QVERIFY(row >= 0);
        table->selectRow(row);
        QCOMPARE(child<QLineEdit>(window, "apiKeyIdEdit")->text(), keyId);
        setSpin(child<QSpinBox>(window, "apiKeyRequestsSpin"), 8);
        QTest::mouseClick(save, Qt::LeftButton);
        QTRY_COMPARE(serviceConfig().apiKeyOverrides.value(0).requests, 8);

        // The service's validation message appears next to the key id field.
        QTest::mouseClick(child<QPushButton>(window, "newApiKeyLimitButton"), Qt::LeftButton);
        setText(child<QLineEdit>(window, "apiKeyIdEdit"), QStringLiteral("not-a-key-id"));
        QTest::mouseClick(save, Qt::LeftButton);
        auto *idError = child<QLabel>(window, "apiKeyIdError");
        QTRY_VERIFY(idError->isVisible());
        QVERIFY2(idError->text().contains(QLatin1String("16 lowercase hex digits")), qPrintable(idError->text()));
        QVERIFY(!child<QLabel>(window, "apiKeyRequestsError")->isVisible());
        QCOMPARE(serviceConfig().apiKeyOverrides.size(), 1);

        // Remove the override, then the default, each confirmed through the seam.
        for (const QString &id : {keyId, QStringLiteral("default")}) {
            QTRY_VERIFY(window.controller()->apiKeyLimits()->rowOf(id, {}) >= 0);
            table->selectRow(window.controller()->apiKeyLimits()->rowOf(id, {}));
            Confirmation::setNextAnswer(Confirmation::Answer::Yes);
            QTest::mouseClick(child<QPushButton>(window, "removeApiKeyLimitButton"), Qt::LeftButton);
            QTRY_COMPARE(window.controller()->apiKeyLimits()->rowOf(id, {}), -1);
        }
        QTRY_VERIFY(serviceConfig().apiKeyOverrides.isEmpty());
        QVERIFY(!serviceConfig().apiKeyDefault.has_value());
        QTRY_COMPARE(table->model()->rowCount(), 1); // the rejected row stays until the operator acts on it
    }

    void showsTheServiceValidationMessageNextToTheField_data()
    {
        QTest::addColumn<QString>("endpoint");
        QTest::addColumn<int>("requests");
        QTest::addColumn<int>("window");
        QTest::addColumn<QString>("errorLabel");
        QTest::addColumn<QString>("fragment");
        QTest::addRow("endpoint") << QStringLiteral("no-slash") << 10 << 60 << QStringLiteral("limitEndpointError")
                                  << QStringLiteral("must be a path");
        QTest::addRow("requests") << QStringLiteral("/ok") << 0 << 60 << QStringLiteral("limitRequestsError")
                                  << QStringLiteral("between 1 and");
        QTest::addRow("window") << QStringLiteral("/ok") << 10 << 100000 << QStringLiteral("limitWindowError")
                                << QStringLiteral("86400");
    }
    void showsTheServiceValidationMessageNextToTheField()
    {
        QFETCH(QString, endpoint);
        QFETCH(int, requests);
        QFETCH(int, window);
        QFETCH(QString, errorLabel);
        QFETCH(QString, fragment);
        UiTestService service;
        QVERIFY(service.start());
        MainWindow w;
        startConsole(w, service);
        child<QTabWidget>(w, "mainTabs")->setCurrentIndex(1);
        setText(child<QLineEdit>(w, "limitEndpointEdit"), endpoint);
        setSpin(child<QSpinBox>(w, "limitRequestsSpin"), requests);
        setSpin(child<QSpinBox>(w, "limitWindowSpin"), window);
        QTest::mouseClick(child<QPushButton>(w, "saveLimitButton"), Qt::LeftButton);
        auto *label = w.findChild<QLabel *>(errorLabel);
        QVERIFY(label);
        QTRY_VERIFY(label->isVisible());
        QVERIFY2(label->text().contains(fragment), qPrintable(label->text()));
        QVERIFY(serviceRules(service).isEmpty());
        // The other fields show no error.
        for (QLabel *other : w.findChildren<QLabel *>(QRegularExpression(QStringLiteral("^limit.*Error$")))) {
            if (other != label)
                QVERIFY2(!other->isVisible(), qPrintable(other->objectName()));
        }
    }

    void violationsPageShowsRejectionsAndBypassAttempts()
    {
        UiTestService service;
        QVERIFY(service.start());
        MainWindow window;
        startConsole(window, service);
        auto *tabs = child<QTabWidget>(window, "mainTabs");
        auto *page = child<QWidget>(window, "violationsPage");
        QCOMPARE(tabs->tabText(tabs->indexOf(page)), QStringLiteral("Violations"));
        QTRY_VERIFY(window.controller()->hasStats()); // the bypass counters' baseline

        // Paused, so that all of the provoked traffic lands in one refresh.
        window.controller()->setPolling(ConsoleController::Polling::Paused);
        QTest::qWait(300); // lets a refresh already in flight finish
        // Loopback is no trusted proxy here: its forwarded header is a bypass attempt (and ignored).
        QCOMPARE(service.hitWith({{"X-Forwarded-For", "203.0.113.50"}}, 3), 3);
        // Two API-key clients over the default limit of 60: 3 + 2 real 429s.
        QCOMPARE(service.hit("greedy-client", 63), 60);
        QCOMPARE(service.hit("other-client", 62), 60);
        window.controller()->setPolling(ConsoleController::Polling::Running);

        auto *table = child<QTableView>(window, "violationsTableView");
        QTRY_COMPARE(table->model()->rowCount(), 5);
        QTRY_COMPARE(child<StatTile>(window, "violationsTotalTile")->value(), QStringLiteral("5"));
        QTRY_COMPARE(child<StatTile>(window, "bypassForwardedTile")->value(), QStringLiteral("3"));
        QCOMPARE(child<StatTile>(window, "bypassKeyCyclingTile")->value(), QStringLiteral("0"));
        QCOMPARE(child<StatTile>(window, "bypassMalformedTile")->value(), QStringLiteral("0"));
        for (const char *tile : {"violationsTotalTile", "bypassForwardedTile", "bypassKeyCyclingTile", "bypassMalformedTile"})
            QVERIFY2(!child<StatTile>(window, tile)->toolTip().isEmpty(), tile);
        // The rise is an event the operator sees on the Events page.
        EventsModel *events = window.controller()->events();
        QVERIFY(!events->match(events->index(0, EventsModel::MessageColumn), Qt::DisplayRole,
                               QStringLiteral("Bypass attempts: +3 untrusted_forwarded_header"), 1, Qt::MatchContains)
                     .isEmpty());
        // ... and marks the Violations tab until it is opened.
        const int tab = tabs->indexOf(page);
        const QImage warning = QIcon(QStringLiteral(":/icons/warning.svg")).pixmap(16).toImage();
        QCOMPARE(tabs->tabIcon(tab).pixmap(16).toImage(), warning);
        tabs->setCurrentIndex(tab);
        QVERIFY(tabs->tabIcon(tab).pixmap(16).toImage() != warning);

        // The rows are the service's violations: API-key clients by id (never the raw key), default rule.
        QAbstractItemModel *rows = table->model();
        QStringList clients;
        for (int row = 0; row < rows->rowCount(); ++row) {
            const QString client = rows->index(row, ViolationsModel::ClientColumn).data().toString();
            QVERIFY2(client.startsWith(QLatin1String("api_key:")) && !client.contains(QLatin1String("client")),
                     qPrintable(client));
            QCOMPARE(rows->index(row, ViolationsModel::RuleColumn).data().toString(), QStringLiteral("default limit"));
            QCOMPARE(rows->index(row, ViolationsModel::LimitColumn).data().toString(), QStringLiteral("60"));
            QVERIFY(rows->index(row, ViolationsModel::RetryAfterColumn).data(ViolationsModel::SortRole).toLongLong() > 0);
            if (row > 0)
                QVERIFY(rows->index(row - 1, ViolationsModel::TimeColumn).data(ViolationsModel::SortRole).toLongLong()
                        >= rows->index(row, ViolationsModel::TimeColumn).data(ViolationsModel::SortRole).toLongLong());
            clients.append(client);
        }
        const QString greedy = clients.constLast(); // the oldest violation is greedy-client's
        QCOMPARE(clients.count(greedy), 3);

        // Sorting and filtering by widget.
        QTest::mouseClick(table->horizontalHeader()->viewport(), Qt::LeftButton, {},
                          QPoint(table->horizontalHeader()->sectionViewportPosition(ViolationsModel::ClientColumn) + 5, 5));
        QCOMPARE(table->horizontalHeader()->sortIndicatorSection(), int(ViolationsModel::ClientColumn));
        QTest::keyClicks(child<QLineEdit>(window, "violationsFilterEdit"), greedy);
        QCOMPARE(rows->rowCount(), 3);

        // Later refreshes only add the new 429s: no reset, the filter holds.
        QSignalSpy reset(window.controller()->violations(), &QAbstractItemModel::modelReset);
        QCOMPARE(service.hit("greedy-client", 2), 0);
        QTRY_COMPARE(rows->rowCount(), 5);
        QTRY_COMPARE(window.controller()->violations()->rowCount(), 7);
        QCOMPARE(reset.size(), 0);
        QCOMPARE(child<StatTile>(window, "violationsTotalTile")->value(), QStringLiteral("7"));
        QVERIFY(child<QLabel>(window, "violationsHint")->text().contains(QLatin1String("7 of 7")));
    }

    void bannerShowsAnOutageAndClearsOnRecovery()
    {
        UiTestService service;
        QVERIFY(service.start());
        const quint16 port = service.port();
        MainWindow window;
        window.controller()->client()->setTimeout(std::chrono::milliseconds(1000));
        startConsole(window, service);
        auto *banner = child<StatusBanner>(window, "statusBanner");
        QTRY_COMPARE(window.controller()->state(), ConsoleController::ConnectionState::Connected);
        QVERIFY(!banner->isVisible());
        service.stop();
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 5000);
        QCOMPARE(banner->level(), StatusBanner::Level::Error);
        QVERIFY(window.isEnabled()); // never modal: the console keeps running
        QVERIFY(service.start(port));
        QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), 5000);
    }

    void deploymentPageFollowsRedis()
    {
        RedisServer redis;
        UiTestService service;
        MainWindow window;
        QVERIFY(watchDeploymentOnRedis(redis, service, window));
        QCOMPARE(service.hit("alpha", 3), 3);
        auto *connection = child<QLabel>(window, "redisConnectedValue");
        auto *address = child<QLabel>(window, "redisAddressValue");
        auto *instances = child<QTableWidget>(window, "instancesTable");
        auto *banner = child<StatusBanner>(window, "statusBanner");
        QTRY_COMPARE_WITH_TIMEOUT(connection->text(), QStringLiteral("connected"), 10'000);
        QCOMPARE(address->text(), QString::fromLatin1(redis.address()));
        QTRY_VERIFY(instances->rowCount() >= 1);
        QCOMPARE(instances->item(0, 2)->text(), QStringLiteral("redis"));
        QVERIFY(!banner->isVisible());

        redis.kill();
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 15'000);
        QCOMPARE(banner->level(), StatusBanner::Level::Warning);
        QTRY_COMPARE(connection->text(), QStringLiteral("down, falling back to memory"));
        // Decisions go on in memory while Redis is down.
        QCOMPARE(service.hit("beta", 2), 2);
        child<QTabWidget>(window, "mainTabs")->setCurrentIndex(0);
        QTest::qWait(1200);
        const QString dir = QStringLiteral(SLUICE_ARTIFACTS_DIR);
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(window.grab().save(dir + QStringLiteral("/console-redis-down.png")));

        QVERIFY2(redis.restart(), qPrintable(redis.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), 20'000);
        QTRY_COMPARE(connection->text(), QStringLiteral("connected"));
    }

    void deploymentPageShowsRedisHealth()
    {
        RedisServer redis;
        UiTestService service;
        MainWindow window;
        QVERIFY(watchDeploymentOnRedis(redis, service, window));
        auto *banner = child<StatusBanner>(window, "statusBanner");
        auto *policy = child<QLabel>(window, "redisPolicyValue");
        auto *memory = child<QProgressBar>(window, "redisMemoryBar");
        auto *warnings = child<QLabel>(window, "redisWarningsLabel");
        QTRY_COMPARE_WITH_TIMEOUT(policy->text(), QStringLiteral("noeviction"), 10'000);
        QVERIFY2(child<QLabel>(window, "redisLatencyValue")->text().contains(QLatin1String(" ms")),
                 qPrintable(child<QLabel>(window, "redisLatencyValue")->text()));
        QVERIFY2(memory->text().contains(QLatin1String("no maxmemory")), qPrintable(memory->text()));
        QVERIFY(child<QLabel>(window, "redisRoleValue")->text().startsWith(QLatin1String("master")));
        // One connection per HTTP thread of the service, every one of them ready.
        QTRY_VERIFY2(QRegularExpression(QStringLiteral("^(\\d+) of \\1 connections ready")).match(child<QLabel>(window, "redisPoolUsageValue")->text()).hasMatch(),
                     qPrintable(child<QLabel>(window, "redisPoolUsageValue")->text()));
        // Without a maxmemory the service warns mildly; no eviction risk, so no banner.
        QTRY_VERIFY(warnings->isVisible());
        QVERIFY2(warnings->text().contains(QLatin1String("no maxmemory")), qPrintable(warnings->text()));
        QVERIFY(!banner->isVisible());

        // A policy that can evict limiter keys: shown in red, in the warnings, as a banner and an event.
        QCOMPARE(redis.cli({QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("maxmemory"), QStringLiteral("64mb")}),
                 QByteArray("OK"));
        QCOMPARE(redis.cli({QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("maxmemory-policy"),
                            QStringLiteral("allkeys-lru")}),
                 QByteArray("OK"));
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 10'000);
        QCOMPARE(banner->level(), StatusBanner::Level::Warning);
        QVERIFY2(banner->text().contains(QLatin1String("allkeys-lru")), qPrintable(banner->text()));
        QTRY_VERIFY(policy->text().startsWith(QLatin1String("allkeys-lru")));
        QVERIFY(policy->styleSheet().contains(QLatin1String("#d32f2f")));
        QVERIFY2(memory->text().contains(QLatin1String("64")), qPrintable(memory->text()));
        QVERIFY(memory->value() > 0);
        QVERIFY2(warnings->text().contains(QLatin1String("silently resets")), qPrintable(warnings->text()));
        EventsModel *events = window.controller()->events();
        QVERIFY(!events->match(events->index(0, EventsModel::MessageColumn), Qt::DisplayRole,
                               QStringLiteral("Redis: maxmemory-policy allkeys-lru"), 1, Qt::MatchContains)
                     .isEmpty());
        const QString dir = QStringLiteral(SLUICE_ARTIFACTS_DIR);
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(window.grab().save(dir + QStringLiteral("/console-redis-health.png")));

        QCOMPARE(redis.cli({QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("maxmemory-policy"),
                            QStringLiteral("noeviction")}),
                 QByteArray("OK"));
        QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), 10'000);
        QTRY_COMPARE(policy->text(), QStringLiteral("noeviction"));
        QVERIFY(!events->match(events->index(0, EventsModel::MessageColumn), Qt::DisplayRole,
                               QStringLiteral("no longer evicts"), 1, Qt::MatchContains)
                     .isEmpty());
    }

    void wrongKeyShowsABanner()
    {
        UiTestService service;
        QVERIFY(service.start());
        MainWindow window;
        window.resize(1280, 800);
        window.show();
        window.connectToRemote(service.baseUrl(), QStringLiteral("wrong"));
        auto *banner = child<StatusBanner>(window, "statusBanner");
        QTRY_VERIFY(banner->isVisible());
        QVERIFY(banner->text().contains(QLatin1String("401")));
    }

    void switchesLanguageAtRuntime()
    {
        MainWindow window;
        auto *tabs = child<QTabWidget>(window, "mainTabs");
        QCOMPARE(tabs->tabText(1), QStringLiteral("Limits"));
        // Installing a translator posts LanguageChange to the window, which retranslates itself.
        QCOMPARE(Languages::install(QStringLiteral("de")), QStringLiteral("de"));
        QTRY_COMPARE(tabs->tabText(0), QStringLiteral("Übersicht"));
        QCOMPARE(window.windowTitle(), QStringLiteral("Sluice-Konsole"));
        QCOMPARE(child<QPushButton>(window, "saveLimitButton")->text(), QStringLiteral("Limit &speichern"));
        QCOMPARE(window.controller()->keys()->headerData(KeyUsageModel::ResetColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Reset in"));
        Languages::install(QStringLiteral("zh_CN"));
        QTRY_COMPARE(tabs->tabText(1), QStringLiteral("限额"));
        QCOMPARE(window.windowTitle(), QStringLiteral("Sluice 控制台"));
        Languages::install(QStringLiteral("en"));
        QTRY_COMPARE(tabs->tabText(1), QStringLiteral("Limits"));
    }

    void followsTheSystemLocaleByDefault_data()
    {
        QTest::addColumn<QLocale>("locale");
        QTest::addColumn<QString>("language");
        QTest::addRow("de_DE") << QLocale(QLocale::German, QLocale::Germany) << QStringLiteral("de");
        QTest::addRow("de_AT") << QLocale(QLocale::German, QLocale::Austria) << QStringLiteral("de");
        QTest::addRow("zh_CN") << QLocale(QLocale::Chinese, QLocale::China) << QStringLiteral("zh_CN");
        QTest::addRow("fr_FR") << QLocale(QLocale::French, QLocale::France) << QStringLiteral("en");
    }
    void followsTheSystemLocaleByDefault()
    {
        QFETCH(QLocale, locale);
        QFETCH(QString, language);
        const QLocale previous;
        QLocale::setDefault(locale);
        QCOMPARE(Languages::install(QString()), language);
        QLocale::setDefault(previous);
        Languages::install(QStringLiteral("en"));
    }

    void translationsAreComplete_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addRow("zh_CN") << QStringLiteral("sluice_zh_CN.ts");
        QTest::addRow("de") << QStringLiteral("sluice_de.ts");
    }
    void translationsAreComplete()
    {
        QFETCH(QString, file);
        QFile ts(QStringLiteral(SLUICE_SOURCE_DIR "/translations/") + file);
        QVERIFY(ts.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&ts);
        int messages = 0;
        QStringList missing;
        QString source;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement())
                continue;
            if (xml.name() == QLatin1String("source")) {
                source = xml.readElementText();
            } else if (xml.name() == QLatin1String("translation")) {
                ++messages;
                const QString type = xml.attributes().value(QLatin1String("type")).toString();
                const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
                if (!type.isEmpty() || text.trimmed().isEmpty())
                    missing.append(source);
            }
        }
        QVERIFY(!xml.hasError());
        QVERIFY(messages > 100);
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QLatin1String(" | "))));
    }

    void rendersTheWindowWithLiveData()
    {
        UiTestService service;
        service.setTrustLoopback();
        QVERIFY(service.start());
        QCOMPARE(service.putRule({{"endpoint", "/v1/chat/completions"}, {"requests", 120}, {"window", 60}}), 200);
        QCOMPARE(service.putRule({{"endpoint", "/v1/images/*"}, {"requests", 20}, {"window", 60},
                                  {"algorithm", "token_bucket"}, {"burst", 30}}), 200);
        QCOMPARE(service.putRule({{"endpoint", "/v1/embeddings"}, {"method", "POST"}, {"requests", 600}, {"window", 60},
                                  {"algorithm", "sliding_window_counter"}}), 200);
        QCOMPARE(service.putApiKeyLimit({{"key_id", "default"}, {"requests", 60}}), 200);
        QCOMPARE(service.putApiKeyLimit({{"api_key", "batch-exporter"}, {"requests", 30}, {"algorithm", "token_bucket"}}), 200);
        MainWindow window;
        startConsole(window, service);
        QTRY_COMPARE(window.controller()->state(), ConsoleController::ConnectionState::Connected);

        // About 20 s of varied live traffic through the real service: a changing population of clients
        // (behind the trusted loopback proxy) within their limits, plus a few hot clients over them.
        const QByteArray paths[] = {"/v1/chat/completions", "/v1/images/generations", "/v1/models", "/v1/embeddings"};
        QElapsedTimer clock;
        clock.start();
        int round = 0;
        // Keep the traffic going until the screenshot is taken, so the last sample is live too.
        auto ready = [&] {
            return clock.elapsed() >= 20'000 && window.controller()->traffic()->size() > 20
                   && window.controller()->stats().blockedRequests > 0;
        };
        while (!ready() && clock.elapsed() < 60'000) {
            const int wave = 4 + int(4 * (1 + std::sin(round / 6.0)));
            for (int c = 0; c < wave * 2; ++c) {
                const QByteArray ip = "198.51.100." + QByteArray::number((round * 5 + c) % 200 + 1);
                service.hitWith({{"X-Forwarded-For", ip}, {"X-Forwarded-Uri", paths[c % 4]}}, 1);
            }
            service.hitWith({{"X-Forwarded-For", "203.0.113.7"}, {"X-Forwarded-Uri", paths[1]}}, 1 + wave / 3);
            service.hitWith({{"X-Forwarded-For", "203.0.113.9"}, {"X-Forwarded-Uri", paths[0]}}, wave / 2);
            service.hit("batch-exporter", 1 + wave / 2);
            service.hit("mobile-app", 1 + round % 2);
            // Now and then a client rotating API keys from one address: bypass attempts for the Violations page.
            if (round % 4 == 0)
                service.hitWith({{"X-Forwarded-For", "192.0.2.66"}, {"X-API-Key", "rotating-" + QByteArray::number(round)}}, 1);
            QTest::qWait(250);
            ++round;
        }
        QVERIFY(ready());

        const QString dir = QStringLiteral(SLUICE_ARTIFACTS_DIR);
        QVERIFY(QDir().mkpath(dir));
        auto *tabs = child<QTabWidget>(window, "mainTabs");
        const QImage light = window.grab().toImage();
        QCOMPARE(light.size(), QSize(1280, 800));
        QVERIFY(light.save(dir + QStringLiteral("/console.png")));
        const char *pages[] = {"limits", "deployment", "violations", "events"};
        for (int i = 1; i <= 4; ++i) {
            tabs->setCurrentIndex(i);
            QVERIFY(window.grab().save(dir + QStringLiteral("/console-%1.png").arg(QLatin1String(pages[i - 1]))));
        }
        tabs->setCurrentIndex(1);
        child<QTabWidget>(window, "limitsTabs")->setCurrentIndex(1);
        QVERIFY(window.grab().save(dir + QStringLiteral("/console-api-keys.png")));
        child<QTabWidget>(window, "limitsTabs")->setCurrentIndex(0);
        tabs->setCurrentIndex(0);
        for (const char *language : {"de", "zh_CN"}) {
            Languages::install(QLatin1String(language));
            QTRY_VERIFY(tabs->tabText(0) != QLatin1String("Dashboard"));
            QTest::qWait(200); // let the relayout that the new texts requested happen
            QVERIFY(window.grab().save(dir + QStringLiteral("/console-%1.png").arg(QLatin1String(language))));
        }
        Languages::install(QStringLiteral("en"));
        QTRY_COMPARE(tabs->tabText(0), QStringLiteral("Dashboard"));

        // The same window under a dark system palette.
        QPalette dark;
        const QColor text(0xe8, 0xea, 0xed), disabled(0x80, 0x86, 0x8b);
        dark.setColor(QPalette::Window, QColor(0x20, 0x22, 0x25));
        dark.setColor(QPalette::Base, QColor(0x17, 0x18, 0x1b));
        dark.setColor(QPalette::AlternateBase, QColor(0x24, 0x26, 0x2a));
        dark.setColor(QPalette::Button, QColor(0x2b, 0x2d, 0x31));
        dark.setColor(QPalette::Mid, QColor(0x4a, 0x4d, 0x52));
        dark.setColor(QPalette::Highlight, QColor(0x3d, 0x7a, 0xd6));
        dark.setColor(QPalette::HighlightedText, Qt::white);
        dark.setColor(QPalette::PlaceholderText, QColor(0x9a, 0xa0, 0xa6));
        dark.setColor(QPalette::ToolTipBase, QColor(0x2b, 0x2d, 0x31));
        for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText, QPalette::ToolTipText}) {
            dark.setColor(QPalette::Active, role, text);
            dark.setColor(QPalette::Inactive, role, text);
            dark.setColor(QPalette::Disabled, role, disabled);
        }
        QApplication::setPalette(dark);
        QTest::qWait(100);
        const QImage darkImage = window.grab().toImage();
        QVERIFY(darkImage.save(dir + QStringLiteral("/console-dark.png")));
        tabs->setCurrentIndex(1);
        QVERIFY(window.grab().save(dir + QStringLiteral("/console-limits-dark.png")));
        // Sanity: the dark rendering really is darker on average.
        auto brightness = [](const QImage &image) {
            qint64 sum = 0;
            const QImage small = image.scaled(64, 40);
            for (int y = 0; y < small.height(); ++y)
                for (int x = 0; x < small.width(); ++x)
                    sum += qGray(small.pixel(x, y));
            return sum / (small.width() * small.height());
        };
        QVERIFY(brightness(darkImage) + 40 < brightness(light));
    }
};

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
