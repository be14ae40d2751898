#include "timeseriesmodel.h"

#include <QSignalSpy>
#include <QTest>

class tst_TimeSeriesModel : public QObject
{
    Q_OBJECT

private slots:
    void keepsAtMostCapacitySamples()
    {
        TimeSeriesModel model(5, 1'000'000);
        for (int i = 0; i < 12; ++i)
            model.append({1000 + i * 1000, double(i), 0});
        QCOMPARE(model.size(), 5);
        QCOMPARE(model.capacity(), 5);
        QCOMPARE(model.at(0).allowedPerSecond, 7.0); // oldest kept
        QCOMPARE(model.latest().allowedPerSecond, 11.0);
        for (qsizetype i = 1; i < model.size(); ++i)
            QVERIFY(model.at(i - 1).timeMs < model.at(i).timeMs);
    }

    void dropsSamplesOlderThanTheSpan()
    {
        TimeSeriesModel model(1000, 5 * 60 * 1000);
        for (int i = 0; i <= 600; ++i) // ten minutes at one sample per second
            model.append({qint64(i) * 1000, 1, 0});
        QCOMPARE(model.size(), 301); // [300 s, 600 s]
        QCOMPARE(model.at(0).timeMs, 300'000);
        QCOMPARE(model.latest().timeMs, 600'000);
    }

    void aGapEmptiesAllButTheNewest()
    {
        TimeSeriesModel model(100, 10'000);
        for (int i = 0; i < 5; ++i)
            model.append({qint64(i) * 1000, 1, 0});
        model.append({60'000, 2, 0});
        QCOMPARE(model.size(), 1);
        QCOMPARE(model.latest().allowedPerSecond, 2.0);
    }

    void timeRunningBackwardsStartsAfresh()
    {
        TimeSeriesModel model(100, 60'000);
        QSignalSpy cleared(&model, &TimeSeriesModel::cleared);
        model.append({10'000, 1, 0});
        model.append({11'000, 2, 0});
        model.append({5'000, 3, 0});
        QCOMPARE(cleared.size(), 1);
        QCOMPARE(model.size(), 1);
        QCOMPARE(model.latest().allowedPerSecond, 3.0);
    }

    void maximumCoversBothSeries()
    {
        TimeSeriesModel model(10, 60'000);
        QCOMPARE(model.maximum(), 0.0);
        model.append({1000, 5, 9});
        model.append({2000, 7, 1});
        QCOMPARE(model.maximum(), 9.0);
    }

    void nearestFindsTheClosestSample_data()
    {
        QTest::addColumn<qint64>("time");
        QTest::addColumn<qint64>("expected");
        QTest::addRow("before all") << qint64(0) << qint64(1000);
        QTest::addRow("exact") << qint64(3000) << qint64(3000);
        QTest::addRow("closer to lower") << qint64(3400) << qint64(3000);
        QTest::addRow("closer to upper") << qint64(3600) << qint64(4000);
        QTest::addRow("after all") << qint64(99'000) << qint64(5000);
    }
    void nearestFindsTheClosestSample()
    {
        QFETCH(qint64, time);
        QFETCH(qint64, expected);
        TimeSeriesModel empty(3, 60'000);
        TimeSeriesModel wide(10, 60'000);
        for (int i = 1; i <= 5; ++i)
            wide.append({qint64(i) * 1000, double(i), 0});
        QVERIFY(wide.nearest(time));
        QCOMPARE(wide.nearest(time)->timeMs, expected);
        QVERIFY(!empty.nearest(time));
    }

    void pointsFollowTheRingOrder()
    {
        TimeSeriesModel model(3, 60'000);
        for (int i = 1; i <= 5; ++i)
            model.append({qint64(i) * 1000, double(i), double(i) / 10});
        const QList<QPointF> allowed = model.allowedPoints();
        const QList<QPointF> blocked = model.blockedPoints();
        QCOMPARE(allowed, (QList<QPointF>{{3000, 3}, {4000, 4}, {5000, 5}}));
        QCOMPARE(blocked.size(), 3);
        QCOMPARE(blocked.last(), QPointF(5000, 0.5));
    }

    void announcesEachSample()
    {
        TimeSeriesModel model(3, 60'000);
        QSignalSpy spy(&model, &TimeSeriesModel::sampleAppended);
        model.append({1000, 1, 0});
        model.append({2000, 1, 0});
        QCOMPARE(spy.size(), 2);
    }
};

QTEST_APPLESS_MAIN(tst_TimeSeriesModel)
#include "tst_timeseriesmodel.moc"
