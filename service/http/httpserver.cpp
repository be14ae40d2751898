#include "httpserver.h"

#include "apierror.h"
#include "httpconnection.h"
#include "stats.h"

#include <QTcpSocket>
#include <QTimer>

HttpServer::HttpServer(const HttpLimits &limits, Handler handler, std::shared_ptr<std::atomic<int>> connectionCount,
                       ServiceStats *stats, QObject *parent)
    : QTcpServer(parent), m_limits(limits), m_handler(std::move(handler)),
      m_connectionCount(connectionCount ? std::move(connectionCount) : std::make_shared<std::atomic<int>>(0)), m_stats(stats)
{
    m_clock.start();
    setMaxPendingConnections(1024);
    m_sweep = new QTimer(this);
    // A coarse sweep instead of a timer per connection: timeouts fire within a quarter of their length.
    const int tick = std::clamp(std::min(m_limits.requestTimeoutMs, m_limits.idleTimeoutMs) / 4, 5, 1000);
    m_sweep->setInterval(tick);
    connect(m_sweep, &QTimer::timeout, this, [this] {
        const qint64 now = nowMs();
        const QList<HttpConnection *> all = m_connections.values();
        for (HttpConnection *c : all) {
            if (m_connections.contains(c))
                c->checkTimeouts(now);
        }
    });
    m_sweep->start();
}

HttpServer::~HttpServer()
{
    m_connectionCount->fetch_sub(int(m_connections.size()), std::memory_order_relaxed);
    m_connections.clear();
}

void HttpServer::incomingConnection(qintptr socketDescriptor)
{
    auto *socket = new QTcpSocket;
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        return;
    }
    if (m_connectionCount->fetch_add(1, std::memory_order_relaxed) >= m_limits.maxConnections) {
        m_connectionCount->fetch_sub(1, std::memory_order_relaxed);
        if (m_stats)
            m_stats->recordHttpRejection(HttpRejection::ConnectionLimit);
        // Tell the client why instead of leaving it in the backlog; never read its request.
        const HttpResponse r = errorResponse(ApiErrorKind::TooManyConnections,
                                             QStringLiteral("the server is at its connection limit"));
        socket->setParent(this);
        socket->write("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
                      + QByteArray::number(r.body.size()) + "\r\n\r\n" + r.body);
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        socket->disconnectFromHost();
        return;
    }
    auto *connection = new HttpConnection(socket, this);
    m_connections.insert(connection);
}

void HttpServer::connectionClosed(HttpConnection *connection)
{
    if (m_connections.remove(connection))
        m_connectionCount->fetch_sub(1, std::memory_order_relaxed);
}

void HttpServer::drainConnections()
{
    const QList<HttpConnection *> all = m_connections.values();
    for (HttpConnection *c : all) {
        if (m_connections.contains(c))
            c->drain();
    }
}

void HttpServer::flushConnections(int msecs)
{
    for (HttpConnection *c : std::as_const(m_connections))
        c->flushBlocking(msecs);
}
