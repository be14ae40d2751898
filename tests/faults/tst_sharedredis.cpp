// Three sluice-server processes sharing one real redis-server under concurrent load from the test:
// with the sliding log, the requests admitted per client key inside one window never exceed the
// limit, in total across the instances, exactly, also while a limit change made on one instance
// propagates to the others (raising it admits exactly up to the new limit, lowering it admits nothing more).

#include "adminapi.h"
#include "faultsupport.h"
#include "httpclient.h"
#include "redisserver.h"

#include <QTest>

using namespace Faults;

namespace {

const QByteArray kAdminKey = QByteArrayLiteral("shared-admin-key-55d1");
constexpr int kKeys = 24;
constexpr int kInstances = 3;

} // namespace

class tst_SharedRedis : public QObject
{
    Q_OBJECT

    HttpClient m_http;

    HttpClient::Headers adminHeaders() const { return {{"X-Admin-Key", kAdminKey}}; }
    bool putRule(const ServerProcess &server, int requests)
    {
        const QByteArray body = "{\"endpoint\":\"/v1/chat\",\"requests\":" + QByteArray::number(requests) + ",\"window\":600}";
        return m_http.send("PUT", server.url(QStringLiteral("/admin/rate-limit/config")), adminHeaders(), body).status == 200;
    }
    qint64 ruleLimit(const ServerProcess &server)
    {
        const AdminApi::Config config =
            AdminApi::Config::fromJson(m_http.get(server.url(QStringLiteral("/admin/config")), adminHeaders()).json());
        return config.endpoints.size() == 1 ? config.endpoints.first().requests : -1;
    }
    // Every key admitted exactly `limit` times so far, none more.
    static QString overAdmitted(const LoadGenerator &generator, qint64 limit)
    {
        QStringList over;
        for (auto it = generator.admittedByKey().cbegin(); it != generator.admittedByKey().cend(); ++it) {
            if (it.value() > limit)
                over << QStringLiteral("%1: %2").arg(QString::fromLatin1(it.key())).arg(it.value());
        }
        return over.join(QLatin1String(", "));
    }
    static bool allKeysAt(const LoadGenerator &generator, qint64 limit)
    {
        if (generator.admittedByKey().size() != kKeys)
            return false;
        for (qint64 n : generator.admittedByKey())
            if (n != limit)
                return false;
        return true;
    }

private slots:
    void admittedPerKeyNeverExceedsLimitAcrossInstances()
    {
        RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        const QList<std::pair<QString, QString>> env{{"REDIS_ADDR", QString::fromLatin1(redis.address())},
                                                     {"ADMIN_KEY", QString::fromLatin1(kAdminKey)},
                                                     {"DEFAULT_ALGORITHM", "sliding_log"},
                                                     {"TRUSTED_PROXIES", "127.0.0.1"}, // X-Original-URI is a proxy's header
                                                     {"THREADS", "2"}};
        std::vector<std::unique_ptr<ServerProcess>> servers;
        QList<quint16> ports;
        for (int i = 0; i < kInstances; ++i) {
            servers.push_back(std::make_unique<ServerProcess>(env));
            QVERIFY2(servers.back()->waitUntilListening(), servers.back()->log().constData());
            ports << servers.back()->port();
        }
        for (const auto &s : servers)
            QVERIFY2(eventually([&] { return m_http.get(s->url(QStringLiteral("/health"))).json().value("mode").toString() == QLatin1String("redis"); }),
                     s->log().constData());

        QVERIFY(putRule(*servers[0], 20));
        for (const auto &s : servers)
            QVERIFY(eventually([&] { return ruleLimit(*s) == 20; }));

        LoadGenerator::Options options;
        options.ports = ports;
        options.connections = 12; // four per instance, all racing for the same keys
        options.headers = {{"X-Original-URI", "/v1/chat"}};
        options.keyFor = [](quint64 seq) { return QByteArray("shared-") + QByteArray::number(seq % kKeys); };
        LoadGenerator generator(options);
        generator.start();

        // Phase 1: limit 20. Every key reaches exactly 20 and stays there.
        QVERIFY2(eventually([&] { return allKeysAt(generator, 20); }, 30000), qPrintable(overAdmitted(generator, 20)));
        spin(500);
        QVERIFY2(overAdmitted(generator, 20).isEmpty(), qPrintable(overAdmitted(generator, 20)));
        const qint64 denied1 = generator.count(429);

        // Phase 2: raised to 30 on instance 1 while the load runs; the others learn it through Redis.
        // Instances still on 20 deny, those on 30 admit up to 30: never more than 30 in total.
        QVERIFY(putRule(*servers[1], 30));
        QVERIFY2(eventually([&] { return allKeysAt(generator, 30); }, 30000), qPrintable(overAdmitted(generator, 30)));
        for (const auto &s : servers)
            QVERIFY(eventually([&] { return ruleLimit(*s) == 30; }));
        spin(500);
        QVERIFY2(overAdmitted(generator, 30).isEmpty(), qPrintable(overAdmitted(generator, 30)));

        // Phase 3: lowered to 10 on instance 2: the keys are over the new limit, nothing is admitted.
        QVERIFY(putRule(*servers[2], 10));
        for (const auto &s : servers)
            QVERIFY(eventually([&] { return ruleLimit(*s) == 10; }));
        spin(500);
        generator.stop();
        QVERIFY2(allKeysAt(generator, 30), qPrintable(overAdmitted(generator, 30)));

        qInfo("%lld requests over %d instances in %lld ms: %lld admitted (%d keys x 30), %lld denied (%lld before the first change)",
              generator.completed(), kInstances, generator.elapsedMs(), generator.count(200), kKeys, generator.count(429), denied1);
        QVERIFY2(generator.unexpectedStatuses({200, 429}).isEmpty(), qPrintable(generator.unexpectedStatuses({200, 429})));
        QCOMPARE(generator.connectionErrors(), 0);
        QCOMPARE(generator.hangs(), 0);
        // Exactness holds only for Redis decisions: none may have fallen back.
        for (const auto &s : servers) {
            const QByteArray metrics = m_http.get(s->url(QStringLiteral("/metrics"))).body;
            QCOMPARE(metricValue(metrics, "sluice_rate_limit_fallback_decisions_total"), 0.0);
            QCOMPARE(metricValue(metrics, "sluice_rate_limit_redis_errors_total"), 0.0);
        }
    }
};

QTEST_MAIN(tst_SharedRedis)
#include "tst_sharedredis.moc"
