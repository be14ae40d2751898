#include "manualclock.h"
#include "memoryratelimitstore.h"

#include <QTest>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

RateLimitPolicy policyFor(Algorithm algorithm, qint64 limit, qint64 windowMs, qint64 burst = 0)
{
    return RateLimitPolicy{algorithm, limit, windowMs, burst};
}

QByteArray keyNumber(qint64 i)
{
    return QByteArrayLiteral("rate_limit:ip:10.") + QByteArray::number(i);
}

void addAlgorithmRows()
{
    QTest::addColumn<Algorithm>("algorithm");
    QTest::addRow("sliding_log") << Algorithm::SlidingLog;
    QTest::addRow("sliding_window_counter") << Algorithm::SlidingWindowCounter;
    QTest::addRow("token_bucket") << Algorithm::TokenBucket;
}

} // namespace

class tst_MemoryRateLimitStore : public QObject
{
    Q_OBJECT

private slots:
    void admitsUpToLimitThenDenies_data() { addAlgorithmRows(); }
    void admitsUpToLimitThenDenies();
    void callsHandlerBeforeAcquireReturns();
    void keysAreIndependent();
    void clearForgetsKey();
    void clearOfUnknownKeyReportsNothingExisted();
    void costAboveLimitIsImpossibleAndConsumesNothing_data() { addAlgorithmRows(); }
    void costAboveLimitIsImpossibleAndConsumesNothing();
    void invalidPolicyOrCostIsDeniedWithoutTracking();
    void threadsHammeringOneKeyAdmitExactlyTheLimit_data() { addAlgorithmRows(); }
    void threadsHammeringOneKeyAdmitExactlyTheLimit();
    void manyDistinctKeysStayWithinTheCap();
    void sweepReclaimsExpiredKeysNeverSeenAgain_data() { addAlgorithmRows(); }
    void sweepReclaimsExpiredKeysNeverSeenAgain();
    void decisionsOnOtherKeysReclaimExpiredKeys();
    void sweepWorkIsBoundedByItsBudget();
    void sweepDoesNotReclaimLiveKeys_data() { addAlgorithmRows(); }
    void sweepDoesNotReclaimLiveKeys();
    void evictionKeepsRecentlyUsedKey();
    void evictionKeepsFrequentlyUsedKeyWithManyShards();
    void topKeysOrdersByUsageAndIsBounded();
    void topKeysSkipsIdleKeys();
    void usageReportsCountPolicyAndReset();
    void algorithmChangeRestartsKey();
    void limitChangeKeepsCountedUsage();
    void concurrentMixedUseStaysConsistent();
};

void tst_MemoryRateLimitStore::admitsUpToLimitThenDenies()
{
    QFETCH(Algorithm, algorithm);
    ManualClock clock;
    MemoryRateLimitStore store(clock);
    const RateLimitPolicy policy = policyFor(algorithm, 5, 1000);
    for (int i = 0; i < 5; ++i) {
        const Decision d = store.acquire("k", policy, 1);
        QVERIFY2(d.allowed, qPrintable(QString::number(i)));
        QCOMPARE(d.remaining, 4 - i);
        QCOMPARE(d.limit, 5);
        QCOMPARE(d.nowMs, clock.nowMs());
        QCOMPARE(d.source, DecisionSource::Memory);
    }
    const Decision denied = store.acquire("k", policy, 1);
    QVERIFY(!denied.allowed);
    QVERIFY(!denied.impossible);
    QCOMPARE(denied.remaining, 0);
    QVERIFY(denied.retryAfterMs > 0);
    clock.advance(std::chrono::milliseconds(denied.retryAfterMs));
    QVERIFY(store.acquire("k", policy, 1).allowed);
}

