#include "acquirenow.h"
#include "decisionpump.h"
#include "manualclock.h"
#include "memoryratelimitstore.h"
#include "redisratelimitstore.h"
#include "redissentinelfixture.h"
#include "redissubscriber.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <optional>

// RedisRateLimitStore in sentinel mode (RedisSentinel: the master from the sentinels, following
// +switch-master / READONLY) against one master, one replica and three sentinels started once for
// this executable, all with passwords (data nodes and sentinels differ). The failover slots run
// last, in order: the forced failover swaps the roles of the two data nodes, then the master dies.
class tst_RedisSentinel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void findsTheMasterThroughTheSentinels();
    void skipsASentinelThatIsDown();
    void followsAForcedFailoverUnderTraffic();
    void followsThePromotedReplicaWhenTheMasterDies();

private:
    RedisSettings settings() const;
    std::optional<RedisSentinelFixture> m_setup;
};

namespace {

constexpr int WaitMs = 5000;
const QByteArray DataPassword = "data-secret";
const QByteArray SentinelPassword = "sentinel-secret";

RateLimitPolicy policy(qint64 limit)
{
    RateLimitPolicy p;
    p.algorithm = Algorithm::SlidingLog;
    p.limit = limit;
    p.windowMs = 600'000;
    return p;
}

QString masterAddressOf(const RedisTopology &t)
{
    for (const RedisTopology::Node &n : t.nodes) {
        if (n.master && n.connected)
            return n.address;
    }
    return {};
}

} // namespace

RedisSettings tst_RedisSentinel::settings() const
{
    RedisSettings s;
    s.mode = RedisMode::Sentinel;
    QString error;
    if (!s.parseSentinels(m_setup->sentinelAddresses(), &error))
        qFatal("sentinels: %s", qPrintable(error));
    s.sentinelMaster = RedisSentinelFixture::masterName();
    s.sentinelPassword = SentinelPassword;
    s.password = DataPassword;
    s.commandTimeoutMs = 500;
    return s;
}

void tst_RedisSentinel::initTestCase()
{
    m_setup.emplace(3, DataPassword, SentinelPassword);
    QVERIFY2(m_setup->start(), qPrintable(m_setup->errorString()));
}

void tst_RedisSentinel::findsTheMasterThroughTheSentinels()
{
    const RedisSettings s = settings();
    QVERIFY2(s.validate().isEmpty(), qPrintable(s.validate().join(u'\n')));
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisRateLimitStore store(s, memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);

    const RedisTopology t = store.topology();
    QCOMPARE(t.mode, RedisMode::Sentinel);
    QCOMPARE(t.sentinelMaster, QString::fromLatin1(RedisSentinelFixture::masterName()));
    QVERIFY(!t.sentinel.isEmpty());
    QCOMPARE(masterAddressOf(t), QString::fromLatin1(m_setup->master().address()));

    for (int i = 0; i < 3; ++i)
        QCOMPARE(acquireNow(store, "rate_limit:ip:sentinel-a", policy(3)).allowed, true);
    const Decision denied = acquireNow(store, "rate_limit:ip:sentinel-a", policy(3));
    QCOMPARE(denied.source, DecisionSource::Redis);
    QVERIFY(!denied.allowed);
    QCOMPARE(m_setup->master().cli({"ZCARD", "rate_limit:ip:sentinel-a"}, DataPassword), QByteArray("3"));
}

void tst_RedisSentinel::skipsASentinelThatIsDown()
{
    // The first sentinel in the list refuses connections: the store asks the next one.
    RedisSettings s = settings();
    QString error;
    QVERIFY(s.parseSentinels(QStringLiteral("127.0.0.1:1,") + m_setup->sentinelAddresses(), &error));
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisRateLimitStore store(s, memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);
    QCOMPARE(acquireNow(store, "rate_limit:ip:sentinel-b", policy(3)).source, DecisionSource::Redis);
    QVERIFY(store.topology().sentinel != QStringLiteral("127.0.0.1:1"));
}

