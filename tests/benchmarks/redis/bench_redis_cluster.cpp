// Decisions per second through one RedisRateLimitStore in cluster mode against a 1-master and a
// 3-master Redis Cluster (no replicas), both started here on free loopback ports, plus a standalone
// redis-server as the baseline, interleaved over rounds (medians reported, so read the figures as
// ratios on a noisy machine). Reports, per decision: the client's CPU (this process, getrusage) and
// the Redis CPU summed over all masters (INFO cpu), the inputs for sizing a deployment.
// Run by hand: bin/bench_redis_cluster [--calls N] [--keys K] [--inflight W] [--rounds R]

#include "clock.h"
#include "memoryratelimitstore.h"
#include "redisclusterfixture.h"
#include "redisratelimitstore.h"
#include "redisserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTimer>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

namespace {

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double redisCpuSeconds(const RedisServer &server)
{
    const QString info = QString::fromLatin1(server.cli({QStringLiteral("INFO"), QStringLiteral("cpu")}));
    double total = 0;
    for (const QString &field : {QStringLiteral("used_cpu_sys"), QStringLiteral("used_cpu_user")}) {
        const QRegularExpressionMatch m = QRegularExpression(field + QStringLiteral(":([0-9.]+)")).match(info);
        total += m.captured(1).toDouble();
    }
    return total;
}

struct Target
{
    const char *name;
    RedisSettings settings;
    QList<RedisServer *> masters;
};

struct Run
{
    double perSecond = 0;
    double clientUs = 0;
    double redisUs = 0;
    int notRedis = 0;
};

Run runOnce(const Target &target, int calls, int inflight, const std::vector<QByteArray> &keys)
{
    SystemClock clock;
    MemoryRateLimitStore memory(clock);
    RedisRateLimitStore store(target.settings, memory);
    QElapsedTimer wait;
    wait.start();
    while (!store.isConnected() && wait.elapsed() < 10000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 10);
    RateLimitPolicy p;
    p.algorithm = Algorithm::SlidingWindowCounter;
    p.limit = 100'000'000;
    p.windowMs = 60'000;

    QRandomGenerator rng(42);
    int issued = 0;
    int done = 0;
    Run run;
    QEventLoop loop;
    std::function<void()> issue = [&] {
        const QByteArray &key = keys[rng.bounded(quint32(keys.size()))];
        ++issued;
        store.acquire(key, p, 1, [&](const Decision &d) {
            ++done;
            if (d.source != DecisionSource::Redis) {
                ++run.notRedis;
                if (issued < calls)
                    QTimer::singleShot(0, &loop, issue);
            } else if (issued < calls) {
                issue();
            }
            if (done == calls)
                loop.quit();
        });
    };
    double redis0 = 0;
    for (const RedisServer *m : target.masters)
        redis0 += redisCpuSeconds(*m);
    const double cpu0 = cpuSeconds();
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < inflight && issued < calls; ++i)
        issue();
    loop.exec();
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    run.clientUs = (cpuSeconds() - cpu0) * 1e6 / calls;
    double redis1 = 0;
    for (const RedisServer *m : target.masters)
        redis1 += redisCpuSeconds(*m);
    run.perSecond = calls / seconds;
    run.redisUs = (redis1 - redis0) * 1e6 / calls;
    return run;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption callsOption("calls", "decisions per run", "N", "100000");
    const QCommandLineOption keysOption("keys", "distinct keys", "K", "10000");
    const QCommandLineOption inflightOption("inflight", "decisions in flight", "W", "256");
    const QCommandLineOption roundsOption("rounds", "interleaved rounds", "R", "3");
    parser.addOptions({callsOption, keysOption, inflightOption, roundsOption});
    parser.process(app);
    const int calls = parser.value(callsOption).toInt();
    const int keyCount = parser.value(keysOption).toInt();
    const int inflight = parser.value(inflightOption).toInt();
    const int rounds = parser.value(roundsOption).toInt();

    RedisServer standalone;
    RedisClusterFixture one(1, 0);
    RedisClusterFixture three(3, 0);
    if (!standalone.start() || !one.start() || !three.start()) {
        std::fprintf(stderr, "could not start Redis: %s %s %s\n", qPrintable(standalone.errorString()), qPrintable(one.errorString()),
                     qPrintable(three.errorString()));
        return 1;
    }
    std::vector<QByteArray> keys;
    for (int i = 0; i < keyCount; ++i)
        keys.push_back("rate_limit:ip:" + QByteArray::number(i).rightJustified(12, '0'));

    std::vector<Target> targets(3);
    targets[0].name = "standalone";
    targets[0].settings.port = standalone.port();
    targets[0].masters = {&standalone};
    targets[1].name = "cluster, 1 master";
    targets[1].settings.mode = RedisMode::Cluster;
    targets[1].settings.parseSeeds(one.seeds());
    targets[1].masters = {&one.node(0)};
    targets[2].name = "cluster, 3 masters";
    targets[2].settings.mode = RedisMode::Cluster;
    targets[2].settings.parseSeeds(three.seeds());
    targets[2].masters = {&three.node(0), &three.node(1), &three.node(2)};
    for (Target &t : targets)
        t.settings.commandTimeoutMs = 2000;

    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    std::printf("%d decisions per run, %d keys, %d in flight, %d rounds, one store (one event-loop thread), "
                "sliding window counter\n", calls, keyCount, inflight, rounds);
    std::vector<std::vector<Run>> runs(targets.size());
    for (int r = 0; r < rounds; ++r) {
        for (size_t t = 0; t < targets.size(); ++t)
            runs[t].push_back(runOnce(targets[t], calls, inflight, keys));
    }
    std::printf("%-20s %12s %14s %16s %10s %12s\n", "target", "decisions/s", "vs standalone", "client CPU us", "Redis us", "not Redis");
    std::vector<double> base;
    for (const Run &run : runs[0])
        base.push_back(run.perSecond);
    for (size_t t = 0; t < targets.size(); ++t) {
        std::vector<double> rate, ratio, client, redis;
        int notRedis = 0;
        for (size_t r = 0; r < runs[t].size(); ++r) {
            rate.push_back(runs[t][r].perSecond);
            ratio.push_back(runs[t][r].perSecond / base[r]);
            client.push_back(runs[t][r].clientUs);
            redis.push_back(runs[t][r].redisUs);
            notRedis += runs[t][r].notRedis;
        }
        std::printf("%-20s %12.0f %13.2fx %16.2f %10.2f %12d\n", targets[t].name, median(rate), median(ratio), median(client),
                    median(redis), notRedis);
    }
    std::printf("medians of %d rounds; ratios paired per round; Redis us = CPU of all masters per decision (INFO cpu)\n", rounds);
    return 0;
}
