#include "memoryratelimitstore.h"

#include "slidinglog.h"
#include "slidingwindowcounter.h"
#include "tokenbucket.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cstring>
#include <limits>
#include <mutex>
#include <new>
#include <vector>

namespace {

constexpr quint32 InitialBuckets = 8;
// Every SweepEvery decisions on a shard also sweep SweepSlots bucket slots of it. A quarter of a slot
// per decision keeps the extra cache misses small on the hot path, yet passes over a shard's whole
// table within 4x its bucket count of decisions, however many keys arrive.
constexpr quint32 SweepEvery = 64;
constexpr quint32 SweepSlots = 16;

quint64 read64(const char *p)
{
    quint64 v;
    std::memcpy(&v, p, 8);
    return v;
}

quint64 read32(const char *p)
{
    quint32 v;
    std::memcpy(&v, p, 4);
    return v;
}

quint64 mix(quint64 a, quint64 b)
{
    __extension__ using U128 = unsigned __int128;
    const U128 r = U128(a) * b;
    return quint64(r) ^ quint64(r >> 64);
}

// A seeded multiply-mix hash in the style of wyhash: fast for the short keys of a rate limiter
// (20-60 bytes) and, with a per-store random seed, not predictable by clients choosing keys.
quint64 hashBytes(const char *p, size_t len, quint64 seed)
{
    constexpr quint64 P0 = 0xa0761d6478bd642full;
    constexpr quint64 P1 = 0xe7037ed1a0b428dbull;
    constexpr quint64 P2 = 0x8ebc6af09c88c6e3ull;
    seed ^= mix(seed ^ P0, P1);
    quint64 a = 0;
    quint64 b = 0;
    if (len <= 16) {
        if (len >= 4) {
            const size_t mid = (len >> 3) << 2;
            a = (read32(p) << 32) | read32(p + mid);
            b = (read32(p + len - 4) << 32) | read32(p + len - 4 - mid);
        } else if (len > 0) {
            a = (quint64(quint8(p[0])) << 16) | (quint64(quint8(p[len >> 1])) << 8) | quint8(p[len - 1]);
        }
    } else {
        size_t i = len;
        while (i > 16) {
            seed = mix(read64(p) ^ P1, read64(p + 8) ^ seed);
            p += 16;
            i -= 16;
        }
        a = read64(p + i - 16);
        b = read64(p + i - 8);
    }
    a ^= P1;
    b ^= seed;
    return mix(P2 ^ len, mix(a, b) ^ P1);
}

// Denied as impossible, nothing consumed: for invalid input and for a cost above a fresh key's capacity.
Decision impossibleDecision(const RateLimitPolicy &policy, qint64 nowMs)
{
    Decision d;
    d.limit = policy.algorithm == Algorithm::TokenBucket ? policy.effectiveBurst() : policy.limit;
    d.nowMs = nowMs;
    d.resetAtMs = nowMs;
    d.impossible = true;
    return d;
}

} // namespace

// One tracked key, allocated as sizeof(Node) + key length; the key bytes follow the struct.
// The policy is kept in 32-bit fields: validate() bounds every value far below 2^31.
struct MemoryRateLimitStore::Node
{
    Node *chainNext = nullptr;
    Node *lruPrev = nullptr; // towards the most recently used end
    Node *lruNext = nullptr;
    quint32 hash = 0; // low 32 bits of the key hash: bucket index and a cheap pre-compare
    quint32 keyLength = 0;
    qint32 limit = 0;
    qint32 windowMs = 0;
    qint32 burst = 0;
    Algorithm algorithm = Algorithm::SlidingLog;
    union State {
        State() {}
        ~State() {}
        SlidingWindowCounter counter;
        TokenBucket bucket;
        SlidingLog log;
    } state;

    const char *keyData() const { return reinterpret_cast<const char *>(this + 1); }
    char *keyData() { return reinterpret_cast<char *>(this + 1); }

