#include "acquirenow.h"
#include "decisionpump.h"
#include "manualclock.h"
#include "memoryratelimitstore.h"
#include "redisclusterfixture.h"
#include "redisratelimitstore.h"
#include "redissentinelfixture.h"
#include "redisserver.h"
#include "stalledredischeck.h"
#include "redissubscriber.h"
#include "testcertificates.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <optional>

// Redis over TLS (RedisLink's QSslSocket path) against Debian's redis-server serving TLS only, with
// a PKI made by openssl for this run: the server is verified (CA, name), client certificates work,
// and every refusal falls back to memory with a clear error, exactly like an unreachable Redis.
class tst_RedisTls : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void decidesInRedisOverTls();
    void refusesServerSignedByAnotherCa();
    void refusesServerWhenOnlySystemCasAreTrusted();
    void refusesWrongServerNameAndAcceptsTheRightOne();
    void presentsClientCertificateWhenRequired();
    void reconnectsOverTlsAfterRedisRestart();
    void commandTimeoutOverTlsFallsBackWithinTheTimeout();
    void subscriberReceivesOverTls();
    void passwordAuthOverTls();
    void clusterNodesAreReachedOverTls();
    void sentinelsAndTheirMasterAreReachedOverTls();

private:
    bool startTls(RedisServer &server, RedisServer::ClientAuth clientAuth = RedisServer::ClientAuth::No) const;
    RedisSettings tlsSettingsFor(const RedisServer &server) const;

    TestCertificates m_certs;
    ManualClock m_clock;
    std::optional<MemoryRateLimitStore> m_memory; // each test's fallback, fresh
};

namespace {

constexpr int WaitMs = 5000;

RateLimitPolicy slidingLog(qint64 limit)
{
    RateLimitPolicy p;
    p.algorithm = Algorithm::SlidingLog;
    p.limit = limit;
    p.windowMs = 60'000;
    return p;
}

} // namespace

void tst_RedisTls::initTestCase()
{
    QVERIFY2(m_certs.create(), qPrintable(m_certs.errorString()));
}

void tst_RedisTls::init()
{
    m_memory.emplace(m_clock);
}

bool tst_RedisTls::startTls(RedisServer &server, RedisServer::ClientAuth clientAuth) const
{
    server.useTls(m_certs, clientAuth);
    return server.start();
}

RedisSettings tst_RedisTls::tlsSettingsFor(const RedisServer &server) const
{
    RedisSettings s;
    s.host = QStringLiteral("127.0.0.1");
    s.port = server.port();
    s.commandTimeoutMs = 2000; // generous: a loaded CI box must not turn replies into fallbacks
    s.tls.enabled = true;
    s.tls.caFile = m_certs.caFile();
    return s;
}

void tst_RedisTls::decidesInRedisOverTls()
{
    RedisServer server;
    QVERIFY2(startTls(server), qPrintable(server.errorString()));
    RedisSettings s = tlsSettingsFor(server);
    s.poolSize = 2;
    RedisRateLimitStore store(s, *m_memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);

    const RateLimitPolicy p = slidingLog(3);
    for (int i = 0; i < 3; ++i) {
        const Decision d = acquireNow(store, "rate_limit:ip:198.51.100.7", p);
        QCOMPARE(d.source, DecisionSource::Redis);
        QVERIFY(d.allowed);
        QCOMPARE(d.remaining, 2 - i);
    }
    const Decision denied = acquireNow(store, "rate_limit:ip:198.51.100.7", p);
    QCOMPARE(denied.source, DecisionSource::Redis);
    QVERIFY(!denied.allowed);
    QVERIFY(denied.retryAfterMs > 0);
    // The entries are in Redis (read back over TLS by redis-cli).
    QCOMPARE(server.cli({QStringLiteral("ZCARD"), QStringLiteral("rate_limit:ip:198.51.100.7")}), QByteArray("3"));
    QCOMPARE(store.errorsTotal(), 0);
}

