#include "acquirenow.h"
#include "decisionpump.h"
#include "manualclock.h"
#include "memoryratelimitstore.h"
#include "redisratelimitstore.h"
#include "redisserver.h"
#include "stalledredischeck.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <optional>

Q_DECLARE_METATYPE(RateLimitPolicy)

// RedisRateLimitStore against real redis-server processes.
//
// Time: the scripts read Redis' own clock, which a test cannot set. Instead of a test-only time
// override in the production scripts, every Redis decision reports the `now` it was made at, and
// the comparison tests replay the same arrivals into MemoryRateLimitStore with a ManualClock set to
// exactly those instants. Both must then agree bit for bit, whatever the real spacing was. The
// spacing (a few ms between some requests, with 40-60 ms windows) only makes sure that window
// rolls, expiries and retry boundaries actually occur; no assertion depends on how long it was.
class tst_RedisRateLimitStore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void decidesInRedisOnceConnected();
    void slidingLogFollowsTheBriefFormulas();
    void tokenBucketFollowsTheBriefFormulas();
    void slidingWindowCounterFollowsTheBriefFormulas();
    void impossibleCostIsDeniedWithoutConsuming_data();
    void impossibleCostIsDeniedWithoutConsuming();
    void matchesMemoryStoreOnSameArrivals_data();
    void matchesMemoryStoreOnSameArrivals();
    void startsFreshWhenKeyHoldsAnotherAlgorithm();
    void twoStoresAdmitExactlyTheLimitUnderConcurrentLoad_data();
    void twoStoresAdmitExactlyTheLimitUnderConcurrentLoad();
    void reloadsScriptsAfterScriptFlush();
    void clearDeletesTheKey();
    void topKeysReadsTheIndex();
    void commandReturnsOwnedReplies();
    void commandRefusesConnectionBreakingCommands();
    void invalidPolicyGoesToTheFallback();
    void answersCallsInFlightWhenDestroyed();
    void spreadsCallsOverThePool();

    void usesTheFallbackWhenRedisIsDownAtStart();
    void fallsBackWhenRedisIsKilledAndReturnsByItself();
    void commandTimeoutFallsBackWithinTheTimeout();
    void authenticatesAndSelectsTheDatabase();
    void wrongPasswordFallsBackWithAClearError();

private:
    RedisSettings settingsFor(const RedisServer &server) const;
    static void verifyEveryKeyHasTtl(const RedisServer &server, int db = 0, const QByteArray &password = {});
    static void verifyIndexCoversLiveKeys(const RedisServer &server);

    std::optional<RedisServer> m_server;
};

namespace {

constexpr int WaitMs = 5000;

RateLimitPolicy policy(Algorithm algorithm, qint64 limit, qint64 windowMs, qint64 burst = 0)
{
    RateLimitPolicy p;
    p.algorithm = algorithm;
    p.limit = limit;
    p.windowMs = windowMs;
    p.burst = burst;
    return p;
}

// Runs the event loop until `done` is true (or WaitMs passed). Unlike QTest::qWaitFor it does not
// sleep in 10 ms steps, so consecutive requests are spaced by the round trip only.
template <typename Predicate>
bool spinUntil(Predicate done)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > WaitMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 10);
    }
    return true;
}

RedisReplyValue commandNow(RedisRateLimitStore &store, const QList<QByteArray> &argv)
{
    std::optional<RedisReplyValue> result;
    store.command(argv, [&](const RedisReplyValue &v) { result = v; });
    if (!spinUntil([&] { return result.has_value(); }))
        qWarning("no reply within %d ms", WaitMs);
    return result.value_or(RedisReplyValue::noReply("test: no reply"));
}

QByteArray describe(const Decision &d)
{
    return QByteArrayLiteral("allowed=%1 limit=%2 remaining=%3 now=%4 resetAt=%5 retryAfter=%6 impossible=%7")
        .replace("%1", QByteArray::number(d.allowed))
        .replace("%2", QByteArray::number(d.limit))
        .replace("%3", QByteArray::number(d.remaining))
        .replace("%4", QByteArray::number(d.nowMs))
        .replace("%5", QByteArray::number(d.resetAtMs))
        .replace("%6", QByteArray::number(d.retryAfterMs))
        .replace("%7", QByteArray::number(d.impossible));
}

bool sameDecision(const Decision &a, const Decision &b)
{
    return a.allowed == b.allowed && a.limit == b.limit && a.remaining == b.remaining && a.nowMs == b.nowMs
        && a.resetAtMs == b.resetAtMs && a.retryAfterMs == b.retryAfterMs && a.impossible == b.impossible;
}

} // namespace

RedisSettings tst_RedisRateLimitStore::settingsFor(const RedisServer &server) const
{
    RedisSettings s;
    s.host = QStringLiteral("127.0.0.1");
    s.port = server.port();
    s.commandTimeoutMs = 2000; // generous: a loaded CI box must not turn replies into fallbacks
    return s;
}

