#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>

#include <optional>

// JSON types of the admin API: the contract between sluice-server and the console (and any other
// client). The service serialises with toJson(), the console parses with the matching fromJson().
// Field names follow the guide (snake_case); fields beyond the guide are additive.
// Plain value types; no I/O, so safe on any thread.
namespace AdminApi {

// One entry of stats.current_rates. The map in JSON is keyed by `key` (the full storage key).
struct CurrentRate
{
    QString key;         // "rate_limit:ip:10.0.0.1", "rate_limit:api_key:<hash>", "rate_limit:endpoint:<path>:<client>"
    QString strategy;    // "ip", "api_key", "endpoint"
    QString client;      // IP or API key id (never the raw key)
    QString endpoint;    // rule path for endpoint keys, else empty
    qint64 currentCount = 0;
    qint64 limit = 0;
    QString window;      // human form as in the guide: "1m", "30s", "1h"
    qint64 windowSeconds = 0;
    qint64 resetTime = 0; // epoch seconds when the quota is back to full
    QString algorithm;   // "sliding_log", "sliding_window_counter", "token_bucket"

    QJsonObject toJson() const;
    static CurrentRate fromJson(const QJsonObject &o);
};

// One live sluice-server instance sharing the Redis deployment.
struct InstanceInfo
{
    QString id;
    QString address;
    QString mode; // "redis", "memory-fallback", "memory"
    qint64 totalRequests = 0;
    qint64 blockedRequests = 0;
    QDateTime lastSeen;

    QJsonObject toJson() const;
    static InstanceInfo fromJson(const QJsonObject &o);
};

struct Stats
{
    qint64 totalRequests = 0;
    qint64 blockedRequests = 0;
    QList<CurrentRate> currentRates; // ordered as requested (sort=usage: highest first)
    bool redisConnected = false;
    QDateTime lastUpdate;
    // Beyond the guide:
    QString mode;
    qint64 trackedKeys = 0;        // keys this call could see (memory: all; Redis: the shared index)
    double decisionLatencyP50Us = 0;
    double decisionLatencyP99Us = 0;
    QList<InstanceInfo> instances; // empty without Redis
    QMap<QString, qint64> bypassAttempts; // "bypass_attempts": kind -> count

    // {"status":"success","stats":{...}}
    QJsonObject toJson() const;
    static Stats fromJson(const QJsonObject &envelope);
};

// "health" in GET /admin/redis/status: the last probe of a data node (PING + INFO), or of all masters
// at once (cluster, top level). Optional fields are null in JSON when unknown.
struct RedisHealth
{
    QDateTime checkedAt;       // the last complete sample (UTC); invalid = none yet
    qint64 ageMs = -1;         // how old that sample was when the status was built; -1 = none
    QString probeError;        // why the last probe failed; empty when it worked
    double latencyMs = 0;      // last PING round trip
    double latencyAvgMs = 0;   // over the last 20 probes
    double latencyMaxMs = 0;
    qint64 usedMemoryBytes = 0;
    qint64 maxmemoryBytes = 0; // 0 = unlimited
    std::optional<double> memoryUsageRatio; // null when unlimited
    QString maxmemoryPolicy;
    bool evictionRisk = false; // the policy can evict limiter keys (anything but noeviction, with a maxmemory)
    qint64 evictedKeys = 0;
    qint64 rejectedConnections = 0;
    qint64 connectedClients = 0;
    QString role;              // "master" or "replica"
    int connectedReplicas = 0;
    std::optional<qint64> replicationLagBytes;
    std::optional<double> replicationLagSeconds;
    std::optional<bool> masterLinkUp; // replicas only
    QString redisVersion;
    QStringList warnings;

    QJsonObject toJson() const;
    static RedisHealth fromJson(const QJsonObject &o);
    friend bool operator==(const RedisHealth &, const RedisHealth &) = default;
};

// "pool" in GET /admin/redis/status: the status-serving thread's connections to Redis.
struct RedisPool
{
    int size = 0;
    int ready = 0;
    int inFlight = 0;
    int maxInFlight = 0; // peak over the last 5 to 10 s (two probe intervals)

    QJsonObject toJson() const;
    static RedisPool fromJson(const QJsonObject &o);
    friend bool operator==(const RedisPool &, const RedisPool &) = default;
};

// One data node in GET /admin/redis/status "nodes" (cluster or sentinel mode).
struct RedisNode
{
    QString addr;             // "host:port"
    QString role;             // "master" or "replica"
    bool connected = false;   // the service has a ready connection (masters only)
    int slotCount = 0;        // cluster masters: slots served ("slots"; not `slots`, a Qt keyword)
    QList<QPair<int, int>> slotRanges; // inclusive [first, last]
    QString master;           // replicas: their master's addr
    std::optional<RedisHealth> health; // masters the service probes

    QJsonObject toJson() const;
    static RedisNode fromJson(const QJsonObject &o);
};

struct RedisStatus
{
    bool enabled = false;
    bool connected = false;
    QString addr;
    int db = 0;
    int poolSize = 0;
    // Beyond the guide:
    QString mode;
    qint64 errorsTotal = 0;
    QString lastError;
    QString redisMode;        // "standalone", "cluster", "sentinel"
    bool tls = false;         // REDIS_TLS: every link to Redis is TLS
    int slotsCovered = 0;     // cluster: slots whose master is connected (16384 = all)
    QString sentinelMaster;   // sentinel: the monitored master's name
    QString sentinel;         // sentinel: the sentinel currently asked
    QList<RedisNode> nodes;
    std::optional<RedisHealth> health; // one node's, or the masters' aggregate in a cluster
    std::optional<RedisPool> pool;

