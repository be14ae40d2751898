// RedisHealthProbe (and the store's pool usage it reports) against real redis-server processes:
// latency and INFO fields, the eviction warning after CONFIG SET, a replica, a stalled Redis (DEBUG
// SLEEP) and a Redis that is gone.

#include "acquirenow.h"
#include "manualclock.h"
#include "memoryratelimitstore.h"
#include "redishealthprobe.h"
#include "redisratelimitstore.h"
#include "redisserver.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTest>

#include <optional>

namespace {

constexpr int WaitMs = 10'000;

RedisSettings settingsFor(const RedisServer &server, int commandTimeoutMs = 2000)
{
    RedisSettings s;
    s.host = QStringLiteral("127.0.0.1");
    s.port = server.port();
    s.commandTimeoutMs = commandTimeoutMs;
    return s;
}

// refresh() and the time until it called back; false when it never did.
bool refreshNow(RedisHealthProbe &probe, qint64 *elapsedMs = nullptr)
{
    bool done = false;
    QElapsedTimer timer;
    timer.start();
    probe.refresh([&] { done = true; });
    const bool answered = QTest::qWaitFor([&] { return done; }, WaitMs);
    if (elapsedMs)
        *elapsedMs = timer.elapsed();
    return answered;
}

bool mentions(const QStringList &warnings, const QString &needle)
{
    return std::any_of(warnings.cbegin(), warnings.cend(), [&](const QString &w) { return w.contains(needle); });
}

RateLimitPolicy windowPolicy()
{
    RateLimitPolicy p;
    p.algorithm = Algorithm::SlidingWindowCounter;
    p.limit = 1'000'000;
    p.windowMs = 60'000;
    return p;
}

} // namespace

class tst_RedisHealthProbe : public QObject
{
    Q_OBJECT

private:
    std::optional<RedisServer> m_server; // a fresh one per test
    ManualClock m_clock;
    std::optional<MemoryRateLimitStore> m_memory; // the stores' fallback

private slots:
    void init()
    {
        m_server.emplace();
        QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
        m_memory.emplace(m_clock);
    }
    void cleanup()
    {
        m_memory.reset();
        m_server.reset();
    }

    void measuresLatencyAndReadsInfoOfTheServer()
    {
        RedisRateLimitStore store(settingsFor(*m_server), *m_memory);
        RedisHealthProbe probe(store);
        QTRY_VERIFY_WITH_TIMEOUT(probe.overall().hasSample(), WaitMs);
        const RedisNodeHealth h = probe.overall();
        QCOMPARE(h.address, store.settings().address());
        QVERIFY2(h.latencyMs > 0 && h.latencyMs < store.settings().commandTimeoutMs, qPrintable(QString::number(h.latencyMs)));
        QVERIFY(h.latencyAvgMs > 0 && h.latencyMaxMs >= h.latencyMs);
        QVERIFY(h.usedMemoryBytes > 0);
        QCOMPARE(h.maxmemoryBytes, 0); // redis-server's default
        QVERIFY(!h.redisVersion.isEmpty());
        QCOMPARE(h.role, QStringLiteral("master"));
        QVERIFY(h.connectedClients >= 1);
        QVERIFY(h.probeError.isEmpty());
        QVERIFY(mentions(h.warnings, QStringLiteral("no maxmemory")));
        QVERIFY(!h.evictionRisk);
        QCOMPARE(probe.nodes().size(), 1);
    }

    void warnsWhenThePolicyCanEvictAndStopsWithNoeviction()
    {
        RedisRateLimitStore store(settingsFor(*m_server), *m_memory);
        RedisHealthProbe probe(store);
        QTRY_VERIFY_WITH_TIMEOUT(probe.overall().hasSample(), WaitMs);
        QVERIFY(!probe.overall().evictionRisk);

        QCOMPARE(m_server->cli({QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("maxmemory"), QStringLiteral("64mb")}), QByteArray("OK"));
        QCOMPARE(m_server->cli({QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("maxmemory-policy"), QStringLiteral("allkeys-lru")}),
                 QByteArray("OK"));
        // Logged once when the risk appears, not on every probe.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^Redis 127\\.0\\.0\\.1:\\d+: maxmemory-policy allkeys-lru with maxmemory 64\\.0 MiB can evict")));
        QTRY_VERIFY_WITH_TIMEOUT((refreshNow(probe), probe.overall().evictionRisk), WaitMs);
        RedisNodeHealth h = probe.overall();
        QCOMPARE(h.maxmemoryBytes, 64 * 1024 * 1024);
        QCOMPARE(h.maxmemoryPolicy, QStringLiteral("allkeys-lru"));
        QVERIFY(mentions(h.warnings, QStringLiteral("silently resets their limits")));
        QVERIFY(h.memoryUsageRatio().has_value() && *h.memoryUsageRatio() > 0 && *h.memoryUsageRatio() < 0.9);

        QCOMPARE(m_server->cli({QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("maxmemory-policy"), QStringLiteral("noeviction")}),
                 QByteArray("OK"));
        QTRY_VERIFY_WITH_TIMEOUT((refreshNow(probe), !probe.overall().evictionRisk), WaitMs);
        h = probe.overall();
        QCOMPARE(h.maxmemoryPolicy, QStringLiteral("noeviction"));
        QVERIFY2(h.warnings.isEmpty(), qPrintable(h.warnings.join('|')));
    }

