#include "slidinglog.h"

#include <QRandomGenerator>
#include <QTest>

#include <vector>

namespace {

constexpr qint64 T0 = 1'700'000'000'000;

struct Admitted
{
    qint64 atMs;
    qint64 cost;
};

// Brute-force model of the exact log: the admitted requests themselves.
qint64 referenceUsed(const std::vector<Admitted> &admitted, qint64 windowMs, qint64 nowMs)
{
    qint64 used = 0;
    for (const Admitted &a : admitted) {
        if (a.atMs > nowMs - windowMs)
            used += a.cost;
    }
    return used;
}

// The earliest moment after nowMs at which `cost` fits, if nothing else arrives: usage only drops
// when some admitted entry reaches t + W, so only those moments need checking.
qint64 referenceRetryAt(const std::vector<Admitted> &admitted, qint64 limit, qint64 windowMs, qint64 cost,
                        qint64 nowMs)
{
    for (const Admitted &a : admitted) {
        const qint64 at = a.atMs + windowMs;
        if (at > nowMs && referenceUsed(admitted, windowMs, at) + cost <= limit)
            return at;
    }
    return -1;
}

} // namespace

class tst_SlidingLog : public QObject
{
    Q_OBJECT

private slots:
    void admitsUpToLimitThenDenies();
    void entryStopsCountingExactlyOneWindowLater();
    void retryAfterIsExact_data();
    void retryAfterIsExact();
    void denialWalksOldestEntriesUntilEnoughCostLeaves();
    void costAboveLimitIsImpossibleAndConsumesNothing();
    void costEqualToRemainingIsAdmitted();
    void resetIsNewestCountedEntryPlusWindow();
    void sameMillisecondAdmissionsShareOneEntry();
    void ringShrinksAfterABurstLeavesTheWindow();
    void copyIsIndependent();
    void matchesBruteForceReferenceOnRandomArrivals_data();
    void matchesBruteForceReferenceOnRandomArrivals();
};

void tst_SlidingLog::admitsUpToLimitThenDenies()
{
    SlidingLog log;
    for (int i = 0; i < 3; ++i) {
        const Decision d = log.acquire(3, 1000, 1, T0 + i);
        QVERIFY(d.allowed);
        QCOMPARE(d.limit, 3);
        QCOMPARE(d.remaining, 2 - i);
        QCOMPARE(d.retryAfterMs, 0);
        QCOMPARE(d.nowMs, T0 + i);
    }
    const Decision d = log.acquire(3, 1000, 1, T0 + 10);
    QVERIFY(!d.allowed);
    QVERIFY(!d.impossible);
    QCOMPARE(d.remaining, 0);
    QCOMPARE(d.retryAfterMs, 1000 - 10);
}

void tst_SlidingLog::entryStopsCountingExactlyOneWindowLater()
{
    SlidingLog log;
    QVERIFY(log.acquire(1, 1000, 1, T0).allowed);
    QVERIFY(!log.acquire(1, 1000, 1, T0 + 999).allowed);
    QCOMPARE(log.used(1000, T0 + 999), 1);
    QCOMPARE(log.used(1000, T0 + 1000), 0);
    QVERIFY(log.acquire(1, 1000, 1, T0 + 1000).allowed);
}

void tst_SlidingLog::retryAfterIsExact_data()
{
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<qint64>("windowMs");
    QTest::addColumn<QList<qint64>>("gaps"); // admitted requests of cost 1, gap before each
    QTest::addColumn<qint64>("cost");
    QTest::addColumn<qint64>("expectedRetryAfter");

    // Full at T0+30; the oldest leaves at T0+1000.
    QTest::addRow("one unit") << qint64(3) << qint64(1000) << QList<qint64>{0, 10, 20} << qint64(1) << qint64(1000 - 30);
    // Cost 2 needs the two oldest gone: the second leaves at T0+1010.
    QTest::addRow("two units") << qint64(3) << qint64(1000) << QList<qint64>{0, 10, 20} << qint64(2) << qint64(1010 - 30);
    // Cost 3 needs all three gone.
    QTest::addRow("whole limit") << qint64(3) << qint64(1000) << QList<qint64>{0, 10, 20} << qint64(3) << qint64(1030 - 30);
    QTest::addRow("one ms window") << qint64(1) << qint64(1) << QList<qint64>{0} << qint64(1) << qint64(1);
    QTest::addRow("one day window") << qint64(2) << qint64(86'400'000) << QList<qint64>{0, 5} << qint64(1)
                                    << qint64(86'400'000 - 5);
}

