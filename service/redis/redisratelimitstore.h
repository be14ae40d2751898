#pragma once

#include "ratelimitstore.h"
#include "redisreplyvalue.h"
#include "redissettings.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>

class RedisLink;

// RateLimitStore in Redis, shared by every sluice instance that uses the same Redis: one atomic Lua
// script per decision (EVALSHA, Redis' clock, exact integer semantics identical to the memory store),
// through hiredis' async API on the Qt event loop. Never blocks the calling thread.
//
// Connections: settings().poolSize links, used round-robin, each with many commands in flight.
// When no link is ready, or a call's outcome is unknown (the link dropped or the reply did not come
// within commandTimeoutMs), the decision is made by the `fallback` store (the memory store) and
// marked DecisionSource::MemoryFallback; a call with an unknown outcome is never replayed against
// Redis (it may have been applied). A reply after the timeout cannot arrive: the timed-out
// connection is dropped. Lost links reconnect with a backoff of 100 ms doubling to 2 s, so decisions
// return to Redis by themselves. An error reply (other than NOSCRIPT, which reloads the script and
// retries once) is counted and decided by the fallback.
//
// Keys are used as given by the caller. The store's own key is `<keyPrefix>_index`, a ZSET of
// recently active keys that topKeys() reads (bounded, no SCAN). Every key written gets a TTL.
//
// Threading: use a store object from the thread that created it (one store per event-loop thread).
// Handlers run on that thread, either inside the call (fallback) or later from the event loop.
// `fallback` must outlive the store. Do not delete the store from inside one of its handlers or
// signals; use deleteLater(). Logs (category "sluice.redis") one line per state change, never the
// password.
class RedisRateLimitStore : public QObject, public RateLimitStore
{
    Q_OBJECT

public:
    using CommandHandler = std::function<void(const RedisReplyValue &reply)>;

    // Starts connecting at once; until the first connection is ready, decisions use the fallback.
    RedisRateLimitStore(const RedisSettings &settings, RateLimitStore &fallback, QObject *parent = nullptr);
    ~RedisRateLimitStore() override;

    // RateLimitStore. An invalid policy or a cost below 1 is passed to the fallback, which denies it
    // as impossible without touching state.
    void acquire(const QByteArray &key, const RateLimitPolicy &policy, qint64 cost, DecisionHandler done) override;
    // Deletes the key in Redis (when connected) and in the fallback; `existed` reports Redis when
    // connected, else the fallback.
    void clear(const QByteArray &key, ClearHandler done) override;
    // From the index: reads at most RedisScripts::MaxUsageScan of the most recently refreshed keys in
    // one read-only script, returns the n with the highest usage. The fallback's when disconnected.
    void topKeys(int n, UsageHandler done) override;
    StoreMode mode() const override { return m_connected ? StoreMode::Redis : StoreMode::MemoryFallback; }

    // Runs one small command (e.g. HSET, PUBLISH, EXPIRE, GET) on a pooled connection. The handler
    // gets the reply, or RedisReplyValue::Type::NoReply when Redis is not connected (answered inside
    // this call), timed out or the connection dropped (outcome unknown; never retried). Not for
    // SUBSCRIBE/MONITOR or blocking commands (use RedisSubscriber); those are refused with an Error.
    void command(const QList<QByteArray> &argv, CommandHandler done);

    bool isConnected() const { return m_connected; }
    const RedisSettings &settings() const { return m_settings; }
    int poolSize() const { return int(m_links.size()); }
    // Connection failures, lost connections, timeouts and error replies since construction.
    qint64 errorsTotal() const { return m_errorsTotal; }
    // The most recent error, without secrets; empty if none yet.
    QString lastError() const { return m_lastError; }
    // Random per store object; part of every sliding-log member so they are unique per request.
    QByteArray instanceId() const { return m_instanceId; }

signals:
    void modeChanged(StoreMode mode);
    void connectedChanged(bool connected);

private:
    struct Call;
    struct Handling; // reply processing, in the .cpp: keeps hiredis types out of this header

    RedisLink *nextReadyLink();
    void decideFromFallback(const QByteArray &key, const RateLimitPolicy &policy, qint64 cost, DecisionHandler done);
    void linkReady();
    void linkDown(const QString &reason);
    void recordError(const QString &message);
    void updateConnected();

    const RedisSettings m_settings;
    const QByteArray m_indexKey;
    const QByteArray m_instanceId;
    RateLimitStore &m_fallback;
    QList<RedisLink *> m_links;
    int m_nextLink = 0;
    quint64 m_sequence = 0;
    bool m_connected = false;
    bool m_everConnected = false;
    bool m_outageLogged = false;
    bool m_shuttingDown = false;
    QList<RedisLink *> m_reloading; // links with a SCRIPT LOAD in flight after NOSCRIPT
    qint64 m_errorsTotal = 0;
    QString m_lastError;
    qint64 m_outageStartMs = 0; // QDateTime::currentMSecsSinceEpoch(), for the log line only
};
