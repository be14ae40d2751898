#pragma once

#include "decision.h"
#include "ratelimitpolicy.h"

#include <QByteArray>
#include <QList>

#include <functional>

// Usage of one tracked key, as shown by stats and the console.
struct KeyUsage
{
    QByteArray key;       // full storage key, e.g. "rate_limit:ip:10.0.0.1"
    RateLimitPolicy policy;
    qint64 count = 0;     // cost units currently inside the window (token bucket: units in use)
    qint64 resetAtMs = 0; // when the quota is back to full

    double usage() const { return policy.limit > 0 ? double(count) / double(policy.limit) : 0.0; }
};

// redis: decisions in Redis; memory-fallback: Redis configured but unreachable, deciding in memory;
// memory: no Redis configured.
enum class StoreMode { Redis, MemoryFallback, Memory };
QByteArray storeModeName(StoreMode mode); // "redis", "memory-fallback", "memory"

// The role every counter store plays. Calls are asynchronous: a store may answer from inside the call
// (memory) or later on the caller's event loop (Redis), but it calls each handler exactly once.
// A store object is used from the thread that created it unless an implementation says otherwise.
class RateLimitStore
{
public:
    using DecisionHandler = std::function<void(const Decision &)>;
    using ClearHandler = std::function<void(bool existed)>;
    using UsageHandler = std::function<void(const QList<KeyUsage> &)>;

    virtual ~RateLimitStore() = default;

    // Consumes `cost` units from `key` under `policy` if they fit; never consumes on denial.
    virtual void acquire(const QByteArray &key, const RateLimitPolicy &policy, qint64 cost,
                         DecisionHandler done) = 0;
    virtual void clear(const QByteArray &key, ClearHandler done) = 0;
    // At most `n` keys with usage > 0, highest usage first. Bounded work: never copies all keys.
    virtual void topKeys(int n, UsageHandler done) = 0;
    virtual StoreMode mode() const = 0;
};
