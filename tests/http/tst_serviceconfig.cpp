// ServiceConfig::load: defaults, precedence (flag > env > file), and every error listed at once.
// (A core class; its test lives with the service tests because the config exists for sluice-server.)

#include "serviceconfig.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

namespace {

ConfigLoadResult load(const QStringList &flags, const QList<std::pair<QString, QString>> &env = {})
{
    QProcessEnvironment environment;
    for (const auto &e : env)
        environment.insert(e.first, e.second);
    return ServiceConfig::load(QStringList{QStringLiteral("sluice-server")} + flags, environment);
}

} // namespace

class tst_ServiceConfig : public QObject
{
    Q_OBJECT

private slots:
    void defaultsMatchTheGuide()
    {
        const ConfigLoadResult r = load({});
        QCOMPARE(r.outcome, ConfigLoadResult::Outcome::Ok);
        QCOMPARE(r.config.listenAddr(), QStringLiteral("127.0.0.1:7055"));
        QCOMPARE(r.config.requestRateLimit, 60);
        QCOMPARE(r.config.defaultPolicy().windowMs, 60'000);
        QCOMPARE(r.config.defaultPolicy().algorithm, Algorithm::SlidingLog);
        QVERIFY(r.config.adminKeys.isEmpty());
        QVERIFY(r.config.redisAddr.isEmpty());
        QVERIFY(r.config.trustedProxies.isEmpty());
        QCOMPARE(r.config.keyPrefix, QByteArray("rate_limit:"));
        QVERIFY(r.config.rulesFile.endsWith(QLatin1String("/sluice/rules.json")));
        QVERIFY(ServiceConfig::defaults().rulesFile.isEmpty());
        QVERIFY(load({"--rules-file", ""}).config.rulesFile.isEmpty());
        QVERIFY(r.config.rateLimitHeaders);
    }

    void readsTheEnvironment()
    {
        const ConfigLoadResult r = load({}, {{"LISTEN_ADDR", "0.0.0.0:0"}, {"ADMIN_KEY", "a, b"}, {"REQUEST_RATE_LIMIT", "30"},
                                             {"REDIS_ADDR", "localhost:6379"}, {"REDIS_PASSWORD", "pw"}, {"REDIS_DB", "3"},
                                             {"UPSTREAM_URL", "https://api.example.com"}, {"TRUSTED_PROXIES", "10.0.0.0/8, ::1"},
                                             {"RATELIMIT_HEADERS", "off"}, {"DEFAULT_ALGORITHM", "token_bucket"}});
        QCOMPARE(r.outcome, ConfigLoadResult::Outcome::Ok);
        QCOMPARE(r.config.listenHost, QStringLiteral("0.0.0.0"));
        QCOMPARE(r.config.listenPort, 0);
        QCOMPARE(r.config.adminKeys, (QList<QByteArray>{"a", "b"}));
        QCOMPARE(r.config.requestRateLimit, 30);
        QCOMPARE(r.config.redisAddr, QStringLiteral("localhost:6379"));
        QCOMPARE(r.config.redisPassword, QByteArray("pw"));
        QCOMPARE(r.config.redisDb, 3);
        QCOMPARE(r.config.upstreamUrl, QUrl("https://api.example.com"));
        QCOMPARE(r.config.trustedProxies, (QStringList{"10.0.0.0/8", "::1/128"}));
        QVERIFY(!r.config.rateLimitHeaders);
        QCOMPARE(r.config.defaultAlgorithm, Algorithm::TokenBucket);
    }

    void flagsBeatEnvironmentBeatsFile()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath("c.json"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"request_rate_limit": 10, "redis_db": 1, "admin_key": "filekey", "trusted_proxies": ["10.0.0.0/8"], )"
                   "\"endpoints\": [{\"endpoint\": \"/v1/images/*\", \"requests\": 5, \"window\": 60}]}");
        file.close();
        const ConfigLoadResult r = load({"--config", file.fileName(), "--request-rate-limit", "30"},
                                        {{"REQUEST_RATE_LIMIT", "20"}, {"REDIS_DB", "2"}});
        QCOMPARE(r.outcome, ConfigLoadResult::Outcome::Ok);
        QCOMPARE(r.config.requestRateLimit, 30);
        QCOMPARE(r.config.redisDb, 2);
        QCOMPARE(r.config.adminKeys, QList<QByteArray>{"filekey"});
        QCOMPARE(r.config.trustedProxies, QStringList{"10.0.0.0/8"});
        QCOMPARE(r.config.endpointRules.size(), 1);
        QCOMPARE(r.config.endpointRules[0].endpoint, QStringLiteral("/v1/images/*"));
        QCOMPARE(r.config.endpointRules[0].policy.limit, 5);
    }

    void apiKeyRateLimitDefaultsToTheDefaultRuleAndComesFromEverySource()
    {
        QCOMPARE(load({}).config.apiKeyRateLimit, 0); // 0: API-key clients share REQUEST_RATE_LIMIT
        QTemporaryDir dir;
        QFile file(dir.filePath("c.json"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"api_key_rate_limit": 500})");
        file.close();
        QCOMPARE(load({"--config", file.fileName()}).config.apiKeyRateLimit, 500);
        QCOMPARE(load({"--config", file.fileName()}, {{"API_KEY_RATE_LIMIT", "600"}}).config.apiKeyRateLimit, 600);
        QCOMPARE(load({"--config", file.fileName(), "--api-key-rate-limit", "700"}, {{"API_KEY_RATE_LIMIT", "600"}}).config.apiKeyRateLimit, 700);
    }

    void badApiKeyRateLimitIsNamed_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("algorithm");
        QTest::addRow("zero") << "0" << "sliding_log";
        QTest::addRow("negative") << "-5" << "sliding_log";
        QTest::addRow("not a number") << "lots" << "sliding_log";
        QTest::addRow("above the sliding log's range") << "100001" << "sliding_log";
    }
    void badApiKeyRateLimitIsNamed()
    {
        QFETCH(QString, value);
        QFETCH(QString, algorithm);
        const ConfigLoadResult r = load({}, {{"API_KEY_RATE_LIMIT", value}, {"DEFAULT_ALGORITHM", algorithm}});
        QCOMPARE(r.outcome, ConfigLoadResult::Outcome::Invalid);
        QVERIFY2(r.errors.join(QLatin1Char('\n')).contains(QLatin1String("API_KEY_RATE_LIMIT")), qPrintable(r.errors.join(QLatin1Char('\n'))));
        QCOMPARE(load({}, {{"API_KEY_RATE_LIMIT", "100001"}, {"DEFAULT_ALGORITHM", "token_bucket"}}).outcome, ConfigLoadResult::Outcome::Ok);
    }

    void listsEveryError()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath("c.json"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"colour": "blue", "endpoints": [{"endpoint": "nope", "requests": 0}]})");
        file.close();
        const ConfigLoadResult r = load({"--config", file.fileName(), "--listen", "localhost", "--redis-db", "99"},
                                        {{"REQUEST_RATE_LIMIT", "-1"}, {"TRUSTED_PROXIES", "10.0.0.0/40,bogus"},
                                         {"UPSTREAM_URL", "ftp://x"}, {"RATELIMIT_HEADERS", "maybe"}, {"DEFAULT_ALGORITHM", "leaky"}});
        QCOMPARE(r.outcome, ConfigLoadResult::Outcome::Invalid);
        const QString all = r.errors.join(QLatin1Char('\n'));
        for (const char *needle : {"colour", "endpoint", "requests", "--listen", "--redis-db", "REQUEST_RATE_LIMIT",
                                   "10.0.0.0/40", "bogus", "UPSTREAM_URL", "RATELIMIT_HEADERS", "DEFAULT_ALGORITHM"})
            QVERIFY2(all.contains(QLatin1String(needle)), qPrintable(QStringLiteral("missing %1 in:\n%2").arg(QLatin1String(needle), all)));
        QVERIFY(r.errors.size() >= 11);
    }

    void unreadableFileIsAnError()
    {
        const ConfigLoadResult r = load({"--config", "/nonexistent/sluice.json"});
        QCOMPARE(r.outcome, ConfigLoadResult::Outcome::Invalid);
        QVERIFY(r.errors.join(' ').contains("/nonexistent/sluice.json"));
    }

    void helpNamesEveryVariable()
    {
        const ConfigLoadResult r = load({"--help"});
        QCOMPARE(r.outcome, ConfigLoadResult::Outcome::Help);
        for (const char *name : {"REDIS_ADDR", "REDIS_PASSWORD", "REDIS_DB", "REDIS_MODE", "REDIS_SENTINELS", "REDIS_SENTINEL_MASTER",
                                 "REDIS_SENTINEL_PASSWORD", "REQUEST_RATE_LIMIT", "API_KEY_RATE_LIMIT", "LISTEN_ADDR", "ADMIN_KEY",
                                 "UPSTREAM_URL", "TRUSTED_PROXIES", "--config", "--listen", "THREADS", "MAX_BODY_SIZE",
                                 "MAX_HEADER_SIZE", "MAX_HEADERS", "REQUEST_TIMEOUT", "IDLE_TIMEOUT", "MAX_CONNECTIONS",
                                 "UPSTREAM_TIMEOUT", "REDIS_TLS", "REDIS_TLS_CA_FILE", "REDIS_TLS_CERT_FILE", "REDIS_TLS_KEY_FILE",
                                 "REDIS_TLS_SERVER_NAME"})
            QVERIFY2(r.text.contains(QLatin1String(name)), name);
    }

    void httpLimitsHaveOperatorDefaults()
    {
        const ConfigLoadResult r = load({});
        QCOMPARE(r.outcome, ConfigLoadResult::Outcome::Ok);
        QCOMPARE(r.config.threads, 0);
        QCOMPARE(r.config.limits.maxBodyBytes, 10 * 1024 * 1024);
        QCOMPARE(r.config.limits.maxHeaderBytes, 32 * 1024);
        QCOMPARE(r.config.limits.maxHeaderCount, 100);
        QCOMPARE(r.config.limits.requestTimeoutMs, 30'000);
        QCOMPARE(r.config.limits.idleTimeoutMs, 60'000);
        QCOMPARE(r.config.limits.maxConnections, 10'000);
        QCOMPARE(r.config.limits.upstreamTimeoutMs, 60'000);
    }

    void httpLimitsComeFromEnvironmentFlagsAndFile()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("sluice.json"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"max_body_size": "2m", "idle_timeout": "5s", "max_headers": 50, "threads": 3})");
        f.close();
        const ConfigLoadResult r = load({"--config", file, "--request-timeout", "750ms", "--max-connections", "42"},
                                        {{"MAX_HEADER_SIZE", "16KiB"}, {"UPSTREAM_TIMEOUT", "2m"}, {"THREADS", "4"}});
        QCOMPARE(r.outcome, ConfigLoadResult::Outcome::Ok);
        QCOMPARE(r.config.limits.maxBodyBytes, 2 * 1024 * 1024);
        QCOMPARE(r.config.limits.idleTimeoutMs, 5'000);
        QCOMPARE(r.config.limits.maxHeaderCount, 50);
        QCOMPARE(r.config.threads, 4); // environment beats file
        QCOMPARE(r.config.limits.requestTimeoutMs, 750);
        QCOMPARE(r.config.limits.maxConnections, 42);
        QCOMPARE(r.config.limits.maxHeaderBytes, 16 * 1024);
        QCOMPARE(r.config.limits.upstreamTimeoutMs, 120'000);
    }

    void redisModeIsStandaloneByDefaultAndCaseInsensitive()
    {
        QCOMPARE(load({}).config.redisMode, QStringLiteral("standalone"));
        QVERIFY(!load({}).config.redisEnabled());
        QCOMPARE(load({"--redis-mode", "CLUSTER"}).config.redisMode, QStringLiteral("cluster"));
        QCOMPARE(load({}, {{"REDIS_MODE", "Standalone"}}).config.redisMode, QStringLiteral("standalone"));
    }

    void clusterModeTakesASeedListFromEverySource()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath("c.json"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"redis_mode": "cluster", "redis_addr": "10.0.0.1:7000, 10.0.0.2:7001,redis-3:7002"})");
        file.close();
        const ConfigLoadResult r = load({"--config", file.fileName()});
        QVERIFY2(r.outcome == ConfigLoadResult::Outcome::Ok, qPrintable(r.errors.join(QLatin1Char('\n'))));
        QCOMPARE(r.config.redisMode, QStringLiteral("cluster"));
        QCOMPARE(r.config.redisAddr, QStringLiteral("10.0.0.1:7000, 10.0.0.2:7001,redis-3:7002"));
        QVERIFY(r.config.redisEnabled());
        // The same list is an error outside cluster mode: REDIS_ADDR is one server there.
        const ConfigLoadResult standalone = load({"--redis-addr", "10.0.0.1:7000,10.0.0.2:7001"});
        QCOMPARE(standalone.outcome, ConfigLoadResult::Outcome::Invalid);
        QVERIFY(standalone.errors.join(QLatin1Char('\n')).contains(QLatin1String("REDIS_ADDR")));
    }

    void sentinelModeEnablesRedisWithoutAnAddress()
    {
        const ConfigLoadResult r = load({"--redis-sentinel-master", "mymaster"},
                                        {{"REDIS_MODE", "sentinel"}, {"REDIS_SENTINELS", "10.0.0.1:26379,sentinel-2"},
                                         {"REDIS_SENTINEL_PASSWORD", "sentinel-secret"}});
        QVERIFY2(r.outcome == ConfigLoadResult::Outcome::Ok, qPrintable(r.errors.join(QLatin1Char('\n'))));
        QCOMPARE(r.config.redisMode, QStringLiteral("sentinel"));
        QCOMPARE(r.config.redisSentinels, QStringLiteral("10.0.0.1:26379,sentinel-2"));
        QCOMPARE(r.config.redisSentinelMaster, QStringLiteral("mymaster"));
        QCOMPARE(r.config.redisSentinelPassword, QByteArray("sentinel-secret"));
        QVERIFY(r.config.redisAddr.isEmpty());
        QVERIFY(r.config.redisEnabled());
    }

    void badRedisSettingsAreNamed_data()
    {
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<QString>("field");
        QTest::addRow("unknown mode") << QStringList{"--redis-mode", "replicated"} << "--redis-mode";
        QTest::addRow("cluster seed without port") << QStringList{"--redis-mode", "cluster", "--redis-addr", "10.0.0.1:7000,10.0.0.2"} << "REDIS_ADDR";
        QTest::addRow("cluster seed port out of range") << QStringList{"--redis-mode", "cluster", "--redis-addr", "10.0.0.1:70000"} << "REDIS_ADDR";
        QTest::addRow("cluster empty seed") << QStringList{"--redis-mode", "cluster", "--redis-addr", "10.0.0.1:7000,,"} << "REDIS_ADDR";
        QTest::addRow("standalone bad addr") << QStringList{"--redis-addr", "host:port"} << "REDIS_ADDR";
        QTest::addRow("sentinel without sentinels") << QStringList{"--redis-mode", "sentinel", "--redis-sentinel-master", "m"} << "REDIS_SENTINELS";
        QTest::addRow("sentinel without master") << QStringList{"--redis-mode", "sentinel", "--redis-sentinels", "10.0.0.1"} << "REDIS_SENTINEL_MASTER";
        QTest::addRow("bad sentinel port") << QStringList{"--redis-mode", "sentinel", "--redis-sentinels", "10.0.0.1:x", "--redis-sentinel-master", "m"} << "REDIS_SENTINELS";
        QTest::addRow("sentinels outside sentinel mode") << QStringList{"--redis-sentinels", "10.0.0.1"} << "REDIS_SENTINELS";
    }
    void badRedisSettingsAreNamed()
    {
        QFETCH(QStringList, flags);
        QFETCH(QString, field);
        const ConfigLoadResult r = load(flags);
        QCOMPARE(r.outcome, ConfigLoadResult::Outcome::Invalid);
        const QString all = r.errors.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(field), qPrintable(all));
    }

    void sentinelPasswordIsNeverInAnError()
    {
        const ConfigLoadResult r = load({"--redis-mode", "sentinel", "--redis-sentinel-password", "sentinel-secret"});
        QCOMPARE(r.outcome, ConfigLoadResult::Outcome::Invalid);
        QVERIFY(!r.errors.join(QLatin1Char('\n')).contains(QLatin1String("sentinel-secret")));
    }

    void redisTlsIsOffByDefaultAndComesFromEverySource()
    {
        QVERIFY(!load({}).config.redisTls);
        QTemporaryDir dir;
        QFile file(dir.filePath("c.json"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"redis_addr": "10.0.0.5:6380", "redis_tls": true, "redis_tls_ca_file": "/etc/ssl/redis-ca.pem",
                      "redis_tls_server_name": "redis.internal"})");
        file.close();
        ConfigLoadResult r = load({"--config", file.fileName()});
        QCOMPARE(r.outcome, ConfigLoadResult::Outcome::Ok);
        QVERIFY(r.config.redisTls);
        QCOMPARE(r.config.redisTlsCaFile, QStringLiteral("/etc/ssl/redis-ca.pem"));
        QCOMPARE(r.config.redisTlsServerName, QStringLiteral("redis.internal"));

        r = load({"--redis-tls-cert-file", "/c.pem", "--redis-tls-server-name", "::1"},
                 {{"REDIS_TLS", "yes"}, {"REDIS_TLS_KEY_FILE", " /k.pem "}, {"REDIS_TLS_SERVER_NAME", "ignored.example"}});
        QCOMPARE(r.outcome, ConfigLoadResult::Outcome::Ok);
        QVERIFY(r.config.redisTls);
        QCOMPARE(r.config.redisTlsCertFile, QStringLiteral("/c.pem"));
        QCOMPARE(r.config.redisTlsKeyFile, QStringLiteral("/k.pem"));
        QCOMPARE(r.config.redisTlsServerName, QStringLiteral("::1")); // the flag beats the environment
        QVERIFY(r.config.redisTlsCaFile.isEmpty());                   // the system CAs

        r = load({"--redis-tls", "off"}, {{"REDIS_TLS", "on"}});
        QCOMPARE(r.outcome, ConfigLoadResult::Outcome::Ok);
        QVERIFY(!r.config.redisTls);
    }

    void badRedisTlsSettingsAreAllListed()
    {
        // Every mistake at once: a bad switch, a certificate without its key, a name with a port.
        ConfigLoadResult r = load({"--redis-tls", "maybe", "--redis-tls-server-name", "redis.internal:6380"},
                                  {{"REDIS_TLS_CERT_FILE", "/c.pem"}});
        QCOMPARE(r.outcome, ConfigLoadResult::Outcome::Invalid);
        QString all = r.errors.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QLatin1String("--redis-tls: must be on or off")), qPrintable(all));
        QVERIFY2(all.contains(QLatin1String("--redis-tls-server-name: must be a host name")), qPrintable(all));
        // REDIS_TLS stayed off, so the file is reported as unused.
        QVERIFY2(all.contains(QLatin1String("REDIS_TLS_CERT_FILE: only used when REDIS_TLS is on")), qPrintable(all));

        r = load({"--redis-tls", "on", "--redis-tls-cert-file", "/c.pem"});
        QCOMPARE(r.outcome, ConfigLoadResult::Outcome::Invalid);
        QCOMPARE(r.errors, QStringList{"REDIS_TLS_KEY_FILE: required when REDIS_TLS_CERT_FILE is set"});
        r = load({"--redis-tls", "on"}, {{"REDIS_TLS_KEY_FILE", "/k.pem"}});
        QCOMPARE(r.errors, QStringList{"REDIS_TLS_CERT_FILE: required when REDIS_TLS_KEY_FILE is set"});

        r = load({}, {{"REDIS_TLS_CA_FILE", "/ca.pem"}, {"REDIS_TLS_KEY_FILE", "/k.pem"}, {"REDIS_TLS_SERVER_NAME", "r"}});
        QCOMPARE(r.errors.size(), 3);
        all = r.errors.join(QLatin1Char('\n'));
        for (const char *field : {"REDIS_TLS_CA_FILE", "REDIS_TLS_KEY_FILE", "REDIS_TLS_SERVER_NAME"})
            QVERIFY2(all.contains(QLatin1String(field)), qPrintable(all));
    }

    void badHttpLimitsAreAllListed()
    {
        const ConfigLoadResult r = load({"--idle-timeout", "soon"}, {{"MAX_BODY_SIZE", "-1"}, {"MAX_HEADER_SIZE", "10"}, {"THREADS", "x"},
                                                                  {"REQUEST_TIMEOUT", "5 parsecs"}, {"MAX_CONNECTIONS", "0"}});
        QCOMPARE(r.outcome, ConfigLoadResult::Outcome::Invalid);
        const QString all = r.errors.join(QLatin1Char('\n'));
        for (const char *field : {"--idle-timeout", "MAX_BODY_SIZE", "MAX_HEADER_SIZE", "THREADS", "REQUEST_TIMEOUT", "MAX_CONNECTIONS"})
            QVERIFY2(all.contains(QLatin1String(field)), qPrintable(all));
    }

    void shutdownTimeoutDefaultsTo30sAndComesFromEverySource()
    {
        QCOMPARE(load({}).config.shutdownTimeoutMs, 30'000);
        QCOMPARE(load({}, {{"SHUTDOWN_TIMEOUT", "5"}}).config.shutdownTimeoutMs, 5'000);
        QCOMPARE(load({"--shutdown-timeout", "1500ms"}, {{"SHUTDOWN_TIMEOUT", "5"}}).config.shutdownTimeoutMs, 1'500);
        QCOMPARE(load({"--shutdown-timeout", "0"}).config.shutdownTimeoutMs, 0); // cut at once
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("s.json")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"shutdown_timeout": 2})");
        file.close();
        QCOMPARE(load({"--config", file.fileName()}).config.shutdownTimeoutMs, 2'000);
        QVERIFY(load({"--help"}).text.contains(QLatin1String("SHUTDOWN_TIMEOUT")));
    }

    void badShutdownTimeoutIsNamed_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addRow("not a duration") << "soon";
        QTest::addRow("negative") << "-1";
        QTest::addRow("over an hour") << "2h";
        QTest::addRow("unknown unit") << "3d";
    }
    void badShutdownTimeoutIsNamed()
    {
        QFETCH(QString, value);
        const ConfigLoadResult r = load({}, {{"SHUTDOWN_TIMEOUT", value}});
        QCOMPARE(r.outcome, ConfigLoadResult::Outcome::Invalid);
        QCOMPARE(r.errors.size(), 1);
        QVERIFY2(r.errors.first().contains(QLatin1String("SHUTDOWN_TIMEOUT")), qPrintable(r.errors.first()));
    }

    void ruleParsingIsStrict_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("valid");
        QTest::addRow("minimal") << QByteArray(R"({"endpoint":"/x","requests":1})") << true;
        QTest::addRow("full") << QByteArray("{\"endpoint\":\"/x/*\",\"method\":\"post\",\"requests\":5,\"window\":10,\"algorithm\":\"token_bucket\",\"burst\":9}") << true;
        QTest::addRow("window_seconds form") << QByteArray(R"({"endpoint":"/x","requests":1,"window_seconds":30})") << true;
        QTest::addRow("counter big limit") << QByteArray(R"({"endpoint":"/x","requests":100000000,"algorithm":"sliding_window_counter"})") << true;
        QTest::addRow("counter too big") << QByteArray(R"({"endpoint":"/x","requests":100000001,"algorithm":"sliding_window_counter"})") << false;
        QTest::addRow("burst too big") << QByteArray(R"({"endpoint":"/x","requests":1,"algorithm":"token_bucket","burst":100000001})") << false;
        QTest::addRow("window max") << QByteArray(R"({"endpoint":"/x","requests":1,"window":86400})") << true;
        QTest::addRow("huge number") << QByteArray(R"({"endpoint":"/x","requests":1e300})") << false;
        QTest::addRow("null requests") << QByteArray(R"({"endpoint":"/x","requests":null})") << false;
        QTest::addRow("space in path") << QByteArray(R"({"endpoint":"/a b","requests":1})") << false;
        QTest::addRow("query in path") << QByteArray(R"({"endpoint":"/a?b","requests":1})") << false;
    }
    void ruleParsingIsStrict()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, valid);
        QStringList errors;
        const auto rule = EndpointLimitRule::fromJson(QJsonDocument::fromJson(json).object(), Algorithm::SlidingLog, &errors);
        QCOMPARE(rule.has_value(), valid);
        QCOMPARE(errors.isEmpty(), valid);
        if (rule) {
            QStringList again;
            QCOMPARE(EndpointLimitRule::fromJson(rule->toJson(), Algorithm::SlidingLog, &again), rule);
        }
    }
};

QTEST_MAIN(tst_ServiceConfig)
#include "tst_serviceconfig.moc"
