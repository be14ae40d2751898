// Throughput of RedisRateLimitStore against a local redis-server it starts itself, compared with the
// ceiling that redis-benchmark reaches for the same EVALSHA, script arguments and key pattern in the
// same run (pipelined: -c 1 -P 256 and -c 50 -P 16; the better one is the ceiling). Rounds are
// interleaved and medians reported, so the figures read as ratios on any (noisy) machine.
// A second table measures what the key index costs: the same redis-benchmark run with the index
// key passed (numkeys 2, as the store does) and without it (numkeys 1: the script skips the index).
// With --tls it measures instead what TLS costs: the same store over TLS (a second redis-server
// serving TLS only, certificates made by openssl for the run) against the plain store, rounds
// interleaved, with client and Redis CPU per decision.

#include "memoryratelimitstore.h"
#include "redisratelimitstore.h"
#include "redisscripts.h"
#include "redisserver.h"
#include "testcertificates.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTimer>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

struct Scenario
{
    const char *name;
    RateLimitPolicy policy;
};

RateLimitPolicy policy(Algorithm a, qint64 limit, qint64 windowMs, qint64 burst = 0)
{
    RateLimitPolicy p;
    p.algorithm = a;
    p.limit = limit;
    p.windowMs = windowMs;
    p.burst = burst;
    return p;
}

// redis-benchmark's -r replaces __rand_int__ with a 12-digit number below the key space.
QByteArray keyName(quint32 i)
{
    return QByteArrayLiteral("rate_limit:ip:") + QByteArray::number(i).rightJustified(12, '0');
}

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct StoreRun
{
    double perSecond = 0;
    double cpuUsPerDecision = 0;
    int notRedis = 0;
};

StoreRun runStore(RedisRateLimitStore &store, const RateLimitPolicy &p, int calls, int inflight, const std::vector<QByteArray> &keys)
{
    QRandomGenerator rng(42);
    int issued = 0;
    int done = 0;
    StoreRun run;
    QEventLoop loop;
    std::function<void()> issue;
    issue = [&] {
        const QByteArray &key = keys[rng.bounded(quint32(keys.size()))];
        ++issued;
        store.acquire(key, p, 1, [&](const Decision &d) {
            ++done;
            if (d.source != DecisionSource::Redis) {
                ++run.notRedis;
                if (issued < calls) // answered inside acquire(): do not recurse
                    QTimer::singleShot(0, &loop, issue);
            } else if (issued < calls) {
                issue();
            }
            if (done == calls)
                loop.quit();
        });
    };
    const double cpu0 = cpuSeconds();
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < inflight && issued < calls; ++i)
        issue();
    loop.exec();
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    run.perSecond = calls / seconds;
    run.cpuUsPerDecision = (cpuSeconds() - cpu0) * 1e6 / calls;
    return run;
}

QStringList scriptArgs(const Scenario &s, bool withIndex, const QByteArray &indexKey)
{
    const RedisScripts::Script &script = RedisScripts::forAlgorithm(s.policy.algorithm);
    const QString key = QStringLiteral("rate_limit:ip:__rand_int__");
    QString fourth = QStringLiteral("0");
    if (s.policy.algorithm == Algorithm::TokenBucket)
        fourth = QString::number(s.policy.effectiveBurst());
    else if (s.policy.algorithm == Algorithm::SlidingLog)
        fourth = QStringLiteral("bench:__rand_int__");
    const QString member = QStringLiteral("%1:%2:%3:%4:%5")
                               .arg(QString::fromLatin1(RedisScripts::algorithmCode(s.policy.algorithm)))
                               .arg(s.policy.limit)
                               .arg(s.policy.windowMs)
                               .arg(s.policy.burst)
                               .arg(key);
    QStringList args{QStringLiteral("EVALSHA"), QString::fromLatin1(script.sha)};
    if (withIndex)
        args << QStringLiteral("2") << key << QString::fromLatin1(indexKey);
    else
        args << QStringLiteral("1") << key;
    args << QString::number(s.policy.limit) << QString::number(s.policy.windowMs) << QStringLiteral("1") << fourth << member;
    return args;
}

