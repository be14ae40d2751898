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

    qint64 effectiveBurst() const { return burst > 0 ? burst : limit; }
    friend bool operator==(const RateLimitPolicy &, const RateLimitPolicy &) = default;
};

// Stable, untranslated names used in the admin API, config files and Redis: "sliding_log",
// "sliding_window_counter", "token_bucket".
QString algorithmName(Algorithm algorithm);
std::optional<Algorithm> algorithmFromName(QStringView name);
