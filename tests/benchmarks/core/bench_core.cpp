// Micro-benchmark of the in-memory limiter core. Prints ns per decision for each algorithm (one hot
// key and 1M distinct keys, one and two threads) and bytes per tracked key, next to baselines
// measured in the same run, so the figures can be read as ratios on any machine.
// Times include the clock read (SystemClock), the hash, the shard lock and the algorithm.

#include "clock.h"
#include "memoryratelimitstore.h"

#include <QByteArray>

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <numeric>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

using Steady = std::chrono::steady_clock;

std::atomic<qint64> g_sink{0};

double nsSince(Steady::time_point start, qint64 operations)
{
    return double(std::chrono::duration_cast<std::chrono::nanoseconds>(Steady::now() - start).count())
            / double(operations);
}

QByteArray ipKey(qint64 i)
{
    return QByteArrayLiteral("rate_limit:ip:10.") + QByteArray::number((i >> 16) & 255) + '.'
            + QByteArray::number((i >> 8) & 255) + '.' + QByteArray::number(i & 255);
}

struct Scenario
{
    const char *name;
    RateLimitPolicy policy;
};

// Runs `perThread` decisions on each of `threads` threads; returns wall ns per decision (all threads).
template<typename Body>
double runThreads(int threads, qint64 perThread, Body body)
{
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            ready.fetch_add(1);
            while (!go.load())
                std::this_thread::yield();
            body(t, perThread);
        });
    }
    while (ready.load() < threads)
        std::this_thread::yield();
    const auto start = Steady::now();
    go.store(true);
    for (std::thread &th : pool)
        th.join();
    return nsSince(start, perThread * threads);
}

// The machine is shared, so every figure is the best of `repeats` runs: interference only ever
// adds time.
int g_repeats = 3;

template<typename Run>
double best(Run run)
{
    double result = run();
    for (int r = 1; r < g_repeats; ++r)
        result = std::min(result, run());
    return result;
}

double hotKey(const Clock &clock, const RateLimitPolicy &policy, int threads, qint64 perThread)
{
    MemoryRateLimitStore store(clock);
    const QByteArray key = ipKey(42);
    return best([&] {
        return runThreads(threads, perThread, [&](int, qint64 n) {
            qint64 allowed = 0;
            for (qint64 i = 0; i < n; ++i)
                allowed += store.acquire(key, policy, 1).allowed;
            g_sink.fetch_add(allowed);
        });
    });
}

double distinctKeys(const Clock &clock, const RateLimitPolicy &policy, const std::vector<QByteArray> &keys,
                    const std::vector<quint32> &order, int threads, qint64 perThread)
{
    MemoryRateLimitStore store(clock);
    for (const QByteArray &k : keys)
        store.acquire(k, policy, 1);
    return best([&] {
        return runThreads(threads, perThread, [&](int t, qint64 n) {
            qint64 allowed = 0;
            size_t at = size_t(t) * order.size() / 2;
            for (qint64 i = 0; i < n; ++i) {
                allowed += store.acquire(keys[order[at]], policy, 1).allowed;
                if (++at == order.size())
                    at = 0;
            }
            g_sink.fetch_add(allowed);
        });
    });
}

qint64 heapInUse()
{
    return qint64(mallinfo2().uordblks);
}

qint64 rssBytes()
{
    std::ifstream statm("/proc/self/statm");
    qint64 size = 0;
    qint64 resident = 0;
    statm >> size >> resident;
    return resident * qint64(sysconf(_SC_PAGESIZE));
}

// Time frozen at one moment, so that no key expires (and gets swept) while memory is measured.
class FrozenClock final : public Clock
{
public:
    explicit FrozenClock(qint64 nowMs) : m_now(nowMs) {}
    qint64 nowMs() const override { return m_now; }

private:
    qint64 m_now;
};

void bytesPerKey(const FrozenClock &clock, const Scenario &s, const std::vector<QByteArray> &keys)
{
    malloc_trim(0);
    const qint64 heapBefore = heapInUse();
    const qint64 rssBefore = rssBytes();
    {
        MemoryRateLimitStoreOptions options;
        options.maxKeys = qint64(keys.size());
        MemoryRateLimitStore store(clock, options);
        for (const QByteArray &k : keys)
            store.acquire(k, s.policy, 1);
        const qint64 heap = heapInUse() - heapBefore;
        const qint64 rss = rssBytes() - rssBefore;
        const double tracked = double(store.trackedKeys());
        std::printf("  %-24s %8.1f B/key heap (mallinfo2)  %8.1f B/key RSS   tracked=%lld\n", s.name,
                    double(heap) / tracked, double(rss) / tracked, static_cast<long long>(store.trackedKeys()));
    }
}

} // namespace