void tst_RedisRateLimitStore::verifyEveryKeyHasTtl(const RedisServer &server, int db, const QByteArray &password)
{
    const QByteArray keys = server.cli({QStringLiteral("-n"), QString::number(db), QStringLiteral("--scan")}, password);
    for (const QByteArray &key : keys.split('\n')) {
        if (key.trimmed().isEmpty())
            continue;
        const qint64 pttl = server.cli({QStringLiteral("-n"), QString::number(db), QStringLiteral("PTTL"), QString::fromUtf8(key)}, password).toLongLong();
        // 0: expires within this millisecond; -2: expired since SCAN; -1 would live forever.
        QVERIFY2(pttl >= 0 || pttl == -2, qPrintable(QStringLiteral("key %1 has PTTL %2").arg(QString::fromUtf8(key)).arg(pttl)));
    }
}

// Every index member's score (an expiry bound) must be at or after its key's real expiry, or the
// index could trim a live key and topKeys() would miss it.
void tst_RedisRateLimitStore::verifyIndexCoversLiveKeys(const RedisServer &server)
{
    const QList<QByteArray> entries = server.cli({QStringLiteral("ZRANGE"), QStringLiteral("rate_limit:_index"), QStringLiteral("0"),
                                                  QStringLiteral("-1"), QStringLiteral("WITHSCORES")}).split('\n');
    for (qsizetype i = 0; i + 1 < entries.size(); i += 2) {
        const QByteArray member = entries.at(i);
        const qint64 score = entries.at(i + 1).toLongLong();
        qsizetype at = -1;
        for (int field = 0; field < 4; ++field)
            at = member.indexOf(':', at + 1);
        QVERIFY2(at > 0, member.constData());
        const QByteArray key = member.mid(at + 1);
        const QList<QByteArray> time = server.cli({QStringLiteral("TIME")}).split('\n');
        const qint64 nowMs = time.value(0).toLongLong() * 1000 + time.value(1).toLongLong() / 1000;
        const qint64 pttl = server.cli({QStringLiteral("PTTL"), QString::fromUtf8(key)}).toLongLong();
        if (pttl >= 0)
            QVERIFY2(score >= nowMs + pttl - 1, qPrintable(QStringLiteral("%1: score %2 < expiry %3").arg(QString::fromUtf8(member)).arg(score).arg(nowMs + pttl)));
    }
}

