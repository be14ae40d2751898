#include "acquirenow.h"
#include "manualclock.h"
#include "memoryratelimitstore.h"
#include "rediscluster.h"
#include "redisclusterfixture.h"
#include "redisratelimitstore.h"
#include "redissubscriber.h"

#include <QElapsedTimer>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <optional>

Q_DECLARE_METATYPE(RateLimitPolicy)

// RedisRateLimitStore in cluster mode (RedisCluster: slot map, links per master, MOVED/ASK) against
// a real 3-master cluster with one replica each, created once for this executable. The slots run in
// declaration order; the last one kills a master, so it must stay last.
class tst_RedisCluster : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void computesTheSameSlotAsRedis_data();
    void computesTheSameSlotAsRedis();
    void reportsEveryMasterWithItsSlots();
    void twoStoresShareExactLimitsOnEveryMaster_data();
    void twoStoresShareExactLimitsOnEveryMaster();
    void topKeysAndClearWorkAcrossMasters();
    void commandsRouteByTheirFirstKey();
    void followsAskWhileASlotMigratesAndMovedAfterwards();
    void keepsExactLimitsWhileASlotMovesUnderTraffic();
    void reloadsScriptsOnEachMasterAfterScriptFlush();
    void masterFailureFallsBackThenReturnsToTheNewMaster();

private:
    RedisSettings settings() const;
    // Where CLUSTER SETSLOT ... NODE goes at the end of a migration: target, source, then the others.
    QList<int> nodesInSetSlotOrder(int source, int target) const;
    std::optional<RedisClusterFixture> m_cluster;
};

namespace {

constexpr int WaitMs = 5000;

RateLimitPolicy policy(Algorithm algorithm, qint64 limit, qint64 windowMs)
{
    RateLimitPolicy p;
    p.algorithm = algorithm;
    p.limit = limit;
    p.windowMs = windowMs;
    return p;
}

RedisReplyValue commandNow(RedisRateLimitStore &store, const QList<QByteArray> &argv)
{
    std::optional<RedisReplyValue> result;
    store.command(argv, [&](const RedisReplyValue &v) { result = v; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, WaitMs))
        qWarning("no reply within %d ms", WaitMs);
    return result.value_or(RedisReplyValue::noReply("test: no reply"));
}

// Keys whose slots cover every master (checked by the tests that need it).
QList<QByteArray> spreadKeys(int n)
{
    QList<QByteArray> keys;
    for (int i = 0; i < n; ++i)
        keys.append("rate_limit:ip:10.0.0." + QByteArray::number(i));
    return keys;
}

} // namespace

RedisSettings tst_RedisCluster::settings() const
{
    RedisSettings s;
    s.mode = RedisMode::Cluster;
    QString error;
    if (!s.parseSeeds(m_cluster->seeds(), &error))
        qFatal("seeds: %s", qPrintable(error));
    s.commandTimeoutMs = 500;
    return s;
}

QList<int> tst_RedisCluster::nodesInSetSlotOrder(int source, int target) const
{
    QList<int> order{target, source};
    for (int i = 0; i < m_cluster->nodeCount(); ++i) {
        if (i != source && i != target)
            order.append(i);
    }
    return order;
}

void tst_RedisCluster::initTestCase()
{
    m_cluster.emplace(3, 1);
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->errorString()));
}

void tst_RedisCluster::computesTheSameSlotAsRedis_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addRow("plain") << QByteArray("rate_limit:ip:10.0.0.1");
    QTest::addRow("index") << QByteArray("rate_limit:_index");
    QTest::addRow("hash tag") << QByteArray("rate_limit:{user42}:x");
    QTest::addRow("empty tag counts whole key") << QByteArray("rate_limit:{}:x");
    QTest::addRow("only first tag") << QByteArray("a{b}{c}");
    QTest::addRow("unclosed") << QByteArray("a{bc");
    QTest::addRow("endpoint") << QByteArray("rate_limit:endpoint:/api/v1/items:api_key:0123456789abcdef");
}

