#pragma once

#include "httpresponse.h"

#include "httpconnection.h"

#include <QPointer>

// The handle a handler answers one request through: a copyable ticket for the request's place in its
// connection's response queue. Answers may come later (from a store or upstream callback); the
// connection sends them in request order. When the client has gone, every call is a no-op: nothing
// ever writes to a socket that no longer exists. Use it from the connection's thread; only send() may
// also be called from another thread (it is then posted to the connection's thread, whose server
// must still exist: the service answers admin requests of every thread from its own thread).
//
// Either send() one complete response, or stream: beginStream(), any number of write(), then end()
// (or abort(), which closes the connection after what was sent, so the client sees a truncated
// response rather than a wrong one). Framing (Content-Length, chunked, close-delimited for HTTP/1.0),
// Connection and HEAD (no body) are handled by the connection.
class HttpResponder
{
public:
    HttpResponder() = default;
    HttpResponder(HttpConnection *connection, quint64 id);

    bool isConnected() const;
    void send(const HttpResponse &response);
    // contentLength < 0: unknown (chunked for HTTP/1.1, close-delimited for HTTP/1.0).
    // `rawHeaders`: extra preformatted "Name: value\r\n" lines.
    void beginStream(int status, const HttpResponse::Headers &headers, qint64 contentLength = -1,
                     const QByteArray &rawHeaders = QByteArray());
    void write(const QByteArray &data);
    void end();
    void abort();
    // Bytes accepted but not yet handed to the kernel for this response (socket buffer included when
    // the response is at the head of the queue); a streamer pauses its source above a bound.
    qint64 bytesToWrite() const;
    HttpConnection *connection() const { return m_connection.data(); }

private:
    QPointer<HttpConnection> m_connection;
    QPointer<QObject> m_home; // the connection's server: receives send() calls from other threads
    QThread *m_thread = nullptr;
    quint64 m_id = 0;
};