void tst_RedisTls::refusesServerSignedByAnotherCa()
{
    RedisServer server;
    QVERIFY2(startTls(server), qPrintable(server.errorString()));
    RedisSettings s = tlsSettingsFor(server);
    s.tls.caFile = m_certs.otherCaFile();
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^Redis at 127\\.0\\.0\\.1:\\d+ unreachable: TLS handshake with 127\\.0\\.0\\.1:\\d+ failed: .*memory fallback"));
    RedisRateLimitStore store(s, *m_memory);
    QSignalSpy connected(&store, &RedisRateLimitStore::connectedChanged);
    QTRY_VERIFY_WITH_TIMEOUT(store.errorsTotal() >= 2, WaitMs); // retried with backoff, logged once
    QVERIFY2(store.lastError().contains(QStringLiteral("certificate")), qPrintable(store.lastError()));
    QCOMPARE(store.mode(), StoreMode::MemoryFallback);
    const Decision d = acquireNow(store, "k", slidingLog(5));
    QCOMPARE(d.source, DecisionSource::MemoryFallback);
    QVERIFY(d.allowed);
    // Never connected: no ready signal, and the handshake's setup (SCRIPT LOAD) never reached Redis.
    QCOMPARE(connected.size(), 0);
    QVERIFY(!store.isConnected());
    QVERIFY(!server.cli({QStringLiteral("INFO"), QStringLiteral("commandstats")}).contains("cmdstat_script"));
}

void tst_RedisTls::refusesServerWhenOnlySystemCasAreTrusted()
{
    RedisServer server;
    QVERIFY2(startTls(server), qPrintable(server.errorString()));
    RedisSettings s = tlsSettingsFor(server);
    s.tls.caFile.clear(); // the system store, which does not hold the test CA
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^Redis at .* unreachable: TLS handshake with .* failed: "));
    RedisRateLimitStore store(s, *m_memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.errorsTotal() > 0, WaitMs);
    QVERIFY2(store.lastError().startsWith(QStringLiteral("TLS handshake with 127.0.0.1:%1 failed: ").arg(server.port())),
             qPrintable(store.lastError()));
    QCOMPARE(acquireNow(store, "k", slidingLog(5)).source, DecisionSource::MemoryFallback);
    QVERIFY(!store.isConnected());
}

void tst_RedisTls::refusesWrongServerNameAndAcceptsTheRightOne()
{
    RedisServer server;
    QVERIFY2(startTls(server), qPrintable(server.errorString()));
    RedisSettings s = tlsSettingsFor(server);
    s.tls.serverName = QStringLiteral("redis.example.com"); // the certificate is for localhost and 127.0.0.1
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^Redis at .* unreachable: TLS handshake with .* failed: .*host name"));
    RedisRateLimitStore wrongName(s, *m_memory);
    QTRY_VERIFY_WITH_TIMEOUT(wrongName.errorsTotal() > 0, WaitMs);
    QVERIFY2(wrongName.lastError().contains(QStringLiteral("host name did not match")), qPrintable(wrongName.lastError()));
    QCOMPARE(acquireNow(wrongName, "k", slidingLog(5)).source, DecisionSource::MemoryFallback);

    // Dialling 127.0.0.1 while verifying the DNS name in the certificate.
    s.tls.serverName = QStringLiteral("localhost");
    RedisRateLimitStore rightName(s, *m_memory);
    QTRY_VERIFY_WITH_TIMEOUT(rightName.isConnected(), WaitMs);
    QCOMPARE(acquireNow(rightName, "k", slidingLog(5)).source, DecisionSource::Redis);
    QVERIFY(!wrongName.isConnected());
}

void tst_RedisTls::presentsClientCertificateWhenRequired()
{
    RedisServer server;
    QVERIFY2(startTls(server, RedisServer::ClientAuth::Yes), qPrintable(server.errorString()));
    RedisSettings s = tlsSettingsFor(server);
    s.tls.certFile = m_certs.clientCertFile();
    s.tls.keyFile = m_certs.clientKeyFile();
    RedisRateLimitStore withCertificate(s, *m_memory);
    QTRY_VERIFY_WITH_TIMEOUT(withCertificate.isConnected(), WaitMs);
    QCOMPARE(acquireNow(withCertificate, "k", slidingLog(5)).source, DecisionSource::Redis);

    s.tls.certFile.clear();
    s.tls.keyFile.clear();
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^Redis at .* unreachable: TLS .*memory fallback"));
    RedisRateLimitStore without(s, *m_memory);
    QSignalSpy connected(&without, &RedisRateLimitStore::connectedChanged);
    QTRY_VERIFY_WITH_TIMEOUT(without.errorsTotal() > 0, WaitMs);
    QVERIFY2(without.lastError().startsWith(QStringLiteral("TLS ")), qPrintable(without.lastError()));
    QCOMPARE(acquireNow(without, "k", slidingLog(5)).source, DecisionSource::MemoryFallback);
    QCOMPARE(connected.size(), 0);
    QVERIFY(withCertificate.isConnected());
}