void tst_MemoryRateLimitStore::callsHandlerBeforeAcquireReturns()
{
    ManualClock clock;
    MemoryRateLimitStore store(clock);
    RateLimitStore &role = store;
    QCOMPARE(role.mode(), StoreMode::Memory);

    int calls = 0;
    Decision seen;
    role.acquire("k", policyFor(Algorithm::SlidingLog, 1, 1000), 1, [&](const Decision &d) {
        ++calls;
        seen = d;
    });
    QCOMPARE(calls, 1);
    QVERIFY(seen.allowed);

    int clears = 0;
    role.clear("k", [&](bool existed) {
        ++clears;
        QVERIFY(existed);
    });
    QCOMPARE(clears, 1);

    int tops = 0;
    role.topKeys(10, [&](const QList<KeyUsage> &keys) {
        ++tops;
        QVERIFY(keys.isEmpty());
    });
    QCOMPARE(tops, 1);
}

void tst_MemoryRateLimitStore::keysAreIndependent()
{
    ManualClock clock;
    MemoryRateLimitStore store(clock);
    const RateLimitPolicy policy = policyFor(Algorithm::SlidingLog, 1, 1000);
    QVERIFY(store.acquire("a", policy, 1).allowed);
    QVERIFY(!store.acquire("a", policy, 1).allowed);
    QVERIFY(store.acquire("b", policy, 1).allowed);
    QCOMPARE(store.trackedKeys(), 2);
}

