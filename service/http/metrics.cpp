#include "metrics.h"

#include <algorithm>

namespace {

void header(QByteArray &out, const char *name, const char *type, const char *help)
{
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

void sample(QByteArray &out, const char *name, const QByteArray &labels, qint64 value)
{
    out += name;
    if (!labels.isEmpty())
        out += '{' + labels + '}';
    out += ' ' + QByteArray::number(value) + '\n';
}

void sample(QByteArray &out, const char *name, double value)
{
    out += name;
    out += ' ' + QByteArray::number(value, 'g', 12) + '\n';
}

QByteArray seconds(qint64 us)
{
    return QByteArray::number(double(us) / 1e6, 'g', 12);
}

} // namespace

QByteArray renderMetrics(const MetricsState &state)
{
    const ServiceStats::Snapshot &s = state.stats;
    QByteArray out;
    out.reserve(4096);

    header(out, "sluice_rate_limit_requests_total", "counter", "Rate limit decisions by strategy and outcome.");
    for (Strategy strategy : {Strategy::Ip, Strategy::ApiKey, Strategy::Endpoint}) {
        for (DecisionOutcome outcome : {DecisionOutcome::Allowed, DecisionOutcome::Blocked, DecisionOutcome::StoreError}) {
            sample(out, "sluice_rate_limit_requests_total",
                   "strategy=\"" + strategyName(strategy) + "\",status=\"" + outcomeName(outcome) + '"',
                   s.requests[int(strategy)][int(outcome)]);
        }
    }
    header(out, "sluice_rate_limit_blocked_total", "counter", "Requests denied by a rate limit.");
    sample(out, "sluice_rate_limit_blocked_total", {}, s.blockedRequests());
    header(out, "sluice_rate_limit_redis_errors_total", "counter", "Failed Redis operations (command errors, lost connection).");
    sample(out, "sluice_rate_limit_redis_errors_total", {}, state.redisErrors);
    header(out, "sluice_rate_limit_bypass_attempts_total", "counter",
           "Requests that looked like attempts to dodge the limiter, by kind.");
    for (int k = 0; k < kBypassKindCount; ++k)
        sample(out, "sluice_rate_limit_bypass_attempts_total", "kind=\"" + bypassKindName(BypassKind(k)) + '"', s.bypassAttempts[k]);
    header(out, "sluice_rate_limit_fallback_decisions_total", "counter",
           "Decisions made by the in-memory fallback because Redis could not decide.");
    sample(out, "sluice_rate_limit_fallback_decisions_total", {}, s.fallbackDecisions);
    header(out, "sluice_rate_limit_config_updates_total", "counter", "Applied rate limit configuration changes.");
    sample(out, "sluice_rate_limit_config_updates_total", {}, s.configUpdates);
    header(out, "sluice_rate_limit_redis_connected", "gauge", "1 when the Redis store is connected.");
    sample(out, "sluice_rate_limit_redis_connected", {}, state.redisConnected ? 1 : 0);
    header(out, "sluice_rate_limit_store_mode", "gauge", "1 for the store mode in use (redis, memory-fallback, memory).");
    for (StoreMode mode : {StoreMode::Redis, StoreMode::MemoryFallback, StoreMode::Memory})
        sample(out, "sluice_rate_limit_store_mode", "mode=\"" + storeModeName(mode) + '"', mode == state.mode ? 1 : 0);
    header(out, "sluice_rate_limit_tracked_keys", "gauge", "Keys the store currently tracks (memory store only; 0 otherwise).");
    sample(out, "sluice_rate_limit_tracked_keys", {}, state.trackedKeys);

    if (state.redisHealth) {
        // The probe's last sample (RedisHealthProbe); absent until Redis has answered one.
        const RedisNodeHealth &h = *state.redisHealth;
        header(out, "sluice_redis_latency_seconds", "gauge", "Round trip of the last Redis health PING.");
        sample(out, "sluice_redis_latency_seconds", h.latencyMs / 1000.0);
        header(out, "sluice_redis_used_memory_bytes", "gauge", "Memory Redis uses (INFO used_memory; summed over cluster masters).");
        sample(out, "sluice_redis_used_memory_bytes", {}, h.usedMemoryBytes);
        header(out, "sluice_redis_maxmemory_bytes", "gauge", "Redis maxmemory (0: no limit).");
        sample(out, "sluice_redis_maxmemory_bytes", {}, h.maxmemoryBytes);
        header(out, "sluice_redis_eviction_risk", "gauge",
               "1 when the maxmemory policy can evict rate limit keys (anything but noeviction, with a maxmemory).");
        sample(out, "sluice_redis_eviction_risk", {}, h.evictionRisk ? 1 : 0);
        header(out, "sluice_redis_replication_lag_seconds", "gauge",
               "Replication lag in seconds (master: its slowest replica; 0 without replicas).");
        sample(out, "sluice_redis_replication_lag_seconds", h.replicationLagSeconds.value_or(0));
        // The gauges above keep the last good sample while probes fail: these two say so.
        header(out, "sluice_redis_health_probe_ok", "gauge", "1 when the last Redis health probe of every node answered.");
        sample(out, "sluice_redis_health_probe_ok", {}, h.probeError.isEmpty() ? 1 : 0);
        header(out, "sluice_redis_health_sample_age_seconds", "gauge", "Age of the Redis health sample the gauges above show.");
        sample(out, "sluice_redis_health_sample_age_seconds", std::max<qint64>(0, state.nowMs - h.checkedAtMs) / 1000.0);
    }
    if (state.redisPoolInFlight) {
        header(out, "sluice_redis_pool_in_flight", "gauge", "Commands in flight on the Redis connection pool.");
        sample(out, "sluice_redis_pool_in_flight", {}, *state.redisPoolInFlight);
    }

    header(out, "sluice_http_rejected_total", "counter",
           "Requests refused by the HTTP front before routing (limits, timeouts, malformed, connection cap).");
    for (HttpRejection reason : {HttpRejection::BadRequest, HttpRejection::BodyTooLarge, HttpRejection::HeadersTooLarge,
                                 HttpRejection::RequestTimeout, HttpRejection::ConnectionLimit})
        sample(out, "sluice_http_rejected_total", "reason=\"" + httpRejectionName(reason) + '"', s.httpRejections[int(reason)]);
    header(out, "sluice_gateway_upstream_requests_total", "counter",
           "Admitted requests forwarded to the upstream, by outcome (answered, unavailable: 502, timeout: 504).");
    for (UpstreamOutcome outcome : {UpstreamOutcome::Answered, UpstreamOutcome::Unavailable, UpstreamOutcome::Timeout})
        sample(out, "sluice_gateway_upstream_requests_total", "outcome=\"" + upstreamOutcomeName(outcome) + '"',
               s.upstream[int(outcome)]);

    header(out, "sluice_rate_limit_decision_duration_seconds", "histogram",
           "Time from receiving a request to its rate limit decision.");
    qint64 cumulative = 0;
    for (int b = 0; b < ServiceStats::kBucketCount; ++b) {
        cumulative += s.latencyBuckets[b];
        const QByteArray le = b < int(ServiceStats::kLatencyBucketsUs.size()) ? seconds(ServiceStats::kLatencyBucketsUs[b])
                                                                               : QByteArrayLiteral("+Inf");
        sample(out, "sluice_rate_limit_decision_duration_seconds_bucket", "le=\"" + le + '"', cumulative);
    }
    out += "sluice_rate_limit_decision_duration_seconds_sum " + seconds(s.latencySumUs) + '\n';
    // The count is the +Inf bucket, so the exposition stays self-consistent even though the snapshot
    // is not one atomic cut across the counters.
    sample(out, "sluice_rate_limit_decision_duration_seconds_count", {}, cumulative);
    return out;
}