void tst_RedisSentinel::followsAForcedFailoverUnderTraffic()
{
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisSettings s = settings();
    s.poolSize = 2;
    RedisRateLimitStore store(s, memory);
    RedisSubscriber subscriber(s);
    subscriber.subscribe("rate_limit:config:changed");
    QSignalSpy messages(&subscriber, &RedisSubscriber::message);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected() && subscriber.isSubscribed("rate_limit:config:changed"), WaitMs);
    const QString oldMaster = QString::fromLatin1(m_setup->master().address());
    const QString newMaster = QString::fromLatin1(m_setup->replica().address());
    QCOMPARE(masterAddressOf(store.topology()), oldMaster);

    DecisionPump traffic(store, policy(100'000), "rate_limit:ip:failover-");
    traffic.start();
    QTRY_VERIFY_WITH_TIMEOUT(traffic.fromRedis() > 500, WaitMs);

    QElapsedTimer failover;
    failover.start();
    QCOMPARE(m_setup->sentinelCli(0, {"SENTINEL", "FAILOVER", QString::fromLatin1(RedisSentinelFixture::masterName())}), QByteArray("OK"));
    QTRY_COMPARE_WITH_TIMEOUT(masterAddressOf(store.topology()), newMaster, 20000);
    const int fromRedisAtSwitch = traffic.fromRedis();
    QTRY_VERIFY_WITH_TIMEOUT(traffic.fromRedis() > fromRedisAtSwitch + 500, WaitMs);
    qInfo("decisions in Redis on the new master %lld ms after SENTINEL FAILOVER; %d decided by the fallback meanwhile",
          failover.elapsed(), traffic.fromFallback());
    QCOMPARE(m_setup->reportedMasterPort(1), m_setup->replica().port());
    QVERIFY(m_setup->replica().cli({"ZCARD", "rate_limit:ip:failover-0"}, DataPassword).toInt() > 0);
    traffic.stop();
    QTRY_COMPARE_WITH_TIMEOUT(traffic.answered(), traffic.sent(), WaitMs);
    QCOMPARE(traffic.firstCallNotAnsweredOnce(), -1);

    // Rule propagation keeps working: the subscriber followed the master too.
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.isSubscribed("rate_limit:config:changed"), WaitMs);
    std::optional<RedisReplyValue> published;
    store.command({"PUBLISH", "rate_limit:config:changed", "after-failover"}, [&](const RedisReplyValue &v) { published = v; });
    QTRY_VERIFY_WITH_TIMEOUT(published.has_value(), WaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(!messages.isEmpty() && messages.last().at(1).toByteArray() == "after-failover", WaitMs);

    // A store started after the failover goes straight to the new master.
    RedisRateLimitStore late(settings(), memory);
    QTRY_VERIFY_WITH_TIMEOUT(late.isConnected(), WaitMs);
    QCOMPARE(masterAddressOf(late.topology()), newMaster);
    QCOMPARE(acquireNow(late, "rate_limit:ip:sentinel-late", policy(3)).source, DecisionSource::Redis);
}

void tst_RedisSentinel::followsThePromotedReplicaWhenTheMasterDies()
{
    // Since the forced failover, replica() is the master and master() replicates it.
    RedisServer &dying = m_setup->replica();
    RedisServer &heir = m_setup->master();
    QTRY_VERIFY_WITH_TIMEOUT(heir.cli({"INFO", "replication"}, DataPassword).contains("master_link_status:up"), 20000);
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisRateLimitStore store(settings(), memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);
    QCOMPARE(masterAddressOf(store.topology()), QString::fromLatin1(dying.address()));

    DecisionPump traffic(store, policy(100'000), "rate_limit:ip:master-death-");
    traffic.start();
    QTRY_VERIFY_WITH_TIMEOUT(traffic.fromRedis() > 500, WaitMs);
    QElapsedTimer outage;
    outage.start();
    dying.kill();
    // Sentinels need down-after (1 s) plus an election; meanwhile the fallback decides.
    QTRY_VERIFY_WITH_TIMEOUT(!store.isConnected(), WaitMs);
    const int fallbackBefore = traffic.fromFallback();
    QTRY_COMPARE_WITH_TIMEOUT(masterAddressOf(store.topology()), QString::fromLatin1(heir.address()), 30000);
    const int fromRedisAtSwitch = traffic.fromRedis();
    QTRY_VERIFY_WITH_TIMEOUT(traffic.fromRedis() > fromRedisAtSwitch + 500, WaitMs);
    qInfo("decisions in Redis on the promoted replica %lld ms after the master was killed; %d decided by the fallback",
          outage.elapsed(), traffic.fromFallback());
    QVERIFY(traffic.fromFallback() > fallbackBefore);
    QVERIFY(store.isConnected());
    QVERIFY(heir.cli({"ZCARD", "rate_limit:ip:master-death-0"}, DataPassword).toInt() > 0);
    traffic.stop();
    QTRY_COMPARE_WITH_TIMEOUT(traffic.answered(), traffic.sent(), WaitMs);
    QCOMPARE(traffic.firstCallNotAnsweredOnce(), -1);
}

QTEST_GUILESS_MAIN(tst_RedisSentinel)
#include "tst_redissentinel.moc"
