#include "consolecontroller.h"
#include "redisserver.h"
#include "uitestservice.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

// The controller against a real service: polling fills the models, problems raise a banner and an
// event, and the session recovers by itself when the service comes back on the same port.
class tst_ConsoleController : public QObject
{
    Q_OBJECT

private:
    static bool hasEvent(EventsModel *events, const QString &needle)
    {
        for (int i = 0; i < events->rowCount(); ++i) {
            if (events->message(i).contains(needle))
                return true;
        }
        return false;
    }

private slots:
    void pollingFillsTheModels()
    {
        UiTestService service;
        QVERIFY(service.start());
        QCOMPARE(service.hit("alpha", 5), 5);
        QCOMPARE(service.hit("beta", 2), 2);
        ConsoleController controller;
        controller.setInterval(std::chrono::milliseconds(200));
        controller.connectTo(service.baseUrl(), service.adminKey(), QStringLiteral("test"));
        QTRY_COMPARE(controller.state(), ConsoleController::ConnectionState::Connected);
        QTRY_COMPARE(controller.keys()->rowCount(), 2);
        QTRY_VERIFY(controller.hasRedisStatus());
        QVERIFY(!controller.redisStatus().enabled);
        QCOMPARE(controller.stats().totalRequests, 7);
        // The busiest key comes first in the stats; the model keeps the service's counts.
        QCOMPARE(controller.stats().currentRates.at(0).currentCount, 5);
        QCOMPARE(controller.bannerLevel(), ConsoleController::BannerLevel::None);
        QVERIFY(hasEvent(controller.events(), QStringLiteral("Connected to test")));

        // Traffic between two polls becomes a rate sample.
        QTRY_VERIFY(controller.rates().has_value());
        const qsizetype before = controller.traffic()->size();
        QCOMPARE(service.hit("alpha", 10), 10);
        QTRY_VERIFY(controller.traffic()->size() > before);
        QTRY_VERIFY(controller.traffic()->maximum() > 0);
    }

    void wrongKeyRaisesAnErrorBanner()
    {
        UiTestService service;
        QVERIFY(service.start());
        ConsoleController controller;
        QSignalSpy banner(&controller, &ConsoleController::bannerChanged);
        controller.connectTo(service.baseUrl(), QStringLiteral("not the key"), QStringLiteral("test"));
        QTRY_COMPARE(controller.state(), ConsoleController::ConnectionState::Unauthorized);
        QCOMPARE(controller.bannerLevel(), ConsoleController::BannerLevel::Error);
        QVERIFY(controller.bannerText().contains(QLatin1String("401")));
        QVERIFY(!banner.isEmpty());
    }

