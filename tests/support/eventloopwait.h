#pragma once

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QTimer>

// Waiting on the event loop for tests that drive real processes and sockets.

// Runs the event loop for `ms`. Not QTest::qWait: that sleeps 10 ms between event batches, which
// would add up to 10 ms to every latency a load generator measures.
inline void spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// Polls `condition` on the event loop (traffic keeps flowing meanwhile) for up to `timeoutMs`.
template<typename F>
bool eventually(F condition, int timeoutMs = 5000)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (condition())
            return true;
        spin(25);
    }
    return condition();
}
