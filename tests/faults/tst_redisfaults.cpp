// One sluice-server process on a real redis-server while the test's own load flows through it:
// Redis killed and restarted, Redis stalled (DEBUG SLEEP, CLIENT PAUSE). Decisions must keep
// coming (200/429 only, no 5xx, no dropped connection, no request beyond the Redis timeout plus
// scheduling slack), fall back to memory, and return to Redis, visibly in /admin/redis/status and /metrics.

#include "adminapi.h"
#include "faultsupport.h"
#include "httpclient.h"
#include "redisserver.h"

#include <QProcess>
#include <QTest>

using namespace Faults;

namespace {

const QByteArray kAdminKey = QByteArrayLiteral("faults-admin-key-2b7e");

// Slack on top of the Redis command timeout for a loaded 2-core CI machine (and ASan builds): the
// request itself, the fallback decision and event-loop scheduling of two processes.
constexpr int kSchedulingSlackMs = 750;

} // namespace

class tst_RedisFaults : public QObject
{
    Q_OBJECT

    HttpClient m_http;

    HttpClient::Headers adminHeaders() const { return {{"X-Admin-Key", kAdminKey}}; }
    AdminApi::RedisStatus redisStatus(const ServerProcess &server)
    {
        return AdminApi::RedisStatus::fromJson(m_http.get(server.url(QStringLiteral("/admin/redis/status")), adminHeaders()).json());
    }
    QByteArray metrics(const ServerProcess &server) { return m_http.get(server.url(QStringLiteral("/metrics"))).body; }

    static QList<std::pair<QString, QString>> env(const RedisServer &redis)
    {
        return {{"REDIS_ADDR", QString::fromLatin1(redis.address())},
                {"ADMIN_KEY", QString::fromLatin1(kAdminKey)},
                {"REQUEST_RATE_LIMIT", "50"},
                {"THREADS", "1"}};
    }
    static LoadGenerator::Options load(quint16 port)
    {
        LoadGenerator::Options o;
        o.ports = {port};
        o.connections = 4;
        o.keyFor = [](quint64 seq) { return QByteArray("client-") + QByteArray::number(seq % 16); }; // some reach the limit
        return o;
    }

private slots:
    void killedRedisFallsBackAndReturnsWithoutErrors()
    {
        RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        ServerProcess server(env(redis));
        QVERIFY2(server.waitUntilListening(), server.log().constData());
        QVERIFY2(eventually([&] { return redisStatus(server).mode == QLatin1String("redis"); }), server.log().constData());

        LoadGenerator generator(load(server.port()));
        generator.start();
        spin(1000);
        const qint64 killedAt = generator.elapsedMs();
        redis.kill();
        QVERIFY2(eventually([&] {
                     const AdminApi::RedisStatus s = redisStatus(server);
                     return !s.connected && s.mode == QLatin1String("memory-fallback");
                 }),
                 server.log().constData());
        const QByteArray during = metrics(server);
        QCOMPARE(metricValue(during, "sluice_rate_limit_redis_connected"), 0.0);
        QCOMPARE(metricValue(during, "sluice_rate_limit_store_mode{mode=\"memory-fallback\"}"), 1.0);
        spin(1000);
        QVERIFY(redis.restart());
        const qint64 restartedAt = generator.elapsedMs();
        QVERIFY2(eventually([&] {
                     const AdminApi::RedisStatus s = redisStatus(server);
                     return s.connected && s.mode == QLatin1String("redis");
                 }, 15000),
                 server.log().constData());
        const qint64 backAt = generator.elapsedMs();
        spin(1000);
        generator.stop();

        qInfo("%lld requests; outage %lld..%lld ms (back on Redis at %lld ms): %lld answered during it; p99 %.1f ms, max %.1f ms",
              generator.completed(), killedAt, restartedAt, backAt, generator.completedBetween(killedAt, backAt),
              generator.percentileMs(99), generator.percentileMs(100));
        QVERIFY2(generator.unexpectedStatuses({200, 429}).isEmpty(), qPrintable(generator.unexpectedStatuses({200, 429})));
        QCOMPARE(generator.connectionErrors(), 0);
        QCOMPARE(generator.hangs(), 0);
        QVERIFY2(generator.completedBetween(killedAt, backAt) > 0, "no request was answered while Redis was down");
        QVERIFY(generator.count(200) > 0);
        QVERIFY(generator.count(429) > 0);
        QVERIFY2(generator.percentileMs(100) < kRedisCommandTimeoutMs + kSchedulingSlackMs,
                 qPrintable(QStringLiteral("slowest request %1 ms").arg(generator.percentileMs(100))));

        const QByteArray after = metrics(server);
        QVERIFY(metricValue(after, "sluice_rate_limit_fallback_decisions_total") > 0);
        QVERIFY(metricValue(after, "sluice_rate_limit_redis_errors_total") > 0);
        QCOMPARE(metricValue(after, "sluice_rate_limit_redis_connected"), 1.0);
        QCOMPARE(metricValue(after, "sluice_rate_limit_store_mode{mode=\"redis\"}"), 1.0);
        const AdminApi::RedisStatus status = redisStatus(server);
        QVERIFY(status.errorsTotal > 0);
        QVERIFY(server.isRunning());
        // Decisions after the return are Redis' again: the fallback counter no longer moves.
        const double fallbacks = metricValue(after, "sluice_rate_limit_fallback_decisions_total");
        QCOMPARE(m_http.get(server.url(QStringLiteral("/v1/ratelimit/check")), {{"X-API-Key", "after-return"}}).status, 200);
        QCOMPARE(metricValue(metrics(server), "sluice_rate_limit_fallback_decisions_total"), fallbacks);
    }