    void startState()
    {
        switch (algorithm) {
        case Algorithm::SlidingLog:
            new (&state.log) SlidingLog();
            break;
        case Algorithm::SlidingWindowCounter:
            new (&state.counter) SlidingWindowCounter();
            break;
        case Algorithm::TokenBucket:
            new (&state.bucket) TokenBucket();
            break;
        }
    }
    void endState()
    {
        if (algorithm == Algorithm::SlidingLog)
            state.log.~SlidingLog();
    }
    void setPolicy(const RateLimitPolicy &policy)
    {
        if (policy.algorithm != algorithm) {
            endState();
            algorithm = policy.algorithm;
            startState();
        }
        limit = qint32(policy.limit);
        windowMs = qint32(policy.windowMs);
        burst = qint32(policy.burst);
    }
    RateLimitPolicy policy() const { return RateLimitPolicy{algorithm, limit, windowMs, burst}; }
    qint64 effectiveBurst() const { return burst > 0 ? burst : limit; }

    Decision acquire(qint64 cost, qint64 nowMs)
    {
        switch (algorithm) {
        case Algorithm::SlidingLog:
            return state.log.acquire(limit, windowMs, cost, nowMs);
        case Algorithm::SlidingWindowCounter:
            return state.counter.acquire(limit, windowMs, cost, nowMs);
        case Algorithm::TokenBucket:
            return state.bucket.acquire(limit, windowMs, effectiveBurst(), cost, nowMs);
        }
        Q_UNREACHABLE();
    }
    qint64 used(qint64 nowMs) const
    {
        switch (algorithm) {
        case Algorithm::SlidingLog:
            return state.log.used(windowMs, nowMs);
        case Algorithm::SlidingWindowCounter:
            return state.counter.used(limit, windowMs, nowMs);
        case Algorithm::TokenBucket:
            return state.bucket.used(limit, windowMs, nowMs);
        }
        Q_UNREACHABLE();
    }
    qint64 resetAtMs(qint64 nowMs) const
    {
        switch (algorithm) {
        case Algorithm::SlidingLog:
            return state.log.resetAtMs(windowMs, nowMs);
        case Algorithm::SlidingWindowCounter:
            return state.counter.resetAtMs(windowMs, nowMs);
        case Algorithm::TokenBucket:
            return state.bucket.resetAtMs(limit, nowMs);
        }
        Q_UNREACHABLE();
    }
    qint64 expiresAtMs() const
    {
        switch (algorithm) {
        case Algorithm::SlidingLog:
            return state.log.expiresAtMs(windowMs);
        case Algorithm::SlidingWindowCounter:
            return state.counter.expiresAtMs(windowMs);
        case Algorithm::TokenBucket:
            return state.bucket.expiresAtMs();
        }
        Q_UNREACHABLE();
    }
};

// Padded to a cache line so that two threads on different shards never share one.
struct alignas(64) MemoryRateLimitStore::Shard
{
    std::mutex mutex;
    std::vector<Node *> buckets;
    Node *lruHead = nullptr; // most recently used
    Node *lruTail = nullptr;
    quint32 capacity = 1;
    quint32 sweepCursor = 0;
    quint32 opsSinceSweep = 0;
    std::atomic<quint32> count{0};
    std::atomic<qint64> evicted{0};
    std::atomic<qint64> expired{0};
};

MemoryRateLimitStore::MemoryRateLimitStore(const Clock &clock, MemoryRateLimitStoreOptions options)
    : m_clock(clock), m_maxKeys(std::max<qint64>(1, options.maxKeys))
{
    static_assert(sizeof(Node) <= 64, "a tracked key is one cache line of bookkeeping plus its key bytes");
    qint64 wanted = options.shardCount > 0 ? options.shardCount : std::min<qint64>(64, m_maxKeys);
    wanted = std::clamp<qint64>(wanted, 1, std::min<qint64>(1024, m_maxKeys));
    m_shardCount = 1;
    while (m_shardCount * 2 <= wanted)
        m_shardCount *= 2;
    m_shardMask = quint32(m_shardCount - 1);
    m_seed = QRandomGenerator::system()->generate64();
    m_shards = std::make_unique<Shard[]>(size_t(m_shardCount));
    const qint64 perShard = std::min<qint64>(m_maxKeys / m_shardCount, std::numeric_limits<quint32>::max() / 2);
    for (int i = 0; i < m_shardCount; ++i) {
        m_shards[i].capacity = quint32(perShard);
        m_shards[i].buckets.assign(InitialBuckets, nullptr);
    }
}

