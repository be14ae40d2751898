#include "trafficrate.h"

#include <QTest>

class tst_TrafficRate : public QObject
{
    Q_OBJECT

private slots:
    void firstPollOnlySetsTheBaseline()
    {
        TrafficRate rate;
        QCOMPARE(rate.update(1000, 500, 20), TrafficRate::Outcome::Baseline);
        QVERIFY(!rate.rates());
    }

    void ratesComeFromCounterDeltas_data()
    {
        QTest::addColumn<qint64>("dtMs");
        QTest::addColumn<qint64>("dTotal");
        QTest::addColumn<qint64>("dBlocked");
        QTest::addColumn<double>("allowed");
        QTest::addColumn<double>("blocked");
        QTest::addRow("one second") << qint64(1000) << qint64(150) << qint64(30) << 120.0 << 30.0;
        QTest::addRow("half second") << qint64(500) << qint64(10) << qint64(0) << 20.0 << 0.0;
        QTest::addRow("idle") << qint64(2000) << qint64(0) << qint64(0) << 0.0 << 0.0;
        QTest::addRow("all blocked") << qint64(1000) << qint64(7) << qint64(7) << 0.0 << 7.0;
    }
    void ratesComeFromCounterDeltas()
    {
        QFETCH(qint64, dtMs);
        QFETCH(qint64, dTotal);
        QFETCH(qint64, dBlocked);
        QFETCH(double, allowed);
        QFETCH(double, blocked);
        TrafficRate rate;
        rate.update(10'000, 1000, 100);
        QCOMPARE(rate.update(10'000 + dtMs, 1000 + dTotal, 100 + dBlocked), TrafficRate::Outcome::Rate);
        QVERIFY(rate.rates());
        QCOMPARE(rate.rates()->allowedPerSecond, allowed);
        QCOMPARE(rate.rates()->blockedPerSecond, blocked);
    }

    void counterResetStartsANewBaseline()
    {
        TrafficRate rate;
        rate.update(1000, 5000, 50);
        rate.update(2000, 5100, 60);
        QVERIFY(rate.rates());
        // The service restarted: its counters start again from zero.
        QCOMPARE(rate.update(3000, 40, 2), TrafficRate::Outcome::CounterReset);
        QVERIFY(!rate.rates());
        QCOMPARE(rate.update(4000, 140, 12), TrafficRate::Outcome::Rate);
        QCOMPARE(rate.rates()->allowedPerSecond, 90.0);
        QCOMPARE(rate.rates()->blockedPerSecond, 10.0);
    }

    void blockedCounterGoingDownIsAlsoAReset()
    {
        TrafficRate rate;
        rate.update(1000, 100, 50);
        QCOMPARE(rate.update(2000, 200, 10), TrafficRate::Outcome::CounterReset);
    }

    void sameSnapshotTwiceGivesNoRate()
    {
        TrafficRate rate;
        rate.update(1000, 100, 5);
        QCOMPARE(rate.update(1000, 100, 5), TrafficRate::Outcome::Baseline);
        QVERIFY(!rate.rates());
    }
};

QTEST_APPLESS_MAIN(tst_TrafficRate)
#include "tst_trafficrate.moc"
