// sluice-server as a process: exit codes, SIGTERM (in-flight checks answered, gateway streams waited
// for up to SHUTDOWN_TIMEOUT, then cut), persistence across a restart, promtool on live metrics, and
// two instances sharing one real redis-server (shared limits, rule propagation, instances in stats,
// fallback when Redis dies).

#include "adminapi.h"
#include "eventloopwait.h"
#include "fakeupstream.h"
#include "httpclient.h"
#include "rawhttpclient.h"
#include "redisserver.h"
#include "serverprocess.h"
#include "testcertificates.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTcpSocket>

#include <memory>

namespace {

const QByteArray kAdminKey = QByteArrayLiteral("proc-admin-key-7f3a");
const QByteArray kRedisPassword = QByteArrayLiteral("redis-pw-91c2");

} // namespace

class tst_SluiceServer : public QObject
{
    Q_OBJECT

private:
    HttpClient m_http;
    HttpClient::Headers adminHeaders() const { return {{"X-Admin-Key", kAdminKey}}; }

    struct GatewayStream
    {
        FakeUpstream upstream;
        std::unique_ptr<ServerProcess> server;
        RawHttpClient client;
    };
    // sluice-server in gateway mode (two threads) before an upstream that streams `events` events
    // (0: endless) one every `intervalMs`, and a client of that stream; returns once its first event
    // came through. Check QTest::currentTestFailed() after it.
    void startStream(GatewayStream &stream, int events, int intervalMs, const QString &shutdownTimeout)
    {
        QVERIFY(stream.upstream.listen());
        stream.upstream.setHandler([events, intervalMs](const FakeUpstream::Request &, QTcpSocket *socket) {
            FakeUpstream::streamEvents(socket, events, intervalMs);
        });
        stream.server = std::make_unique<ServerProcess>(ServerProcess::Env{
            {"UPSTREAM_URL", QString::fromLatin1(stream.upstream.url())}, {"SHUTDOWN_TIMEOUT", shutdownTimeout}, {"THREADS", "2"}});
        QVERIFY2(stream.server->waitUntilListening(), stream.server->log().constData());
        QVERIFY(stream.client.connectTo(stream.server->port()));
        stream.client.write("GET /v1/events HTTP/1.1\r\nHost: t\r\n\r\n");
        QVERIFY2(stream.client.waitForBytes("data: tick 0\n\n"), stream.client.received().constData());
    }

private slots:
    void invalidConfigurationExitsWithCode2ListingEveryError()
    {
        ServerProcess server({{"REQUEST_RATE_LIMIT", "lots"}, {"LISTEN_ADDR", "nowhere"}, {"TRUSTED_PROXIES", "1.2.3.4/99"}},
                             {QStringLiteral("--redis-db"), QStringLiteral("-1")});
        QCOMPARE(server.waitForExit(), 2);
        const QByteArray log = server.log();
        for (const char *needle : {"REQUEST_RATE_LIMIT", "LISTEN_ADDR", "1.2.3.4/99", "--redis-db", "4 configuration error(s)"})
            QVERIFY2(log.contains(needle), log.constData());
    }

    void unusableRedisTlsFilesExitWithCode2ListingEveryError()
    {
        QTemporaryDir dir;
        QFile notPem(dir.filePath(QStringLiteral("client.crt")));
        QVERIFY(notPem.open(QIODevice::WriteOnly) && notPem.write("hello") == 5);
        notPem.close();
        QFile badKey(dir.filePath(QStringLiteral("client.key")));
        QVERIFY(badKey.open(QIODevice::WriteOnly));
        badKey.write("-----BEGIN PRIVATE KEY-----\nS3CRETKEYMATERIAL\n-----END PRIVATE KEY-----\n");
        badKey.close();
        ServerProcess server({{"REDIS_ADDR", "127.0.0.1:6390"}, {"REDIS_TLS", "on"},
                              {"REDIS_TLS_CA_FILE", dir.filePath(QStringLiteral("missing-ca.pem"))},
                              {"REDIS_TLS_CERT_FILE", notPem.fileName()}, {"REDIS_TLS_KEY_FILE", badKey.fileName()}});
        QCOMPARE(server.waitForExit(), 2);
        const QByteArray log = server.log();
        for (const char *needle : {"REDIS_TLS_CA_FILE: cannot read", "REDIS_TLS_CERT_FILE:", "holds no PEM certificate",
                                   "REDIS_TLS_KEY_FILE:", "holds no PEM private key", "3 configuration error(s)"})
            QVERIFY2(log.contains(needle), log.constData());
        QVERIFY2(!log.contains("S3CRETKEYMATERIAL"), log.constData());
    }

