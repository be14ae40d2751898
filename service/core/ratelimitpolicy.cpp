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