void tst_RedisTls::reconnectsOverTlsAfterRedisRestart()
{
    RedisServer server;
    QVERIFY2(startTls(server), qPrintable(server.errorString()));
    RedisSettings s = tlsSettingsFor(server);
    s.commandTimeoutMs = 250;
    RedisRateLimitStore store(s, *m_memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);

    // A steady stream, so calls are in flight when Redis dies; each must be answered exactly once.
    DecisionPump pump(store, slidingLog(100'000), "rate_limit:ip:");
    pump.start();
    QTRY_VERIFY_WITH_TIMEOUT(pump.fromRedis() > 200, WaitMs);

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^Redis at .* lost: TLS connection to .*memory fallback"));
    server.kill();
    QTRY_VERIFY_WITH_TIMEOUT(store.mode() == StoreMode::MemoryFallback, 1000);
    const int fallbackBefore = pump.fromFallback();
    QTRY_VERIFY_WITH_TIMEOUT(pump.fromFallback() > fallbackBefore + 50, 1000);

    pump.stop(); // restart() blocks this thread while redis-server starts
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    pump.start();
    const int redisBefore = pump.fromRedis();
    QTRY_VERIFY_WITH_TIMEOUT(store.mode() == StoreMode::Redis, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(pump.fromRedis() > redisBefore + 100, 5000);

    pump.stop();
    QTRY_COMPARE_WITH_TIMEOUT(pump.answered(), pump.sent(), WaitMs);
    const int odd = pump.firstCallNotAnsweredOnce();
    QVERIFY2(odd < 0, qPrintable(QStringLiteral("call %1 answered %2 times").arg(odd).arg(pump.answersOf(odd))));
}

void tst_RedisTls::commandTimeoutOverTlsFallsBackWithinTheTimeout()
{
    RedisServer server;
    QVERIFY2(startTls(server), qPrintable(server.errorString()));
    RedisSettings s = tlsSettingsFor(server);
    s.commandTimeoutMs = 200;
    RedisRateLimitStore store(s, *m_memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);

    checkStalledRedisFallsBackWithinTheTimeout(store, slidingLog(5));
}

void tst_RedisTls::subscriberReceivesOverTls()
{
    RedisServer server;
    QVERIFY2(startTls(server), qPrintable(server.errorString()));
    RedisSubscriber subscriber(tlsSettingsFor(server));
    QSignalSpy messages(&subscriber, &RedisSubscriber::message);
    subscriber.subscribe("sluice:rules");
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.isSubscribed("sluice:rules"), WaitMs);
    QVERIFY(subscriber.isConnected());

    RedisRateLimitStore publisher(tlsSettingsFor(server), *m_memory);
    QTRY_VERIFY_WITH_TIMEOUT(publisher.isConnected(), WaitMs);
    std::optional<RedisReplyValue> receivers;
    publisher.command({"PUBLISH", "sluice:rules", QByteArray("{\"v\":1}\0x", 9)}, [&](const RedisReplyValue &v) { receivers = v; });
    QTRY_VERIFY_WITH_TIMEOUT(receivers.has_value(), WaitMs);
    QCOMPARE(receivers->integer, 1);
    QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, WaitMs);
    QCOMPARE(messages.at(0).at(0).toByteArray(), QByteArray("sluice:rules"));
    QCOMPARE(messages.at(0).at(1).toByteArray(), QByteArray("{\"v\":1}\0x", 9));

    subscriber.unsubscribe("sluice:rules");
    QTRY_VERIFY_WITH_TIMEOUT(!subscriber.isSubscribed("sluice:rules"), WaitMs);
    QCOMPARE(server.cli({QStringLiteral("PUBLISH"), QStringLiteral("sluice:rules"), QStringLiteral("x")}), QByteArray("0"));
}

void tst_RedisTls::passwordAuthOverTls()
{
    const QByteArray password = "tls-Pa55-word";
    RedisServer server({QStringLiteral("--requirepass"), QString::fromLatin1(password)});
    QVERIFY2(startTls(server), qPrintable(server.errorString()));
    RedisSettings s = tlsSettingsFor(server);
    s.password = password;
    s.db = 2;
    RedisRateLimitStore store(s, *m_memory);
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected(), WaitMs);
    QCOMPARE(acquireNow(store, "rate_limit:ip:192.0.2.1", slidingLog(5)).source, DecisionSource::Redis);
    QCOMPARE(server.cli({QStringLiteral("-n"), QStringLiteral("2"), QStringLiteral("EXISTS"), QStringLiteral("rate_limit:ip:192.0.2.1")}, password),
             QByteArray("1"));

    s.password = "wrong-secret-QQ";
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^Redis at .* unreachable: AUTH failed: WRONGPASS"));
    RedisRateLimitStore wrong(s, *m_memory);
    QTRY_VERIFY_WITH_TIMEOUT(wrong.lastError().contains(QStringLiteral("WRONGPASS")), WaitMs);
    QVERIFY(!wrong.lastError().contains(QStringLiteral("wrong-secret-QQ")));
    QVERIFY(!wrong.isConnected());
}

