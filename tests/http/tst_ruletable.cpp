// RuleTable: which rule a request falls under, and the storage key part it gets.

#include "ruletable.h"

#include <QTest>

namespace {

EndpointLimitRule rule(const QString &endpoint, const QByteArray &method, qint64 limit)
{
    return EndpointLimitRule{endpoint, method, RateLimitPolicy{Algorithm::SlidingLog, limit, 60'000, 0}};
}

} // namespace

class tst_RuleTable : public QObject
{
    Q_OBJECT

private slots:
    void picksTheMostSpecificRule_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<qint64>("limit");
        QTest::addRow("default") << QByteArray("GET") << "/other" << qint64(60);
        QTest::addRow("exact beats prefix") << QByteArray("GET") << "/v1/images/special" << qint64(5);
        QTest::addRow("longest prefix") << QByteArray("GET") << "/v1/images/hd/x" << qint64(2);
        QTest::addRow("shorter prefix") << QByteArray("GET") << "/v1/images/x" << qint64(10);
        QTest::addRow("method rule first") << QByteArray("POST") << "/v1/chat" << qint64(100);
        QTest::addRow("any-method fallback") << QByteArray("GET") << "/v1/chat" << qint64(50);
        QTest::addRow("prefix without slash") << QByteArray("GET") << "/v1/images" << qint64(10);
        QTest::addRow("unmatched path") << QByteArray("GET") << "/anything" << qint64(60);
    }
    void picksTheMostSpecificRule()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(qint64, limit);
        const RuleTable table(RateLimitPolicy{Algorithm::SlidingLog, 60, 60'000, 0},
                              {rule("/v1/images/*", {}, 10), rule("/v1/images/hd/*", {}, 2), rule("/v1/images/special", {}, 5),
                               rule("/v1/chat", {}, 50), rule("/v1/chat", "POST", 100)});
        QCOMPARE(table.match(method, path).policy.limit, limit);
    }

    void clientDefaultPrefersTheKeysOverrideThenTheApiKeyDefault()
    {
        ApiKeyLimits keys;
        const QByteArray gold = ClientResolver::keyId("gold");
        keys.set(gold, RateLimitPolicy{Algorithm::TokenBucket, 500, 60'000, 0});
        const RateLimitPolicy base{Algorithm::SlidingLog, 60, 60'000, 0};
        const ClientIdentity goldClient{ClientIdentity::Kind::ApiKey, gold, {}};
        const ClientIdentity otherClient{ClientIdentity::Kind::ApiKey, ClientResolver::keyId("other"), {}};
        const ClientIdentity ipClient{ClientIdentity::Kind::Ip, "10.0.0.1", {}};
        // An IP that happens to look like the override's id is still an IP client.
        const ClientIdentity lookalike{ClientIdentity::Kind::Ip, gold, {}};

        RuleTable table(base, {}, keys);
        QCOMPARE(table.defaultFor(goldClient).policy.limit, 500);
        QCOMPARE(table.defaultFor(goldClient).name, QByteArray("api_key_override"));
        QCOMPARE(table.defaultFor(otherClient).policy, base);
        QCOMPARE(table.defaultFor(otherClient).name, QByteArray("default"));
        QCOMPARE(table.defaultFor(lookalike).policy, base);

        keys.set(ApiKeyLimits::defaultTarget(), RateLimitPolicy{Algorithm::SlidingLog, 120, 60'000, 0});
        table = RuleTable(base, {}, keys);
        QCOMPARE(table.defaultFor(goldClient).policy.limit, 500);
        QCOMPARE(table.defaultFor(otherClient).policy.limit, 120);
        QCOMPARE(table.defaultFor(otherClient).name, QByteArray("api_key_default"));
        QCOMPARE(table.defaultFor(ipClient).policy, base);

        QVERIFY(keys.remove(gold));
        QVERIFY(!keys.remove(gold));
        QVERIFY(keys.remove(ApiKeyLimits::defaultTarget()));
        QVERIFY(!keys.remove(ApiKeyLimits::defaultTarget()));
        QCOMPARE(keys, ApiKeyLimits{});
    }

    void apiKeyTargetsAreDefaultOrAKeyId_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<bool>("valid");
        QTest::addRow("default") << QByteArray("default") << true;
        QTest::addRow("key id") << ClientResolver::keyId("k") << true;
        QTest::addRow("empty") << QByteArray() << false;
        QTest::addRow("15 digits") << QByteArray("0123456789abcde") << false;
        QTest::addRow("17 digits") << QByteArray("0123456789abcdef0") << false;
        QTest::addRow("upper case") << QByteArray("0123456789ABCDEF") << false;
        QTest::addRow("not hex") << QByteArray("0123456789abcdeg") << false;
        QTest::addRow("Default") << QByteArray("Default") << false;
    }
    void apiKeyTargetsAreDefaultOrAKeyId()
    {
        QFETCH(QByteArray, target);
        QFETCH(bool, valid);
        const auto error = ApiKeyLimits::validateTarget(target);
        QCOMPARE(!error.has_value(), valid);
        if (error)
            QVERIFY(error->startsWith(QLatin1String("key_id:")));
    }

    void keyPartsNameTheRule()
    {
        QCOMPARE(RuleTable::endpointKeyPart(rule("/v1/images/*", {}, 1)), QByteArray("endpoint:/v1/images/*:"));
        QCOMPARE(RuleTable::endpointKeyPart(rule("/v1/chat", "POST", 1)), QByteArray("endpoint:POST:/v1/chat:"));
        const RuleTable table(RateLimitPolicy{}, {});
        QVERIFY(table.match("GET", "/x").keyPart.isEmpty());
        QVERIFY(!table.match("GET", "/x").rule);
    }

    void normalisesPaths_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QString>("path");
        QTest::addRow("plain") << QByteArray("/a/b") << "/a/b";
        QTest::addRow("query") << QByteArray("/a/b?x=1&y=/c") << "/a/b";
        QTest::addRow("fragment") << QByteArray("/a#frag") << "/a";
        QTest::addRow("dots") << QByteArray("/a/./b/../c") << "/a/c";
        QTest::addRow("above root") << QByteArray("/../../a") << "/a";
        QTest::addRow("encoded") << QByteArray("/a%2Fb%2e%2e/%2e%2e/c") << "/a/c";
        QTest::addRow("slashes") << QByteArray("//a///b") << "/a/b";
        QTest::addRow("relative") << QByteArray("a/b") << "/a/b";
    }
    void normalisesPaths()
    {
        QFETCH(QByteArray, target);
        QFETCH(QString, path);
        QCOMPARE(RuleTable::normalisePath(target), path);
    }
};

QTEST_MAIN(tst_RuleTable)
#include "tst_ruletable.moc"