    void decidesInRedisOverTlsAndReportsIt()
    {
        TestCertificates certs;
        QVERIFY2(certs.create(), qPrintable(certs.errorString()));
        RedisServer redis;
        redis.useTls(certs, RedisServer::ClientAuth::Yes);
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        ServerProcess server({{"ADMIN_KEY", QString::fromLatin1(kAdminKey)},
                              {"REDIS_ADDR", QString::fromLatin1(redis.address())},
                              {"REDIS_TLS", "on"},
                              {"REDIS_TLS_CA_FILE", certs.caFile()},
                              {"REDIS_TLS_CERT_FILE", certs.clientCertFile()},
                              {"REDIS_TLS_KEY_FILE", certs.clientKeyFile()},
                              {"REQUEST_RATE_LIMIT", "2"}});
        QVERIFY2(server.waitUntilListening(), server.log().constData());
        const auto status = [&] {
            return AdminApi::RedisStatus::fromJson(m_http.get(server.url(QStringLiteral("/admin/redis/status")), adminHeaders()).json());
        };
        QVERIFY2(eventually([&] { return status().connected; }), server.log().constData());
        const AdminApi::RedisStatus s = status();
        QVERIFY(s.tls);
        QCOMPARE(s.mode, QStringLiteral("redis"));
        QVERIFY2(s.lastError.isEmpty(), qPrintable(s.lastError));
        QVERIFY(AdminApi::Config::fromJson(m_http.get(server.url(QStringLiteral("/admin/config")), adminHeaders()).json()).redisTls);

        const QUrl check = server.url(QStringLiteral("/v1/ratelimit/check"));
        const HttpClient::Headers client{{"X-API-Key", "tls-client"}};
        QCOMPARE(m_http.get(check, client).status, 200);
        QCOMPARE(m_http.get(check, client).status, 200);
        QCOMPARE(m_http.get(check, client).status, 429);
        // The decisions live in Redis: its only rate-limit key holds the two admitted requests.
        QByteArray key;
        for (const QByteArray &k : redis.cli({QStringLiteral("--scan"), QStringLiteral("--pattern"), QStringLiteral("rate_limit:api_key:*")}).split('\n'))
            key = k.trimmed().isEmpty() ? key : k.trimmed();
        QVERIFY2(!key.isEmpty(), "no rate-limit key in Redis");
        QCOMPARE(redis.cli({QStringLiteral("ZCARD"), QString::fromLatin1(key)}), QByteArray("2"));
        QVERIFY2(!server.log().contains("BEGIN"), server.log().constData()); // no key material in the log
    }

    void helpListsTheSettings()
    {
        ServerProcess server({}, {QStringLiteral("--help")});
        QCOMPARE(server.waitForExit(), 0);
        const QByteArray out = server.standardOutput();
        for (const char *needle : {"--listen", "--admin-key", "--redis-addr", "REDIS_PASSWORD", "--config", "TRUSTED_PROXIES"})
            QVERIFY2(out.contains(needle), out.constData());
    }

    void sigtermStopsGracefullyWithExitCode0()
    {
        ServerProcess server(QList<std::pair<QString, QString>>{{"ADMIN_KEY", QString::fromLatin1(kAdminKey)}});
        QVERIFY2(server.waitUntilListening(), server.log().constData());
        QCOMPARE(m_http.get(server.url(QStringLiteral("/v1/ratelimit/check"))).status, 200);
        QCOMPARE(server.terminate(), 0);
        const QByteArray log = server.log();
        QVERIFY2(log.contains("received SIGTERM") && log.contains("stopped"), log.constData());
        QVERIFY(!log.contains(kAdminKey));
    }

