// How responsive the console's GUI thread stays while it watches a busy service. Runs the real
// MainWindow (offscreen, 1280x800, 1 s refresh, top 500) in this process's GUI thread; the service and a
// traffic generator run on a second thread, so only the console's own work lands on the GUI thread.
// A 10 ms timer on the GUI thread records the gap between its ticks: a blocked event loop shows as a
// long gap. Phase 1 watches the idle service (baseline), phase 2 the service with N keys of which T are
// touched every second; the report gives the tick-gap percentiles of both.

#include "mainwindow.h"
#include "serviceconfig.h"
#include "sluiceservice.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>

namespace {

// Lives on the service thread: the service and the client traffic that keeps its keys changing.
class Backend : public QObject
{
public:
    explicit Backend(QByteArray adminKey) : m_adminKey(std::move(adminKey)) {}

    void start()
    {
        ServiceConfig config = ServiceConfig::defaults();
        config.listenHost = QStringLiteral("127.0.0.1");
        config.listenPort = 0;
        config.adminKeys = {m_adminKey};
        config.requestRateLimit = 100;
        m_service = new SluiceService(config, this);
        QString error;
        if (!m_service->start(&error))
            qFatal("service: %s", qPrintable(error));
        m_network = new QNetworkAccessManager(this);
        m_touch = new QTimer(this);
        m_touch->setInterval(1000);
        connect(m_touch, &QTimer::timeout, this, [this] {
            QList<int> batch;
            for (int i = 0; i < m_touchPerSecond && m_keys > 0; ++i)
                batch.append((m_offset + i) % m_keys);
            if (m_keys > 0)
                m_offset = (m_offset + m_touchPerSecond) % m_keys;
            send(batch, {});
        });
    }
    QUrl baseUrl() const { return m_service->baseUrl(); }

    // Sends one request per client id, at most 12 in flight; `done` runs on this thread afterwards.
    void send(const QList<int> &clients, std::function<void()> done)
    {
        auto state = std::make_shared<std::pair<qsizetype, int>>(0, 0); // next, in flight
        auto pump = std::make_shared<std::function<void()>>();
        *pump = [this, clients, done, state, pump] {
            while (state->second < 12 && state->first < clients.size()) {
                QUrl url = m_service->baseUrl();
                url.setPath(QStringLiteral("/v1/ratelimit/check"));
                QNetworkRequest request(url);
                request.setRawHeader("X-API-Key", "bench-client-" + QByteArray::number(clients.at(state->first++)));
                QNetworkReply *reply = m_network->get(request);
                ++state->second;
                connect(reply, &QNetworkReply::finished, this, [reply, state, pump, done, total = clients.size()] {
                    reply->deleteLater();
                    --state->second;
                    if (state->first == total && state->second == 0) {
                        if (done)
                            done();
                        *pump = nullptr; // break the self-reference
                    } else {
                        (*pump)();
                    }
                });
            }
        };
        if (clients.isEmpty()) {
            if (done)
                done();
            return;
        }
        (*pump)();
    }

    void setTraffic(int keys, int touchPerSecond)
    {
        m_keys = keys;
        m_touchPerSecond = touchPerSecond;
        if (keys > 0)
            m_touch->start();
        else
            m_touch->stop();
    }

private:
    QByteArray m_adminKey;
    SluiceService *m_service = nullptr;
    QNetworkAccessManager *m_network = nullptr;
    QTimer *m_touch = nullptr;
    int m_keys = 0;
    int m_touchPerSecond = 0;
    int m_offset = 0;
};

struct Gaps
{
    double p50 = 0, p99 = 0, max = 0;
    int over50 = 0;
};

// Runs the event loop for `seconds`, recording the gaps between 10 ms timer ticks.
Gaps measure(int seconds)
{
    QList<double> gaps;
    QElapsedTimer clock;
    clock.start();
    qint64 last = clock.nsecsElapsed();
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(10);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        gaps.append(double(now - last) / 1e6);
        last = now;
    });
    tick.start();
    QEventLoop loop;
    QTimer::singleShot(seconds * 1000, &loop, &QEventLoop::quit);
    loop.exec();
    std::sort(gaps.begin(), gaps.end());
    Gaps g;
    if (gaps.isEmpty())
        return g;
    g.p50 = gaps.at(gaps.size() / 2);
    g.p99 = gaps.at(std::min<qsizetype>(gaps.size() - 1, gaps.size() * 99 / 100));
    g.max = gaps.last();
    g.over50 = int(std::count_if(gaps.begin(), gaps.end(), [](double v) { return v > 50; }));
    return g;
}

