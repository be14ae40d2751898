#include "redissettings.h"
#include "testcertificates.h"

#include <QFile>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>

// REDIS_ADDR parsing and validation: parse once, report every problem with a clear message.
class tst_RedisSettings : public QObject
{
    Q_OBJECT

private slots:
    void parsesAddress_data();
    void parsesAddress();
    void rejectsBadAddressAndKeepsSettings_data();
    void rejectsBadAddressAndKeepsSettings();
    void formatsAddressForStatus();
    void validateListsEveryProblem();
    void defaultsAreUsable();
    void parsesMode_data();
    void parsesMode();
    void parsesClusterSeeds();
    void parsesSentinelsWithTheirDefaultPort();
    void rejectsAnEmptyOrBadList_data();
    void rejectsAnEmptyOrBadList();
    void validateChecksClusterAndSentinelSettings();
    void tlsConfigurationTrustsOnlyTheCaFileAndCarriesTheClientCertificate();
    void tlsValidateListsEveryUnusableFileWithoutItsContents();
    void everyNodeVerifiesItsOwnHostUnlessAServerNameIsSet();
};

namespace {

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &contents)
{
    QFile f(dir.filePath(name));
    if (!f.open(QIODevice::WriteOnly) || f.write(contents) != contents.size())
        qWarning("cannot write %s", qPrintable(f.fileName()));
    return f.fileName();
}

} // namespace

void tst_RedisSettings::parsesAddress_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addRow("host:port") << "localhost:6379" << "localhost" << 6379;
    QTest::addRow("ipv4") << "10.1.2.3:7000" << "10.1.2.3" << 7000;
    QTest::addRow("bare host, default port") << "redis.internal" << "redis.internal" << 6379;
    QTest::addRow("ipv6 in brackets") << "[::1]:6380" << "::1" << 6380;
    QTest::addRow("ipv6 without port") << "[fe80::1]" << "fe80::1" << 6379;
    QTest::addRow("surrounding spaces") << "  127.0.0.1:1  " << "127.0.0.1" << 1;
    QTest::addRow("highest port") << "h:65535" << "h" << 65535;
}

void tst_RedisSettings::parsesAddress()
{
    QFETCH(QString, input);
    QFETCH(QString, host);
    QFETCH(int, port);
    RedisSettings s;
    QString error;
    QVERIFY2(s.parseAddress(input, &error), qPrintable(error));
    QVERIFY(error.isEmpty());
    QCOMPARE(s.host, host);
    QCOMPARE(int(s.port), port);
}

void tst_RedisSettings::rejectsBadAddressAndKeepsSettings_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("reason");
    QTest::addRow("empty") << "" << "empty";
    QTest::addRow("port zero") << "h:0" << "port must be a number from 1 to 65535";
    QTest::addRow("port too big") << "h:65536" << "port must be a number from 1 to 65535";
    QTest::addRow("port not a number") << "h:abc" << "port must be a number from 1 to 65535";
    QTest::addRow("empty port") << "h:" << "empty port";
    QTest::addRow("empty host") << ":6379" << "empty host";
    QTest::addRow("bare ipv6") << "::1:6379" << "IPv6 addresses must be written as [addr]:port";
    QTest::addRow("unclosed bracket") << "[::1:6379" << "missing ']'";
    QTest::addRow("not ipv6 in brackets") << "[redis]:6379" << "not an IPv6 address inside []";
    QTest::addRow("url") << "redis://h:6379" << "IPv6 addresses must be written as [addr]:port";
    QTest::addRow("credentials") << "user@h:6379" << "bad character in host";
}

void tst_RedisSettings::rejectsBadAddressAndKeepsSettings()
{
    QFETCH(QString, input);
    QFETCH(QString, reason);
    RedisSettings s;
    s.host = QStringLiteral("keep");
    s.port = 1234;
    QString error;
    QVERIFY(!s.parseAddress(input, &error));
    QVERIFY2(error.contains(reason), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("expected host:port")), qPrintable(error));
    QCOMPARE(s.host, QStringLiteral("keep"));
    QCOMPARE(s.port, quint16(1234));
    QVERIFY(!s.parseAddress(input)); // the message is optional
}

void tst_RedisSettings::formatsAddressForStatus()
{
    RedisSettings s;
    QVERIFY(s.parseAddress(u"[::1]:7000"));
    QCOMPARE(s.address(), QStringLiteral("[::1]:7000"));
    QVERIFY(s.parseAddress(u"cache:7001"));
    QCOMPARE(s.address(), QStringLiteral("cache:7001"));
    QCOMPARE(s.indexKey(), QByteArray("rate_limit:_index"));
}

void tst_RedisSettings::validateListsEveryProblem()
{
    RedisSettings s;
    s.db = -1;
    s.poolSize = 0;
    s.connectTimeoutMs = 0;
    s.commandTimeoutMs = -5;
    s.password = "a\nb";
    const QStringList errors = s.validate();
    QCOMPARE(errors.size(), 5);
    QVERIFY(errors.join('\n').contains(QStringLiteral("REDIS_DB")));
    QVERIFY(errors.join('\n').contains(QStringLiteral("pool size")));
    QVERIFY(!errors.join('\n').contains(QStringLiteral("a\nb"))); // never echo the password
    s.poolSize = RedisSettings::MaxPoolSize + 1;
    QVERIFY(s.validate().join('\n').contains(QStringLiteral("pool size")));
}

