#include "tokenbucket.h"

#include <algorithm>

namespace {

qint64 ceilDiv(qint64 a, qint64 b)
{
    return a <= 0 ? 0 : (a + b - 1) / b;
}

} // namespace

qint64 TokenBucket::diffAt(qint64 limit, qint64 nowMs) const
{
    if (m_tatMs < nowMs)
        return 0;
    return (m_tatMs - nowMs) * limit + m_tatSub;
}

Decision TokenBucket::acquire(qint64 limit, qint64 windowMs, qint64 burst, qint64 cost, qint64 nowMs)
{
    // tatSub can only reach the limit after an operator lowered the limit of a live key; normalise
    // so TAT keeps its meaning in milliseconds.
    if (m_tatSub >= limit) {
        m_tatMs += m_tatSub / limit;
        m_tatSub = qint32(m_tatSub % limit);
    }
    const qint64 capacity = burst * windowMs;
    const qint64 diff = diffAt(limit, nowMs);

    Decision d;
    d.limit = burst;
    d.nowMs = nowMs;
    if (cost > burst) {
        d.impossible = true;
        d.remaining = std::max<qint64>(0, (capacity - diff) / windowMs);
        d.resetAtMs = nowMs + ceilDiv(diff, limit);
        return d;
    }
    const qint64 newDiff = diff + cost * windowMs;
    if (newDiff <= capacity) {
        d.allowed = true;
        m_tatMs = nowMs + newDiff / limit;
        m_tatSub = qint32(newDiff % limit);
        d.remaining = (capacity - newDiff) / windowMs;
        d.resetAtMs = nowMs + ceilDiv(newDiff, limit);
    } else {
        d.retryAfterMs = ceilDiv(newDiff - capacity, limit);
        d.remaining = std::max<qint64>(0, (capacity - diff) / windowMs);
        d.resetAtMs = nowMs + ceilDiv(diff, limit);
    }
    return d;
}

qint64 TokenBucket::used(qint64 limit, qint64 windowMs, qint64 nowMs) const
{
    return ceilDiv(diffAt(limit, nowMs), windowMs);
}

qint64 TokenBucket::resetAtMs(qint64 limit, qint64 nowMs) const
{
    return nowMs + ceilDiv(diffAt(limit, nowMs), limit);
}