int main(int argc, char **argv)
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // progress is visible when redirected to a file
    bool quick = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--quick") == 0) {
            quick = true;
        } else if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
            g_repeats = std::max(1, std::atoi(argv[++i]));
        } else {
            std::fprintf(stderr, "usage: %s [--quick] [--repeat N]\n", argv[0]);
            return 2;
        }
    }
    const qint64 hotOps = quick ? 500'000 : 5'000'000;
    const qint64 distinctOps = quick ? 500'000 : 4'000'000;
    const qint64 keyCount = 1'000'000;

    SystemClock clock;
    const Scenario scenarios[] = {
        // A 60 s window keeps every one of the 1M keys live during a run, so the distinct-key
        // figures measure lookups of tracked keys, not expiry and re-insertion.
        {"sliding_log L=100", {Algorithm::SlidingLog, 100, 60'000, 0}},
        {"counter L=100", {Algorithm::SlidingWindowCounter, 100, 60'000, 0}},
        {"token_bucket L=100", {Algorithm::TokenBucket, 100, 60'000, 0}},
        {"counter L=1e8 (admits)", {Algorithm::SlidingWindowCounter, 100'000'000, 60'000, 0}},
        {"token_bucket L=1e8 (admits)", {Algorithm::TokenBucket, 100'000'000, 60'000, 0}},
    };

    std::vector<QByteArray> keys;
    keys.reserve(size_t(keyCount));
    for (qint64 i = 0; i < keyCount; ++i)
        keys.push_back(ipKey(i));
    std::vector<quint32> order(static_cast<size_t>(keyCount));
    std::iota(order.begin(), order.end(), 0u);
    std::shuffle(order.begin(), order.end(), std::mt19937(7));

    std::printf("bench_core: %lld hot-key and %lld distinct-key decisions per run, best of %d runs, %lld keys, "
                "hw threads=%u\n",
                static_cast<long long>(hotOps), static_cast<long long>(distinctOps), g_repeats,
                static_cast<long long>(keyCount), std::thread::hardware_concurrency());

    std::printf("\nBaselines (same run)\n");
    {
        std::mutex m;
        const double ns = best([&] {
            const auto start = Steady::now();
            for (qint64 i = 0; i < hotOps; ++i) {
                m.lock();
                g_sink.store(i, std::memory_order_relaxed);
                m.unlock();
            }
            return nsSince(start, hotOps);
        });
        std::printf("  %-44s %8.1f ns/op\n", "std::mutex lock+unlock (uncontended)", ns);
    }
    {
        const double ns = best([&] {
            const auto start = Steady::now();
            qint64 sum = 0;
            for (qint64 i = 0; i < hotOps; ++i)
                sum += clock.nowMs();
            g_sink.fetch_add(sum);
            return nsSince(start, hotOps);
        });
        std::printf("  %-44s %8.1f ns/op\n", "SystemClock::nowMs()", ns);
    }
    {
        std::unordered_map<std::string, int> map;
        const std::string key = ipKey(42).toStdString();
        const double ns = best([&] {
            const auto start = Steady::now();
            for (qint64 i = 0; i < hotOps; ++i)
                ++map[key];
            return nsSince(start, hotOps);
        });
        std::printf("  %-44s %8.1f ns/op\n", "unordered_map<string,int> ++ hot key", ns);
    }
    {
        std::vector<std::string> skeys;
        skeys.reserve(keys.size());
        for (const QByteArray &k : keys)
            skeys.push_back(k.toStdString());
        std::unordered_map<std::string, int> map;
        const qint64 heapBefore = heapInUse();
        for (const std::string &k : skeys)
            ++map[k];
        const qint64 heap = heapInUse() - heapBefore;
        const double ns = best([&] {
            const auto start = Steady::now();
            size_t at = 0;
            for (qint64 i = 0; i < distinctOps; ++i) {
                ++map[skeys[order[at]]];
                if (++at == order.size())
                    at = 0;
            }
            return nsSince(start, distinctOps);
        });
        std::printf("  %-44s %8.1f ns/op\n", "unordered_map<string,int> ++ 1M keys", ns);
        std::printf("  %-44s %8.1f B/key\n", "unordered_map<string,int> heap per key", double(heap) / double(keyCount));
    }

    std::printf("\nns per decision (wall time / decisions; 2 threads share one store)\n");
    std::printf("  %-28s %10s %10s %10s %10s\n", "algorithm", "hot 1T", "hot 2T", "1M keys 1T", "1M keys 2T");
    for (const Scenario &s : scenarios) {
        const double hot1 = hotKey(clock, s.policy, 1, hotOps);
        const double hot2 = hotKey(clock, s.policy, 2, hotOps / 2);
        const double many1 = distinctKeys(clock, s.policy, keys, order, 1, distinctOps);
        const double many2 = distinctKeys(clock, s.policy, keys, order, 2, distinctOps / 2);
        std::printf("  %-28s %10.1f %10.1f %10.1f %10.1f\n", s.name, hot1, hot2, many1, many2);
    }

    std::printf("\nMemory per tracked key (%lld keys, one decision each; keys of ~22 bytes)\n",
                static_cast<long long>(keyCount));
    const FrozenClock frozen(clock.nowMs());
    for (int i = 0; i < 3; ++i)
        bytesPerKey(frozen, scenarios[i], keys);

    std::printf("\n(sink %lld)\n", static_cast<long long>(g_sink.load() & 1));
    return 0;
}
