#pragma once

#include "clock.h"
#include "ratelimitstore.h"

#include <QByteArray>
#include <QList>

#include <atomic>
#include <memory>
#include <optional>

struct MemoryRateLimitStoreOptions
{
    // Cap on tracked keys. At the cap a new key evicts the least recently used key of its shard
    // (the LRU order is per shard, so eviction can start slightly before the global cap is reached).
    qint64 maxKeys = 1'000'000;
    // Lock stripes, rounded down to a power of two; 0 picks min(64, maxKeys). One shard gives an exact
    // global LRU order (tests), many shards let threads decide in parallel.
    int shardCount = 0;
};

// In-memory RateLimitStore: decides in the caller's thread and calls the handler before acquire()
// returns. Thread-safe: one store is shared by every event-loop thread of the server.
//
// Layout: the key space is split into shards by hash; each shard has its own mutex, an intrusive
// chained hash table and an intrusive LRU list. A tracked key is ONE allocation holding the links,
// the policy, the algorithm state and the key bytes (64 bytes + key length), plus its bucket slot.
// The sliding log keeps its entries in one extra block (see SlidingLog).
//
// Memory stays bounded without any timer: every few decisions on a shard also reclaim expired keys
// from a few buckets of that shard (bounded work per call), sweep() does the same from outside
// (e.g. a timer), and the key cap evicts LRU keys. Removing an expired key loses nothing: its state is
// equivalent to a fresh one. Evicting a live key under the cap forgets its usage (documented limit of
// a bounded store). The hash is seeded per store, so crafted keys cannot aim at one bucket.
//
// A policy with another algorithm than the key's state restarts the key fresh; a changed limit or
// window with the same algorithm keeps the state and applies the new numbers (as the Redis scripts do).
class MemoryRateLimitStore final : public RateLimitStore
{
public:
    explicit MemoryRateLimitStore(const Clock &clock, MemoryRateLimitStoreOptions options = {});
    ~MemoryRateLimitStore() override;
    MemoryRateLimitStore(const MemoryRateLimitStore &) = delete;
    MemoryRateLimitStore &operator=(const MemoryRateLimitStore &) = delete;

    // RateLimitStore: each handler is called synchronously, after the shard lock is released.
    void acquire(const QByteArray &key, const RateLimitPolicy &policy, qint64 cost, DecisionHandler done) override;
    void clear(const QByteArray &key, ClearHandler done) override;
    void topKeys(int n, UsageHandler done) override;
    StoreMode mode() const override { return StoreMode::Memory; }

    // Synchronous forms. An invalid policy (RateLimitPolicy::validate()) or a cost below 1 is denied
    // as impossible and touches nothing; callers are expected to validate first.
    Decision acquire(const QByteArray &key, const RateLimitPolicy &policy, qint64 cost);
    bool clear(const QByteArray &key);
    // At most n keys with count > 0, highest usage() first (ties: higher count, then key).
    // Visits every key under its shard lock but holds only n candidates.
    QList<KeyUsage> topKeys(int n) const;
    std::optional<KeyUsage> usage(const QByteArray &key) const;
    qint64 trackedKeys() const;

    // Visits up to `budget` bucket slots (at most one pass over the whole table) and removes expired
    // keys; returns how many it removed. Safe to call from any thread, e.g. from a timer.
    int sweep(int budget);

    qint64 maxKeys() const { return m_maxKeys; }
    int shardCount() const { return m_shardCount; }
    // Monotonic totals since construction.
    qint64 evictedKeys() const;
    qint64 expiredKeys() const;

private:
    struct Node;
    struct Shard;

    quint64 hashOf(const QByteArray &key) const;
    Shard &shardFor(quint64 hash) const;
    Node *find(Shard &shard, quint64 hash, const QByteArray &key) const;
    Node *insert(Shard &shard, quint64 hash, const QByteArray &key, const RateLimitPolicy &policy);
    void remove(Shard &shard, Node *node);
    void touch(Shard &shard, Node *node);
    void grow(Shard &shard);
    int sweepShard(Shard &shard, qint64 nowMs, quint32 budget, quint32 *visited);
    KeyUsage usageOf(const Node *node, qint64 nowMs) const;

    const Clock &m_clock;
    const qint64 m_maxKeys;
    int m_shardCount = 1;
    quint32 m_shardMask = 0;
    quint64 m_seed = 0;
    std::unique_ptr<Shard[]> m_shards;
    std::atomic<quint32> m_nextSweepShard{0};
};
