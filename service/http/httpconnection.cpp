#include "httpconnection.h"

#include "apierror.h"
#include "httpresponder.h"
#include "httpserver.h"
#include "stats.h"

#include <QDateTime>
#include <QMetaMethod>
#include <QTcpSocket>
#include <QThread>

#include <charconv>
#include <cstring>

#include <sys/socket.h>

namespace {

constexpr qint64 kSocketReadBuffer = 64 * 1024;
// After the last answer on a closing connection, unread request bytes are drained this long, so the
// kernel does not answer them with a reset that could destroy the answer in flight (lingering close).
constexpr qint64 kLingerMs = 2'000;

// "Date:" field value, rebuilt at most once per second per thread.
const QByteArray &httpDate()
{
    thread_local qint64 second = -1;
    thread_local QByteArray text;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    if (now != second) {
        second = now;
        text = QLocale::c().toString(QDateTime::fromSecsSinceEpoch(now, Qt::UTC), u"ddd, dd MMM yyyy hh:mm:ss 'GMT'").toLatin1();
    }
    return text;
}

bool bodyAllowed(int status)
{
    return status >= 200 && status != 204 && status != 304;
}

HttpRejection rejectionFor(int status)
{
    switch (status) {
    case 408:
        return HttpRejection::RequestTimeout;
    case 413:
        return HttpRejection::BodyTooLarge;
    case 414:
    case 431:
        return HttpRejection::HeadersTooLarge;
    default:
        return HttpRejection::BadRequest;
    }
}

} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, HttpServer *server)
    : QObject(server), m_socket(socket), m_server(server), m_parser(server->limits())
{
    m_socket->setParent(this);
    m_socket->setReadBufferSize(kSocketReadBuffer);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_idleSinceMs = m_lastWriteMs = server->nowMs();
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        m_lastWriteMs = m_server->nowMs();
        if (m_shutdownPending && m_socket->bytesToWrite() == 0)
            shutdownWrite();
        if (!m_inSocketFlush) {
            emit bytesWritten();
            return;
        }
        // Written from inside flush(), i.e. while a writer is still in its own call: tell streamers
        // later, never re-entrantly (and only when a streamer listens: no cost for plain answers).
        if (!m_writtenQueued && isSignalConnected(QMetaMethod::fromSignal(&HttpConnection::bytesWritten))) {
            m_writtenQueued = true;
            QMetaObject::invokeMethod(this, [this] {
                m_writtenQueued = false;
                emit bytesWritten();
            }, Qt::QueuedConnection);
        }
    });
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        m_closing = true;
        m_server->connectionClosed(this);
        deleteLater();
    });
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::onReadyRead()
{
    if (m_closing) {
        m_socket->readAll(); // lingering close: drop what the client still sends
        return;
    }
    if (m_stopReading)
        return; // bytes after Connection: close or an error are not requests; the socket buffer stays bounded
    if (m_slots.size() >= size_t(kMaxPipelined))
        return; // resumed from flush() once answers went out
    if (m_pos == m_buffer.size()) {
        m_buffer = m_socket->readAll();
        m_pos = 0;
    } else {
        m_buffer.append(m_socket->readAll());
    }
    process();
}

void HttpConnection::process()
{
    // Pipelined requests wait while earlier ones are answered, but their bodies must not pile up:
    // at most MAX_BODY_SIZE of bodies awaiting answers per connection.
    while (!m_stopReading && !m_closing && m_slots.size() < size_t(kMaxPipelined)
           && (m_slots.empty() || m_pendingBodyBytes < m_server->limits().maxBodyBytes)) {
        const HttpRequestParser::Status status = m_parser.parse(m_buffer, &m_pos);
        if (m_parser.inProgress() && m_requestStartMs < 0)
            m_requestStartMs = m_server->nowMs();
        if (status == HttpRequestParser::Status::NeedMore)
            break;
        if (status == HttpRequestParser::Status::Error) {
            fail(m_parser.errorStatus(), m_parser.errorMessage());
            break;
        }
        if (status == HttpRequestParser::Status::HeadComplete) {
            Slot &s = newSlot(m_parser.request());
            m_haveCurrentSlot = true;
            s.expectContinue = m_parser.request().expectContinue;
            flush();
            continue;
        }
        HttpRequest request = m_parser.takeRequest();
        request.peer = m_socket->peerAddress();
        m_requestStartMs = -1;
        quint64 id;
        if (m_haveCurrentSlot) {
            m_haveCurrentSlot = false;
            Slot &s = m_slots.back();
            s.expectContinue = false; // the body is here; a late 100 would only confuse the client
            id = s.id;
        } else {
            id = newSlot(request).id;
        }
        if (!request.keepAlive)
            m_stopReading = true;
        slot(id)->bodyBytes = request.body.size();
        m_pendingBodyBytes += request.body.size();
        m_server->dispatch(std::move(request), HttpResponder(this, id));
    }
    if (m_pos == m_buffer.size()) {
        m_buffer.clear();
        m_pos = 0;
    } else if (m_pos > 0) {
        m_buffer.remove(0, m_pos); // O(1) at the front in Qt 6
        m_pos = 0;
    }
}

