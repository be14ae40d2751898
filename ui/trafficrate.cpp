#include "trafficrate.h"

TrafficRate::Outcome TrafficRate::update(qint64 timeMs, qint64 total, qint64 blocked)
{
    const bool hadBaseline = m_hasBaseline;
    const bool reset = hadBaseline && (total < m_total || blocked < m_blocked);
    const qint64 dt = timeMs - m_timeMs;
    const qint64 dTotal = total - m_total;
    const qint64 dBlocked = blocked - m_blocked;
    m_hasBaseline = true;
    m_timeMs = timeMs;
    m_total = total;
    m_blocked = blocked;
    if (reset) {
        m_rates.reset();
        return Outcome::CounterReset;
    }
    if (!hadBaseline || dt <= 0) {
        m_rates.reset();
        return Outcome::Baseline;
    }
    const double seconds = double(dt) / 1000.0;
    m_rates = Rates{double(dTotal - dBlocked) / seconds, double(dBlocked) / seconds};
    return Outcome::Rate;
}

void TrafficRate::reset()
{
    *this = TrafficRate();
}
