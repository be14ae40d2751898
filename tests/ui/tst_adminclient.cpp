#include "adminclient.h"
#include "uitestservice.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

// The admin client against a real SluiceService on a free port, and against raw sockets for the
// transport failures a service cannot be made to produce on demand (a hang, a non-JSON answer).
class tst_AdminClient : public QObject
{
    Q_OBJECT

private:
    static QString keyOf(const AdminApi::Stats &stats, const QString &strategy)
    {
        for (const AdminApi::CurrentRate &r : stats.currentRates) {
            if (r.strategy == strategy)
                return r.key;
        }
        return {};
    }

    static std::optional<AdminClient::Failure> waitForFailure(AdminClient &client)
    {
        QSignalSpy spy(&client, &AdminClient::requestFailed);
        if (!spy.wait(8000))
            return std::nullopt;
        return spy.at(0).at(1).value<AdminClient::Failure>();
    }

private slots:
    void fetchesStatsWithTrackedKeys()
    {
        UiTestService service;
        QVERIFY(service.start());
        QCOMPARE(service.hit("client-one", 3), 3);
        AdminClient client;
        client.setTarget(service.baseUrl(), service.adminKey());
        QSignalSpy spy(&client, &AdminClient::statsReceived);
        client.fetchStats(10);
        QVERIFY(client.isInFlight(AdminClient::Operation::Stats));
        QVERIFY(spy.wait(5000));
        QVERIFY(!client.isInFlight(AdminClient::Operation::Stats));
        const auto stats = spy.at(0).at(0).value<AdminApi::Stats>();
        QCOMPARE(stats.totalRequests, 3);
        QCOMPARE(stats.blockedRequests, 0);
        QCOMPARE(stats.currentRates.size(), 1);
        QCOMPARE(stats.currentRates.at(0).strategy, QStringLiteral("api_key"));
        QCOMPARE(stats.currentRates.at(0).currentCount, 3);
        QCOMPARE(stats.currentRates.at(0).limit, 60);
        QVERIFY(stats.lastUpdate.isValid());
    }

    void fetchesViolationsNewestFirstWithTheirTotal()
    {
        UiTestService service;
        QVERIFY(service.start());
        QCOMPARE(service.hit("client-one", 63), 60);
        AdminClient client;
        client.setTarget(service.baseUrl(), service.adminKey());
        QSignalSpy spy(&client, &AdminClient::violationsReceived);
        client.fetchViolations(2);
        QVERIFY(client.isInFlight(AdminClient::Operation::Violations));
        QVERIFY(spy.wait(5000));
        const auto violations = spy.at(0).at(0).value<QList<AdminApi::Violation>>();
        QCOMPARE(spy.at(0).at(1).toLongLong(), 3); // the total, beyond the 2 listed
        QCOMPARE(violations.size(), 2);
        QVERIFY(violations.at(0).time >= violations.at(1).time);
        QVERIFY(violations.at(0).client.startsWith(QLatin1String("api_key:")));
        QCOMPARE(violations.at(0).limit, 60);
        QVERIFY(violations.at(0).retryAfterMs > 0);
    }

    void classifiesHttpFailures_data()
    {
        QTest::addColumn<QByteArray>("serviceKey");
        QTest::addColumn<QString>("clientKey");
        QTest::addColumn<AdminClient::ErrorKind>("kind");
        QTest::addColumn<int>("status");
        QTest::addRow("wrong key") << QByteArrayLiteral("right") << QStringLiteral("wrong")
                                   << AdminClient::ErrorKind::Unauthorized << 401;
        QTest::addRow("admin disabled") << QByteArray() << QStringLiteral("anything")
                                        << AdminClient::ErrorKind::AdminDisabled << 403;
    }
    void classifiesHttpFailures()
    {
        QFETCH(QByteArray, serviceKey);
        QFETCH(QString, clientKey);
        QFETCH(AdminClient::ErrorKind, kind);
        QFETCH(int, status);
        UiTestService service(serviceKey);
        QVERIFY(service.start());
        AdminClient client;
        client.setTarget(service.baseUrl(), clientKey);
        client.fetchStats(10);
        const auto failure = waitForFailure(client);
        QVERIFY(failure);
        QCOMPARE(failure->kind, kind);
        QCOMPARE(failure->httpStatus, status);
        QVERIFY(!failure->apiError.error.isEmpty());
    }

