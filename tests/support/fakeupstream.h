#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <functional>

// A scriptable HTTP/1.1 upstream for gateway tests: records every request it receives (raw method,
// target, headers in wire order, body) and lets the test answer on the raw socket, byte by byte if it
// wants (streams, hangs, resets). Loopback, port 0. Use from the test's thread, whose event loop must
// run while the upstream is to answer.
class FakeUpstream : public QObject
{
public:
    struct Request
    {
        QByteArray method;
        QByteArray target;
        QList<std::pair<QByteArray, QByteArray>> headers;
        QByteArray body;

        QList<QByteArray> values(const QByteArray &name) const
        {
            QList<QByteArray> out;
            for (const auto &h : headers) {
                if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                    out.append(h.second);
            }
            return out;
        }
        QByteArray value(const QByteArray &name) const { return values(name).value(0); }
        bool has(const QByteArray &name) const { return !values(name).isEmpty(); }
    };
    // Called once per complete request; answer on `socket` (or not at all).
    using Handler = std::function<void(const Request &request, QTcpSocket *socket)>;

    FakeUpstream()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                m_sockets.append(socket);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    QByteArray url() const { return "http://127.0.0.1:" + QByteArray::number(port()); }
    void setHandler(Handler handler) { m_handler = std::move(handler); }
    const QList<Request> &requests() const { return m_requests; }
    QList<QPointer<QTcpSocket>> sockets() const { return m_sockets; }

    static QByteArray response(int status, const QByteArray &body, const QList<std::pair<QByteArray, QByteArray>> &headers = {})
    {
        QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + " X\r\n";
        for (const auto &h : headers)
            out += h.first + ": " + h.second + "\r\n";
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        return out;
    }

    // Answers on `socket` with a chunked Server-Sent Events stream: `events` events "data: tick <n>", one
    // every `intervalMs`, then the last chunk; `events` 0: endless.
    static void streamEvents(QTcpSocket *socket, int events, int intervalMs)
    {
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
        auto *timer = new QTimer(socket);
        QObject::connect(socket, &QTcpSocket::disconnected, timer, &QTimer::stop);
        QObject::connect(timer, &QTimer::timeout, socket, [socket, timer, events, sent = 0]() mutable {
            const QByteArray event = "data: tick " + QByteArray::number(sent++) + "\n\n";
            socket->write(QByteArray::number(event.size(), 16) + "\r\n" + event + "\r\n");
            if (sent == events) {
                socket->write("0\r\n\r\n");
                timer->stop();
            }
        });
        timer->start(intervalMs);
    }

private:
    void read(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        for (;;) {
            const qsizetype end = buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            Request request;
            const QList<QByteArray> lines = buffer.left(end).split('\n');
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            request.method = first.value(0);
            request.target = first.value(1);
            qint64 length = 0;
            for (int i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines.at(i).trimmed();
                const qsizetype colon = line.indexOf(':');
                request.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
                if (line.left(colon).compare("content-length", Qt::CaseInsensitive) == 0)
                    length = line.mid(colon + 1).trimmed().toLongLong();
            }
            if (buffer.size() < end + 4 + length)
                return;
            request.body = buffer.mid(end + 4, length);
            buffer.remove(0, end + 4 + length);
            m_requests.append(request);
            if (m_handler)
                m_handler(request, socket);
        }
    }

    QTcpServer m_server;
    Handler m_handler;
    QList<Request> m_requests;
    QList<QPointer<QTcpSocket>> m_sockets;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};