void tst_SlidingLog::retryAfterIsExact()
{
    QFETCH(qint64, limit);
    QFETCH(qint64, windowMs);
    QFETCH(QList<qint64>, gaps);
    QFETCH(qint64, cost);
    QFETCH(qint64, expectedRetryAfter);

    SlidingLog log;
    qint64 now = T0;
    for (qint64 gap : gaps) {
        now += gap;
        QVERIFY(log.acquire(limit, windowMs, 1, now).allowed);
    }
    const Decision denied = log.acquire(limit, windowMs, cost, now);
    QVERIFY(!denied.allowed);
    QCOMPARE(denied.retryAfterMs, expectedRetryAfter);

    SlidingLog early = log;
    QVERIFY(!early.acquire(limit, windowMs, cost, now + denied.retryAfterMs - 1).allowed);
    QVERIFY(log.acquire(limit, windowMs, cost, now + denied.retryAfterMs).allowed);
}

void tst_SlidingLog::denialWalksOldestEntriesUntilEnoughCostLeaves()
{
    SlidingLog log;
    QVERIFY(log.acquire(5, 1000, 2, T0).allowed);
    QVERIFY(log.acquire(5, 1000, 3, T0 + 100).allowed);
    // need = 5 + 3 - 5 = 3: the first entry (2) is not enough, the second brings 5 >= 3.
    const Decision d = log.acquire(5, 1000, 3, T0 + 200);
    QCOMPARE(d.retryAfterMs, T0 + 100 + 1000 - (T0 + 200));
    // need = 2: the first entry alone is enough.
    QCOMPARE(log.acquire(5, 1000, 2, T0 + 200).retryAfterMs, 1000 - 200);
}

void tst_SlidingLog::costAboveLimitIsImpossibleAndConsumesNothing()
{
    SlidingLog log;
    QVERIFY(log.acquire(5, 1000, 1, T0).allowed);
    const Decision d = log.acquire(5, 1000, 6, T0 + 1);
    QVERIFY(!d.allowed);
    QVERIFY(d.impossible);
    QCOMPARE(d.retryAfterMs, 0);
    QCOMPARE(d.remaining, 4);
    QCOMPARE(d.resetAtMs, T0 + 1000);
    QCOMPARE(log.used(1000, T0 + 1), 1);
}

void tst_SlidingLog::costEqualToRemainingIsAdmitted()
{
    SlidingLog log;
    QVERIFY(log.acquire(10, 1000, 4, T0).allowed);
    const Decision d = log.acquire(10, 1000, 6, T0 + 1);
    QVERIFY(d.allowed);
    QCOMPARE(d.remaining, 0);
    QVERIFY(!log.acquire(10, 1000, 1, T0 + 2).allowed);
}

void tst_SlidingLog::resetIsNewestCountedEntryPlusWindow()
{
    SlidingLog log;
    QCOMPARE(log.acquire(10, 1000, 1, T0).resetAtMs, T0 + 1000);
    QCOMPARE(log.acquire(10, 1000, 1, T0 + 300).resetAtMs, T0 + 1300);
    QCOMPARE(log.resetAtMs(1000, T0 + 1299), T0 + 1300);
    QCOMPARE(log.resetAtMs(1000, T0 + 1300), T0 + 1300);
    QCOMPARE(log.resetAtMs(1000, T0 + 1301), T0 + 1301);
}

void tst_SlidingLog::sameMillisecondAdmissionsShareOneEntry()
{
    SlidingLog log;
    for (int i = 0; i < 100; ++i)
        QVERIFY(log.acquire(100, 1000, 1, T0).allowed);
    QCOMPARE(log.entryCount(), 1);
    QCOMPARE(log.used(1000, T0), 100);
}