void tst_RedisCluster::computesTheSameSlotAsRedis()
{
    QFETCH(QByteArray, key);
    QCOMPARE(RedisCluster::keySlot(key), m_cluster->keySlot(key));
}

void tst_RedisCluster::reportsEveryMasterWithItsSlots()
{
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisRateLimitStore store(settings(), memory);
    QSignalSpy topologies(&store, &RedisRateLimitStore::topologyChanged);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);
    QCOMPARE(store.mode(), StoreMode::Redis);
    QVERIFY(!topologies.isEmpty());

    const RedisTopology t = store.topology();
    QCOMPARE(t.mode, RedisMode::Cluster);
    QCOMPARE(t.slotsCovered, RedisCluster::SlotCount);
    int masters = 0;
    int replicas = 0;
    int slotTotal = 0;
    QSet<QString> masterAddresses;
    for (const RedisTopology::Node &n : t.nodes) {
        if (n.master) {
            ++masters;
            slotTotal += n.slotCount();
            QVERIFY2(n.connected, qPrintable(n.address));
            masterAddresses.insert(n.address);
        } else {
            ++replicas;
            QVERIFY(!n.connected);
        }
    }
    QCOMPARE(masters, 3);
    QCOMPARE(replicas, 3);
    QCOMPARE(slotTotal, RedisCluster::SlotCount);
    for (const RedisTopology::Node &n : t.nodes) {
        if (!n.master)
            QVERIFY2(masterAddresses.contains(n.masterAddress), qPrintable(n.masterAddress));
    }
    QList<quint16> ports;
    for (const QString &a : std::as_const(masterAddresses))
        ports.append(quint16(a.section(u':', -1).toUInt()));
    std::sort(ports.begin(), ports.end());
    QCOMPARE(ports, m_cluster->masterPorts());
}

