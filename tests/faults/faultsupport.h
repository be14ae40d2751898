#pragma once

// Shared by the fault and abuse tests, next to ServerProcess (tests/support): a bounded closed-loop load
// generator (keep-alive HTTP/1.1 over raw sockets on the test's event loop, so the test can kill Redis
// or change limits while requests are in flight), and /metrics and /proc readers.

#include "eventloopwait.h"
#include "serverprocess.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMap>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <functional>
#include <limits>
#include <memory>
#include <vector>

namespace Faults {

// The server child and this process are built alike: ASan-aware bounds apply to both.
inline constexpr bool kAsan = ServerProcess::kUnderAsan;

// Default Redis command timeout of RedisSettings (not configurable from the environment): a request
// waiting on Redis longer than this must have been decided by the fallback.
inline constexpr int kRedisCommandTimeoutMs = 250;

// Environment variables for a ServerProcess.
using Env = ServerProcess::Env;

inline qint64 ownRssKiB() { return ServerProcess::rssFromStatus(QStringLiteral("/proc/self/status")); }

// Value of an unlabelled (or fully labelled, e.g. `name{mode="redis"}`) sample in a /metrics body; -1 if absent.
inline double metricValue(const QByteArray &metrics, const QByteArray &sample)
{
    for (const QByteArray &line : metrics.split('\n')) {
        if (line.startsWith(sample + ' '))
            return line.mid(sample.size() + 1).toDouble();
    }
    return -1;
}

// Closed-loop load: `connections` keep-alive connections, each with one request in flight at a time,
// spread round-robin over `ports`. Bounded by construction (connections x one request) and by the
// test's own duration. A response slower than `hangMs` counts as a hang and its connection is reset.
class LoadGenerator : public QObject
{
public:
    struct Options
    {
        QList<quint16> ports;
        int connections = 4;
        QByteArray target = QByteArrayLiteral("/v1/ratelimit/check");
        // Client key of request number `seq` (sent as X-API-Key); empty: no key (the peer IP is the client).
        std::function<QByteArray(quint64 seq)> keyFor;
        // X-Forwarded-For of request number `seq` (a trusted proxy naming the client); empty: none.
        std::function<QByteArray(quint64 seq)> forwardedFor;
        QList<std::pair<QByteArray, QByteArray>> headers; // sent with every request
        int hangMs = 5000;
        int gapMs = 0; // pause between a response and the next request on a connection (rate cap)
    };
    struct Sample
    {
        qint64 startMs; // since start()
        qint64 latencyUs;
        int status;
    };

    explicit LoadGenerator(Options options) : m_options(std::move(options))
    {
        m_watchdog.setInterval(50);
        QObject::connect(&m_watchdog, &QTimer::timeout, this, [this] { checkHangs(); });
    }

    void start()
    {
        m_running = true;
        m_clock.start();
        m_watchdog.start();
        for (int i = 0; i < m_options.connections; ++i) {
            auto c = std::make_unique<Connection>();
            c->port = m_options.ports.at(i % m_options.ports.size());
            c->socket = std::make_unique<QTcpSocket>();
            Connection *raw = c.get();
            wire(raw);
            m_connections.push_back(std::move(c));
            connectAndSend(raw);
        }
    }
    // Stops issuing requests and waits (on the event loop) for the ones in flight.
    void stop()
    {
        m_running = false;
        eventually([this] { return std::none_of(m_connections.begin(), m_connections.end(), [](const auto &c) { return c->inFlight; }); },
                   m_options.hangMs + 1000);
        m_watchdog.stop();
        for (auto &c : m_connections)
            c->socket->abort();
    }

    qint64 elapsedMs() const { return m_clock.elapsed(); }
    const std::vector<Sample> &samples() const { return m_samples; }
    qint64 completed() const { return qint64(m_samples.size()); }
    qint64 connectionErrors() const { return m_connectionErrors; }
    qint64 hangs() const { return m_hangs; }
    // When (ms since start()) each lost connection or hang happened.
    const std::vector<qint64> &failureTimesMs() const { return m_failureTimesMs; }
    // Statuses other than the `allowed` ones, as "status x count" text; empty when there are none.
    QString unexpectedStatuses(std::initializer_list<int> allowed) const
    {
        QMap<int, qint64> counts;
        for (const Sample &s : m_samples) {
            if (std::find(allowed.begin(), allowed.end(), s.status) == allowed.end())
                ++counts[s.status];
        }
        QStringList out;
        for (auto it = counts.cbegin(); it != counts.cend(); ++it)
            out << QStringLiteral("%1 x%2").arg(it.key()).arg(it.value());
        return out.join(QLatin1String(", "));
    }
    qint64 count(int status) const
    {
        return std::count_if(m_samples.begin(), m_samples.end(), [status](const Sample &s) { return s.status == status; });
    }
    // 200 answers per client key.
    const QHash<QByteArray, qint64> &admittedByKey() const { return m_admitted; }

