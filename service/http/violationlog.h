#pragma once

#include "clock.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>

#include <functional>
#include <vector>

// Every rejection (429) of the check endpoint and the gateway: one structured log line per violation
// (category "sluice.violation"), summarised per storage key so that a flood of 429s cannot flood the
// log, and a bounded ring of the most recent violations for GET /admin/rate-limit/violations.
// Within kSummaryWindowMs of a logged violation, further violations of the same key are only counted;
// the next violation after that window (or flush()) logs "... and N more in the last 10 s".
// Memory is bounded: at most kMaxTrackedKeys keys are summarised; violations of further keys while the
// table is full are counted together and reported as one line. Entries never hold a raw API key (the
// client and key are the resolver's id forms). Thread-safe (the lanes record from their threads).
class ViolationLog
{
public:
    static constexpr int kDefaultCapacity = 1000;
    static constexpr qint64 kSummaryWindowMs = 10'000;
    static constexpr qsizetype kMaxTrackedKeys = 10'000;

    struct Entry
    {
        qint64 timeMs = 0;
        QByteArray client; // "ip:<ip>" or "api_key:<id>"
        QByteArray key;    // the storage key
        QByteArray rule;   // "default" or the endpoint rule, e.g. "endpoint GET /v1/search"
        qint64 limit = 0;
        qint64 retryAfterMs = 0;
    };
    using Sink = std::function<void(const QString &line)>;

    // `clock` must outlive the log. The default sink writes to the "sluice.violation" category.
    explicit ViolationLog(const Clock &clock, int capacity = kDefaultCapacity, Sink sink = {});

    void record(Entry entry);
    // Logs the summaries of windows that have ended and forgets those keys; the service calls it
    // every second so a summary does not wait for the key's next violation.
    void flush();
    // Newest first, at most `limit`.
    QList<Entry> recent(int limit) const;
    qint64 total() const;
    qsizetype trackedKeys() const;

    static QString format(const Entry &entry);

private:
    struct Tracked
    {
        qint64 windowStartMs = 0;
        qint64 suppressed = 0;
    };
    void emitSummary(const QByteArray &key, qint64 suppressed);
    void flushLocked(qint64 nowMs);

    const Clock &m_clock;
    Sink m_sink;
    mutable QMutex m_lock;
    std::vector<Entry> m_ring;
    qsizetype m_next = 0; // ring slot written next
    qint64 m_total = 0;
    QHash<QByteArray, Tracked> m_tracked;
    qint64 m_overflowStartMs = 0;
    qint64 m_overflowSuppressed = 0; // violations of keys that found the table full
};