void tst_RedisCluster::twoStoresShareExactLimitsOnEveryMaster_data()
{
    QTest::addColumn<RateLimitPolicy>("policy");
    QTest::addRow("sliding log") << policy(Algorithm::SlidingLog, 7, 600'000);
    QTest::addRow("sliding window counter") << policy(Algorithm::SlidingWindowCounter, 7, 86'400'000);
    QTest::addRow("token bucket") << policy(Algorithm::TokenBucket, 7, 600'000);
}

void tst_RedisCluster::twoStoresShareExactLimitsOnEveryMaster()
{
    QFETCH(RateLimitPolicy, policy);
    ManualClock clock;
    MemoryRateLimitStore memoryA(clock);
    MemoryRateLimitStore memoryB(clock);
    RedisSettings s = settings();
    s.poolSize = 2;
    s.keyPrefix = "rate_limit:" + QByteArray(QTest::currentDataTag()).replace(' ', '_') + ':';
    RedisRateLimitStore a(s, memoryA);
    RedisRateLimitStore b(s, memoryB);
    QTRY_VERIFY_WITH_TIMEOUT(a.isConnected() && b.isConnected(), WaitMs);

    QList<QByteArray> keys;
    QSet<quint16> mastersUsed;
    for (const QByteArray &k : spreadKeys(30)) {
        keys.append(s.keyPrefix + k);
        mastersUsed.insert(m_cluster->masterOfSlot(RedisCluster::keySlot(keys.last())));
    }
    QCOMPARE(mastersUsed.size(), 3);

    QHash<QByteArray, int> admitted;
    int answered = 0;
    int notRedis = 0;
    const int perStorePerKey = 10;
    for (int round = 0; round < perStorePerKey; ++round) {
        for (const QByteArray &key : std::as_const(keys)) {
            for (RedisRateLimitStore *store : {&a, &b}) {
                store->acquire(key, policy, 1, [&, key](const Decision &d) {
                    ++answered;
                    admitted[key] += d.allowed ? 1 : 0;
                    notRedis += d.source == DecisionSource::Redis ? 0 : 1;
                });
            }
        }
    }
    QTRY_COMPARE_WITH_TIMEOUT(answered, int(keys.size()) * 2 * perStorePerKey, WaitMs);
    QCOMPARE(notRedis, 0);
    for (const QByteArray &key : std::as_const(keys))
        QVERIFY2(admitted.value(key) == 7, qPrintable(QStringLiteral("%1: %2 admitted").arg(QString::fromUtf8(key)).arg(admitted.value(key))));
}

void tst_RedisCluster::topKeysAndClearWorkAcrossMasters()
{
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisSettings s = settings();
    s.keyPrefix = "rate_limit:top:";
    RedisRateLimitStore store(s, memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);

    const RateLimitPolicy p = policy(Algorithm::SlidingLog, 100, 600'000);
    const QList<QByteArray> keys{"rate_limit:top:ip:a", "rate_limit:top:ip:b", "rate_limit:top:ip:c", "rate_limit:top:ip:d",
                                 "rate_limit:top:ip:e", "rate_limit:top:ip:f"};
    QSet<quint16> masters;
    for (qsizetype i = 0; i < keys.size(); ++i) {
        masters.insert(m_cluster->masterOfSlot(RedisCluster::keySlot(keys.at(i))));
        for (qsizetype n = 0; n <= i; ++n)
            QCOMPARE(acquireNow(store, keys.at(i), p).source, DecisionSource::Redis);
    }
    QVERIFY2(masters.size() >= 2, "the keys live on more than one master");
    // The index touches are separate commands: give them their round trip.
    QTRY_COMPARE_WITH_TIMEOUT(commandNow(store, {"ZCARD", s.indexKey()}).integer, qint64(keys.size()), WaitMs);

    std::optional<QList<KeyUsage>> top;
    store.topKeys(4, [&](const QList<KeyUsage> &u) { top = u; });
    QTRY_VERIFY_WITH_TIMEOUT(top.has_value(), WaitMs);
    QCOMPARE(top->size(), 4);
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(top->at(i).key, keys.at(keys.size() - 1 - i));
        QCOMPARE(top->at(i).count, qint64(keys.size() - i));
        QCOMPARE(top->at(i).policy.limit, 100);
    }

    for (const QByteArray &key : keys) {
        std::optional<bool> existed;
        store.clear(key, [&](bool e) { existed = e; });
        QTRY_VERIFY_WITH_TIMEOUT(existed.has_value(), WaitMs);
        QVERIFY2(*existed, key.constData());
    }
    top.reset();
    store.topKeys(10, [&](const QList<KeyUsage> &u) { top = u; });
    QTRY_VERIFY_WITH_TIMEOUT(top.has_value(), WaitMs);
    QVERIFY(top->isEmpty());
}

void tst_RedisCluster::commandsRouteByTheirFirstKey()
{
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    const RedisSettings s = settings();
    RedisRateLimitStore store(s, memory);
    RedisSubscriber subscriber(s);
    subscriber.subscribe("rate_limit:config:changed");
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected() && subscriber.isSubscribed("rate_limit:config:changed"), WaitMs);
    QSignalSpy messages(&subscriber, &RedisSubscriber::message);

    // The service's config storage: a HASH of rules, a LIST of history, a PUBLISH of changes.
    QCOMPARE(commandNow(store, {"HSET", "rate_limit:config:rules", "/api", "{\"limit\":5}"}).integer, 1);
    const RedisReplyValue rules = commandNow(store, {"HGETALL", "rate_limit:config:rules"});
    QCOMPARE(rules.elements.size(), 2);
    QCOMPARE(rules.elements.at(1).string, QByteArray("{\"limit\":5}"));
    QCOMPARE(commandNow(store, {"LPUSH", "rate_limit:config:history", "v1", "v2"}).integer, 2);
    QCOMPARE(commandNow(store, {"LRANGE", "rate_limit:config:history", "0", "-1"}).elements.size(), 2);
    QCOMPARE(commandNow(store, {"LTRIM", "rate_limit:config:history", "0", "0"}).string, QByteArray("OK"));
    QCOMPARE(commandNow(store, {"PING"}).string, QByteArray("PONG"));
    QCOMPARE(commandNow(store, {"EVAL", "return redis.call('GET', KEYS[1])", "1", "rate_limit:config:absent"}).type,
             RedisReplyValue::Type::Nil);
    // Every command went to its key's master: none of them needed the fallback or got redirected away.
    QVERIFY(commandNow(store, {"PUBLISH", "rate_limit:config:changed", "v2"}).type == RedisReplyValue::Type::Integer);
    QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, WaitMs);
    QCOMPARE(messages.first().at(1).toByteArray(), QByteArray("v2"));
    QCOMPARE(commandNow(store, {"DEL", "rate_limit:config:rules", "rate_limit:config:history"}).type, RedisReplyValue::Type::Error); // CROSSSLOT
    QCOMPARE(commandNow(store, {"DEL", "rate_limit:config:rules"}).integer, 1);
    QCOMPARE(commandNow(store, {"DEL", "rate_limit:config:history"}).integer, 1);
}

