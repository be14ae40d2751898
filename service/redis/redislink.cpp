#include "redislink.h"

#include "qtredisadapter.h"
#include "redistlsconnection.h"

#include <QHostAddress>
#include <QHostInfo>
#include <QPointer>

#include <async.h>
#include <hiredis.h>

#include <utility>
#include <vector>

Q_LOGGING_CATEGORY(lcRedis, "sluice.redis")

namespace {

RedisLink *linkOf(const redisAsyncContext *ac)
{
    return static_cast<RedisLink *>(ac->data);
}

QString contextError(const redisAsyncContext *ac, const char *fallback)
{
    if (ac && ac->errstr && ac->errstr[0])
        return QString::fromLocal8Bit(ac->errstr);
    return QString::fromLatin1(fallback);
}

// What hiredis' async context hands to subscription callbacks rather than to the command FIFO.
bool isPushReply(const redisReply *reply)
{
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 1 || reply->element[0]->type != REDIS_REPLY_STRING)
        return false;
    const QByteArray kind = QByteArray::fromRawData(reply->element[0]->str, qsizetype(reply->element[0]->len)).toLower();
    return kind == "message" || kind == "pmessage" || kind == "subscribe" || kind == "unsubscribe"
        || kind == "psubscribe" || kind == "punsubscribe";
}

} // namespace

RedisLink::RedisLink(const RedisSettings &settings, Role role, QList<Argv> setupCommands, QObject *parent)
    : QObject(parent), m_settings(settings), m_role(role), m_setupCommands(std::move(setupCommands))
{
    m_clock.start();
    m_connectTimer.setSingleShot(true);
    m_commandTimer.setSingleShot(true);
    m_retryTimer.setSingleShot(true);
    m_commandTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        if (m_state == State::Resolving) {
            QHostInfo::abortHostLookup(m_lookupId);
            m_lookupId = -1;
            attemptFailed(QStringLiteral("could not resolve %1 within %2 ms").arg(m_settings.host).arg(m_settings.connectTimeoutMs));
        } else if (m_state == State::Connecting || m_state == State::Handshaking) {
            drop(QStringLiteral("no connection within %1 ms").arg(m_settings.connectTimeoutMs), Failure::Timeout);
        }
    });
    connect(&m_commandTimer, &QTimer::timeout, this, &RedisLink::commandTimerFired);
    connect(&m_retryTimer, &QTimer::timeout, this, &RedisLink::startAttempt);
}

RedisLink::~RedisLink()
{
    close();
}

void RedisLink::open()
{
    if (m_state == State::Idle || m_state == State::Waiting) {
        m_retryTimer.stop();
        startAttempt();
    }
}

void RedisLink::close()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_connectTimer.stop();
    m_commandTimer.stop();
    m_retryTimer.stop();
    if (m_lookupId >= 0) {
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
    }
    std::deque<Pending> pending;
    pending.swap(m_pending);
    if (m_tls)
        std::exchange(m_tls, nullptr)->abandon();
    if (m_ctx) {
        redisAsyncContext *ac = m_ctx;
        m_ctx = nullptr;
        ac->data = nullptr; // our callbacks ignore whatever hiredis still reports for this context
        m_adapter->detach();
        m_adapter->deleteLater();
        m_adapter = nullptr;
        // Inside a hiredis callback this only flags the context; hiredis frees it on the way out.
        redisAsyncFree(ac);
    }
    QPointer<RedisLink> self(this);
    for (Pending &p : pending) {
        p.handler(nullptr, Failure::Closed);
        if (!self)
            return;
    }
}

void RedisLink::retarget(const QString &host, quint16 port, Reconnect when)
{
    if (host == m_settings.host && port == m_settings.port)
        return;
    m_settings.host = host;
    m_settings.port = port;
    if (when == Reconnect::AtNextAttempt || m_state == State::Closed || m_state == State::Idle)
        return;
    m_backoffMs = InitialBackoffMs;
    if (m_state == State::Waiting) {
        m_retryTimer.stop();
        startAttempt();
        return;
    }
    if (m_state == State::Resolving) {
        if (m_lookupId >= 0)
            QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
        startAttempt();
        return;
    }
    m_retryAtOnce = true;
    if (m_state == State::Closing)
        return; // the context is already going away; its retry comes at once
    drop(QStringLiteral("moving to %1").arg(m_settings.address()), Failure::ConnectionLost);
}

