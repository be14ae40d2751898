#include "adminauththrottle.h"

#include <QLocale>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcAdmin, "sluice.admin")

AdminAuthThrottle::AdminAuthThrottle(const Clock &clock, Sink sink)
    : m_clock(clock), m_sink(std::move(sink))
{
    if (!m_sink)
        m_sink = [](const QString &line) { qCWarning(lcAdmin).noquote() << line; };
}

void AdminAuthThrottle::endWindow(const QByteArray &peer, const Window &window)
{
    if (window.failures > 1)
        m_sink(QStringLiteral("admin authentication failed from %1 ... and %2 more in the last %3 s")
                   .arg(QString::fromLatin1(peer), QLocale(QLocale::English).toString(window.failures - 1))
                   .arg(kWindowMs / 1000));
}

qint64 AdminAuthThrottle::blockedForMs(const QByteArray &peer)
{
    const auto it = m_peers.constFind(peer);
    if (it == m_peers.cend() || it->failures < kMaxFailures)
        return 0;
    const qint64 left = it->startMs + kWindowMs - m_clock.nowMs();
    return left > 0 ? left : 0;
}

void AdminAuthThrottle::makeRoom(qint64 nowMs)
{
    for (auto it = m_peers.begin(); it != m_peers.end();) {
        if (nowMs - it->startMs >= kWindowMs) {
            endWindow(it.key(), *it);
            it = m_peers.erase(it);
        } else {
            ++it;
        }
    }
    if (m_peers.size() < kMaxTrackedPeers)
        return;
    auto oldest = m_peers.begin();
    for (auto it = m_peers.begin(); it != m_peers.end(); ++it) {
        if (it->startMs < oldest->startMs)
            oldest = it;
    }
    endWindow(oldest.key(), *oldest);
    m_peers.erase(oldest);
}

void AdminAuthThrottle::recordFailure(const QByteArray &peer)
{
    const qint64 now = m_clock.nowMs();
    auto it = m_peers.find(peer);
    if (it != m_peers.end() && now - it->startMs < kWindowMs) {
        ++it->failures;
        return;
    }
    if (it != m_peers.end()) {
        endWindow(peer, *it);
        *it = Window{now, 1};
    } else {
        if (m_peers.size() >= kMaxTrackedPeers)
            makeRoom(now);
        m_peers.insert(peer, Window{now, 1});
    }
    m_sink(QStringLiteral("admin authentication failed from %1").arg(QString::fromLatin1(peer)));
}
