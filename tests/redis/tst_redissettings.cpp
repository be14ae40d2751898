#include "redissettings.h"

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
};

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

QTEST_GUILESS_MAIN(tst_RedisSettings)
#include "tst_redissettings.moc"
