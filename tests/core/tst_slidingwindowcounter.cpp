#include "slidingwindowcounter.h"

#include <QRandomGenerator>
#include <QTest>

#include <map>
#include <vector>

namespace {

// Aligned to every window used below, so window offsets read directly.
constexpr qint64 S = 1'700'000'000'000 - 1'700'000'000'000 % 86'400'000;

struct Admitted
{
    qint64 atMs;
    qint64 cost;
};

} // namespace

class tst_SlidingWindowCounter : public QObject
{
    Q_OBJECT

private slots:
    void admitsLimitInFreshWindowThenDenies();
    void previousWindowWeighsLinearly();
    void retryAfterLandsInCurrentWindowWhenPreviousFades();
    void retryAfterMovesToNextWindowWhenCurrentIsFull();
    void retryAfterIsExact_data();
    void retryAfterIsExact();
    void forgetsEverythingTwoWindowsLater();
    void costAboveLimitIsImpossibleAndConsumesNothing();
    void costEqualToRemainingIsAdmitted();
    void resetIsWhenEstimateReachesZero();
    void staysWithinErrorBoundOnRandomArrivals_data();
    void staysWithinErrorBoundOnRandomArrivals();
    void worstCaseBurstAtWindowEdgeStaysBelowTwiceTheLimit();
};

void tst_SlidingWindowCounter::admitsLimitInFreshWindowThenDenies()
{
    SlidingWindowCounter c;
    for (int i = 0; i < 10; ++i) {
        const Decision d = c.acquire(10, 1000, 1, S + 500);
        QVERIFY(d.allowed);
        QCOMPARE(d.remaining, 9 - i);
        QCOMPARE(d.limit, 10);
    }
    const Decision d = c.acquire(10, 1000, 1, S + 500);
    QVERIFY(!d.allowed);
    QCOMPARE(d.remaining, 0);
    QCOMPARE(c.current(), 10);
}

void tst_SlidingWindowCounter::previousWindowWeighsLinearly()
{
    SlidingWindowCounter c;
    QVERIFY(c.acquire(10, 1000, 10, S + 900).allowed);
    // Next window at e = 300: prev weighs 10 * 700 / 1000 = 7, so 3 more fit.
    const Decision first = c.acquire(10, 1000, 3, S + 1300);
    QVERIFY(first.allowed);
    QCOMPARE(first.remaining, 0);
    QCOMPARE(c.previous(), 10);
    QCOMPARE(c.current(), 3);
    QVERIFY(!c.acquire(10, 1000, 1, S + 1300).allowed);
    // At e = 400 prev weighs 6: one more fits.
    QVERIFY(c.acquire(10, 1000, 1, S + 1400).allowed);
    QCOMPARE(c.used(10, 1000, S + 1400), 10);
    QCOMPARE(c.used(10, 1000, S + 1500), 9);
}

void tst_SlidingWindowCounter::retryAfterLandsInCurrentWindowWhenPreviousFades()
{
    SlidingWindowCounter c;
    QVERIFY(c.acquire(10, 1000, 10, S + 10).allowed);
    // e = 0 of the next window: L - curr - c = 9, e' = 1000 - 9 * 1000 / 10 = 100.
    const Decision d = c.acquire(10, 1000, 1, S + 1000);
    QVERIFY(!d.allowed);
    QCOMPARE(d.retryAfterMs, 100);
    SlidingWindowCounter early = c;
    QVERIFY(!early.acquire(10, 1000, 1, S + 1099).allowed);
    QVERIFY(c.acquire(10, 1000, 1, S + 1100).allowed);
}

void tst_SlidingWindowCounter::retryAfterMovesToNextWindowWhenCurrentIsFull()
{
    SlidingWindowCounter c;
    QVERIFY(c.acquire(10, 1000, 10, S + 500).allowed);
    // curr = L: in the next window prev = 10 must weigh <= 9: e2 = 1000 - 9 * 1000 / 10 = 100.
    const Decision d = c.acquire(10, 1000, 1, S + 600);
    QVERIFY(!d.allowed);
    QCOMPARE(d.retryAfterMs, 1000 + 100 - 600);
    // A cost of the whole limit waits for the previous window to fade out entirely: S + 2W.
    QCOMPARE(c.acquire(10, 1000, 10, S + 600).retryAfterMs, 2000 - 600);
}