HttpConnection::Slot &HttpConnection::newSlot(const HttpRequest &request)
{
    Slot s;
    s.id = m_nextId++;
    s.minorVersion = request.minorVersion;
    s.head = request.isHead();
    s.keepAlive = request.keepAlive;
    m_slots.push_back(std::move(s));
    return m_slots.back();
}

HttpConnection::Slot *HttpConnection::slot(quint64 id)
{
    if (m_slots.empty() || id < m_slots.front().id)
        return nullptr;
    const quint64 index = id - m_slots.front().id;
    return index < m_slots.size() ? &m_slots[index] : nullptr;
}

void HttpConnection::fail(int status, const QByteArray &message)
{
    if (ServiceStats *stats = m_server->stats())
        stats->recordHttpRejection(rejectionFor(status));
    m_stopReading = true;
    quint64 id;
    if (m_haveCurrentSlot) {
        id = m_slots.back().id;
        m_slots.back().expectContinue = false;
    } else {
        HttpRequest dummy;
        dummy.keepAlive = false;
        id = newSlot(dummy).id;
    }
    m_haveCurrentSlot = false;
    m_requestStartMs = -1;
    Slot *s = slot(id);
    s->keepAlive = false;
    s->head = false;
    respond(id, errorResponse(errorKindForStatus(status), QString::fromLatin1(message)));
}

void HttpConnection::writeHead(Slot &s, int status, const QByteArray &contentType, const HttpResponse::Headers &headers,
                               const QByteArray &rawHeaders, qint64 contentLength, const QByteArray &body)
{
    // Sized exactly first, then written with memcpy: one allocation per response.
    const char *reason = reasonPhrase(status);
    const QByteArray &date = httpDate();
    char digits[2][24];
    const qsizetype statusLength = std::to_chars(digits[0], digits[0] + 24, status).ptr - digits[0];
    const bool withBody = bodyAllowed(status);
    qsizetype lengthDigits = 0;
    if (withBody && contentLength >= 0)
        lengthDigits = std::to_chars(digits[1], digits[1] + 24, contentLength).ptr - digits[1];
    const char *framing = "";
    if (withBody && contentLength < 0) {
        if (s.minorVersion >= 1) {
            framing = "Transfer-Encoding: chunked\r\n";
            s.chunked = !s.head;
        } else {
            s.keepAlive = false; // HTTP/1.0 without a length: the end of the body is the close
        }
    }
    const char *connection = !s.keepAlive ? "Connection: close\r\n" : s.minorVersion == 0 ? "Connection: keep-alive\r\n" : "";
    const bool writeBody = !s.head && withBody;

    qsizetype size = 9 + statusLength + 1 + qsizetype(std::strlen(reason)) + 2 + 16 + 6 + date.size() + 2;
    if (!contentType.isEmpty())
        size += 14 + contentType.size() + 2;
    for (const auto &h : headers)
        size += h.first.size() + 2 + h.second.size() + 2;
    size += rawHeaders.size();
    if (lengthDigits > 0)
        size += 16 + lengthDigits + 2;
    size += qsizetype(std::strlen(framing)) + qsizetype(std::strlen(connection)) + 2;
    if (writeBody)
        size += body.size();

    const qsizetype start = s.out.size();
    s.out.resize(start + size);
    char *p = s.out.data() + start;
    const auto put = [&p](const char *data, qsizetype n) {
        std::memcpy(p, data, size_t(n));
        p += n;
    };
    const auto putText = [&put](const char *text) { put(text, qsizetype(std::strlen(text))); };
    put("HTTP/1.1 ", 9);
    put(digits[0], statusLength);
    put(" ", 1);
    putText(reason);
    put("\r\nServer: sluice\r\nDate: ", 2 + 16 + 6);
    put(date.constData(), date.size());
    put("\r\n", 2);
    if (!contentType.isEmpty()) {
        put("Content-Type: ", 14);
        put(contentType.constData(), contentType.size());
        put("\r\n", 2);
    }
    for (const auto &h : headers) {
        put(h.first.constData(), h.first.size());
        put(": ", 2);
        put(h.second.constData(), h.second.size());
        put("\r\n", 2);
    }
    put(rawHeaders.constData(), rawHeaders.size());
    if (lengthDigits > 0) {
        put("Content-Length: ", 16);
        put(digits[1], lengthDigits);
        put("\r\n", 2);
    }
    putText(framing);
    putText(connection);
    put("\r\n", 2);
    if (writeBody)
        put(body.constData(), body.size());
    Q_ASSERT(p == s.out.data() + s.out.size());
    s.started = true;
    s.expectContinue = false;
}

