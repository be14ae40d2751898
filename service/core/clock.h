#pragma once

#include <QtGlobal>

// Source of time for every limiter decision, in milliseconds since the Unix epoch.
// Injected everywhere so that tests drive windows with a manual clock instead of sleeping.
// Implementations must be safe to call from any thread.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual qint64 nowMs() const = 0;
};

// Wall-clock time; the one place in service/core that reads the system clock.
class SystemClock final : public Clock
{
public:
    qint64 nowMs() const override;
};
