#pragma once

#include "redissettings.h"

#include <QElapsedTimer>
#include <QList>
#include <QLoggingCategory>
#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>

struct redisAsyncContext;
struct redisReply;
class QHostInfo;
class QtRedisAdapter;
class RedisTlsConnection;

// "sluice.redis": the store's and the subscriber's state changes (never a secret).
Q_DECLARE_LOGGING_CATEGORY(lcRedis)

// One hiredis async connection on the Qt event loop, kept alive by itself (internal to sluice_redis).
//
// Life cycle: open() resolves the host (asynchronously, QHostInfo), connects without blocking, then
// runs a handshake of pipelined commands: AUTH (when a password is set), SELECT (command links, db
// != 0), the owner's setup commands (e.g. SCRIPT LOAD) and a final PING. The link is ready when the
// PING answers; any error reply in the handshake drops the attempt. A failed attempt or a lost link
// retries after a backoff of 100 ms doubling to 2 s, reset once ready again.
//
// Commands: many in flight, replies in order (hiredis' FIFO). Each handler is called exactly once:
// with the reply, or with a Failure when it could not be sent, the link dropped (Redis may or may not have run the
// command) or the link was closed. hiredis 0.14 has no async timeouts, so a QTimer watches the
// oldest command: a reply later than commandTimeoutMs drops the whole link (so no late reply can
// ever arrive), which answers every command in flight with Failure::Timeout.
//
// Subscriber role: no SELECT, and after ready the owner sends (UN)SUBSCRIBE through
// sendSubscription(); pushed messages go to the push handler.
//
// Two transports behind the same life cycle. Plain TCP (the measured fast path) is a hiredis
// redisAsyncContext driven by QtRedisAdapter. TLS (settings.tls.enabled; hiredis 0.14 has none) is a
// RedisTlsConnection: a QSslSocket with hiredis' formatter and reply reader. It is a second private
// path here rather than a transport interface because hiredis' async context owns its own reply
// FIFO and tears down in its own order (null replies, then the disconnect callback, possibly
// deferred until its callback returns); an interface would have to wrap that without simplifying
// it. The TLS path keeps the FIFO in m_pending alone and tears down in the same order (tlsGone()),
// so the handshake, timeouts, backoff, retarget and close() are shared. A TLS attempt reads the
// certificate files again, so renewed files are used from the next reconnect on.
//
// Not thread-safe: lives in and is used from one thread. Handlers and slots must not delete the
// link (use deleteLater()): hiredis is still on the stack when they run.
class RedisLink : public QObject
{
    Q_OBJECT

public:
    enum class Role { Commands, Subscriber };
    enum class Failure { None, NotSent, Timeout, ConnectionLost, Closed };
    enum class DownKind { AttemptFailed, Lost };
    using Argv = QList<QByteArray>;
    // reply is null exactly when failure != Failure::None. The reply is only valid during the call.
    using ReplyHandler = std::function<void(const redisReply *reply, Failure failure)>;
    using PushHandler = std::function<void(const redisReply *reply)>;

    RedisLink(const RedisSettings &settings, Role role, QList<Argv> setupCommands, QObject *parent = nullptr);
    ~RedisLink() override;

    // Starts connecting (idempotent). The first attempt starts at once.
    void open();
    // Drops the connection for good: commands in flight are answered with Failure::Closed.
    void close();

    // Aims the link at another server (Sentinel failover, sentinel rotation). Reconnect::Now drops a
    // connection to the old one and tries the new one at once; AtNextAttempt only changes where the
    // next (backed-off) attempt goes.
    enum class Reconnect { Now, AtNextAttempt };
    void retarget(const QString &host, quint16 port, Reconnect when);
    QString address() const { return m_settings.address(); }

    bool isReady() const { return m_state == State::Ready; }
    int pendingCount() const { return int(m_pending.size()); }
    QString lastError() const { return m_lastError; }

    // Queues a command (only while ready or in the handshake). When it cannot be queued the handler
    // is called at once with Failure::NotSent (Redis never saw it) and send() returns false.
    bool send(int argc, const char **argv, const size_t *argvlen, ReplyHandler handler);
    bool send(const Argv &argv, ReplyHandler handler);
    // Drops the connection now (e.g. after a protocol surprise); it reconnects after the backoff.
    void drop(const QString &reason);

    void setPushHandler(PushHandler handler) { m_pushHandler = std::move(handler); }
    // (P)SUBSCRIBE / (P)UNSUBSCRIBE on a ready subscriber link; replies go to the push handler.
    bool sendSubscription(const Argv &argv);

    static constexpr int InitialBackoffMs = 100;
    static constexpr int MaxBackoffMs = 2000;

signals:
    void ready();
    // The connection attempt failed or the ready link was lost. A retry is already scheduled.
    void down(const QString &reason, RedisLink::DownKind kind);

private:
    enum class State { Idle, Resolving, Connecting, Handshaking, Ready, Closing, Waiting, Closed };
    struct Pending
    {
        qint64 deadlineMs;
        ReplyHandler handler;
    };

    static void onConnectCallback(const redisAsyncContext *ac, int status);
    static void onDisconnectCallback(const redisAsyncContext *ac, int status);
    static void onReplyCallback(redisAsyncContext *ac, void *reply, void *privdata);
    static void onPushCallback(redisAsyncContext *ac, void *reply, void *privdata);

    void startAttempt();
    void lookedUp(const QHostInfo &info);
    void connectTo(const QByteArray &ip);
    void connectTlsTo(const QString &ip);
    void connected();
    void handshakeStep(const redisReply *reply, Failure failure, const QByteArray &what, bool last);
    void replied(const redisReply *reply);
    void tlsReplied(const redisReply *reply);
    void commandTimerFired();
    void drop(const QString &reason, Failure failure);
    void contextGone(const QString &reason);
    void tlsGone(const QString &reason);
    void linkGone(const QString &reason);
    void attemptFailed(const QString &reason);
    void scheduleRetry();

    RedisSettings m_settings; // host and port change on retarget()
    const Role m_role;
    const QList<Argv> m_setupCommands;
    State m_state = State::Idle;
    redisAsyncContext *m_ctx = nullptr;
    QtRedisAdapter *m_adapter = nullptr;
    RedisTlsConnection *m_tls = nullptr; // instead of m_ctx when TLS is on
    std::deque<Pending> m_pending;
    PushHandler m_pushHandler;
    QElapsedTimer m_clock;
    QTimer m_connectTimer;
    QTimer m_commandTimer;
    QTimer m_retryTimer;
    int m_backoffMs = InitialBackoffMs;
    int m_lookupId = -1;
    bool m_wasReady = false;
    bool m_retryAtOnce = false;
    Failure m_dropFailure = Failure::ConnectionLost;
    QString m_dropReason;
    QString m_lastError;
};