    void sigtermAnswersRequestsInFlightBeforeExiting()
    {
        RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        ServerProcess server(QList<std::pair<QString, QString>>{{"REDIS_ADDR", QString::fromLatin1(redis.address())}});
        QVERIFY2(server.waitUntilListening(), server.log().constData());
        QVERIFY(eventually([&] { return m_http.get(server.url(QStringLiteral("/health"))).json().value("mode") == QLatin1String("redis"); }));

        // Redis busy for 200 ms (below the store's command timeout): checks wait for their answer.
        QProcess sleeper;
        sleeper.start(QStringLiteral("redis-cli"), {QStringLiteral("-p"), QString::number(redis.port()),
                                                    QStringLiteral("DEBUG"), QStringLiteral("SLEEP"), QStringLiteral("0.2")});
        QVERIFY(sleeper.waitForStarted());
        QTest::qWait(50);
        // A client that gives up early must not take the server down (QPointer socket guard).
        {
            QTcpSocket quitter;
            quitter.connectToHost(QHostAddress::LocalHost, server.url({}).port());
            QVERIFY(quitter.waitForConnected(2000));
            quitter.write("GET /v1/ratelimit/check HTTP/1.1\r\nHost: x\r\nX-API-Key: gone\r\n\r\n");
            QVERIFY(quitter.waitForBytesWritten(1000));
            QTest::qWait(20);
            quitter.abort();
        }
        QNetworkAccessManager manager;
        QList<QNetworkReply *> replies;
        for (int i = 0; i < 5; ++i) {
            QNetworkRequest request(server.url(QStringLiteral("/v1/ratelimit/check")));
            request.setRawHeader("X-API-Key", "inflight-" + QByteArray::number(i));
            replies.append(manager.get(request));
        }
        QTest::qWait(50); // the requests are now waiting inside the server for Redis
        const int exitCode = server.terminate();
        for (QNetworkReply *reply : replies) {
            QVERIFY(eventually([&] { return reply->isFinished(); }, 5000));
            QVERIFY2(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200,
                     qPrintable(reply->errorString() + QLatin1Char('\n') + QString::fromUtf8(server.log())));
            reply->deleteLater();
        }
        QCOMPARE(exitCode, 0);
        sleeper.waitForFinished(5000);
        const QByteArray log = server.log();
        static const QRegularExpression inFlight(QStringLiteral("received SIGTERM, no longer accepting connections, (\\d+) request"));
        const auto match = inFlight.match(QString::fromUtf8(log));
        QVERIFY2(match.hasMatch() && match.captured(1).toInt() > 0, log.constData());
        QVERIFY2(log.contains("stopped"), log.constData());
    }

    void sigtermWaitsForAProxiedStreamThatEndsBeforeTheShutdownTimeout()
    {
        // Ten events 100 ms apart: the stream still has ~900 ms to go when SIGTERM arrives.
        GatewayStream stream;
        startStream(stream, 10, 100, QStringLiteral("5s"));
        if (QTest::currentTestFailed())
            return;
        QElapsedTimer drain;
        drain.start();
        stream.server->signalTerminate();
        QCOMPARE(stream.server->waitForExit(8000), 0);
        const qint64 drainMs = drain.elapsed();
        QVERIFY(stream.client.waitForClose(2000));
        const QList<RawResponse> answers = stream.client.parse();
        QCOMPARE(answers.size(), 1); // complete: the last chunk arrived before the close
        QCOMPARE(answers[0].status, 200);
        QCOMPARE(answers[0].body.count("data: tick "), 10);
        QVERIFY2(answers[0].body.endsWith("data: tick 9\n\n"), answers[0].body.constData());
        QVERIFY2(drainMs >= 600 && drainMs < 5000, qPrintable(QString::number(drainMs)));
        const QByteArray log = stream.server->log();
        QVERIFY2(log.contains("received SIGTERM, no longer accepting connections, 1 request(s) in flight"), log.constData());
        QVERIFY2(log.contains("stopped") && !log.contains("shutdown timeout"), log.constData());
    }