void tst_SlidingWindowCounter::retryAfterIsExact_data()
{
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<qint64>("windowMs");
    QTest::addColumn<qint64>("firstAt");
    QTest::addColumn<qint64>("firstCost");
    QTest::addColumn<qint64>("askAt");
    QTest::addColumn<qint64>("askCost");

    QTest::addRow("rounding in current window") << qint64(7) << qint64(1000) << qint64(3) << qint64(7) << qint64(1001) << qint64(2);
    QTest::addRow("rounding in next window") << qint64(7) << qint64(1000) << qint64(3) << qint64(6) << qint64(4) << qint64(3);
    QTest::addRow("odd window") << qint64(3) << qint64(997) << qint64(10) << qint64(3) << qint64(997 + 5) << qint64(1);
    QTest::addRow("one ms window") << qint64(2) << qint64(1) << qint64(0) << qint64(2) << qint64(0) << qint64(1);
    QTest::addRow("large numbers") << qint64(100'000'000) << qint64(86'400'000) << qint64(123) << qint64(99'999'999)
                                   << qint64(86'400'000 + 77) << qint64(50'000'000);
}

void tst_SlidingWindowCounter::retryAfterIsExact()
{
    QFETCH(qint64, limit);
    QFETCH(qint64, windowMs);
    QFETCH(qint64, firstAt);
    QFETCH(qint64, firstCost);
    QFETCH(qint64, askAt);
    QFETCH(qint64, askCost);

    SlidingWindowCounter c;
    QVERIFY(c.acquire(limit, windowMs, firstCost, S + firstAt).allowed);
    const Decision d = c.acquire(limit, windowMs, askCost, S + askAt);
    QVERIFY(!d.allowed);
    QVERIFY(d.retryAfterMs > 0);
    SlidingWindowCounter early = c;
    QVERIFY(!early.acquire(limit, windowMs, askCost, S + askAt + d.retryAfterMs - 1).allowed);
    QVERIFY(c.acquire(limit, windowMs, askCost, S + askAt + d.retryAfterMs).allowed);
}

void tst_SlidingWindowCounter::forgetsEverythingTwoWindowsLater()
{
    SlidingWindowCounter c;
    QVERIFY(c.acquire(5, 1000, 5, S + 999).allowed);
    QCOMPARE(c.expiresAtMs(1000), S + 2000);
    QVERIFY(c.used(5, 1000, S + 1999) > 0);
    QCOMPARE(c.used(5, 1000, S + 2000), 0);
    const Decision d = c.acquire(5, 1000, 5, S + 2000);
    QVERIFY(d.allowed);
    QCOMPARE(c.previous(), 0);
}

void tst_SlidingWindowCounter::costAboveLimitIsImpossibleAndConsumesNothing()
{
    SlidingWindowCounter c;
    QVERIFY(c.acquire(5, 1000, 2, S).allowed);
    const Decision d = c.acquire(5, 1000, 6, S + 1);
    QVERIFY(!d.allowed);
    QVERIFY(d.impossible);
    QCOMPARE(d.retryAfterMs, 0);
    QCOMPARE(d.remaining, 3);
    QCOMPARE(c.current(), 2);
}

void tst_SlidingWindowCounter::costEqualToRemainingIsAdmitted()
{
    SlidingWindowCounter c;
    QVERIFY(c.acquire(10, 1000, 10, S + 500).allowed);
    // e = 500 in the next window: prev weighs 5, remaining 5.
    const Decision probe = c.acquire(10, 1000, 6, S + 1500);
    QVERIFY(!probe.allowed);
    QCOMPARE(probe.remaining, 5);
    const Decision d = c.acquire(10, 1000, 5, S + 1500);
    QVERIFY(d.allowed);
    QCOMPARE(d.remaining, 0);
}

void tst_SlidingWindowCounter::resetIsWhenEstimateReachesZero()
{
    SlidingWindowCounter c;
    QCOMPARE(c.resetAtMs(1000, S + 5), S + 5);
    QCOMPARE(c.acquire(10, 1000, 1, S + 5).resetAtMs, S + 2000);
    QCOMPARE(c.resetAtMs(1000, S + 1500), S + 2000); // only prev left: gone at the end of this window
    QCOMPARE(c.resetAtMs(1000, S + 2500), S + 2500);
}

