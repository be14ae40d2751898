#include "ratelimitpolicy.h"

#include <QTest>

class tst_RateLimitPolicy : public QObject
{
    Q_OBJECT

private slots:
    void validatesRanges_data();
    void validatesRanges();
    void burstZeroMeansLimit();
    void algorithmNamesRoundTrip_data();
    void algorithmNamesRoundTrip();
    void unknownAlgorithmNameIsRejected();
};

void tst_RateLimitPolicy::validatesRanges_data()
{
    QTest::addColumn<RateLimitPolicy>("policy");
    QTest::addColumn<QString>("errorMentions"); // empty: valid

    const auto p = [](Algorithm a, qint64 limit, qint64 windowMs, qint64 burst = 0) {
        return RateLimitPolicy{a, limit, windowMs, burst};
    };
    QTest::addRow("default") << RateLimitPolicy{} << QString();
    QTest::addRow("smallest") << p(Algorithm::SlidingLog, 1, 1) << QString();
    QTest::addRow("log at its max") << p(Algorithm::SlidingLog, 100'000, 86'400'000) << QString();
    QTest::addRow("log above its max") << p(Algorithm::SlidingLog, 100'001, 1000) << QStringLiteral("limit");
    QTest::addRow("counter at max") << p(Algorithm::SlidingWindowCounter, 100'000'000, 86'400'000) << QString();
    QTest::addRow("counter above max") << p(Algorithm::SlidingWindowCounter, 100'000'001, 1000) << QStringLiteral("limit");
    QTest::addRow("bucket max burst") << p(Algorithm::TokenBucket, 10, 1000, 100'000'000) << QString();
    QTest::addRow("bucket burst too big") << p(Algorithm::TokenBucket, 10, 1000, 100'000'001) << QStringLiteral("burst");
    QTest::addRow("negative burst") << p(Algorithm::TokenBucket, 10, 1000, -1) << QStringLiteral("burst");
    QTest::addRow("zero limit") << p(Algorithm::TokenBucket, 0, 1000) << QStringLiteral("limit");
    QTest::addRow("negative limit") << p(Algorithm::SlidingWindowCounter, -5, 1000) << QStringLiteral("limit");
    QTest::addRow("zero window") << p(Algorithm::SlidingLog, 10, 0) << QStringLiteral("window");
    QTest::addRow("window above a day") << p(Algorithm::SlidingLog, 10, 86'400'001) << QStringLiteral("window");
}

void tst_RateLimitPolicy::validatesRanges()
{
    QFETCH(RateLimitPolicy, policy);
    QFETCH(QString, errorMentions);
    const QString error = policy.validate();
    if (errorMentions.isEmpty()) {
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(policy.isValid());
    } else {
        QVERIFY2(error.contains(errorMentions), qPrintable(error));
        QVERIFY(!policy.isValid());
    }
}

void tst_RateLimitPolicy::burstZeroMeansLimit()
{
    RateLimitPolicy p{Algorithm::TokenBucket, 42, 1000, 0};
    QCOMPARE(p.effectiveBurst(), 42);
    p.burst = 7;
    QCOMPARE(p.effectiveBurst(), 7);
}

void tst_RateLimitPolicy::algorithmNamesRoundTrip_data()
{
    QTest::addColumn<Algorithm>("algorithm");
    QTest::addColumn<QString>("name");
    QTest::addRow("log") << Algorithm::SlidingLog << QStringLiteral("sliding_log");
    QTest::addRow("counter") << Algorithm::SlidingWindowCounter << QStringLiteral("sliding_window_counter");
    QTest::addRow("bucket") << Algorithm::TokenBucket << QStringLiteral("token_bucket");
}

void tst_RateLimitPolicy::algorithmNamesRoundTrip()
{
    QFETCH(Algorithm, algorithm);
    QFETCH(QString, name);
    QCOMPARE(algorithmName(algorithm), name);
    QCOMPARE(algorithmFromName(name), std::optional<Algorithm>(algorithm));
}

void tst_RateLimitPolicy::unknownAlgorithmNameIsRejected()
{
    QVERIFY(!algorithmFromName(u"leaky_bucket").has_value());
    QVERIFY(!algorithmFromName(u"Sliding_Log").has_value());
    QVERIFY(!algorithmFromName(u"").has_value());
}

QTEST_GUILESS_MAIN(tst_RateLimitPolicy)
#include "tst_ratelimitpolicy.moc"