    void sigtermCutsAStreamLongerThanTheShutdownTimeoutAndExits0()
    {
        constexpr qint64 kTimeoutMs = 1000;
        GatewayStream stream;
        startStream(stream, 0, 50, QStringLiteral("1s")); // endless
        if (QTest::currentTestFailed())
            return;
        QElapsedTimer drain;
        drain.start();
        stream.server->signalTerminate();
        QCOMPARE(stream.server->waitForExit(kTimeoutMs + 4000), 0);
        const qint64 drainMs = drain.elapsed();
        QVERIFY(stream.client.waitForClose(2000));
        // The stream kept flowing during the drain, then broke off without its last chunk.
        const QByteArray &received = stream.client.received();
        QVERIFY2(received.contains("data: tick 10\n\n"), received.constData());
        QVERIFY(!received.endsWith("0\r\n\r\n"));
        QCOMPARE(stream.client.parse().size(), 0);
        QVERIFY2(drainMs >= kTimeoutMs - 100 && drainMs < kTimeoutMs + 1500, qPrintable(QString::number(drainMs)));
        const QByteArray log = stream.server->log();
        QVERIFY2(log.contains("shutdown timeout, cutting 1 request(s) still in flight"), log.constData());
    }

    void rulesSurviveARestartWithoutRedis()
    {
        QTemporaryDir dir;
        const QList<std::pair<QString, QString>> env{{"ADMIN_KEY", QString::fromLatin1(kAdminKey)},
                                                     {"RULES_FILE", dir.filePath(QStringLiteral("rules.json"))},
                                                     {"TRUSTED_PROXIES", "127.0.0.1"}};
        {
            ServerProcess first(env);
            QVERIFY2(first.waitUntilListening(), first.log().constData());
            const HttpResult put = m_http.send("PUT", first.url(QStringLiteral("/admin/rate-limit/config")), adminHeaders(),
                                               "{\"endpoint\":\"/v1/images/*\",\"requests\":10,\"window\":60}");
            QCOMPARE(put.status, 200);
            QVERIFY2(first.log().contains("config change:"), first.log().constData());
            QCOMPARE(first.terminate(), 0);
        }
        ServerProcess second(env);
        QVERIFY2(second.waitUntilListening(), second.log().constData());
        const AdminApi::Config config =
            AdminApi::Config::fromJson(m_http.get(second.url(QStringLiteral("/admin/config")), adminHeaders()).json());
        QCOMPARE(config.endpoints.size(), 1);
        QCOMPARE(config.endpoints[0].endpoint, QStringLiteral("/v1/images/*"));
        QCOMPARE(config.endpoints[0].requests, 10);
        const HttpResult r = m_http.get(second.url(QStringLiteral("/v1/ratelimit/check")), {{"X-Original-URI", "/v1/images/x"}});
        QCOMPARE(r.header("X-RateLimit-Limit"), QByteArray("10"));
        QCOMPARE(m_http.get(second.url(QStringLiteral("/admin/config/history")), adminHeaders()).json().value("history").toArray().size(), 1);
    }

