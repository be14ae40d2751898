#pragma once

#include "decision.h"

#include <QtGlobal>

// Token bucket as GCRA (generic cell rate algorithm): `limit` cost units per `windowMs`, bursts up to
// `burst`. Instead of tokens it keeps the theoretical arrival time TAT in exact fixed point with unit
// 1/limit ms: TAT = tatMs + tatSub / limit. One unit of cost moves TAT by W/L ms, i.e. W sub-units.
//     diff = max(0, TAT - now) in sub-units,  admit iff diff + c * W <= B * W.
// Integer only, identical to the Redis script. Over any interval of length T it admits at most
// B + floor(T * L / W) units (B up front, then one unit per W/L ms).
//
// State is 16 bytes and never allocates. Plain value type; not synchronized (the owner locks).
class TokenBucket
{
public:
    Decision acquire(qint64 limit, qint64 windowMs, qint64 burst, qint64 cost, qint64 nowMs);

    // Units in use at nowMs: ceil(diff / W), i.e. burst - remaining.
    qint64 used(qint64 limit, qint64 windowMs, qint64 nowMs) const;
    // When the bucket is full again: now + ceil(diff / L).
    qint64 resetAtMs(qint64 limit, qint64 nowMs) const;
    // From this moment on the state is equivalent to a fresh one.
    qint64 expiresAtMs() const { return m_tatMs + 1; }

    qint64 tatMs() const { return m_tatMs; }
    qint64 tatSub() const { return m_tatSub; }

private:
    qint64 diffAt(qint64 limit, qint64 nowMs) const;

    qint64 m_tatMs = 0;
    qint32 m_tatSub = 0; // 0 <= m_tatSub < limit <= RateLimitPolicy::MaxLimit
};
