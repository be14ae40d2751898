#include "manualclock.h"
#include "memoryratelimitstore.h"
#include "redisratelimitstore.h"
#include "redisserver.h"
#include "redissubscriber.h"

#include <QSignalSpy>
#include <QTest>

// RedisSubscriber against a real redis-server: messages arrive, subscriptions come back after
// Redis restarts, and it authenticates like the store.
class tst_RedisSubscriber : public QObject
{
    Q_OBJECT

private slots:
    void receivesPublishedMessages();
    void unsubscribeStopsMessages();
    void resubscribesAfterRedisRestarts();
    void authenticatesWithPassword();
};

namespace {

constexpr int WaitMs = 5000;

RedisSettings settingsFor(const RedisServer &server)
{
    RedisSettings s;
    s.port = server.port();
    return s;
}

qint64 publish(RedisRateLimitStore &publisher, const QByteArray &channel, const QByteArray &payload)
{
    qint64 receivers = -1;
    publisher.command({"PUBLISH", channel, payload}, [&](const RedisReplyValue &v) { receivers = v.type == RedisReplyValue::Type::Integer ? v.integer : -2; });
    if (!QTest::qWaitFor([&] { return receivers != -1; }, WaitMs))
        return -3;
    return receivers;
}

} // namespace

void tst_RedisSubscriber::receivesPublishedMessages()
{
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    RedisSubscriber subscriber(settingsFor(server));
    QSignalSpy messages(&subscriber, &RedisSubscriber::message);
    subscriber.subscribe("sluice:rules"); // before the connection is up: sent once it is
    subscriber.subscribe("sluice:instances");
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.isSubscribed("sluice:rules") && subscriber.isSubscribed("sluice:instances"), WaitMs);
    QVERIFY(subscriber.isConnected());

    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisRateLimitStore publisher(settingsFor(server), memory);
    QTRY_VERIFY_WITH_TIMEOUT(publisher.isConnected(), WaitMs);
    QCOMPARE(publish(publisher, "sluice:rules", "{\"version\":7}"), 1);
    QCOMPARE(publish(publisher, "sluice:instances", QByteArray("bin\0ary", 7)), 1);
    QCOMPARE(publish(publisher, "other", "ignored"), 0);
    QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 2, WaitMs);
    QCOMPARE(messages.at(0).at(0).toByteArray(), QByteArray("sluice:rules"));
    QCOMPARE(messages.at(0).at(1).toByteArray(), QByteArray("{\"version\":7}"));
    QCOMPARE(messages.at(1).at(1).toByteArray(), QByteArray("bin\0ary", 7));
}

void tst_RedisSubscriber::unsubscribeStopsMessages()
{
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    RedisSubscriber subscriber(settingsFor(server));
    QSignalSpy messages(&subscriber, &RedisSubscriber::message);
    subscriber.subscribe("a");
    subscriber.subscribe("b");
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.isSubscribed("a") && subscriber.isSubscribed("b"), WaitMs);
    subscriber.unsubscribe("a");
    QTRY_VERIFY_WITH_TIMEOUT(!subscriber.isSubscribed("a"), WaitMs);
    QCOMPARE(subscriber.channels(), QList<QByteArray>{"b"});

    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisRateLimitStore publisher(settingsFor(server), memory);
    QTRY_VERIFY_WITH_TIMEOUT(publisher.isConnected(), WaitMs);
    QCOMPARE(publish(publisher, "a", "1"), 0);
    QCOMPARE(publish(publisher, "b", "2"), 1);
    QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, WaitMs);
    QCOMPARE(messages.at(0).at(1).toByteArray(), QByteArray("2"));
}

void tst_RedisSubscriber::resubscribesAfterRedisRestarts()
{
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    RedisSubscriber subscriber(settingsFor(server));
    QSignalSpy messages(&subscriber, &RedisSubscriber::message);
    QSignalSpy connected(&subscriber, &RedisSubscriber::connectedChanged);
    subscriber.subscribe("sluice:config");
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.isSubscribed("sluice:config"), WaitMs);

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^Redis subscriber at .* down: .*resubscribing"));
    server.kill();
    QTRY_VERIFY_WITH_TIMEOUT(!subscriber.isConnected(), WaitMs);
    QVERIFY(!subscriber.isSubscribed("sluice:config"));
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.isSubscribed("sluice:config"), WaitMs);
    QCOMPARE(connected.size(), 3); // up, down, up
    QCOMPARE(connected.last().first().toBool(), true);

    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisRateLimitStore publisher(settingsFor(server), memory);
    QTRY_VERIFY_WITH_TIMEOUT(publisher.isConnected(), WaitMs);
    QCOMPARE(publish(publisher, "sluice:config", "after restart"), 1);
    QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, WaitMs);
    QCOMPARE(messages.at(0).at(1).toByteArray(), QByteArray("after restart"));
}

void tst_RedisSubscriber::authenticatesWithPassword()
{
    RedisServer server({QStringLiteral("--requirepass"), QStringLiteral("pw-123")});
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    RedisSettings s = settingsFor(server);
    s.password = "pw-123";
    s.db = 2; // irrelevant for pub/sub, must not break the handshake
    RedisSubscriber subscriber(s);
    subscriber.subscribe("c");
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.isSubscribed("c"), WaitMs);
    QCOMPARE(server.cli({QStringLiteral("PUBLISH"), QStringLiteral("c"), QStringLiteral("x")}, "pw-123"), QByteArray("1"));

    RedisSettings wrong = s;
    wrong.password = "nope-secret";
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^Redis subscriber at .* down: AUTH failed: WRONGPASS"));
    RedisSubscriber rejected(wrong);
    QTRY_VERIFY_WITH_TIMEOUT(rejected.lastError().contains(QStringLiteral("WRONGPASS")), WaitMs);
    QVERIFY(!rejected.lastError().contains(QStringLiteral("nope-secret")));
    QVERIFY(!rejected.isConnected());
}

QTEST_GUILESS_MAIN(tst_RedisSubscriber)
#include "tst_redissubscriber.moc"
