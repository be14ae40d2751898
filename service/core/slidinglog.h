#pragma once

#include "decision.h"

#include <QtGlobal>

// Exact sliding log: at most `limit` cost units in every interval of `windowMs`. An entry (t, cost)
// counts while t > now - W, so it stops counting at now = t + W. Admit iff used + c <= L.
// A denial names the exact retry time: walk the entries oldest first until enough cost has left.
// Same integer semantics as the Redis script (one ZSET member per cost unit there).
//
// State: one pointer (8 bytes) to a ring of (t, cost) entries in one heap block, oldest first.
// Admissions in the same millisecond merge into one entry, so the ring holds at most
// min(limit, distinct milliseconds in the window) entries. The ring grows by doubling and shrinks
// when it is a quarter full, so the amortized work per decision is O(1) and the deny walk stops at
// the first entry in the common case. An empty log allocates nothing.
// Value type (a copy duplicates the ring); not synchronized (the owner locks).
class SlidingLog
{
public:
    SlidingLog() = default;
    ~SlidingLog();
    SlidingLog(SlidingLog &&other) noexcept : m_ring(other.m_ring) { other.m_ring = nullptr; }
    SlidingLog &operator=(SlidingLog &&other) noexcept;
    SlidingLog(const SlidingLog &other);
    SlidingLog &operator=(const SlidingLog &other);

    Decision acquire(qint64 limit, qint64 windowMs, qint64 cost, qint64 nowMs);

    // Cost units counted at nowMs, without changing the state.
    qint64 used(qint64 windowMs, qint64 nowMs) const;
    // (newest counted entry) + W, or nowMs when nothing counts.
    qint64 resetAtMs(qint64 windowMs, qint64 nowMs) const;
    // From this moment on nothing counts any more (the minimum qint64 for an empty log).
    qint64 expiresAtMs(qint64 windowMs) const;

    int entryCount() const;
    // Heap bytes requested for the ring (for memory accounting in benchmarks and tests).
    qint64 allocatedBytes() const;

private:
    struct Entry
    {
        qint64 atMs;
        qint64 cost;
    };
    struct Ring
    {
        quint32 capacity;
        quint32 head;
        quint32 count;
        quint32 used; // sum of the costs in the ring, <= limit <= RateLimitPolicy::MaxSlidingLogLimit
        Entry *entries() { return reinterpret_cast<Entry *>(this + 1); }
        const Entry *entries() const { return reinterpret_cast<const Entry *>(this + 1); }
        Entry &at(quint32 i) { return entries()[(head + i) % capacity]; }
        const Entry &at(quint32 i) const { return entries()[(head + i) % capacity]; }
    };

    void expire(qint64 windowMs, qint64 nowMs);
    void append(qint64 atMs, qint64 cost);
    void reallocate(quint32 capacity);

    Ring *m_ring = nullptr;
};
