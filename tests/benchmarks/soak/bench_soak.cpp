// bench_soak: a long run of mixed traffic through one sluice-server on a private redis-server, with
// Redis killed in the middle and restarted 5 s later. What it shows: resident memory stays flat
// (RSS sampled every 10 s or 1/30 of the run, compared between the first and the last quarter after warm-up), no error
// outside the fault window (statuses other than 200/429, lost connections, hangs), latency per phase.
//
// Traffic (closed loop, loopback): API-key clients on the default rule (sliding log) over a rotating
// key space, clients of a token-bucket endpoint rule, new client IPs through a trusted proxy, and an
// operator polling /admin/rate-limit/stats and /metrics once a second.
//
// Usage: bench_soak [--duration seconds (600)] [--connections per generator (4)] [--gap ms (1)]

#include "faultsupport.h"
#include "redisserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <cstdio>

using namespace Faults;

namespace {

const QByteArray kAdminKey = QByteArrayLiteral("soak-admin-key");
constexpr qint64 kFaultWindowMs = 15'000; // from the kill to 15 s after it (5 s down + reconnect + slack)

void out(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption durationOption(QStringLiteral("duration"), QStringLiteral("Run time in seconds (default 600)."),
                                            QStringLiteral("seconds"), QStringLiteral("600"));
    const QCommandLineOption connectionsOption(QStringLiteral("connections"), QStringLiteral("Connections per generator (default 4)."),
                                               QStringLiteral("n"), QStringLiteral("4"));
    const QCommandLineOption gapOption(QStringLiteral("gap"), QStringLiteral("Pause per connection between requests (default 1 ms; 0: flat out)."),
                                       QStringLiteral("ms"), QStringLiteral("1"));
    parser.addOptions({durationOption, connectionsOption, gapOption});
    parser.process(app);
    const qint64 durationMs = parser.value(durationOption).toLongLong() * 1000;
    const int connections = parser.value(connectionsOption).toInt();
    if (durationMs < 30'000 || connections < 1) {
        std::fprintf(stderr, "bench_soak: --duration must be at least 30 and --connections at least 1\n");
        return 2;
    }

    RedisServer redis;
    if (!redis.start()) {
        std::fprintf(stderr, "bench_soak: %s\n", qPrintable(redis.errorString()));
        return 1;
    }
    ServerProcess server({{"REDIS_ADDR", QString::fromLatin1(redis.address())},
                          {"ADMIN_KEY", QString::fromLatin1(kAdminKey)},
                          {"TRUSTED_PROXIES", "127.0.0.1"},
                          {"REQUEST_RATE_LIMIT", "120"}});
    if (!server.waitUntilListening()) {
        std::fprintf(stderr, "bench_soak: sluice-server did not start:\n%s\n", server.log().constData());
        return 1;
    }
    QNetworkAccessManager manager;
    const auto request = [&](const QByteArray &verb, const QString &path, const QByteArray &body = {}) {
        QNetworkRequest r(server.url(path));
        r.setRawHeader("X-Admin-Key", kAdminKey);
        if (!body.isEmpty())
            r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QNetworkReply *reply = manager.sendCustomRequest(r, verb, body);
        QObject::connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
        return reply;
    };
    // The rule change is refused (503) until the Redis store is connected: retry until it is applied.
    const bool ruleSet = eventually([&] {
        QNetworkReply *rule = request("PUT", QStringLiteral("/admin/rate-limit/config"),
                                      "{\"endpoint\":\"/v1/chat\",\"requests\":20,\"window\":10,\"algorithm\":\"token_bucket\",\"burst\":40}");
        eventually([&] { return rule->isFinished(); }, 5000);
        return rule->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200;
    }, 10000);
    if (!ruleSet) {
        std::fprintf(stderr, "bench_soak: could not set the endpoint rule\n%s\n", server.log().constData());
        return 1;
    }

    LoadGenerator::Options keyed;
    keyed.ports = {server.port()};
    keyed.connections = connections;
    keyed.gapMs = parser.value(gapOption).toInt();
    keyed.keyFor = [](quint64 seq) { return QByteArray("soak-key-") + QByteArray::number(seq % 5000); };
    LoadGenerator::Options chat = keyed;
    chat.headers = {{"X-Original-URI", "/v1/chat"}};
    chat.keyFor = [](quint64 seq) { return QByteArray("chat-key-") + QByteArray::number(seq % 20); };
    LoadGenerator::Options byIp = keyed;
    byIp.keyFor = nullptr;
    // Every request from a new client IP (2^20 of them, then they repeat): keys keep being created,
    // expire after the window and must be reclaimed, or RSS would climb.
    byIp.forwardedFor = [](quint64 seq) {
        return "10." + QByteArray::number((seq >> 16) & 0x0f) + '.' + QByteArray::number((seq >> 8) & 0xff) + '.'
               + QByteArray::number(seq & 0xff);
    };
    std::vector<std::unique_ptr<LoadGenerator>> generators;
    generators.push_back(std::make_unique<LoadGenerator>(keyed));
    generators.push_back(std::make_unique<LoadGenerator>(chat));
    generators.push_back(std::make_unique<LoadGenerator>(byIp));
    for (auto &g : generators)
        g->start();

    QElapsedTimer clock;
    clock.start();
    const qint64 killAtMs = durationMs / 2;
    qint64 killedAt = -1;
    bool restarted = false;
    std::vector<std::pair<qint64, qint64>> rss; // (ms, KiB)
    qint64 nextRssAt = 0;
    qint64 nextAdminAt = 0;
    qint64 adminCalls = 0;
    qint64 adminFailures = 0;
    out(QStringLiteral("bench_soak: %1 s, %2 connections x 3 generators, Redis killed at %3 s for 5 s")
            .arg(durationMs / 1000).arg(connections).arg(killAtMs / 1000));
    while (clock.elapsed() < durationMs) {
        spin(100);
        const qint64 now = clock.elapsed();
        if (killedAt < 0 && now >= killAtMs) {
            redis.kill();
            killedAt = now;
            out(QStringLiteral("  %1 s: Redis killed").arg(now / 1000));
        }
        if (killedAt >= 0 && !restarted && now >= killedAt + 5000) {
            restarted = redis.restart();
            out(QStringLiteral("  %1 s: Redis restarted (%2)").arg(now / 1000).arg(restarted ? "ok" : "FAILED"));
        }
        if (now >= nextAdminAt) {
            nextAdminAt = now + 1000;
            for (const QString &path : {QStringLiteral("/admin/rate-limit/stats?limit=20"), QStringLiteral("/metrics")}) {
                QNetworkReply *reply = request("GET", path);
                ++adminCalls;
                const bool inFault = killedAt >= 0 && now < killedAt + kFaultWindowMs;
                QObject::connect(reply, &QNetworkReply::finished, reply, [reply, &adminFailures, inFault] {
                    if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200 && !inFault)
                        ++adminFailures;
                });
            }
        }
        if (now >= nextRssAt) {
            nextRssAt = now + std::min<qint64>(10'000, durationMs / 30);
            rss.emplace_back(now, server.rssKiB());
            qint64 done = 0;
            for (auto &g : generators)
                done += g->completed();
            out(QStringLiteral("  %1 s: %2 requests, sluice-server RSS %3 KiB").arg(now / 1000).arg(done).arg(rss.back().second));
        }
    }
    for (auto &g : generators)
        g->stop();

    const auto inFault = [&](qint64 ms) { return killedAt >= 0 && ms >= killedAt && ms < killedAt + kFaultWindowMs; };
    qint64 total = 0, errorsOutside = 0, errorsInside = 0, admitted = 0, denied = 0;
    std::vector<qint64> latOutside, latInside;
    for (auto &g : generators) {
        total += g->completed();
        admitted += g->count(200);
        denied += g->count(429);
        for (const LoadGenerator::Sample &s : g->samples()) {
            const bool bad = s.status != 200 && s.status != 429;
            (inFault(s.startMs) ? errorsInside : errorsOutside) += bad ? 1 : 0;
            (inFault(s.startMs) ? latInside : latOutside).push_back(s.latencyUs);
        }
        for (qint64 t : g->failureTimesMs())
            (inFault(t) ? errorsInside : errorsOutside) += 1;
    }
    const auto pct = [](std::vector<qint64> &v, double p) {
        if (v.empty())
            return 0.0;
        std::sort(v.begin(), v.end());
        return double(v[std::min(v.size() - 1, size_t(p / 100.0 * double(v.size())))]) / 1000.0;
    };
    // RSS flatness: mean of the samples in the second quarter vs the last quarter (the first quarter is warm-up).
    const auto meanRss = [&](double from, double to) {
        qint64 sum = 0, n = 0;
        for (const auto &[ms, kib] : rss) {
            if (ms >= from * durationMs && ms < to * durationMs) {
                sum += kib;
                ++n;
            }
        }
        return n ? sum / n : 0;
    };
    qint64 rssMax = 0;
    for (const auto &r : rss)
        rssMax = std::max(rssMax, r.second);
    const qint64 early = meanRss(0.25, 0.5);
    const qint64 late = meanRss(0.75, 1.0);
    out(QStringLiteral("requests %1 (%2/s): %3 admitted, %4 denied").arg(total).arg(total * 1000 / durationMs).arg(admitted).arg(denied));
    out(QStringLiteral("errors outside the fault window: %1 (+%2 admin); inside it (%3 s from the kill): %4")
            .arg(errorsOutside).arg(adminFailures).arg(kFaultWindowMs / 1000).arg(errorsInside));
    out(QStringLiteral("latency outside: p50 %1 ms, p99 %2 ms, max %3 ms; inside: p99 %4 ms, max %5 ms")
            .arg(pct(latOutside, 50), 0, 'f', 2).arg(pct(latOutside, 99), 0, 'f', 2).arg(pct(latOutside, 100), 0, 'f', 1)
            .arg(pct(latInside, 99), 0, 'f', 2).arg(pct(latInside, 100), 0, 'f', 1));
    out(QStringLiteral("sluice-server RSS: 2nd quarter mean %1 KiB, last quarter mean %2 KiB (%3%), max %4 KiB; admin calls %5")
            .arg(early).arg(late).arg(early ? (late - early) * 100.0 / early : 0.0, 0, 'f', 1).arg(rssMax).arg(adminCalls));
    const bool ok = errorsOutside == 0 && adminFailures == 0 && restarted && server.isRunning() && early > 0 && late > 0
                    && late <= early * 11 / 10 + 4096;
    out(ok ? QStringLiteral("bench_soak: OK") : QStringLiteral("bench_soak: FAILED"));
    return ok ? 0 : 1;
}