void tst_MemoryRateLimitStore::clearForgetsKey()
{
    ManualClock clock;
    MemoryRateLimitStore store(clock);
    const RateLimitPolicy policy = policyFor(Algorithm::SlidingWindowCounter, 2, 60'000);
    QVERIFY(store.acquire("k", policy, 2).allowed);
    QVERIFY(!store.acquire("k", policy, 1).allowed);
    QVERIFY(store.clear("k"));
    QCOMPARE(store.trackedKeys(), 0);
    QVERIFY(!store.usage("k").has_value());
    QVERIFY(store.acquire("k", policy, 2).allowed);
}

void tst_MemoryRateLimitStore::clearOfUnknownKeyReportsNothingExisted()
{
    ManualClock clock;
    MemoryRateLimitStore store(clock);
    QVERIFY(!store.clear("never-seen"));
    bool existed = true;
    store.clear("never-seen", [&](bool e) { existed = e; });
    QVERIFY(!existed);
}

void tst_MemoryRateLimitStore::costAboveLimitIsImpossibleAndConsumesNothing()
{
    QFETCH(Algorithm, algorithm);
    ManualClock clock;
    MemoryRateLimitStore store(clock);
    const RateLimitPolicy policy = policyFor(algorithm, 4, 1000);
    QVERIFY(store.acquire("k", policy, 1).allowed);

    const Decision d = store.acquire("k", policy, 5);
    QVERIFY(!d.allowed);
    QVERIFY(d.impossible);
    QCOMPARE(d.retryAfterMs, 0);
    QCOMPARE(d.remaining, 3);

    // Nothing was consumed: the remaining 3 units still fit exactly.
    const Decision rest = store.acquire("k", policy, 3);
    QVERIFY(rest.allowed);
    QCOMPARE(rest.remaining, 0);

    // On an unknown key the answer is the same as for a fresh state, and the key is not tracked.
    const Decision fresh = store.acquire("other", policy, 5);
    QVERIFY(fresh.impossible);
    QCOMPARE(fresh.remaining, 4);
    QCOMPARE(fresh.resetAtMs, clock.nowMs());
    QCOMPARE(fresh.limit, 4);
    QVERIFY(!store.usage("other").has_value());
}

void tst_MemoryRateLimitStore::invalidPolicyOrCostIsDeniedWithoutTracking()
{
    ManualClock clock;
    MemoryRateLimitStore store(clock);
    const Decision zeroLimit = store.acquire("k", policyFor(Algorithm::TokenBucket, 0, 1000), 1);
    QVERIFY(!zeroLimit.allowed);
    QVERIFY(zeroLimit.impossible);
    const Decision hugeLog = store.acquire("k", policyFor(Algorithm::SlidingLog, 100'001, 1000), 1);
    QVERIFY(hugeLog.impossible);
    const Decision zeroCost = store.acquire("k", policyFor(Algorithm::SlidingLog, 10, 1000), 0);
    QVERIFY(zeroCost.impossible);
    const Decision negativeCost = store.acquire("k", policyFor(Algorithm::SlidingLog, 10, 1000), -3);
    QVERIFY(negativeCost.impossible);
    QCOMPARE(store.trackedKeys(), 0);
}

void tst_MemoryRateLimitStore::threadsHammeringOneKeyAdmitExactlyTheLimit()
{
    QFETCH(Algorithm, algorithm);
    ManualClock clock; // never moves: nothing may leak back into the window
    MemoryRateLimitStore store(clock);
    const RateLimitPolicy policy = policyFor(algorithm, 1000, 60'000);
    constexpr int Threads = 4;
    constexpr int AttemptsPerThread = 5000;

    std::atomic<int> admitted{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < Threads; ++t) {
        threads.emplace_back([&] {
            while (!go.load())
                std::this_thread::yield();
            for (int i = 0; i < AttemptsPerThread; ++i) {
                if (store.acquire("hot", policy, 1).allowed)
                    admitted.fetch_add(1);
            }
        });
    }
    go.store(true);
    for (std::thread &t : threads)
        t.join();
    QCOMPARE(admitted.load(), 1000);
    QCOMPARE(store.usage("hot")->count, 1000);
}

void tst_MemoryRateLimitStore::manyDistinctKeysStayWithinTheCap()
{
    ManualClock clock;
    MemoryRateLimitStoreOptions options;
    options.maxKeys = 100'000;
    MemoryRateLimitStore store(clock, options);
    const RateLimitPolicy policy = policyFor(Algorithm::TokenBucket, 10, 60'000);
    qint64 peak = 0;
    for (qint64 i = 0; i < 2'000'000; ++i) {
        QVERIFY(store.acquire(keyNumber(i), policy, 1).allowed);
        if (i % 10'000 == 0)
            peak = std::max(peak, store.trackedKeys());
    }
    peak = std::max(peak, store.trackedKeys());
    QVERIFY2(peak <= 100'000, qPrintable(QString::number(peak)));
    // Per-shard LRU starts evicting slightly early, but the cap is used almost fully.
    QVERIFY2(store.trackedKeys() >= 90'000, qPrintable(QString::number(store.trackedKeys())));
    QCOMPARE(store.evictedKeys(), 2'000'000 - store.trackedKeys());
    // The newest key is still tracked.
    QVERIFY(store.usage(keyNumber(1'999'999)).has_value());
}

void tst_MemoryRateLimitStore::sweepReclaimsExpiredKeysNeverSeenAgain()
{
    QFETCH(Algorithm, algorithm);
    ManualClock clock;
    MemoryRateLimitStore store(clock);
    const RateLimitPolicy policy = policyFor(algorithm, 10, 1000);
    for (int i = 0; i < 10'000; ++i)
        store.acquire(keyNumber(i), policy, 3);
    QCOMPARE(store.trackedKeys(), 10'000);

    // Until the quota is back to full the sweep must leave every key alone.
    const qint64 resetAt = store.usage(keyNumber(0))->resetAtMs;
    QVERIFY(resetAt > clock.nowMs());
    clock.setNowMs(resetAt - 1);
    QCOMPARE(store.sweep(1 << 30), 0);
    QCOMPARE(store.trackedKeys(), 10'000);

    clock.setNowMs(resetAt + 1);
    int reclaimed = 0;
    for (int round = 0; round < 1000 && store.trackedKeys() > 0; ++round)
        reclaimed += store.sweep(64);
    QCOMPARE(reclaimed, 10'000);
    QCOMPARE(store.trackedKeys(), 0);
    QCOMPARE(store.expiredKeys(), 10'000);
}

void tst_MemoryRateLimitStore::decisionsOnOtherKeysReclaimExpiredKeys()
{
    ManualClock clock;
    // Few shards, so that every shard surely gets its share of the decisions below (with 64 shards
    // and a random hash seed, an unlucky shard could see too few to finish a sweep pass).
    MemoryRateLimitStoreOptions options;
    options.shardCount = 4;
    MemoryRateLimitStore store(clock, options);
    const RateLimitPolicy policy = policyFor(Algorithm::SlidingLog, 10, 1000);
    for (int i = 0; i < 10'000; ++i)
        store.acquire(keyNumber(i), policy, 1);
    clock.advance(1000ms);

    // No sweep() call: the store's own decisions on 1,000 other keys must clear the old ones.
    for (int i = 0; i < 200'000; ++i)
        store.acquire("other:" + QByteArray::number(i % 1000), policyFor(Algorithm::TokenBucket, 1'000'000, 1000), 1);
    QCOMPARE(store.trackedKeys(), 1000);
    QVERIFY(!store.usage(keyNumber(0)).has_value());
}

void tst_MemoryRateLimitStore::sweepWorkIsBoundedByItsBudget()
{
    ManualClock clock;
    MemoryRateLimitStoreOptions options;
    options.shardCount = 1;
    MemoryRateLimitStore store(clock, options);
    const RateLimitPolicy policy = policyFor(Algorithm::SlidingWindowCounter, 10, 1000);
    for (int i = 0; i < 4096; ++i)
        store.acquire(keyNumber(i), policy, 1);
    clock.advance(2000ms);

    // One bucket slot per call: only the keys chained in that slot can go (a handful at load <= 1).
    int calls = 0;
    while (store.trackedKeys() > 0 && calls < 100'000) {
        QVERIFY(store.sweep(1) <= 16);
        ++calls;
    }
    QCOMPARE(store.trackedKeys(), 0);
    // One pass over the table (4096 keys at load factor <= 1 need at most 8192 slots).
    QVERIFY2(calls <= 8192, qPrintable(QString::number(calls)));
}

void tst_MemoryRateLimitStore::sweepDoesNotReclaimLiveKeys()
{
    QFETCH(Algorithm, algorithm);
    ManualClock clock(1'700'000'000'500);
    MemoryRateLimitStore store(clock);
    const RateLimitPolicy policy = policyFor(algorithm, 2, 1000);
    QVERIFY(store.acquire("k", policy, 2).allowed);
    QVERIFY(!store.acquire("k", policy, 1).allowed);
    clock.advance(200ms);
    store.sweep(1 << 30);
    QVERIFY(store.usage("k").has_value());
    QVERIFY(!store.acquire("k", policy, 1).allowed);
}

void tst_MemoryRateLimitStore::evictionKeepsRecentlyUsedKey()
{
    ManualClock clock;
    MemoryRateLimitStoreOptions options;
    options.maxKeys = 100;
    options.shardCount = 1; // one exact LRU order
    MemoryRateLimitStore store(clock, options);
    QCOMPARE(store.shardCount(), 1);
    const RateLimitPolicy policy = policyFor(Algorithm::SlidingWindowCounter, 1000, 60'000);
    store.acquire("cold", policy, 1);
    store.acquire("hot", policy, 1);
    for (int i = 0; i < 99; ++i)
        store.acquire(keyNumber(i), policy, 1);
    // 101 keys were seen with room for 100: the least recently used one ("cold") went first.
    QCOMPARE(store.trackedKeys(), 100);
    QVERIFY(!store.usage("cold").has_value());
    QVERIFY(store.usage("hot").has_value());

    // Touching "hot" keeps it at the front while 1,000 more keys pass through.
    // "hot" is now the least recently used key, so it is touched before the next new key arrives.
    for (int i = 100; i < 1100; ++i) {
        if (i % 50 == 0)
            store.acquire("hot", policy, 1);
        store.acquire(keyNumber(i), policy, 1);
    }
    QCOMPARE(store.trackedKeys(), 100);
    QVERIFY(store.usage("hot").has_value());
    QCOMPARE(store.usage("hot")->count, 1 + 1000 / 50);
    QVERIFY(!store.usage(keyNumber(0)).has_value());
}

void tst_MemoryRateLimitStore::evictionKeepsFrequentlyUsedKeyWithManyShards()
{
    ManualClock clock;
    MemoryRateLimitStoreOptions options;
    options.maxKeys = 6400;
    MemoryRateLimitStore store(clock, options);
    QCOMPARE(store.shardCount(), 64);
    const RateLimitPolicy policy = policyFor(Algorithm::TokenBucket, 1'000'000, 60'000);
    store.acquire("cold", policy, 1);
    for (int i = 0; i < 100'000; ++i) {
        store.acquire(keyNumber(i), policy, 1);
        if (i % 20 == 0)
            store.acquire("hot", policy, 1);
    }
    QVERIFY(store.trackedKeys() <= 6400);
    QVERIFY(store.usage("hot").has_value());
    QVERIFY(!store.usage("cold").has_value());
}

void tst_MemoryRateLimitStore::topKeysOrdersByUsageAndIsBounded()
{
    ManualClock clock;
    MemoryRateLimitStore store(clock);
    const RateLimitPolicy ten = policyFor(Algorithm::SlidingLog, 10, 60'000);
    const RateLimitPolicy hundred = policyFor(Algorithm::SlidingWindowCounter, 100, 60'000);
    store.acquire("a", ten, 2);     // 20 %
    store.acquire("b", ten, 9);     // 90 %
    store.acquire("c", hundred, 50); // 50 %
    store.acquire("d", hundred, 2);  // 2 %
    store.acquire("e", policyFor(Algorithm::TokenBucket, 10, 60'000), 7); // 70 %
    for (int i = 0; i < 1000; ++i)
        store.acquire(keyNumber(i), hundred, 1); // 1 % each

    const QList<KeyUsage> top = store.topKeys(3);
    QCOMPARE(top.size(), 3);
    QCOMPARE(top.at(0).key, QByteArray("b"));
    QCOMPARE(top.at(0).count, 9);
    QCOMPARE(top.at(0).policy, ten);
    QCOMPARE(top.at(1).key, QByteArray("e"));
    QCOMPARE(top.at(2).key, QByteArray("c"));
    QCOMPARE(top.at(2).count, 50);

    const QList<KeyUsage> five = store.topKeys(5);
    QCOMPARE(five.size(), 5);
    QCOMPARE(five.at(3).key, QByteArray("a"));
    QCOMPARE(five.at(4).key, QByteArray("d"));

    QCOMPARE(store.topKeys(100'000).size(), 1005);
    QVERIFY(store.topKeys(0).isEmpty());
    QVERIFY(store.topKeys(-1).isEmpty());
}

void tst_MemoryRateLimitStore::topKeysSkipsIdleKeys()
{
    ManualClock clock;
    MemoryRateLimitStore store(clock);
    store.acquire("old", policyFor(Algorithm::SlidingLog, 10, 1000), 1);
    clock.advance(1000ms);
    store.acquire("new", policyFor(Algorithm::SlidingLog, 10, 1000), 1);
    const QList<KeyUsage> top = store.topKeys(10);
    QCOMPARE(top.size(), 1);
    QCOMPARE(top.at(0).key, QByteArray("new"));
}

void tst_MemoryRateLimitStore::usageReportsCountPolicyAndReset()
{
    ManualClock clock(1'700'000'000'000);
    MemoryRateLimitStore store(clock);
    const RateLimitPolicy policy = policyFor(Algorithm::SlidingLog, 10, 60'000);
    store.acquire("k", policy, 3);
    clock.advance(1000ms);
    store.acquire("k", policy, 2);
    const std::optional<KeyUsage> u = store.usage("k");
    QVERIFY(u.has_value());
    QCOMPARE(u->key, QByteArray("k"));
    QCOMPARE(u->policy, policy);
    QCOMPARE(u->count, 5);
    QCOMPARE(u->resetAtMs, clock.nowMs() + 60'000);
    QCOMPARE(u->usage(), 0.5);

    clock.advance(59'000ms); // the first entry leaves the window
    QCOMPARE(store.usage("k")->count, 2);
    QVERIFY(!store.usage("missing").has_value());
}

void tst_MemoryRateLimitStore::algorithmChangeRestartsKey()
{
    ManualClock clock;
    MemoryRateLimitStore store(clock);
    const RateLimitPolicy log = policyFor(Algorithm::SlidingLog, 3, 60'000);
    const RateLimitPolicy counter = policyFor(Algorithm::SlidingWindowCounter, 3, 60'000);
    const RateLimitPolicy bucket = policyFor(Algorithm::TokenBucket, 3, 60'000);
    QVERIFY(store.acquire("k", log, 3).allowed);
    QVERIFY(!store.acquire("k", log, 1).allowed);

    const Decision fresh = store.acquire("k", counter, 1);
    QVERIFY(fresh.allowed);
    QCOMPARE(fresh.remaining, 2);
    QCOMPARE(store.usage("k")->policy, counter);
    QCOMPARE(store.usage("k")->count, 1);

    QVERIFY(store.acquire("k", bucket, 3).allowed);
    QVERIFY(!store.acquire("k", bucket, 1).allowed);
    QCOMPARE(store.usage("k")->count, 3);

    const Decision back = store.acquire("k", log, 2);
    QVERIFY(back.allowed);
    QCOMPARE(back.remaining, 1);
    QCOMPARE(store.trackedKeys(), 1);
}

void tst_MemoryRateLimitStore::limitChangeKeepsCountedUsage()
{
    ManualClock clock;
    MemoryRateLimitStore store(clock);
    QVERIFY(store.acquire("k", policyFor(Algorithm::SlidingLog, 3, 60'000), 3).allowed);
    const RateLimitPolicy raised = policyFor(Algorithm::SlidingLog, 5, 60'000);
    QVERIFY(store.acquire("k", raised, 2).allowed);
    QVERIFY(!store.acquire("k", raised, 1).allowed);
    // Lowering the limit below the usage denies without going negative.
    const Decision lowered = store.acquire("k", policyFor(Algorithm::SlidingLog, 2, 60'000), 1);
    QVERIFY(!lowered.allowed);
    QCOMPARE(lowered.remaining, 0);
    QVERIFY(lowered.retryAfterMs > 0);

    QVERIFY(store.acquire("t", policyFor(Algorithm::TokenBucket, 1000, 1000), 1000).allowed);
    const Decision bucketLowered = store.acquire("t", policyFor(Algorithm::TokenBucket, 7, 1000), 1);
    QVERIFY(!bucketLowered.allowed);
    QCOMPARE(bucketLowered.remaining, 0);
    QVERIFY(bucketLowered.retryAfterMs > 0);
}

void tst_MemoryRateLimitStore::concurrentMixedUseStaysConsistent()
{
    ManualClock clock;
    MemoryRateLimitStoreOptions options;
    options.maxKeys = 5000;
    MemoryRateLimitStore store(clock, options);
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    const Algorithm algorithms[] = {Algorithm::SlidingLog, Algorithm::SlidingWindowCounter, Algorithm::TokenBucket};
    for (int t = 0; t < 3; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 60'000; ++i) {
                const RateLimitPolicy policy = policyFor(algorithms[(i + t) % 3], 5 + i % 7, 100 + i % 50);
                const Decision d = store.acquire(keyNumber((i * 7 + t) % 20'000), policy, 1 + i % 3);
                if (d.remaining < 0 || d.retryAfterMs < 0)
                    stop.store(true);
                if (i % 1000 == 0)
                    clock.advance(7ms);
            }
        });
    }
    threads.emplace_back([&] {
        for (int i = 0; i < 300; ++i) {
            store.topKeys(20);
            store.sweep(256);
            store.clear(keyNumber(i));
            store.usage(keyNumber(i + 1));
        }
    });
    for (std::thread &t : threads)
        t.join();
    QVERIFY(!stop.load());
    QVERIFY(store.trackedKeys() <= 5000);
    QVERIFY(store.topKeys(100).size() <= 100);
}

QTEST_GUILESS_MAIN(tst_MemoryRateLimitStore)
#include "tst_memoryratelimitstore.moc"
