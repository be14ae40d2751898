#include "consolecontroller.h"

#include <QRegularExpression>
#include <QSet>

namespace {
constexpr int kConfigEveryNthPoll = 10;
// Violations fetched per refresh: more than a busy service rejects per second in the usual case,
// small enough for a remote console to poll every second.
constexpr int kViolationsPerPoll = 200;

// The API-key limits as LimitsModel rows: the key id in `endpoint`, no method.
AdminApi::EndpointRule asRule(const AdminApi::ApiKeyLimit &limit)
{
    AdminApi::EndpointRule rule = limit.toRule();
    rule.endpoint = limit.keyId;
    return rule;
}

QList<AdminApi::EndpointRule> apiKeyRules(const AdminApi::Config &config)
{
    QList<AdminApi::EndpointRule> rules;
    if (config.apiKeyDefault)
        rules.append(asRule(*config.apiKeyDefault));
    for (const AdminApi::ApiKeyLimit &limit : config.apiKeyOverrides)
        rules.append(asRule(limit));
    return rules;
}

} // namespace

ConsoleController::ConsoleController(QObject *parent)
    : QObject(parent)
    , m_traffic(600, 5 * 60 * 1000)
{
    m_timer.setInterval(1000);
    m_monotonic.start();
    connect(&m_timer, &QTimer::timeout, this, &ConsoleController::poll);
    connect(&m_client, &AdminClient::statsReceived, this, &ConsoleController::onStats);
    connect(&m_client, &AdminClient::redisStatusReceived, this, &ConsoleController::onRedisStatus);
    connect(&m_client, &AdminClient::violationsReceived, this,
            [this](const QList<AdminApi::Violation> &violations, qint64 total) {
                m_violations.update(violations, total);
                emit violationsUpdated();
            });
    connect(&m_client, &AdminClient::requestFailed, this, &ConsoleController::onFailure);
    connect(&m_client, &AdminClient::configReceived, this, [this](const AdminApi::Config &config) {
        m_config = config;
        m_limits.setRules(config.endpoints);
        m_apiKeyLimits.setRules(apiKeyRules(config));
        emit configUpdated();
    });
    connect(&m_client, &AdminClient::keyCleared, this, [this](const QString &key) {
        m_keys.removeKey(key);
        m_events.add(EventsModel::Severity::Info, tr("Cleared key %1").arg(key));
        emit keyCleared(key);
    });
    connect(&m_client, &AdminClient::ruleSaved, this, [this](const QString &endpoint, const QString &method) {
        m_events.add(EventsModel::Severity::Info, tr("Saved limit for %1").arg(endpoint));
        m_limits.markStored(endpoint, method);
        emit ruleSaved(endpoint, method);
        refreshConfig();
    });
    connect(&m_client, &AdminClient::ruleDeleted, this, [this](const QString &endpoint, const QString &method) {
        m_events.add(EventsModel::Severity::Info, tr("Removed limit for %1").arg(endpoint));
        m_limits.removeRule(endpoint, method);
        emit ruleRemoved(endpoint, method);
        refreshConfig();
    });
    connect(&m_client, &AdminClient::apiKeyLimitSaved, this, [this](const QString &keyId) {
        m_events.add(EventsModel::Severity::Info, tr("Saved the limit for API key %1").arg(keyId));
        m_apiKeyLimits.markStored(keyId, {});
        emit apiKeyLimitSaved(keyId);
        refreshConfig();
    });
    connect(&m_client, &AdminClient::apiKeyLimitDeleted, this, [this](const QString &keyId) {
        m_events.add(EventsModel::Severity::Info, tr("Removed the limit for API key %1").arg(keyId));
        m_apiKeyLimits.removeRule(keyId, {});
        emit apiKeyLimitRemoved(keyId);
        refreshConfig();
    });
}

void ConsoleController::connectTo(const QUrl &baseUrl, const QString &adminKey, const QString &label)
{
    m_client.setTarget(baseUrl, adminKey);
    m_label = label;
    m_rate.reset();
    m_traffic.clear();
    m_keys.clear();
    m_violations.clear();
    m_violationsListed = true;
    m_limits.setRules({});
    m_apiKeyLimits.setRules({});
    m_hasStats = false;
    m_hasRedis = false;
    m_stats = {};
    m_redis = {};
    m_config = {};
    m_skippedPolls = 0;
    setState(ConnectionState::Connecting);
    m_events.add(EventsModel::Severity::Info, tr("Connecting to %1").arg(label));
    refreshConfig();
    poll();
    m_timer.start();
}

void ConsoleController::setInterval(std::chrono::milliseconds interval)
{
    m_timer.setInterval(int(std::max<qint64>(interval.count(), 100)));
}