void tst_RedisRateLimitStore::initTestCase()
{
    m_server.emplace();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void tst_RedisRateLimitStore::init()
{
    QCOMPARE(m_server->cli({QStringLiteral("FLUSHALL")}), QByteArray("OK"));
}

void tst_RedisRateLimitStore::cleanup()
{
    verifyEveryKeyHasTtl(*m_server);
    verifyIndexCoversLiveKeys(*m_server);
}

void tst_RedisRateLimitStore::decidesInRedisOnceConnected()
{
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisRateLimitStore store(settingsFor(*m_server), memory);
    QSignalSpy modeSpy(&store, &RedisRateLimitStore::modeChanged);
    QSignalSpy connectedSpy(&store, &RedisRateLimitStore::connectedChanged);
    QCOMPARE(store.mode(), StoreMode::MemoryFallback);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);
    QCOMPARE(store.mode(), StoreMode::Redis);
    QCOMPARE(modeSpy.size(), 1);
    QCOMPARE(modeSpy.first().first().value<StoreMode>(), StoreMode::Redis);
    QCOMPARE(connectedSpy.size(), 1);
    QCOMPARE(connectedSpy.first().first().toBool(), true);
    QCOMPARE(store.poolSize(), 1);
    QCOMPARE(store.errorsTotal(), 0);

    const Decision d = acquireNow(store, "rate_limit:ip:10.0.0.1", policy(Algorithm::SlidingLog, 3, 60'000));
    QCOMPARE(d.source, DecisionSource::Redis);
    QVERIFY(d.allowed);
    QCOMPARE(d.remaining, 2);
    QCOMPARE(m_server->cli({QStringLiteral("ZCARD"), QStringLiteral("rate_limit:ip:10.0.0.1")}), QByteArray("1"));
    QVERIFY(!memory.usage("rate_limit:ip:10.0.0.1").has_value()); // the fallback was not consulted
}

void tst_RedisRateLimitStore::slidingLogFollowsTheBriefFormulas()
{
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisRateLimitStore store(settingsFor(*m_server), memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);
    const RateLimitPolicy p = policy(Algorithm::SlidingLog, 5, 60'000);

    const Decision first = acquireNow(store, "k", p, 2);
    QVERIFY(first.allowed);
    QCOMPARE(first.remaining, 3);
    QCOMPARE(first.resetAtMs, first.nowMs + 60'000);
    const Decision second = acquireNow(store, "k", p, 3);
    QVERIFY(second.allowed);
    QCOMPARE(second.remaining, 0);
    // used = 5, c = 2: need = 2, the walk stops at the first entry (cost 2).
    const Decision denied = acquireNow(store, "k", p, 2);
    QVERIFY(!denied.allowed);
    QVERIFY(!denied.impossible);
    QCOMPARE(denied.remaining, 0);
    QCOMPARE(denied.limit, 5);
    QCOMPARE(denied.retryAfterMs, first.nowMs + 60'000 - denied.nowMs);
    QCOMPARE(denied.resetAtMs, second.nowMs + 60'000);
    // need = 3: the first entry frees only 2, so the answer is the second entry's expiry.
    const Decision deniedMore = acquireNow(store, "k", p, 3);
    QCOMPARE(deniedMore.retryAfterMs, second.nowMs + 60'000 - deniedMore.nowMs);
    QCOMPARE(m_server->cli({QStringLiteral("ZCARD"), QStringLiteral("k")}), QByteArray("5")); // denials never consume
    const qint64 pttl = m_server->cli({QStringLiteral("PTTL"), QStringLiteral("k")}).toLongLong();
    QVERIFY2(pttl > 59'000 && pttl <= 60'000, qPrintable(QString::number(pttl)));
    // One member per cost unit, unique per request.
    const QList<QByteArray> members = m_server->cli({QStringLiteral("ZRANGE"), QStringLiteral("k"), QStringLiteral("0"), QStringLiteral("-1")}).split('\n');
    QCOMPARE(QSet<QByteArray>(members.cbegin(), members.cend()).size(), 5);
    QVERIFY(members.first().startsWith(store.instanceId() + ':'));
}

void tst_RedisRateLimitStore::tokenBucketFollowsTheBriefFormulas()
{
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisRateLimitStore store(settingsFor(*m_server), memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);
    // L = 3 per 60 s, B = 4: one unit moves TAT by 20 s.
    const RateLimitPolicy p = policy(Algorithm::TokenBucket, 3, 60'000, 4);
    const Decision a = acquireNow(store, "tb", p, 4);
    QVERIFY(a.allowed);
    QCOMPARE(a.limit, 4);
    QCOMPARE(a.remaining, 0);
    QCOMPARE(a.resetAtMs, a.nowMs + 80'000); // newDiff = 4*W = 240000 sub-units, / L = 80000 ms
    const Decision d = acquireNow(store, "tb", p, 1);
    QVERIFY(!d.allowed);
    // diff = (TAT - now) * L; newDiff - B*W = diff + W - 4W; retry = ceil(that / L).
    const qint64 tat = a.nowMs + 80'000;
    const qint64 diff = (tat - d.nowMs) * 3;
    QCOMPARE(d.retryAfterMs, (diff + 60'000 - 240'000 + 2) / 3);
    QCOMPARE(d.resetAtMs, d.nowMs + (diff + 2) / 3);
    QCOMPARE(d.remaining, (240'000 - diff) / 60'000);
    const qint64 pttl = m_server->cli({QStringLiteral("PTTL"), QStringLiteral("tb")}).toLongLong();
    QVERIFY2(pttl > 0 && pttl <= 80'001, qPrintable(QString::number(pttl)));
    QCOMPARE(m_server->cli({QStringLiteral("HGET"), QStringLiteral("tb"), QStringLiteral("tm")}), QByteArray::number(tat));
    QCOMPARE(m_server->cli({QStringLiteral("HGET"), QStringLiteral("tb"), QStringLiteral("ts")}), QByteArray("0"));
}

void tst_RedisRateLimitStore::slidingWindowCounterFollowsTheBriefFormulas()
{
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisRateLimitStore store(settingsFor(*m_server), memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);
    // A one-day window: all requests fall into the same aligned window (prev = 0).
    const RateLimitPolicy p = policy(Algorithm::SlidingWindowCounter, 4, 86'400'000);
    const Decision a = acquireNow(store, "swc", p, 3);
    QVERIFY(a.allowed);
    const qint64 start = a.nowMs - a.nowMs % 86'400'000;
    QCOMPARE(a.remaining, 1);
    QCOMPARE(a.resetAtMs, start + 2 * 86'400'000LL);
    const Decision d = acquireNow(store, "swc", p, 2);
    QVERIFY(!d.allowed);
    QCOMPARE(d.remaining, 1);
    // prev = 0: retry in the next window at s + W + max(0, W - floor((L - c) * W / curr)).
    const qint64 w = 86'400'000;
    QCOMPARE(d.retryAfterMs, start + w + qMax<qint64>(0, w - (4 - 2) * w / 3) - d.nowMs);
    QCOMPARE(m_server->cli({QStringLiteral("HGET"), QStringLiteral("swc"), QStringLiteral("s")}), QByteArray::number(start));
    QCOMPARE(m_server->cli({QStringLiteral("HGET"), QStringLiteral("swc"), QStringLiteral("curr")}), QByteArray("3"));
    const qint64 pttl = m_server->cli({QStringLiteral("PTTL"), QStringLiteral("swc")}).toLongLong();
    QVERIFY(pttl > 0 && pttl <= start + 2 * w - a.nowMs);
}

void tst_RedisRateLimitStore::impossibleCostIsDeniedWithoutConsuming_data()
{
    QTest::addColumn<RateLimitPolicy>("policy");
    QTest::addColumn<qint64>("cost");
    QTest::addRow("sliding log") << policy(Algorithm::SlidingLog, 5, 60'000) << qint64(6);
    QTest::addRow("sliding window counter") << policy(Algorithm::SlidingWindowCounter, 5, 60'000) << qint64(6);
    QTest::addRow("token bucket above burst") << policy(Algorithm::TokenBucket, 5, 60'000, 3) << qint64(4);
}

void tst_RedisRateLimitStore::impossibleCostIsDeniedWithoutConsuming()
{
    QFETCH(RateLimitPolicy, policy);
    QFETCH(qint64, cost);
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisRateLimitStore store(settingsFor(*m_server), memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);
    const Decision d = acquireNow(store, "imp", policy, cost);
    QCOMPARE(d.source, DecisionSource::Redis);
    QVERIFY(!d.allowed);
    QVERIFY(d.impossible);
    QCOMPARE(d.retryAfterMs, 0);
    QCOMPARE(d.remaining, policy.algorithm == Algorithm::TokenBucket ? policy.effectiveBurst() : policy.limit);
    QCOMPARE(m_server->cli({QStringLiteral("EXISTS"), QStringLiteral("imp")}), QByteArray("0"));
}

void tst_RedisRateLimitStore::matchesMemoryStoreOnSameArrivals_data()
{
    QTest::addColumn<RateLimitPolicy>("policy");
    QTest::addColumn<int>("requests");
    QTest::addColumn<int>("maxCost");
    QTest::addColumn<int>("maxGapMs");
    QTest::addColumn<quint32>("seed");
    // Short windows with gaps: rolls, expiries, partial refills and retry boundaries happen.
    QTest::addRow("log L10 W40 costs 1-3") << policy(Algorithm::SlidingLog, 10, 40) << 250 << 3 << 2 << 1u;
    QTest::addRow("log L3 W25 unit") << policy(Algorithm::SlidingLog, 3, 25) << 250 << 1 << 3 << 2u;
    QTest::addRow("counter L10 W40 costs 1-3") << policy(Algorithm::SlidingWindowCounter, 10, 40) << 250 << 3 << 2 << 3u;
    QTest::addRow("counter L7 W60 costs 1-8") << policy(Algorithm::SlidingWindowCounter, 7, 60) << 250 << 8 << 2 << 4u;
    QTest::addRow("bucket L10 W50 B15 costs 1-4") << policy(Algorithm::TokenBucket, 10, 50, 15) << 250 << 4 << 2 << 5u;
    QTest::addRow("bucket L3 W70 B1 (sub-ms TAT)") << policy(Algorithm::TokenBucket, 3, 70, 1) << 250 << 2 << 3 << 6u;
    QTest::addRow("bucket L7 W30 costs 1-9") << policy(Algorithm::TokenBucket, 7, 30) << 250 << 9 << 2 << 7u;
    // One long window: no time dependency at all, pure counting.
    QTest::addRow("log L50 W60s costs 1-5") << policy(Algorithm::SlidingLog, 50, 60'000) << 60 << 5 << 0 << 8u;
    QTest::addRow("counter L50 W1d costs 1-5") << policy(Algorithm::SlidingWindowCounter, 50, 86'400'000) << 60 << 5 << 0 << 9u;
    QTest::addRow("bucket L50 W60s costs 1-5") << policy(Algorithm::TokenBucket, 50, 60'000) << 60 << 5 << 0 << 10u;
}

void tst_RedisRateLimitStore::matchesMemoryStoreOnSameArrivals()
{
    QFETCH(RateLimitPolicy, policy);
    QFETCH(int, requests);
    QFETCH(int, maxCost);
    QFETCH(int, maxGapMs);
    QFETCH(quint32, seed);

    ManualClock unusedClock;
    MemoryRateLimitStore fallback(unusedClock);
    RedisRateLimitStore store(settingsFor(*m_server), fallback);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);

    QRandomGenerator random(seed);
    struct Arrival
    {
        qint64 cost;
        Decision redis;
    };
    QList<Arrival> arrivals;
    int admitted = 0;
    int denied = 0;
    int recoveries = 0; // admissions after a denial: time (not a reset) made room again
    bool lastDenied = false;
    for (int i = 0; i < requests; ++i) {
        const qint64 cost = 1 + random.bounded(maxCost);
        const Decision d = acquireNow(store, "rate_limit:ip:192.0.2.1", policy, cost);
        QCOMPARE(d.source, DecisionSource::Redis);
        arrivals.append({cost, d});
        (d.allowed ? admitted : denied) += 1;
        recoveries += (d.allowed && lastDenied) ? 1 : 0;
        if (!d.impossible)
            lastDenied = !d.allowed;
        if (maxGapMs > 0)
            QTest::qWait(random.bounded(maxGapMs + 1));
    }
    QVERIFY2(admitted > 0 && denied > 0, "the sequence should exercise both outcomes");
    if (maxGapMs > 0)
        QVERIFY2(recoveries >= 5, qPrintable(QStringLiteral("only %1 recoveries: windows did not move").arg(recoveries)));

    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    qint64 previousNow = 0;
    for (qsizetype i = 0; i < arrivals.size(); ++i) {
        const Arrival &a = arrivals.at(i);
        QVERIFY2(a.redis.nowMs >= previousNow, "Redis' clock went backwards");
        previousNow = a.redis.nowMs;
        clock.setNowMs(a.redis.nowMs);
        const Decision m = memory.acquire("rate_limit:ip:192.0.2.1", policy, a.cost);
        QVERIFY2(sameDecision(a.redis, m),
                 qPrintable(QStringLiteral("arrival %1 (cost %2)\n redis:  %3\n memory: %4")
                                .arg(i)
                                .arg(a.cost)
                                .arg(QString::fromLatin1(describe(a.redis)), QString::fromLatin1(describe(m)))));
    }
}

void tst_RedisRateLimitStore::startsFreshWhenKeyHoldsAnotherAlgorithm()
{
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisRateLimitStore store(settingsFor(*m_server), memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);
    const QByteArray key = "rate_limit:api_key:0123456789abcdef";
    const RateLimitPolicy log = policy(Algorithm::SlidingLog, 2, 60'000);
    const RateLimitPolicy counter = policy(Algorithm::SlidingWindowCounter, 2, 60'000);
    const RateLimitPolicy bucket = policy(Algorithm::TokenBucket, 2, 60'000);

    QVERIFY(acquireNow(store, key, log, 2).allowed);
    QVERIFY(!acquireNow(store, key, log).allowed);
    // ZSET -> HASH: the counter starts fresh instead of failing with WRONGTYPE.
    Decision d = acquireNow(store, key, counter, 2);
    QCOMPARE(d.source, DecisionSource::Redis);
    QVERIFY(d.allowed);
    QCOMPARE(m_server->cli({QStringLiteral("TYPE"), QString::fromLatin1(key)}), QByteArray("hash"));
    // Counter HASH -> bucket HASH: other fields, fresh again, and no stale fields left behind.
    d = acquireNow(store, key, bucket, 2);
    QVERIFY(d.allowed);
    QCOMPARE(m_server->cli({QStringLiteral("HLEN"), QString::fromLatin1(key)}), QByteArray("2"));
    // Bucket HASH -> log ZSET.
    d = acquireNow(store, key, log, 1);
    QVERIFY(d.allowed);
    QCOMPARE(d.remaining, 1);
    // A foreign string value (someone else's key) is replaced as well.
    m_server->cli({QStringLiteral("SET"), QStringLiteral("foreign"), QStringLiteral("x"), QStringLiteral("PX"), QStringLiteral("60000")});
    d = acquireNow(store, "foreign", counter);
    QCOMPARE(d.source, DecisionSource::Redis);
    QVERIFY(d.allowed);
    QCOMPARE(store.errorsTotal(), 0);
}

void tst_RedisRateLimitStore::twoStoresAdmitExactlyTheLimitUnderConcurrentLoad_data()
{
    QTest::addColumn<RateLimitPolicy>("policy");
    QTest::addColumn<qint64>("expected");
    QTest::addRow("sliding log") << policy(Algorithm::SlidingLog, 300, 600'000) << qint64(300);
    QTest::addRow("sliding window counter") << policy(Algorithm::SlidingWindowCounter, 300, 86'400'000) << qint64(300);
    QTest::addRow("token bucket") << policy(Algorithm::TokenBucket, 300, 600'000) << qint64(300);
}

void tst_RedisRateLimitStore::twoStoresAdmitExactlyTheLimitUnderConcurrentLoad()
{
    QFETCH(RateLimitPolicy, policy);
    QFETCH(qint64, expected);
    ManualClock clock;
    MemoryRateLimitStore memoryA(clock);
    MemoryRateLimitStore memoryB(clock);
    RedisSettings s = settingsFor(*m_server);
    s.poolSize = 3;
    RedisRateLimitStore a(s, memoryA);
    RedisRateLimitStore b(s, memoryB);
    QTRY_VERIFY_WITH_TIMEOUT(a.isConnected() && b.isConnected(), WaitMs);

    int answered = 0;
    int admitted = 0;
    int notRedis = 0;
    const int perStore = 1000;
    for (int i = 0; i < perStore; ++i) {
        for (RedisRateLimitStore *store : {&a, &b}) {
            store->acquire("rate_limit:endpoint:/api/x:ip:198.51.100.7", policy, 1, [&](const Decision &d) {
                ++answered;
                admitted += d.allowed ? 1 : 0;
                notRedis += d.source == DecisionSource::Redis ? 0 : 1;
            });
        }
    }
    QTRY_COMPARE_WITH_TIMEOUT(answered, 2 * perStore, WaitMs);
    QCOMPARE(notRedis, 0);
    QCOMPARE(admitted, expected);
}

void tst_RedisRateLimitStore::reloadsScriptsAfterScriptFlush()
{
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisRateLimitStore store(settingsFor(*m_server), memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);
    const RateLimitPolicy p = policy(Algorithm::TokenBucket, 10, 60'000);
    QCOMPARE(acquireNow(store, "nos", p).remaining, 9);
    QCOMPARE(m_server->cli({QStringLiteral("SCRIPT"), QStringLiteral("FLUSH")}), QByteArray("OK"));
    // Several calls in flight all hit NOSCRIPT; each is retried once after one reload.
    int answered = 0;
    QList<Decision> decisions;
    for (int i = 0; i < 5; ++i)
        store.acquire("nos", p, 1, [&](const Decision &d) {
            ++answered;
            decisions.append(d);
        });
    QTRY_COMPARE_WITH_TIMEOUT(answered, 5, WaitMs);
    for (const Decision &d : std::as_const(decisions))
        QCOMPARE(d.source, DecisionSource::Redis);
    QCOMPARE(decisions.last().remaining, 4);
    QCOMPARE(acquireNow(store, "nos", p).remaining, 3);
    QCOMPARE(store.errorsTotal(), 0);
}

void tst_RedisRateLimitStore::clearDeletesTheKey()
{
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisRateLimitStore store(settingsFor(*m_server), memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);
    const RateLimitPolicy p = policy(Algorithm::SlidingLog, 2, 60'000);
    acquireNow(store, "c", p, 2);
    QVERIFY(!acquireNow(store, "c", p).allowed);
    std::optional<bool> existed;
    store.clear("c", [&](bool e) { existed = e; });
    QTRY_VERIFY_WITH_TIMEOUT(existed.has_value(), WaitMs);
    QVERIFY(*existed);
    QVERIFY(acquireNow(store, "c", p).allowed);
    existed.reset();
    store.clear("never-seen", [&](bool e) { existed = e; });
    QTRY_VERIFY_WITH_TIMEOUT(existed.has_value(), WaitMs);
    QVERIFY(!*existed);
}

void tst_RedisRateLimitStore::topKeysReadsTheIndex()
{
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisSettings s = settingsFor(*m_server);
    s.keyPrefix = "rl:";
    RedisRateLimitStore store(s, memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);
    acquireNow(store, "rl:ip:a", policy(Algorithm::SlidingLog, 10, 60'000), 9);              // 90 %
    acquireNow(store, "rl:ip:b", policy(Algorithm::SlidingWindowCounter, 10, 86'400'000), 5); // 50 %
    acquireNow(store, "rl:ip:c", policy(Algorithm::TokenBucket, 10, 60'000), 7);             // 70 %
    acquireNow(store, "rl:ip:d", policy(Algorithm::TokenBucket, 100, 60'000), 1);            // 1 %
    acquireNow(store, "rl:ip:e", policy(Algorithm::SlidingLog, 10, 20), 1);                  // gone after 20 ms
    // Many more requests on a hot key do not add index members.
    for (int i = 0; i < 20; ++i)
        acquireNow(store, "rl:ip:d", policy(Algorithm::TokenBucket, 100, 60'000), 1);
    QCOMPARE(m_server->cli({QStringLiteral("ZCARD"), QStringLiteral("rl:_index")}), QByteArray("5"));
    // A member whose key has expired is trimmed when the index next grows.
    acquireNow(store, "rl:ip:f", policy(Algorithm::SlidingWindowCounter, 10, 20), 1); // score = s + 2W
    QCOMPARE(m_server->cli({QStringLiteral("ZCARD"), QStringLiteral("rl:_index")}), QByteArray("6"));
    QTest::qWait(50);
    acquireNow(store, "rl:ip:g", policy(Algorithm::SlidingLog, 1000, 60'000), 1);
    QCOMPARE(m_server->cli({QStringLiteral("ZSCORE"), QStringLiteral("rl:_index"), QStringLiteral("swc:10:20:0:rl:ip:f")}), QByteArray());
    QCOMPARE(m_server->cli({QStringLiteral("ZCARD"), QStringLiteral("rl:_index")}), QByteArray("6"));

    std::optional<QList<KeyUsage>> top;
    store.topKeys(3, [&](const QList<KeyUsage> &keys) { top = keys; });
    QTRY_VERIFY_WITH_TIMEOUT(top.has_value(), WaitMs);
    QCOMPARE(top->size(), 3);
    QCOMPARE(top->at(0).key, QByteArray("rl:ip:a"));
    QCOMPARE(top->at(0).count, 9);
    QCOMPARE(top->at(0).policy, policy(Algorithm::SlidingLog, 10, 60'000));
    QCOMPARE(top->at(1).key, QByteArray("rl:ip:c"));
    QCOMPARE(top->at(1).count, 7);
    QCOMPARE(top->at(2).key, QByteArray("rl:ip:b"));
    QCOMPARE(top->at(2).count, 5);
    QVERIFY(top->at(2).resetAtMs > 0);

    top.reset();
    store.topKeys(10, [&](const QList<KeyUsage> &keys) { top = keys; });
    QTRY_VERIFY_WITH_TIMEOUT(top.has_value(), WaitMs);
    QCOMPARE(top->size(), 5); // "e" and "f" have expired: count 0 is left out
    QCOMPARE(top->at(3).key, QByteArray("rl:ip:d"));
    QCOMPARE(top->at(3).count, 21);
    QCOMPARE(top->at(4).key, QByteArray("rl:ip:g"));
    // The index itself has a TTL above any member's remaining life (checked in cleanup() as well).
    QVERIFY(m_server->cli({QStringLiteral("PTTL"), QStringLiteral("rl:_index")}).toLongLong() > 86'400'000);
}

void tst_RedisRateLimitStore::commandReturnsOwnedReplies()
{
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisRateLimitStore store(settingsFor(*m_server), memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);

    RedisReplyValue v = commandNow(store, {"SET", "cfg", "v1", "PX", "60000"});
    QCOMPARE(v.type, RedisReplyValue::Type::Status);
    QCOMPARE(v.string, QByteArray("OK"));
    v = commandNow(store, {"GET", "cfg"});
    QCOMPARE(v.type, RedisReplyValue::Type::String);
    QCOMPARE(v.string, QByteArray("v1"));
    v = commandNow(store, {"GET", "missing"});
    QVERIFY(v.isNil());
    v = commandNow(store, {"HSET", "h", "a", "1", "b", "2"});
    QCOMPARE(v.type, RedisReplyValue::Type::Integer);
    QCOMPARE(v.integer, 2);
    commandNow(store, {"PEXPIRE", "h", "60000"});
    v = commandNow(store, {"HGETALL", "h"});
    QCOMPARE(v.type, RedisReplyValue::Type::Array);
    QCOMPARE(v.elements.size(), 4);
    v = commandNow(store, {"INCR", "cfg"});
    QCOMPARE(v.type, RedisReplyValue::Type::Error);
    QVERIFY(v.isError());
    QVERIFY(v.string.startsWith("ERR"));
    QCOMPARE(store.errorsTotal(), 0); // an error reply to a caller's command is the caller's business
}

void tst_RedisRateLimitStore::commandRefusesConnectionBreakingCommands()
{
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisRateLimitStore store(settingsFor(*m_server), memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);
    for (const char *name : {"subscribe", "SELECT", "BLPOP", "HELLO", "MULTI"}) {
        const RedisReplyValue v = commandNow(store, {name, "x", "0"});
        QCOMPARE(v.type, RedisReplyValue::Type::Error);
    }
    // The pooled connection still works afterwards.
    QCOMPARE(commandNow(store, {"PING"}).string, QByteArray("PONG"));
}

void tst_RedisRateLimitStore::invalidPolicyGoesToTheFallback()
{
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisRateLimitStore store(settingsFor(*m_server), memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);
    Decision d = acquireNow(store, "bad", policy(Algorithm::SlidingLog, 0, 1000));
    QVERIFY(!d.allowed);
    QVERIFY(d.impossible);
    QCOMPARE(d.source, DecisionSource::MemoryFallback);
    d = acquireNow(store, "bad", policy(Algorithm::SlidingLog, 5, 1000), 0);
    QVERIFY(d.impossible);
    QCOMPARE(m_server->cli({QStringLiteral("DBSIZE")}), QByteArray("0"));
}

void tst_RedisRateLimitStore::answersCallsInFlightWhenDestroyed()
{
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    int answered = 0;
    int fromFallback = 0;
    {
        RedisRateLimitStore store(settingsFor(*m_server), memory);
        QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);
        for (int i = 0; i < 100; ++i)
            store.acquire("d", policy(Algorithm::TokenBucket, 1000, 60'000), 1, [&](const Decision &d) {
                ++answered;
                fromFallback += d.source == DecisionSource::MemoryFallback ? 1 : 0;
            });
    }
    // Every handler ran exactly once: the calls still in flight were decided by the fallback.
    QCOMPARE(answered, 100);
    QCOMPARE(fromFallback, 100);
    QTest::qWait(20); // nothing arrives late
    QCOMPARE(answered, 100);
}

void tst_RedisRateLimitStore::spreadsCallsOverThePool()
{
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisSettings s = settingsFor(*m_server);
    s.poolSize = 3;
    RedisRateLimitStore store(s, memory);
    QCOMPARE(store.poolSize(), 3);
    auto clientLines = [&](const QByteArray &needle) {
        int n = 0;
        for (const QByteArray &line : m_server->cli({QStringLiteral("CLIENT"), QStringLiteral("LIST")}).split('\n'))
            n += line.contains(needle) ? 1 : 0;
        return n;
    };
    // Ready = the handshake's final PING answered on every link.
    QTRY_COMPARE_WITH_TIMEOUT(clientLines("cmd=ping"), 3, WaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);
    // One by one: the client may not have read the last PING reply yet when Redis shows it.
    for (int i = 0; i < 30; ++i)
        QCOMPARE(acquireNow(store, "pool", policy(Algorithm::SlidingWindowCounter, 1000, 60'000)).source, DecisionSource::Redis);
    QCOMPARE(clientLines("cmd=evalsha"), 3);
}

void tst_RedisRateLimitStore::usesTheFallbackWhenRedisIsDownAtStart()
{
    RedisServer down;
    QVERIFY2(down.start(), qPrintable(down.errorString()));
    const RedisSettings s = settingsFor(down);
    down.kill(); // a port that refuses connections

    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^Redis at 127\\.0\\.0\\.1:\\d+ unreachable: .*memory fallback"));
    RedisRateLimitStore store(s, memory);
    const RateLimitPolicy p = policy(Algorithm::SlidingLog, 2, 60'000);
    Decision d = acquireNow(store, "k", p);
    QCOMPARE(d.source, DecisionSource::MemoryFallback);
    QVERIFY(d.allowed);
    QCOMPARE(store.mode(), StoreMode::MemoryFallback);
    QTRY_VERIFY_WITH_TIMEOUT(store.errorsTotal() >= 2, WaitMs); // retrying, logged once
    QVERIFY(!store.lastError().isEmpty());
    QVERIFY(!store.isConnected());
    d = acquireNow(store, "k", p);
    QVERIFY(d.allowed);
    QVERIFY(!acquireNow(store, "k", p).allowed); // the fallback keeps exact state meanwhile
}

void tst_RedisRateLimitStore::fallsBackWhenRedisIsKilledAndReturnsByItself()
{
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisSettings s = settingsFor(server);
    s.poolSize = 2;
    s.commandTimeoutMs = 250;
    RedisRateLimitStore store(s, memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);
    QSignalSpy modes(&store, &RedisRateLimitStore::modeChanged);

    // A steady stream, 64 calls per tick, so calls are in flight when Redis dies.
    DecisionPump pump(store, policy(Algorithm::SlidingLog, 100'000, 60'000), "rate_limit:ip:", 50, 64);
    pump.start();
    QTRY_VERIFY_WITH_TIMEOUT(pump.fromRedis() > 500, WaitMs);

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^Redis at .* lost: .*memory fallback"));
    server.kill();
    QElapsedTimer outage;
    outage.start();
    QTRY_VERIFY_WITH_TIMEOUT(store.mode() == StoreMode::MemoryFallback, 1000);
    const int fallbackBefore = pump.fromFallback();
    QTRY_VERIFY_WITH_TIMEOUT(pump.fromFallback() > fallbackBefore + 100, 1000);
    QVERIFY2(outage.elapsed() < 1000, "decisions continue on the fallback within 1 s");
    QVERIFY(store.errorsTotal() > 0);
    QVERIFY(!store.lastError().isEmpty());
    QCOMPARE(modes.size(), 1);
    QCOMPARE(modes.last().first().value<StoreMode>(), StoreMode::MemoryFallback);

    pump.stop(); // restart() blocks this thread while redis-server starts
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    pump.start();
    QElapsedTimer back;
    back.start();
    const int redisBefore = pump.fromRedis();
    QTRY_VERIFY_WITH_TIMEOUT(store.mode() == StoreMode::Redis, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(pump.fromRedis() > redisBefore + 100, 5000);
    QVERIFY2(back.elapsed() < 5000, "decisions return to Redis within 5 s");
    QCOMPARE(modes.size(), 2);
    QCOMPARE(modes.last().first().value<StoreMode>(), StoreMode::Redis);

    pump.stop();
    QTRY_COMPARE_WITH_TIMEOUT(pump.answered(), pump.sent(), WaitMs);
    QCOMPARE(pump.firstCallNotAnsweredOnce(), -1);
    verifyEveryKeyHasTtl(server);
}

void tst_RedisRateLimitStore::commandTimeoutFallsBackWithinTheTimeout()
{
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisSettings s = settingsFor(server);
    s.commandTimeoutMs = 200;
    RedisRateLimitStore store(s, memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);

    // DEBUG SLEEP stalls Redis; the decision queued behind it on the same connection cannot be
    // answered in time.
    checkStalledRedisFallsBackWithinTheTimeout(store, policy(Algorithm::SlidingLog, 5, 60'000));
    verifyEveryKeyHasTtl(server);
}

void tst_RedisRateLimitStore::authenticatesAndSelectsTheDatabase()
{
    const QByteArray password = "s3cret-Pa55";
    RedisServer server({QStringLiteral("--requirepass"), QString::fromLatin1(password)});
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisSettings s = settingsFor(server);
    s.password = password;
    s.db = 3;
    s.poolSize = 2;
    RedisRateLimitStore store(s, memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);
    QCOMPARE(acquireNow(store, "rate_limit:ip:203.0.113.9", policy(Algorithm::TokenBucket, 5, 60'000)).source, DecisionSource::Redis);
    QCOMPARE(server.cli({QStringLiteral("-n"), QStringLiteral("3"), QStringLiteral("EXISTS"), QStringLiteral("rate_limit:ip:203.0.113.9")}, password), QByteArray("1"));
    QCOMPARE(server.cli({QStringLiteral("-n"), QStringLiteral("0"), QStringLiteral("DBSIZE")}, password), QByteArray("0"));
    verifyEveryKeyHasTtl(server, 3, password);
}

void tst_RedisRateLimitStore::wrongPasswordFallsBackWithAClearError()
{
    RedisServer server({QStringLiteral("--requirepass"), QStringLiteral("right-one")});
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ManualClock clock;
    MemoryRateLimitStore memory(clock);
    RedisSettings s = settingsFor(server);
    s.password = "wrong-one-XYZ";
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^Redis at .* unreachable: AUTH failed: WRONGPASS"));
    RedisRateLimitStore store(s, memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.errorsTotal() > 0, WaitMs);
    QVERIFY2(store.lastError().contains(QStringLiteral("WRONGPASS")), qPrintable(store.lastError()));
    QVERIFY(!store.lastError().contains(QStringLiteral("wrong-one-XYZ")));
    QCOMPARE(store.mode(), StoreMode::MemoryFallback);
    QCOMPARE(acquireNow(store, "k", policy(Algorithm::SlidingLog, 5, 60'000)).source, DecisionSource::MemoryFallback);

    // Without a password against a protected server: NOAUTH, also reported.
    s.password.clear();
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^Redis at .* unreachable: .*NOAUTH"));
    RedisRateLimitStore noPassword(s, memory);
    QTRY_VERIFY_WITH_TIMEOUT(noPassword.lastError().contains(QStringLiteral("NOAUTH")), WaitMs);
    QVERIFY(!noPassword.isConnected());
}

QTEST_GUILESS_MAIN(tst_RedisRateLimitStore)
#include "tst_redisratelimitstore.moc"
