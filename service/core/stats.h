#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <array>
#include <atomic>

// Which of the guide's three strategies decided a request.
enum class Strategy { Ip, ApiKey, Endpoint };
inline constexpr int kStrategyCount = 3;
QByteArray strategyName(Strategy strategy); // "ip", "api_key", "endpoint"

// How a decision ended. StoreError: no store (nor fallback) could decide; the client got a 503.
enum class DecisionOutcome { Allowed, Blocked, StoreError };
inline constexpr int kOutcomeCount = 3;
QByteArray outcomeName(DecisionOutcome outcome); // "allowed", "blocked", "error"

// Requests the HTTP front refused before any handler saw them, and why.
enum class HttpRejection { BadRequest, BodyTooLarge, HeadersTooLarge, RequestTimeout, ConnectionLimit };
inline constexpr int kHttpRejectionCount = 5;
QByteArray httpRejectionName(HttpRejection reason); // "bad_request", "body_too_large", ...

// What happened to a request the gateway admitted and forwarded.
enum class UpstreamOutcome { Answered, Unavailable, Timeout };
inline constexpr int kUpstreamOutcomeCount = 3;
QByteArray upstreamOutcomeName(UpstreamOutcome outcome); // "answered", "unavailable", "timeout"

// Attempts to dodge the limiter, seen on the check endpoint and the gateway.
// UntrustedForwardedHeader: X-Forwarded-For / X-Real-IP / X-Forwarded-Uri / X-Original-URI from a peer
// outside TRUSTED_PROXIES (ignored, but counted). ApiKeyCycling: one address using more distinct API
// keys within a window than a client plausibly has. MalformedIdentityHeader: an Authorization that is
// not a usable Bearer token, or an X-API-Key that is empty, oversized or holds control characters.
enum class BypassKind { UntrustedForwardedHeader, ApiKeyCycling, MalformedIdentityHeader };
inline constexpr int kBypassKindCount = 3;
QByteArray bypassKindName(BypassKind kind); // "untrusted_forwarded_header", "api_key_cycling", "malformed_identity_header"

// The one declaration of every counter of the service. /metrics, the admin stats and the tests all
// read these; nothing else keeps a parallel count. All members are lock-free atomics, so any thread
// may record or read (a snapshot is not one atomic cut across counters, which is fine for monitoring).
class ServiceStats
{
public:
    // Upper bounds (inclusive) of the decision latency histogram buckets, in microseconds; +Inf follows.
    static constexpr std::array<qint64, 12> kLatencyBucketsUs{50, 100, 250, 500, 1'000, 2'500, 5'000,
                                                              10'000, 25'000, 50'000, 100'000, 250'000};
    static constexpr int kBucketCount = int(kLatencyBucketsUs.size()) + 1;

    struct Snapshot
    {
        qint64 requests[kStrategyCount][kOutcomeCount] = {};
        qint64 configUpdates = 0;
        qint64 fallbackDecisions = 0;
        qint64 latencyBuckets[kBucketCount] = {}; // per bucket, not cumulative
        qint64 latencyCount = 0;
        qint64 latencySumUs = 0;
        qint64 httpRejections[kHttpRejectionCount] = {};
        qint64 upstream[kUpstreamOutcomeCount] = {};
        qint64 bypassAttempts[kBypassKindCount] = {};

        qint64 totalRequests() const;   // every decision, whatever its outcome
        qint64 blockedRequests() const; // denied by a limit
        qint64 requestsWith(DecisionOutcome outcome) const;
        // Estimate from the histogram (linear inside the bucket); 0 when nothing was recorded.
        double latencyQuantileUs(double q) const;
    };

    void recordDecision(Strategy strategy, DecisionOutcome outcome, qint64 latencyUs);
    void recordConfigUpdate();
    // A decision was made by the memory fallback because the shared store (Redis) could not decide.
    void recordFallbackDecision();
    void recordHttpRejection(HttpRejection reason);
    void recordUpstream(UpstreamOutcome outcome);
    void recordBypassAttempt(BypassKind kind);

    Snapshot snapshot() const;

private:
    std::atomic<qint64> m_requests[kStrategyCount][kOutcomeCount] = {};
    std::atomic<qint64> m_configUpdates{0};
    std::atomic<qint64> m_fallbackDecisions{0};
    std::atomic<qint64> m_latencyBuckets[kBucketCount] = {};
    std::atomic<qint64> m_latencyCount{0};
    std::atomic<qint64> m_latencySumUs{0};
    std::atomic<qint64> m_httpRejections[kHttpRejectionCount] = {};
    std::atomic<qint64> m_upstream[kUpstreamOutcomeCount] = {};
    std::atomic<qint64> m_bypassAttempts[kBypassKindCount] = {};
};
