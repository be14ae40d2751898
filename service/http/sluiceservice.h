#pragma once

#include "adminapi.h"
#include "clientresolver.h"
#include "clock.h"
#include "ratelimitheaders.h"
#include "ratelimitstore.h"
#include "ruletable.h"
#include "serviceconfig.h"
#include "stats.h"

#include <QJsonObject>
#include <QMutex>
#include <QObject>
#include <QUrl>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

class AdminAuthThrottle;
class BypassDetector;
class ClientResolver;
class HttpResponder;
class HttpServer;
struct HttpRequest;
struct HttpResponse;
class MemoryRateLimitStore;
class RedisHealthProbe;
class RedisRateLimitStore;
class RedisRuleSync;
struct RedisPoolUsage;
struct RedisSettings;
class RuleBook;
class RuleTable;
class UpstreamProxy;
class ViolationLog;
struct Decision;
class QThread;
class QTimer;

// The rate limiting service: the HTTP front (HttpServer: limits, timeouts, ordered pipelining) with
// the check endpoint, /health, /metrics, the admin API and, with UPSTREAM_URL, the gateway; the
// stores, the rule book and the counters. Embeddable: sluice-server and the console both create one.
// Lives in (and must be used from) the thread that created it; handlers never block it, answers that
// depend on Redis or the upstream come later through the responder.
class SluiceService : public QObject
{
    Q_OBJECT
public:
    // Uses the system clock.
    explicit SluiceService(ServiceConfig config, QObject *parent = nullptr);
    // `clock` must outlive the service; tests pass a ManualClock.
    SluiceService(ServiceConfig config, const Clock &clock, QObject *parent = nullptr);
    ~SluiceService() override;

    // Binds the configured listen address (port 0 picks a free port) and starts serving.
    bool start(QString *errorMessage);
    // Stops accepting connections. Requests already received still get their answer; drained() is
    // emitted once none is pending (immediately if none is). A gateway answer is pending until it has
    // ended, streams included; bounding that wait is the caller's (sluice-server: SHUTDOWN_TIMEOUT).
    void stop();

    quint16 port() const;
    QUrl baseUrl() const; // http://127.0.0.1:<port> (or the configured address when it is not a wildcard)
    const ServiceConfig &config() const { return m_config; }
    const ServiceStats &stats() const { return m_stats; }
    StoreMode storeMode() const;
    int pendingRequests() const { return m_pending.load(); }
    // Event-loop threads serving HTTP (THREADS; 0 in the config means one per core).
    int threadCount() const { return int(m_lanes.size()); }

signals:
    void drained();

private:
    class PendingReply;
    friend class PendingReply;

    // One event-loop thread serving HTTP: its server, its store (the shared memory store, or its own
    // Redis connections that fall back to the shared memory store) and its upstream proxy. Lane 0 runs
    // in the service's thread and uses the service's own store and proxy. SO_REUSEPORT spreads the
    // connections over the lanes.
    struct Lane
    {
        QThread *thread = nullptr;  // null for lane 0
        QObject *context = nullptr; // lives in `thread`; parent of the lane's objects
        HttpServer *server = nullptr;
        RateLimitStore *store = nullptr;
        RedisRateLimitStore *redis = nullptr;
        UpstreamProxy *proxy = nullptr;
        std::atomic<bool> redisConnected{false};
    };

    enum class ChangeKind { Set, Delete, Default, ApiKeySet, ApiKeyDelete };
    struct RuleChange
    {
        ChangeKind kind = ChangeKind::Set;
        EndpointLimitRule rule; // Delete: only endpoint and method matter; ApiKey*: endpoint "api_key:<target>"
        QByteArray apiKeyTarget; // ApiKey*: "default" or a key id
    };

    bool startRedis(QString *errorMessage);
    bool startLanes(QString *errorMessage);
    void stopLane(Lane &lane);
    void route(HttpRequest &&request, HttpResponder responder, Lane &lane);
    std::shared_ptr<const RuleTable> ruleTable() const;
    void publishRules(); // after every change of m_rules: the lanes decide with a snapshot
    bool persistRules(QString *error);
    // Applies a validated change (memory: rule book + rules file; Redis: shared script, then locally)
    // and answers on `reply`: 200, 404 (delete of a missing rule) or 503 (could not be stored).
    void applyRuleChange(const RuleChange &change, const QString &keyId, const std::shared_ptr<PendingReply> &reply);
    // False (and nothing changed) for a delete of something that does not exist.
    bool applyLocally(const RuleChange &change, const QString &keyId);
    void sendHeartbeat();
    AdminApi::InstanceInfo instanceInfo() const;