void waitMs(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("XDG_CONFIG_HOME", "/tmp/bench_console_latency-config");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption keysOption(QStringLiteral("keys"), QStringLiteral("Tracked keys (default 10000)."), QStringLiteral("n"), QStringLiteral("10000"));
    const QCommandLineOption secondsOption(QStringLiteral("seconds"), QStringLiteral("Measuring window per phase (default 30)."), QStringLiteral("s"), QStringLiteral("30"));
    const QCommandLineOption touchOption(QStringLiteral("touch-per-second"), QStringLiteral("Keys touched per second (default 2000)."), QStringLiteral("n"), QStringLiteral("2000"));
    parser.addOptions({keysOption, secondsOption, touchOption});
    parser.process(app);
    const int keys = parser.value(keysOption).toInt();
    const int seconds = parser.value(secondsOption).toInt();
    const int touch = parser.value(touchOption).toInt();

    const QByteArray adminKey = QByteArrayLiteral("bench-admin-key");
    QThread serviceThread;
    serviceThread.start();
    auto *backend = new Backend(adminKey);
    backend->moveToThread(&serviceThread);
    QMetaObject::invokeMethod(backend, [backend] { backend->start(); }, Qt::BlockingQueuedConnection);

    MainWindow window;
    window.resize(1280, 800);
    window.show();
    window.connectToRemote(backend->baseUrl(), QString::fromLatin1(adminKey));
    waitMs(5000);
    std::printf("phase 1: idle service, %d s\n", seconds);
    std::fflush(stdout);
    const Gaps idle = measure(seconds);

    std::printf("creating %d keys...\n", keys);
    std::fflush(stdout);
    QList<int> all;
    for (int i = 0; i < keys; ++i)
        all.append(i);
    QEventLoop created;
    QMetaObject::invokeMethod(backend, [backend, all, &created] {
        backend->send(all, [&created] { QMetaObject::invokeMethod(&created, &QEventLoop::quit, Qt::QueuedConnection); });
    });
    created.exec();
    QMetaObject::invokeMethod(backend, [backend, keys, touch] { backend->setTraffic(keys, touch); });
    waitMs(5000);
    std::printf("phase 2: %d keys, %d touched per second, %d s (table rows: %d)\n", keys, touch, seconds,
                window.controller()->keys()->rowCount());
    std::fflush(stdout);
    const Gaps busy = measure(seconds);

    std::printf("\n| GUI thread, 10 ms timer | gap p50 | gap p99 | gap max | gaps > 50 ms |\n|---|---|---|---|---|\n");
    std::printf("| idle service (baseline) | %.1f ms | %.1f ms | %.1f ms | %d |\n", idle.p50, idle.p99, idle.max, idle.over50);
    std::printf("| %d keys, %d touched/s, top %d | %.1f ms | %.1f ms | %.1f ms | %d |\n", keys, touch,
                window.controller()->topKeyCount(), busy.p50, busy.p99, busy.max, busy.over50);

    QMetaObject::invokeMethod(backend, [backend] { delete backend; }, Qt::BlockingQueuedConnection);
    serviceThread.quit();
    serviceThread.wait();
    return 0;
}
