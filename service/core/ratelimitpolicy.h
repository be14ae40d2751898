#pragma once

#include <QString>
#include <QtGlobal>

#include <optional>

// How a key is limited. Plain value type, cheap to copy.
enum class Algorithm {
    SlidingLog,           // exact: at most `limit` in every interval of `windowMs`
    SlidingWindowCounter, // O(1) state: current + previous fixed window, weighted
    TokenBucket,          // GCRA: `limit` per `windowMs`, bursts up to `burst`
};

struct RateLimitPolicy
{
    Algorithm algorithm = Algorithm::SlidingLog;
    qint64 limit = 60;        // requests (cost units) per window
    qint64 windowMs = 60'000; // window length
    qint64 burst = 0;         // token bucket capacity; 0 means `limit`

    // Valid ranges. They keep every intermediate of the algorithms below 2^53, so the Redis scripts
    // (Lua doubles) compute bit for bit what the memory store computes.
    static constexpr qint64 MaxWindowMs = 86'400'000;
    static constexpr qint64 MaxLimit = 100'000'000;        // sliding window counter, token bucket
    static constexpr qint64 MaxSlidingLogLimit = 100'000;  // the log keeps state per cost unit
    static constexpr qint64 MaxBurst = 100'000'000;

    qint64 effectiveBurst() const { return burst > 0 ? burst : limit; }
    // Empty when the policy is within the valid ranges, otherwise a message naming the first bad
    // field (untranslated; it goes into config errors and API error bodies).
    QString validate() const;
    // Same ranges as validate(), without building a message: cheap enough for every decision.
    bool isValid() const
    {
        const qint64 maxLimit = algorithm == Algorithm::SlidingLog ? MaxSlidingLogLimit : MaxLimit;
        return windowMs >= 1 && windowMs <= MaxWindowMs && limit >= 1 && limit <= maxLimit && burst >= 0
                && burst <= MaxBurst;
    }
    friend bool operator==(const RateLimitPolicy &, const RateLimitPolicy &) = default;
};

// Stable, untranslated names used in the admin API, config files and Redis: "sliding_log",
// "sliding_window_counter", "token_bucket".
QString algorithmName(Algorithm algorithm);
std::optional<Algorithm> algorithmFromName(QStringView name);
