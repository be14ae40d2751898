// Abuse that aims at memory or connections, measured as resident memory (/proc VmRSS):
// - a million distinct client keys in the memory store (in process, so it runs in seconds), then a
//   million more: the key cap holds the store, and RSS, at a documented bound;
// - distinct client IPs through a real sluice-server in memory mode (X-Forwarded-For from a trusted proxy);
// - slow clients (slowloris), huge bodies (Content-Length and chunked) and huge headers against a
//   real sluice-server with small limits: refused early, connections reclaimed, RSS flat, and a normal
//   client is served afterwards.

#include "faultsupport.h"
#include "httpclient.h"
#include "manualclock.h"
#include "memoryratelimitstore.h"

#include <QTcpSocket>
#include <QTest>

using namespace Faults;

namespace {

// Documented bound for the memory store: 256 bytes of RSS per tracked sliding-log key with one entry
// (the node is 64 bytes + key, plus bucket slot, log block and allocator overhead). ASan's redzones
// and quarantine make every allocation several times larger.
constexpr qint64 kBytesPerKeyBound = kAsan ? 1024 : 256;

QByteArray ipKey(qint64 i)
{
    return "rate_limit:ip:10." + QByteArray::number((i >> 16) & 0xff) + '.' + QByteArray::number((i >> 8) & 0xff) + '.'
           + QByteArray::number(i & 0xff) + (i >= (1 << 24) ? ':' + QByteArray::number(i >> 24) : QByteArray());
}

// Writes `bytes` to `socket` in pieces until the server closes it, answers, or `limit` bytes went out.
// Returns the bytes written before the server stopped reading.
qint64 pushUntilClosed(QTcpSocket &socket, const QByteArray &piece, qint64 limit)
{
    qint64 written = 0;
    while (written < limit && socket.state() == QAbstractSocket::ConnectedState) {
        socket.write(piece);
        written += piece.size();
        socket.waitForBytesWritten(200);
        if (socket.bytesAvailable() > 0 || socket.waitForReadyRead(0))
            break;
    }
    return written;
}

} // namespace

class tst_Abuse : public QObject
{
    Q_OBJECT

