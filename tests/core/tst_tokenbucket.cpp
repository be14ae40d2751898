#include "tokenbucket.h"

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

} // namespace

class tst_TokenBucket : public QObject
{
    Q_OBJECT

private slots:
    void freshBucketAdmitsBurstThenDenies_data();
    void freshBucketAdmitsBurstThenDenies();
    void refillsOneUnitPerEmissionInterval();
    void fractionalEmissionIntervalIsExact();
    void retryAfterIsExact_data();
    void retryAfterIsExact();
    void costAboveBurstIsImpossibleAndConsumesNothing();
    void costEqualToRemainingIsAdmitted();
    void resetIsWhenTheBucketIsFullAgain();
    void idleBucketCapsAtBurst();
    void staysWithinGcraBoundOnRandomArrivals_data();
    void staysWithinGcraBoundOnRandomArrivals();
    void longRunRateIsLimitPerWindow_data();
    void longRunRateIsLimitPerWindow();
};

void tst_TokenBucket::freshBucketAdmitsBurstThenDenies_data()
{
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<qint64>("burst");
    QTest::addRow("burst = limit") << qint64(10) << qint64(10);
    QTest::addRow("burst above limit") << qint64(10) << qint64(25);
    QTest::addRow("burst below limit") << qint64(10) << qint64(3);
}

void tst_TokenBucket::freshBucketAdmitsBurstThenDenies()
{
    QFETCH(qint64, limit);
    QFETCH(qint64, burst);
    TokenBucket b;
    for (qint64 i = 0; i < burst; ++i) {
        const Decision d = b.acquire(limit, 1000, burst, 1, T0);
        QVERIFY(d.allowed);
        QCOMPARE(d.limit, burst);
        QCOMPARE(d.remaining, burst - 1 - i);
    }
    const Decision d = b.acquire(limit, 1000, burst, 1, T0);
    QVERIFY(!d.allowed);
    QCOMPARE(d.remaining, 0);
    QCOMPARE(d.retryAfterMs, 1000 / limit);
}

void tst_TokenBucket::refillsOneUnitPerEmissionInterval()
{
    TokenBucket b;
    QVERIFY(b.acquire(10, 1000, 10, 10, T0).allowed);
    QVERIFY(!b.acquire(10, 1000, 10, 1, T0 + 99).allowed);
    QVERIFY(b.acquire(10, 1000, 10, 1, T0 + 100).allowed);
    QVERIFY(!b.acquire(10, 1000, 10, 1, T0 + 100).allowed);
    // Half a window refills five units.
    QVERIFY(b.acquire(10, 1000, 10, 5, T0 + 600).allowed);
    QVERIFY(!b.acquire(10, 1000, 10, 1, T0 + 600).allowed);
}

void tst_TokenBucket::fractionalEmissionIntervalIsExact()
{
    // 3 per second: one unit every 333.33 ms. Fixed point keeps the thirds, so units come back at
    // 333.33, 666.67 and 1000 ms after the burst, i.e. admitted at ceil: 334, 667, 1000.
    TokenBucket b;
    QVERIFY(b.acquire(3, 1000, 3, 3, T0).allowed);
    const qint64 expected[] = {334, 667, 1000};
    for (qint64 at : expected) {
        const Decision d = b.acquire(3, 1000, 3, 1, T0 + at - 1);
        QVERIFY(!d.allowed);
        QCOMPARE(d.retryAfterMs, 1);
        QVERIFY(b.acquire(3, 1000, 3, 1, T0 + at).allowed);
    }
    // Each admission moved TAT by exactly 1000/3 ms: no rounding drift after three of them.
    QCOMPARE(b.tatMs(), T0 + 2000);
    QCOMPARE(b.tatSub(), 0);
}