void tst_RedisTls::clusterNodesAreReachedOverTls()
{
    RedisClusterFixture cluster(3, 0);
    cluster.useTls(m_certs);
    QVERIFY2(cluster.start(), qPrintable(cluster.errorString()));
    RedisSettings s = tlsSettingsFor(cluster.node(0));
    s.mode = RedisMode::Cluster;
    QVERIFY(s.parseSeeds(cluster.seeds()));
    RedisRateLimitStore store(s, *m_memory);
    // Every master is reached over TLS: each node link verifies the address CLUSTER SLOTS reported.
    QTRY_COMPARE_WITH_TIMEOUT(store.topology().slotsCovered, 16384, 10000);
    QSet<quint16> masters;
    for (int i = 0; i < 30; ++i) {
        const QByteArray key = "rate_limit:ip:10.0.0." + QByteArray::number(i);
        QCOMPARE(acquireNow(store, key, slidingLog(5)).source, DecisionSource::Redis);
        masters.insert(cluster.masterOfSlot(cluster.keySlot(key)));
    }
    QCOMPARE(masters.size(), 3);
    QCOMPARE(store.errorsTotal(), 0);
}

void tst_RedisTls::sentinelsAndTheirMasterAreReachedOverTls()
{
    RedisSentinelFixture setup(3);
    setup.useTls(m_certs);
    QVERIFY2(setup.start(), qPrintable(setup.errorString()));
    RedisSettings s = tlsSettingsFor(setup.master());
    s.mode = RedisMode::Sentinel;
    QVERIFY(s.parseSentinels(setup.sentinelAddresses()));
    s.sentinelMaster = RedisSentinelFixture::masterName();
    RedisRateLimitStore store(s, *m_memory);
    RedisSubscriber subscriber(s);
    subscriber.subscribe("c");
    QSignalSpy messages(&subscriber, &RedisSubscriber::message);
    // The sentinel query and event links, the master's links and the subscriber: all TLS.
    QTRY_VERIFY_WITH_TIMEOUT(store.isConnected() && subscriber.isSubscribed("c"), WaitMs);
    QCOMPARE(store.topology().nodes.value(0).address, QString::fromLatin1(setup.master().address()));
    QCOMPARE(acquireNow(store, "rate_limit:ip:sentinel-tls", slidingLog(5)).source, DecisionSource::Redis);
    QCOMPARE(setup.master().cli({QStringLiteral("ZCARD"), QStringLiteral("rate_limit:ip:sentinel-tls")}), QByteArray("1"));
    QCOMPARE(setup.master().cli({QStringLiteral("PUBLISH"), QStringLiteral("c"), QStringLiteral("x")}), QByteArray("1"));
    QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, WaitMs);
}

QTEST_GUILESS_MAIN(tst_RedisTls)
#include "tst_redistls.moc"
