#include "eventsmodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

class tst_EventsModel : public QObject
{
    Q_OBJECT

private slots:
    void keepsNewestFirstAndBounded()
    {
        EventsModel model(3);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QDateTime t0 = QDateTime::fromSecsSinceEpoch(1'700'000'000);
        for (int i = 0; i < 5; ++i)
            model.add(EventsModel::Severity::Info, QStringLiteral("event %1").arg(i), t0.addSecs(i));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.message(0), QStringLiteral("event 4"));
        QCOMPARE(model.message(2), QStringLiteral("event 2"));
        QCOMPARE(model.index(0, EventsModel::TimeColumn).data().toString(),
                 t0.addSecs(4).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    }

    void exposesSeverity()
    {
        EventsModel model;
        model.add(EventsModel::Severity::Error, QStringLiteral("down"));
        QCOMPARE(model.severity(0), EventsModel::Severity::Error);
        QCOMPARE(model.index(0, EventsModel::SeverityColumn).data().toString(), QStringLiteral("Error"));
        QCOMPARE(model.index(0, 0).data(EventsModel::SeverityRole).toInt(), int(EventsModel::Severity::Error));
    }
};

QTEST_MAIN(tst_EventsModel)
#include "tst_eventsmodel.moc"