void tst_TokenBucket::retryAfterIsExact_data()
{
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<qint64>("windowMs");
    QTest::addColumn<qint64>("burst");
    QTest::addColumn<qint64>("firstCost");
    QTest::addColumn<qint64>("askCost");

    QTest::addRow("unit") << qint64(10) << qint64(1000) << qint64(10) << qint64(10) << qint64(1);
    QTest::addRow("weighted") << qint64(7) << qint64(1000) << qint64(7) << qint64(5) << qint64(4);
    QTest::addRow("whole burst") << qint64(7) << qint64(999) << qint64(12) << qint64(12) << qint64(12);
    QTest::addRow("fast rate") << qint64(100'000'000) << qint64(1000) << qint64(100'000'000) << qint64(100'000'000)
                               << qint64(200'000);
    QTest::addRow("slow rate") << qint64(1) << qint64(86'400'000) << qint64(1) << qint64(1) << qint64(1);
}

void tst_TokenBucket::retryAfterIsExact()
{
    QFETCH(qint64, limit);
    QFETCH(qint64, windowMs);
    QFETCH(qint64, burst);
    QFETCH(qint64, firstCost);
    QFETCH(qint64, askCost);

    TokenBucket b;
    QVERIFY(b.acquire(limit, windowMs, burst, firstCost, T0).allowed);
    const Decision d = b.acquire(limit, windowMs, burst, askCost, T0 + 1);
    QVERIFY(!d.allowed);
    QVERIFY(d.retryAfterMs > 0);
    TokenBucket early = b;
    QVERIFY(!early.acquire(limit, windowMs, burst, askCost, T0 + 1 + d.retryAfterMs - 1).allowed);
    QVERIFY(b.acquire(limit, windowMs, burst, askCost, T0 + 1 + d.retryAfterMs).allowed);
}

void tst_TokenBucket::costAboveBurstIsImpossibleAndConsumesNothing()
{
    TokenBucket b;
    QVERIFY(b.acquire(10, 1000, 5, 1, T0).allowed);
    const Decision d = b.acquire(10, 1000, 5, 6, T0);
    QVERIFY(!d.allowed);
    QVERIFY(d.impossible);
    QCOMPARE(d.retryAfterMs, 0);
    QCOMPARE(d.remaining, 4);
    QCOMPARE(d.limit, 5);
    QCOMPARE(b.used(10, 1000, T0), 1);
}

void tst_TokenBucket::costEqualToRemainingIsAdmitted()
{
    TokenBucket b;
    QVERIFY(b.acquire(10, 1000, 10, 4, T0).allowed);
    const Decision d = b.acquire(10, 1000, 10, 6, T0);
    QVERIFY(d.allowed);
    QCOMPARE(d.remaining, 0);
    QVERIFY(!b.acquire(10, 1000, 10, 1, T0).allowed);
}

void tst_TokenBucket::resetIsWhenTheBucketIsFullAgain()
{
    TokenBucket b;
    QCOMPARE(b.resetAtMs(3, T0), T0);
    // Two units at 3 per second: full again after 666.67 ms, reported as the next whole ms.
    const Decision d = b.acquire(3, 1000, 3, 2, T0);
    QCOMPARE(d.resetAtMs, T0 + 667);
    QCOMPARE(b.used(3, 1000, T0 + 333), 2);
    QCOMPARE(b.used(3, 1000, T0 + 334), 1);
    QCOMPARE(b.used(3, 1000, T0 + 667), 0);
    QCOMPARE(b.resetAtMs(3, T0 + 667), T0 + 667);
}

void tst_TokenBucket::idleBucketCapsAtBurst()
{
    TokenBucket b;
    QVERIFY(b.acquire(10, 1000, 4, 1, T0).allowed);
    // A long idle period does not bank more than the burst.
    const Decision d = b.acquire(10, 1000, 4, 4, T0 + 3'600'000);
    QVERIFY(d.allowed);
    QCOMPARE(d.remaining, 0);
    QVERIFY(!b.acquire(10, 1000, 4, 1, T0 + 3'600'000).allowed);
}

void tst_TokenBucket::staysWithinGcraBoundOnRandomArrivals_data()
{
    QTest::addColumn<quint32>("seed");
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<qint64>("windowMs");
    QTest::addColumn<qint64>("burst");
    QTest::addColumn<int>("maxCost");
    QTest::addColumn<int>("maxGap");

    QTest::addRow("unit dense") << 21u << qint64(10) << qint64(1000) << qint64(10) << 1 << 30;
    QTest::addRow("weighted") << 22u << qint64(7) << qint64(1000) << qint64(7) << 3 << 80;
    QTest::addRow("big burst") << 23u << qint64(5) << qint64(100) << qint64(40) << 4 << 10;
    QTest::addRow("small burst") << 24u << qint64(50) << qint64(1000) << qint64(2) << 2 << 15;
    QTest::addRow("odd window") << 25u << qint64(13) << qint64(997) << qint64(13) << 5 << 40;
    QTest::addRow("fast") << 26u << qint64(5000) << qint64(1000) << qint64(100) << 20 << 3;
}

void tst_TokenBucket::staysWithinGcraBoundOnRandomArrivals()
{
    QFETCH(quint32, seed);
    QFETCH(qint64, limit);
    QFETCH(qint64, windowMs);
    QFETCH(qint64, burst);
    QFETCH(int, maxCost);
    QFETCH(int, maxGap);

    QRandomGenerator rng(seed);
    TokenBucket bucket;
    std::vector<Admitted> admitted;
    qint64 now = T0;
    int denials = 0;
    for (int i = 0; i < 4000; ++i) {
        if (rng.bounded(3) != 0)
            now += rng.bounded(maxGap + 1);
        const qint64 cost = 1 + rng.bounded(maxCost);
        const TokenBucket before = bucket;
        const Decision d = bucket.acquire(limit, windowMs, burst, cost, now);
        QVERIFY(d.remaining >= 0 && d.remaining <= burst);
        QCOMPARE(d.impossible, cost > burst);
        QVERIFY(d.resetAtMs >= now);
        QVERIFY(bucket.tatSub() >= 0 && bucket.tatSub() < limit);
        if (d.allowed) {
            admitted.push_back({now, cost});
            QCOMPARE(d.remaining, burst - bucket.used(limit, windowMs, now));
        } else if (!d.impossible) {
            ++denials;
            TokenBucket early = before;
            QVERIFY2(!early.acquire(limit, windowMs, burst, cost, now + d.retryAfterMs - 1).allowed,
                     qPrintable(QStringLiteral("step %1").arg(i)));
            TokenBucket onTime = before;
            QVERIFY2(onTime.acquire(limit, windowMs, burst, cost, now + d.retryAfterMs).allowed,
                     qPrintable(QStringLiteral("step %1").arg(i)));
        }
    }
    QVERIFY(denials > 0);

    // GCRA bound: every closed interval [t_i, t_j] admits at most B + floor((t_j - t_i) * L / W).
    for (size_t i = 0; i < admitted.size(); ++i) {
        qint64 units = 0;
        for (size_t j = i; j < admitted.size(); ++j) {
            units += admitted[j].cost;
            const qint64 bound = burst + (admitted[j].atMs - admitted[i].atMs) * limit / windowMs;
            QVERIFY2(units <= bound, qPrintable(QStringLiteral("%1 > %2 in [%3, %4]")
                                                    .arg(units).arg(bound).arg(admitted[i].atMs).arg(admitted[j].atMs)));
        }
    }
}

void tst_TokenBucket::longRunRateIsLimitPerWindow_data()
{
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<qint64>("windowMs");
    QTest::addColumn<qint64>("burst");
    QTest::addRow("10/s") << qint64(10) << qint64(1000) << qint64(10);
    QTest::addRow("7/s burst 20") << qint64(7) << qint64(1000) << qint64(20);
    QTest::addRow("60/min") << qint64(60) << qint64(60'000) << qint64(60);
    // Burst 2, not 1: with B = 1 a client polling on whole milliseconds finds the bucket already
    // full and loses the fraction of the 332.33 ms interval each time (correct GCRA behaviour).
    QTest::addRow("3/997ms") << qint64(3) << qint64(997) << qint64(2);
}

void tst_TokenBucket::longRunRateIsLimitPerWindow()
{
    QFETCH(qint64, limit);
    QFETCH(qint64, windowMs);
    QFETCH(qint64, burst);

    // A client that retries every millisecond gets the burst, then exactly L per W.
    TokenBucket b;
    const qint64 duration = std::min<qint64>(100 * windowMs, 1'200'000);
    qint64 admitted = 0;
    for (qint64 t = 0; t <= duration; ++t) {
        while (b.acquire(limit, windowMs, burst, 1, T0 + t).allowed)
            ++admitted;
    }
    const qint64 expected = burst + duration * limit / windowMs;
    QCOMPARE(admitted, expected);
}

QTEST_GUILESS_MAIN(tst_TokenBucket)
#include "tst_tokenbucket.moc"
