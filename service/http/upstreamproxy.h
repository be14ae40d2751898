#pragma once

#include "httprequest.h"
#include "httpresponder.h"

#include <QObject>
#include <QUrl>

#include <memory>

class ClientResolver;
class QTcpSocket;
class ServiceStats;

// The gateway's forwarding half: sends an admitted request to UPSTREAM_URL (method, path, query,
// headers, body) and streams the upstream's answer back through the request's HttpResponder as it
// arrives, with Sluice's rate limit fields added. Server-Sent Events therefore reach the client event
// by event.
//
// Its own small HTTP/1.1 client on QTcpSocket (QSslSocket for https): QNetworkAccessManager 6.4 was
// measured to ignore QNetworkReply::setReadBufferSize (40 MB buffered for a client reading nothing),
// and it rewrites requests (Accept-Encoding, User-Agent, cookies, redirects).
//
// Headers: hop-by-hop fields (Connection and the fields it names, Keep-Alive, Proxy-*, TE, Trailer,
// Transfer-Encoding, Upgrade) are dropped both ways, everything else passes unchanged and in order;
// Host comes from UPSTREAM_URL; X-Forwarded-For gets the direct peer appended when that peer is a
// trusted proxy and is replaced by it otherwise (a client cannot plant an address),
// X-Forwarded-Proto / X-Forwarded-Host are set likewise. Bodies pass byte for byte (chunked answers
// are de-chunked and re-framed for the client; Content-Length is kept when the upstream sent one).
//
// Back-pressure: the upstream socket's read buffer is kUpstreamBuffer bytes, and it is not read while
// the client's unsent bytes exceed kClientHighWater; the kernel then closes the TCP window towards
// the upstream. A slow client costs bounded memory, whatever the answer size.
// Idle upstream connections are kept (at most kMaxIdle) and reused for the next request.
// Errors: refused/reset/unreadable upstream before the answer began: 502; nothing received for
// UPSTREAM_TIMEOUT: 504; both JSON. After the answer began, the client connection is closed
// (a truncated answer, never a wrong one). Request bodies are buffered (bounded by MAX_BODY_SIZE).
// One proxy per event-loop thread (QNetworkAccessManager is per thread); use from that thread.
class UpstreamProxy : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kUpstreamBuffer = 64 * 1024;
    static constexpr qint64 kClientHighWater = 256 * 1024;
    static constexpr int kMaxIdle = 64;

    UpstreamProxy(const QUrl &upstream, int timeoutMs, const ClientResolver &clients, ServiceStats &stats,
                  QObject *parent = nullptr);
    ~UpstreamProxy() override;

    // `rateLimitFields` (preformatted header lines) are added to the upstream's answer. `inFlight` is
    // held until the answer has ended, been cut or failed, so the owner can wait for streams at
    // shutdown; it is released in this proxy's thread.
    void forward(const HttpRequest &request, HttpResponder responder, const QByteArray &rateLimitFields,
                 std::shared_ptr<const void> inFlight = {});
    int inFlight() const;

private:
    class Exchange;

    QTcpSocket *takeConnection(bool *reused);
    void giveBack(QTcpSocket *socket);

    QList<QTcpSocket *> m_idle;
    const bool m_tls;
    const QString m_host;
    const quint16 m_port;
    const QByteArray m_hostField; // Host: as the upstream expects it
    const QByteArray m_basePath;  // UPSTREAM_URL's path without a trailing slash ("" or "/v1")
    const int m_timeoutMs;
    const ClientResolver &m_clients;
    ServiceStats &m_stats;
};
