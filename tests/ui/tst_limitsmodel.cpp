#include "limitsmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

namespace {

AdminApi::EndpointRule rule(const QString &endpoint, qint64 requests, const QString &method = {})
{
    return AdminApi::EndpointRule{endpoint, method, requests, 60, QStringLiteral("sliding_log"), 0};
}

} // namespace

class tst_LimitsModel : public QObject
{
    Q_OBJECT

private slots:
    void passesTheModelTester()
    {
        LimitsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRules({rule("/a", 1), rule("/b", 2)});
        model.markSaving(rule("/c", 3));
        model.markRejected(QStringLiteral("/c"), QString(), QStringLiteral("requests: too many"));
        model.setRules({rule("/b", 5)});
        model.markSaving(rule("/b", 6));
        model.markStored(QStringLiteral("/b"), QString());
        model.setRules({});
        QCOMPARE(model.rowCount(), 1); // the rejected new rule stays for the operator to fix
        model.removeRule(QStringLiteral("/c"), QString());
    }

    void refreshKeepsRowsInPlace()
    {
        LimitsModel model;
        model.setRules({rule("/a", 1), rule("/b", 2), rule("/b", 3, QStringLiteral("POST"))});
        const QPersistentModelIndex post = model.index(2, 0);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setRules({rule("/b", 2), rule("/b", 30, QStringLiteral("POST"))});
        QCOMPARE(reset.size(), 0);
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(post.isValid());
        QCOMPARE(model.rule(post.row()).requests, 30);
        QCOMPARE(model.rowOf(QStringLiteral("/a"), QString()), -1);
    }

    void tracksSavingAndRejection()
    {
        LimitsModel model;
        model.setRules({rule("/a", 1)});
        model.markSaving(rule("/a", 10));
        QCOMPARE(model.rowState(0), LimitsModel::RowState::Saving);
        QCOMPARE(model.rule(0).requests, 10);
        model.markRejected(QStringLiteral("/a"), QString(), QStringLiteral("requests: must be between 1 and 100000"));
        QCOMPARE(model.rowState(0), LimitsModel::RowState::Rejected);
        QVERIFY(model.index(0, LimitsModel::StatusColumn).data().toString().contains(QLatin1String("must be between")));
        model.markSaving(rule("/a", 20));
        model.setRules({rule("/a", 10)}); // a snapshot from before the save does not overwrite it
        QCOMPARE(model.rowState(0), LimitsModel::RowState::Saving);
        QCOMPARE(model.rule(0).requests, 20);
        model.markStored(QStringLiteral("/a"), QString());
        model.setRules({rule("/a", 20)});
        QCOMPARE(model.rowState(0), LimitsModel::RowState::Stored);
        QCOMPARE(model.rule(0).requests, 20);
        model.removeRule(QStringLiteral("/a"), QString());
        QCOMPARE(model.rowCount(), 0);
    }

    void showsRulesReadably()
    {
        LimitsModel model;
        model.setRules({AdminApi::EndpointRule{QStringLiteral("/v1/images/*"), QString(), 1200, 3600,
                                               QStringLiteral("token_bucket"), 50}});
        QCOMPARE(model.index(0, LimitsModel::MethodColumn).data().toString(), QStringLiteral("any"));
        QCOMPARE(model.index(0, LimitsModel::WindowColumn).data().toString(), QStringLiteral("1h"));
        QCOMPARE(model.index(0, LimitsModel::AlgorithmColumn).data().toString(), QStringLiteral("Token bucket"));
        QCOMPARE(model.index(0, LimitsModel::BurstColumn).data().toString(), QLocale().toString(50));
    }

    void namesTheApiKeyDefaultAndTheKeyColumn()
    {
        LimitsModel model(LimitsModel::Subject::ApiKeys);
        model.setRules({rule("default", 600), rule("0123456789abcdef", 5)});
        QCOMPARE(model.headerData(LimitsModel::EndpointColumn, Qt::Horizontal).toString(), QStringLiteral("API key"));
        QVERIFY(model.index(0, LimitsModel::EndpointColumn).data().toString().startsWith(QLatin1String("default (")));
        QCOMPARE(model.index(1, LimitsModel::EndpointColumn).data().toString(), QStringLiteral("0123456789abcdef"));
        QCOMPARE(model.rule(0).endpoint, QStringLiteral("default")); // the API's id, whatever the display
    }
};

QTEST_MAIN(tst_LimitsModel)
#include "tst_limitsmodel.moc"
