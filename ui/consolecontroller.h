#pragma once

#include "adminclient.h"
#include "eventsmodel.h"
#include "keyusagemodel.h"
#include "limitsmodel.h"
#include "timeseriesmodel.h"
#include "trafficrate.h"
#include "violationsmodel.h"

#include <QElapsedTimer>
#include <QTimer>

#include <chrono>
#include <optional>

// One console session against one service: polls stats and Redis status on a timer through the
// AdminClient (skipping a tick while the previous request is still in flight, never faster than the
// interval), turns counters into rates, feeds the models (recent violations too), and tracks connection
// and Redis state, logging every change, every new Redis health warning and every rise of a
// bypass-attempt counter to the events model and raising a banner for problems (Redis down or able
// to evict rate-limit keys). It keeps polling
// through outages, so the console recovers by itself when the service is back. No Widgets; GUI thread.
class ConsoleController : public QObject
{
    Q_OBJECT
public:
    enum class ConnectionState { Idle, Connecting, Connected, Unreachable, Unauthorized, AdminDisabled };
    Q_ENUM(ConnectionState)
    enum class BannerLevel { None, Warning, Error };
    Q_ENUM(BannerLevel)
    enum class Polling { Running, Paused };

    explicit ConsoleController(QObject *parent = nullptr);

    AdminClient *client() { return &m_client; }
    TimeSeriesModel *traffic() { return &m_traffic; }
    KeyUsageModel *keys() { return &m_keys; }
    LimitsModel *limits() { return &m_limits; }
    LimitsModel *apiKeyLimits() { return &m_apiKeyLimits; }
    EventsModel *events() { return &m_events; }
    ViolationsModel *violations() { return &m_violations; }

    // Starts a session: resets the models and polls `baseUrl` with `adminKey` from now on.
    void connectTo(const QUrl &baseUrl, const QString &adminKey, const QString &label);
    QUrl url() const { return m_client.baseUrl(); }
    QString label() const { return m_label; }

    void setInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds interval() const { return std::chrono::milliseconds(m_timer.interval()); }
    void setTopKeyCount(int count) { m_topKeyCount = count; }
    int topKeyCount() const { return m_topKeyCount; }
    void setPolling(Polling polling);
    Polling polling() const { return m_timer.isActive() ? Polling::Running : Polling::Paused; }

    void refreshNow();
    void refreshConfig();
    void clearKey(const QString &key);
    void saveRule(const AdminApi::EndpointRule &rule);
    void removeRule(const QString &endpoint, const QString &method);
    // API-key limits: `keyId` "default" is the API-key clients' default, any other id one key's override.
    void saveApiKeyLimit(const AdminApi::ApiKeyLimit &limit);
    void removeApiKeyLimit(const QString &keyId);

    ConnectionState state() const { return m_state; }
    bool hasStats() const { return m_hasStats; }
    const AdminApi::Stats &stats() const { return m_stats; }
    std::optional<TrafficRate::Rates> rates() const { return m_rate.rates(); }
    bool hasRedisStatus() const { return m_hasRedis; }
    const AdminApi::RedisStatus &redisStatus() const { return m_redis; }
    const AdminApi::Config &config() const { return m_config; }
    BannerLevel bannerLevel() const { return m_bannerLevel; }
    QString bannerText() const { return m_bannerText; }
    int skippedPolls() const { return m_skippedPolls; }

    static QString stateLabel(ConnectionState state);

signals:
    void stateChanged(ConsoleController::ConnectionState state);
    void statsUpdated();
    void redisStatusUpdated();
    void violationsUpdated();
    // A bypass-attempt counter ("untrusted_forwarded_header", ...) rose by `delta` since the last refresh.
    void bypassAttemptsRose(const QString &kind, qint64 delta);
    void configUpdated();
    void bannerChanged(ConsoleController::BannerLevel level, const QString &text);
    void keyCleared(const QString &key);
    void ruleSaved(const QString &endpoint, const QString &method);
    void ruleRejected(const QString &endpoint, const QString &method, const AdminApi::Error &error);
    void ruleRemoved(const QString &endpoint, const QString &method);
    void apiKeyLimitSaved(const QString &keyId);
    void apiKeyLimitRejected(const QString &keyId, const AdminApi::Error &error);
    void apiKeyLimitRemoved(const QString &keyId);
    // An operator action failed for a reason other than validation; `message` is translated.
    void actionFailed(const QString &message);

private:
    void poll();
    void onStats(const AdminApi::Stats &stats);
    void onRedisStatus(const AdminApi::RedisStatus &status);
    void noteBypassAttempts(const QMap<QString, qint64> &current);
    void noteRedisWarnings(const std::optional<AdminApi::RedisHealth> &previous,
                           const std::optional<AdminApi::RedisHealth> &current);
    void onFailure(AdminClient::Operation operation, const AdminClient::Failure &failure);
    void setState(ConnectionState state, const QString &detail = {});
    void updateBanner();
    QString describe(const AdminClient::Failure &failure) const;

    AdminClient m_client;
    TimeSeriesModel m_traffic;
    KeyUsageModel m_keys;
    LimitsModel m_limits;
    LimitsModel m_apiKeyLimits{LimitsModel::Subject::ApiKeys};
    EventsModel m_events;
    ViolationsModel m_violations;
    TrafficRate m_rate;
    QTimer m_timer;
    QElapsedTimer m_monotonic;
    QString m_label;
    int m_topKeyCount = 500;
    int m_skippedPolls = 0;
    int m_pollCount = 0;
    ConnectionState m_state = ConnectionState::Idle;
    bool m_hasStats = false;
    bool m_hasRedis = false;
    bool m_violationsListed = true; // false once the service answered 404 (a version without the list)
    AdminApi::Stats m_stats;
    AdminApi::RedisStatus m_redis;
    AdminApi::Config m_config;
    BannerLevel m_bannerLevel = BannerLevel::None;
    QString m_bannerText;
};
