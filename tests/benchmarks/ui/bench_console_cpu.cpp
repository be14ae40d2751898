// Measures what the operator console costs while it watches a busy service. The benchmark process runs
// a real SluiceService on a free loopback port, creates N tracked keys (one API key each), and keeps
// touching a rotating share of them every second so counts and reset times change all the time.
// It then starts the real sluice-console (offscreen, --connect, 1 s refresh) as a child process and
// reads the child's CPU time from /proc over a measuring window after a warm-up.
// Two phases in the same run: the console watching the idle service (baseline) and watching the
// N-key service; the report gives both and their ratio. The service's own CPU is not in the figure:
// it runs in this process, the console in its own.

#include "serviceconfig.h"
#include "sluiceservice.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTimer>

#include <cstdio>
#include <unistd.h>

namespace {

struct ProcessSample
{
    double cpuSeconds = 0;
    qint64 rssKiB = 0;
    qint64 bytesRead = 0; // rchar: includes what the console read from its admin API socket
};

ProcessSample sample(qint64 pid)
{
    ProcessSample s;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray line = stat.readAll();
        // Fields after the ")" that ends the command name: state is field 3, utime 14, stime 15.
        const QList<QByteArray> f = line.mid(line.lastIndexOf(')') + 2).split(' ');
        const double ticks = double(f.value(11).toLongLong() + f.value(12).toLongLong());
        s.cpuSeconds = ticks / double(sysconf(_SC_CLK_TCK));
    }
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                s.rssKiB = line.mid(6).trimmed().split(' ').value(0).toLongLong();
        }
    }
    QFile io(QStringLiteral("/proc/%1/io").arg(pid));
    if (io.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : io.readAll().split('\n')) {
            if (line.startsWith("rchar:"))
                s.bytesRead = line.mid(6).trimmed().toLongLong();
        }
    }
    return s;
}

// Sends requests as API-key clients, at most `parallel` in flight, and returns when all are answered.
class Traffic
{
public:
    explicit Traffic(QUrl base) : m_base(std::move(base)) {}

    void send(const QList<int> &clients, int parallel = 12)
    {
        qsizetype next = 0;
        int inFlight = 0;
        QEventLoop loop;
        std::function<void()> pump = [&] {
            while (inFlight < parallel && next < clients.size()) {
                QUrl url = m_base;
                url.setPath(QStringLiteral("/v1/ratelimit/check"));
                QNetworkRequest request(url);
                request.setRawHeader("X-API-Key", "bench-client-" + QByteArray::number(clients.at(next++)));
                QNetworkReply *reply = m_network.get(request);
                ++inFlight;
                QObject::connect(reply, &QNetworkReply::finished, &loop, [&, reply] {
                    reply->deleteLater();
                    --inFlight;
                    if (next == clients.size() && inFlight == 0)
                        loop.quit();
                    else
                        pump();
                });
            }
        };
        pump();
        if (inFlight > 0)
            loop.exec();
    }

private:
    QUrl m_base;
    QNetworkAccessManager m_network;
};

