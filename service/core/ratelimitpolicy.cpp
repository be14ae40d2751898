#include "ratelimitpolicy.h"

QString algorithmName(Algorithm algorithm)
{
    switch (algorithm) {
    case Algorithm::SlidingLog:
        return QStringLiteral("sliding_log");
    case Algorithm::SlidingWindowCounter:
        return QStringLiteral("sliding_window_counter");
    case Algorithm::TokenBucket:
        return QStringLiteral("token_bucket");
    }
    Q_UNREACHABLE();
}

std::optional<Algorithm> algorithmFromName(QStringView name)
{
    for (Algorithm a : {Algorithm::SlidingLog, Algorithm::SlidingWindowCounter, Algorithm::TokenBucket}) {
        if (name == algorithmName(a))
            return a;
    }
    return std::nullopt;
}

QString RateLimitPolicy::validate() const
{
    if (isValid())
        return {};
    if (windowMs < 1 || windowMs > MaxWindowMs)
        return QStringLiteral("window must be between 1 ms and %1 ms, got %2 ms").arg(MaxWindowMs).arg(windowMs);
    const qint64 maxLimit = algorithm == Algorithm::SlidingLog ? MaxSlidingLogLimit : MaxLimit;
    if (limit < 1 || limit > maxLimit) {
        return QStringLiteral("limit must be between 1 and %1 for %2, got %3")
                .arg(maxLimit)
                .arg(algorithmName(algorithm))
                .arg(limit);
    }
    // Window and limit are fine, so the burst is what isValid() rejected.
    return QStringLiteral("burst must be between 1 and %1 (0 means the limit), got %2").arg(MaxBurst).arg(burst);
}