void tst_SlidingWindowCounter::staysWithinErrorBoundOnRandomArrivals_data()
{
    QTest::addColumn<quint32>("seed");
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<qint64>("windowMs");
    QTest::addColumn<int>("maxCost");
    QTest::addColumn<int>("maxGap");

    QTest::addRow("dense") << 11u << qint64(10) << qint64(100) << 1 << 5;
    QTest::addRow("bursty") << 12u << qint64(30) << qint64(1000) << 4 << 40;
    QTest::addRow("sparse") << 13u << qint64(5) << qint64(250) << 2 << 150;
    QTest::addRow("limit one") << 14u << qint64(1) << qint64(50) << 1 << 30;
    QTest::addRow("odd window") << 15u << qint64(17) << qint64(333) << 5 << 20;
    QTest::addRow("one ms window") << 16u << qint64(4) << qint64(1) << 3 << 2;
}

void tst_SlidingWindowCounter::staysWithinErrorBoundOnRandomArrivals()
{
    QFETCH(quint32, seed);
    QFETCH(qint64, limit);
    QFETCH(qint64, windowMs);
    QFETCH(int, maxCost);
    QFETCH(int, maxGap);

    QRandomGenerator rng(seed);
    SlidingWindowCounter counter;
    std::vector<Admitted> admitted;
    qint64 now = S + rng.bounded(int(windowMs));
    int denials = 0;
    for (int i = 0; i < 5000; ++i) {
        // Occasional bursts: several requests in the same millisecond.
        if (rng.bounded(4) != 0)
            now += rng.bounded(maxGap + 1);
        const qint64 cost = 1 + rng.bounded(maxCost);
        const SlidingWindowCounter before = counter;
        const Decision d = counter.acquire(limit, windowMs, cost, now);
        QVERIFY(d.remaining >= 0);
        QVERIFY(d.remaining <= limit);
        QCOMPARE(d.impossible, cost > limit);
        if (d.allowed) {
            admitted.push_back({now, cost});
            QCOMPARE(d.retryAfterMs, 0);
        } else if (!d.impossible) {
            ++denials;
            QVERIFY(d.retryAfterMs >= 1);
            SlidingWindowCounter early = before;
            QVERIFY2(!early.acquire(limit, windowMs, cost, now + d.retryAfterMs - 1).allowed,
                     qPrintable(QStringLiteral("step %1").arg(i)));
            SlidingWindowCounter onTime = before;
            QVERIFY2(onTime.acquire(limit, windowMs, cost, now + d.retryAfterMs).allowed,
                     qPrintable(QStringLiteral("step %1").arg(i)));
        }
    }
    QVERIFY(denials > 0);

    // Every aligned window holds at most L.
    std::map<qint64, qint64> perWindow;
    for (const Admitted &a : admitted)
        perWindow[a.atMs - a.atMs % windowMs] += a.cost;
    for (const auto &[start, units] : perWindow)
        QVERIFY2(units <= limit, qPrintable(QStringLiteral("%1 units in window %2").arg(units).arg(start)));

    // Every interval [t, t + W) holds strictly fewer than 2L.
    for (size_t i = 0; i < admitted.size(); ++i) {
        qint64 units = 0;
        for (size_t j = i; j < admitted.size() && admitted[j].atMs < admitted[i].atMs + windowMs; ++j)
            units += admitted[j].cost;
        QVERIFY2(units < 2 * limit, qPrintable(QStringLiteral("%1 units from t=%2").arg(units).arg(admitted[i].atMs)));
    }
}

void tst_SlidingWindowCounter::worstCaseBurstAtWindowEdgeStaysBelowTwiceTheLimit()
{
    // The documented error: L at the very end of one window and almost L again early in the next.
    const qint64 limit = 100;
    SlidingWindowCounter c;
    QVERIFY(c.acquire(limit, 1000, limit, S + 999).allowed);
    qint64 admittedNext = 0;
    for (qint64 t = S + 1000; t < S + 1999; ++t) {
        while (c.acquire(limit, 1000, 1, t).allowed)
            ++admittedNext;
    }
    // Within [S + 999, S + 1999) the burst plus the next window's admissions stay below 2L.
    QVERIFY(limit + admittedNext < 2 * limit);
    QVERIFY(admittedNext > 0);
}

QTEST_GUILESS_MAIN(tst_SlidingWindowCounter)
#include "tst_slidingwindowcounter.moc"
