#include "slidingwindowcounter.h"

#include <algorithm>

namespace {

// Floor division that stays correct for a negative numerator (possible only after an operator
// lowered the limit of a busy key).
qint64 floorDiv(qint64 a, qint64 b)
{
    const qint64 q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

} // namespace

SlidingWindowCounter::View SlidingWindowCounter::rolled(qint64 windowMs, qint64 nowMs) const
{
    View v{m_windowStart, m_current, m_previous};
    if (nowMs >= v.start + 2 * windowMs) {
        v.previous = 0;
        v.current = 0;
    } else if (nowMs >= v.start + windowMs) {
        v.previous = v.current;
        v.current = 0;
    }
    v.start = nowMs - nowMs % windowMs;
    return v;
}

Decision SlidingWindowCounter::acquire(qint64 limit, qint64 windowMs, qint64 cost, qint64 nowMs)
{
    View v = rolled(windowMs, nowMs);
    m_windowStart = v.start;
    m_current = qint32(v.current);
    m_previous = qint32(v.previous);

    const qint64 w = windowMs;
    const qint64 e = nowMs - v.start;
    const qint64 prevWeight = v.previous * (w - e);

    Decision d;
    d.limit = limit;
    d.nowMs = nowMs;
    if (cost > limit) {
        d.impossible = true;
    } else if (prevWeight + (v.current + cost) * w <= limit * w) {
        d.allowed = true;
        v.current += cost;
        m_current = qint32(v.current);
    } else {
        qint64 retryAt = 0;
        bool found = false;
        if (limit - v.current - cost >= 0 && v.previous > 0) {
            const qint64 first = w - (limit - v.current - cost) * w / v.previous;
            if (first < w) {
                retryAt = v.start + first;
                found = true;
            }
        }
        if (!found) {
            const qint64 inNext = v.current == 0 ? 0 : std::max<qint64>(0, w - (limit - cost) * w / v.current);
            retryAt = v.start + w + inNext;
        }
        d.retryAfterMs = retryAt - nowMs;
    }
    d.remaining = std::max<qint64>(0, floorDiv(limit * w - prevWeight, w) - v.current);
    d.resetAtMs = v.current > 0 ? v.start + 2 * w : (v.previous > 0 ? v.start + w : nowMs);
    return d;
}

qint64 SlidingWindowCounter::used(qint64 limit, qint64 windowMs, qint64 nowMs) const
{
    const View v = rolled(windowMs, nowMs);
    const qint64 e = nowMs - v.start;
    const qint64 remaining = std::max<qint64>(0, floorDiv(limit * windowMs - v.previous * (windowMs - e), windowMs) - v.current);
    return std::max<qint64>(0, limit - remaining);
}

qint64 SlidingWindowCounter::resetAtMs(qint64 windowMs, qint64 nowMs) const
{
    const View v = rolled(windowMs, nowMs);
    return v.current > 0 ? v.start + 2 * windowMs : (v.previous > 0 ? v.start + windowMs : nowMs);
}