    // {"status":"success","redis":{...}}
    QJsonObject toJson() const;
    static RedisStatus fromJson(const QJsonObject &envelope);
};

// An endpoint rule: PUT /admin/rate-limit/config body and GET /admin/config entries.
// `window` is in seconds (the guide's unit). `method` empty means any method.
// `endpoint` is an exact path, or a prefix ending in "/*" (e.g. "/v1/images/*").
struct EndpointRule
{
    QString endpoint;
    QString method;
    qint64 requests = 0;
    qint64 windowSeconds = 0;
    QString algorithm; // empty in a request means the default algorithm
    qint64 burst = 0;  // token bucket only; 0 means `requests`

    // Request body form: {"endpoint","requests","window","method"?,"algorithm"?,"burst"?}
    QJsonObject toRequestJson() const;
    // Stored/listed form: same fields, with "window_seconds" instead of "window".
    QJsonObject toJson() const;
    static EndpointRule fromJson(const QJsonObject &o);
};

// A limit for clients identified by an API key: keyId "default" is the API-key clients' default,
// any other keyId (16 hex digits, as in stats and violations) an override for that one key.
// PUT /admin/rate-limit/api-keys body; entries of GET /admin/rate-limit/api-keys and /admin/config.
struct ApiKeyLimit
{
    QString keyId;
    qint64 requests = 0;
    qint64 windowSeconds = 0;
    QString algorithm; // empty in a request means the default algorithm
    qint64 burst = 0;  // token bucket only; 0 means `requests`

    // Request body form: {"key_id","requests","window","algorithm"?,"burst"?}
    QJsonObject toRequestJson() const;
    // Listed form: {"key_id","requests","window_seconds","algorithm","burst"}
    QJsonObject toJson() const;
    static ApiKeyLimit fromJson(const QJsonObject &o);
    static ApiKeyLimit fromRule(const QString &keyId, const EndpointRule &rule);
    EndpointRule toRule() const; // without endpoint and method
};

// GET /admin/rate-limit/api-keys: {"status":"success","default":{...}|null,"overrides":[...]}
struct ApiKeyLimits
{
    std::optional<ApiKeyLimit> defaultLimit; // unset: API-key clients share the default rule
    QList<ApiKeyLimit> overrides;

    QJsonObject toJson() const;
    static ApiKeyLimits fromJson(const QJsonObject &envelope);
};

struct Config
{
    qint64 requestRateLimit = 60; // default requests per window per client
    qint64 apiKeyRateLimit = 60;  // default requests per window per API-key client (API_KEY_RATE_LIMIT)
    std::optional<ApiKeyLimit> apiKeyDefault; // "api_key_default": the whole policy, null when unset
    QList<ApiKeyLimit> apiKeyOverrides;       // "api_key_overrides"
    qint64 windowSeconds = 60;
    QString defaultAlgorithm;
    QList<EndpointRule> endpoints;
    QString listenAddr;
    QString upstreamUrl;
    QStringList trustedProxies;
    bool redisEnabled = false;
    QString redisAddr;
    int redisDb = 0;
    QString redisMode;
    bool redisTls = false;
    bool rateLimitHeaders = true; // IETF RateLimit / RateLimit-Policy fields

    // {"status":"success","config":{...}}
    QJsonObject toJson() const;
    static Config fromJson(const QJsonObject &envelope);
};

// One rejected request (429), as listed by GET /admin/rate-limit/violations (newest first).
struct Violation
{
    QDateTime time;
    QString client; // "ip:<ip>" or "api_key:<id>", never a raw API key
    QString key;    // storage key
    QString rule;   // "default", "api_key_default", "api_key_override" or "endpoint <METHOD> <path>"
    qint64 limit = 0;
    qint64 retryAfterMs = 0;

    QJsonObject toJson() const;
    static Violation fromJson(const QJsonObject &o);
    // {"status":"success","total":n,"violations":[...]}: `total` counts every violation since start.
    static QJsonObject listToJson(const QList<Violation> &violations, qint64 total);
    static QList<Violation> listFromJson(const QJsonObject &envelope);
};

// One configuration change, as listed by GET /admin/config/history.
struct HistoryEntry
{
    QDateTime time;
    QString adminKeyId; // a short hash of the admin key, never the key
    QString action;     // "set", "delete", "default"
    // The changed rule's path, "default", or "api_key:<default|key id>" for API-key limits.
    QString endpoint;
    QString method;
    std::optional<EndpointRule> oldRule;
    std::optional<EndpointRule> newRule;

    QJsonObject toJson() const;
    static HistoryEntry fromJson(const QJsonObject &o);
};

// {"status":"error","error":"<code>","message":"<text>"}; codes are stable and untranslated.
struct Error
{
    QString error;
    QString message;

    QJsonObject toJson() const;
    static Error fromJson(const QJsonObject &o);
};

QString formatWindow(qint64 seconds); // 60 -> "1m", 90 -> "90s", 3600 -> "1h"

} // namespace AdminApi
