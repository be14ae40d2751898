#pragma once

#include "httprequestparser.h"
#include "httpresponse.h"

#include <QByteArray>
#include <QObject>

#include <deque>
#include <functional>

class HttpResponder;
class HttpServer;
class QTcpSocket;

// One client connection of HttpServer: reads and parses requests (with the server's limits), hands
// each complete request to the handler together with an HttpResponder, and writes the answers in
// request order (a FIFO of response slots), even when later requests are answered first. Knows the
// HTTP/1.x connection rules: keep-alive, Connection: close and HTTP/1.0 (close after the answer),
// HEAD (no body), Expect: 100-continue (interim 100 when the body is wanted). A request that breaks a
// limit gets its status (400/408/413/414/417/431/501/505) after the answers before it, and the
// connection closes. At most kMaxPipelined requests, and MAX_BODY_SIZE of their bodies, wait for
// answers; beyond that it stops reading (TCP pushes back on the client).
// Lives in its server's thread; deletes itself (deleteLater) when the socket closes.
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxPipelined = 32;

    HttpConnection(QTcpSocket *socket, HttpServer *server);
    ~HttpConnection() override;

    // Called by the server's sweep timer: enforces the request and idle timeouts.
    void checkTimeouts(qint64 nowMs);
    // Blocks up to `msecs` until queued output is written (used once at shutdown).
    void flushBlocking(int msecs);
    // Shutdown: read no further request; answers still owed go out and the last one closes the
    // connection (Connection: close when its head is not written yet). A request still arriving was
    // never dispatched, so it is dropped; an idle connection closes at once.
    void drain();
    QTcpSocket *socket() const { return m_socket; }

signals:
    // The socket wrote bytes: a paused streamer may continue.
    void bytesWritten();

private:
    friend class HttpResponder;

    struct Slot
    {
        quint64 id = 0;
        int minorVersion = 1;
        bool head = false;
        bool keepAlive = true;
        bool expectContinue = false; // send 100 Continue while the body is still wanted
        bool continueSent = false;
        bool started = false;        // status line written into `out`
        bool chunked = false;
        bool done = false;
        qint64 bodyBytes = 0;        // of the request, held by its handler until answered
        QByteArray out;              // serialised but not yet written to the socket
    };

    void onReadyRead();
    void process();
    void flush();
    void closeGracefully();
    void shutdownWrite();
    void fail(int status, const QByteArray &message);
    Slot *slot(quint64 id);
    Slot &newSlot(const HttpRequest &request);
    void writeHead(Slot &slot, int status, const QByteArray &contentType, const HttpResponse::Headers &headers,
                   const QByteArray &rawHeaders, qint64 contentLength, const QByteArray &body);

    // HttpResponder's operations.
    void respond(quint64 id, const HttpResponse &response);
    void beginStream(quint64 id, int status, const HttpResponse::Headers &headers, qint64 contentLength,
                     const QByteArray &rawHeaders);
    void writeStream(quint64 id, const QByteArray &data);
    void endStream(quint64 id, bool abort);
    qint64 bytesToWrite(quint64 id) const;

    QTcpSocket *m_socket;
    HttpServer *m_server;
    HttpRequestParser m_parser;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    std::deque<Slot> m_slots;
    quint64 m_nextId = 1;
    bool m_haveCurrentSlot = false; // a slot exists for the request being received (100-continue)
    bool m_stopReading = false;      // after Connection: close or an error: parse nothing more
    bool m_draining = false;
    bool m_closing = false;
    bool m_shutdownPending = false;
    bool m_inSocketFlush = false;
    bool m_writtenQueued = false;
    qint64 m_lingerSinceMs = 0;
    qint64 m_pendingBodyBytes = 0;
    qint64 m_requestStartMs = -1;
    qint64 m_idleSinceMs = 0;
    qint64 m_lastWriteMs = 0;
};
