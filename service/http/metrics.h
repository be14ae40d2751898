#pragma once

#include "ratelimitstore.h"
#include "redishealth.h"
#include "stats.h"

#include <QByteArray>

#include <optional>

// Renders the service counters in the Prometheus text exposition format (version 0.0.4).
// Every name starts with "sluice_"; the guide's names follow "sluice_rate_limit_".
struct MetricsState
{
    ServiceStats::Snapshot stats;
    StoreMode mode = StoreMode::Memory;
    bool redisConnected = false;
    qint64 redisErrors = 0; // the Redis store's own count (RedisRateLimitStore::errorsTotal)
    qint64 trackedKeys = 0;
    std::optional<RedisNodeHealth> redisHealth; // the probe's last sample (aggregate in a cluster)
    qint64 nowMs = 0;                            // epoch ms, for the sample's age
    std::optional<qint64> redisPoolInFlight;     // with a Redis store
};

QByteArray renderMetrics(const MetricsState &state);