void tst_RedisSettings::defaultsAreUsable()
{
    const RedisSettings s;
    QVERIFY(s.validate().isEmpty());
    QCOMPARE(s.port, quint16(6379));
    QCOMPARE(s.poolSize, 1);
    QVERIFY(s.commandTimeoutMs < 1000); // a stalled Redis must fall back within 1 s
}

void tst_RedisSettings::parsesMode_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("mode"); // -1: rejected
    QTest::addRow("empty means standalone") << "" << int(RedisMode::Standalone);
    QTest::addRow("standalone") << "standalone" << int(RedisMode::Standalone);
    QTest::addRow("cluster, any case") << " Cluster " << int(RedisMode::Cluster);
    QTest::addRow("sentinel") << "SENTINEL" << int(RedisMode::Sentinel);
    QTest::addRow("unknown") << "replicated" << -1;
}

void tst_RedisSettings::parsesMode()
{
    QFETCH(QString, input);
    QFETCH(int, mode);
    QString error;
    const std::optional<RedisMode> parsed = RedisSettings::parseMode(input, &error);
    if (mode < 0) {
        QVERIFY(!parsed);
        QVERIFY2(error.contains(u"REDIS_MODE") && error.contains(input), qPrintable(error));
        return;
    }
    QVERIFY(parsed);
    QCOMPARE(int(*parsed), mode);
    QCOMPARE(RedisSettings::parseMode(RedisSettings::modeName(*parsed)), parsed);
}

void tst_RedisSettings::parsesClusterSeeds()
{
    RedisSettings s;
    QString error;
    QVERIFY2(s.parseSeeds(u"10.0.0.1:7000, 10.0.0.2:7001,[::1]:7002,redis-c,10.0.0.1:7000", &error), qPrintable(error));
    const QList<RedisNodeAddress> expected{{"10.0.0.1", 7000}, {"10.0.0.2", 7001}, {"::1", 7002}, {"redis-c", 6379}};
    QCOMPARE(s.seeds, expected); // duplicates dropped, order kept
    QCOMPARE(s.clusterSeeds(), expected);
    QCOMPARE(s.host, QStringLiteral("10.0.0.1"));
    QCOMPARE(s.port, quint16(7000));
    QCOMPARE(s.seeds.at(2).toString(), QStringLiteral("[::1]:7002"));

    RedisSettings single;
    QCOMPARE(single.clusterSeeds(), (QList<RedisNodeAddress>{{"127.0.0.1", 6379}}));
}

void tst_RedisSettings::parsesSentinelsWithTheirDefaultPort()
{
    RedisSettings s;
    QString error;
    QVERIFY2(s.parseSentinels(u"s1,s2:5000,[fe80::1]", &error), qPrintable(error));
    const QList<RedisNodeAddress> expected{{"s1", 26379}, {"s2", 5000}, {"fe80::1", 26379}};
    QCOMPARE(s.sentinels, expected);
}

void tst_RedisSettings::rejectsAnEmptyOrBadList_data()
{
    QTest::addColumn<QString>("input");
    QTest::addRow("empty") << "";
    QTest::addRow("only commas") << " , ,";
    QTest::addRow("bad port") << "a:1,b:99999";
    QTest::addRow("unbracketed ipv6") << "a:1,::1:7000";
}