MemoryRateLimitStore::~MemoryRateLimitStore()
{
    for (int i = 0; i < m_shardCount; ++i) {
        Node *node = m_shards[i].lruHead;
        while (node) {
            Node *next = node->lruNext;
            node->endState();
            node->~Node();
            ::operator delete(node);
            node = next;
        }
    }
}

quint64 MemoryRateLimitStore::hashOf(const QByteArray &key) const
{
    return hashBytes(key.constData(), size_t(key.size()), m_seed);
}

MemoryRateLimitStore::Shard &MemoryRateLimitStore::shardFor(quint64 hash) const
{
    return m_shards[(hash >> 32) & m_shardMask];
}

MemoryRateLimitStore::Node *MemoryRateLimitStore::find(Shard &shard, quint64 hash, const QByteArray &key) const
{
    const quint32 h = quint32(hash);
    for (Node *n = shard.buckets[h & (shard.buckets.size() - 1)]; n; n = n->chainNext) {
        if (n->hash == h && n->keyLength == quint32(key.size())
            && std::memcmp(n->keyData(), key.constData(), size_t(key.size())) == 0) {
            return n;
        }
    }
    return nullptr;
}

void MemoryRateLimitStore::touch(Shard &shard, Node *node)
{
    if (shard.lruHead == node)
        return;
    // Unlink (node is not the head, so it has a predecessor)...
    node->lruPrev->lruNext = node->lruNext;
    if (node->lruNext)
        node->lruNext->lruPrev = node->lruPrev;
    else
        shard.lruTail = node->lruPrev;
    // ...and push to the front.
    node->lruPrev = nullptr;
    node->lruNext = shard.lruHead;
    shard.lruHead->lruPrev = node;
    shard.lruHead = node;
}

void MemoryRateLimitStore::grow(Shard &shard)
{
    std::vector<Node *> buckets(shard.buckets.size() * 2, nullptr);
    const size_t mask = buckets.size() - 1;
    for (Node *head : shard.buckets) {
        while (head) {
            Node *next = head->chainNext;
            Node *&slot = buckets[head->hash & mask];
            head->chainNext = slot;
            slot = head;
            head = next;
        }
    }
    shard.buckets.swap(buckets);
    shard.sweepCursor = 0;
}

MemoryRateLimitStore::Node *MemoryRateLimitStore::insert(Shard &shard, quint64 hash, const QByteArray &key,
                                                         const RateLimitPolicy &policy)
{
    if (shard.count.load(std::memory_order_relaxed) >= shard.capacity && shard.lruTail) {
        remove(shard, shard.lruTail);
        shard.evicted.fetch_add(1, std::memory_order_relaxed);
    }
    const quint32 count = shard.count.load(std::memory_order_relaxed);
    if (count >= shard.buckets.size())
        grow(shard);

    void *memory = ::operator new(sizeof(Node) + size_t(key.size()));
    Node *node = new (memory) Node;
    node->hash = quint32(hash);
    node->keyLength = quint32(key.size());
    std::memcpy(node->keyData(), key.constData(), size_t(key.size()));
    node->algorithm = policy.algorithm;
    node->startState();

    Node *&slot = shard.buckets[node->hash & (shard.buckets.size() - 1)];
    node->chainNext = slot;
    slot = node;

    node->lruNext = shard.lruHead;
    if (shard.lruHead)
        shard.lruHead->lruPrev = node;
    shard.lruHead = node;
    if (!shard.lruTail)
        shard.lruTail = node;

    shard.count.store(count + 1, std::memory_order_relaxed);
    return node;
}

