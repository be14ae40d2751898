// RedisNodeHealth: INFO parsing, the eviction and memory warnings, the cluster aggregate. Pure value
// logic on INFO text as redis-server 7.0 prints it; the live probe is in tst_redishealthprobe.

#include "redishealth.h"

#include <QTest>

namespace {

QByteArray info(const QByteArray &memoryPolicy, qint64 maxmemory, qint64 used = 1'000'000)
{
    return "# Server\r\nredis_version:7.0.15\r\nprocess_id:1\r\n\r\n# Clients\r\nconnected_clients:3\r\n\r\n"
           "# Memory\r\nused_memory:" + QByteArray::number(used) + "\r\nused_memory_human:1M\r\nmaxmemory:"
           + QByteArray::number(maxmemory) + "\r\nmaxmemory_policy:" + memoryPolicy
           + "\r\n\r\n# Stats\r\nevicted_keys:0\r\nrejected_connections:2\r\n\r\n"
             "# Replication\r\nrole:master\r\nconnected_slaves:0\r\nmaster_repl_offset:0\r\n";
}

RedisNodeHealth sampled(const QByteArray &text)
{
    RedisNodeHealth h;
    h.address = QStringLiteral("127.0.0.1:6379");
    h.checkedAtMs = 1'700'000'000'000;
    h.parseInfo(text);
    return h;
}

bool mentions(const QStringList &warnings, const QString &needle)
{
    return std::any_of(warnings.cbegin(), warnings.cend(), [&](const QString &w) { return w.contains(needle); });
}

} // namespace

class tst_RedisHealth : public QObject
{
    Q_OBJECT

private slots:
    void readsMemoryPolicyCountersAndVersion()
    {
        const RedisNodeHealth h = sampled(info("noeviction", 64 * 1024 * 1024, 2'000'000));
        QCOMPARE(h.redisVersion, QStringLiteral("7.0.15"));
        QCOMPARE(h.usedMemoryBytes, 2'000'000);
        QCOMPARE(h.maxmemoryBytes, 64 * 1024 * 1024);
        QCOMPARE(h.maxmemoryPolicy, QStringLiteral("noeviction"));
        QCOMPARE(h.connectedClients, 3);
        QCOMPARE(h.rejectedConnections, 2);
        QCOMPARE(h.role, QStringLiteral("master"));
        QCOMPARE(h.connectedReplicas, 0);
        QVERIFY(!h.replicationLagBytes.has_value()); // no replica, nothing to lag
        QVERIFY(!h.masterLinkUp.has_value());
        QVERIFY(qAbs(*h.memoryUsageRatio() - 2'000'000.0 / (64 * 1024 * 1024)) < 1e-9);
    }

    void everyPolicyButNoevictionCanEvictLimiterKeys_data()
    {
        QTest::addColumn<QByteArray>("policy");
        QTest::addColumn<bool>("risk");
        for (const char *p : {"allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-lfu",
                              "volatile-random", "volatile-ttl"})
            QTest::addRow("%s", p) << QByteArray(p) << true;
        QTest::addRow("noeviction") << QByteArray("noeviction") << false;
    }

    void everyPolicyButNoevictionCanEvictLimiterKeys()
    {
        QFETCH(QByteArray, policy);
        QFETCH(bool, risk);
        const RedisNodeHealth h = sampled(info(policy, 64 * 1024 * 1024));
        QCOMPARE(h.evictionRisk, risk);
        QCOMPARE(mentions(h.warnings, QStringLiteral("silently resets their limits")), risk);
        QCOMPARE(h.evictionWarning().isEmpty(), !risk);
        if (risk)
            QVERIFY(h.evictionWarning().contains(QString::fromLatin1(policy) + QStringLiteral(" with maxmemory 64.0 MiB")));
    }

    void noMaxmemoryIsANoteNotAnEvictionRisk()
    {
        const RedisNodeHealth h = sampled(info("allkeys-lru", 0));
        QVERIFY(!h.evictionRisk);
        QVERIFY(!h.memoryUsageRatio().has_value());
        QCOMPARE(h.warnings, QStringList{QStringLiteral("no maxmemory: no eviction, but Redis can grow until the OS kills it")});
    }