    void recoversAfterTheServiceRestarts()
    {
        UiTestService service;
        QVERIFY(service.start());
        const quint16 port = service.port();
        QCOMPARE(service.hit("alpha", 20), 20);
        ConsoleController controller;
        controller.client()->setTimeout(std::chrono::milliseconds(1000));
        controller.setInterval(std::chrono::milliseconds(150));
        controller.connectTo(service.baseUrl(), service.adminKey(), QStringLiteral("test"));
        QTRY_COMPARE(controller.state(), ConsoleController::ConnectionState::Connected);
        QTRY_VERIFY(controller.rates().has_value());

        service.stop();
        QTRY_COMPARE_WITH_TIMEOUT(controller.state(), ConsoleController::ConnectionState::Unreachable, 5000);
        QCOMPARE(controller.bannerLevel(), ConsoleController::BannerLevel::Error);
        QVERIFY(controller.keys()->rowCount() > 0); // last data stays visible

        QString error;
        QVERIFY2(service.start(port, &error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(controller.state(), ConsoleController::ConnectionState::Connected, 5000);
        QCOMPARE(controller.bannerLevel(), ConsoleController::BannerLevel::None);
        QVERIFY(hasEvent(controller.events(), QStringLiteral("reachable again")));
        // The new service's counters start lower: a reset, never a negative rate.
        QTRY_VERIFY(hasEvent(controller.events(), QStringLiteral("counters were reset")));
        for (qsizetype i = 0; i < controller.traffic()->size(); ++i) {
            QVERIFY(controller.traffic()->at(i).allowedPerSecond >= 0);
            QVERIFY(controller.traffic()->at(i).blockedPerSecond >= 0);
        }
        QTRY_COMPARE(controller.keys()->rowCount(), 0); // the restarted memory store is empty
    }

    void skipsAPollWhileTheLastIsInFlight()
    {
        QTcpServer silent; // accepts and never answers: every request stays in flight
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        ConsoleController controller;
        controller.client()->setTimeout(std::chrono::milliseconds(60'000));
        controller.setInterval(std::chrono::milliseconds(100));
        controller.connectTo(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(silent.serverPort())),
                             QStringLiteral("k"), QStringLiteral("silent"));
        QTRY_VERIFY(controller.skippedPolls() >= 3);
        QVERIFY(controller.client()->isInFlight(AdminClient::Operation::Stats));
        QCOMPARE(controller.state(), ConsoleController::ConnectionState::Connecting);
    }

    void followsARedisOutageWithoutLosingTheService()
    {
        RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        UiTestService service;
        service.setRedisAddress(QString::fromLatin1(redis.address()));
        QVERIFY(service.start());
        ConsoleController controller;
        controller.setInterval(std::chrono::milliseconds(200));
        controller.connectTo(service.baseUrl(), service.adminKey(), QStringLiteral("redis"));
        QTRY_VERIFY_WITH_TIMEOUT(controller.hasRedisStatus() && controller.redisStatus().connected, 10'000);
        QVERIFY(controller.redisStatus().enabled);
        QCOMPARE(controller.redisStatus().addr, QString::fromLatin1(redis.address()));
        QCOMPARE(controller.bannerLevel(), ConsoleController::BannerLevel::None);
        QTRY_VERIFY(!controller.stats().instances.isEmpty()); // this instance, registered in Redis

        redis.kill();
        QTRY_VERIFY_WITH_TIMEOUT(!controller.redisStatus().connected, 15'000);
        QTRY_COMPARE(controller.bannerLevel(), ConsoleController::BannerLevel::Warning);
        QVERIFY(controller.bannerText().contains(QLatin1String("Redis")));
        QVERIFY(hasEvent(controller.events(), QStringLiteral("Redis connection lost")));
        QCOMPARE(controller.state(), ConsoleController::ConnectionState::Connected); // the service itself is fine

        QVERIFY2(redis.restart(), qPrintable(redis.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(controller.redisStatus().connected, 20'000);
        QTRY_COMPARE(controller.bannerLevel(), ConsoleController::BannerLevel::None);
        QVERIFY(hasEvent(controller.events(), QStringLiteral("Redis connection restored")));
    }

    void seesRulesChangedByAnotherOperator()
    {
        UiTestService service;
        QVERIFY(service.start());
        ConsoleController controller;
        controller.setInterval(std::chrono::milliseconds(100));
        controller.connectTo(service.baseUrl(), service.adminKey(), QStringLiteral("test"));
        QTRY_COMPARE(controller.state(), ConsoleController::ConnectionState::Connected);
        QCOMPARE(service.putRule({{"endpoint", "/v1/elsewhere"}, {"requests", 7}, {"window", 60}}), 200);
        QTRY_COMPARE_WITH_TIMEOUT(controller.limits()->rowCount(), 1, 5000);
        QCOMPARE(controller.limits()->rule(0).requests, 7);
    }

    void listsViolationsAsTheyHappen()
    {
        UiTestService service;
        QVERIFY(service.start());
        ConsoleController controller;
        controller.setInterval(std::chrono::milliseconds(100));
        controller.connectTo(service.baseUrl(), service.adminKey(), QStringLiteral("test"));
        QTRY_COMPARE(controller.state(), ConsoleController::ConnectionState::Connected);
        QCOMPARE(service.hit("greedy", 62), 60);
        QTRY_COMPARE(controller.violations()->rowCount(), 2);
        QCOMPARE(controller.violations()->total(), 2);
        QCOMPARE(service.hit("greedy", 1), 0);
        QTRY_COMPARE(controller.violations()->rowCount(), 3);
        QCOMPARE(controller.violations()->missed(), 0);
    }

    void reportsEachRiseOfABypassCounterOnce()
    {
        UiTestService service;
        QVERIFY(service.start());
        ConsoleController controller;
        controller.setInterval(std::chrono::milliseconds(100));
        QSignalSpy rises(&controller, &ConsoleController::bypassAttemptsRose);
        controller.connectTo(service.baseUrl(), service.adminKey(), QStringLiteral("test"));
        QTRY_VERIFY(controller.hasStats());
        // An Authorization header that is no Bearer token cannot identify a client: a malformed identity.
        QCOMPARE(service.hitWith({{"Authorization", "Basic c2x1aWNlOnNsdWljZQ=="}}, 2), 2);
        QTRY_COMPARE(controller.stats().bypassAttempts.value(QStringLiteral("malformed_identity_header")), 2);
        qint64 reported = 0;
        for (const QList<QVariant> &rise : std::as_const(rises)) {
            QCOMPARE(rise.at(0).toString(), QStringLiteral("malformed_identity_header"));
            reported += rise.at(1).toLongLong();
        }
        QCOMPARE(reported, 2);
        QVERIFY(hasEvent(controller.events(), QStringLiteral("Bypass attempts: +")));
        const qsizetype seen = rises.size();
        QTest::qWait(400); // more refreshes without new attempts report nothing
        QCOMPARE(rises.size(), seen);
    }

    void pausingStopsPolling()
    {
        UiTestService service;
        QVERIFY(service.start());
        ConsoleController controller;
        controller.setInterval(std::chrono::milliseconds(100));
        QSignalSpy updates(&controller, &ConsoleController::statsUpdated);
        controller.connectTo(service.baseUrl(), service.adminKey(), QStringLiteral("test"));
        QTRY_VERIFY(updates.size() >= 2);
        controller.setPolling(ConsoleController::Polling::Paused);
        QTest::qWait(150); // an answer already in flight may still arrive
        const qsizetype paused = updates.size();
        QTest::qWait(500);
        QCOMPARE(updates.size(), paused);
        controller.setPolling(ConsoleController::Polling::Running);
        QTRY_VERIFY(updates.size() > paused);
    }

    void savesAndRejectsRules()
    {
        UiTestService service;
        QVERIFY(service.start());
        ConsoleController controller;
        controller.connectTo(service.baseUrl(), service.adminKey(), QStringLiteral("test"));
        QSignalSpy rejected(&controller, &ConsoleController::ruleRejected);
        controller.saveRule({QStringLiteral("/v1/x"), QString(), 10, 0, QString(), 0});
        QVERIFY(rejected.wait(5000));
        QVERIFY(rejected.at(0).at(2).value<AdminApi::Error>().message.startsWith(QLatin1String("window:")));
        const int row = controller.limits()->rowOf(QStringLiteral("/v1/x"), QString());
        QVERIFY(row >= 0);
        QCOMPARE(controller.limits()->rowState(row), LimitsModel::RowState::Rejected);

        controller.saveRule({QStringLiteral("/v1/x"), QString(), 10, 30, QString(), 0});
        QTRY_COMPARE(controller.config().endpoints.size(), 1);
        QTRY_COMPARE(controller.limits()->rowState(0), LimitsModel::RowState::Stored);
        QCOMPARE(controller.limits()->rule(0).windowSeconds, 30);
    }
};

QTEST_MAIN(tst_ConsoleController)
#include "tst_consolecontroller.moc"
