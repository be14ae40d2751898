// ClientResolver: who a request is counted against, and that a client cannot choose its own identity.

#include "clientresolver.h"

#include <QCryptographicHash>
#include <QTest>

class tst_ClientResolver : public QObject
{
    Q_OBJECT

private slots:
    void normalisesMappedAddresses_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::addRow("mapped v4") << "::ffff:127.0.0.1" << "127.0.0.1";
        QTest::addRow("plain v4") << "10.1.2.3" << "10.1.2.3";
        QTest::addRow("v6") << "2001:db8::1" << "2001:db8::1";
        QTest::addRow("v6 scope dropped") << "fe80::1%lo" << "fe80::1";
    }
    void normalisesMappedAddresses()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(ClientResolver::normalise(QHostAddress(input)).toString(), expected);
    }

    void walksForwardedForFromTheRight_data()
    {
        QTest::addColumn<QStringList>("trusted");
        QTest::addColumn<QString>("peer");
        QTest::addColumn<QByteArray>("xff");
        QTest::addColumn<QByteArray>("realIp");
        QTest::addColumn<QString>("expected");
        QTest::addRow("no trust: peer") << QStringList() << "10.0.0.1" << QByteArray("1.1.1.1") << QByteArray("2.2.2.2") << "10.0.0.1";
        QTest::addRow("trusted: last hop") << QStringList{"10.0.0.0/8"} << "10.0.0.1" << QByteArray("1.1.1.1, 2.2.2.2") << QByteArray() << "2.2.2.2";
        QTest::addRow("skips trusted hops") << QStringList{"10.0.0.0/8"} << "10.0.0.1" << QByteArray("3.3.3.3, 2.2.2.2, 10.9.9.9, 10.8.8.8") << QByteArray() << "2.2.2.2";
        QTest::addRow("all trusted: leftmost") << QStringList{"10.0.0.0/8"} << "10.0.0.1" << QByteArray("10.2.2.2, 10.3.3.3") << QByteArray() << "10.2.2.2";
        QTest::addRow("mapped peer trusted") << QStringList{"10.0.0.0/8"} << "::ffff:10.0.0.1" << QByteArray("4.4.4.4") << QByteArray() << "4.4.4.4";
        QTest::addRow("v6 proxy") << QStringList{"fd00::/8"} << "fd00::5" << QByteArray("2001:db8::7") << QByteArray() << "2001:db8::7";
        QTest::addRow("real ip when no xff") << QStringList{"10.0.0.0/8"} << "10.0.0.1" << QByteArray() << QByteArray("5.5.5.5") << "5.5.5.5";
        QTest::addRow("xff wins over real ip") << QStringList{"10.0.0.0/8"} << "10.0.0.1" << QByteArray("6.6.6.6") << QByteArray("5.5.5.5") << "6.6.6.6";
        QTest::addRow("garbage hop ends at proxy") << QStringList{"10.0.0.0/8"} << "10.0.0.1" << QByteArray("1.1.1.1, bogus") << QByteArray() << "10.0.0.1";
        QTest::addRow("garbage real ip") << QStringList{"10.0.0.0/8"} << "10.0.0.1" << QByteArray() << QByteArray("bogus") << "10.0.0.1";
    }
    void walksForwardedForFromTheRight()
    {
        QFETCH(QStringList, trusted);
        QFETCH(QString, peer);
        QFETCH(QByteArray, xff);
        QFETCH(QByteArray, realIp);
        QFETCH(QString, expected);
        const ClientResolver resolver(trusted);
        QCOMPARE(resolver.clientAddress(QHostAddress(peer), xff, realIp).toString(), expected);
    }

    void apiKeysBecomeShortHashes()
    {
        const ClientResolver resolver;
        const QByteArray key = "sk-abc";
        const QByteArray id = QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(16);
        ClientIdentity a = resolver.resolve(QHostAddress("1.2.3.4"), "Bearer " + key, {}, {}, {});
        QCOMPARE(a.kind, ClientIdentity::Kind::ApiKey);
        QCOMPARE(a.id, id);
        QCOMPARE(a.storageSuffix(), "api_key:" + id);
        ClientIdentity b = resolver.resolve(QHostAddress("1.2.3.4"), {}, key, {}, {});
        QCOMPARE(b.id, id);
        ClientIdentity c = resolver.resolve(QHostAddress("1.2.3.4"), "bearer   " + key + "  ", {}, {}, {});
        QCOMPARE(c.id, id);
    }

    void nonBearerAuthorizationFallsBackToTheIp()
    {
        const ClientResolver resolver;
        const ClientIdentity c = resolver.resolve(QHostAddress("1.2.3.4"), "Basic dXNlcjpwdw==", {}, {}, {});
        QCOMPARE(c.kind, ClientIdentity::Kind::Ip);
        QCOMPARE(c.storageSuffix(), QByteArray("ip:1.2.3.4"));
        const ClientIdentity d = resolver.resolve(QHostAddress("1.2.3.4"), "Bearer ", {}, {}, {});
        QCOMPARE(d.kind, ClientIdentity::Kind::Ip);
    }
};

QTEST_MAIN(tst_ClientResolver)
#include "tst_clientresolver.moc"