void MemoryRateLimitStore::remove(Shard &shard, Node *node)
{
    Node **link = &shard.buckets[node->hash & (shard.buckets.size() - 1)];
    while (*link != node)
        link = &(*link)->chainNext;
    *link = node->chainNext;

    if (node->lruPrev)
        node->lruPrev->lruNext = node->lruNext;
    else
        shard.lruHead = node->lruNext;
    if (node->lruNext)
        node->lruNext->lruPrev = node->lruPrev;
    else
        shard.lruTail = node->lruPrev;

    node->endState();
    node->~Node();
    ::operator delete(node);
    shard.count.store(shard.count.load(std::memory_order_relaxed) - 1, std::memory_order_relaxed);
}

int MemoryRateLimitStore::sweepShard(Shard &shard, qint64 nowMs, quint32 budget, quint32 *visited)
{
    const quint32 size = quint32(shard.buckets.size());
    const quint32 slotCount = std::min(budget, size);
    int removed = 0;
    for (quint32 i = 0; i < slotCount; ++i) {
        const quint32 index = shard.sweepCursor;
        shard.sweepCursor = (index + 1) & (size - 1);
        Node *n = shard.buckets[index];
        while (n) {
            Node *next = n->chainNext;
            if (n->expiresAtMs() <= nowMs) {
                remove(shard, n);
                ++removed;
            }
            n = next;
        }
    }
    if (removed)
        shard.expired.fetch_add(removed, std::memory_order_relaxed);
    if (visited)
        *visited = slotCount;
    return removed;
}

Decision MemoryRateLimitStore::acquire(const QByteArray &key, const RateLimitPolicy &policy, qint64 cost)
{
    const qint64 now = m_clock.nowMs();
    if (cost < 1 || !policy.isValid())
        return impossibleDecision(policy, now);

    const quint64 hash = hashOf(key);
    Shard &shard = shardFor(hash);
    std::lock_guard lock(shard.mutex);
    Node *node = find(shard, hash, key);
    if (node) {
        node->setPolicy(policy);
        touch(shard, node);
    } else {
        const qint64 capacity = policy.algorithm == Algorithm::TokenBucket ? policy.effectiveBurst() : policy.limit;
        if (cost > capacity) {
            // What a fresh state answers; not tracking the key keeps such requests from evicting
            // real keys.
            Decision d = impossibleDecision(policy, now);
            d.remaining = capacity;
            return d;
        }
        node = insert(shard, hash, key, policy);
        node->setPolicy(policy);
    }
    const Decision decision = node->acquire(cost, now);
    if (++shard.opsSinceSweep >= SweepEvery) {
        shard.opsSinceSweep = 0;
        sweepShard(shard, now, SweepSlots, nullptr);
    }
    return decision;
}

void MemoryRateLimitStore::acquire(const QByteArray &key, const RateLimitPolicy &policy, qint64 cost,
                                   DecisionHandler done)
{
    const Decision decision = acquire(key, policy, cost);
    if (done)
        done(decision);
}

bool MemoryRateLimitStore::clear(const QByteArray &key)
{
    const quint64 hash = hashOf(key);
    Shard &shard = shardFor(hash);
    std::lock_guard lock(shard.mutex);
    Node *node = find(shard, hash, key);
    if (!node)
        return false;
    remove(shard, node);
    return true;
}

void MemoryRateLimitStore::clear(const QByteArray &key, ClearHandler done)
{
    const bool existed = clear(key);
    if (done)
        done(existed);
}

KeyUsage MemoryRateLimitStore::usageOf(const Node *node, qint64 nowMs) const
{
    KeyUsage u;
    u.key = QByteArray(node->keyData(), qsizetype(node->keyLength));
    u.policy = node->policy();
    u.count = node->used(nowMs);
    u.resetAtMs = node->resetAtMs(nowMs);
    return u;
}