    void stalledRedisFallsBackWithinTimeout_data()
    {
        QTest::addColumn<QStringList>("stallCommand");
        QTest::addRow("DEBUG SLEEP") << QStringList{QStringLiteral("DEBUG"), QStringLiteral("SLEEP"), QStringLiteral("2")};
        QTest::addRow("CLIENT PAUSE") << QStringList{QStringLiteral("CLIENT"), QStringLiteral("PAUSE"), QStringLiteral("2000"),
                                                     QStringLiteral("ALL")};
    }
    void stalledRedisFallsBackWithinTimeout()
    {
        QFETCH(QStringList, stallCommand);
        RedisServer redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        ServerProcess server(env(redis));
        QVERIFY2(server.waitUntilListening(), server.log().constData());
        QVERIFY2(eventually([&] { return redisStatus(server).mode == QLatin1String("redis"); }), server.log().constData());
        const double fallbacksBefore = metricValue(metrics(server), "sluice_rate_limit_fallback_decisions_total");

        LoadGenerator generator(load(server.port()));
        generator.start();
        spin(1000);
        // redis-cli blocks for the whole stall (DEBUG SLEEP) or returns at once (CLIENT PAUSE): run it
        // beside the event loop either way.
        QProcess stall;
        stall.start(QStringLiteral("redis-cli"), QStringList{QStringLiteral("-p"), QString::number(redis.port())} + stallCommand);
        QVERIFY(stall.waitForStarted());
        const qint64 stallFrom = generator.elapsedMs();
        const qint64 stallTo = stallFrom + 2000;
        spin(2000);
        QVERIFY(stall.state() == QProcess::NotRunning || stall.waitForFinished(5000));
        QVERIFY2(stall.exitCode() == 0, stall.readAllStandardError().constData());
        QVERIFY2(eventually([&] { return redisStatus(server).mode == QLatin1String("redis"); }, 15000), server.log().constData());
        spin(500);
        generator.stop();

        const double p99 = generator.percentileMs(99, stallFrom, stallTo);
        const double worst = generator.percentileMs(100, stallFrom, stallTo);
        qInfo("%lld requests, %lld started during the 2 s stall: p50 %.1f ms, p99 %.1f ms, max %.1f ms (outside: p99 %.1f ms)",
              generator.completed(), generator.completedBetween(stallFrom, stallTo), generator.percentileMs(50, stallFrom, stallTo), p99,
              worst, generator.percentileMs(99, 0, stallFrom));
        QVERIFY2(generator.unexpectedStatuses({200, 429}).isEmpty(), qPrintable(generator.unexpectedStatuses({200, 429})));
        QCOMPARE(generator.connectionErrors(), 0);
        QCOMPARE(generator.hangs(), 0);
        // A stalled Redis costs at most its timeout per request, then the fallback answers: the stall
        // (2 s) never reaches a client, and most requests during it do not wait at all.
        QVERIFY2(generator.completedBetween(stallFrom, stallTo) > 20, "requests stopped flowing during the stall");
        QVERIFY2(worst < kRedisCommandTimeoutMs + kSchedulingSlackMs, qPrintable(QStringLiteral("slowest request %1 ms").arg(worst)));
        QVERIFY2(p99 <= kRedisCommandTimeoutMs + kSchedulingSlackMs, qPrintable(QStringLiteral("p99 %1 ms").arg(p99)));
        QVERIFY(metricValue(metrics(server), "sluice_rate_limit_fallback_decisions_total") > fallbacksBefore);
        QVERIFY(server.isRunning());
    }
};

QTEST_MAIN(tst_RedisFaults)
#include "tst_redisfaults.moc"