    void reportsRoleAndReplicationOfMasterAndReplica()
    {
        const RedisServer &master = *m_server;
        RedisServer replica({QStringLiteral("--replicaof"), QStringLiteral("127.0.0.1"), QString::number(master.port())});
        QVERIFY2(replica.start(), qPrintable(replica.errorString()));
        RedisRateLimitStore toMaster(settingsFor(master), *m_memory);
        RedisRateLimitStore toReplica(settingsFor(replica), *m_memory);
        RedisHealthProbe masterProbe(toMaster);
        RedisHealthProbe replicaProbe(toReplica);

        QTRY_VERIFY_WITH_TIMEOUT((refreshNow(masterProbe), masterProbe.overall().connectedReplicas == 1
                                                                  && masterProbe.overall().replicationLagBytes.has_value()),
                                 WaitMs);
        const RedisNodeHealth m = masterProbe.overall();
        QCOMPARE(m.role, QStringLiteral("master"));
        QVERIFY(*m.replicationLagBytes >= 0);
        QVERIFY(m.replicationLagSeconds.has_value() && *m.replicationLagSeconds >= 0);
        QCOMPARE(m.replicas.size(), 1);
        QCOMPARE(m.replicas.first().address, QStringLiteral("127.0.0.1:%1").arg(replica.port()));
        QVERIFY(!m.masterLinkUp.has_value());

        QTRY_VERIFY_WITH_TIMEOUT((refreshNow(replicaProbe), replicaProbe.overall().masterLinkUp == true), WaitMs);
        const RedisNodeHealth r = replicaProbe.overall();
        QCOMPARE(r.role, QStringLiteral("replica"));
        QVERIFY(r.replicationLagSeconds.has_value() && *r.replicationLagSeconds >= 0);
        QVERIFY(mentions(r.warnings, QStringLiteral("READONLY")));
    }

    void poolUsageCountsCommandsInFlightAndTheirPeak()
    {
        RedisSettings s = settingsFor(*m_server);
        s.poolSize = 2;
        RedisRateLimitStore store(s, *m_memory);
        QTRY_COMPARE_WITH_TIMEOUT(store.poolUsage().ready, 2, WaitMs);
        QCOMPARE(store.poolUsage().size, 2);
        QCOMPARE(store.poolUsage().inFlight, 0);

        int answered = 0;
        for (int i = 0; i < 40; ++i)
            store.acquire("pool:" + QByteArray::number(i), windowPolicy(), 1, [&](const Decision &) { ++answered; });
        // Nothing answered yet: the replies need the event loop.
        const RedisPoolUsage busy = store.poolUsage();
        QCOMPARE(answered, 0);
        QCOMPARE(busy.inFlight, 40);
        QCOMPARE(busy.maxInFlight, 40);
        QTRY_COMPARE_WITH_TIMEOUT(answered, 40, WaitMs);
        QCOMPARE(store.poolUsage().inFlight, 0);
        QCOMPARE(store.poolUsage().maxInFlight, 40); // the peak outlives the burst
    }

    void stalledRedisIsReportedWithinTheCommandTimeout()
    {
        RedisRateLimitStore store(settingsFor(*m_server, 200), *m_memory);
        QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);

        // DEBUG SLEEP stalls Redis; the probe's PING queues behind it and cannot answer in time.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^Redis at .* lost: no reply within 200 ms")));
        store.command({"DEBUG", "SLEEP", "1.5"}, [](const RedisReplyValue &) {});
        RedisHealthProbe probe(store); // probes at once: the store is connected
        qint64 waited = 0;
        QVERIFY(refreshNow(probe, &waited));
        QVERIFY2(waited < 1000, qPrintable(QStringLiteral("refresh answered after %1 ms").arg(waited)));
        const RedisNodeHealth h = probe.overall();
        QVERIFY2(h.probeError.contains(QStringLiteral("no reply within the command timeout")), qPrintable(h.probeError));
        QVERIFY(mentions(h.warnings, QStringLiteral("last probe failed")));
        QVERIFY(!h.hasSample());

        // Redis answers again: the next probe succeeds by itself.
        QTRY_VERIFY_WITH_TIMEOUT((refreshNow(probe), probe.overall().hasSample() && probe.overall().probeError.isEmpty()), WaitMs);
    }

    void keepsTheLastSampleWithItsTimeWhenRedisIsGone()
    {
        RedisRateLimitStore store(settingsFor(*m_server), *m_memory);
        RedisHealthProbe probe(store);
        QTRY_VERIFY_WITH_TIMEOUT(probe.overall().hasSample(), WaitMs);
        const RedisNodeHealth before = probe.overall();

        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^Redis at .* lost: ")));
        m_server->kill();
        QTRY_VERIFY_WITH_TIMEOUT(!store.isConnected(), WaitMs);
        qint64 waited = 0;
        QVERIFY(refreshNow(probe, &waited));
        QVERIFY2(waited < 100, qPrintable(QStringLiteral("refresh answered after %1 ms").arg(waited))); // nothing to wait for
        const RedisNodeHealth after = probe.overall();
        QCOMPARE(after.checkedAtMs, before.checkedAtMs);
        QCOMPARE(after.usedMemoryBytes, before.usedMemoryBytes);
        QCOMPARE(after.probeError, QStringLiteral("Redis is not connected"));
        QCOMPARE(store.poolUsage().ready, 0);
    }
};

QTEST_GUILESS_MAIN(tst_RedisHealthProbe)
#include "tst_redishealthprobe.moc"