void RedisLink::startAttempt()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Resolving;
    m_connectTimer.start(m_settings.connectTimeoutMs);
    const QHostAddress literal(m_settings.host);
    if (!literal.isNull()) {
        connectTo(literal.toString().toLatin1());
        return;
    }
    m_lookupId = QHostInfo::lookupHost(m_settings.host, this, &RedisLink::lookedUp);
}

void RedisLink::lookedUp(const QHostInfo &info)
{
    if (info.lookupId() != m_lookupId || m_state != State::Resolving)
        return;
    m_lookupId = -1;
    const QList<QHostAddress> addresses = info.addresses();
    if (info.error() != QHostInfo::NoError || addresses.isEmpty()) {
        attemptFailed(QStringLiteral("could not resolve %1: %2").arg(m_settings.host, info.errorString()));
        return;
    }
    // Prefer IPv4: a server bound to 127.0.0.1 is not reachable on ::1 although "localhost" is both.
    QHostAddress chosen = addresses.first();
    for (const QHostAddress &a : addresses) {
        if (a.protocol() == QAbstractSocket::IPv4Protocol) {
            chosen = a;
            break;
        }
    }
    connectTo(chosen.toString().toLatin1());
}

void RedisLink::connectTo(const QByteArray &ip)
{
    if (m_settings.tls.enabled) {
        connectTlsTo(QString::fromLatin1(ip));
        return;
    }
    // A numeric address: hiredis' getaddrinfo() does not touch DNS, and the connect is non-blocking.
    redisAsyncContext *ac = redisAsyncConnect(ip.constData(), m_settings.port);
    if (!ac) {
        attemptFailed(QStringLiteral("out of memory creating a Redis context"));
        return;
    }
    if (ac->err) {
        const QString reason = contextError(ac, "connect failed");
        redisAsyncFree(ac);
        attemptFailed(reason);
        return;
    }
    m_ctx = ac;
    ac->data = this;
    m_adapter = new QtRedisAdapter(ac); // before the connect callback, which asks for write interest
    redisAsyncSetConnectCallback(ac, &RedisLink::onConnectCallback);
    redisAsyncSetDisconnectCallback(ac, &RedisLink::onDisconnectCallback);
    m_state = State::Connecting;
}

void RedisLink::connectTlsTo(const QString &ip)
{
    QString error;
    const std::optional<QSslConfiguration> config = m_settings.tls.sslConfiguration(&error);
    if (!config) {
        attemptFailed(error);
        return;
    }
    m_tls = new RedisTlsConnection(*config, this);
    connect(m_tls, &RedisTlsConnection::encrypted, this, &RedisLink::connected);
    connect(m_tls, &RedisTlsConnection::replyReceived, this, &RedisLink::tlsReplied);
    connect(m_tls, &RedisTlsConnection::failed, this, &RedisLink::tlsGone);
    m_state = State::Connecting;
    // The resolved address is dialled, the configured name (or the host as written) verified.
    m_tls->connectToServer(ip, m_settings.port, m_settings.tlsPeerName());
}

void RedisLink::onConnectCallback(const redisAsyncContext *ac, int status)
{
    RedisLink *link = linkOf(ac);
    if (!link)
        return;
    if (status != REDIS_OK) {
        // hiredis frees the context right after this callback and reports no disconnect.
        link->contextGone(contextError(ac, "connect failed"));
        return;
    }
    link->connected();
}

void RedisLink::onDisconnectCallback(const redisAsyncContext *ac, int status)
{
    Q_UNUSED(status);
    RedisLink *link = linkOf(ac);
    if (!link)
        return;
    link->contextGone(link->m_dropReason.isEmpty() ? contextError(ac, "connection closed") : link->m_dropReason);
}

void RedisLink::onReplyCallback(redisAsyncContext *ac, void *reply, void *privdata)
{
    Q_UNUSED(privdata);
    if (RedisLink *link = linkOf(ac))
        link->replied(static_cast<const redisReply *>(reply));
}