void tst_RedisSettings::rejectsAnEmptyOrBadList()
{
    QFETCH(QString, input);
    RedisSettings s;
    QString error;
    QVERIFY(!s.parseSeeds(input, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(s.seeds.isEmpty());
    QCOMPARE(s.address(), QStringLiteral("127.0.0.1:6379"));
    QVERIFY(!s.parseSentinels(input, &error));
    QVERIFY(s.sentinels.isEmpty());
}

void tst_RedisSettings::validateChecksClusterAndSentinelSettings()
{
    RedisSettings cluster;
    cluster.mode = RedisMode::Cluster;
    QVERIFY(cluster.validate().isEmpty());
    cluster.db = 2;
    QCOMPARE(cluster.validate().size(), 1);
    QVERIFY(cluster.validate().first().contains(u"cluster"));

    RedisSettings sentinel;
    sentinel.mode = RedisMode::Sentinel;
    sentinel.sentinelPassword = "bad\nsecret";
    const QStringList problems = sentinel.validate();
    QCOMPARE(problems.size(), 3);
    QVERIFY(problems.join(u' ').contains(u"REDIS_SENTINELS"));
    QVERIFY(problems.join(u' ').contains(u"REDIS_SENTINEL_MASTER"));
    QVERIFY(!problems.join(u' ').contains(u"secret"));
    sentinel.sentinelPassword = "secret";
    sentinel.sentinelMaster = "mymaster";
    QVERIFY(sentinel.parseSentinels(u"127.0.0.1"));
    QVERIFY(sentinel.validate().isEmpty());
}

void tst_RedisSettings::tlsConfigurationTrustsOnlyTheCaFileAndCarriesTheClientCertificate()
{
    TestCertificates certs;
    QVERIFY2(certs.create(), qPrintable(certs.errorString()));
    RedisTlsSettings tls{true, certs.caFile(), certs.clientCertFile(), certs.clientKeyFile(), {}};
    QVERIFY2(tls.validate().isEmpty(), qPrintable(tls.validate().join(u'\n')));
    QString error;
    const std::optional<QSslConfiguration> config = tls.sslConfiguration(&error);
    QVERIFY2(config.has_value(), qPrintable(error));
    QCOMPARE(config->peerVerifyMode(), QSslSocket::VerifyPeer);
    QCOMPARE(config->caCertificates(), QSslCertificate::fromPath(certs.caFile()));
    QCOMPARE(config->localCertificate(), QSslCertificate::fromPath(certs.clientCertFile()).value(0));
    QCOMPARE(config->privateKey().algorithm(), QSsl::Ec);
    QCOMPARE(config->privateKey().type(), QSsl::PrivateKey);

    // Without a CA file the system's CAs stay trusted; without a client certificate none is sent.
    tls = RedisTlsSettings{true, {}, {}, {}, {}};
    QVERIFY(tls.validate().isEmpty());
    const std::optional<QSslConfiguration> system = tls.sslConfiguration(&error);
    QVERIFY(system.has_value());
    QCOMPARE(system->caCertificates(), QSslConfiguration::defaultConfiguration().caCertificates());
    QVERIFY(system->localCertificate().isNull());
    QCOMPARE(system->peerVerifyMode(), QSslSocket::VerifyPeer);
}

void tst_RedisSettings::tlsValidateListsEveryUnusableFileWithoutItsContents()
{
    TestCertificates certs;
    QVERIFY2(certs.create(), qPrintable(certs.errorString()));
    QTemporaryDir dir;
    const QString notPem = writeFile(dir, QStringLiteral("not.pem"), "hello S3CRET-CONTENT");
    const QString encrypted = writeFile(dir, QStringLiteral("enc.key"),
                                        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nS3CRET-CONTENT\n-----END ENCRYPTED PRIVATE KEY-----\n");

    RedisSettings s;
    s.tls = RedisTlsSettings{true, dir.filePath(QStringLiteral("missing.pem")), notPem, certs.clientCertFile(), {}};
    QStringList problems = s.validate();
    QCOMPARE(problems.size(), 3);
    QVERIFY2(problems.at(0).startsWith(QStringLiteral("REDIS_TLS_CA_FILE: cannot read ")), qPrintable(problems.at(0)));
    QCOMPARE(problems.at(1), QStringLiteral("REDIS_TLS_CERT_FILE: %1 holds no PEM certificate").arg(notPem));
    QVERIFY2(problems.at(2).contains(QStringLiteral("holds no PEM private key")), qPrintable(problems.at(2))); // a certificate is no key

    s.tls = RedisTlsSettings{true, notPem, certs.clientCertFile(), encrypted, {}};
    problems = s.validate();
    QCOMPARE(problems.size(), 2);
    QVERIFY2(problems.at(1).contains(QStringLiteral("passphrase-protected")), qPrintable(problems.at(1)));
    QVERIFY(!problems.join(u' ').contains(QStringLiteral("S3CRET")));

    s.tls = RedisTlsSettings{true, {}, certs.clientCertFile(), {}, {}};
    QCOMPARE(s.validate(), QStringList{"REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE go together: set both or neither"});
    QString error;
    QVERIFY(!s.tls.sslConfiguration(&error));
    QCOMPARE(error, s.validate().first());

    s.tls.enabled = false; // files of a switched-off TLS are not read
    QVERIFY(s.validate().isEmpty());
}

void tst_RedisSettings::everyNodeVerifiesItsOwnHostUnlessAServerNameIsSet()
{
    RedisSettings s;
    QVERIFY(s.parseSeeds(u"redis-a:7000,redis-b:7001"));
    s.tls.enabled = true;
    s.tls.caFile = QStringLiteral("/etc/ssl/ca.pem");
    QCOMPARE(s.tlsPeerName(), QStringLiteral("redis-a"));
    const RedisSettings node = s.forNode(QStringLiteral("10.0.0.7"), 7002);
    QVERIFY(node.tls.enabled);
    QCOMPARE(node.tls.caFile, s.tls.caFile);
    QCOMPARE(node.tlsPeerName(), QStringLiteral("10.0.0.7"));
    s.tls.serverName = QStringLiteral("redis.cluster.internal");
    QCOMPARE(s.forNode(QStringLiteral("10.0.0.7"), 7002).tlsPeerName(), QStringLiteral("redis.cluster.internal"));
}

QTEST_GUILESS_MAIN(tst_RedisSettings)
#include "tst_redissettings.moc"