std::optional<KeyUsage> MemoryRateLimitStore::usage(const QByteArray &key) const
{
    const qint64 now = m_clock.nowMs();
    const quint64 hash = hashOf(key);
    Shard &shard = shardFor(hash);
    std::lock_guard lock(shard.mutex);
    const Node *node = find(shard, hash, key);
    if (!node)
        return std::nullopt;
    return usageOf(node, now);
}

QList<KeyUsage> MemoryRateLimitStore::topKeys(int n) const
{
    if (n <= 0)
        return {};
    const qint64 now = m_clock.nowMs();

    struct Candidate
    {
        qint64 count;
        qint64 limit;
        KeyUsage usage;   // filled when the candidate enters the heap
    };
    // True when a ranks above b: higher count/limit (exact cross product, both < 2^27 * 2^27),
    // then higher count, then smaller key.
    auto ranksAbove = [](const Candidate &a, const Candidate &b) {
        const qint64 lhs = a.count * b.limit;
        const qint64 rhs = b.count * a.limit;
        if (lhs != rhs)
            return lhs > rhs;
        if (a.count != b.count)
            return a.count > b.count;
        return a.usage.key < b.usage.key;
    };
    // Min-heap on rank: the front is the weakest of the n kept so far.
    std::vector<Candidate> heap;
    heap.reserve(size_t(std::min(n, 4096)));

    for (int i = 0; i < m_shardCount; ++i) {
        Shard &shard = m_shards[i];
        std::lock_guard lock(shard.mutex);
        for (const Node *node = shard.lruHead; node; node = node->lruNext) {
            const qint64 count = node->used(now);
            if (count <= 0)
                continue;
            Candidate c{count, node->limit, {}};
            c.usage.key = QByteArray::fromRawData(node->keyData(), qsizetype(node->keyLength));
            if (heap.size() == size_t(n)) {
                if (!ranksAbove(c, heap.front()))
                    continue;
                std::pop_heap(heap.begin(), heap.end(), ranksAbove);
                heap.pop_back();
            }
            c.usage = usageOf(node, now);
            heap.push_back(std::move(c));
            std::push_heap(heap.begin(), heap.end(), ranksAbove);
        }
    }
    std::sort_heap(heap.begin(), heap.end(), ranksAbove);
    QList<KeyUsage> result;
    result.reserve(qsizetype(heap.size()));
    for (Candidate &c : heap)
        result.append(std::move(c.usage));
    return result;
}

void MemoryRateLimitStore::topKeys(int n, UsageHandler done)
{
    const QList<KeyUsage> keys = topKeys(n);
    if (done)
        done(keys);
}

qint64 MemoryRateLimitStore::trackedKeys() const
{
    qint64 total = 0;
    for (int i = 0; i < m_shardCount; ++i)
        total += m_shards[i].count.load(std::memory_order_relaxed);
    return total;
}

int MemoryRateLimitStore::sweep(int budget)
{
    if (budget <= 0)
        return 0;
    const qint64 now = m_clock.nowMs();
    int removed = 0;
    quint32 left = quint32(budget);
    for (int i = 0; i < m_shardCount && left > 0; ++i) {
        Shard &shard = m_shards[m_nextSweepShard.fetch_add(1, std::memory_order_relaxed) & m_shardMask];
        std::lock_guard lock(shard.mutex);
        quint32 visited = 0;
        removed += sweepShard(shard, now, left, &visited);
        left -= visited;
    }
    return removed;
}

qint64 MemoryRateLimitStore::evictedKeys() const
{
    qint64 total = 0;
    for (int i = 0; i < m_shardCount; ++i)
        total += m_shards[i].evicted.load(std::memory_order_relaxed);
    return total;
}

qint64 MemoryRateLimitStore::expiredKeys() const
{
    qint64 total = 0;
    for (int i = 0; i < m_shardCount; ++i)
        total += m_shards[i].expired.load(std::memory_order_relaxed);
    return total;
}
