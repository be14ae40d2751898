#pragma once

#include <QtGlobal>

#include <optional>

// Turns the service's monotonic total/blocked counters into per-second rates from the difference
// between two polls. A counter that goes down means the service restarted: the pair is dropped and
// the new values become the baseline, so a restart never shows as a negative or huge spike.
// Plain value type; no Qt objects.
class TrafficRate
{
public:
    struct Rates
    {
        double allowedPerSecond = 0;
        double blockedPerSecond = 0;
    };
    enum class Outcome { Baseline, Rate, CounterReset };

    // `timeMs` is any monotonic millisecond clock (the service's snapshot time when available).
    Outcome update(qint64 timeMs, qint64 total, qint64 blocked);
    std::optional<Rates> rates() const { return m_rates; }
    void reset();

private:
    bool m_hasBaseline = false;
    qint64 m_timeMs = 0;
    qint64 m_total = 0;
    qint64 m_blocked = 0;
    std::optional<Rates> m_rates;
};