    void reportsUnreachableWhenNothingListens()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        AdminClient client;
        client.setTarget(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)), QStringLiteral("k"));
        client.fetchRedisStatus();
        const auto failure = waitForFailure(client);
        QVERIFY(failure);
        QCOMPARE(failure->kind, AdminClient::ErrorKind::Unreachable);
        QCOMPARE(failure->httpStatus, 0);
    }

    void reportsTimeoutWhenServiceHangs()
    {
        QTcpServer silent; // accepts and never answers
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        AdminClient client;
        client.setTimeout(std::chrono::milliseconds(300));
        client.setTarget(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(silent.serverPort())), QStringLiteral("k"));
        QElapsedTimer timer;
        timer.start();
        client.fetchStats(10);
        const auto failure = waitForFailure(client);
        QVERIFY(failure);
        QCOMPARE(failure->kind, AdminClient::ErrorKind::Timeout);
        QVERIFY2(timer.elapsed() < 3000, "the transfer timeout must end the request");
    }

    void reportsBadResponseForNonJson()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        connect(&server, &QTcpServer::newConnection, this, [&server] {
            QTcpSocket *socket = server.nextPendingConnection();
            connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                socket->readAll();
                socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 6\r\n\r\n<html>");
            });
        });
        AdminClient client;
        client.setTarget(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort())), QStringLiteral("k"));
        client.fetchConfig();
        const auto failure = waitForFailure(client);
        QVERIFY(failure);
        QCOMPARE(failure->kind, AdminClient::ErrorKind::BadResponse);
    }

    void rejectedRuleCarriesTheFieldMessage()
    {
        UiTestService service;
        QVERIFY(service.start());
        AdminClient client;
        client.setTarget(service.baseUrl(), service.adminKey());
        client.putRule({QStringLiteral("/v1/chat"), QString(), 0, 60, QString(), 0});
        const auto failure = waitForFailure(client);
        QVERIFY(failure);
        QCOMPARE(failure->kind, AdminClient::ErrorKind::BadRequest);
        QCOMPARE(failure->httpStatus, 400);
        QVERIFY2(failure->apiError.message.startsWith(QLatin1String("requests:")), qPrintable(failure->apiError.message));
        QCOMPARE(failure->context, QStringLiteral("/v1/chat\n"));
    }

    void savesListsAndDeletesApiKeyLimits()
    {
        UiTestService service;
        QVERIFY(service.start());
        AdminClient client;
        client.setTarget(service.baseUrl(), service.adminKey());
        QSignalSpy saved(&client, &AdminClient::apiKeyLimitSaved);
        client.putApiKeyLimit({QStringLiteral("default"), 600, 60, QString(), 0});
        QVERIFY(saved.wait(5000));
        QCOMPARE(saved.at(0).at(0).toString(), QStringLiteral("default"));

        QSignalSpy config(&client, &AdminClient::configReceived);
        client.fetchConfig();
        QVERIFY(config.wait(5000));
        const auto cfg = config.at(0).at(0).value<AdminApi::Config>();
        QVERIFY(cfg.apiKeyDefault.has_value());
        QCOMPARE(cfg.apiKeyDefault->requests, 600);

        QSignalSpy deleted(&client, &AdminClient::apiKeyLimitDeleted);
        client.deleteApiKeyLimit(QStringLiteral("default"));
        QVERIFY(deleted.wait(5000));
        QCOMPARE(deleted.at(0).at(0).toString(), QStringLiteral("default"));
        client.deleteApiKeyLimit(QStringLiteral("default"));
        const auto failure = waitForFailure(client);
        QVERIFY(failure);
        QCOMPARE(failure->kind, AdminClient::ErrorKind::NotFound);
        QCOMPARE(failure->context, QStringLiteral("default"));
    }

    void savesListsAndDeletesRules()
    {
        UiTestService service;
        QVERIFY(service.start());
        AdminClient client;
        client.setTarget(service.baseUrl(), service.adminKey());
        QSignalSpy saved(&client, &AdminClient::ruleSaved);
        client.putRule({QStringLiteral("/v1/images/*"), QStringLiteral("POST"), 5, 30, QStringLiteral("token_bucket"), 8});
        QVERIFY(saved.wait(5000));
        QCOMPARE(saved.at(0).at(0).toString(), QStringLiteral("/v1/images/*"));
        QCOMPARE(saved.at(0).at(1).toString(), QStringLiteral("POST"));

        QSignalSpy config(&client, &AdminClient::configReceived);
        client.fetchConfig();
        QVERIFY(config.wait(5000));
        const auto cfg = config.at(0).at(0).value<AdminApi::Config>();
        QCOMPARE(cfg.endpoints.size(), 1);
        QCOMPARE(cfg.endpoints.at(0).requests, 5);
        QCOMPARE(cfg.endpoints.at(0).windowSeconds, 30);
        QCOMPARE(cfg.endpoints.at(0).algorithm, QStringLiteral("token_bucket"));
        QCOMPARE(cfg.endpoints.at(0).burst, 8);

        QSignalSpy history(&client, &AdminClient::historyReceived);
        client.fetchHistory();
        QVERIFY(history.wait(5000));
        QCOMPARE(history.at(0).at(0).value<QList<AdminApi::HistoryEntry>>().size(), 1);

        QSignalSpy deleted(&client, &AdminClient::ruleDeleted);
        client.deleteRule(QStringLiteral("/v1/images/*"), QStringLiteral("POST"));
        QVERIFY(deleted.wait(5000));
        client.fetchConfig();
        QVERIFY(config.wait(5000));
        QVERIFY(config.last().at(0).value<AdminApi::Config>().endpoints.isEmpty());
    }

    void clearResetsTheKeyInTheService()
    {
        UiTestService service;
        QVERIFY(service.start());
        QCOMPARE(service.hit("client-two", 4), 4);
        AdminClient client;
        client.setTarget(service.baseUrl(), service.adminKey());
        QSignalSpy stats(&client, &AdminClient::statsReceived);
        client.fetchStats(10);
        QVERIFY(stats.wait(5000));
        const QString key = keyOf(stats.at(0).at(0).value<AdminApi::Stats>(), QStringLiteral("api_key"));
        QVERIFY(!key.isEmpty());

        QSignalSpy cleared(&client, &AdminClient::keyCleared);
        client.clearKey(key);
        QVERIFY(cleared.wait(5000));
        QCOMPARE(cleared.at(0).at(0).toString(), key);
        client.fetchStats(10);
        QVERIFY(stats.wait(5000));
        QVERIFY(keyOf(stats.last().at(0).value<AdminApi::Stats>(), QStringLiteral("api_key")).isEmpty());
    }

    void dropsAnswersOfAPreviousTarget()
    {
        UiTestService first;
        QVERIFY(first.start());
        AdminClient client;
        client.setTarget(first.baseUrl(), first.adminKey());
        QSignalSpy stats(&client, &AdminClient::statsReceived);
        QSignalSpy failed(&client, &AdminClient::requestFailed);
        client.fetchStats(10);
        client.setTarget(first.baseUrl(), QStringLiteral("another key"));
        QVERIFY(!client.isInFlight(AdminClient::Operation::Stats));
        QTest::qWait(300);
        QCOMPARE(stats.size(), 0);
        QCOMPARE(failed.size(), 0);
    }
};

QTEST_MAIN(tst_AdminClient)
#include "tst_adminclient.moc"