    HttpClient m_http;

private slots:
    void millionDistinctKeysStayUnderMemoryBound()
    {
        ManualClock clock;
        // The default cap (1,000,000 keys); a quarter of it under ASan, whose allocator is slow and triples memory.
        MemoryRateLimitStoreOptions options;
        if (kAsan)
            options.maxKeys = options.maxKeys / 4;
        MemoryRateLimitStore store(clock, options);
        const RateLimitPolicy policy{Algorithm::SlidingLog, 60, 60'000, 0};
        const qint64 keys = store.maxKeys();
        const qint64 before = ownRssKiB();
        QElapsedTimer timer;
        timer.start();
        for (qint64 i = 0; i < keys; ++i)
            QVERIFY(store.acquire(ipKey(i), policy, 1).allowed);
        const qint64 afterFirst = ownRssKiB();
        // The per-shard LRU starts evicting slightly before the global cap.
        QVERIFY(store.trackedKeys() <= keys && store.trackedKeys() >= keys * 99 / 100);
        // A second million distinct keys: the cap evicts, the store and RSS stay where they were.
        for (qint64 i = keys; i < 2 * keys; ++i)
            QVERIFY(store.acquire(ipKey(i), policy, 1).allowed);
        const qint64 afterSecond = ownRssKiB();
        const qint64 bytesPerKey = (afterFirst - before) * 1024 / keys;
        qInfo("%lld keys: RSS %lld -> %lld KiB (%lld bytes/key), after %lld more keys %lld KiB; %lld evicted; %lld ms",
              keys, before, afterFirst, bytesPerKey, keys, afterSecond, store.evictedKeys(), qlonglong(timer.elapsed()));
        QVERIFY(store.trackedKeys() <= keys);
        QVERIFY(store.evictedKeys() >= keys - (keys / 100)); // per-shard LRU may evict slightly early
        QVERIFY2(bytesPerKey <= kBytesPerKeyBound, qPrintable(QStringLiteral("%1 bytes per key").arg(bytesPerKey)));
        QVERIFY2(afterSecond - before <= (afterFirst - before) * 11 / 10 + 16 * 1024,
                 qPrintable(QStringLiteral("RSS grew from %1 to %2 KiB after the cap").arg(afterFirst).arg(afterSecond)));
    }

    void distinctClientIpsThroughServerStayUnderMemoryBound()
    {
        ServerProcess server(Env{{"TRUSTED_PROXIES", "127.0.0.1"}, {"THREADS", "1"}});
        QVERIFY2(server.waitUntilListening(), server.log().constData());
        QCOMPARE(m_http.get(server.url(QStringLiteral("/health"))).status, 200);
        const qint64 before = server.rssKiB();
        const qint64 clients = kAsan ? 20'000 : 100'000;

        QList<std::shared_ptr<QTcpSocket>> sockets;
        for (int c = 0; c < 8; ++c) {
            auto s = std::make_shared<QTcpSocket>();
            s->connectToHost(QHostAddress::LocalHost, server.port());
            QVERIFY(s->waitForConnected(5000));
            sockets.append(s);
        }
        // Each request names a new client IP through the trusted proxy's X-Forwarded-For. Pipelined
        // batches of 64 per connection keep this fast without an unbounded backlog.
        QElapsedTimer timer;
        timer.start();
        qint64 next = 0;
        qint64 answered = 0;
        while (next < clients) {
            QList<int> batchSizes;
            for (auto &s : sockets) {
                QByteArray batch;
                int n = 0;
                for (; n < 64 && next < clients; ++n, ++next) {
                    batch += "GET /v1/ratelimit/check HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 10." + QByteArray::number((next >> 16) & 0xff)
                             + '.' + QByteArray::number((next >> 8) & 0xff) + '.' + QByteArray::number(next & 0xff) + "\r\n\r\n";
                }
                s->write(batch);
                batchSizes.append(n);
            }
            for (int i = 0; i < sockets.size(); ++i) {
                QByteArray got;
                const QDeadlineTimer deadline(10000);
                while (got.count("HTTP/1.1 ") < batchSizes.at(i) && !deadline.hasExpired()) {
                    if (sockets.at(i)->waitForReadyRead(100))
                        got += sockets.at(i)->readAll();
                }
                QCOMPARE(got.count("HTTP/1.1 "), batchSizes.at(i));
                answered += got.count("HTTP/1.1 200");
            }
        }
        const qint64 after = server.rssKiB();
        const QByteArray metrics = m_http.get(server.url(QStringLiteral("/metrics"))).body;
        const double tracked = metricValue(metrics, "sluice_rate_limit_tracked_keys");
        qInfo("%lld distinct client IPs in %lld ms (%lld answered 200): server RSS %lld -> %lld KiB (%lld bytes/key), tracked keys %.0f",
              clients, qlonglong(timer.elapsed()), answered, before, after, (after - before) * 1024 / clients, tracked);
        QCOMPARE(answered, clients);
        QCOMPARE(qint64(tracked), clients);
        // Per key: the store's bound plus the server's share (hash of the log, allocator slack).
        QVERIFY2((after - before) * 1024 / clients <= 2 * kBytesPerKeyBound,
                 qPrintable(QStringLiteral("%1 bytes per client").arg((after - before) * 1024 / clients)));
        QVERIFY(server.isRunning());
    }

    void slowClientsCannotExhaustConnections()
    {
        ServerProcess server(Env{{"MAX_CONNECTIONS", "64"}, {"REQUEST_TIMEOUT", "1s"}, {"IDLE_TIMEOUT", "2s"}, {"THREADS", "1"}});
        QVERIFY2(server.waitUntilListening(), server.log().constData());
        const qint64 before = server.rssKiB();
        // 200 slowloris clients: a request line and then one header byte now and then, never finishing.
        QList<std::shared_ptr<QTcpSocket>> slow;
        for (int i = 0; i < 200; ++i) {
            auto s = std::make_shared<QTcpSocket>();
            s->connectToHost(QHostAddress::LocalHost, server.port());
            slow.append(s);
        }
        for (auto &s : slow) {
            if (s->waitForConnected(2000))
                s->write("GET /v1/ratelimit/check HTTP/1.1\r\nHost: a\r\nX-Slow: ");
        }
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 2500) {
            for (auto &s : slow) {
                if (s->state() == QAbstractSocket::ConnectedState)
                    s->write("x");
            }
            spin(200);
        }
        // Every slow client has been answered (503 beyond the cap, 408 after the request timeout) and closed.
        int closed = 0;
        int answered408 = 0;
        int answered503 = 0;
        QVERIFY(eventually([&] {
            closed = 0;
            for (auto &s : slow)
                closed += s->state() == QAbstractSocket::UnconnectedState ? 1 : 0;
            return closed == slow.size();
        }, 5000));
        for (auto &s : slow) {
            const QByteArray reply = s->readAll();
            answered408 += reply.startsWith("HTTP/1.1 408") ? 1 : 0;
            answered503 += reply.startsWith("HTTP/1.1 503") ? 1 : 0;
        }
        const QByteArray metrics = m_http.get(server.url(QStringLiteral("/metrics"))).body;
        qInfo("200 slowloris clients: %d closed by the server (%d x 408, %d x 503); RSS %lld -> %lld KiB", closed, answered408,
              answered503, before, server.rssKiB());
        QCOMPARE(answered408 + answered503, 200);
        QVERIFY(answered408 >= 1 && answered408 <= 64);
        QVERIFY(metricValue(metrics, "sluice_http_rejected_total{reason=\"request_timeout\"}") >= answered408);
        QVERIFY(metricValue(metrics, "sluice_http_rejected_total{reason=\"connection_limit\"}") >= answered503);
        // The attack is over as soon as it stops: a normal client is served at once.
        QCOMPARE(m_http.get(server.url(QStringLiteral("/v1/ratelimit/check"))).status, 200);
        QVERIFY(server.rssKiB() - before < 32 * 1024);
    }