void ConsoleController::setPolling(Polling polling)
{
    if (polling == Polling::Running && m_client.hasTarget())
        m_timer.start();
    else
        m_timer.stop();
}

void ConsoleController::refreshNow()
{
    poll();
}

void ConsoleController::refreshConfig()
{
    if (m_client.hasTarget() && !m_client.isInFlight(AdminClient::Operation::Config))
        m_client.fetchConfig();
}

void ConsoleController::clearKey(const QString &key)
{
    m_client.clearKey(key);
}

void ConsoleController::saveRule(const AdminApi::EndpointRule &rule)
{
    m_limits.markSaving(rule);
    m_client.putRule(rule);
}

void ConsoleController::removeRule(const QString &endpoint, const QString &method)
{
    const bool stored = std::any_of(m_config.endpoints.begin(), m_config.endpoints.end(),
                                    [&](const AdminApi::EndpointRule &r) { return r.endpoint == endpoint && r.method == method; });
    if (!stored) {
        // A rejected new rule exists only in the console: nothing to delete in the service.
        m_limits.removeRule(endpoint, method);
        return;
    }
    m_client.deleteRule(endpoint, method);
}

void ConsoleController::saveApiKeyLimit(const AdminApi::ApiKeyLimit &limit)
{
    m_apiKeyLimits.markSaving(asRule(limit));
    m_client.putApiKeyLimit(limit);
}

void ConsoleController::removeApiKeyLimit(const QString &keyId)
{
    const QList<AdminApi::EndpointRule> stored = apiKeyRules(m_config);
    if (std::none_of(stored.begin(), stored.end(), [&](const AdminApi::EndpointRule &r) { return r.endpoint == keyId; })) {
        // A rejected new limit exists only in the console: nothing to delete in the service.
        m_apiKeyLimits.removeRule(keyId, {});
        return;
    }
    m_client.deleteApiKeyLimit(keyId);
}

QString ConsoleController::stateLabel(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Idle: return tr("Not connected");
    case ConnectionState::Connecting: return tr("Connecting…");
    case ConnectionState::Connected: return tr("Connected");
    case ConnectionState::Unreachable: return tr("Unreachable");
    case ConnectionState::Unauthorized: return tr("Admin key rejected");
    case ConnectionState::AdminDisabled: return tr("Admin API disabled");
    }
    return {};
}

void ConsoleController::poll()
{
    if (!m_client.hasTarget())
        return;
    // A slow service gets at most one stats request at a time; the tick is skipped, not queued.
    if (m_client.isInFlight(AdminClient::Operation::Stats))
        ++m_skippedPolls;
    else
        m_client.fetchStats(m_topKeyCount);
    if (!m_client.isInFlight(AdminClient::Operation::RedisStatus))
        m_client.fetchRedisStatus();
    if (m_violationsListed && !m_client.isInFlight(AdminClient::Operation::Violations))
        m_client.fetchViolations(kViolationsPerPoll);
    // Rules change rarely, but another operator may change them: reread them every tenth tick.
    if (++m_pollCount % kConfigEveryNthPoll == 0)
        refreshConfig();
}

void ConsoleController::onStats(const AdminApi::Stats &stats)
{
    const bool recovering = m_state != ConnectionState::Connected && m_state != ConnectionState::Connecting;
    setState(ConnectionState::Connected);
    if (recovering)
        refreshConfig(); // the service may have restarted with other rules

    // The service's snapshot time measures the interval better than our receipt time, which
    // carries network jitter; without it, fall back to our monotonic clock.
    const qint64 sampleClock = stats.lastUpdate.isValid() ? stats.lastUpdate.toMSecsSinceEpoch()
                                                          : m_monotonic.elapsed();
    const TrafficRate::Outcome outcome = m_rate.update(sampleClock, stats.totalRequests, stats.blockedRequests);
    if (outcome == TrafficRate::Outcome::CounterReset)
        m_events.add(EventsModel::Severity::Warning, tr("Service restarted: its counters were reset"));
    if (const auto rates = m_rate.rates())
        m_traffic.append({QDateTime::currentMSecsSinceEpoch(), rates->allowedPerSecond, rates->blockedPerSecond});

    if (m_hasStats)
        noteBypassAttempts(stats.bypassAttempts);
    m_stats = stats;
    m_hasStats = true;
    const qint64 now = stats.lastUpdate.isValid() ? stats.lastUpdate.toSecsSinceEpoch()
                                                  : QDateTime::currentSecsSinceEpoch();
    m_keys.update(stats.currentRates, now);
    emit statsUpdated();
}