void RedisLink::onPushCallback(redisAsyncContext *ac, void *reply, void *privdata)
{
    Q_UNUSED(privdata);
    RedisLink *link = linkOf(ac);
    // A null reply here is hiredis tearing the context down; the disconnect callback reports it.
    if (link && reply && link->m_pushHandler)
        link->m_pushHandler(static_cast<const redisReply *>(reply));
}

void RedisLink::connected()
{
    // Runs inside hiredis' connect handling: queue commands only, never free the context here.
    m_state = State::Handshaking;
    m_dropReason.clear();
    m_dropFailure = Failure::ConnectionLost;
    if (m_ctx)
        redisEnableKeepAlive(&m_ctx->c); // RedisTlsConnection sets its own

    QList<std::pair<Argv, QByteArray>> steps;
    if (!m_settings.password.isEmpty())
        steps.append({{QByteArrayLiteral("AUTH"), m_settings.password}, QByteArrayLiteral("AUTH")});
    if (m_role == Role::Commands && m_settings.db != 0)
        steps.append({{QByteArrayLiteral("SELECT"), QByteArray::number(m_settings.db)}, QByteArrayLiteral("SELECT")});
    for (const Argv &argv : m_setupCommands)
        steps.append({argv, argv.value(0) + ' ' + argv.value(1)});
    steps.append({{QByteArrayLiteral("PING")}, QByteArrayLiteral("PING")});

    for (qsizetype i = 0; i < steps.size(); ++i) {
        const QByteArray what = steps.at(i).second;
        const bool last = i == steps.size() - 1;
        if (!send(steps.at(i).first, [this, what, last](const redisReply *r, Failure f) { handshakeStep(r, f, what, last); })) {
            m_dropReason = QStringLiteral("could not queue the handshake");
            return; // hiredis refused: the context is going away and reports it
        }
    }
}

void RedisLink::handshakeStep(const redisReply *reply, Failure failure, const QByteArray &what, bool last)
{
    if (failure != Failure::None || m_state != State::Handshaking)
        return; // the drop reports the reason
    if (reply->type == REDIS_REPLY_ERROR) {
        // Redis' own text (e.g. "WRONGPASS invalid username-password pair") never echoes the password.
        drop(QStringLiteral("%1 failed: %2").arg(QString::fromLatin1(what), QString::fromUtf8(reply->str, qsizetype(reply->len))),
             Failure::ConnectionLost);
        return;
    }
    if (!last)
        return;
    m_state = State::Ready;
    m_wasReady = true;
    m_connectTimer.stop();
    m_backoffMs = InitialBackoffMs;
    emit ready();
}

bool RedisLink::send(int argc, const char **argv, const size_t *argvlen, ReplyHandler handler)
{
    const bool open = m_state == State::Ready || m_state == State::Handshaking;
    const bool queued = open
        && (m_tls ? m_tls->write(argc, argv, argvlen)
                  : m_ctx && redisAsyncCommandArgv(m_ctx, &RedisLink::onReplyCallback, nullptr, argc, argv, argvlen) == REDIS_OK);
    if (!queued) {
        handler(nullptr, Failure::NotSent);
        return false;
    }
    m_pending.push_back({m_clock.elapsed() + m_settings.commandTimeoutMs, std::move(handler)});
    if (!m_commandTimer.isActive())
        m_commandTimer.start(m_settings.commandTimeoutMs);
    return true;
}

bool RedisLink::send(const Argv &argv, ReplyHandler handler)
{
    std::vector<const char *> args;
    std::vector<size_t> lengths;
    args.reserve(size_t(argv.size()));
    lengths.reserve(size_t(argv.size()));
    for (const QByteArray &a : argv) {
        args.push_back(a.constData());
        lengths.push_back(size_t(a.size()));
    }
    return send(int(args.size()), args.data(), lengths.data(), std::move(handler));
}

bool RedisLink::sendSubscription(const Argv &argv)
{
    if ((!m_ctx && !m_tls) || m_state != State::Ready || m_role != Role::Subscriber)
        return false;
    std::vector<const char *> args;
    std::vector<size_t> lengths;
    for (const QByteArray &a : argv) {
        args.push_back(a.constData());
        lengths.push_back(size_t(a.size()));
    }
    if (m_tls)
        return m_tls->write(int(args.size()), args.data(), lengths.data());
    return redisAsyncCommandArgv(m_ctx, &RedisLink::onPushCallback, nullptr, int(args.size()), args.data(), lengths.data()) == REDIS_OK;
}