    void hugeBodiesAndHeadersAreRefusedWithoutBuffering_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<QByteArray>("piece");
        QTest::addColumn<int>("status");
        QTest::addRow("Content-Length 1 GiB") << QByteArray("POST /v1/ratelimit/check HTTP/1.1\r\nHost: a\r\nContent-Length: 1073741824\r\n\r\n")
                                              << QByteArray(64 * 1024, 'b') << 413;
        QTest::addRow("chunked without end") << QByteArray("POST /v1/ratelimit/check HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")
                                             << QByteArray("10000\r\n") + QByteArray(0x10000, 'c') + "\r\n" << 413;
        QTest::addRow("one endless header") << QByteArray("GET /v1/ratelimit/check HTTP/1.1\r\nHost: a\r\nX-Big: ")
                                            << QByteArray(64 * 1024, 'h') << 431;
        QTest::addRow("endless header fields") << QByteArray("GET /v1/ratelimit/check HTTP/1.1\r\nHost: a\r\n")
                                               << QByteArray("X-Many: 1\r\n").repeated(1000) << 431;
        QTest::addRow("endless request line") << QByteArray("GET /") << QByteArray(64 * 1024, 'p') << 414;
    }
    void hugeBodiesAndHeadersAreRefusedWithoutBuffering()
    {
        QFETCH(QByteArray, head);
        QFETCH(QByteArray, piece);
        QFETCH(int, status);
        ServerProcess server(Env{{"MAX_BODY_SIZE", "64k"}, {"THREADS", "1"}});
        QVERIFY2(server.waitUntilListening(), server.log().constData());
        const qint64 before = server.rssKiB();
        // 16 clients at once, each offering up to 32 MiB: the server must answer and stop reading long before.
        QList<std::shared_ptr<QTcpSocket>> clients;
        for (int i = 0; i < 16; ++i) {
            auto s = std::make_shared<QTcpSocket>();
            s->connectToHost(QHostAddress::LocalHost, server.port());
            QVERIFY(s->waitForConnected(2000));
            s->write(head);
            clients.append(s);
        }
        qint64 maxWritten = 0;
        for (auto &s : clients)
            maxWritten = qMax(maxWritten, pushUntilClosed(*s, piece, 32 * 1024 * 1024));
        int refused = 0;
        for (auto &s : clients) {
            eventually([&] { return s->bytesAvailable() > 0 || s->state() != QAbstractSocket::ConnectedState; }, 5000);
            refused += s->readAll().startsWith("HTTP/1.1 " + QByteArray::number(status)) ? 1 : 0;
        }
        const qint64 after = server.rssKiB();
        qInfo("16 clients: %d answered %d; at most %lld bytes pushed per client before the answer; RSS %lld -> %lld KiB", refused,
              status, maxWritten, before, after);
        QCOMPARE(refused, 16);
        QVERIFY2(after - before < 32 * 1024, qPrintable(QStringLiteral("RSS grew by %1 KiB").arg(after - before)));
        QCOMPARE(m_http.get(server.url(QStringLiteral("/v1/ratelimit/check"))).status, 200);
        QVERIFY(server.isRunning());
    }
};

QTEST_MAIN(tst_Abuse)
#include "tst_abuse.moc"