void HttpConnection::respond(quint64 id, const HttpResponse &response)
{
    Slot *s = slot(id);
    if (!s || s->started || m_closing)
        return;
    writeHead(*s, response.status, response.contentType, response.headers, response.rawHeaders,
              bodyAllowed(response.status) ? response.body.size() : -1, response.body);
    s->done = true;
    flush();
}

void HttpConnection::beginStream(quint64 id, int status, const HttpResponse::Headers &headers, qint64 contentLength,
                                 const QByteArray &rawHeaders)
{
    Slot *s = slot(id);
    if (!s || s->started || m_closing)
        return;
    writeHead(*s, status, QByteArray(), headers, rawHeaders, contentLength, QByteArray());
    if (s->head || !bodyAllowed(status))
        s->chunked = false;
    flush();
}

void HttpConnection::writeStream(quint64 id, const QByteArray &data)
{
    Slot *s = slot(id);
    if (!s || !s->started || s->done || s->head || data.isEmpty() || m_closing)
        return;
    if (s->chunked) {
        s->out += QByteArray::number(data.size(), 16);
        s->out += "\r\n";
        s->out += data;
        s->out += "\r\n";
    } else {
        s->out += data;
    }
    flush();
}

void HttpConnection::endStream(quint64 id, bool abort)
{
    Slot *s = slot(id);
    if (!s || s->done || m_closing)
        return;
    if (abort) {
        s->keepAlive = false;
        s->chunked = false;
        if (!s->started) {
            // Nothing was sent yet: the connection cannot carry a half answer, close it after the earlier ones.
            s->started = true;
        }
    } else if (s->chunked) {
        s->out += "0\r\n\r\n";
    }
    s->done = true;
    flush();
}

qint64 HttpConnection::bytesToWrite(quint64 id) const
{
    if (m_slots.empty() || m_closing)
        return 0;
    qint64 pending = 0;
    for (const Slot &s : m_slots) {
        pending += s.out.size();
        if (s.id == id)
            break;
    }
    return pending + m_socket->bytesToWrite();
}

void HttpConnection::flush()
{
    bool wrote = false;
    while (!m_slots.empty() && !m_closing) {
        Slot &s = m_slots.front();
        if (s.expectContinue && !s.continueSent && !s.started) {
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            s.continueSent = true;
            wrote = true;
        }
        if (!s.out.isEmpty()) {
            m_socket->write(s.out);
            s.out.clear();
            wrote = true;
        }
        if (!s.done)
            break;
        const bool close = !s.keepAlive;
        m_pendingBodyBytes -= s.bodyBytes;
        m_slots.pop_front();
        if (close) {
            closeGracefully();
            return;
        }
    }
    if (wrote) {
        m_lastWriteMs = m_server->nowMs();
        // Hand the bytes to the kernel now instead of on the next loop iteration (QAbstractSocket
        // waits for a write notification): one poll round and two dispatcher wake-ups less per answer.
        m_inSocketFlush = true;
        m_socket->flush();
        m_inSocketFlush = false;
    }
    if (m_slots.empty() && !m_parser.inProgress())
        m_idleSinceMs = m_server->nowMs();
    // Answers went out: requests that waited for room in the queue can be read now.
    if (!m_stopReading && !m_closing && m_slots.size() < size_t(kMaxPipelined) && (m_pos < m_buffer.size() || m_socket->bytesAvailable() > 0))
        QMetaObject::invokeMethod(this, &HttpConnection::onReadyRead, Qt::QueuedConnection);
}

