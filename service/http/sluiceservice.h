#pragma once

#include "adminapi.h"
#include "clock.h"
#include "ratelimitstore.h"
#include "serviceconfig.h"
#include "stats.h"

#include <QObject>
#include <QUrl>

#include <memory>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;
class QHttpServerResponse;
class QTcpServer;
class ClientResolver;
class MemoryRateLimitStore;
class RedisRateLimitStore;
class RedisRuleSync;
class RuleBook;
class QTimer;

// The rate limiting service: the HTTP server with the check endpoint, /health, /metrics and the admin
// API, the stores, the rule book and the counters. Embeddable: sluice-server and the console both
// create one. Lives in (and must be used from) the thread that created it; handlers never block it,
// answers that depend on Redis come later through the responder (guarded against clients that left).
// Known limit of QHttpServer 6.4: with deferred answers, a client that pipelines requests on one
// connection may get the answers in completion order (fixed upstream in 6.5).
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
    // emitted once none is pending (immediately if none is).
    void stop();

    quint16 port() const;
    QUrl baseUrl() const; // http://127.0.0.1:<port> (or the configured address when it is not a wildcard)
    const ServiceConfig &config() const { return m_config; }
    const ServiceStats &stats() const { return m_stats; }
    StoreMode storeMode() const;
    int pendingRequests() const { return m_pending; }

signals:
    void drained();

private:
    class PendingReply;
    friend class PendingReply;

    enum class ChangeKind { Set, Delete, Default };
    struct RuleChange
    {
        ChangeKind kind = ChangeKind::Set;
        EndpointLimitRule rule; // Delete: only endpoint and method matter
    };

    bool startRedis(QString *errorMessage);
    void setUpRoutes();
    bool persistRules(QString *error);
    // Applies a validated change (memory: rule book + rules file; Redis: shared script, then locally)
    // and answers on `reply`: 200, 404 (delete of a missing rule) or 503 (could not be stored).
    void applyRuleChange(const RuleChange &change, const QString &keyId, const std::shared_ptr<PendingReply> &reply);
    void applyLocally(const RuleChange &change, const QString &keyId);
    void sendHeartbeat();
    AdminApi::InstanceInfo instanceInfo() const;

    void handleCheck(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void handleStats(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void handleClear(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void handlePutRule(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void handleDeleteRule(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void handleRedisStatus(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void handleConfig(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void handleHistory(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    QHttpServerResponse health() const;
    QHttpServerResponse metrics() const;

    // True for a valid X-Admin-Key (its id in *keyId); otherwise answers 401/403 on `responder`.
    bool authorizeAdmin(const QHttpServerRequest &request, QString *keyId, QHttpServerResponder &responder);
    void requestFinished();
    void finishDrain();

    ServiceConfig m_config;
    std::unique_ptr<SystemClock> m_ownClock;
    const Clock &m_clock;
    ServiceStats m_stats;
    std::unique_ptr<ClientResolver> m_clients;
    std::unique_ptr<RuleBook> m_rules;
    // Members die in reverse declaration order: the rule sync and the Redis store go before the memory
    // store they fall back to (the destructor also resets them explicitly, after the HTTP server).
    std::unique_ptr<MemoryRateLimitStore> m_memoryStore;
    std::unique_ptr<RedisRateLimitStore> m_redisStore;
    std::unique_ptr<RedisRuleSync> m_ruleSync;
    RateLimitStore *m_store = nullptr;
    QByteArray m_instanceId;      // random per service object; names this instance in Redis
    QByteArray m_instancesKey;    // <prefix>instances: HASH id -> InstanceInfo JSON
    QHttpServer *m_http = nullptr;
    QTcpServer *m_tcp = nullptr;
    QList<QByteArray> m_adminKeyHashes; // SHA-256 of each admin key, compared in constant time
    int m_pending = 0;
    bool m_stopping = false;
    bool m_destroying = false;
};
