#pragma once

#include "httprequest.h"
#include "httpresponder.h"
#include "serviceconfig.h"

#include <QElapsedTimer>
#include <QSet>
#include <QTcpServer>

#include <atomic>
#include <functional>
#include <memory>

class HttpConnection;
class QTimer;
class ServiceStats;

// Sluice's HTTP/1.1 front: a QTcpServer whose connections (HttpConnection) parse requests with hard
// limits and keep answers in request order. Replaces QHttpServer 6.4, which buffers any body, drops
// all headers silently past 100 fields, has no timeouts, ignores Connection: close / HTTP/1.0 /
// Expect, sends bodies for HEAD and reorders deferred answers (see docs in the report / README).
// Listen with listen(), or adopt a prepared (SO_REUSEPORT) socket with setSocketDescriptor().
// One server per event-loop thread; `connectionCount` may be shared by the servers of a process so
// the connection cap is per process. Lives in (and must be used from) its thread.
class HttpServer : public QTcpServer
{
    Q_OBJECT
public:
    using Handler = std::function<void(HttpRequest &&request, HttpResponder responder)>;

    HttpServer(const HttpLimits &limits, Handler handler, std::shared_ptr<std::atomic<int>> connectionCount,
               ServiceStats *stats, QObject *parent = nullptr);
    ~HttpServer() override;

    const HttpLimits &limits() const { return m_limits; }
    ServiceStats *stats() const { return m_stats; }
    qint64 nowMs() const { return m_clock.elapsed(); }
    int openConnections() const { return int(m_connections.size()); }
    // Shutdown, after close(): every connection reads no further request, answers what it owes
    // (the last answer closes it) and idle connections close now (HttpConnection::drain()).
    void drainConnections();
    // Writes out what every connection has queued, up to `msecs` each (shutdown).
    void flushConnections(int msecs);

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    friend class HttpConnection;
    void dispatch(HttpRequest &&request, HttpResponder responder) { m_handler(std::move(request), std::move(responder)); }
    void connectionClosed(HttpConnection *connection);

    const HttpLimits m_limits;
    Handler m_handler;
    std::shared_ptr<std::atomic<int>> m_connectionCount;
    ServiceStats *m_stats;
    QSet<HttpConnection *> m_connections;
    QTimer *m_sweep = nullptr;
    QElapsedTimer m_clock;
};