// Returns requests per second, or 0 when redis-benchmark failed.
double runRedisBenchmark(const RedisServer &server, const QStringList &options, const QStringList &command, QString *commandLine)
{
    QStringList args{QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(server.port()), QStringLiteral("-q")};
    args += options;
    args += command;
    if (commandLine)
        *commandLine = QStringLiteral("redis-benchmark ") + args.join(u' ');
    QProcess p;
    p.start(QStringLiteral("redis-benchmark"), args);
    if (!p.waitForFinished(600'000))
        return 0;
    const QString out = QString::fromLocal8Bit(p.readAllStandardOutput());
    const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("([0-9.]+) requests per second")).match(out);
    if (!m.hasMatch()) {
        std::fprintf(stderr, "redis-benchmark output not understood:\n%s\n%s\n", qPrintable(out), p.readAllStandardError().constData());
        return 0;
    }
    return m.captured(1).toDouble();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

void reset(const RedisServer &server)
{
    server.cli({QStringLiteral("FLUSHALL")});
}

// CPU seconds (user + system) the redis-server process has used (INFO cpu: its getrusage). Per
// decision this is the cost of the script plus Redis' network handling, measured in CPU time, so it
// stays meaningful when other processes compete for the cores and throughput figures wobble.
double redisCpuSeconds(const RedisServer &server)
{
    const QString info = QString::fromLatin1(server.cli({QStringLiteral("INFO"), QStringLiteral("cpu")}));
    double total = 0;
    for (const QString &field : {QStringLiteral("used_cpu_sys"), QStringLiteral("used_cpu_user")}) {
        const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("%1:([0-9.]+)").arg(field)).match(info);
        total += m.hasMatch() ? m.captured(1).toDouble() : 0;
    }
    return total;
}

struct Sample
{
    std::vector<double> rates, clientUs, redisUs;
    int fallbacks = 0;

    void add(const StoreRun &run, double redisUsPerDecision)
    {
        rates.push_back(run.perSecond);
        clientUs.push_back(run.cpuUsPerDecision);
        redisUs.push_back(redisUsPerDecision);
        fallbacks += run.notRedis;
    }
};

Sample &measure(Sample &sample, const RedisServer &server, RedisRateLimitStore &store, const RateLimitPolicy &p, int calls,
                int inflight, const std::vector<QByteArray> &keys)
{
    reset(server);
    const double cpu0 = redisCpuSeconds(server);
    const StoreRun run = runStore(store, p, calls, inflight, keys);
    sample.add(run, (redisCpuSeconds(server) - cpu0) * 1e6 / calls);
    return sample;
}

// The store over TLS against the plain store (`plain`, `plainServer`), same scenarios, rounds
// interleaved so that both see the same machine load.
int compareTls(const RedisServer &plainServer, RedisRateLimitStore &plain, RedisSettings settings, const Scenario *scenarios,
               size_t scenarioCount, int calls, int inflight, int rounds, const std::vector<QByteArray> &keys)
{
    TestCertificates certs;
    if (!certs.create()) {
        std::fprintf(stderr, "%s\n", qPrintable(certs.errorString()));
        return 1;
    }
    RedisServer tlsServer;
    tlsServer.useTls(certs);
    if (!tlsServer.start()) {
        std::fprintf(stderr, "%s\n", qPrintable(tlsServer.errorString()));
        return 1;
    }
    settings.port = tlsServer.port();
    settings.tls.enabled = true;
    settings.tls.caFile = certs.caFile();
    SystemClock clock;
    MemoryRateLimitStore memory(clock);
    RedisRateLimitStore tls(settings, memory);
    QElapsedTimer wait;
    wait.start();
    while (!tls.isConnected() && wait.elapsed() < 5000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    if (!tls.isConnected()) {
        std::fprintf(stderr, "TLS store did not connect: %s\n", qPrintable(tls.lastError()));
        return 1;
    }
    std::printf("TLS vs plain: redis-server %d (plain) and %d (TLS only, EC P-256 certificate), %d calls per run, %d keys,\n"
                "%d in flight, pool %d, %d interleaved rounds; us = CPU per decision\n\n",
                plainServer.port(), tlsServer.port(), calls, int(keys.size()), inflight, settings.poolSize, rounds);
    std::printf("%-24s %10s %10s %8s %11s %11s %11s %11s %10s\n", "algorithm", "plain/s", "tls/s", "tls %", "plain cl us",
                "tls cl us", "plain rd us", "tls rd us", "fallbacks");
    for (size_t i = 0; i < scenarioCount; ++i) {
        const Scenario &s = scenarios[i];
        Sample p, t;
        std::vector<double> ratios;
        for (int r = 0; r < rounds; ++r) {
            const double plainRate = measure(p, plainServer, plain, s.policy, calls, inflight, keys).rates.back();
            const double tlsRate = measure(t, tlsServer, tls, s.policy, calls, inflight, keys).rates.back();
            ratios.push_back(100.0 * tlsRate / plainRate);
        }
        std::printf("%-24s %10.0f %10.0f %7.0f%% %11.2f %11.2f %11.2f %11.2f %10d\n", s.name, median(p.rates), median(t.rates),
                    median(ratios), median(p.clientUs), median(t.clientUs), median(p.redisUs), median(t.redisUs),
                    p.fallbacks + t.fallbacks);
        std::fflush(stdout);
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("RedisRateLimitStore throughput vs redis-benchmark ceiling"));
    parser.addHelpOption();
    const QCommandLineOption callsOption(QStringLiteral("calls"), QStringLiteral("Decisions per run."), QStringLiteral("n"), QStringLiteral("300000"));
    const QCommandLineOption keysOption(QStringLiteral("keys"), QStringLiteral("Key space (uniform random)."), QStringLiteral("k"), QStringLiteral("10000"));
    const QCommandLineOption inflightOption(QStringLiteral("inflight"), QStringLiteral("Calls in flight through the store."), QStringLiteral("w"), QStringLiteral("256"));
    const QCommandLineOption roundsOption(QStringLiteral("rounds"), QStringLiteral("Interleaved rounds (median reported)."), QStringLiteral("r"), QStringLiteral("3"));
    const QCommandLineOption poolOption(QStringLiteral("pool"), QStringLiteral("Store connections."), QStringLiteral("p"), QStringLiteral("1"));
    const QCommandLineOption tlsOption(QStringLiteral("tls"), QStringLiteral("Compare the store over TLS with the plain store instead."));
    parser.addOptions({callsOption, keysOption, inflightOption, roundsOption, poolOption, tlsOption});
    parser.process(app);
    const int calls = parser.value(callsOption).toInt();
    const int keyCount = parser.value(keysOption).toInt();
    const int inflight = parser.value(inflightOption).toInt();
    const int rounds = parser.value(roundsOption).toInt();
    const int pool = parser.value(poolOption).toInt();

    RedisServer server;
    if (!server.start()) {
        std::fprintf(stderr, "%s\n", qPrintable(server.errorString()));
        return 1;
    }
    SystemClock clock;
    MemoryRateLimitStore memory(clock);
    RedisSettings settings;
    settings.port = server.port();
    settings.poolSize = pool;
    settings.commandTimeoutMs = 5000; // a benchmark measures throughput, not the fallback
    RedisRateLimitStore store(settings, memory);
    QElapsedTimer wait;
    wait.start();
    while (!store.isConnected() && wait.elapsed() < 5000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    if (!store.isConnected()) {
        std::fprintf(stderr, "store did not connect: %s\n", qPrintable(store.lastError()));
        return 1;
    }

    std::vector<QByteArray> keys;
    keys.reserve(size_t(keyCount));
    for (int i = 0; i < keyCount; ++i)
        keys.push_back(keyName(quint32(i)));

    // Every call admitted (the write path, the expensive one) and every key's state kept alive for the
    // whole run, as with real clients that come back: the bucket refills slowly (10 per minute) but
    // its burst is huge, so TAT runs ahead and the key persists instead of expiring after 2 ms.
    const Scenario scenarios[] = {
        {"sliding_log", policy(Algorithm::SlidingLog, 100'000, 60'000)},
        {"sliding_window_counter", policy(Algorithm::SlidingWindowCounter, 100'000'000, 60'000)},
        {"token_bucket", policy(Algorithm::TokenBucket, 10, 60'000, 100'000'000)},
    };
    if (parser.isSet(tlsOption))
        return compareTls(server, store, settings, scenarios, std::size(scenarios), calls, inflight, rounds, keys);
    const QStringList pipelined{QStringLiteral("-n"), QString::number(calls), QStringLiteral("-r"), QString::number(keyCount),
                                QStringLiteral("-c"), QStringLiteral("1"), QStringLiteral("-P"), QStringLiteral("256")};
    const QStringList parallel{QStringLiteral("-n"), QString::number(calls), QStringLiteral("-r"), QString::number(keyCount),
                               QStringLiteral("-c"), QStringLiteral("50"), QStringLiteral("-P"), QStringLiteral("16")};

    std::printf("redis-server %d, %d calls per run, %d keys, %d in flight through the store, pool %d, %d rounds\n\n",
                server.port(), calls, keyCount, inflight, pool, rounds);
    std::printf("%-24s %10s %12s %12s %8s %12s %10s %10s %10s %10s\n", "algorithm", "store/s", "rb -c1 P256", "rb -c50 P16", "store %",
                "(min..max)", "client us", "redis us", "rb redis us", "fallbacks");
    QString exampleCommand;
    for (const Scenario &s : scenarios) {
        Sample st;
        std::vector<double> rb1, rb2, rbUs;
        for (int r = 0; r < rounds; ++r) {
            measure(st, server, store, s.policy, calls, inflight, keys);
            reset(server);
            const double rbCpu0 = redisCpuSeconds(server);
            rb1.push_back(runRedisBenchmark(server, pipelined, scriptArgs(s, true, settings.indexKey()), &exampleCommand));
            rbUs.push_back((redisCpuSeconds(server) - rbCpu0) * 1e6 / calls);
            reset(server);
            rb2.push_back(runRedisBenchmark(server, parallel, scriptArgs(s, true, settings.indexKey()), nullptr));
        }
        // Each round's store run is compared with the ceiling measured right after it (the machine's
        // load drifts); the median of those paired ratios is the figure, min..max shows the spread.
        std::vector<double> ratios;
        for (size_t r = 0; r < st.rates.size(); ++r) {
            const double ceiling = std::max(rb1[r], rb2[r]);
            ratios.push_back(ceiling > 0 ? 100.0 * st.rates[r] / ceiling : 0.0);
        }
        std::printf("%-24s %10.0f %12.0f %12.0f %7.0f%% %5.0f..%-5.0f %10.2f %10.2f %10.2f %10d\n", s.name, median(st.rates),
                    median(rb1), median(rb2), median(ratios), *std::min_element(ratios.begin(), ratios.end()),
                    *std::max_element(ratios.begin(), ratios.end()), median(st.clientUs), median(st.redisUs), median(rbUs),
                    st.fallbacks);
        std::fflush(stdout);
    }
    std::printf("\nceiling command (token bucket shown last): %s\n", qPrintable(exampleCommand));

    // What the index costs Redis: every call on a fresh key (1M key space) touches the index.
    std::printf("\nindex cost, redis-benchmark -c 1 -P 256, key space %d and 1000000 (fresh keys: index touched on nearly every call);\n"
                "us = redis-server CPU per decision (INFO cpu), cost = share of it spent on the index\n", keyCount);
    std::printf("%-24s %8s %12s %12s %13s %13s %8s\n", "algorithm", "keys", "with idx/s", "no idx/s", "with idx us", "no idx us",
                "cost");
    for (const Scenario &s : scenarios) {
        for (int space : {keyCount, 1'000'000}) {
            QStringList options = pipelined;
            options[3] = QString::number(space);
            std::vector<double> with, without, withUs, withoutUs;
            for (int r = 0; r < rounds; ++r) {
                reset(server);
                double cpu0 = redisCpuSeconds(server);
                with.push_back(runRedisBenchmark(server, options, scriptArgs(s, true, settings.indexKey()), nullptr));
                withUs.push_back((redisCpuSeconds(server) - cpu0) * 1e6 / calls);
                reset(server);
                cpu0 = redisCpuSeconds(server);
                without.push_back(runRedisBenchmark(server, options, scriptArgs(s, false, settings.indexKey()), nullptr));
                withoutUs.push_back((redisCpuSeconds(server) - cpu0) * 1e6 / calls);
            }
            const double wUs = median(withUs), woUs = median(withoutUs);
            // Cost = extra Redis CPU per decision, the part of the ceiling the index takes.
            std::printf("%-24s %8d %12.0f %12.0f %13.2f %13.2f %7.1f%%\n", s.name, space, median(with), median(without), wUs, woUs,
                        wUs > 0 ? 100.0 * (wUs - woUs) / wUs : 0.0);
            std::fflush(stdout);
        }
    }
    return 0;
}
