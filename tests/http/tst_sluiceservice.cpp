// SluiceService end to end over real sockets (port 0), memory mode, with a ManualClock so window
// arithmetic (Retry-After, X-RateLimit-Reset) is asserted exactly; plus the Redis Cluster and
// Sentinel wiring against real fixtures (GET /admin/redis/status, decisions made in Redis).

#include "adminapi.h"
#include "clientresolver.h"
#include "httpclient.h"
#include "manualclock.h"
#include "rawhttpclient.h"
#include "redisclusterfixture.h"
#include "redisserver.h"
#include "redissentinelfixture.h"
#include "sluiceservice.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace std::chrono_literals;

namespace {

const QByteArray kAdminKey = QByteArrayLiteral("test-admin-key-0123456789");
const QByteArray kLocalKey = QByteArrayLiteral("rate_limit:ip:127.0.0.1");

ServiceConfig baseConfig()
{
    ServiceConfig config = ServiceConfig::defaults();
    config.listenHost = QStringLiteral("127.0.0.1");
    config.listenPort = 0;
    config.adminKeys = {kAdminKey};
    config.requestRateLimit = 3;
    return config;
}

QByteArray keyId(const QByteArray &key)
{
    return QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(16);
}

} // namespace

class tst_SluiceService : public QObject
{
    Q_OBJECT

private:
    ManualClock m_clock;
    std::unique_ptr<SluiceService> m_service;
    HttpClient m_http;

    void startService(const ServiceConfig &config)
    {
        m_service = std::make_unique<SluiceService>(config, m_clock);
        QString error;
        QVERIFY2(m_service->start(&error), qPrintable(error));
        QVERIFY(m_service->port() != 0);
    }
    QUrl url(const QString &pathAndQuery) const { return QUrl(m_service->baseUrl().toString() + pathAndQuery); }
    HttpResult check(const HttpClient::Headers &headers = {}) { return m_http.get(url(QStringLiteral("/v1/ratelimit/check")), headers); }
    HttpResult admin(const QByteArray &verb, const QString &path, const QByteArray &body = {}, const QByteArray &key = kAdminKey)
    {
        HttpClient::Headers headers;
        if (!key.isNull())
            headers.append({"X-Admin-Key", key});
        return m_http.send(verb, url(path), headers, body);
    }
    AdminApi::RedisStatus redisStatus() { return AdminApi::RedisStatus::fromJson(admin("GET", QStringLiteral("/admin/redis/status")).json()); }
    // Starts a service on `redis`; true once its health probe has answered.
    bool startWithSampledRedis(const RedisServer &redis)
    {
        ServiceConfig config = baseConfig();
        config.redisAddr = QString::fromLatin1(redis.address());
        config.threads = 2; // each HTTP thread has its own connection
        startService(config);
        return !QTest::currentTestFailed() && QTest::qWaitFor([this] {
            const AdminApi::RedisStatus status = redisStatus();
            return status.connected && status.health && status.health->checkedAt.isValid() && status.pool->ready == 2;
        }, 10000);
    }
    qint64 epochSecondsCeil(qint64 ms) const { return (ms + 999) / 1000; }

private slots:
    void init()
    {
        m_clock.setNowMs(1'700'000'000'123);
    }
    void cleanup()
    {
        m_service.reset();
    }

