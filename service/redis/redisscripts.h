#pragma once

#include "ratelimitpolicy.h"

#include <QByteArray>

// The Lua scripts the Redis store runs, one per algorithm plus a read-only usage script for stats.
// Each decision is one EVALSHA, atomic in Redis, on Redis' clock (TIME inside the script), with the
// exact integer semantics of the memory store (service/core: SlidingLog, SlidingWindowCounter,
// TokenBucket); all intermediates stay below 2^53, so Lua doubles are exact.
//
// Decision scripts:
//   KEYS[1] = the limited key, KEYS[2] = the index (optional: without it nothing is indexed)
//   ARGV    = limit, window ms, cost, burst (token bucket) or request id (sliding log; members are
//             "<request id>:<unit>", unique per request), index member
//   returns {allowed, remaining, now, resetAt, retryAfter, impossible} (integers), plus a 7th
//   element, the index score, when KEYS[2] is absent and the index needs a touch (cluster mode:
//   the caller sends ZADD <index> <score> <member> itself)
// Every key written gets a TTL in the same script. A key holding another algorithm's state is
// started fresh (deleted when first written).
//
// The index (ZSET, member "<algo>:<limit>:<window>:<burst>:<key>", score = an upper bound of the
// key's expiry in ms) is touched only when a key starts or its expiry moves into a new refresh slot
// of max(IndexRefreshMs, W/8) ms, so a hot key costs one ZADD (+ PEXPIRE) per slot, not one per
// request, and a member outlives its key by at most one slot. A new
// member also trims members whose score has passed. The index's own TTL is IndexTtlMs, refreshed on
// every touch: above any member's score - now, so a live member never outlives the index.
//
// Usage script (read-only): KEYS[1] = index, ARGV[1] = how many of the most recently refreshed
// members to read; returns a flat list {key, algo, limit, window, burst, count, resetAt, ...} for
// keys with count > 0, each key once (its newest member).
// Key usage script (read-only, cluster mode): KEYS[1] = one key, ARGV[1] = its index member; the
// same list for that key alone.
namespace RedisScripts {

struct Script
{
    QByteArray source;
    QByteArray sha; // lower-case hex SHA-1 of source, as EVALSHA expects
};

const Script &forAlgorithm(Algorithm algorithm);
const Script &usage();
const Script &keyUsage();
// Short names used in index members: "log", "swc", "tb".
QByteArray algorithmCode(Algorithm algorithm);

inline constexpr int IndexRefreshMs = 1000;
// Above every index score - now, which is at most W + max(IndexRefreshMs, W/8) + 2.
inline constexpr qint64 IndexTtlMs = RateLimitPolicy::MaxWindowMs + RateLimitPolicy::MaxWindowMs / 8 + 2 * IndexRefreshMs;
// Upper bound on the index members the usage script reads per call.
inline constexpr int MaxUsageScan = 1000;

} // namespace RedisScripts