void tst_SlidingLog::ringShrinksAfterABurstLeavesTheWindow()
{
    SlidingLog log;
    for (int i = 0; i < 1000; ++i)
        QVERIFY(log.acquire(1000, 10'000, 1, T0 + i).allowed);
    QCOMPARE(log.entryCount(), 1000);
    const qint64 peak = log.allocatedBytes();
    QVERIFY(log.acquire(1000, 10'000, 1, T0 + 10'999).allowed);
    QCOMPARE(log.entryCount(), 1);
    QVERIFY2(log.allocatedBytes() < peak / 4, qPrintable(QString::number(log.allocatedBytes())));

    QVERIFY(log.acquire(1000, 10'000, 1, T0 + 30'000).allowed);
    QCOMPARE(log.entryCount(), 1);
    QCOMPARE(log.expiresAtMs(10'000), T0 + 40'000);
}

void tst_SlidingLog::copyIsIndependent()
{
    SlidingLog log;
    QVERIFY(log.acquire(2, 1000, 1, T0).allowed);
    SlidingLog copy = log;
    QVERIFY(copy.acquire(2, 1000, 1, T0).allowed);
    QCOMPARE(copy.used(1000, T0), 2);
    QCOMPARE(log.used(1000, T0), 1);
    SlidingLog moved = std::move(copy);
    QCOMPARE(moved.used(1000, T0), 2);
}

void tst_SlidingLog::matchesBruteForceReferenceOnRandomArrivals_data()
{
    QTest::addColumn<quint32>("seed");
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<qint64>("windowMs");
    QTest::addColumn<int>("maxCost");
    QTest::addColumn<int>("maxGap");

    QTest::addRow("dense unit cost") << 1u << qint64(10) << qint64(100) << 1 << 20;
    QTest::addRow("sparse unit cost") << 2u << qint64(5) << qint64(1000) << 1 << 400;
    QTest::addRow("weighted") << 3u << qint64(20) << qint64(500) << 6 << 60;
    QTest::addRow("bursty same ms") << 4u << qint64(50) << qint64(200) << 3 << 3;
    QTest::addRow("limit one") << 5u << qint64(1) << qint64(37) << 1 << 25;
    QTest::addRow("cost up to limit") << 6u << qint64(8) << qint64(300) << 9 << 50;
    QTest::addRow("one ms window") << 7u << qint64(3) << qint64(1) << 2 << 2;
}

void tst_SlidingLog::matchesBruteForceReferenceOnRandomArrivals()
{
    QFETCH(quint32, seed);
    QFETCH(qint64, limit);
    QFETCH(qint64, windowMs);
    QFETCH(int, maxCost);
    QFETCH(int, maxGap);

    QRandomGenerator rng(seed);
    SlidingLog log;
    std::vector<Admitted> admitted;
    qint64 now = T0;
    for (int i = 0; i < 3000; ++i) {
        now += rng.bounded(maxGap + 1);
        const qint64 cost = 1 + rng.bounded(maxCost);
        const qint64 used = referenceUsed(admitted, windowMs, now);
        const bool expectAllowed = cost <= limit && used + cost <= limit;

        const SlidingLog before = log;
        const Decision d = log.acquire(limit, windowMs, cost, now);
        QCOMPARE(d.allowed, expectAllowed);
        QCOMPARE(d.impossible, cost > limit);
        QVERIFY(d.remaining >= 0);
        if (d.allowed) {
            admitted.push_back({now, cost});
            QCOMPARE(d.remaining, limit - used - cost);
            QCOMPARE(d.resetAtMs, now + windowMs);
        } else {
            QCOMPARE(d.remaining, limit - used);
        }
        if (!d.allowed && !d.impossible) {
            QCOMPARE(now + d.retryAfterMs, referenceRetryAt(admitted, limit, windowMs, cost, now));
            SlidingLog early = before;
            QVERIFY(!early.acquire(limit, windowMs, cost, now + d.retryAfterMs - 1).allowed);
            SlidingLog onTime = before;
            QVERIFY(onTime.acquire(limit, windowMs, cost, now + d.retryAfterMs).allowed);
        }
        QCOMPARE(log.used(windowMs, now), referenceUsed(admitted, windowMs, now));
    }

    // Exhaustive: no interval [t, t + W) holds more than L admitted units. The maximum over all
    // intervals is reached with t at an admission, so those starts cover every interval.
    for (size_t i = 0; i < admitted.size(); ++i) {
        qint64 inWindow = 0;
        for (size_t j = i; j < admitted.size() && admitted[j].atMs < admitted[i].atMs + windowMs; ++j)
            inWindow += admitted[j].cost;
        QVERIFY2(inWindow <= limit, qPrintable(QStringLiteral("%1 units from t=%2").arg(inWindow).arg(admitted[i].atMs)));
    }
    QVERIFY(admitted.size() > 10);
}

QTEST_GUILESS_MAIN(tst_SlidingLog)
#include "tst_slidinglog.moc"
