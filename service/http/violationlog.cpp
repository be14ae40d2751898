#include "violationlog.h"

#include <QDateTime>
#include <QLocale>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcViolation, "sluice.violation")

ViolationLog::ViolationLog(const Clock &clock, int capacity, Sink sink)
    : m_clock(clock), m_sink(std::move(sink))
{
    m_ring.resize(size_t(std::max(1, capacity)));
    if (!m_sink)
        m_sink = [](const QString &line) { qCInfo(lcViolation).noquote() << line; };
}

QString ViolationLog::format(const Entry &e)
{
    return QStringLiteral("violation time=%1 client=%2 key=%3 rule=\"%4\" limit=%5 retry_after_ms=%6")
        .arg(QDateTime::fromMSecsSinceEpoch(e.timeMs, Qt::UTC).toString(Qt::ISODateWithMs),
             QString::fromUtf8(e.client), QString::fromUtf8(e.key), QString::fromUtf8(e.rule))
        .arg(e.limit)
        .arg(e.retryAfterMs);
}

void ViolationLog::emitSummary(const QByteArray &key, qint64 suppressed)
{
    m_sink(QStringLiteral("violation key=%1 ... and %2 more in the last %3 s")
               .arg(QString::fromUtf8(key), QLocale(QLocale::English).toString(suppressed))
               .arg(kSummaryWindowMs / 1000));
}

void ViolationLog::flushLocked(qint64 nowMs)
{
    for (auto it = m_tracked.begin(); it != m_tracked.end();) {
        if (nowMs - it->windowStartMs >= kSummaryWindowMs) {
            if (it->suppressed > 0)
                emitSummary(it.key(), it->suppressed);
            it = m_tracked.erase(it);
        } else {
            ++it;
        }
    }
    if (m_overflowSuppressed > 0 && nowMs - m_overflowStartMs >= kSummaryWindowMs) {
        emitSummary(QByteArrayLiteral("(other keys)"), m_overflowSuppressed);
        m_overflowSuppressed = 0;
    }
}

void ViolationLog::record(Entry entry)
{
    QMutexLocker lock(&m_lock);
    const qint64 now = entry.timeMs;
    ++m_total;
    m_ring[size_t(m_next)] = entry;
    m_next = (m_next + 1) % qsizetype(m_ring.size());

    auto it = m_tracked.find(entry.key);
    if (it != m_tracked.end()) {
        if (now - it->windowStartMs < kSummaryWindowMs) {
            ++it->suppressed;
            return;
        }
        if (it->suppressed > 0)
            emitSummary(entry.key, it->suppressed);
        *it = Tracked{now, 0};
        m_sink(format(entry));
        return;
    }
    if (m_tracked.size() >= kMaxTrackedKeys)
        flushLocked(now);
    if (m_tracked.size() >= kMaxTrackedKeys) {
        // Every slot holds a key inside its window: count this one with the other untracked keys.
        if (m_overflowSuppressed == 0)
            m_overflowStartMs = now;
        ++m_overflowSuppressed;
        return;
    }
    m_tracked.insert(entry.key, Tracked{now, 0});
    m_sink(format(entry));
}

void ViolationLog::flush()
{
    QMutexLocker lock(&m_lock);
    flushLocked(m_clock.nowMs());
}

QList<ViolationLog::Entry> ViolationLog::recent(int limit) const
{
    QMutexLocker lock(&m_lock);
    const qsizetype size = qsizetype(m_ring.size());
    const qsizetype available = std::min<qint64>(m_total, size);
    const qsizetype n = std::min<qsizetype>(std::max(0, limit), available);
    QList<Entry> result;
    result.reserve(n);
    for (qsizetype i = 1; i <= n; ++i)
        result.append(m_ring[size_t((m_next - i + size) % size)]);
    return result;
}

qint64 ViolationLog::total() const
{
    QMutexLocker lock(&m_lock);
    return m_total;
}

qsizetype ViolationLog::trackedKeys() const
{
    QMutexLocker lock(&m_lock);
    return m_tracked.size();
}