    // What one request is limited by: the matching rule (or the default), its storage key and how it is
    // counted. `table` keeps `match.rule` alive while the decision is pending.
    struct LimitTarget
    {
        std::shared_ptr<const RuleTable> table;
        RuleTable::Match match;
        QByteArray clientId;
        QByteArray key;
        Strategy strategy = Strategy::Ip;
        QByteArray policyName;
        DraftHeaders draft = DraftHeaders::On;
    };
    LimitTarget limitTarget(const QByteArray &method, const QByteArray &path, const ClientIdentity &client) const;
    // Counts a decision in the stats and logs it when it is a denial.
    void recordDecision(const Decision &decision, const LimitTarget &target, qint64 elapsedUs);

    void handleCheck(const HttpRequest &request, HttpResponder responder, Lane &lane);
    void handleStats(const HttpRequest &request, HttpResponder responder);
    void handleClear(const HttpRequest &request, HttpResponder responder);
    void handlePutRule(const HttpRequest &request, HttpResponder responder);
    void handleDeleteRule(const HttpRequest &request, HttpResponder responder);
    void handleApiKeys(const HttpRequest &request, HttpResponder responder);
    AdminApi::ApiKeyLimits apiKeyLimits() const;
    // The admin request's body as a JSON object; otherwise answers 400/413 and returns null.
    std::optional<QJsonObject> adminJsonBody(const HttpRequest &request, HttpResponder &responder);
    void handleRedisStatus(const HttpRequest &request, HttpResponder responder);
    // Connections to Redis over all HTTP threads; maxInFlight adds up each thread's peak.
    RedisPoolUsage redisPoolUsage() const;
    AdminApi::RedisStatus redisStatus() const;
    void handleConfig(const HttpRequest &request, HttpResponder responder);
    void handleHistory(const HttpRequest &request, HttpResponder responder);
    void handleViolations(const HttpRequest &request, HttpResponder responder);
    // Logs a denial.
    void recordViolation(const Decision &decision, const LimitTarget &target);
    void handleGateway(HttpRequest &&request, HttpResponder responder, Lane &lane);
    HttpResponse health() const;
    HttpResponse metrics() const;

    // True for a valid X-Admin-Key (its id in *keyId); otherwise answers 401/403 on `responder`, or
    // 429 while the peer is blocked after repeated failures (AdminAuthThrottle).
    bool authorizeAdmin(const HttpRequest &request, QString *keyId, HttpResponder &responder);
    void requestFinished();
    void finishDrain();

    ServiceConfig m_config;
    std::unique_ptr<SystemClock> m_ownClock;
    const Clock &m_clock;
    ServiceStats m_stats;
    std::unique_ptr<ClientResolver> m_clients;
    std::unique_ptr<RuleBook> m_rules;
    std::unique_ptr<ViolationLog> m_violations;
    std::unique_ptr<BypassDetector> m_bypass;
    std::unique_ptr<AdminAuthThrottle> m_adminThrottle; // failed X-Admin-Key attempts per peer
    // Members die in reverse declaration order: the rule sync and the Redis store go before the memory
    // store they fall back to (the destructor also resets them explicitly, after the HTTP server).
    std::unique_ptr<MemoryRateLimitStore> m_memoryStore;
    std::unique_ptr<RedisRateLimitStore> m_redisStore;
    std::unique_ptr<RedisRuleSync> m_ruleSync;
    std::unique_ptr<RedisHealthProbe> m_healthProbe; // probes lane 0's store only (one probe per service)
    RateLimitStore *m_store = nullptr;
    QByteArray m_instanceId;      // random per service object; names this instance in Redis
    QByteArray m_instancesKey;    // <prefix>instances: HASH id -> InstanceInfo JSON
    UpstreamProxy *m_proxy = nullptr; // gateway mode (UPSTREAM_URL set), lane 0's
    std::vector<std::unique_ptr<Lane>> m_lanes;
    std::shared_ptr<std::atomic<int>> m_connectionCount = std::make_shared<std::atomic<int>>(0);
    mutable QMutex m_tableLock;
    std::shared_ptr<const RuleTable> m_table; // the lanes' snapshot of m_rules->table()
    std::unique_ptr<RedisSettings> m_redisSettings;
    QList<QByteArray> m_adminKeyHashes; // SHA-256 of each admin key, compared in constant time
    std::atomic<int> m_pending{0};
    std::atomic<bool> m_stopping{false};
    std::atomic<bool> m_destroying{false};
};