void RedisLink::replied(const redisReply *reply)
{
    if (m_pending.empty())
        return;
    Pending p = std::move(m_pending.front());
    m_pending.pop_front();
    if (!reply) {
        // hiredis is failing every command in flight before it reports the disconnect: stop taking
        // new ones now, so a handler that sends again goes elsewhere.
        if (m_state != State::Closed)
            m_state = State::Closing;
        p.handler(nullptr, m_dropFailure);
        return;
    }
    p.handler(reply, Failure::None); // last statement: the handler may have destroyed us
}

void RedisLink::tlsReplied(const redisReply *reply)
{
    if (m_role == Role::Subscriber && isPushReply(reply)) {
        if (m_pushHandler)
            m_pushHandler(reply);
        return;
    }
    replied(reply);
}

void RedisLink::commandTimerFired()
{
    if (m_pending.empty())
        return;
    const qint64 left = m_pending.front().deadlineMs - m_clock.elapsed();
    if (left > 0) {
        m_commandTimer.start(int(left));
        return;
    }
    drop(QStringLiteral("no reply within %1 ms").arg(m_settings.commandTimeoutMs), Failure::Timeout);
}

void RedisLink::drop(const QString &reason)
{
    drop(reason, Failure::ConnectionLost);
}

void RedisLink::drop(const QString &reason, Failure failure)
{
    if (m_tls) {
        m_dropFailure = failure;
        tlsGone(reason);
        return;
    }
    if (!m_ctx)
        return;
    redisAsyncContext *ac = m_ctx;
    m_dropReason = reason;
    m_dropFailure = failure;
    m_state = State::Closing;
    const bool inCallback = ac->c.flags & REDIS_IN_CALLBACK;
    QPointer<RedisLink> self(this);
    // Outside a callback hiredis frees at once: it fails every pending command (null replies), then
    // reports the disconnect if the connection was up. Inside a callback it does so on the way out.
    redisAsyncFree(ac);
    if (!self || inCallback)
        return;
    if (m_ctx == ac) // never connected: hiredis reports no disconnect
        contextGone(reason);
}

void RedisLink::contextGone(const QString &reason)
{
    if (!m_ctx)
        return;
    m_ctx = nullptr;
    m_adapter->deleteLater(); // hiredis still calls its cleanup hook after this callback
    m_adapter = nullptr;
    linkGone(reason);
}

// The TLS path's counterpart of hiredis freeing its context: every command in flight fails first
// (they may or may not have run), then the link reports down and schedules the retry.
void RedisLink::tlsGone(const QString &reason)
{
    if (!m_tls)
        return;
    std::exchange(m_tls, nullptr)->abandon();
    if (m_state != State::Closed)
        m_state = State::Closing; // a handler that sends again gets NotSent
    std::deque<Pending> pending;
    pending.swap(m_pending);
    QPointer<RedisLink> self(this);
    for (Pending &p : pending) {
        p.handler(nullptr, m_dropFailure);
        if (!self)
            return;
    }
    if (m_state == State::Closed)
        return; // closed by a handler: close() reports nothing, like the hiredis path
    linkGone(reason);
}

void RedisLink::linkGone(const QString &reason)
{
    m_connectTimer.stop();
    m_commandTimer.stop();
    const bool wasReady = m_wasReady;
    m_wasReady = false;
    m_dropReason.clear();
    m_lastError = reason;
    if (m_state != State::Closed) {
        m_state = State::Waiting;
        scheduleRetry();
    }
    emit down(reason, wasReady ? DownKind::Lost : DownKind::AttemptFailed);
}

void RedisLink::attemptFailed(const QString &reason)
{
    m_connectTimer.stop();
    m_lastError = reason;
    if (m_state == State::Closed)
        return;
    m_state = State::Waiting;
    scheduleRetry();
    emit down(reason, DownKind::AttemptFailed);
}

void RedisLink::scheduleRetry()
{
    if (m_retryAtOnce) {
        m_retryAtOnce = false;
        m_retryTimer.start(0);
        return;
    }
    m_retryTimer.start(m_backoffMs);
    m_backoffMs = qMin(m_backoffMs * 2, MaxBackoffMs);
}
