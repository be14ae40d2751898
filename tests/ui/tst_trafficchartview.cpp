#include "timeseriesmodel.h"
#include "trafficchartview.h"

#include <QTest>
#include <QtCharts/QDateTimeAxis>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

class tst_TrafficChartView : public QObject
{
    Q_OBJECT

private:
    static QValueAxis *yAxis(TrafficChartView &view)
    {
        return qobject_cast<QValueAxis *>(view.chart()->axes(Qt::Vertical).constFirst());
    }
    static QDateTimeAxis *xAxis(TrafficChartView &view)
    {
        return qobject_cast<QDateTimeAxis *>(view.chart()->axes(Qt::Horizontal).constFirst());
    }

private slots:
    void niceCeilingRoundsUp_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<double>("expected");
        QTest::addRow("zero") << 0.0 << 10.0;
        QTest::addRow("small") << 3.0 << 10.0;
        QTest::addRow("13") << 13.0 << 20.0;
        QTest::addRow("180") << 180.0 << 200.0;
        QTest::addRow("420") << 420.0 << 500.0;
        QTest::addRow("exact 1000") << 1000.0 << 1000.0;
        QTest::addRow("5001") << 5001.0 << 10000.0;
    }
    void niceCeilingRoundsUp()
    {
        QFETCH(double, value);
        QFETCH(double, expected);
        QCOMPARE(TrafficChartView::niceCeiling(value), expected);
    }

    void axesFollowTheDataOncePerBatch()
    {
        TimeSeriesModel model(600, 5 * 60 * 1000);
        TrafficChartView view;
        view.resize(800, 400);
        view.setModel(&model);
        const qint64 t0 = 1'700'000'000'000;
        for (int i = 0; i < 400; ++i)
            model.append({t0 + i * 1000, 100.0 + i, 5});
        // Nothing is drawn until the batch is flushed on the event loop.
        auto *allowed = qobject_cast<QLineSeries *>(view.chart()->series().at(0));
        QCOMPARE(allowed->count(), 0);
        QTRY_COMPARE(allowed->count(), int(model.size()));
        QCOMPARE(xAxis(view)->max().toMSecsSinceEpoch(), t0 + 399 * 1000);
        QCOMPARE(xAxis(view)->min().toMSecsSinceEpoch(), t0 + 399 * 1000 - 5 * 60 * 1000);
        QCOMPARE(yAxis(view)->min(), 0.0);
        QCOMPARE(yAxis(view)->max(), 1000.0); // 499 * 1.1 rounded up
        QCOMPARE(yAxis(view)->tickCount(), 6);  // 0, 200, ..., 1000

        model.append({t0 + 400 * 1000, 2000, 5});
        QTRY_COMPARE(yAxis(view)->max(), 5000.0);
        model.append({t0 + 401 * 1000, 150, 5});
        model.append({t0 + 402 * 1000, 150, 5});
        QTRY_COMPARE(xAxis(view)->max().toMSecsSinceEpoch(), t0 + 402 * 1000);
    }

    void aFreshSessionSpansAtLeastAMinute()
    {
        TimeSeriesModel model(600, 5 * 60 * 1000);
        TrafficChartView view;
        view.setModel(&model);
        const qint64 t0 = 1'700'000'000'000;
        for (int i = 0; i < 10; ++i)
            model.append({t0 + i * 1000, 15, 0});
        QTRY_COMPARE(xAxis(view)->max().toMSecsSinceEpoch(), t0 + 9000);
        QCOMPARE(xAxis(view)->min().toMSecsSinceEpoch(), t0 + 9000 - 60 * 1000);
        QCOMPARE(yAxis(view)->max(), 20.0);
        QCOMPARE(yAxis(view)->tickCount(), 5); // 0, 5, 10, 15, 20
    }

    void hoverShowsTheNearestValues()
    {
        TimeSeriesModel model(600, 5 * 60 * 1000);
        TrafficChartView view;
        view.resize(800, 400);
        view.show();
        view.setModel(&model);
        const qint64 t0 = 1'700'000'000'000;
        for (int i = 0; i < 10; ++i)
            model.append({t0 + i * 1000, 10.0 * i, 1.5});
        QTRY_COMPARE(qobject_cast<QLineSeries *>(view.chart()->series().at(0))->count(), 10);
        view.showValuesAt(t0 + 4 * 1000 + 200);
        QVERIFY2(view.hoverText().contains(QLatin1String("40.0")), qPrintable(view.hoverText()));
        QVERIFY(view.hoverText().contains(QLatin1String("1.5")));

        // A real mouse move over the middle of the plot shows a read-out too.
        const QPointF middle = view.chart()->plotArea().center();
        QTest::mouseMove(view.viewport(), view.mapFromScene(view.chart()->mapToScene(middle)));
        QTRY_VERIFY(!view.hoverText().isEmpty());
    }
};

QTEST_MAIN(tst_TrafficChartView)
#include "tst_trafficchartview.moc"
