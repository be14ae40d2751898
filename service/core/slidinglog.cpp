#include "slidinglog.h"

#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <utility>

namespace {
constexpr quint32 MinCapacity = 2;
}

SlidingLog::~SlidingLog()
{
    std::free(m_ring);
}

SlidingLog &SlidingLog::operator=(SlidingLog &&other) noexcept
{
    if (this != &other) {
        std::free(m_ring);
        m_ring = other.m_ring;
        other.m_ring = nullptr;
    }
    return *this;
}

SlidingLog::SlidingLog(const SlidingLog &other)
{
    if (other.m_ring) {
        const size_t bytes = size_t(other.allocatedBytes());
        m_ring = static_cast<Ring *>(std::malloc(bytes));
        if (!m_ring)
            throw std::bad_alloc();
        std::memcpy(static_cast<void *>(m_ring), other.m_ring, bytes);
    }
}

SlidingLog &SlidingLog::operator=(const SlidingLog &other)
{
    if (this != &other) {
        SlidingLog copy(other);
        *this = std::move(copy);
    }
    return *this;
}

void SlidingLog::reallocate(quint32 capacity)
{
    auto *ring = static_cast<Ring *>(std::malloc(sizeof(Ring) + sizeof(Entry) * capacity));
    if (!ring)
        throw std::bad_alloc();
    ring->capacity = capacity;
    ring->head = 0;
    ring->count = 0;
    ring->used = 0;
    if (m_ring) {
        for (quint32 i = 0; i < m_ring->count; ++i)
            ring->entries()[i] = m_ring->at(i);
        ring->count = m_ring->count;
        ring->used = m_ring->used;
        std::free(m_ring);
    }
    m_ring = ring;
}

void SlidingLog::expire(qint64 windowMs, qint64 nowMs)
{
    if (!m_ring)
        return;
    Ring &r = *m_ring;
    while (r.count > 0 && r.at(0).atMs <= nowMs - windowMs) {
        r.used -= quint32(r.at(0).cost);
        r.head = (r.head + 1) % r.capacity;
        --r.count;
    }
    if (r.count == 0) {
        std::free(m_ring);
        m_ring = nullptr;
    } else if (r.capacity > MinCapacity && r.count * 4 <= r.capacity) {
        reallocate(r.capacity / 2);
    }
}

void SlidingLog::append(qint64 atMs, qint64 cost)
{
    if (m_ring && m_ring->count > 0) {
        Entry &newest = m_ring->at(m_ring->count - 1);
        // Entries stay ordered even if the clock steps back: such an admission is recorded at the
        // newest time, which only makes it count longer (never admits more than the limit).
        if (atMs <= newest.atMs) {
            newest.cost += cost;
            m_ring->used += quint32(cost);
            return;
        }
    }
    if (!m_ring)
        reallocate(MinCapacity);
    else if (m_ring->count == m_ring->capacity)
        reallocate(m_ring->capacity * 2);
    Ring &r = *m_ring;
    r.at(r.count) = Entry{atMs, cost};
    ++r.count;
    r.used += quint32(cost);
}

Decision SlidingLog::acquire(qint64 limit, qint64 windowMs, qint64 cost, qint64 nowMs)
{
    expire(windowMs, nowMs);
    const qint64 used = m_ring ? m_ring->used : 0;

    Decision d;
    d.limit = limit;
    d.nowMs = nowMs;
    if (cost > limit) {
        d.impossible = true;
    } else if (used + cost <= limit) {
        append(nowMs, cost);
        d.allowed = true;
        d.remaining = limit - used - cost;
        d.resetAtMs = resetAtMs(windowMs, nowMs);
        return d;
    } else {
        const qint64 need = used + cost - limit;
        qint64 freed = 0;
        for (quint32 i = 0; i < m_ring->count; ++i) {
            const Entry &entry = m_ring->at(i);
            freed += entry.cost;
            if (freed >= need) {
                d.retryAfterMs = entry.atMs + windowMs - nowMs;
                break;
            }
        }
    }
    d.remaining = qMax<qint64>(0, limit - used);
    d.resetAtMs = resetAtMs(windowMs, nowMs);
    return d;
}

qint64 SlidingLog::used(qint64 windowMs, qint64 nowMs) const
{
    if (!m_ring)
        return 0;
    qint64 used = m_ring->used;
    for (quint32 i = 0; i < m_ring->count && m_ring->at(i).atMs <= nowMs - windowMs; ++i)
        used -= m_ring->at(i).cost;
    return used;
}

qint64 SlidingLog::resetAtMs(qint64 windowMs, qint64 nowMs) const
{
    if (!m_ring || m_ring->count == 0)
        return nowMs;
    const qint64 newest = m_ring->at(m_ring->count - 1).atMs;
    return newest > nowMs - windowMs ? newest + windowMs : nowMs;
}

qint64 SlidingLog::expiresAtMs(qint64 windowMs) const
{
    if (!m_ring || m_ring->count == 0)
        return std::numeric_limits<qint64>::min();
    return m_ring->at(m_ring->count - 1).atMs + windowMs;
}

int SlidingLog::entryCount() const
{
    return m_ring ? int(m_ring->count) : 0;
}

qint64 SlidingLog::allocatedBytes() const
{
    return m_ring ? qint64(sizeof(Ring) + sizeof(Entry) * m_ring->capacity) : 0;
}
