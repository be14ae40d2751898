#include "keyusagemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

namespace {

AdminApi::CurrentRate rate(const QString &client, qint64 count, qint64 limit = 100, qint64 reset = 1'000'060)
{
    AdminApi::CurrentRate r;
    r.key = QStringLiteral("rate_limit:ip:") + client;
    r.strategy = QStringLiteral("ip");
    r.client = client;
    r.currentCount = count;
    r.limit = limit;
    r.windowSeconds = 60;
    r.window = QStringLiteral("1m");
    r.resetTime = reset;
    r.algorithm = QStringLiteral("sliding_log");
    return r;
}

} // namespace

class tst_KeyUsageModel : public QObject
{
    Q_OBJECT

private slots:
    void passesTheModelTester()
    {
        KeyUsageModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.update({rate("a", 1), rate("b", 2), rate("c", 3)}, 1'000'000);
        model.update({rate("b", 5), rate("d", 1)}, 1'000'001);
        model.update({}, 1'000'002);
        model.update({rate("e", 9), rate("f", 9), rate("g", 9)}, 1'000'003);
        model.removeKey(QStringLiteral("rate_limit:ip:f"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void updatesRowsInPlaceWithoutReset()
    {
        KeyUsageModel model;
        model.update({rate("a", 1), rate("b", 2), rate("c", 3)}, 1'000'000);
        const QPersistentModelIndex b = model.index(model.rowOfKey(QStringLiteral("rate_limit:ip:b")), 0);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.update({rate("a", 1), rate("b", 7), rate("c", 3)}, 1'000'000);
        QCOMPARE(reset.size(), 0);
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(removed.size(), 0);
        QCOMPARE(changed.size(), 1); // only b's row
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), b.row());
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), b.row());
        QVERIFY(b.isValid());
        QCOMPARE(model.data(model.index(b.row(), KeyUsageModel::CountColumn), KeyUsageModel::SortRole).toLongLong(), 7);
    }

    void removesVanishedKeysAndAppendsNewOnes()
    {
        KeyUsageModel model;
        model.update({rate("a", 1), rate("b", 2), rate("c", 3), rate("d", 4)}, 1'000'000);
        const QPersistentModelIndex d = model.index(model.rowOfKey(QStringLiteral("rate_limit:ip:d")), 0);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.update({rate("d", 4), rate("e", 5), rate("f", 6)}, 1'000'000);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(removed.size(), 1); // a, b, c are one contiguous run
        QCOMPARE(inserted.size(), 1); // e and f in one block
        QVERIFY(d.isValid());
        QCOMPARE(d.data(KeyUsageModel::KeyRole).toString(), QStringLiteral("rate_limit:ip:d"));
        for (const char *client : {"d", "e", "f"}) {
            const int row = model.rowOfKey(QStringLiteral("rate_limit:ip:") + QLatin1String(client));
            QVERIFY(row >= 0);
            QCOMPARE(model.rate(row).client, QLatin1String(client));
        }
        QCOMPARE(model.rowOfKey(QStringLiteral("rate_limit:ip:a")), -1);
    }

    void countdownFollowsTheServiceClock()
    {
        KeyUsageModel model;
        model.update({rate("a", 1, 100, 1'000'090)}, 1'000'000);
        const QModelIndex reset = model.index(0, KeyUsageModel::ResetColumn);
        QCOMPARE(reset.data(KeyUsageModel::SortRole).toLongLong(), 90);
        QCOMPARE(reset.data().toString(), QStringLiteral("1 min 30 s"));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.update({rate("a", 1, 100, 1'000'090)}, 1'000'085);
        QCOMPARE(changed.size(), 1); // the countdown column only
        QCOMPARE(changed.at(0).at(0).toModelIndex().column(), int(KeyUsageModel::ResetColumn));
        QCOMPARE(reset.data().toString(), QStringLiteral("5 s"));
        model.update({rate("a", 1, 100, 1'000'090)}, 1'000'200);
        QCOMPARE(reset.data().toString(), QStringLiteral("now"));
    }

    void exposesUsageForTheBar_data()
    {
        QTest::addColumn<qint64>("count");
        QTest::addColumn<qint64>("limit");
        QTest::addColumn<double>("usage");
        QTest::addColumn<QString>("text");
        QTest::addRow("empty") << qint64(0) << qint64(60) << 0.0 << QStringLiteral("0 %");
        QTest::addRow("half") << qint64(30) << qint64(60) << 0.5 << QStringLiteral("50 %");
        QTest::addRow("full") << qint64(60) << qint64(60) << 1.0 << QStringLiteral("100 %");
        QTest::addRow("no limit") << qint64(5) << qint64(0) << 0.0 << QStringLiteral("0 %");
    }
    void exposesUsageForTheBar()
    {
        QFETCH(qint64, count);
        QFETCH(qint64, limit);
        QFETCH(double, usage);
        QFETCH(QString, text);
        KeyUsageModel model;
        model.update({rate("a", count, limit)}, 1'000'000);
        const QModelIndex index = model.index(0, KeyUsageModel::UsageColumn);
        QCOMPARE(index.data(KeyUsageModel::UsageRole).toDouble(), usage);
        QCOMPARE(index.data().toString(), text);
    }

    void handlesTenThousandKeysIncrementally()
    {
        KeyUsageModel model;
        QList<AdminApi::CurrentRate> rates;
        for (int i = 0; i < 10'000; ++i)
            rates.append(rate(QStringLiteral("10.0.%1.%2").arg(i / 256).arg(i % 256), i % 100));
        model.update(rates, 1'000'000);
        QCOMPARE(model.rowCount(), 10'000);
        for (int i = 0; i < 10'000; i += 10)
            rates[i].currentCount += 1;
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.update(rates, 1'000'000);
        QCOMPARE(reset.size(), 0);
        QCOMPARE(changed.size(), 1); // one span for the whole poll
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 0);
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 9990);
    }
};

QTEST_MAIN(tst_KeyUsageModel)
#include "tst_keyusagemodel.moc"