    void liveMetricsPassPromtool()
    {
        const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        if (promtool.isEmpty())
            QFAIL("promtool is not installed (Debian package prometheus)");
        ServerProcess server(QList<std::pair<QString, QString>>{{"REQUEST_RATE_LIMIT", "2"}});
        QVERIFY2(server.waitUntilListening(), server.log().constData());
        for (int i = 0; i < 3; ++i)
            m_http.get(server.url(QStringLiteral("/v1/ratelimit/check")));
        const HttpResult metrics = m_http.get(server.url(QStringLiteral("/metrics")));
        QCOMPARE(metrics.status, 200);
        QVERIFY(metrics.body.contains("sluice_rate_limit_blocked_total 1\n"));
        QProcess p;
        p.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
        QVERIFY(p.waitForStarted());
        p.write(metrics.body);
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(30000));
        QVERIFY2(p.exitCode() == 0, (p.readAllStandardOutput() + p.readAllStandardError()).constData());
    }

    void twoInstancesShareLimitsAndRulesThroughRedis()
    {
        RedisServer redis({QStringLiteral("--requirepass"), QString::fromLatin1(kRedisPassword)});
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        const QList<std::pair<QString, QString>> env{{"ADMIN_KEY", QString::fromLatin1(kAdminKey)},
                                                     {"REDIS_ADDR", QString::fromLatin1(redis.address())},
                                                     {"REDIS_PASSWORD", QString::fromLatin1(kRedisPassword)},
                                                     {"REQUEST_RATE_LIMIT", "5"},
                                                     {"TRUSTED_PROXIES", "127.0.0.1"}};
        ServerProcess a(env);
        ServerProcess b(env);
        QVERIFY2(a.waitUntilListening(), a.log().constData());
        QVERIFY2(b.waitUntilListening(), b.log().constData());
        const auto mode = [this](ServerProcess &s) { return m_http.get(s.url(QStringLiteral("/health"))).json().value("mode").toString(); };
        QVERIFY2(eventually([&] { return mode(a) == QLatin1String("redis") && mode(b) == QLatin1String("redis"); }), a.log().constData());

        // One limit across both instances: 5 per minute for this client, wherever it lands.
        const QUrl checkA = a.url(QStringLiteral("/v1/ratelimit/check"));
        const QUrl checkB = b.url(QStringLiteral("/v1/ratelimit/check"));
        const HttpClient::Headers client{{"X-API-Key", "shared-client"}};
        for (int i = 0; i < 3; ++i)
            QCOMPARE(m_http.get(checkA, client).status, 200);
        QCOMPARE(m_http.get(checkB, client).status, 200);
        const HttpResult last = m_http.get(checkB, client);
        QCOMPARE(last.status, 200);
        QCOMPARE(last.header("X-RateLimit-Remaining"), QByteArray("0"));
        const HttpResult denied = m_http.get(checkA, client);
        QCOMPARE(denied.status, 429);
        const int retryAfter = denied.header("Retry-After").toInt();
        QVERIFY2(retryAfter >= 59 && retryAfter <= 60, denied.header("Retry-After").constData()); // Redis' own clock: a range

        // A rule set through A reaches B within a second.
        QElapsedTimer propagation;
        propagation.start();
        QCOMPARE(m_http.send("PUT", a.url(QStringLiteral("/admin/rate-limit/config")), adminHeaders(),
                             "{\"endpoint\":\"/v1/chat\",\"requests\":2,\"window\":60}").status, 200);
        const auto bHasRule = [&] {
            return AdminApi::Config::fromJson(m_http.get(b.url(QStringLiteral("/admin/config")), adminHeaders()).json()).endpoints.size() == 1;
        };
        QVERIFY(eventually(bHasRule, 1000));
        qInfo("rule visible on the other instance after %lld ms", qlonglong(propagation.elapsed()));
        const HttpClient::Headers chat{{"X-Original-URI", "/v1/chat"}, {"X-API-Key", "chat-client"}};
        QCOMPARE(m_http.get(checkB, chat).header("X-RateLimit-Limit"), QByteArray("2"));
        QCOMPARE(m_http.get(checkA, chat).status, 200);
        QCOMPARE(m_http.get(checkB, chat).status, 429);

        // History is shared, with the old value filled in by Redis.
        QCOMPARE(m_http.send("PUT", b.url(QStringLiteral("/admin/rate-limit/config")), adminHeaders(),
                             "{\"endpoint\":\"/v1/chat\",\"requests\":3,\"window\":60}").status, 200);
        QVERIFY(eventually([&] {
            return m_http.get(a.url(QStringLiteral("/admin/config/history")), adminHeaders()).json().value("history").toArray().size() == 2;
        }, 1000));
        const QJsonArray history = m_http.get(a.url(QStringLiteral("/admin/config/history")), adminHeaders()).json().value("history").toArray();
        const AdminApi::HistoryEntry second = AdminApi::HistoryEntry::fromJson(history.at(1).toObject());
        QVERIFY(second.oldRule.has_value());
        QCOMPARE(second.oldRule->requests, 2);
        QCOMPARE(second.newRule->requests, 3);

        // The default rule and deletions travel the same way.
        QCOMPARE(m_http.send("PUT", a.url(QStringLiteral("/admin/rate-limit/config")), adminHeaders(),
                             "{\"endpoint\":\"default\",\"requests\":7}").status, 200);
        QVERIFY(eventually([&] {
            return m_http.get(checkB, {{"X-API-Key", "default-client"}}).header("X-RateLimit-Limit") == "7";
        }, 1000));
        QCOMPARE(m_http.send("DELETE", b.url(QStringLiteral("/admin/rate-limit/config?endpoint=/v1/chat")), adminHeaders()).status, 200);
        QCOMPARE(m_http.send("DELETE", a.url(QStringLiteral("/admin/rate-limit/config?endpoint=/v1/chat")), adminHeaders()).status, 404);
        QVERIFY(eventually([&] {
            return AdminApi::Config::fromJson(m_http.get(a.url(QStringLiteral("/admin/config")), adminHeaders()).json()).endpoints.isEmpty();
        }, 1000));

        // Stats on one instance show the shared keys and both instances.
        const HttpResult statsReply = m_http.get(a.url(QStringLiteral("/admin/rate-limit/stats?limit=10&sort=usage")), adminHeaders());
        QCOMPARE(statsReply.status, 200);
        const AdminApi::Stats stats = AdminApi::Stats::fromJson(statsReply.json());
        QVERIFY(stats.redisConnected);
        QCOMPARE(stats.mode, QStringLiteral("redis"));
        QVERIFY2(stats.instances.size() == 2, statsReply.body.constData());
        bool sawShared = false;
        for (const AdminApi::CurrentRate &r : stats.currentRates)
            sawShared = sawShared || (r.strategy == QLatin1String("api_key") && r.currentCount == 5);
        QVERIFY2(sawShared, statsReply.body.constData());
        const AdminApi::RedisStatus status =
            AdminApi::RedisStatus::fromJson(m_http.get(b.url(QStringLiteral("/admin/redis/status")), adminHeaders()).json());
        QVERIFY(status.enabled);
        QVERIFY(status.connected);
        QCOMPARE(status.addr, QString::fromLatin1(redis.address()));

        // Clear through B frees the shared key for A.
        const QString sharedKey = QStringLiteral("rate_limit:api_key:")
                                  + QString::fromLatin1(QCryptographicHash::hash("shared-client", QCryptographicHash::Sha256).toHex().left(16));
        QCOMPARE(m_http.send("POST", b.url(QStringLiteral("/admin/rate-limit/clear?key=") + sharedKey), adminHeaders()).status, 200);
        QCOMPARE(m_http.get(checkA, client).status, 200);

        // Redis gone: decisions fall back to memory, rule changes are refused (503), nothing half-applied.
        redis.kill();
        QVERIFY(eventually([&] { return mode(a) == QLatin1String("memory-fallback"); }));
        QCOMPARE(m_http.get(checkA, client).status, 200);
        const HttpResult refused = m_http.send("PUT", a.url(QStringLiteral("/admin/rate-limit/config")), adminHeaders(),
                                               "{\"endpoint\":\"/v1/other\",\"requests\":2}");
        QCOMPARE(refused.status, 503);
        QCOMPARE(refused.json().value("error").toString(), QStringLiteral("store_unavailable"));
        QVERIFY(m_http.get(a.url(QStringLiteral("/metrics"))).body.contains("sluice_rate_limit_redis_connected 0\n"));
        QVERIFY(redis.restart());
        QVERIFY(eventually([&] { return mode(a) == QLatin1String("redis"); }, 10000));

        QCOMPARE(a.terminate(), 0);
        QCOMPARE(b.terminate(), 0);
        for (ServerProcess *s : {&a, &b}) {
            const QByteArray log = s->log();
            QVERIFY2(!log.contains(kAdminKey) && !log.contains(kRedisPassword) && !log.contains("shared-client"), log.constData());
            QVERIFY2(log.contains("store mode changed to memory-fallback"), log.constData());
        }
    }
};

QTEST_MAIN(tst_SluiceServer)
#include "tst_sluiceserver.moc"
