#pragma once

#include "clock.h"

#include <atomic>
#include <chrono>

// A clock that moves only when a test says so. Thread-safe, so hammering tests can share it.
class ManualClock final : public Clock
{
public:
    explicit ManualClock(qint64 startMs = 1'700'000'000'000) : m_now(startMs) {}

    qint64 nowMs() const override { return m_now.load(std::memory_order_relaxed); }
    void setNowMs(qint64 ms) { m_now.store(ms, std::memory_order_relaxed); }
    void advance(std::chrono::milliseconds d) { m_now.fetch_add(d.count(), std::memory_order_relaxed); }

private:
    std::atomic<qint64> m_now;
};
