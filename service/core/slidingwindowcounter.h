#pragma once

#include "decision.h"

#include <QtGlobal>

// Sliding window counter: two fixed windows aligned to multiples of W (start s = now - now mod W),
// the previous one weighted by the part of it still inside the sliding window:
//     admit iff prev * (W - e) + (curr + c) * W <= L * W,   e = now - s.
// Exact integer arithmetic, identical to the Redis script (see the brief for the formulas).
//
// Error bound: the estimate assumes the previous window's requests were spread evenly, so it is not
// exact for bursts. What holds for every arrival sequence:
//   - every aligned window [kW, (k+1)W) admits at most L cost units (curr alone is <= L), and
//   - any interval of length W admits strictly fewer than 2L: it covers the tail of one aligned
//     window (at most prev units) and the head of the next up to offset e < W, where the admission
//     rule allows at most L - prev * (W - e) / W, so the total is at most L + prev * e / W < 2L.
// Compared with the exact sliding log it can admit up to ~2x in a worst-case burst at a window edge,
// and it can also deny early when the previous window was busy near its start.
//
// State is 16 bytes and never allocates. Plain value type; not synchronized (the owner locks).
class SlidingWindowCounter
{
public:
    Decision acquire(qint64 limit, qint64 windowMs, qint64 cost, qint64 nowMs);

    // Cost units the estimate counts at nowMs (limit - remaining), without changing the state.
    qint64 used(qint64 limit, qint64 windowMs, qint64 nowMs) const;
    // The first moment the estimate is zero if nothing else arrives.
    qint64 resetAtMs(qint64 windowMs, qint64 nowMs) const;
    // From this moment on the state is equivalent to a fresh one (nothing left to remember).
    qint64 expiresAtMs(qint64 windowMs) const { return m_windowStart + 2 * windowMs; }

    qint64 windowStartMs() const { return m_windowStart; }
    qint64 current() const { return m_current; }
    qint64 previous() const { return m_previous; }

private:
    struct View
    {
        qint64 start;
        qint64 current;
        qint64 previous;
    };
    View rolled(qint64 windowMs, qint64 nowMs) const;

    qint64 m_windowStart = 0;
    // Both are <= limit <= RateLimitPolicy::MaxLimit, which fits 32 bits; arithmetic is 64-bit.
    qint32 m_current = 0;
    qint32 m_previous = 0;
};