void tst_RedisCluster::followsAskWhileASlotMigratesAndMovedAfterwards()
{
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisRateLimitStore store(settings(), memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);

    const QByteArray key = "rate_limit:ip:migrating";
    const int slot = RedisCluster::keySlot(key);
    const int source = m_cluster->indexOfPort(m_cluster->masterOfSlot(slot));
    QVERIFY(source >= 0);
    int target = -1;
    for (quint16 port : m_cluster->masterPorts()) {
        if (m_cluster->indexOfPort(port) != source)
            target = m_cluster->indexOfPort(port);
    }
    QVERIFY(target >= 0);
    const QString sourceId = QString::fromLatin1(m_cluster->nodeId(source));
    const QString targetId = QString::fromLatin1(m_cluster->nodeId(target));

    const RateLimitPolicy p = policy(Algorithm::SlidingLog, 20, 600'000);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(acquireNow(store, key, p).source, DecisionSource::Redis);

    // Half-way through a resharding: the key already moved, the slot still belongs to the source.
    const QString slotText = QString::number(slot);
    QCOMPARE(m_cluster->cli(target, {"CLUSTER", "SETSLOT", slotText, "IMPORTING", sourceId}), QByteArray("OK"));
    QCOMPARE(m_cluster->cli(source, {"CLUSTER", "SETSLOT", slotText, "MIGRATING", targetId}), QByteArray("OK"));
    QCOMPARE(m_cluster->cli(source, {"MIGRATE", "127.0.0.1", QString::number(m_cluster->node(target).port()), "", "0", "5000",
                                     "KEYS", QString::fromLatin1(key)}),
             QByteArray("OK"));
    QVERIFY(m_cluster->cli(source, {"EXISTS", QString::fromLatin1(key)}).startsWith("ASK "));

    // The source answers ASK; only ASKING + EVALSHA on the target sees the migrated state.
    for (int i = 0; i < 5; ++i) {
        const Decision d = acquireNow(store, key, p);
        QCOMPARE(d.source, DecisionSource::Redis);
        QVERIFY(d.allowed);
        QCOMPARE(d.remaining, qint64(20 - 6 - i));
    }

    // Resharding done: every master learns the new owner, the source answers MOVED.
    for (int i : nodesInSetSlotOrder(source, target))
        m_cluster->cli(i, {"CLUSTER", "SETSLOT", slotText, "NODE", targetId});
    for (int i = 0; i < 10; ++i) {
        const Decision d = acquireNow(store, key, p);
        QCOMPARE(d.source, DecisionSource::Redis);
        QVERIFY(d.allowed);
    }
    const Decision denied = acquireNow(store, key, p);
    QCOMPARE(denied.source, DecisionSource::Redis);
    QVERIFY(!denied.allowed);
    QCOMPARE(m_cluster->cli(target, {"ZCARD", QString::fromLatin1(key)}), QByteArray("20"));
    const QString targetAddress = QStringLiteral("127.0.0.1:%1").arg(m_cluster->node(target).port());
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const RedisTopology::Node &n : store.topology().nodes) {
                for (const auto &r : n.slotRanges) {
                    if (slot >= r.first && slot <= r.second)
                        return n.address == targetAddress;
                }
            }
            return false;
        }(),
        WaitMs);
    QVERIFY(m_cluster->waitUntilHealthy());
}

