#pragma once

#include <QtGlobal>

// Where a decision was made. StoreError means neither the shared store nor a fallback could decide.
enum class DecisionSource { Memory, Redis, MemoryFallback };

// The outcome of one acquire(). All times are milliseconds since the Unix epoch.
// - remaining: cost units still admissible right after this decision.
// - resetAtMs: the moment the quota is back to full `limit` if no further request arrives
//   (feeds X-RateLimit-Reset).
// - retryAfterMs: 0 when allowed; otherwise the exact wait after `nowMs` until the same request
//   (same cost) would be admitted. A retry at nowMs + retryAfterMs is admitted, 1 ms earlier is not.
//   For a cost above the limit it can never be admitted: `impossible` is set and nothing was consumed.
struct Decision
{
    bool allowed = false;
    qint64 limit = 0;
    qint64 remaining = 0;
    qint64 nowMs = 0;
    qint64 resetAtMs = 0;
    qint64 retryAfterMs = 0;
    bool impossible = false;
    DecisionSource source = DecisionSource::Memory;
};
