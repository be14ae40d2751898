#include "upstreamproxy.h"

#include "apierror.h"
#include "clientresolver.h"
#include "stats.h"

#include <QLoggingCategory>
#include <QSslSocket>
#include <QTimer>

Q_LOGGING_CATEGORY(lcGateway, "sluice.gateway")

namespace {

constexpr qsizetype kMaxResponseHead = 64 * 1024;

bool isHopByHop(QByteArrayView name)
{
    static constexpr const char *kHop[] = {"connection", "keep-alive", "proxy-connection", "proxy-authenticate",
                                           "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade"};
    for (const char *h : kHop) {
        if (name.compare(QByteArrayView(h), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

// Field names listed in Connection: also hop-by-hop for this message.
QList<QByteArray> connectionTokens(const HttpResponse::Headers &headers)
{
    QList<QByteArray> tokens;
    for (const auto &h : headers) {
        if (h.first.compare("connection", Qt::CaseInsensitive) == 0) {
            for (const QByteArray &t : h.second.split(','))
                tokens.append(t.trimmed().toLower());
        }
    }
    return tokens;
}

bool listed(const QList<QByteArray> &tokens, const QByteArray &name)
{
    for (const QByteArray &t : tokens) {
        if (t.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

// One forwarded request on one upstream connection: writes the request, parses the answer as it
// arrives and pumps it into the responder as fast as the client takes it. Deletes itself when done
// or when either side goes away.
class UpstreamProxy::Exchange : public QObject
{
public:
    Exchange(UpstreamProxy *proxy, QByteArray request, HttpResponder responder, QByteArray extra, bool head,
             std::shared_ptr<const void> inFlight)
        : QObject(proxy), m_proxy(proxy), m_request(std::move(request)), m_responder(std::move(responder)),
          m_extra(std::move(extra)), m_head(head), m_inFlight(std::move(inFlight))
    {
        m_timer.setSingleShot(true);
        m_timer.setInterval(proxy->m_timeoutMs);
        connect(&m_timer, &QTimer::timeout, this, &Exchange::timedOut);
        if (HttpConnection *c = m_responder.connection()) {
            connect(c, &HttpConnection::bytesWritten, this, &Exchange::pump);
            connect(c, &QObject::destroyed, this, &Exchange::clientGone);
        } else {
            QMetaObject::invokeMethod(this, &Exchange::clientGone, Qt::QueuedConnection);
        }
        send();
    }

private:
    enum class Body { None, Length, Chunked, UntilClose };
    enum class Chunk { Size, Data, DataEnd, Trailers };

    void send()
    {
        bool reused = false;
        m_socket = m_proxy->takeConnection(&reused);
        m_reused = reused;
        m_socket->setParent(this);
        connect(m_socket, &QTcpSocket::readyRead, this, &Exchange::pump);
        connect(m_socket, &QTcpSocket::disconnected, this, &Exchange::upstreamClosed);
        connect(m_socket, &QAbstractSocket::errorOccurred, this, &Exchange::upstreamError);
        m_socket->write(m_request);
        m_timer.start();
    }

    void clientGone()
    {
        if (m_done)
            return;
        finishWith(false);
    }

    // Done: the upstream connection goes back to the pool only after a complete, reusable answer.
    void finishWith(bool reusable)
    {
        m_done = true;
        m_timer.stop();
        m_inFlight.reset(); // the answer is complete in the connection's queue: nothing more to wait for
        if (m_socket) {
            m_socket->disconnect(this);
            if (reusable && m_in.isEmpty())
                m_proxy->giveBack(m_socket);
            else
                m_socket->abort();
            m_socket = nullptr;
        }
        deleteLater();
    }

    void fail(ApiErrorKind kind, const QString &why)
    {
        if (m_done)
            return;
        if (m_begun) {
            // The answer broke off after it began: the client must see a truncated answer.
            qCInfo(lcGateway).noquote() << "upstream answer broke off:" << why;
            m_responder.abort();
        } else {
            m_proxy->m_stats.recordUpstream(kind == ApiErrorKind::UpstreamTimeout ? UpstreamOutcome::Timeout : UpstreamOutcome::Unavailable);
            qCInfo(lcGateway).noquote() << "upstream" << errorCode(kind) << why;
            HttpResponse response = errorResponse(kind, kind == ApiErrorKind::UpstreamTimeout
                                                            ? QStringLiteral("the upstream did not answer in time")
                                                            : QStringLiteral("the upstream could not be reached or gave no valid answer"));
            response.rawHeaders = m_extra;
            m_responder.send(response);
        }
        finishWith(false);
    }

    void timedOut() { fail(ApiErrorKind::UpstreamTimeout, QStringLiteral("no data for %1 ms").arg(m_proxy->m_timeoutMs)); }

    void upstreamError(QAbstractSocket::SocketError error)
    {
        if (m_done || error == QAbstractSocket::RemoteHostClosedError)
            return; // a close is handled by upstreamClosed()
        fail(ApiErrorKind::UpstreamUnavailable, m_socket ? m_socket->errorString() : QString());
    }

    void upstreamClosed()
    {
        if (m_done)
            return;
        pump(); // whatever is still buffered
        if (m_done)
            return;
        if (!m_begun && m_headBuffer.isEmpty() && m_reused && !m_retried) {
            // A pooled connection the upstream had closed meanwhile: the request never got there.
            m_retried = true;
            m_socket->disconnect(this);
            m_socket->deleteLater();
            m_socket = nullptr;
            send();
            return;
        }
        if (m_begun && m_body == Body::UntilClose) {
            m_responder.end();
            finishWith(false);
            return;
        }
        fail(ApiErrorKind::UpstreamUnavailable, QStringLiteral("the upstream closed the connection"));
    }

    void pump()
    {
        if (m_done || !m_socket)
            return;
        if (!m_responder.isConnected()) {
            clientGone();
            return;
        }
        // Back-pressure: leave the bytes in the (bounded) socket buffer while the client lags behind.
        while (!m_done && m_responder.bytesToWrite() < kClientHighWater && (m_socket->bytesAvailable() > 0 || !m_in.isEmpty())) {
            if (m_in.isEmpty()) {
                m_in = m_socket->read(kUpstreamBuffer);
                m_timer.start();
            }
            if (!m_begun) {
                m_headBuffer += m_in;
                m_in.clear();
                if (!parseHead())
                    return;
                continue;
            }
            consumeBody();
        }
        // While the client holds things up, the upstream's silence is not the upstream's fault; a client
        // that stops reading altogether is cut off by the connection's idle timeout instead.
        if (!m_done && m_begun && m_responder.bytesToWrite() >= kClientHighWater)
            m_timer.stop();
        else if (!m_done && !m_timer.isActive())
            m_timer.start();
    }

    // True once the head is complete and the answer began (or ended); false while more is needed.
    bool parseHead()
    {
        const qsizetype end = m_headBuffer.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_headBuffer.size() > kMaxResponseHead)
                fail(ApiErrorKind::UpstreamUnavailable, QStringLiteral("response head too large"));
            return false;
        }
        const QList<QByteArray> lines = m_headBuffer.left(end).split('\n');
        m_in = m_headBuffer.mid(end + 4);
        m_headBuffer.clear();
        const QByteArray statusLine = lines.value(0).trimmed();
        bool ok = false;
        const int status = statusLine.mid(9, 3).toInt(&ok);
        if (!statusLine.startsWith("HTTP/1.") || !ok || status < 100 || status > 999) {
            fail(ApiErrorKind::UpstreamUnavailable, QStringLiteral("malformed status line"));
            return false;
        }
        if (status >= 100 && status < 200)
            return true; // interim answer (100 Continue): the real head follows
        HttpResponse::Headers fields;
        for (int i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).endsWith('\r') ? lines.at(i).chopped(1) : lines.at(i);
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0) {
                fail(ApiErrorKind::UpstreamUnavailable, QStringLiteral("malformed header field"));
                return false;
            }
            fields.append({line.left(colon), line.mid(colon + 1).trimmed()});
        }
        const QList<QByteArray> tokens = connectionTokens(fields);
        m_keepAlive = statusLine.startsWith("HTTP/1.1") ? !listed(tokens, "close") : listed(tokens, "keep-alive");
        qint64 length = -1;
        bool chunked = false;
        HttpResponse::Headers headers;
        for (const auto &f : fields) {
            if (f.first.compare("content-length", Qt::CaseInsensitive) == 0) {
                length = f.second.toLongLong(&ok);
                if (!ok || length < 0) {
                    fail(ApiErrorKind::UpstreamUnavailable, QStringLiteral("malformed Content-Length"));
                    return false;
                }
                continue;
            }
            if (f.first.compare("transfer-encoding", Qt::CaseInsensitive) == 0)
                chunked = f.second.toLower().trimmed().endsWith("chunked");
            if (isHopByHop(f.first) || listed(tokens, f.first.toLower()))
                continue;
            headers.append(f);
        }
        if (m_head || status == 204 || status == 304)
            m_body = Body::None;
        else if (chunked)
            m_body = Body::Chunked;
        else if (length >= 0)
            m_body = Body::Length;
        else
            m_body = Body::UntilClose;
        m_remaining = length;
        m_begun = true;
        m_proxy->m_stats.recordUpstream(UpstreamOutcome::Answered);
        m_responder.beginStream(status, headers, m_body == Body::Chunked || m_body == Body::UntilClose ? -1 : length, m_extra);
        if (m_body == Body::None || (m_body == Body::Length && m_remaining == 0))
            complete();
        return true;
    }

    void consumeBody()
    {
        switch (m_body) {
        case Body::None:
            m_in.clear();
            return;
        case Body::UntilClose:
            m_responder.write(m_in);
            m_in.clear();
            return;
        case Body::Length: {
            const qint64 take = std::min<qint64>(m_remaining, m_in.size());
            m_responder.write(take == m_in.size() ? m_in : m_in.left(take));
            m_in.remove(0, take);
            m_remaining -= take;
            if (m_remaining == 0)
                complete();
            return;
        }
        case Body::Chunked:
            consumeChunks();
            return;
        }
    }

    void consumeChunks()
    {
        while (!m_done && !m_in.isEmpty()) {
            switch (m_chunk) {
            case Chunk::Size: {
                m_line += m_in;
                m_in.clear();
                const qsizetype end = m_line.indexOf("\r\n");
                if (end < 0) {
                    if (m_line.size() > 1024)
                        fail(ApiErrorKind::UpstreamUnavailable, QStringLiteral("malformed chunk"));
                    return;
                }
                bool ok = false;
                QByteArray size = m_line.left(end);
                const qsizetype ext = size.indexOf(';');
                if (ext >= 0)
                    size.truncate(ext);
                m_remaining = size.trimmed().toLongLong(&ok, 16);
                m_in = m_line.mid(end + 2);
                m_line.clear();
                if (!ok || m_remaining < 0) {
                    fail(ApiErrorKind::UpstreamUnavailable, QStringLiteral("malformed chunk size"));
                    return;
                }
                m_chunk = m_remaining == 0 ? Chunk::Trailers : Chunk::Data;
                break;
            }
            case Chunk::Data: {
                const qint64 take = std::min<qint64>(m_remaining, m_in.size());
                m_responder.write(take == m_in.size() ? m_in : m_in.left(take));
                m_in.remove(0, take);
                m_remaining -= take;
                if (m_remaining == 0)
                    m_chunk = Chunk::DataEnd;
                break;
            }
            case Chunk::DataEnd:
                m_line += m_in;
                m_in.clear();
                if (m_line.size() < 2)
                    return;
                m_in = m_line.mid(2);
                m_line.clear();
                m_chunk = Chunk::Size;
                break;
            case Chunk::Trailers: {
                m_line += m_in;
                m_in.clear();
                const qsizetype end = m_line.indexOf("\r\n");
                if (end < 0)
                    return;
                m_in = m_line.mid(end + 2);
                const bool last = end == 0;
                m_line.clear();
                if (last)
                    complete();
                break;
            }
            }
        }
    }

    void complete()
    {
        m_responder.end();
        finishWith(m_keepAlive);
    }

    UpstreamProxy *m_proxy;
    QByteArray m_request;
    HttpResponder m_responder;
    QByteArray m_extra;
    const bool m_head;
    std::shared_ptr<const void> m_inFlight;
    QTcpSocket *m_socket = nullptr;
    QTimer m_timer;
    QByteArray m_in;         // bytes read from the upstream, not yet handled
    QByteArray m_headBuffer; // the answer's head while it arrives
    QByteArray m_line;       // a chunk-size / CRLF / trailer line while it arrives
    Body m_body = Body::None;
    Chunk m_chunk = Chunk::Size;
    qint64 m_remaining = 0;
    bool m_begun = false;
    bool m_done = false;
    bool m_keepAlive = false;
    bool m_reused = false;
    bool m_retried = false;
};

UpstreamProxy::UpstreamProxy(const QUrl &upstream, int timeoutMs, const ClientResolver &clients, ServiceStats &stats,
                             QObject *parent)
    : QObject(parent), m_tls(upstream.scheme() == QLatin1String("https")), m_host(upstream.host()),
      m_port(quint16(upstream.port(m_tls ? 443 : 80))),
      m_hostField(upstream.toEncoded(QUrl::RemoveScheme | QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery
                                     | QUrl::RemoveFragment).mid(2)),
      m_basePath([&] {
          QByteArray path = upstream.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveQuery | QUrl::RemoveFragment);
          while (path.endsWith('/'))
              path.chop(1);
          return path;
      }()),
      m_timeoutMs(timeoutMs), m_clients(clients), m_stats(stats)
{
}

UpstreamProxy::~UpstreamProxy()
{
    qDeleteAll(m_idle);
}

int UpstreamProxy::inFlight() const
{
    return int(findChildren<Exchange *>(Qt::FindDirectChildrenOnly).size());
}

QTcpSocket *UpstreamProxy::takeConnection(bool *reused)
{
    while (!m_idle.isEmpty()) {
        QTcpSocket *socket = m_idle.takeLast();
        socket->disconnect(this);
        if (socket->state() == QAbstractSocket::ConnectedState && socket->bytesAvailable() == 0) {
            *reused = true;
            return socket;
        }
        socket->deleteLater();
    }
    *reused = false;
    if (m_tls) {
        auto *ssl = new QSslSocket;
        ssl->connectToHostEncrypted(m_host, m_port);
        return ssl;
    }
    auto *socket = new QTcpSocket;
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    socket->connectToHost(m_host, m_port);
    socket->setReadBufferSize(kUpstreamBuffer);
    return socket;
}

void UpstreamProxy::giveBack(QTcpSocket *socket)
{
    if (m_idle.size() >= kMaxIdle || socket->state() != QAbstractSocket::ConnectedState) {
        socket->deleteLater();
        return;
    }
    socket->setParent(this);
    // An idle connection the upstream closes (or that says anything unasked) is dropped.
    const auto drop = [this, socket] {
        if (m_idle.removeOne(socket))
            socket->deleteLater();
    };
    connect(socket, &QTcpSocket::disconnected, this, drop);
    connect(socket, &QTcpSocket::readyRead, this, drop);
    m_idle.append(socket);
}

void UpstreamProxy::forward(const HttpRequest &request, HttpResponder responder, const QByteArray &rateLimitFields,
                            std::shared_ptr<const void> inFlight)
{
    const QHostAddress peer = ClientResolver::normalise(request.peer);
    const bool trusted = m_clients.isTrusted(peer);
    const QList<QByteArray> tokens = connectionTokens(request.headers);
    QByteArray out;
    out.reserve(512 + request.target.size() + request.body.size());
    out += request.method + ' ' + m_basePath + request.target + " HTTP/1.1\r\nHost: " + m_hostField + "\r\n";
    for (const auto &h : request.headers) {
        const QByteArray lower = h.first.toLower();
        if (isHopByHop(lower) || listed(tokens, lower) || lower == "host" || lower == "content-length" || lower == "expect"
            || lower == "x-forwarded-for" || lower == "x-forwarded-proto" || lower == "x-forwarded-host")
            continue;
        out += h.first + ": " + h.second + "\r\n";
    }
    const QByteArray peerText = peer.toString().toLatin1();
    const QByteArray incomingFor = request.value("X-Forwarded-For");
    out += "X-Forwarded-For: " + (trusted && !incomingFor.isEmpty() ? incomingFor + ", " + peerText : peerText) + "\r\n";
    const QByteArray incomingProto = request.value("X-Forwarded-Proto");
    out += "X-Forwarded-Proto: " + (trusted && !incomingProto.isEmpty() ? incomingProto : QByteArrayLiteral("http")) + "\r\n";
    const QByteArray incomingHost = request.value("X-Forwarded-Host");
    const QByteArray host = trusted && !incomingHost.isEmpty() ? incomingHost : request.value("Host");
    if (!host.isEmpty())
        out += "X-Forwarded-Host: " + host + "\r\n";
    if (!request.body.isEmpty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH")
        out += "Content-Length: " + QByteArray::number(request.body.size()) + "\r\n";
    out += "\r\n";
    out += request.body;
    new Exchange(this, std::move(out), std::move(responder), rateLimitFields, request.isHead(), std::move(inFlight));
}