    // Latency percentile (0..100) in ms over the samples that started in [fromMs, toMs).
    double percentileMs(double p, qint64 fromMs = 0, qint64 toMs = std::numeric_limits<qint64>::max()) const
    {
        std::vector<qint64> v;
        for (const Sample &s : m_samples) {
            if (s.startMs >= fromMs && s.startMs < toMs)
                v.push_back(s.latencyUs);
        }
        if (v.empty())
            return 0;
        std::sort(v.begin(), v.end());
        const size_t index = std::min(v.size() - 1, size_t(p / 100.0 * double(v.size())));
        return double(v[index]) / 1000.0;
    }
    qint64 completedBetween(qint64 fromMs, qint64 toMs) const
    {
        return std::count_if(m_samples.begin(), m_samples.end(), [&](const Sample &s) { return s.startMs >= fromMs && s.startMs < toMs; });
    }

private:
    struct Connection
    {
        quint16 port = 0;
        std::unique_ptr<QTcpSocket> socket;
        QByteArray buffer;
        bool inFlight = false;
        qint64 sentUs = 0;
        QByteArray key;
    };

    void wire(Connection *c)
    {
        QObject::connect(c->socket.get(), &QTcpSocket::connected, this, [this, c] { send(c); });
        QObject::connect(c->socket.get(), &QTcpSocket::readyRead, this, [this, c] { onReadyRead(c); });
        QObject::connect(c->socket.get(), &QTcpSocket::errorOccurred, this, [this, c](QAbstractSocket::SocketError) { onLost(c); });
    }
    void connectAndSend(Connection *c)
    {
        c->buffer.clear();
        c->socket->abort();
        c->socket->connectToHost(QHostAddress::LocalHost, c->port);
    }
    void send(Connection *c)
    {
        if (!m_running || c->inFlight)
            return;
        const quint64 seq = m_seq++;
        c->key = m_options.keyFor ? m_options.keyFor(seq) : QByteArray();
        QByteArray request = "GET " + m_options.target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        if (!c->key.isEmpty())
            request += "X-API-Key: " + c->key + "\r\n";
        if (m_options.forwardedFor)
            request += "X-Forwarded-For: " + m_options.forwardedFor(seq) + "\r\n";
        for (const auto &h : m_options.headers)
            request += h.first + ": " + h.second + "\r\n";
        request += "\r\n";
        c->inFlight = true;
        c->sentUs = m_clock.nsecsElapsed() / 1000;
        c->socket->write(request);
    }
    void onReadyRead(Connection *c)
    {
        c->buffer += c->socket->readAll();
        for (;;) {
            const qsizetype headEnd = c->buffer.indexOf("\r\n\r\n");
            if (headEnd < 0 || !c->inFlight)
                return;
            const QByteArray head = c->buffer.left(headEnd);
            qsizetype length = 0;
            for (const QByteArray &line : head.split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
            if (c->buffer.size() < headEnd + 4 + length)
                return;
            const int status = head.mid(9, 3).toInt();
            const bool close = head.toLower().contains("\nconnection: close");
            c->buffer.remove(0, headEnd + 4 + length);
            const qint64 nowUs = m_clock.nsecsElapsed() / 1000;
            m_samples.push_back(Sample{c->sentUs / 1000, nowUs - c->sentUs, status});
            if (status == 200)
                ++m_admitted[c->key];
            c->inFlight = false;
            if (close) {
                connectAndSend(c);
                return;
            }
            if (m_options.gapMs > 0) {
                QTimer::singleShot(m_options.gapMs, this, [this, c] { send(c); });
                return;
            }
            send(c);
        }
    }
    void onLost(Connection *c)
    {
        if (c->inFlight) {
            ++m_connectionErrors;
            m_failureTimesMs.push_back(m_clock.elapsed());
            c->inFlight = false;
        }
        if (m_running)
            QTimer::singleShot(10, this, [this, c] { connectAndSend(c); });
    }
    void checkHangs()
    {
        const qint64 nowUs = m_clock.nsecsElapsed() / 1000;
        for (auto &c : m_connections) {
            if (c->inFlight && nowUs - c->sentUs > qint64(m_options.hangMs) * 1000) {
                ++m_hangs;
                m_failureTimesMs.push_back(m_clock.elapsed());
                c->inFlight = false;
                if (m_running)
                    connectAndSend(c.get());
            }
        }
    }

    Options m_options;
    QElapsedTimer m_clock;
    QTimer m_watchdog;
    bool m_running = false;
    quint64 m_seq = 0;
    std::vector<std::unique_ptr<Connection>> m_connections;
    std::vector<Sample> m_samples;
    QHash<QByteArray, qint64> m_admitted;
    qint64 m_connectionErrors = 0;
    qint64 m_hangs = 0;
    std::vector<qint64> m_failureTimesMs;
};

} // namespace Faults