    void warnsAboveNinetyPercentOfMaxmemory()
    {
        QVERIFY(!mentions(sampled(info("noeviction", 1'000'000, 900'000)).warnings, QStringLiteral("of maxmemory")));
        const RedisNodeHealth full = sampled(info("noeviction", 1'000'000, 950'000));
        QVERIFY2(mentions(full.warnings, QStringLiteral("memory at 95% of maxmemory")), qPrintable(full.warnings.join('|')));
    }

    void masterLagIsTheLargestReplicaGap()
    {
        const RedisNodeHealth h = sampled("# Replication\r\nrole:master\r\nconnected_slaves:2\r\n"
                                          "slave0:ip=10.0.0.2,port=6380,state=online,offset=1000,lag=0\r\n"
                                          "slave1:ip=::1,port=6381,state=online,offset=700,lag=3\r\n"
                                          "master_replid:abc\r\nmaster_repl_offset:1200\r\n");
        QCOMPARE(h.connectedReplicas, 2);
        QCOMPARE(h.replicas.size(), 2);
        QCOMPARE(h.replicas.at(0).address, QStringLiteral("10.0.0.2:6380"));
        QCOMPARE(h.replicas.at(1).address, QStringLiteral("[::1]:6381"));
        QCOMPARE(h.replicationLagBytes, std::optional<qint64>(500));
        QCOMPARE(h.replicationLagSeconds, std::optional<double>(3));
    }

    void replicaReportsItsLinkAndWarnsThatItRefusesWrites()
    {
        const RedisNodeHealth h = sampled("# Replication\r\nrole:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:6379\r\n"
                                          "master_link_status:down\r\nmaster_last_io_seconds_ago:-1\r\n"
                                          "slave_repl_offset:42\r\nmaster_repl_offset:42\r\n");
        QCOMPARE(h.role, QStringLiteral("replica"));
        QCOMPARE(h.masterLinkUp, std::optional<bool>(false));
        QVERIFY(!h.replicationLagBytes.has_value()); // a replica does not know the master's offset
        QVERIFY(!h.replicationLagSeconds.has_value()); // -1: never heard from the master
        QVERIFY(mentions(h.warnings, QStringLiteral("READONLY")));
        QVERIFY(mentions(h.warnings, QStringLiteral("link to the master is down")));

        const RedisNodeHealth up = sampled("role:slave\r\nmaster_link_status:up\r\nmaster_last_io_seconds_ago:2\r\n");
        QCOMPARE(up.masterLinkUp, std::optional<bool>(true));
        QCOMPARE(up.replicationLagSeconds, std::optional<double>(2));
    }

    void failedProbeKeepsTheSampleAndSaysWhy()
    {
        RedisNodeHealth h = sampled(info("noeviction", 1'000'000));
        h.probeError = QStringLiteral("no reply within the command timeout (outcome unknown)");
        h.evaluate();
        QCOMPARE(h.usedMemoryBytes, 1'000'000);
        QCOMPARE(h.warnings.first(), QStringLiteral("last probe failed: no reply within the command timeout (outcome unknown)"));
    }

    void aggregateSumsMemoryAndKeepsTheWorst()
    {
        RedisNodeHealth a = sampled(info("noeviction", 1'000'000, 100'000));
        a.address = QStringLiteral("a:1");
        a.latencyMs = 0.5;
        a.checkedAtMs = 2000;
        RedisNodeHealth b = sampled(info("allkeys-lru", 3'000'000, 200'000));
        b.address = QStringLiteral("b:2");
        b.latencyMs = 2.5;
        b.checkedAtMs = 1000;
        b.replicationLagSeconds = 4;
        const RedisNodeHealth all = RedisNodeHealth::aggregate({a, b});
        QCOMPARE(all.usedMemoryBytes, 300'000);
        QCOMPARE(all.maxmemoryBytes, 4'000'000);
        QCOMPARE(all.latencyMs, 2.5);
        QCOMPARE(all.checkedAtMs, 1000); // the stalest sample
        QVERIFY(all.evictionRisk);
        QCOMPARE(all.maxmemoryPolicy, QStringLiteral("allkeys-lru"));
        QCOMPARE(all.replicationLagSeconds, std::optional<double>(4));
        QCOMPARE(all.role, QStringLiteral("master"));
        QVERIFY(mentions(all.warnings, QStringLiteral("b:2: maxmemory-policy allkeys-lru")));

        RedisNodeHealth unlimited = sampled(info("noeviction", 0));
        unlimited.address = QStringLiteral("c:3");
        QCOMPARE(RedisNodeHealth::aggregate({a, unlimited}).maxmemoryBytes, 0); // one unlimited node: no limit
        QCOMPARE(RedisNodeHealth::aggregate({a}).address, QStringLiteral("a:1")); // one node is itself
    }
};

QTEST_GUILESS_MAIN(tst_RedisHealth)
#include "tst_redishealth.moc"
