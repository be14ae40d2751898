#pragma once

#include "redishealth.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>

class RedisRateLimitStore;
struct RedisReplyValue;

// Watches the health of the Redis data nodes a RedisRateLimitStore writes to (standalone: the server;
// sentinel: the current master; cluster: every master): every IntervalMs, and on refresh() when the
// last sample is older than FreshMs, it sends PING (round trip measured with QElapsedTimer) and INFO
// on one of the store's pooled links of each node. It never blocks: replies come from the event loop,
// and a node that does not answer within the store's command timeout fails its probe (the link drops,
// as for any command), so refresh() answers within that timeout. Logs (category "sluice.redis") one
// line when a node's eviction risk appears or goes away, never a secret.
//
// Cost: two small commands per node per interval; INFO (all default sections, for Redis versions
// before 7 that take one section only) is about 5 KB.
//
// Not thread-safe: lives in and is used from the store's thread. The store must outlive the probe.
class RedisHealthProbe : public QObject
{
    Q_OBJECT

public:
    static constexpr int IntervalMs = 5000;
    static constexpr int FreshMs = 1000;

    explicit RedisHealthProbe(RedisRateLimitStore &store, QObject *parent = nullptr);
    ~RedisHealthProbe() override;

    // Calls `done` once the samples are fresh: at once when they are younger than FreshMs or no node
    // is reachable, else when the probe this starts (or the one in flight) has answered or failed.
    void refresh(std::function<void()> done);
    // The last sample of each data node, in topology order (a node that never answered has none).
    QList<RedisNodeHealth> nodes() const;
    // nodes() as one value (RedisNodeHealth::aggregate); empty before any probe.
    RedisNodeHealth overall() const { return RedisNodeHealth::aggregate(nodes()); }

private:
    struct NodeState
    {
        RedisNodeHealth health;
        std::deque<double> latenciesMs; // the last LatencyWindow round trips
        QString pingError;              // the PING of the probe in flight failed
        bool probing = false;
        bool warnedEviction = false;
    };

    void probe();
    void pinged(const QString &address, const RedisReplyValue &reply, double elapsedMs);
    void informed(const QString &address, const RedisReplyValue &reply);
    void logEvictionChange(NodeState &state);
    void finishIfIdle();

    RedisRateLimitStore &m_store;
    QHash<QString, NodeState> m_nodes;
    QStringList m_order; // node addresses in topology order
    QTimer m_timer;
    int m_probing = 0;    // nodes with a probe in flight
    bool m_starting = false;
    QList<std::function<void()>> m_waiters;
};
