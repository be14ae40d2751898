#pragma once

#include "clock.h"

#include <QByteArray>
#include <QHash>

#include <functional>

// Rate limits failed admin authentications per peer address: after kMaxFailures failures within
// kWindowMs of the first, the peer is refused (even with a correct key) until that window ends.
// Logging is summarised: the first failure of a window is logged at once, the rest as one
// "... and N more" line when the window ends. No key is ever logged. Bounded memory: at most
// kMaxTrackedPeers peers; at the cap, ended windows are dropped first, then the oldest window.
// Not thread-safe: used from the service's thread (the admin API runs there).
class AdminAuthThrottle
{
public:
    static constexpr int kMaxFailures = 10;
    static constexpr qint64 kWindowMs = 60'000;
    static constexpr qsizetype kMaxTrackedPeers = 4096;
    using Sink = std::function<void(const QString &line)>;

    // `clock` must outlive the throttle. The default sink logs to "sluice.admin" as a warning.
    explicit AdminAuthThrottle(const Clock &clock, Sink sink = {});

    // Milliseconds until `peer` may authenticate again; 0 when it is not blocked.
    qint64 blockedForMs(const QByteArray &peer);
    void recordFailure(const QByteArray &peer);
    qsizetype trackedPeers() const { return m_peers.size(); }

private:
    struct Window
    {
        qint64 startMs = 0;
        qint64 failures = 0;
    };
    void endWindow(const QByteArray &peer, const Window &window);
    void makeRoom(qint64 nowMs);

    const Clock &m_clock;
    Sink m_sink;
    QHash<QByteArray, Window> m_peers;
};
