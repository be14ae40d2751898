#pragma once

#include "ratelimitstore.h"

#include <QCoreApplication>
#include <QElapsedTimer>

// Waits (running the event loop) for a store's answer to one acquire(); a missing answer is reported
// and returns a default Decision, which the caller's assertions then reject. Unlike QTest::qWaitFor it
// does not sleep in 10 ms steps, so consecutive calls are spaced by the round trip only (tests with
// windows of a few tens of milliseconds depend on that).
inline Decision acquireNow(RateLimitStore &store, const QByteArray &key, const RateLimitPolicy &policy,
                           qint64 cost = 1, int waitMs = 5000)
{
    int calls = 0;
    Decision result;
    store.acquire(key, policy, cost, [&](const Decision &d) {
        ++calls;
        result = d;
    });
    QElapsedTimer timer;
    timer.start();
    while (calls == 0 && timer.elapsed() <= waitMs)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 10);
    if (calls == 0)
        qWarning("no decision within %d ms", waitMs);
    return result;
}
