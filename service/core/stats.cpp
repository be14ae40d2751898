#include "stats.h"

QByteArray strategyName(Strategy strategy)
{
    switch (strategy) {
    case Strategy::Ip:
        return QByteArrayLiteral("ip");
    case Strategy::ApiKey:
        return QByteArrayLiteral("api_key");
    case Strategy::Endpoint:
        return QByteArrayLiteral("endpoint");
    }
    Q_UNREACHABLE();
}

QByteArray outcomeName(DecisionOutcome outcome)
{
    switch (outcome) {
    case DecisionOutcome::Allowed:
        return QByteArrayLiteral("allowed");
    case DecisionOutcome::Blocked:
        return QByteArrayLiteral("blocked");
    case DecisionOutcome::StoreError:
        return QByteArrayLiteral("error");
    }
    Q_UNREACHABLE();
}

QByteArray httpRejectionName(HttpRejection reason)
{
    switch (reason) {
    case HttpRejection::BadRequest:
        return QByteArrayLiteral("bad_request");
    case HttpRejection::BodyTooLarge:
        return QByteArrayLiteral("body_too_large");
    case HttpRejection::HeadersTooLarge:
        return QByteArrayLiteral("headers_too_large");
    case HttpRejection::RequestTimeout:
        return QByteArrayLiteral("request_timeout");
    case HttpRejection::ConnectionLimit:
        return QByteArrayLiteral("connection_limit");
    }
    Q_UNREACHABLE();
}

QByteArray upstreamOutcomeName(UpstreamOutcome outcome)
{
    switch (outcome) {
    case UpstreamOutcome::Answered:
        return QByteArrayLiteral("answered");
    case UpstreamOutcome::Unavailable:
        return QByteArrayLiteral("unavailable");
    case UpstreamOutcome::Timeout:
        return QByteArrayLiteral("timeout");
    }
    Q_UNREACHABLE();
}

QByteArray bypassKindName(BypassKind kind)
{
    switch (kind) {
    case BypassKind::UntrustedForwardedHeader:
        return QByteArrayLiteral("untrusted_forwarded_header");
    case BypassKind::ApiKeyCycling:
        return QByteArrayLiteral("api_key_cycling");
    case BypassKind::MalformedIdentityHeader:
        return QByteArrayLiteral("malformed_identity_header");
    }
    Q_UNREACHABLE();
}

void ServiceStats::recordBypassAttempt(BypassKind kind)
{
    m_bypassAttempts[int(kind)].fetch_add(1, std::memory_order_relaxed);
}

void ServiceStats::recordHttpRejection(HttpRejection reason)
{
    m_httpRejections[int(reason)].fetch_add(1, std::memory_order_relaxed);
}

void ServiceStats::recordUpstream(UpstreamOutcome outcome)
{
    m_upstream[int(outcome)].fetch_add(1, std::memory_order_relaxed);
}

void ServiceStats::recordDecision(Strategy strategy, DecisionOutcome outcome, qint64 latencyUs)
{
    m_requests[int(strategy)][int(outcome)].fetch_add(1, std::memory_order_relaxed);
    int bucket = 0;
    while (bucket < int(kLatencyBucketsUs.size()) && latencyUs > kLatencyBucketsUs[bucket])
        ++bucket;
    m_latencyBuckets[bucket].fetch_add(1, std::memory_order_relaxed);
    m_latencyCount.fetch_add(1, std::memory_order_relaxed);
    m_latencySumUs.fetch_add(latencyUs, std::memory_order_relaxed);
}

void ServiceStats::recordConfigUpdate()
{
    m_configUpdates.fetch_add(1, std::memory_order_relaxed);
}

void ServiceStats::recordFallbackDecision()
{
    m_fallbackDecisions.fetch_add(1, std::memory_order_relaxed);
}

ServiceStats::Snapshot ServiceStats::snapshot() const
{
    Snapshot s;
    for (int i = 0; i < kStrategyCount; ++i) {
        for (int j = 0; j < kOutcomeCount; ++j)
            s.requests[i][j] = m_requests[i][j].load(std::memory_order_relaxed);
    }
    s.configUpdates = m_configUpdates.load(std::memory_order_relaxed);
    s.fallbackDecisions = m_fallbackDecisions.load(std::memory_order_relaxed);
    for (int k = 0; k < kBypassKindCount; ++k)
        s.bypassAttempts[k] = m_bypassAttempts[k].load(std::memory_order_relaxed);
    for (int b = 0; b < kBucketCount; ++b)
        s.latencyBuckets[b] = m_latencyBuckets[b].load(std::memory_order_relaxed);
    s.latencyCount = m_latencyCount.load(std::memory_order_relaxed);
    s.latencySumUs = m_latencySumUs.load(std::memory_order_relaxed);
    for (int i = 0; i < kHttpRejectionCount; ++i)
        s.httpRejections[i] = m_httpRejections[i].load(std::memory_order_relaxed);
    for (int i = 0; i < kUpstreamOutcomeCount; ++i)
        s.upstream[i] = m_upstream[i].load(std::memory_order_relaxed);
    return s;
}

qint64 ServiceStats::Snapshot::requestsWith(DecisionOutcome outcome) const
{
    qint64 n = 0;
    for (int i = 0; i < kStrategyCount; ++i)
        n += requests[i][int(outcome)];
    return n;
}

qint64 ServiceStats::Snapshot::totalRequests() const
{
    return requestsWith(DecisionOutcome::Allowed) + requestsWith(DecisionOutcome::Blocked)
           + requestsWith(DecisionOutcome::StoreError);
}

qint64 ServiceStats::Snapshot::blockedRequests() const
{
    return requestsWith(DecisionOutcome::Blocked);
}

double ServiceStats::Snapshot::latencyQuantileUs(double q) const
{
    qint64 total = 0;
    for (qint64 c : latencyBuckets)
        total += c;
    if (total == 0)
        return 0;
    const double rank = q * double(total);
    double seen = 0;
    for (int b = 0; b < kBucketCount; ++b) {
        const double lower = b == 0 ? 0.0 : double(kLatencyBucketsUs[b - 1]);
        // The +Inf bucket has no upper bound; report its lower bound.
        const double upper = b < int(kLatencyBucketsUs.size()) ? double(kLatencyBucketsUs[b]) : lower;
        if (seen + double(latencyBuckets[b]) >= rank && latencyBuckets[b] > 0)
            return lower + (upper - lower) * (rank - seen) / double(latencyBuckets[b]);
        seen += double(latencyBuckets[b]);
    }
    return double(kLatencyBucketsUs.back());
}