void HttpConnection::closeGracefully()
{
    m_closing = true;
    m_slots.clear();
    m_lingerSinceMs = m_server->nowMs();
    // Half-close once the queued bytes are out; the peer's FIN (or the linger timeout) ends it.
    if (m_socket->bytesToWrite() == 0)
        shutdownWrite();
    else
        m_shutdownPending = true;
    m_socket->readAll();
}

void HttpConnection::shutdownWrite()
{
    m_shutdownPending = false;
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
}

void HttpConnection::checkTimeouts(qint64 nowMs)
{
    if (m_closing) {
        if (nowMs - m_lingerSinceMs > kLingerMs + m_server->limits().idleTimeoutMs)
            m_socket->abort();
        return;
    }
    const HttpLimits &limits = m_server->limits();
    if (m_requestStartMs >= 0 && nowMs - m_requestStartMs > limits.requestTimeoutMs && !m_stopReading) {
        // A slowloris client: the request did not arrive in time.
        fail(408, "request not received within " + QByteArray::number(limits.requestTimeoutMs) + " ms");
        return;
    }
    if (m_socket->bytesToWrite() > 0 && nowMs - m_lastWriteMs > limits.idleTimeoutMs) {
        m_closing = true;
        m_socket->abort(); // the client stopped reading its answers
        return;
    }
    if (m_slots.empty() && !m_parser.inProgress() && nowMs - m_idleSinceMs > limits.idleTimeoutMs) {
        m_closing = true;
        m_slots.clear();
        m_socket->abort(); // nothing in flight in either direction: nothing to lose
    }
}

void HttpConnection::drain()
{
    if (m_closing || m_draining)
        return;
    m_draining = true;
    m_stopReading = true;
    if (m_haveCurrentSlot) {
        // Head received, body still arriving: never dispatched, nothing of it written but perhaps a
        // 100 Continue, which only a front slot gets (and then no other slot is owed).
        m_slots.pop_back();
        m_haveCurrentSlot = false;
        m_requestStartMs = -1;
    }
    if (m_slots.empty()) {
        closeGracefully();
        return;
    }
    m_slots.back().keepAlive = false;
    flush();
}

void HttpConnection::flushBlocking(int msecs)
{
    while (m_socket->bytesToWrite() > 0 && m_socket->state() == QAbstractSocket::ConnectedState
           && m_socket->waitForBytesWritten(msecs)) {
    }
}

HttpResponder::HttpResponder(HttpConnection *connection, quint64 id)
    : m_connection(connection), m_home(connection->m_server), m_thread(connection->thread()), m_id(id)
{
}

bool HttpResponder::isConnected() const
{
    return m_connection && !m_connection->m_closing;
}

void HttpResponder::send(const HttpResponse &response)
{
    if (m_thread && QThread::currentThread() != m_thread) {
        // The server (and its thread) may be gone at shutdown; then so is the client.
        if (m_home)
            QMetaObject::invokeMethod(m_home, [self = *this, response]() mutable { self.send(response); }, Qt::QueuedConnection);
        return;
    }
    if (m_connection)
        m_connection->respond(m_id, response);
}

void HttpResponder::beginStream(int status, const HttpResponse::Headers &headers, qint64 contentLength,
                                const QByteArray &rawHeaders)
{
    if (m_connection)
        m_connection->beginStream(m_id, status, headers, contentLength, rawHeaders);
}

void HttpResponder::write(const QByteArray &data)
{
    if (m_connection)
        m_connection->writeStream(m_id, data);
}

void HttpResponder::end()
{
    if (m_connection)
        m_connection->endStream(m_id, false);
}

void HttpResponder::abort()
{
    if (m_connection)
        m_connection->endStream(m_id, true);
}

qint64 HttpResponder::bytesToWrite() const
{
    return m_connection ? m_connection->bytesToWrite(m_id) : 0;
}