void waitMs(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

struct PhaseResult
{
    double cpuPercent = 0;
    qint64 rssKiB = 0;
    double readKiBPerSecond = 0; // shows the console really received the stats it polled
};

// Runs the console against `service` for warm-up + `seconds`, touching `touchPerSecond` of `keys`
// keys each second (none when keys == 0).
PhaseResult runPhase(SluiceService &service, const QByteArray &adminKey, int keys, int touchPerSecond, int seconds, int top)
{
    Traffic traffic(service.baseUrl());
    QProcess console;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("SLUICE_ADMIN_KEY"), QString::fromLatin1(adminKey));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), QStringLiteral("/tmp/bench_console_cpu-config"));
    console.setProcessEnvironment(env);
    console.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    console.start(QStringLiteral(SLUICE_CONSOLE_PATH),
                  {QStringLiteral("--connect"), service.baseUrl().toString(), QStringLiteral("--interval"),
                   QStringLiteral("1"), QStringLiteral("--top"), QString::number(top), QStringLiteral("--language"),
                   QStringLiteral("en")});
    if (!console.waitForStarted(10'000)) {
        std::fprintf(stderr, "cannot start %s\n", SLUICE_CONSOLE_PATH);
        std::exit(1);
    }
    int offset = 0;
    auto touchForOneSecond = [&] {
        QElapsedTimer t;
        t.start();
        if (keys > 0) {
            QList<int> batch;
            for (int i = 0; i < touchPerSecond; ++i)
                batch.append((offset + i) % keys);
            offset = (offset + touchPerSecond) % keys;
            traffic.send(batch);
        }
        waitMs(std::max<int>(0, 1000 - int(t.elapsed())));
    };
    for (int i = 0; i < 5; ++i) // warm-up: connect, first polls, chart fills
        touchForOneSecond();
    const ProcessSample before = sample(console.processId());
    QElapsedTimer wall;
    wall.start();
    for (int i = 0; i < seconds; ++i)
        touchForOneSecond();
    const ProcessSample after = sample(console.processId());
    const double elapsed = double(wall.elapsed()) / 1000.0;
    console.terminate();
    if (!console.waitForFinished(5000))
        console.kill();
    return {100.0 * (after.cpuSeconds - before.cpuSeconds) / elapsed, after.rssKiB,
            double(after.bytesRead - before.bytesRead) / 1024.0 / elapsed};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption keysOption(QStringLiteral("keys"), QStringLiteral("Tracked keys (default 10000)."), QStringLiteral("n"), QStringLiteral("10000"));
    const QCommandLineOption secondsOption(QStringLiteral("seconds"), QStringLiteral("Measuring window per phase (default 30)."), QStringLiteral("s"), QStringLiteral("30"));
    const QCommandLineOption touchOption(QStringLiteral("touch-per-second"), QStringLiteral("Keys touched per second (default 2000)."), QStringLiteral("n"), QStringLiteral("2000"));
    const QCommandLineOption topOption(QStringLiteral("top"), QStringLiteral("Keys the console requests per poll (default 500, its default)."), QStringLiteral("n"), QStringLiteral("500"));
    parser.addOptions({keysOption, secondsOption, touchOption, topOption});
    parser.process(app);
    const int keys = parser.value(keysOption).toInt();
    const int seconds = parser.value(secondsOption).toInt();
    const int touch = parser.value(touchOption).toInt();
    const int top = parser.value(topOption).toInt();

    const QByteArray adminKey = QByteArrayLiteral("bench-admin-key");
    ServiceConfig config = ServiceConfig::defaults();
    config.listenHost = QStringLiteral("127.0.0.1");
    config.listenPort = 0;
    config.adminKeys = {adminKey};
    config.requestRateLimit = 100; // per minute: touched keys sit between 1 % and 100 %, some get blocked
    SluiceService service(config);
    QString error;
    if (!service.start(&error)) {
        std::fprintf(stderr, "service: %s\n", qPrintable(error));
        return 1;
    }

    std::printf("console: %s\nphase 1: idle service, 0 keys, %d s\n", SLUICE_CONSOLE_PATH, seconds);
    std::fflush(stdout);
    const PhaseResult idle = runPhase(service, adminKey, 0, 0, seconds, top);

    std::printf("creating %d keys...\n", keys);
    std::fflush(stdout);
    QElapsedTimer create;
    create.start();
    Traffic traffic(service.baseUrl());
    QList<int> all;
    for (int i = 0; i < keys; ++i)
        all.append(i);
    traffic.send(all);
    std::printf("created in %.1f s; phase 2: %d keys, %d touched per second, %d s\n", create.elapsed() / 1000.0, keys,
                touch, seconds);
    std::fflush(stdout);
    const PhaseResult busy = runPhase(service, adminKey, keys, touch, seconds, top);

    std::printf("\n| console watching | CPU (%% of one core) | RSS | read by the console |\n|---|---|---|---|\n");
    std::printf("| idle service, 0 keys (baseline) | %.1f %% | %lld MiB | %.1f KiB/s |\n", idle.cpuPercent,
                idle.rssKiB / 1024, idle.readKiBPerSecond);
    std::printf("| %d keys, %d touched/s, top %d per 1 s poll | %.1f %% | %lld MiB | %.1f KiB/s |\n", keys, touch, top,
                busy.cpuPercent, busy.rssKiB / 1024, busy.readKiBPerSecond);
    std::printf("ratio busy/idle: %.2f\n", idle.cpuPercent > 0 ? busy.cpuPercent / idle.cpuPercent : 0.0);
    return 0;
}