    void allowsUpToTheLimitWithExactHeaders()
    {
        startService(baseConfig());
        const qint64 t0 = m_clock.nowMs();
        for (int i = 0; i < 3; ++i) {
            const HttpResult r = check();
            QCOMPARE(r.status, 200);
            QCOMPARE(r.header("X-RateLimit-Limit"), QByteArray("3"));
            QCOMPARE(r.header("X-RateLimit-Remaining"), QByteArray::number(2 - i));
            QCOMPARE(r.header("X-RateLimit-Reset"), QByteArray::number(epochSecondsCeil(t0 + 60'000)));
            QCOMPARE(r.header("RateLimit-Policy"), QByteArray("\"default\";q=3;w=60"));
            QCOMPARE(r.header("RateLimit"), QByteArray("\"default\";r=") + QByteArray::number(2 - i) + ";t=60");
            QVERIFY(!r.hasHeader("Retry-After"));
            QCOMPARE(r.json().value("status").toString(), QStringLiteral("allowed"));
            QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
        }
    }

    void deniesWithRetryAfterUntilTheOldestEntryLeaves()
    {
        startService(baseConfig());
        const qint64 t0 = m_clock.nowMs();
        check();
        m_clock.advance(10'000ms);
        check();
        check();
        HttpResult denied = check();
        QCOMPARE(denied.status, 429);
        QCOMPARE(denied.header("Retry-After"), QByteArray("50")); // the t0 entry leaves at t0 + 60 s
        QCOMPARE(denied.header("X-RateLimit-Remaining"), QByteArray("0"));
        QCOMPARE(denied.header("X-RateLimit-Reset"), QByteArray::number(epochSecondsCeil(t0 + 70'000)));
        const QJsonObject body = denied.json();
        QCOMPARE(body.value("error").toString(), QStringLiteral("rate_limit_exceeded"));
        QCOMPARE(body.value("status").toString(), QStringLiteral("error"));
        QCOMPARE(body.value("retry_after").toInteger(), 50);
        QVERIFY(!body.value("message").toString().isEmpty());

        m_clock.setNowMs(t0 + 60'000 - 1);
        denied = check();
        QCOMPARE(denied.status, 429);
        QCOMPARE(denied.header("Retry-After"), QByteArray("1")); // 1 ms rounds up to 1 s, never 0
        m_clock.setNowMs(t0 + 60'000);
        QCOMPARE(check().status, 200);
    }

    void costThatCanNeverFitIsRejectedWithoutRetryAfter()
    {
        startService(baseConfig());
        const HttpResult r = check({{"X-RateLimit-Cost", "4"}});
        QCOMPARE(r.status, 429);
        QCOMPARE(r.json().value("error").toString(), QStringLiteral("cost_exceeds_limit"));
        QVERIFY(!r.hasHeader("Retry-After"));
        QCOMPARE(check({{"X-RateLimit-Cost", "3"}}).status, 200); // nothing was consumed by the impossible one
        QCOMPARE(check({{"X-RateLimit-Cost", "zero"}}).status, 400);
    }

    void apiKeyClientsAreCountedByKeyIdNeverByRawKey()
    {
        startService(baseConfig());
        const QByteArray key = QByteArrayLiteral("sk-live-very-secret");
        for (int i = 0; i < 3; ++i)
            QCOMPARE(check({{"Authorization", "Bearer " + key}}).status, 200);
        QCOMPARE(check({{"X-API-Key", key}}).status, 429); // same key, other header: same client
        QCOMPARE(check().status, 200);                     // the IP client is separate
        const HttpResult stats = admin("GET", QStringLiteral("/admin/rate-limit/stats"));
        QCOMPARE(stats.status, 200);
        QVERIFY(!stats.body.contains(key));
        const QJsonObject rates = stats.json().value("stats").toObject().value("current_rates").toObject();
        const QString apiKeyStorageKey = QStringLiteral("rate_limit:api_key:") + QString::fromLatin1(keyId(key));
        QVERIFY2(rates.contains(apiKeyStorageKey), stats.body.constData());
        QCOMPARE(rates.value(apiKeyStorageKey).toObject().value("strategy").toString(), QStringLiteral("api_key"));
        QCOMPARE(rates.value(apiKeyStorageKey).toObject().value("current_count").toInteger(), 3);
        QCOMPARE(rates.value(QString::fromLatin1(kLocalKey)).toObject().value("strategy").toString(), QStringLiteral("ip"));
    }

    void apiKeyClientsHaveTheirOwnDefaultLimit()
    {
        ServiceConfig config = baseConfig();
        config.apiKeyRateLimit = 5;
        startService(config);
        for (int i = 0; i < 5; ++i) {
            const HttpResult r = check({{"X-API-Key", "k1"}});
            QCOMPARE(r.status, 200);
            QCOMPARE(r.header("X-RateLimit-Limit"), QByteArray("5"));
        }
        QCOMPARE(check({{"X-API-Key", "k1"}}).status, 429);
        QCOMPARE(check({{"Authorization", "Bearer k2"}}).status, 200); // each key has its own budget
        for (int i = 0; i < 3; ++i)
            QCOMPARE(check().status, 200); // IP clients keep REQUEST_RATE_LIMIT
        const HttpResult denied = check();
        QCOMPARE(denied.status, 429);
        QCOMPARE(denied.header("X-RateLimit-Limit"), QByteArray("3"));

        const QJsonObject shown = admin("GET", QStringLiteral("/admin/config")).json();
        const AdminApi::Config parsed = AdminApi::Config::fromJson(shown);
        QCOMPARE(parsed.requestRateLimit, 3);
        QCOMPARE(parsed.apiKeyRateLimit, 5);
    }

    void apiKeyDefaultFollowsTheDefaultRuleWhenUnset()
    {
        startService(baseConfig());
        QCOMPARE(AdminApi::Config::fromJson(admin("GET", QStringLiteral("/admin/config")).json()).apiKeyRateLimit, 3);
        QCOMPARE(admin("PUT", QStringLiteral("/admin/rate-limit/config"), R"({"endpoint":"default","requests":4,"window":60})").status, 200);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(check({{"X-API-Key", "k"}}).status, 200);
        QCOMPARE(check({{"X-API-Key", "k"}}).status, 429);
        QCOMPARE(AdminApi::Config::fromJson(admin("GET", QStringLiteral("/admin/config")).json()).apiKeyRateLimit, 4);
    }

    void endpointRuleAppliesToApiKeyClientsOverTheirDefault()
    {
        ServiceConfig config = baseConfig();
        config.apiKeyRateLimit = 50;
        config.endpointRules = {EndpointLimitRule{QStringLiteral("/v1/ratelimit/check"), {}, RateLimitPolicy{Algorithm::SlidingLog, 2, 60'000, 0}}};
        startService(config);
        QCOMPARE(check({{"X-API-Key", "k"}}).status, 200);
        QCOMPARE(check({{"X-API-Key", "k"}}).status, 200);
        QCOMPARE(check({{"X-API-Key", "k"}}).status, 429);
    }

    void violationsAreListedNewestFirstWithoutRawKeys()
    {
        startService(baseConfig());
        const QByteArray secret = QByteArrayLiteral("sk-violation-secret");
        for (int i = 0; i < 4; ++i)
            check({{"X-API-Key", secret}});
        m_clock.advance(1000ms);
        for (int i = 0; i < 4; ++i)
            check();
        const HttpResult r = admin("GET", QStringLiteral("/admin/rate-limit/violations?limit=5"));
        QCOMPARE(r.status, 200);
        QVERIFY(!r.body.contains(secret));
        const QList<AdminApi::Violation> list = AdminApi::Violation::listFromJson(r.json());
        QCOMPARE(r.json().value("total").toInteger(), 2);
        QCOMPARE(list.size(), 2);
        QCOMPARE(list.at(0).client, QStringLiteral("ip:127.0.0.1"));
        QCOMPARE(list.at(0).key, QString::fromLatin1(kLocalKey));
        QCOMPARE(list.at(0).rule, QStringLiteral("default"));
        QCOMPARE(list.at(0).limit, 3);
        QCOMPARE(list.at(0).retryAfterMs, 60'000);
        QCOMPARE(list.at(0).time.toMSecsSinceEpoch(), m_clock.nowMs());
        QCOMPARE(list.at(1).client, QStringLiteral("api_key:") + QString::fromLatin1(keyId(secret)));
        QCOMPARE(list.at(1).retryAfterMs, 60'000);

        for (const char *bad : {"0", "1001", "x"}) {
            const HttpResult e = admin("GET", QStringLiteral("/admin/rate-limit/violations?limit=") + QLatin1String(bad));
            QCOMPARE(e.status, 400);
            QVERIFY(e.json().value("message").toString().startsWith(QLatin1String("limit:")));
        }
        QCOMPARE(admin("GET", QStringLiteral("/admin/rate-limit/violations"), {}, QByteArrayLiteral("wrong")).status, 401);
    }

    void repeatedWrongAdminKeysBlockThePeerUntilTheWindowEnds()
    {
        startService(baseConfig());
        const QString path = QStringLiteral("/admin/config");
        QCOMPARE(admin("GET", path).status, 200);
        for (int i = 0; i < 10; ++i) {
            m_clock.advance(1000ms);
            QCOMPARE(admin("GET", path, {}, QByteArrayLiteral("wrong-key")).status, 401);
        }
        // The window started with the first failure, 9 s ago: 51 s are left, even for the right key.
        HttpResult blocked = admin("GET", path);
        QCOMPARE(blocked.status, 429);
        QCOMPARE(blocked.header("Retry-After"), QByteArray("51"));
        QVERIFY(!blocked.body.contains(kAdminKey));
        QCOMPARE(admin("GET", path, {}, QByteArrayLiteral("wrong-key")).status, 429);
        m_clock.advance(50'999ms);
        QCOMPARE(admin("GET", path).status, 429);
        m_clock.advance(1ms);
        QCOMPARE(admin("GET", path).status, 200);
        QCOMPARE(check().status, 200); // the check endpoint never was affected
    }

    void bypassAttemptsAreCountedByKind_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QList<QList<QByteArray>>>("requests"); // each: header name, value, name, value...
        QTest::addColumn<int>("expected");
        QTest::addRow("X-Forwarded-For from an untrusted peer")
            << "untrusted_forwarded_header" << QList<QList<QByteArray>>{{"X-Forwarded-For", "1.2.3.4"}, {"X-Real-IP", "5.6.7.8"},
                                                                        {"X-Forwarded-Uri", "/other"}, {"X-Original-URI", "/x"}, {}} << 4;
        QTest::addRow("malformed identity headers")
            << "malformed_identity_header"
            << QList<QList<QByteArray>>{{"Authorization", "Basic abc"}, {"Authorization", "Bearer "}, {"X-API-Key", QByteArray(600, 'k')},
                                        {"X-API-Key", "a\x01b"}, {"Authorization", "Bearer fine"}, {"X-API-Key", "fine"}} << 4;
        QList<QList<QByteArray>> cycling;
        for (int i = 0; i < 8; ++i)
            cycling.append(QList<QByteArray>{"X-API-Key", "cycled-" + QByteArray::number(i)});
        cycling.append(QList<QByteArray>{"X-API-Key", "cycled-0"}); // already seen: not another attempt
        QTest::addRow("one address cycling through API keys") << "api_key_cycling" << cycling << 3;
    }
    void bypassAttemptsAreCountedByKind()
    {
        QFETCH(QString, kind);
        QFETCH(QList<QList<QByteArray>>, requests);
        QFETCH(int, expected);
        startService(baseConfig());
        for (const QList<QByteArray> &headers : requests) {
            HttpClient::Headers h;
            for (qsizetype i = 0; i + 1 < headers.size(); i += 2)
                h.append({headers.at(i), headers.at(i + 1)});
            check(h);
        }
        const QJsonObject bypass = admin("GET", QStringLiteral("/admin/rate-limit/stats")).json()
                                       .value("stats").toObject().value("bypass_attempts").toObject();
        QCOMPARE(bypass.value(kind).toInteger(-1), expected);
        for (const QString &other : bypass.keys()) {
            if (other != kind)
                QCOMPARE(bypass.value(other).toInteger(), 0);
        }
        const HttpResult metrics = m_http.get(url(QStringLiteral("/metrics")));
        const QByteArray line = "sluice_rate_limit_bypass_attempts_total{kind=\"" + kind.toLatin1() + "\"} " + QByteArray::number(expected) + "\n";
        QVERIFY2(metrics.body.contains(line), metrics.body.constData());
    }

    void endpointRuleReplacesTheDefault_data()
    {
        QTest::addColumn<QString>("endpoint");
        QTest::addColumn<QString>("method");
        QTest::addColumn<QByteArray>("requestMethod");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("matches");
        QTest::addRow("exact") << "/v1/chat/completions" << "" << QByteArray("POST") << "/v1/chat/completions" << true;
        QTest::addRow("exact other path") << "/v1/chat/completions" << "" << QByteArray("POST") << "/v1/chat" << false;
        QTest::addRow("prefix") << "/v1/images/*" << "" << QByteArray("GET") << "/v1/images/generations" << true;
        QTest::addRow("prefix root") << "/v1/images/*" << "" << QByteArray("GET") << "/v1/images" << true;
        QTest::addRow("prefix is not a substring") << "/v1/images/*" << "" << QByteArray("GET") << "/v1/imagesX" << false;
        QTest::addRow("method match") << "/v1/chat" << "POST" << QByteArray("POST") << "/v1/chat" << true;
        QTest::addRow("method mismatch") << "/v1/chat" << "POST" << QByteArray("GET") << "/v1/chat" << false;
        QTest::addRow("dot segments normalised") << "/v1/images/*" << "" << QByteArray("GET") << "/v1/x/../images/a" << true;
        QTest::addRow("encoded slash normalised") << "/v1/images/*" << "" << QByteArray("GET") << "/v1%2Fimages%2Fa" << true;
        QTest::addRow("double slash normalised") << "/v1/images/*" << "" << QByteArray("GET") << "//v1//images/a" << true;
        QTest::addRow("query ignored") << "/v1/chat" << "" << QByteArray("GET") << "/v1/chat?x=/v1/images/" << true;
    }
    void endpointRuleReplacesTheDefault()
    {
        QFETCH(QString, endpoint);
        QFETCH(QString, method);
        QFETCH(QByteArray, requestMethod);
        QFETCH(QString, path);
        QFETCH(bool, matches);
        ServiceConfig config = baseConfig();
        config.trustedProxies = {QStringLiteral("127.0.0.1/32")};
        startService(config);
        QJsonObject rule{{"endpoint", endpoint}, {"requests", 5}, {"window", 10}};
        if (!method.isEmpty())
            rule.insert("method", method);
        const HttpResult put = admin("PUT", QStringLiteral("/admin/rate-limit/config"), QJsonDocument(rule).toJson());
        QCOMPARE(put.status, 200);
        const HttpResult r = check({{"X-Forwarded-Uri", path.toUtf8()}, {"X-Forwarded-Method", requestMethod}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("X-RateLimit-Limit"), matches ? QByteArray("5") : QByteArray("3"));
        QCOMPARE(r.header("RateLimit-Policy"), matches ? QByteArray("\"endpoint\";q=5;w=10") : QByteArray("\"default\";q=3;w=60"));
        const QJsonObject rates = admin("GET", QStringLiteral("/admin/rate-limit/stats")).json()
                                      .value("stats").toObject().value("current_rates").toObject();
        QString expectedKey = QString::fromLatin1(kLocalKey);
        if (matches) {
            expectedKey = QStringLiteral("rate_limit:endpoint:") + (method.isEmpty() ? QString() : method + QLatin1Char(':'))
                          + endpoint + QStringLiteral(":ip:127.0.0.1");
        }
        QVERIFY2(rates.contains(expectedKey), qPrintable(QJsonDocument(rates).toJson()));
        if (matches) {
            QCOMPARE(rates.value(expectedKey).toObject().value("strategy").toString(), QStringLiteral("endpoint"));
            QCOMPARE(rates.value(expectedKey).toObject().value("endpoint").toString(),
                     (method.isEmpty() ? QString() : method + QLatin1Char(':')) + endpoint);
        }
    }

    void eachRuleUsesItsAlgorithm_data()
    {
        QTest::addColumn<QString>("algorithm");
        QTest::addColumn<int>("burst");
        QTest::addColumn<int>("admitted");
        QTest::addColumn<QByteArray>("retryAfter");
        // 2 per 10 s. Sliding log: 3rd waits 10 s. Token bucket burst 4: 4 admitted, then one token per 5 s.
        QTest::addRow("sliding_log") << "sliding_log" << 0 << 2 << QByteArray("10");
        QTest::addRow("token_bucket") << "token_bucket" << 4 << 4 << QByteArray("5");
        QTest::addRow("sliding_window_counter") << "sliding_window_counter" << 0 << 2 << QByteArray();
    }
    void eachRuleUsesItsAlgorithm()
    {
        QFETCH(QString, algorithm);
        QFETCH(int, burst);
        QFETCH(int, admitted);
        QFETCH(QByteArray, retryAfter);
        m_clock.setNowMs(1'700'000'000'000); // aligned to the 10 s window of the counter
        ServiceConfig config = baseConfig();
        config.trustedProxies = {QStringLiteral("127.0.0.1/32")};
        startService(config);
        QJsonObject rule{{"endpoint", "/v1/x"}, {"requests", 2}, {"window", 10}, {"algorithm", algorithm}};
        if (burst)
            rule.insert("burst", burst);
        QCOMPARE(admin("PUT", QStringLiteral("/admin/rate-limit/config"), QJsonDocument(rule).toJson()).status, 200);
        const HttpClient::Headers target{{"X-Original-URI", "/v1/x"}};
        for (int i = 0; i < admitted; ++i)
            QCOMPARE(check(target).status, 200);
        const HttpResult denied = check(target);
        QCOMPARE(denied.status, 429);
        if (!retryAfter.isEmpty())
            QCOMPARE(denied.header("Retry-After"), retryAfter);
        QVERIFY(denied.header("Retry-After").toInt() >= 1);
    }

    void forwardedHeadersAreBelievedOnlyFromTrustedProxies_data()
    {
        QTest::addColumn<QStringList>("trusted");
        QTest::addColumn<QByteArray>("forwardedFor");
        QTest::addColumn<QByteArray>("realIp");
        QTest::addColumn<QString>("expectedClient");
        QTest::addRow("untrusted peer: XFF ignored") << QStringList() << QByteArray("9.9.9.9") << QByteArray() << "127.0.0.1";
        QTest::addRow("untrusted peer: X-Real-IP ignored") << QStringList() << QByteArray() << QByteArray("9.9.9.9") << "127.0.0.1";
        QTest::addRow("trusted peer: XFF") << QStringList{"127.0.0.0/8"} << QByteArray("9.9.9.9") << QByteArray() << "9.9.9.9";
        QTest::addRow("rightmost untrusted hop wins") << QStringList{"127.0.0.0/8", "10.0.0.0/8"}
                                                      << QByteArray("6.6.6.6, 9.9.9.9, 10.1.2.3") << QByteArray() << "9.9.9.9";
        QTest::addRow("client-supplied left entries ignored") << QStringList{"127.0.0.0/8"}
                                                              << QByteArray("1.1.1.1, 9.9.9.9") << QByteArray() << "9.9.9.9";
        QTest::addRow("X-Real-IP from trusted") << QStringList{"127.0.0.1/32"} << QByteArray() << QByteArray("8.8.4.4") << "8.8.4.4";
        QTest::addRow("mapped v6 normalised") << QStringList{"127.0.0.1"} << QByteArray("::ffff:9.9.9.9") << QByteArray() << "9.9.9.9";
        QTest::addRow("garbage hop stops at proxy") << QStringList{"127.0.0.1"} << QByteArray("9.9.9.9, nonsense") << QByteArray() << "127.0.0.1";
    }
    void forwardedHeadersAreBelievedOnlyFromTrustedProxies()
    {
        QFETCH(QStringList, trusted);
        QFETCH(QByteArray, forwardedFor);
        QFETCH(QByteArray, realIp);
        QFETCH(QString, expectedClient);
        ServiceConfig config = baseConfig();
        config.trustedProxies = trusted;
        startService(config);
        HttpClient::Headers headers;
        if (!forwardedFor.isEmpty())
            headers.append({"X-Forwarded-For", forwardedFor});
        if (!realIp.isEmpty())
            headers.append({"X-Real-IP", realIp});
        QCOMPARE(check(headers).status, 200);
        const QJsonObject rates = admin("GET", QStringLiteral("/admin/rate-limit/stats")).json()
                                      .value("stats").toObject().value("current_rates").toObject();
        QCOMPARE(rates.keys(), QStringList{QStringLiteral("rate_limit:ip:") + expectedClient});
    }

    void spoofedForwardedUriFromUntrustedPeerHasNoEffect()
    {
        startService(baseConfig());
        QJsonObject rule{{"endpoint", "/cheap"}, {"requests", 1000}, {"window", 60}};
        QCOMPARE(admin("PUT", QStringLiteral("/admin/rate-limit/config"), QJsonDocument(rule).toJson()).status, 200);
        const HttpClient::Headers spoof{{"X-Forwarded-Uri", "/cheap"}, {"X-Original-URI", "/cheap"}, {"X-Forwarded-For", "5.5.5.5"}};
        for (int i = 0; i < 3; ++i)
            QCOMPARE(check(spoof).status, 200);
        const HttpResult r = check(spoof);
        QCOMPARE(r.status, 429);
        QCOMPARE(r.header("X-RateLimit-Limit"), QByteArray("3"));
    }

    void draftHeadersCanBeSwitchedOff()
    {
        ServiceConfig config = baseConfig();
        config.rateLimitHeaders = false;
        startService(config);
        const HttpResult r = check();
        QVERIFY(r.hasHeader("X-RateLimit-Limit"));
        QVERIFY(!r.hasHeader("RateLimit"));
        QVERIFY(!r.hasHeader("RateLimit-Policy"));
    }

    void adminApiRejectsMissingOrWrongKeys_data()
    {
        QTest::addColumn<QByteArray>("verb");
        QTest::addColumn<QString>("path");
        const QList<std::pair<QByteArray, QString>> endpoints{
            {"GET", "/admin/rate-limit/stats"},       {"POST", "/admin/rate-limit/clear?key=rate_limit:ip:1.2.3.4"},
            {"PUT", "/admin/rate-limit/config"},      {"DELETE", "/admin/rate-limit/config?endpoint=/x"},
            {"GET", "/admin/redis/status"},           {"GET", "/admin/config"},
            {"GET", "/admin/config/history"}};
        for (const auto &e : endpoints)
            QTest::addRow("%s %s", e.first.constData(), qPrintable(e.second)) << e.first << e.second;
    }
    void adminApiRejectsMissingOrWrongKeys()
    {
        QFETCH(QByteArray, verb);
        QFETCH(QString, path);
        startService(baseConfig());
        const QByteArray body = verb == "PUT" ? QByteArray(R"({"endpoint":"/x","requests":1,"window":1})") : QByteArray();
        HttpResult r = admin(verb, path, body, QByteArray());
        QCOMPARE(r.status, 401);
        QCOMPARE(r.json().value("error").toString(), QStringLiteral("unauthorized"));
        r = admin(verb, path, body, kAdminKey + "x");
        QCOMPARE(r.status, 401);
        r = admin(verb, path, body, kAdminKey.left(kAdminKey.size() - 1));
        QCOMPARE(r.status, 401);
        QCOMPARE(admin("GET", QStringLiteral("/admin/config/history")).json().value("history").toArray().size(), 0);

        m_service.reset();
        ServiceConfig disabled = baseConfig();
        disabled.adminKeys.clear();
        startService(disabled);
        r = admin(verb, path, body, kAdminKey);
        QCOMPARE(r.status, 403);
        QCOMPARE(r.json().value("error").toString(), QStringLiteral("admin_disabled"));
        QVERIFY(r.json().value("message").toString().contains(QLatin1String("ADMIN_KEY")));
    }

    void acceptsAnyOfSeveralAdminKeys()
    {
        ServiceConfig config = baseConfig();
        config.adminKeys = {"first-key", "second-key"};
        startService(config);
        QCOMPARE(admin("GET", QStringLiteral("/admin/config"), {}, "first-key").status, 200);
        QCOMPARE(admin("GET", QStringLiteral("/admin/config"), {}, "second-key").status, 200);
        QCOMPARE(admin("GET", QStringLiteral("/admin/config"), {}, "third-key").status, 401);
    }

    void invalidRuleChangesAreRejectedNamingTheField_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::addRow("malformed JSON") << QByteArray(R"({"endpoint": "/x", )") << "body";
        QTest::addRow("not an object") << QByteArray(R"([1,2])") << "body";
        QTest::addRow("empty body") << QByteArray() << "body";
        QTest::addRow("missing endpoint") << QByteArray(R"({"requests":1,"window":1})") << "endpoint";
        QTest::addRow("missing requests") << QByteArray(R"({"endpoint":"/x","window":1})") << "requests";
        QTest::addRow("requests as string") << QByteArray(R"({"endpoint":"/x","requests":"10","window":1})") << "requests";
        QTest::addRow("requests fractional") << QByteArray(R"({"endpoint":"/x","requests":1.5,"window":1})") << "requests";
        QTest::addRow("requests zero") << QByteArray(R"({"endpoint":"/x","requests":0,"window":1})") << "requests";
        QTest::addRow("requests negative") << QByteArray(R"({"endpoint":"/x","requests":-5,"window":1})") << "requests";
        QTest::addRow("log limit too big") << QByteArray(R"({"endpoint":"/x","requests":100001,"window":1})") << "requests";
        QTest::addRow("window zero") << QByteArray(R"({"endpoint":"/x","requests":1,"window":0})") << "window";
        QTest::addRow("window too long") << QByteArray(R"({"endpoint":"/x","requests":1,"window":86401})") << "window";
        QTest::addRow("window as bool") << QByteArray(R"({"endpoint":"/x","requests":1,"window":true})") << "window";
        QTest::addRow("endpoint not a path") << QByteArray(R"({"endpoint":"x","requests":1,"window":1})") << "endpoint";
        QTest::addRow("endpoint as number") << QByteArray(R"({"endpoint":5,"requests":1,"window":1})") << "endpoint";
        QTest::addRow("star inside") << QByteArray("{\"endpoint\":\"/a/*/b\",\"requests\":1,\"window\":1}") << "endpoint";
        QTest::addRow("bad method") << QByteArray(R"({"endpoint":"/x","method":"FETCH","requests":1,"window":1})") << "method";
        QTest::addRow("bad algorithm") << QByteArray(R"({"endpoint":"/x","algorithm":"leaky","requests":1,"window":1})") << "algorithm";
        QTest::addRow("burst on log") << QByteArray(R"({"endpoint":"/x","burst":5,"requests":1,"window":1})") << "burst";
        QTest::addRow("unknown field") << QByteArray(R"({"endpoint":"/x","requests":1,"window":1,"limit":3})") << "limit";
        QTest::addRow("default with method") << QByteArray(R"({"endpoint":"default","method":"GET","requests":1})") << "method";
    }
    void invalidRuleChangesAreRejectedNamingTheField()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        startService(baseConfig());
        const QByteArray configBefore = admin("GET", QStringLiteral("/admin/config")).body;
        const HttpResult r = admin("PUT", QStringLiteral("/admin/rate-limit/config"), body);
        QCOMPARE(r.status, 400);
        const AdminApi::Error error = AdminApi::Error::fromJson(r.json());
        QCOMPARE(error.error, QStringLiteral("invalid_request"));
        QVERIFY2(error.message.startsWith(field + QLatin1Char(':')) || error.message.contains(field + QLatin1Char(':')),
                 qPrintable(error.message));
        QCOMPARE(admin("GET", QStringLiteral("/admin/config")).body, configBefore); // nothing half-applied
        QCOMPARE(m_service->stats().snapshot().configUpdates, 0);
    }

    void ruleChangesAreListedInHistoryWithOldAndNewValue()
    {
        startService(baseConfig());
        QCOMPARE(admin("PUT", QStringLiteral("/admin/rate-limit/config"), R"({"endpoint":"/v1/chat","requests":100,"window":60})").status, 200);
        m_clock.advance(1000ms);
        const HttpResult put = admin("PUT", QStringLiteral("/admin/rate-limit/config"),
                                     R"({"endpoint":"/v1/chat","requests":50,"window":30,"algorithm":"token_bucket","burst":80})");
        QCOMPARE(put.status, 200);
        QCOMPARE(put.json().value("message").toString(), QStringLiteral("Rate limit configuration updated"));
        QCOMPARE(put.json().value("window_seconds").toInt(), 30);
        QCOMPARE(put.json().value("requests").toInt(), 50);
        QCOMPARE(admin("DELETE", QStringLiteral("/admin/rate-limit/config?endpoint=/v1/chat")).status, 200);
        QCOMPARE(admin("DELETE", QStringLiteral("/admin/rate-limit/config?endpoint=/v1/chat")).status, 404);
        QCOMPARE(admin("PUT", QStringLiteral("/admin/rate-limit/config"), R"({"endpoint":"default","requests":7})").status, 200);
        QCOMPARE(check().header("X-RateLimit-Limit"), QByteArray("7"));

        const QJsonArray history = admin("GET", QStringLiteral("/admin/config/history")).json().value("history").toArray();
        QCOMPARE(history.size(), 4);
        QList<AdminApi::HistoryEntry> entries;
        for (const QJsonValue &v : history)
            entries.append(AdminApi::HistoryEntry::fromJson(v.toObject()));
        QCOMPARE(entries[0].action, QStringLiteral("set"));
        QVERIFY(!entries[0].oldRule);
        QCOMPARE(entries[0].newRule->requests, 100);
        QCOMPARE(entries[0].adminKeyId, QString::fromLatin1(keyId(kAdminKey)));
        QCOMPARE(entries[0].time.toMSecsSinceEpoch(), 1'700'000'000'123);
        QCOMPARE(entries[1].oldRule->requests, 100);
        QCOMPARE(entries[1].newRule->requests, 50);
        QCOMPARE(entries[1].newRule->algorithm, QStringLiteral("token_bucket"));
        QCOMPARE(entries[1].newRule->burst, 80);
        QCOMPARE(entries[2].action, QStringLiteral("delete"));
        QCOMPARE(entries[2].oldRule->requests, 50);
        QVERIFY(!entries[2].newRule);
        QCOMPARE(entries[3].action, QStringLiteral("default"));
        QCOMPARE(entries[3].oldRule->requests, 3);
        QCOMPARE(entries[3].newRule->requests, 7);
        QVERIFY(!admin("GET", QStringLiteral("/admin/config/history")).body.contains(kAdminKey));
        QCOMPARE(m_service->stats().snapshot().configUpdates, 4);
    }

    void deleteNeedsAValidEndpoint()
    {
        startService(baseConfig());
        QCOMPARE(admin("DELETE", QStringLiteral("/admin/rate-limit/config")).status, 400);
        QCOMPARE(admin("DELETE", QStringLiteral("/admin/rate-limit/config?endpoint=/nope")).status, 404);
        QCOMPARE(admin("DELETE", QStringLiteral("/admin/rate-limit/config?endpoint=/x&method=BREW")).status, 400);
    }

    void clearResetsAKey()
    {
        startService(baseConfig());
        for (int i = 0; i < 3; ++i)
            check();
        QCOMPARE(check().status, 429);
        HttpResult r = admin("POST", QStringLiteral("/admin/rate-limit/clear?key=") + QString::fromLatin1(kLocalKey));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("message").toString(), QStringLiteral("Rate limit cleared"));
        QCOMPARE(r.json().value("key").toString(), QString::fromLatin1(kLocalKey));
        QCOMPARE(r.json().value("existed").toBool(), true);
        QCOMPARE(check().status, 200);
        QCOMPARE(admin("POST", QStringLiteral("/admin/rate-limit/clear")).status, 400);
        QCOMPARE(admin("POST", QStringLiteral("/admin/rate-limit/clear?key=other:1")).status, 400);
        QCOMPARE(admin("GET", QStringLiteral("/admin/rate-limit/clear?key=") + QString::fromLatin1(kLocalKey)).status, 405);
    }

    void statsListTheTopKeysByUsage()
    {
        ServiceConfig config = baseConfig();
        config.requestRateLimit = 10;
        startService(config);
        for (int client = 1; client <= 5; ++client) {
            for (int i = 0; i < client; ++i)
                check({{"X-API-Key", "key-" + QByteArray::number(client)}});
        }
        HttpResult r = admin("GET", QStringLiteral("/admin/rate-limit/stats?limit=2&sort=usage"));
        QCOMPARE(r.status, 200);
        const AdminApi::Stats stats = AdminApi::Stats::fromJson(r.json());
        QCOMPARE(stats.currentRates.size(), 2);
        QCOMPARE(stats.currentRates[0].client, QString::fromLatin1(keyId("key-5")));
        QCOMPARE(stats.currentRates[0].currentCount, 5);
        QCOMPARE(stats.currentRates[1].currentCount, 4);
        QCOMPARE(stats.currentRates[0].window, QStringLiteral("1m"));
        QCOMPARE(stats.currentRates[0].resetTime, (m_clock.nowMs() + 60'000 + 999) / 1000);
        QCOMPARE(stats.totalRequests, 15);
        QCOMPARE(stats.blockedRequests, 0);
        QCOMPARE(stats.mode, QStringLiteral("memory"));
        QCOMPARE(stats.redisConnected, false);
        QCOMPARE(stats.trackedKeys, 5);
        QVERIFY(r.json().value("stats").toObject().contains("last_update"));
        QCOMPARE(admin("GET", QStringLiteral("/admin/rate-limit/stats?limit=-1")).status, 400);
        QCOMPARE(admin("GET", QStringLiteral("/admin/rate-limit/stats?limit=abc")).status, 400);
        QCOMPARE(admin("GET", QStringLiteral("/admin/rate-limit/stats?sort=name")).status, 400);
    }

    void configShowsSettingsButNoSecrets()
    {
        ServiceConfig config = baseConfig();
        config.redisPassword = "redis-secret";
        config.upstreamUrl = QUrl(QStringLiteral("https://user:pw@api.example.com/v1"));
        config.trustedProxies = {QStringLiteral("10.0.0.0/8")};
        startService(config);
        const HttpResult r = admin("GET", QStringLiteral("/admin/config"));
        QCOMPARE(r.status, 200);
        QVERIFY(!r.body.contains(kAdminKey));
        QVERIFY(!r.body.contains("redis-secret"));
        QVERIFY(!r.body.contains(":pw@"));
        const AdminApi::Config c = AdminApi::Config::fromJson(r.json());
        QCOMPARE(c.requestRateLimit, 3);
        QCOMPARE(c.windowSeconds, 60);
        QCOMPARE(c.defaultAlgorithm, QStringLiteral("sliding_log"));
        QCOMPARE(c.upstreamUrl, QStringLiteral("https://api.example.com/v1"));
        QCOMPARE(c.trustedProxies, QStringList{QStringLiteral("10.0.0.0/8")});
        QCOMPARE(c.redisEnabled, false);
        QCOMPARE(c.redisMode, QStringLiteral("standalone"));
        QCOMPARE(c.rateLimitHeaders, true);
    }

    void redisStatusReportsMemoryMode()
    {
        startService(baseConfig());
        const HttpResult r = admin("GET", QStringLiteral("/admin/redis/status"));
        QCOMPARE(r.status, 200);
        const AdminApi::RedisStatus s = AdminApi::RedisStatus::fromJson(r.json());
        QCOMPARE(s.enabled, false);
        QCOMPARE(s.connected, false);
        QCOMPARE(s.mode, QStringLiteral("memory"));
        QCOMPARE(s.redisMode, QStringLiteral("standalone"));
        QVERIFY(s.nodes.isEmpty());
    }

    void redisStatusShowsTheClusterAndChecksAreDecidedThere()
    {
        RedisClusterFixture cluster(3, 1);
        QVERIFY2(cluster.start(), qPrintable(cluster.errorString()));
        ServiceConfig config = baseConfig();
        config.redisMode = QStringLiteral("cluster");
        config.redisAddr = cluster.seeds();
        startService(config);
        AdminApi::RedisStatus status;
        QTRY_VERIFY_WITH_TIMEOUT((status = AdminApi::RedisStatus::fromJson(admin("GET", QStringLiteral("/admin/redis/status")).json()),
                                  status.connected && status.slotsCovered == 16384),
                                 20000);
        QCOMPARE(status.enabled, true);
        QCOMPARE(status.redisMode, QStringLiteral("cluster"));
        int masters = 0;
        int masterSlots = 0;
        for (const AdminApi::RedisNode &node : status.nodes) {
            if (node.role != QLatin1String("master"))
                continue;
            ++masters;
            masterSlots += node.slotCount;
            QVERIFY(node.connected);
            QVERIFY(!node.slotRanges.isEmpty());
        }
        QCOMPARE(masters, 3);
        QCOMPARE(masterSlots, 16384);
        // Every master probed on its own; the top level is their aggregate (memory summed).
        QTRY_VERIFY_WITH_TIMEOUT((status = redisStatus(),
                                  std::all_of(status.nodes.cbegin(), status.nodes.cend(), [](const AdminApi::RedisNode &n) {
                                      return n.role != QLatin1String("master")
                                          || (n.health && n.health->checkedAt.isValid() && n.health->connectedReplicas == 1);
                                  })),
                                 20000);
        qint64 usedSum = 0;
        for (const AdminApi::RedisNode &node : status.nodes) {
            if (node.role != QLatin1String("master"))
                continue;
            QCOMPARE(node.health->role, QStringLiteral("master"));
            QCOMPARE(node.health->connectedReplicas, 1);
            QVERIFY(node.health->replicationLagBytes.has_value());
            usedSum += node.health->usedMemoryBytes;
        }
        QVERIFY(status.health.has_value());
        QCOMPARE(status.health->usedMemoryBytes, usedSum);
        QCOMPARE(status.health->connectedReplicas, 3);
        QVERIFY(status.pool->size >= 3); // a link per master (and per seed the cluster was asked through)

        QTRY_COMPARE_WITH_TIMEOUT(m_http.get(url(QStringLiteral("/health"))).json().value("mode").toString(), QStringLiteral("redis"), 20000);
        QCOMPARE(check().status, 200);
        const int owner = cluster.indexOfPort(cluster.masterOfSlot(cluster.keySlot(kLocalKey)));
        QVERIFY(owner >= 0);
        QCOMPARE(cluster.node(owner).cli({QStringLiteral("ZCARD"), QString::fromLatin1(kLocalKey)}).trimmed(), QByteArray("1"));
        m_service.reset(); // before the cluster's servers stop
    }

    void redisStatusShowsTheSentinelMaster()
    {
        RedisSentinelFixture sentinels(3);
        QVERIFY2(sentinels.start(), qPrintable(sentinels.errorString()));
        ServiceConfig config = baseConfig();
        config.redisMode = QStringLiteral("sentinel");
        config.redisSentinels = sentinels.sentinelAddresses();
        config.redisSentinelMaster = QString::fromLatin1(RedisSentinelFixture::masterName());
        startService(config);
        AdminApi::RedisStatus status;
        QTRY_VERIFY_WITH_TIMEOUT((status = AdminApi::RedisStatus::fromJson(admin("GET", QStringLiteral("/admin/redis/status")).json()),
                                  status.connected),
                                 20000);
        QCOMPARE(status.redisMode, QStringLiteral("sentinel"));
        QCOMPARE(status.sentinelMaster, QString::fromLatin1(RedisSentinelFixture::masterName()));
        QVERIFY(!status.sentinel.isEmpty());
        const QString masterAddr = QString::fromLatin1(sentinels.master().address());
        bool masterListed = false;
        for (const AdminApi::RedisNode &node : status.nodes)
            masterListed = masterListed || (node.addr == masterAddr && node.role == QLatin1String("master") && node.connected);
        QVERIFY2(masterListed, admin("GET", QStringLiteral("/admin/redis/status")).body.constData());
        // The probe follows the sentinel's master and sees its replica.
        QTRY_VERIFY_WITH_TIMEOUT((status = redisStatus(),
                                  status.health && status.health->connectedReplicas == 1),
                                 20000);
        QCOMPARE(status.health->role, QStringLiteral("master"));
        QVERIFY(status.health->replicationLagSeconds.has_value());
        QCOMPARE(check().status, 200);
        QCOMPARE(sentinels.master().cli({QStringLiteral("ZCARD"), QString::fromLatin1(kLocalKey)}).trimmed(), QByteArray("1"));
        m_service.reset(); // before the sentinels and servers stop
    }

    void redisStatusReportsHealthAndTheEvictionRisk()
    {
        RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        QVERIFY(startWithSampledRedis(redis));
        const HttpResult r = admin("GET", QStringLiteral("/admin/redis/status"));
        AdminApi::RedisStatus status = AdminApi::RedisStatus::fromJson(r.json());
        // The console's types carry every field: parsing and writing again gives the same JSON.
        QCOMPARE(status.toJson(), r.json());
        const AdminApi::RedisHealth &h = *status.health;
        QVERIFY2(h.latencyMs > 0 && h.latencyMs < 250, qPrintable(QString::number(h.latencyMs))); // within the command timeout
        QVERIFY(h.usedMemoryBytes > 0);
        QCOMPARE(h.maxmemoryBytes, 0);
        QVERIFY(!h.memoryUsageRatio.has_value());
        QVERIFY(r.json().value("redis").toObject().value("health").toObject().value("memory_usage_ratio").isNull());
        QCOMPARE(h.role, QStringLiteral("master"));
        QVERIFY(h.ageMs >= 0 && h.ageMs < 10'000);
        QVERIFY(!h.redisVersion.isEmpty());
        QCOMPARE(status.nodes.size(), 1);
        QCOMPARE(status.nodes.first().health, status.health);
        QCOMPARE(status.pool->size, 2); // POOL_SIZE 1 on each of the 2 threads
        QCOMPARE(status.pool->ready, 2);
        QCOMPARE(status.poolSize, 1);
        QVERIFY(!r.body.contains("password"));

        QCOMPARE(redis.cli({QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("maxmemory"), QStringLiteral("64mb")}), QByteArray("OK"));
        QCOMPARE(redis.cli({QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("maxmemory-policy"), QStringLiteral("allkeys-lru")}),
                 QByteArray("OK"));
        // A sample older than a second is taken again when the status is asked for.
        QTRY_VERIFY_WITH_TIMEOUT((status = redisStatus(),
                                  status.health->evictionRisk),
                                 10000);
        QCOMPARE(status.health->maxmemoryPolicy, QStringLiteral("allkeys-lru"));
        QCOMPARE(status.health->maxmemoryBytes, 64 * 1024 * 1024);
        QVERIFY(status.health->memoryUsageRatio.has_value());
        QVERIFY(std::any_of(status.health->warnings.cbegin(), status.health->warnings.cend(),
                            [](const QString &w) { return w.contains(QStringLiteral("silently resets their limits")); }));
        QByteArray metrics = m_http.get(url(QStringLiteral("/metrics"))).body;
        QVERIFY(metrics.contains("\nsluice_redis_eviction_risk 1\n"));
        QVERIFY(metrics.contains("\nsluice_redis_maxmemory_bytes 67108864\n"));
        QVERIFY(metrics.contains("\nsluice_redis_latency_seconds "));
        QVERIFY(metrics.contains("\nsluice_redis_pool_in_flight 0\n"));

        QCOMPARE(redis.cli({QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("maxmemory-policy"), QStringLiteral("noeviction")}),
                 QByteArray("OK"));
        QTRY_VERIFY_WITH_TIMEOUT((status = redisStatus(),
                                  !status.health->evictionRisk),
                                 10000);
        QVERIFY2(status.health->warnings.isEmpty(), qPrintable(status.health->warnings.join('|')));
        QVERIFY(m_http.get(url(QStringLiteral("/metrics"))).body.contains("\nsluice_redis_eviction_risk 0\n"));
        m_service.reset();
    }

    void redisStatusAnswersWithinTheCommandTimeoutWhileRedisStalls()
    {
        RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        QVERIFY(startWithSampledRedis(redis));
        AdminApi::RedisStatus status = redisStatus();
        QTest::qWait(1100); // the sample must be stale, or the status answers from it without asking Redis

        // CLIENT PAUSE stalls every other client like DEBUG SLEEP, but redis-cli gets its OK first.
        QCOMPARE(redis.cli({QStringLiteral("CLIENT"), QStringLiteral("PAUSE"), QStringLiteral("2000"), QStringLiteral("ALL")}), QByteArray("OK"));
        QElapsedTimer timer;
        timer.start();
        const HttpResult r = admin("GET", QStringLiteral("/admin/redis/status"));
        const qint64 waited = timer.elapsed();
        QCOMPARE(r.status, 200);
        QVERIFY2(waited < 1000, qPrintable(QStringLiteral("status answered after %1 ms").arg(waited))); // 250 ms command timeout
        status = AdminApi::RedisStatus::fromJson(r.json());
        QVERIFY2(status.health->probeError.contains(QStringLiteral("no reply within the command timeout")), r.body.constData());
        QVERIFY(status.health->checkedAt.isValid()); // the last good sample stays, with its age
        QVERIFY(status.health->ageMs >= 1000);
        QTRY_VERIFY_WITH_TIMEOUT((status = redisStatus(),
                                  status.connected && status.health->probeError.isEmpty()),
                                 10000);
        m_service.reset();
    }

    void redisStatusKeepsTheLastSampleWhenRedisIsDown()
    {
        RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        QVERIFY(startWithSampledRedis(redis));
        AdminApi::RedisStatus status = redisStatus();
        const QDateTime sampled = status.health->checkedAt;
        redis.kill();
        QTRY_VERIFY_WITH_TIMEOUT((status = redisStatus(),
                                  !status.connected && status.health->probeError == QLatin1String("Redis is not connected")),
                                 10000);
        QCOMPARE(status.health->checkedAt, sampled);
        QVERIFY(status.health->ageMs >= 0);
        QCOMPARE(status.pool->ready, 0);
        QVERIFY(status.health->warnings.contains(QStringLiteral("last probe failed: Redis is not connected")));
        const HttpResult metrics = m_http.get(url(QStringLiteral("/metrics")));
        QCOMPARE(metrics.status, 200);
        QVERIFY(metrics.body.contains("\nsluice_redis_used_memory_bytes ")); // the last sample, still exported
        QCOMPARE(check().status, 200); // decided by the memory fallback
        m_service.reset();
    }

    void metricsMatchTheCounters()
    {
        startService(baseConfig());
        for (int i = 0; i < 4; ++i)
            check();
        check({{"X-API-Key", "k"}});
        const HttpResult r = m_http.get(url(QStringLiteral("/metrics")));
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("Content-Type").startsWith("text/plain; version=0.0.4"));
        QVERIFY(r.body.contains("\nsluice_rate_limit_requests_total{strategy=\"ip\",status=\"allowed\"} 3\n"));
        QVERIFY(r.body.contains("\nsluice_rate_limit_requests_total{strategy=\"ip\",status=\"blocked\"} 1\n"));
        QVERIFY(r.body.contains("\nsluice_rate_limit_requests_total{strategy=\"api_key\",status=\"allowed\"} 1\n"));
        QVERIFY(r.body.contains("\nsluice_rate_limit_blocked_total 1\n"));
        QVERIFY(r.body.contains("\nsluice_rate_limit_redis_connected 0\n"));
        QVERIFY(r.body.contains("\nsluice_rate_limit_store_mode{mode=\"memory\"} 1\n"));
        QVERIFY(r.body.contains("\nsluice_rate_limit_decision_duration_seconds_count 5\n"));
        QVERIFY(r.body.contains("sluice_rate_limit_decision_duration_seconds_bucket{le=\"+Inf\"} 5\n"));
    }

    void healthAnswersWithModeAndVersion()
    {
        startService(baseConfig());
        const HttpResult r = m_http.get(url(QStringLiteral("/health")));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("mode").toString(), QStringLiteral("memory"));
        QCOMPARE(r.json().value("version").toString(), QStringLiteral(SLUICE_VERSION));
    }

    void unknownPathsAndMethodsGetJsonErrors()
    {
        startService(baseConfig());
        HttpResult r = m_http.get(url(QStringLiteral("/nope")));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json().value("error").toString(), QStringLiteral("not_found"));
        r = m_http.send("DELETE", url(QStringLiteral("/v1/ratelimit/check")));
        QCOMPARE(r.status, 405);
        QCOMPARE(r.json().value("error").toString(), QStringLiteral("method_not_allowed"));
        QCOMPARE(m_http.send("POST", url(QStringLiteral("/v1/ratelimit/check"))).status, 200);
    }

    void rulesPersistInTheRulesFile()
    {
        QTemporaryDir dir;
        ServiceConfig config = baseConfig();
        config.rulesFile = dir.filePath(QStringLiteral("state/rules.json"));
        config.trustedProxies = {QStringLiteral("127.0.0.1/32")};
        startService(config);
        QCOMPARE(admin("PUT", QStringLiteral("/admin/rate-limit/config"), "{\"endpoint\":\"/v1/images/*\",\"requests\":10,\"window\":60}").status, 200);
        QCOMPARE(admin("PUT", QStringLiteral("/admin/rate-limit/config"), R"({"endpoint":"default","requests":42})").status, 200);
        m_service.reset();
        startService(config);
        QCOMPARE(check({{"X-Original-URI", "/v1/images/a"}}).header("X-RateLimit-Limit"), QByteArray("10"));
        QCOMPARE(check().header("X-RateLimit-Limit"), QByteArray("42"));
        QCOMPARE(admin("GET", QStringLiteral("/admin/config/history")).json().value("history").toArray().size(), 2);
    }

    void unwritableRulesFileRejectsTheChange()
    {
        QTemporaryDir dir;
        QFile blocker(dir.filePath(QStringLiteral("file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        ServiceConfig config = baseConfig();
        config.rulesFile = dir.filePath(QStringLiteral("file/rules.json")); // parent is a file: cannot be written
        startService(config);
        const HttpResult r = admin("PUT", QStringLiteral("/admin/rate-limit/config"), R"({"endpoint":"/x","requests":10})");
        QCOMPARE(r.status, 503);
        QCOMPARE(r.json().value("error").toString(), QStringLiteral("store_unavailable"));
        QCOMPARE(AdminApi::Config::fromJson(admin("GET", QStringLiteral("/admin/config")).json()).endpoints.size(), 0);
    }

    void apiKeyOverrideGivesOneKeyItsOwnLimit()
    {
        ServiceConfig config = baseConfig();
        config.apiKeyRateLimit = 2;
        startService(config);
        const QByteArray gold = keyId("gold-key");
        HttpResult r = admin("PUT", QStringLiteral("/admin/rate-limit/api-keys"),
                             R"({"key_id":")" + gold + R"(","requests":5,"window":30,"algorithm":"sliding_window_counter"})");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("key_id").toString(), QString::fromLatin1(gold));
        QCOMPARE(r.json().value("requests").toInteger(), 5);
        for (int i = 0; i < 5; ++i) {
            r = check({{"X-API-Key", "gold-key"}});
            QCOMPARE(r.status, 200);
            QCOMPARE(r.header("X-RateLimit-Limit"), QByteArray("5"));
            QCOMPARE(r.header("RateLimit-Policy"), QByteArray("\"api_key_override\";q=5;w=30"));
        }
        QCOMPARE(check({{"X-API-Key", "gold-key"}}).status, 429);
        r = check({{"X-API-Key", "plain-key"}});
        QCOMPARE(r.header("X-RateLimit-Limit"), QByteArray("2")); // other keys keep the API-key default
        QCOMPARE(r.header("RateLimit-Policy"), QByteArray("\"api_key_default\";q=2;w=60"));
        QCOMPARE(check().header("X-RateLimit-Limit"), QByteArray("3")); // IP clients keep REQUEST_RATE_LIMIT

        const QList<AdminApi::Violation> violations = AdminApi::Violation::listFromJson(
            admin("GET", QStringLiteral("/admin/rate-limit/violations")).json());
        QCOMPARE(violations.size(), 1);
        QCOMPARE(violations.at(0).rule, QStringLiteral("api_key_override"));
    }

    void endpointRuleStillAppliesOverAnApiKeyOverride()
    {
        ServiceConfig config = baseConfig();
        config.endpointRules = {EndpointLimitRule{QStringLiteral("/v1/ratelimit/check"), {}, RateLimitPolicy{Algorithm::SlidingLog, 2, 60'000, 0}}};
        startService(config);
        QCOMPARE(admin("PUT", QStringLiteral("/admin/rate-limit/api-keys"), R"({"api_key":"gold","requests":50})").status, 200);
        QCOMPARE(check({{"X-API-Key", "gold"}}).status, 200);
        QCOMPARE(check({{"X-API-Key", "gold"}}).status, 200);
        QCOMPARE(check({{"X-API-Key", "gold"}}).status, 429);
    }

    void apiKeyLimitNamedByTheKeyItselfStoresOnlyItsId()
    {
        QTemporaryDir dir;
        ServiceConfig config = baseConfig();
        config.rulesFile = dir.filePath(QStringLiteral("rules.json"));
        startService(config);
        const QByteArray secret = QByteArrayLiteral("sk-live-very-secret-key");
        const HttpResult r = admin("PUT", QStringLiteral("/admin/rate-limit/api-keys"), R"({"api_key":")" + secret + R"(","requests":7})");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("key_id").toString(), QString::fromLatin1(keyId(secret)));
        QVERIFY(!r.body.contains(secret));
        QCOMPARE(check({{"Authorization", "Bearer " + secret}}).header("X-RateLimit-Limit"), QByteArray("7"));
        for (const QString &path : {QStringLiteral("/admin/config"), QStringLiteral("/admin/config/history"),
                                    QStringLiteral("/admin/rate-limit/api-keys")}) {
            const HttpResult shown = admin("GET", path);
            QVERIFY2(shown.body.contains(keyId(secret)), qPrintable(path));
            QVERIFY2(!shown.body.contains(secret), qPrintable(path));
        }
        QFile file(config.rulesFile);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray saved = file.readAll();
        QVERIFY(saved.contains(keyId(secret)));
        QVERIFY(!saved.contains(secret));
    }

    void apiKeyDefaultIsEditableAtRuntimeAndRemovable()
    {
        ServiceConfig config = baseConfig();
        config.apiKeyRateLimit = 5;
        startService(config);
        QCOMPARE(admin("PUT", QStringLiteral("/admin/rate-limit/api-keys"), R"({"key_id":"default","requests":4,"window":10})").status, 200);
        AdminApi::Config shown = AdminApi::Config::fromJson(admin("GET", QStringLiteral("/admin/config")).json());
        QCOMPARE(shown.apiKeyRateLimit, 4);
        QVERIFY(shown.apiKeyDefault);
        QCOMPARE(shown.apiKeyDefault->windowSeconds, 10);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(check({{"X-API-Key", "k"}}).status, 200);
        const HttpResult denied = check({{"X-API-Key", "k"}});
        QCOMPARE(denied.status, 429);
        QCOMPARE(denied.header("Retry-After"), QByteArray("10"));
        QCOMPARE(check().header("X-RateLimit-Limit"), QByteArray("3"));

        QCOMPARE(admin("DELETE", QStringLiteral("/admin/rate-limit/api-keys?key_id=default")).status, 200);
        shown = AdminApi::Config::fromJson(admin("GET", QStringLiteral("/admin/config")).json());
        QVERIFY(!shown.apiKeyDefault);
        QCOMPARE(shown.apiKeyRateLimit, 3); // API-key clients share the default rule again
        QCOMPARE(check({{"X-API-Key", "other"}}).header("RateLimit-Policy"), QByteArray("\"default\";q=3;w=60"));
        const HttpResult again = admin("DELETE", QStringLiteral("/admin/rate-limit/api-keys?key_id=default"));
        QCOMPARE(again.status, 404);
        QCOMPARE(again.json().value("error").toString(), QStringLiteral("not_found"));
    }

    void apiKeyLimitsAreListedInConfigAndRecordedInHistory()
    {
        startService(baseConfig());
        const QByteArray a = keyId("a");
        const QByteArray b = keyId("b");
        QCOMPARE(admin("PUT", QStringLiteral("/admin/rate-limit/api-keys"), R"({"key_id":")" + b + R"(","requests":20})").status, 200);
        QCOMPARE(admin("PUT", QStringLiteral("/admin/rate-limit/api-keys"), R"({"key_id":")" + a + R"(","requests":10,"algorithm":"token_bucket","burst":15})").status, 200);
        QCOMPARE(admin("PUT", QStringLiteral("/admin/rate-limit/api-keys"), R"({"key_id":")" + a + R"(","requests":11,"algorithm":"token_bucket"})").status, 200);
        QCOMPARE(admin("DELETE", QStringLiteral("/admin/rate-limit/api-keys?key_id=") + QString::fromLatin1(b)).status, 200);
        QCOMPARE(admin("DELETE", QStringLiteral("/admin/rate-limit/api-keys?key_id=") + QString::fromLatin1(b)).status, 404);

        const AdminApi::Config config = AdminApi::Config::fromJson(admin("GET", QStringLiteral("/admin/config")).json());
        QVERIFY(!config.apiKeyDefault);
        QCOMPARE(config.apiKeyOverrides.size(), 1);
        QCOMPARE(config.apiKeyOverrides.at(0).keyId, QString::fromLatin1(a));
        QCOMPARE(config.apiKeyOverrides.at(0).requests, 11);
        QCOMPARE(config.apiKeyOverrides.at(0).algorithm, QStringLiteral("token_bucket"));
        QCOMPARE(config.apiKeyOverrides.at(0).windowSeconds, 60);
        const AdminApi::ApiKeyLimits listed = AdminApi::ApiKeyLimits::fromJson(admin("GET", QStringLiteral("/admin/rate-limit/api-keys")).json());
        QCOMPARE(listed.overrides.size(), 1);
        QCOMPARE(listed.overrides.at(0).keyId, QString::fromLatin1(a));

        const QJsonArray history = admin("GET", QStringLiteral("/admin/config/history")).json().value("history").toArray();
        QCOMPARE(history.size(), 4);
        const AdminApi::HistoryEntry changed = AdminApi::HistoryEntry::fromJson(history.at(2).toObject());
        QCOMPARE(changed.endpoint, QStringLiteral("api_key:") + QString::fromLatin1(a));
        QCOMPARE(changed.action, QStringLiteral("set"));
        QVERIFY(changed.oldRule && changed.newRule);
        QCOMPARE(changed.oldRule->requests, 10);
        QCOMPARE(changed.oldRule->burst, 15);
        QCOMPARE(changed.newRule->requests, 11);
        const AdminApi::HistoryEntry removed = AdminApi::HistoryEntry::fromJson(history.at(3).toObject());
        QCOMPARE(removed.action, QStringLiteral("delete"));
        QCOMPARE(removed.endpoint, QStringLiteral("api_key:") + QString::fromLatin1(b));
        QVERIFY(removed.oldRule && !removed.newRule);
    }

    void invalidApiKeyLimitChangesAreRejectedWithTheField_data()
    {
        QTest::addColumn<QByteArray>("verb");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        const QString path = QStringLiteral("/admin/rate-limit/api-keys");
        QTest::addRow("malformed JSON") << QByteArray("PUT") << path << QByteArray("{\"key_id\":") << "body";
        QTest::addRow("array body") << QByteArray("PUT") << path << QByteArray("[1]") << "body";
        QTest::addRow("no key") << QByteArray("PUT") << path << QByteArray(R"({"requests":5})") << "key_id";
        QTest::addRow("both names") << QByteArray("PUT") << path << QByteArray(R"({"key_id":"default","api_key":"x","requests":5})") << "key_id";
        QTest::addRow("short id") << QByteArray("PUT") << path << QByteArray(R"({"key_id":"abc","requests":5})") << "key_id";
        QTest::addRow("upper-case id") << QByteArray("PUT") << path << QByteArray(R"({"key_id":"ABCDEF0123456789","requests":5})") << "key_id";
        QTest::addRow("id not a string") << QByteArray("PUT") << path << QByteArray(R"({"key_id":12,"requests":5})") << "key_id";
        QTest::addRow("empty api_key") << QByteArray("PUT") << path << QByteArray(R"({"api_key":"","requests":5})") << "api_key";
        QTest::addRow("endpoint given") << QByteArray("PUT") << path << QByteArray(R"({"key_id":"default","endpoint":"/x","requests":5})") << "endpoint";
        QTest::addRow("method given") << QByteArray("PUT") << path << QByteArray(R"({"key_id":"default","method":"GET","requests":5})") << "method";
        QTest::addRow("zero requests") << QByteArray("PUT") << path << QByteArray(R"({"key_id":"default","requests":0})") << "requests";
        QTest::addRow("no requests") << QByteArray("PUT") << path << QByteArray(R"({"key_id":"default"})") << "requests";
        QTest::addRow("negative window") << QByteArray("PUT") << path << QByteArray(R"({"key_id":"default","requests":5,"window":-1})") << "window";
        QTest::addRow("unknown algorithm") << QByteArray("PUT") << path << QByteArray(R"({"key_id":"default","requests":5,"algorithm":"magic"})") << "algorithm";
        QTest::addRow("unknown field") << QByteArray("PUT") << path << QByteArray(R"({"key_id":"default","requests":5,"tier":"gold"})") << "tier";
        QTest::addRow("delete without id") << QByteArray("DELETE") << path << QByteArray() << "key_id";
        QTest::addRow("delete bad id") << QByteArray("DELETE") << path + QStringLiteral("?key_id=zz") << QByteArray() << "key_id";
    }
    void invalidApiKeyLimitChangesAreRejectedWithTheField()
    {
        QFETCH(QByteArray, verb);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        startService(baseConfig());
        const HttpResult r = admin(verb, path, body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json().value("error").toString(), QStringLiteral("invalid_request"));
        QVERIFY2(r.json().value("message").toString().startsWith(field), r.body.constData());
        const AdminApi::Config config = AdminApi::Config::fromJson(admin("GET", QStringLiteral("/admin/config")).json());
        QVERIFY(!config.apiKeyDefault);
        QVERIFY(config.apiKeyOverrides.isEmpty());
        QCOMPARE(admin("GET", QStringLiteral("/admin/config/history")).json().value("history").toArray().size(), 0);
    }

    void apiKeyLimitsNeedTheAdminKey()
    {
        startService(baseConfig());
        QCOMPARE(admin("PUT", QStringLiteral("/admin/rate-limit/api-keys"), R"({"key_id":"default","requests":5})", "wrong").status, 401);
        QCOMPARE(admin("GET", QStringLiteral("/admin/rate-limit/api-keys"), {}, QByteArray()).status, 401);
        QCOMPARE(admin("POST", QStringLiteral("/admin/rate-limit/api-keys"), R"({"key_id":"default","requests":5})").status, 405);
        QVERIFY(!AdminApi::Config::fromJson(admin("GET", QStringLiteral("/admin/config")).json()).apiKeyDefault);
    }

    void apiKeyLimitsPersistInTheRulesFile()
    {
        QTemporaryDir dir;
        ServiceConfig config = baseConfig();
        config.rulesFile = dir.filePath(QStringLiteral("rules.json"));
        config.apiKeyRateLimit = 9;
        startService(config);
        QCOMPARE(admin("PUT", QStringLiteral("/admin/rate-limit/api-keys"), R"({"api_key":"gold","requests":40})").status, 200);
        QCOMPARE(admin("DELETE", QStringLiteral("/admin/rate-limit/api-keys?key_id=default")).status, 200);
        m_service.reset();
        startService(config); // API_KEY_RATE_LIMIT is still 9: the saved removal wins over it
        QCOMPARE(check({{"X-API-Key", "gold"}}).header("X-RateLimit-Limit"), QByteArray("40"));
        QCOMPARE(check({{"X-API-Key", "silver"}}).header("X-RateLimit-Limit"), QByteArray("3"));
        QCOMPARE(admin("GET", QStringLiteral("/admin/config/history")).json().value("history").toArray().size(), 2);
    }

    void configuredApiKeyDefaultStillAppliesAfterRulesWereSaved()
    {
        QTemporaryDir dir;
        ServiceConfig config = baseConfig();
        config.rulesFile = dir.filePath(QStringLiteral("rules.json"));
        startService(config);
        QCOMPARE(admin("PUT", QStringLiteral("/admin/rate-limit/config"), R"({"endpoint":"/x","requests":10})").status, 200);
        m_service.reset();
        config.apiKeyRateLimit = 7; // set after the rules file was written: must still apply
        startService(config);
        QCOMPARE(check({{"X-API-Key", "k"}}).header("X-RateLimit-Limit"), QByteArray("7"));
        QCOMPARE(AdminApi::Config::fromJson(admin("GET", QStringLiteral("/admin/config")).json()).endpoints.size(), 1);
    }

    void malformedApiKeysInTheRulesFileStopTheStart_data()
    {
        QTest::addColumn<QByteArray>("apiKeys");
        QTest::addColumn<QString>("field");
        QTest::addRow("not an object") << QByteArray(R"("gold")") << "api_keys";
        QTest::addRow("default a number") << QByteArray(R"({"default":5})") << "api_keys.default";
        QTest::addRow("overrides a string") << QByteArray(R"({"overrides":"garbage"})") << "api_keys.overrides";
        QTest::addRow("override id") << QByteArray(R"({"overrides":{"gold":{"requests":5,"window_seconds":60,"algorithm":"sliding_log"}}})") << "api_keys.overrides";
        QTest::addRow("override not an object") << QByteArray(R"({"overrides":{"0123456789abcdef":5}})") << "api_keys.overrides";
        QTest::addRow("override policy") << QByteArray(R"({"overrides":{"0123456789abcdef":{"requests":0}}})") << "requests";
    }
    void malformedApiKeysInTheRulesFileStopTheStart()
    {
        QFETCH(QByteArray, apiKeys);
        QFETCH(QString, field);
        QTemporaryDir dir;
        ServiceConfig config = baseConfig();
        config.rulesFile = dir.filePath(QStringLiteral("rules.json"));
        QFile file(config.rulesFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"version":1,"default":{"requests":3,"window_seconds":60,"algorithm":"sliding_log"},"endpoints":[],"api_keys":)"
                   + apiKeys + R"(,"history":[]})");
        file.close();
        SluiceService service(config, m_clock);
        QString error;
        QVERIFY(!service.start(&error));
        QVERIFY2(error.contains(field), qPrintable(error));
    }

    void apiKeyLimitsReachEveryInstanceThroughRedis()
    {
        RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        ServiceConfig config = baseConfig();
        config.redisAddr = QString::fromLatin1(redis.address());
        config.apiKeyRateLimit = 9;
        // Two instances on one Redis, on the system clock (Redis decides with its own).
        auto first = std::make_unique<SluiceService>(config);
        auto second = std::make_unique<SluiceService>(config);
        QString error;
        QVERIFY2(first->start(&error), qPrintable(error));
        QVERIFY2(second->start(&error), qPrintable(error));
        QVERIFY(QTest::qWaitFor([&] { return first->storeMode() == StoreMode::Redis && second->storeMode() == StoreMode::Redis; }, 5000));
        const auto adminAt = [&](SluiceService &s, const QByteArray &verb, const QString &path, const QByteArray &body = {}) {
            return m_http.send(verb, QUrl(s.baseUrl().toString() + path), {{"X-Admin-Key", kAdminKey}}, body);
        };
        const auto configAt = [&](SluiceService &s) {
            return AdminApi::Config::fromJson(adminAt(s, "GET", QStringLiteral("/admin/config")).json());
        };
        const QByteArray gold = keyId("gold");
        QCOMPARE(adminAt(*first, "PUT", QStringLiteral("/admin/rate-limit/api-keys"), R"({"key_id":")" + gold + R"(","requests":25})").status, 200);
        QCOMPARE(adminAt(*first, "DELETE", QStringLiteral("/admin/rate-limit/api-keys?key_id=default")).status, 200);
        // The same removal through the other instance, whether or not it has heard of the first yet.
        QCOMPARE(adminAt(*second, "DELETE", QStringLiteral("/admin/rate-limit/api-keys?key_id=default")).status, 404);
        QTRY_VERIFY_WITH_TIMEOUT(configAt(*second).apiKeyOverrides.size() == 1 && !configAt(*second).apiKeyDefault, 5000);
        QCOMPARE(configAt(*second).apiKeyOverrides.at(0).requests, 25);
        QCOMPARE(configAt(*second).apiKeyRateLimit, 3); // the removal holds there too, despite API_KEY_RATE_LIMIT=9
        const HttpResult r = m_http.get(QUrl(second->baseUrl().toString() + QStringLiteral("/v1/ratelimit/check")), {{"X-API-Key", "gold"}});
        QCOMPARE(r.header("X-RateLimit-Limit"), QByteArray("25"));
        const QJsonArray history = adminAt(*second, "GET", QStringLiteral("/admin/config/history")).json().value("history").toArray();
        QCOMPARE(history.size(), 2);
        const AdminApi::HistoryEntry removal = AdminApi::HistoryEntry::fromJson(history.at(1).toObject());
        QCOMPARE(removal.endpoint, QStringLiteral("api_key:default"));
        QVERIFY(removal.oldRule);
        QCOMPARE(removal.oldRule->requests, 9); // the configured default it replaced

        // A restarted instance reads the runtime state from Redis, not its configuration.
        second.reset();
        second = std::make_unique<SluiceService>(config);
        QVERIFY2(second->start(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(configAt(*second).apiKeyOverrides.size() == 1, 5000);
        QVERIFY(!configAt(*second).apiKeyDefault);
        QCOMPARE(adminAt(*second, "PUT", QStringLiteral("/admin/rate-limit/api-keys"), R"({"key_id":"default","requests":6})").status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(configAt(*first).apiKeyRateLimit, 6, 5000);
    }

    void decidesInRedisForEachStrategyAndAlgorithm_data()
    {
        QTest::addColumn<QString>("strategy");
        QTest::addColumn<QString>("algorithm");
        for (const char *strategy : {"ip", "api_key", "endpoint"}) {
            for (const char *algorithm : {"sliding_log", "sliding_window_counter", "token_bucket"})
                QTest::addRow("%s %s", strategy, algorithm) << QString::fromLatin1(strategy) << QString::fromLatin1(algorithm);
        }
    }
    void decidesInRedisForEachStrategyAndAlgorithm()
    {
        QFETCH(QString, strategy);
        QFETCH(QString, algorithm);
        RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        ServiceConfig config = baseConfig();
        config.redisAddr = QString::fromLatin1(redis.address());
        config.defaultAlgorithm = *algorithmFromName(algorithm);
        config.requestRateLimit = 4;
        config.trustedProxies = {QStringLiteral("127.0.0.1/32")};
        // Redis decides with its own clock: the service runs on the system clock here.
        m_service = std::make_unique<SluiceService>(config);
        QString error;
        QVERIFY2(m_service->start(&error), qPrintable(error));
        QVERIFY(QTest::qWaitFor([&] { return m_service->storeMode() == StoreMode::Redis; }, 5000));

        HttpClient::Headers headers;
        QByteArray key = "rate_limit:ip:127.0.0.1";
        if (strategy == QLatin1String("api_key")) {
            headers.append(std::pair<QByteArray, QByteArray>("X-API-Key", "redis-client"));
            key = "rate_limit:api_key:" + keyId("redis-client");
        } else if (strategy == QLatin1String("endpoint")) {
            const QJsonObject rule{{"endpoint", "/v1/images/*"}, {"requests", 4}, {"window", 60}, {"algorithm", algorithm}};
            QCOMPARE(admin("PUT", QStringLiteral("/admin/rate-limit/config"), QJsonDocument(rule).toJson()).status, 200);
            headers.append(std::pair<QByteArray, QByteArray>("X-Forwarded-Uri", "/v1/images/generations"));
            key = "rate_limit:endpoint:/v1/images/*:ip:127.0.0.1";
        }
        for (int i = 0; i < 4; ++i) {
            const HttpResult r = check(headers);
            QCOMPARE(r.status, 200);
            // (The counter's estimate also depends on where the aligned window boundary falls.)
            if (algorithm != QLatin1String("sliding_window_counter"))
                QCOMPARE(r.header("X-RateLimit-Remaining").toInt(), 3 - i);
        }
        const HttpResult denied = check(headers);
        QCOMPARE(denied.status, 429);
        const int retryAfter = denied.header("Retry-After").toInt();
        // The counter may send a client into the next aligned window, where the previous one still weighs
        // in: up to W + W/4 here; the other two never ask for more than the window.
        const int maxRetryAfter = algorithm == QLatin1String("sliding_window_counter") ? 75 : 60;
        QVERIFY2(retryAfter >= 1 && retryAfter <= maxRetryAfter, denied.header("Retry-After").constData());
        if (algorithm == QLatin1String("sliding_log"))
            QVERIFY2(retryAfter >= 59, denied.header("Retry-After").constData()); // the oldest entry is < 1 s old
        if (algorithm == QLatin1String("token_bucket"))
            QVERIFY2(retryAfter >= 14 && retryAfter <= 15, denied.header("Retry-After").constData()); // one token per 15 s
        QCOMPARE(redis.cli({QStringLiteral("EXISTS"), QString::fromLatin1(key)}), QByteArray("1"));
        QVERIFY(redis.cli({QStringLiteral("PTTL"), QString::fromLatin1(key)}).toLongLong() > 0);

        const AdminApi::Stats stats = AdminApi::Stats::fromJson(admin("GET", QStringLiteral("/admin/rate-limit/stats")).json());
        QCOMPARE(stats.mode, QStringLiteral("redis"));
        QVERIFY(stats.redisConnected);
        QCOMPARE(stats.currentRates.size(), 1);
        QCOMPARE(stats.currentRates[0].key, QString::fromLatin1(key));
        QCOMPARE(stats.currentRates[0].strategy, strategy);
        QCOMPARE(stats.instances.size(), 1);
        QCOMPARE(stats.instances[0].totalRequests, 5);
        QCOMPARE(stats.instances[0].blockedRequests, 1);
        QCOMPARE(m_service->stats().snapshot().fallbackDecisions, 0);
    }

    void destroyingWithRedisCallsInFlightIsSafe()
    {
        RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        ServiceConfig config = baseConfig();
        config.redisAddr = QString::fromLatin1(redis.address());
        m_service = std::make_unique<SluiceService>(config);
        QString error;
        QVERIFY2(m_service->start(&error), qPrintable(error));
        QVERIFY(QTest::qWaitFor([&] { return m_service->storeMode() == StoreMode::Redis; }, 5000));
        QProcess sleeper; // keeps Redis busy so the calls below stay pending
        sleeper.start(QStringLiteral("redis-cli"), {QStringLiteral("-p"), QString::number(redis.port()),
                                                    QStringLiteral("DEBUG"), QStringLiteral("SLEEP"), QStringLiteral("0.2")});
        QVERIFY(sleeper.waitForStarted());
        QTest::qWait(30);
        QNetworkAccessManager manager;
        QList<QNetworkReply *> replies;
        for (const QString &path : {QStringLiteral("/v1/ratelimit/check"), QStringLiteral("/admin/rate-limit/stats")}) {
            QNetworkRequest request(url(path));
            request.setRawHeader("X-Admin-Key", kAdminKey);
            replies.append(manager.get(request));
        }
        QVERIFY(QTest::qWaitFor([&] { return m_service->pendingRequests() == 2; }, 2000));
        m_service.reset(); // with both calls still waiting for Redis
        for (QNetworkReply *reply : replies) {
            QVERIFY(QTest::qWaitFor([&] { return reply->isFinished(); }, 5000));
            reply->deleteLater();
        }
        sleeper.waitForFinished(5000);
    }

    void severalThreadsShareExactLimitsAndCounters()
    {
        ServiceConfig config = baseConfig();
        config.threads = 4;
        config.requestRateLimit = 100;
        startService(config);
        QCOMPARE(m_service->threadCount(), 4);
        // 30 connections (the kernel spreads them over the 4 listeners), 5 pipelined checks each, one
        // API key: exactly 100 admitted, whichever threads decided.
        std::vector<std::unique_ptr<RawHttpClient>> clients;
        for (int i = 0; i < 30; ++i) {
            clients.push_back(std::make_unique<RawHttpClient>());
            QVERIFY(clients.back()->connectTo(m_service->port()));
            QByteArray burst;
            for (int j = 0; j < 5; ++j)
                burst += "GET /v1/ratelimit/check HTTP/1.1\r\nHost: t\r\nX-API-Key: shared-key\r\n\r\n";
            clients.back()->write(burst);
        }
        int allowed = 0;
        int denied = 0;
        for (auto &c : clients) {
            const QList<RawResponse> r = c->readResponses(5);
            QCOMPARE(r.size(), 5);
            for (const RawResponse &one : r)
                (one.status == 200 ? allowed : denied) += 1;
        }
        QCOMPARE(allowed, 100);
        QCOMPARE(denied, 50);
        const ServiceStats::Snapshot snap = m_service->stats().snapshot();
        QCOMPARE(snap.totalRequests(), 150);
        QCOMPARE(snap.blockedRequests(), 50);
        // The admin API and /metrics answer on every connection, whichever thread accepted it.
        for (auto &c : clients) {
            c->received().clear();
            c->write("GET /admin/config HTTP/1.1\r\nHost: t\r\nX-Admin-Key: " + kAdminKey + "\r\n\r\nGET /metrics HTTP/1.1\r\nHost: t\r\n\r\n");
            const QList<RawResponse> r = c->readResponses(2);
            QCOMPARE(r.size(), 2);
            QCOMPARE(r[0].status, 200);
            QCOMPARE(r[1].status, 200);
            QVERIFY(r[1].body.contains("sluice_rate_limit_blocked_total 50\n"));
        }
    }

    void stopDrainsAndRefusesNewConnections()
    {
        startService(baseConfig());
        const QUrl health = url(QStringLiteral("/health"));
        QSignalSpy drained(m_service.get(), &SluiceService::drained);
        m_service->stop();
        QVERIFY(drained.wait(2000));
        HttpClient fresh;
        QCOMPARE(fresh.get(health).status, 0); // connection refused
    }

    void stopClosesIdleKeepAliveConnectionsOnEveryThread()
    {
        ServiceConfig config = baseConfig();
        config.threads = 2;
        startService(config);
        // SO_REUSEPORT spreads connections over both threads; enough of them to reach each one.
        std::vector<std::unique_ptr<RawHttpClient>> clients;
        for (int i = 0; i < 8; ++i) {
            auto c = std::make_unique<RawHttpClient>();
            QVERIFY(c->connectTo(m_service->port()));
            c->write("GET /health HTTP/1.1\r\nHost: t\r\n\r\n");
            QCOMPARE(c->readResponses(1).value(0).status, 200);
            clients.push_back(std::move(c));
        }
        QSignalSpy drained(m_service.get(), &SluiceService::drained);
        m_service->stop();
        QVERIFY(drained.wait(2000));
        for (const auto &c : clients)
            QVERIFY(c->waitForClose(2000)); // a client must not send its next request into a dying server
    }
};

QTEST_MAIN(tst_SluiceService)
#include "tst_sluiceservice.moc"