void ConsoleController::onRedisStatus(const AdminApi::RedisStatus &status)
{
    const bool had = m_hasRedis;
    const AdminApi::RedisStatus previous = m_redis;
    m_redis = status;
    m_hasRedis = true;
    if (!had) {
        if (!status.enabled)
            m_events.add(EventsModel::Severity::Info, tr("Redis not configured: deciding in memory"));
        else if (status.connected)
            m_events.add(EventsModel::Severity::Info, tr("Redis connected at %1 (db %2)").arg(status.addr).arg(status.db));
        else
            m_events.add(EventsModel::Severity::Warning,
                         tr("Redis at %1 is unreachable: deciding in memory (fallback)").arg(status.addr));
    } else if (previous.enabled && status.enabled && previous.connected != status.connected) {
        if (status.connected)
            m_events.add(EventsModel::Severity::Info, tr("Redis connection restored (%1)").arg(status.addr));
        else
            m_events.add(EventsModel::Severity::Error,
                         tr("Redis connection lost (%1): falling back to memory").arg(status.addr));
    } else if (previous.enabled != status.enabled) {
        m_events.add(EventsModel::Severity::Info, status.enabled ? tr("Redis enabled") : tr("Redis disabled"));
    }
    noteRedisWarnings(had ? previous.health : std::nullopt, status.health);
    updateBanner();
    emit redisStatusUpdated();
}

void ConsoleController::noteRedisWarnings(const std::optional<AdminApi::RedisHealth> &previous,
                                          const std::optional<AdminApi::RedisHealth> &current)
{
    // The service's warnings are its own English text; each is logged once, when it appears. Figures
    // inside one ("memory at 93% ...", "12 keys evicted") change with every sample, so a warning is
    // known by its text without them.
    static const QRegularExpression figures(QStringLiteral("[0-9][0-9.,]*"));
    QSet<QString> before;
    for (const QString &warning : previous ? previous->warnings : QStringList())
        before.insert(QString(warning).remove(figures));
    for (const QString &warning : current ? current->warnings : QStringList()) {
        if (!before.contains(QString(warning).remove(figures)))
            m_events.add(EventsModel::Severity::Warning, tr("Redis: %1").arg(warning));
    }
    const bool wasAtRisk = previous && previous->evictionRisk;
    if (wasAtRisk && !(current && current->evictionRisk))
        m_events.add(EventsModel::Severity::Info, tr("Redis no longer evicts rate-limit keys (maxmemory-policy %1)")
                                                      .arg(current ? current->maxmemoryPolicy : QString()));
}

void ConsoleController::noteBypassAttempts(const QMap<QString, qint64> &current)
{
    // Only rises are news; a fall means the service restarted, which the traffic counters report.
    for (auto it = current.cbegin(); it != current.cend(); ++it) {
        const qint64 delta = it.value() - m_stats.bypassAttempts.value(it.key());
        if (delta <= 0)
            continue;
        m_events.add(EventsModel::Severity::Warning, tr("Bypass attempts: +%1 %2").arg(delta).arg(it.key()));
        emit bypassAttemptsRose(it.key(), delta);
    }
}

void ConsoleController::onFailure(AdminClient::Operation operation, const AdminClient::Failure &failure)
{
    using Op = AdminClient::Operation;
    using Kind = AdminClient::ErrorKind;
    auto connectionState = [&]() -> std::optional<ConnectionState> {
        switch (failure.kind) {
        case Kind::Unreachable: case Kind::Timeout: return ConnectionState::Unreachable;
        case Kind::Unauthorized: return ConnectionState::Unauthorized;
        case Kind::AdminDisabled: return ConnectionState::AdminDisabled;
        default: return std::nullopt;
        }
    }();
    if (connectionState)
        setState(*connectionState, describe(failure));

    switch (operation) {
    case Op::Violations:
        if (failure.kind == Kind::NotFound) {
            m_violationsListed = false;
            m_events.add(EventsModel::Severity::Info, tr("This service does not list violations (an older version)"));
            return;
        }
        [[fallthrough]];
    case Op::Stats: case Op::RedisStatus: case Op::Config: case Op::History:
        if (!connectionState)
            m_events.add(EventsModel::Severity::Warning,
                         tr("Request %1 failed: %2").arg(AdminClient::operationName(operation), describe(failure)));
        return;
    case Op::ClearKey: {
        const QString message = failure.kind == Kind::NotFound
                                    ? tr("Key %1 is not tracked any more").arg(failure.context)
                                    : tr("Could not clear %1: %2").arg(failure.context, describe(failure));
        m_events.add(EventsModel::Severity::Warning, message);
        if (failure.kind == Kind::NotFound)
            m_keys.removeKey(failure.context);
        emit actionFailed(message);
        return;
    }
    case Op::PutRule: case Op::DeleteRule: {
        const qsizetype split = failure.context.indexOf(QLatin1Char('\n'));
        const QString endpoint = failure.context.left(split);
        const QString method = failure.context.mid(split + 1);
        if (operation == Op::PutRule && failure.kind == Kind::BadRequest) {
            m_limits.markRejected(endpoint, method, failure.apiError.message);
            emit ruleRejected(endpoint, method, failure.apiError);
            return;
        }
        const QString message = tr("Could not change the limit for %1: %2").arg(endpoint, describe(failure));
        m_events.add(EventsModel::Severity::Warning, message);
        if (operation == Op::PutRule)
            m_limits.markRejected(endpoint, method, describe(failure));
        emit actionFailed(message);
        return;
    }
    case Op::PutApiKeyLimit: case Op::DeleteApiKeyLimit: {
        const QString &keyId = failure.context;
        if (operation == Op::PutApiKeyLimit && failure.kind == Kind::BadRequest) {
            m_apiKeyLimits.markRejected(keyId, {}, failure.apiError.message);
            emit apiKeyLimitRejected(keyId, failure.apiError);
            return;
        }
        const QString message = tr("Could not change the limit for API key %1: %2").arg(keyId, describe(failure));
        m_events.add(EventsModel::Severity::Warning, message);
        if (operation == Op::PutApiKeyLimit)
            m_apiKeyLimits.markRejected(keyId, {}, describe(failure));
        emit actionFailed(message);
        return;
    }
    }
}

