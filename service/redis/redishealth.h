#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <optional>

// The health of one Redis data node as the last probe saw it (RedisHealthProbe): round-trip time of a
// PING, the INFO fields that matter to a rate limiter (memory, eviction policy, replication) and the
// warnings they imply. Also the aggregate over the masters of a cluster. Plain value type (copyable,
// safe to pass between threads); parsing and warnings are pure functions of the fields.
struct RedisNodeHealth
{
    // One line "slaveN:ip=..,port=..,state=..,offset=..,lag=.." of a master's INFO replication.
    struct Replica
    {
        QString address; // "host:port"
        qint64 offset = 0;
        qint64 lagSeconds = 0;
        friend bool operator==(const Replica &, const Replica &) = default;
    };

    QString address;          // "host:port" of the probed node; empty for an aggregate of none
    qint64 checkedAtMs = 0;   // epoch ms of the last complete sample (PING + INFO); 0 = none yet
    QString probeError;       // why the last probe failed (timeout, not connected); empty when it worked
    double latencyMs = 0;     // last PING round trip, queued behind the link's other commands
    double latencyAvgMs = 0;  // over the last LatencyWindow probes
    double latencyMaxMs = 0;
    qint64 usedMemoryBytes = 0;
    qint64 maxmemoryBytes = 0; // 0 = no limit
    QString maxmemoryPolicy;
    qint64 evictedKeys = 0;
    qint64 rejectedConnections = 0;
    qint64 connectedClients = 0;
    QString role;             // "master" or "replica"
    int connectedReplicas = 0;
    QList<Replica> replicas;  // masters
    std::optional<qint64> replicationLagBytes;   // master: largest offset gap of its replicas
    std::optional<double> replicationLagSeconds; // master: largest lag=; replica: master_last_io_seconds_ago
    std::optional<bool> masterLinkUp;            // replicas only
    QString redisVersion;
    // Set by evaluate() from the fields above (one node) or by aggregate():
    bool evictionRisk = false; // a policy that can evict limiter keys, with a maxmemory that triggers it
    QStringList warnings;      // human-readable, untranslated; never a secret

    static constexpr int LatencyWindow = 20;
    static constexpr double MemoryWarningRatio = 0.9;

    bool hasSample() const { return checkedAtMs > 0; }
    // used / max, or nullopt without a maxmemory.
    std::optional<double> memoryUsageRatio() const;
    // The warning about the eviction policy (see evaluate()); empty when it cannot evict limiter keys.
    QString evictionWarning() const;
    // Fills the INFO fields from the text of INFO (any sections; unknown lines are ignored), then
    // evaluate(). Keeps address, timing and latency.
    void parseInfo(const QByteArray &info);
    // Sets evictionRisk and warnings. Every policy but noeviction can evict limiter keys (allkeys-*
    // any key, volatile-* keys with a TTL, and every limiter key has one), and an evicted key silently
    // resets that client's limit; without a maxmemory nothing is evicted.
    void evaluate();
    // Cluster: one value for all masters: sums for memory and counters, the worst for latency, lag
    // and staleness, the union of the nodes' warnings prefixed with their address.
    static RedisNodeHealth aggregate(const QList<RedisNodeHealth> &nodes);
};

// The store's connection pool: links, ready links, commands in flight now and the peak in flight.
struct RedisPoolUsage
{
    int size = 0;
    int ready = 0;
    int inFlight = 0;
    int maxInFlight = 0; // peak over the last one to two probe intervals (RedisHealthProbe::IntervalMs)
};
