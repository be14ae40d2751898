#include "violationsmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

namespace {

const QDateTime kStart = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, Qt::UTC);

AdminApi::Violation violation(int n, const QString &client = QStringLiteral("ip:10.0.0.1"), qint64 retryMs = 1500)
{
    AdminApi::Violation v;
    v.time = kStart.addMSecs(n);
    v.client = client;
    v.key = QStringLiteral("rate_limit:") + client;
    v.rule = QStringLiteral("default");
    v.limit = 60;
    v.retryAfterMs = retryMs;
    return v;
}

// What the service lists after violations 1..last: newest first, at most `limit`.
QList<AdminApi::Violation> answer(int last, int limit = 200)
{
    QList<AdminApi::Violation> list;
    for (int n = last; n >= 1 && list.size() < limit; --n)
        list.append(violation(n));
    return list;
}

} // namespace

class tst_ViolationsModel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QLocale::setDefault(QLocale::c()); // the expected texts use '.' as decimal point
    }

    void passesTheModelTester()
    {
        ViolationsModel model(5);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.update(answer(3), 3);
        model.update(answer(4), 4);
        model.update(answer(12, 4), 12);
        model.update(answer(2), 2); // restarted
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void insertsOnlyNewViolationsAtTheTop()
    {
        ViolationsModel model;
        QCOMPARE(model.update(answer(3), 3), 3);
        const QPersistentModelIndex oldest = model.index(2, ViolationsModel::TimeColumn);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QCOMPARE(model.update(answer(3), 3), 0); // nothing new: nothing signalled
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(model.update(answer(5), 5), 2);
        QCOMPARE(reset.size(), 0);
        QCOMPARE(changed.size(), 0);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 1);
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.violation(0).time, kStart.addMSecs(5));
        QCOMPARE(model.violation(4).time, kStart.addMSecs(1));
        QVERIFY(oldest.isValid());
        QCOMPARE(oldest.row(), 4);
        QCOMPARE(model.total(), 5);
        QCOMPARE(model.missed(), 0);
    }

    void staysWithinItsCapacity()
    {
        ViolationsModel model(4);
        model.update(answer(3), 3);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        model.update(answer(6), 6);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(removed.size(), 1); // the oldest two in one block
        QCOMPARE(model.violation(0).time, kStart.addMSecs(6));
        QCOMPARE(model.violation(3).time, kStart.addMSecs(3));
        model.update(answer(20), 20);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.violation(0).time, kStart.addMSecs(20));
    }

    void keepsABurstOfLookalikeViolationsApart()
    {
        // Three 429s of one key in the same millisecond look identical; two more arrive.
        ViolationsModel model;
        const AdminApi::Violation same = violation(7);
        model.update({same, same, same, violation(1)}, 4);
        QCOMPARE(model.update({same, same, same, same, same, violation(1)}, 6), 2);
        QCOMPARE(model.rowCount(), 6);
    }

    void countsViolationsThatArrivedFasterThanOneAnswerHolds()
    {
        ViolationsModel model;
        model.update(answer(3), 3);
        // 10 more arrived, but the answer holds only the newest 4 and no longer reaches the rows shown.
        QCOMPARE(model.update(answer(13, 4), 13), 4);
        QCOMPARE(model.missed(), 6);
        QCOMPARE(model.total(), 13);
        QCOMPARE(model.violation(3).time, kStart.addMSecs(10));
    }

    void startsAfreshWhenTheServiceRestarted()
    {
        ViolationsModel model;
        model.update(answer(5), 5);
        model.update({violation(100, QStringLiteral("ip:10.9.9.9"))}, 1);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.total(), 1);
        QCOMPARE(model.violation(0).client, QStringLiteral("ip:10.9.9.9"));
    }

    void showsAndSortsColumns_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QVariant>("sortValue");
        QTest::addRow("client") << int(ViolationsModel::ClientColumn) << QStringLiteral("api_key:k1") << QVariant(QStringLiteral("api_key:k1"));
        QTest::addRow("rule") << int(ViolationsModel::RuleColumn) << QStringLiteral("POST /v1/chat") << QVariant(QStringLiteral("POST /v1/chat"));
        QTest::addRow("limit") << int(ViolationsModel::LimitColumn) << QStringLiteral("60") << QVariant(qint64(60));
        QTest::addRow("retry") << int(ViolationsModel::RetryAfterColumn) << QStringLiteral("2.5 s") << QVariant(qint64(2500));
    }
    void showsAndSortsColumns()
    {
        QFETCH(int, column);
        QFETCH(QString, text);
        QFETCH(QVariant, sortValue);
        AdminApi::Violation v = violation(1, QStringLiteral("api_key:k1"), 2500);
        v.rule = QStringLiteral("endpoint POST /v1/chat");
        ViolationsModel model;
        model.update({v}, 1);
        const QModelIndex index = model.index(0, column);
        QCOMPARE(index.data().toString(), text);
        QCOMPARE(index.data(ViolationsModel::SortRole), sortValue);
    }

    void formatsRetryAfterAndTheDefaultRule_data()
    {
        QTest::addColumn<qint64>("retryMs");
        QTest::addColumn<QString>("text");
        QTest::addRow("ms") << qint64(250) << QStringLiteral("250 ms");
        QTest::addRow("s") << qint64(59'900) << QStringLiteral("59.9 s");
        QTest::addRow("min") << qint64(125'000) << QStringLiteral("2 min 5 s");
    }
    void formatsRetryAfterAndTheDefaultRule()
    {
        QFETCH(qint64, retryMs);
        QFETCH(QString, text);
        ViolationsModel model;
        model.update({violation(1, QStringLiteral("ip:10.0.0.1"), retryMs)}, 1);
        QCOMPARE(model.index(0, ViolationsModel::RetryAfterColumn).data().toString(), text);
        QCOMPARE(model.index(0, ViolationsModel::RuleColumn).data().toString(), QStringLiteral("default limit"));
        QCOMPARE(model.index(0, ViolationsModel::TimeColumn).data(ViolationsModel::SortRole).toLongLong(),
                 kStart.addMSecs(1).toMSecsSinceEpoch());
    }
};

QTEST_MAIN(tst_ViolationsModel)
#include "tst_violationsmodel.moc"
