#pragma once

#include "ratelimitstore.h"
#include "redishealth.h"
#include "redisreplyvalue.h"
#include "redissettings.h"
#include "redistopology.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>

class RedisCluster;
class RedisLink;
class RedisSentinel;

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
// Modes (settings().mode):
// - Standalone: as above, the index is written by the decision script itself (atomic).
// - Cluster: a slot map from CLUSTER SLOTS and a pool of links per master (RedisCluster). A decision
//   goes to the master of its key's slot and touches only that key, so it is one atomic script in
//   one slot. The index lives in its own slot, usually on another master: when the script reports
//   that the key's index entry needs a touch (at most once per refresh slot per key), the store
//   sends a separate best-effort ZADD/ZREMRANGEBYSCORE/PEXPIRE to the index's master. A lost touch
//   only hides the key from topKeys() until its next touch. MOVED updates the map and retries on
//   the new owner; ASK sends ASKING + the command to the importing node; at most MaxRedirects per
//   call, after that the fallback decides (e.g. MOVED bouncing between source and target when an
//   operator ends a migration on the source before the target, against the documented order). Scripts are loaded on every master's links, NOSCRIPT is
//   handled per link. A key whose master has no ready link (failover) is decided by the fallback;
//   the store counts as connected only while every slot has a ready master.
//   topKeys() reads the index on its master, then each key's usage on the key's master.
// - Sentinel: the master's address comes from the sentinels (RedisSentinel: get-master-addr-by-name
//   and +switch-master); the links move there by themselves. A READONLY/MASTERDOWN reply or a lost
//   link makes the store ask the sentinels again. Otherwise as standalone.
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
    static constexpr int MaxRedirects = 5;
    static constexpr int PeakIntervalMs = 5000;

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
    // Cluster mode: routed by the first key (argv[1]; for EVAL/EVALSHA/FCALL the first of KEYS),
    // following MOVED/ASK. So single-key commands (GET/SET/HSET/HGETALL/LPUSH/LRANGE/LTRIM/ZCARD/
    // EXPIRE/DEL of one key ...), multi-key commands whose keys share a slot, scripts with keys in
    // one slot and PUBLISH (a cluster delivers it to every node's subscribers) work. Commands
    // without keys (PING, TIME, INFO) go to any master; node-local commands (DBSIZE, SCAN, KEYS,
    // FLUSHDB, SCRIPT) only reach that one master. Keys in different slots get Redis' CROSSSLOT error.
    void command(const QList<QByteArray> &argv, CommandHandler done);

    bool isConnected() const { return m_connected; }
    const RedisSettings &settings() const { return m_settings; }
    // Links per data node (standalone, sentinel: the only one; cluster: each master).
    int poolSize() const { return qBound(1, m_settings.poolSize, RedisSettings::MaxPoolSize); }
    // The deployment as the store sees it now (nodes, masters, slots); see RedisTopology.
    RedisTopology topology() const;
    // Connection failures, lost connections, timeouts and error replies since construction.
    qint64 errorsTotal() const { return m_errorsTotal; }
    // The most recent error, without secrets; empty if none yet.
    QString lastError() const { return m_lastError; }
    // Links, ready links and commands in flight over the whole pool (cluster: every master's pool).
    // maxInFlight is the peak seen when decisions are sent, over the last one to two PeakIntervalMs.
    RedisPoolUsage poolUsage() const;
    // Random per store object; part of every sliding-log member so they are unique per request.
    QByteArray instanceId() const { return m_instanceId; }

signals:
    void modeChanged(StoreMode mode);
    void connectedChanged(bool connected);
    // The topology changed (a node connected or went away, the slot map or the master moved).
    void topologyChanged(const RedisTopology &topology);

private:
    friend class RedisHealthProbe; // probes each data node on the store's own links
    struct Call;
    struct Handling; // reply processing, in the .cpp: keeps hiredis types out of this header

    RedisLink *nextReadyLink();
    // The ready link that serves `key` (cluster: its slot's master), or nullptr.
    RedisLink *linkForKey(const QByteArray &key);
    // A redirect (MOVED/ASK) or a node-state error in `error`: where to send the command again
    // (nullptr: nowhere, decide without Redis); *asking is set for ASK.
    RedisLink *redirectTarget(const QByteArray &error, bool *asking);
    void sendRouted(RedisLink *link, QList<QByteArray> argv, bool asking, int redirects, CommandHandler done);
    void clusterTopKeys(int n, UsageHandler done);
    // A ready link to the data node at `address` (a master of topology()), or nullptr.
    RedisLink *probeLink(const QString &address);
    void touchIndex(qint64 score, qint64 nowMs, const QByteArray &member);
    void emitTopologyIfChanged();
    QString targetName() const; // for log lines
    void decideFromFallback(const QByteArray &key, const RateLimitPolicy &policy, qint64 cost, DecisionHandler done);
    void linkReady();
    void linkDown(const QString &reason);
    void recordError(const QString &message);
    void updateConnected();

    const RedisSettings m_settings;
    const QByteArray m_indexKey;
    const QByteArray m_instanceId;
    RateLimitStore &m_fallback;
    QList<RedisLink *> m_links;     // standalone, sentinel
    RedisCluster *m_cluster = nullptr;   // cluster mode
    RedisSentinel *m_sentinel = nullptr; // sentinel mode
    RedisTopology m_lastTopology;
    int m_nextLink = 0;
    quint64 m_sequence = 0;
    bool m_connected = false;
    bool m_everConnected = false;
    bool m_outageLogged = false;
    bool m_shuttingDown = false;
    QList<RedisLink *> m_reloading; // links with a SCRIPT LOAD in flight after NOSCRIPT
    int m_peakInFlight = 0;     // in this PeakIntervalMs
    int m_lastPeakInFlight = 0; // in the one before
    qint64 m_errorsTotal = 0;
    QString m_lastError;
    qint64 m_outageStartMs = 0; // QDateTime::currentMSecsSinceEpoch(), for the log line only
};
