// Gateway mode with a real upstream process that is SIGKILLed while it streams answers (SSE, chunked)
// to several clients through sluice-server: every client sees its stream end cleanly as an error (the
// connection closes without the final chunk, never a hang, never a complete-looking answer), sluice-server
// stays up, answers 502 JSON while the upstream is gone and streams again once it is back.
//
// The upstream is this test executable started again with --streaming-upstream <port>: a real process
// to kill, with nothing beyond QtNetwork.

#include "faultsupport.h"
#include "httpclient.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <csignal>
#include <cstdio>
#include <memory>

using namespace Faults;

namespace {

// The upstream process: answers every request with an endless chunked event stream, one event per 50 ms.
int runStreamingUpstream(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, quint16(argc > 2 ? QByteArray(argv[2]).toUShort() : 0)))
        return 1;
    QObject::connect(&server, &QTcpServer::newConnection, &server, [&server] {
        while (QTcpSocket *socket = server.nextPendingConnection()) {
            QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                if (!socket->readAll().contains("\r\n\r\n") || socket->property("streaming").toBool())
                    return;
                socket->setProperty("streaming", true);
                socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
                auto *timer = new QTimer(socket);
                auto n = std::make_shared<int>(0);
                QObject::connect(timer, &QTimer::timeout, socket, [socket, n] {
                    const QByteArray event = "data: tick " + QByteArray::number((*n)++) + "\n\n";
                    socket->write(QByteArray::number(event.size(), 16) + "\r\n" + event + "\r\n");
                });
                timer->start(50);
            });
        }
    });
    std::printf("upstream listening on %u\n", unsigned(server.serverPort()));
    std::fflush(stdout);
    return app.exec();
}

class UpstreamProcess
{
public:
    bool start(quint16 port = 0)
    {
        m_process.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--streaming-upstream"), QString::number(port)});
        const QDeadlineTimer deadline(10000);
        QByteArray out;
        while (!deadline.hasExpired() && m_process.state() != QProcess::NotRunning) {
            m_process.waitForReadyRead(50);
            out += m_process.readAllStandardOutput();
            const qsizetype at = out.indexOf("upstream listening on ");
            if (at >= 0 && out.indexOf('\n', at) > at) {
                m_port = out.mid(at + 22, out.indexOf('\n', at) - at - 22).toUShort();
                return true;
            }
        }
        return false;
    }
    void kill()
    {
        m_process.kill(); // SIGKILL: the kernel closes its sockets, as in a crash
        m_process.waitForFinished(5000);
    }
    quint16 port() const { return m_port; }
    ~UpstreamProcess() { kill(); }

private:
    QProcess m_process;
    quint16 m_port = 0;
};

// One client reading a streamed answer through the gateway.
struct StreamClient
{
    QTcpSocket socket;
    QByteArray received;
};

} // namespace

class tst_UpstreamFaults : public QObject
{
    Q_OBJECT

    HttpClient m_http;

private slots:
    void upstreamKilledMidStreamGivesCleanErrorsAndServiceStaysUp()
    {
        UpstreamProcess upstream;
        QVERIFY(upstream.start());
        ServerProcess server(Env{{"UPSTREAM_URL", QStringLiteral("http://127.0.0.1:%1").arg(upstream.port())},
                              {"REQUEST_RATE_LIMIT", "1000"},
                              {"UPSTREAM_TIMEOUT", "5s"},
                              {"THREADS", "2"}});
        QVERIFY2(server.waitUntilListening(), server.log().constData());

        std::vector<std::unique_ptr<StreamClient>> clients;
        for (int i = 0; i < 8; ++i) {
            auto c = std::make_unique<StreamClient>();
            c->socket.connectToHost(QHostAddress::LocalHost, server.port());
            QVERIFY(c->socket.waitForConnected(5000));
            c->socket.write("GET /v1/events HTTP/1.1\r\nHost: a\r\nX-API-Key: streamer-" + QByteArray::number(i) + "\r\n\r\n");
            StreamClient *raw = c.get();
            QObject::connect(&c->socket, &QTcpSocket::readyRead, &c->socket, [raw] { raw->received += raw->socket.readAll(); });
            clients.push_back(std::move(c));
        }
        // Every stream is flowing: the head and a few events have arrived.
        QVERIFY(eventually([&] {
            return std::all_of(clients.begin(), clients.end(), [](const auto &c) { return c->received.count("data: tick") >= 3; });
        }, 10000));
        for (const auto &c : clients)
            QVERIFY2(c->received.startsWith("HTTP/1.1 200"), c->received.left(200).constData());

        QElapsedTimer sinceKill;
        sinceKill.start();
        upstream.kill();
        // Each client's connection is closed by sluice-server promptly, and the stream is visibly cut:
        // no terminating zero-size chunk, so no client can take the truncated answer for a complete one.
        QVERIFY(eventually([&] {
            return std::all_of(clients.begin(), clients.end(),
                               [](const auto &c) { return c->socket.state() == QAbstractSocket::UnconnectedState; });
        }, 3000));
        const qint64 closedAfter = sinceKill.elapsed();
        for (const auto &c : clients) {
            c->received += c->socket.readAll();
            QVERIFY2(!c->received.endsWith("\r\n0\r\n\r\n"), c->received.right(100).constData());
        }

        // Still up: health, and a request while the upstream is gone is a quick 502 JSON error.
        QCOMPARE(m_http.get(server.url(QStringLiteral("/health"))).status, 200);
        QElapsedTimer timer;
        timer.start();
        const HttpResult down = m_http.get(server.url(QStringLiteral("/v1/events-again")), {{"X-API-Key", "late"}});
        QCOMPARE(down.status, 502);
        QVERIFY(!down.json().value("error").toString().isEmpty());
        QVERIFY(timer.elapsed() < 3000);

        // Back: the same URL streams again.
        UpstreamProcess again;
        QVERIFY(again.start(upstream.port()));
        StreamClient fresh;
        fresh.socket.connectToHost(QHostAddress::LocalHost, server.port());
        QVERIFY(fresh.socket.waitForConnected(5000));
        fresh.socket.write("GET /v1/events HTTP/1.1\r\nHost: a\r\n\r\n");
        QVERIFY(eventually([&] { fresh.received += fresh.socket.readAll(); return fresh.received.count("data: tick") >= 2; }, 10000));
        QVERIFY(fresh.received.startsWith("HTTP/1.1 200"));

        const QByteArray metrics = m_http.get(server.url(QStringLiteral("/metrics"))).body;
        qInfo("8 streams cut %lld ms after the upstream was killed; unavailable outcomes %.0f", closedAfter,
              metricValue(metrics, "sluice_gateway_upstream_requests_total{outcome=\"unavailable\"}"));
        QVERIFY(metricValue(metrics, "sluice_gateway_upstream_requests_total{outcome=\"unavailable\"}") >= 1);
        QVERIFY(server.isRunning());
    }
};

int main(int argc, char *argv[])
{
    if (argc > 1 && qstrcmp(argv[1], "--streaming-upstream") == 0)
        return runStreamingUpstream(argc, argv);
    QCoreApplication app(argc, argv);
    tst_UpstreamFaults test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_upstreamfaults.moc"