void tst_RedisCluster::keepsExactLimitsWhileASlotMovesUnderTraffic()
{
    ManualClock clock;
    MemoryRateLimitStore memoryA(clock);
    MemoryRateLimitStore memoryB(clock);
    RedisRateLimitStore a(settings(), memoryA);
    RedisRateLimitStore b(settings(), memoryB);
    QTRY_VERIFY_WITH_TIMEOUT(a.isConnected() && b.isConnected(), WaitMs);

    const QByteArray key = "rate_limit:ip:moving-under-traffic";
    const int slot = RedisCluster::keySlot(key);
    const int source = m_cluster->indexOfPort(m_cluster->masterOfSlot(slot));
    int target = -1;
    for (quint16 port : m_cluster->masterPorts()) {
        if (m_cluster->indexOfPort(port) != source)
            target = m_cluster->indexOfPort(port);
    }
    QVERIFY(source >= 0 && target >= 0);
    const QString sourceId = QString::fromLatin1(m_cluster->nodeId(source));
    const QString targetId = QString::fromLatin1(m_cluster->nodeId(target));
    const QString slotText = QString::number(slot);

    // Two stores, 4 calls per ms each, limit 600: the slot moves while the key is being decided.
    const RateLimitPolicy p = policy(Algorithm::SlidingLog, 600, 600'000);
    int sent = 0;
    int answered = 0;
    int admitted = 0;
    int notRedis = 0;
    QTimer pump;
    pump.setInterval(1);
    connect(&pump, &QTimer::timeout, this, [&] {
        for (RedisRateLimitStore *store : {&a, &b}) {
            for (int i = 0; i < 2; ++i) {
                ++sent;
                store->acquire(key, p, 1, [&](const Decision &d) {
                    ++answered;
                    admitted += d.allowed ? 1 : 0;
                    notRedis += d.source == DecisionSource::Redis ? 0 : 1;
                });
            }
        }
    });
    pump.start();
    QTRY_VERIFY_WITH_TIMEOUT(answered > 100, WaitMs);
    QCOMPARE(m_cluster->cli(target, {"CLUSTER", "SETSLOT", slotText, "IMPORTING", sourceId}), QByteArray("OK"));
    QTest::qWait(30);
    QCOMPARE(m_cluster->cli(source, {"CLUSTER", "SETSLOT", slotText, "MIGRATING", targetId}), QByteArray("OK"));
    QTest::qWait(30);
    QCOMPARE(m_cluster->cli(source, {"MIGRATE", "127.0.0.1", QString::number(m_cluster->node(target).port()), "", "0", "5000",
                                     "KEYS", QString::fromLatin1(key)}),
             QByteArray("OK"));
    QTest::qWait(100); // ASK redirects
    // The documented order: the target first (so a MOVED from the source is not bounced back), then the source, then the rest.
    for (int i : nodesInSetSlotOrder(source, target)) {
        m_cluster->cli(i, {"CLUSTER", "SETSLOT", slotText, "NODE", targetId});
        QTest::qWait(10);
    }
    QTRY_VERIFY_WITH_TIMEOUT(sent > 1400, WaitMs); // MOVED, then the new owner directly
    pump.stop();
    QTRY_COMPARE_WITH_TIMEOUT(answered, sent, WaitMs);
    QCOMPARE(notRedis, 0);
    QCOMPARE(admitted, 600);
    QCOMPARE(m_cluster->cli(target, {"ZCARD", QString::fromLatin1(key)}), QByteArray("600"));
    QVERIFY(m_cluster->waitUntilHealthy());
}

void tst_RedisCluster::reloadsScriptsOnEachMasterAfterScriptFlush()
{
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisRateLimitStore store(settings(), memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);
    for (quint16 port : m_cluster->masterPorts())
        QCOMPARE(m_cluster->cli(m_cluster->indexOfPort(port), {"SCRIPT", "FLUSH"}), QByteArray("OK"));

    // Every master answers NOSCRIPT once; each link reloads its own node's cache and retries.
    const RateLimitPolicy p = policy(Algorithm::TokenBucket, 50, 600'000);
    QSet<quint16> masters;
    for (const QByteArray &key : spreadKeys(30)) {
        masters.insert(m_cluster->masterOfSlot(RedisCluster::keySlot(key + ":flush")));
        const Decision d = acquireNow(store, key + ":flush", p);
        QCOMPARE(d.source, DecisionSource::Redis);
        QVERIFY(d.allowed);
    }
    QCOMPARE(masters.size(), 3);
    QCOMPARE(store.errorsTotal(), 0);
}

void tst_RedisCluster::masterFailureFallsBackThenReturnsToTheNewMaster()
{
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisSettings s = settings();
    s.poolSize = 2;
    RedisRateLimitStore store(s, memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);

    const QList<QByteArray> keys = spreadKeys(30);
    const quint16 victimPort = m_cluster->masterOfSlot(RedisCluster::keySlot(keys.first()));
    const int victim = m_cluster->indexOfPort(victimPort);
    QVERIFY(victim >= 0);
    QSet<QByteArray> victimKeys;
    for (const QByteArray &k : keys) {
        if (m_cluster->masterOfSlot(RedisCluster::keySlot(k)) == victimPort)
            victimKeys.insert(k);
    }

    int sent = 0;
    int answered = 0;
    int fromRedis = 0;
    int fromFallback = 0;
    int victimKeysFromRedis = 0;
    bool afterReturn = false;
    int victimKeysFromRedisAfterReturn = 0;
    QList<int> calls;
    const RateLimitPolicy p = policy(Algorithm::SlidingLog, 100'000, 60'000);
    QTimer pump;
    pump.setInterval(1);
    connect(&pump, &QTimer::timeout, this, [&] {
        for (int i = 0; i < 16; ++i) {
            const int id = sent++;
            calls.append(0);
            const QByteArray key = keys.at(id % keys.size());
            store.acquire(key, p, 1, [&, id, key](const Decision &d) {
                ++calls[id];
                ++answered;
                if (d.source == DecisionSource::Redis) {
                    ++fromRedis;
                    if (victimKeys.contains(key)) {
                        ++victimKeysFromRedis;
                        if (afterReturn)
                            ++victimKeysFromRedisAfterReturn;
                    }
                } else {
                    ++fromFallback;
                }
            });
        }
    });
    pump.start();
    QTRY_VERIFY_WITH_TIMEOUT(fromRedis > 500 && victimKeysFromRedis > 50, WaitMs);

    m_cluster->node(victim).kill();
    QTRY_VERIFY_WITH_TIMEOUT(!store.isConnected(), 2000);
    QCOMPARE(store.mode(), StoreMode::MemoryFallback);
    const int fallbackBefore = fromFallback;
    QTRY_VERIFY_WITH_TIMEOUT(fromFallback > fallbackBefore + 100, 2000);

    // A replica is promoted after cluster-node-timeout; the store finds it through the slot map.
    QElapsedTimer failover;
    failover.start();
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), 20000);
    afterReturn = true;
    QTRY_VERIFY_WITH_TIMEOUT(victimKeysFromRedisAfterReturn > 100, WaitMs);
    qInfo("decisions for the failed master's keys back in Redis %lld ms after the outage was seen", failover.elapsed());
    bool promotedListed = false;
    for (const RedisTopology::Node &n : store.topology().nodes) {
        QVERIFY(n.address != QStringLiteral("127.0.0.1:%1").arg(victimPort) || !n.master);
        promotedListed = promotedListed || (n.master && n.connected);
    }
    QVERIFY(promotedListed);

    pump.stop();
    QTRY_COMPARE_WITH_TIMEOUT(answered, sent, WaitMs);
    for (int i = 0; i < calls.size(); ++i)
        QVERIFY2(calls.at(i) == 1, qPrintable(QStringLiteral("call %1 answered %2 times").arg(i).arg(calls.at(i))));
}

QTEST_GUILESS_MAIN(tst_RedisCluster)
#include "tst_rediscluster.moc"