QString ConsoleController::describe(const AdminClient::Failure &failure) const
{
    using Kind = AdminClient::ErrorKind;
    switch (failure.kind) {
    case Kind::Unreachable: return tr("service unreachable (%1)").arg(failure.detail);
    case Kind::Timeout: return tr("no answer within %1 s").arg(m_client.timeout().count() / 1000.0);
    case Kind::Unauthorized: return tr("the admin key was rejected (HTTP 401)");
    case Kind::AdminDisabled: return tr("the admin API is disabled on this server (HTTP 403)");
    case Kind::BadRequest:
    case Kind::NotFound:
    case Kind::ServerError:
        return failure.apiError.message.isEmpty() ? tr("HTTP %1").arg(failure.httpStatus)
                                                  : tr("HTTP %1: %2").arg(failure.httpStatus).arg(failure.apiError.message);
    case Kind::BadResponse: return tr("unexpected answer (%1)").arg(failure.detail);
    }
    return {};
}

void ConsoleController::setState(ConnectionState state, const QString &detail)
{
    if (state == m_state)
        return;
    const ConnectionState previous = m_state;
    m_state = state;
    switch (state) {
    case ConnectionState::Connected:
        if (previous == ConnectionState::Connecting)
            m_events.add(EventsModel::Severity::Info, tr("Connected to %1").arg(m_label));
        else
            m_events.add(EventsModel::Severity::Info, tr("Service %1 is reachable again").arg(m_label));
        break;
    case ConnectionState::Unreachable:
    case ConnectionState::Unauthorized:
    case ConnectionState::AdminDisabled:
        m_events.add(EventsModel::Severity::Error, tr("%1: %2").arg(m_label, detail));
        break;
    case ConnectionState::Idle:
    case ConnectionState::Connecting:
        break;
    }
    updateBanner();
    emit stateChanged(state);
}

void ConsoleController::updateBanner()
{
    BannerLevel level = BannerLevel::None;
    QString text;
    switch (m_state) {
    case ConnectionState::Unreachable:
        level = BannerLevel::Error;
        text = tr("Cannot reach %1. Showing the last data; retrying every %2 s.")
                   .arg(m_label).arg(m_timer.interval() / 1000.0);
        break;
    case ConnectionState::Unauthorized:
        level = BannerLevel::Error;
        text = tr("The admin key for %1 was rejected (HTTP 401). Use Connect… to enter the right key.").arg(m_label);
        break;
    case ConnectionState::AdminDisabled:
        level = BannerLevel::Error;
        text = tr("The admin API is disabled on %1 (HTTP 403): set an admin key on the server.").arg(m_label);
        break;
    case ConnectionState::Connected:
        if (m_hasRedis && m_redis.enabled && !m_redis.connected) {
            level = BannerLevel::Warning;
            text = tr("Redis at %1 is down: this instance decides in memory until it is back; "
                      "limits are no longer shared between instances.").arg(m_redis.addr);
        } else if (m_hasRedis && m_redis.health && m_redis.health->evictionRisk) {
            level = BannerLevel::Warning;
            text = tr("Redis at %1 may evict rate-limit keys (maxmemory-policy %2): an evicted key silently "
                      "resets that client's limit. Set maxmemory-policy noeviction.")
                       .arg(m_redis.addr, m_redis.health->maxmemoryPolicy);
        }
        break;
    case ConnectionState::Idle:
    case ConnectionState::Connecting:
        break;
    }
    if (level == m_bannerLevel && text == m_bannerText)
        return;
    m_bannerLevel = level;
    m_bannerText = text;
    emit bannerChanged(level, text);
}
