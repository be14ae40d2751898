// renderMetrics: Prometheus text format, checked by our own parser and by promtool when installed.

#include "metrics.h"

#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>

class tst_Metrics : public QObject
{
    Q_OBJECT

private:
    static MetricsState sampleState()
    {
        ServiceStats stats;
        stats.recordDecision(Strategy::Ip, DecisionOutcome::Allowed, 30);
        stats.recordDecision(Strategy::Ip, DecisionOutcome::Blocked, 120);
        stats.recordDecision(Strategy::ApiKey, DecisionOutcome::Allowed, 5'000'000);
        stats.recordDecision(Strategy::Endpoint, DecisionOutcome::StoreError, 700);
        stats.recordConfigUpdate();
        stats.recordFallbackDecision();
        MetricsState state;
        state.stats = stats.snapshot();
        state.mode = StoreMode::MemoryFallback;
        state.redisConnected = false;
        state.trackedKeys = 3;
        state.redisErrors = 7;
        RedisNodeHealth health;
        health.checkedAtMs = 1'700'000'000'000;
        health.latencyMs = 1.5;
        health.parseInfo("used_memory:1000\r\nmaxmemory:2000\r\nmaxmemory_policy:allkeys-lru\r\nrole:master\r\n"
                         "slave0:ip=10.0.0.2,port=6380,state=online,offset=10,lag=2\r\nmaster_repl_offset:12\r\n");
        state.redisHealth = health;
        state.nowMs = health.checkedAtMs + 12'500;
        state.redisPoolInFlight = 4;
        return state;
    }

private slots:
    void everySampleLineIsWellFormed()
    {
        const QByteArray text = renderMetrics(sampleState());
        static const QRegularExpression sample(
            QStringLiteral("^sluice_[a-z_]+(\\{[a-z_]+=\"[^\"]*\"(,[a-z_]+=\"[^\"]*\")*\\})? [0-9.e+-]+$"));
        QSet<QByteArray> typed;
        for (const QByteArray &line : text.split('\n')) {
            if (line.isEmpty())
                continue;
            if (line.startsWith("# TYPE ")) {
                typed.insert(line.split(' ').at(2));
                continue;
            }
            if (line.startsWith("# HELP "))
                continue;
            QVERIFY2(sample.match(QString::fromLatin1(line)).hasMatch(), line.constData());
        }
        for (const char *name : {"sluice_rate_limit_requests_total", "sluice_rate_limit_blocked_total",
                                 "sluice_rate_limit_redis_errors_total", "sluice_rate_limit_config_updates_total",
                                 "sluice_rate_limit_redis_connected", "sluice_rate_limit_decision_duration_seconds",
                                 "sluice_rate_limit_store_mode"})
            QVERIFY2(typed.contains(name), name);
    }

    void valuesFollowTheCounters()
    {
        const QByteArray text = renderMetrics(sampleState());
        QVERIFY(text.contains("sluice_rate_limit_requests_total{strategy=\"ip\",status=\"blocked\"} 1\n"));
        QVERIFY(text.contains("sluice_rate_limit_requests_total{strategy=\"endpoint\",status=\"error\"} 1\n"));
        QVERIFY(text.contains("sluice_rate_limit_blocked_total 1\n"));
        QVERIFY(text.contains("sluice_rate_limit_redis_errors_total 7\n"));
        QVERIFY(text.contains("sluice_rate_limit_fallback_decisions_total 1\n"));
        QVERIFY(text.contains("sluice_rate_limit_config_updates_total 1\n"));
        QVERIFY(text.contains("sluice_rate_limit_store_mode{mode=\"memory-fallback\"} 1\n"));
        QVERIFY(text.contains("sluice_rate_limit_store_mode{mode=\"redis\"} 0\n"));
        QVERIFY(text.contains("sluice_rate_limit_decision_duration_seconds_bucket{le=\"5e-05\"} 1\n"));
        QVERIFY(text.contains("sluice_rate_limit_decision_duration_seconds_bucket{le=\"0.00025\"} 2\n"));
        QVERIFY(text.contains("sluice_rate_limit_decision_duration_seconds_bucket{le=\"0.25\"} 3\n"));
        QVERIFY(text.contains("sluice_rate_limit_decision_duration_seconds_bucket{le=\"+Inf\"} 4\n"));
        QVERIFY(text.contains("sluice_rate_limit_decision_duration_seconds_count 4\n"));
        QVERIFY(text.contains("sluice_rate_limit_decision_duration_seconds_sum 5.00085\n"));
        QVERIFY(text.contains("\nsluice_redis_latency_seconds 0.0015\n"));
        QVERIFY(text.contains("\nsluice_redis_used_memory_bytes 1000\n"));
        QVERIFY(text.contains("\nsluice_redis_maxmemory_bytes 2000\n"));
        QVERIFY(text.contains("\nsluice_redis_eviction_risk 1\n"));
        QVERIFY(text.contains("\nsluice_redis_replication_lag_seconds 2\n"));
        QVERIFY(text.contains("\nsluice_redis_pool_in_flight 4\n"));
        QVERIFY(text.contains("\nsluice_redis_health_probe_ok 1\n"));
        QVERIFY(text.contains("\nsluice_redis_health_sample_age_seconds 12.5\n"));
    }

    void failingProbesShowInTheHealthGauges()
    {
        MetricsState state = sampleState();
        state.redisHealth->probeError = QStringLiteral("no reply within 250 ms");
        state.nowMs += 60'000;
        const QByteArray text = renderMetrics(state);
        QVERIFY(text.contains("\nsluice_redis_health_probe_ok 0\n"));
        QVERIFY(text.contains("\nsluice_redis_health_sample_age_seconds 72.5\n"));
        QVERIFY(text.contains("\nsluice_redis_latency_seconds 0.0015\n")); // the last good sample
    }

    void redisHealthGaugesAreAbsentWithoutASample()
    {
        MetricsState state = sampleState();
        state.redisHealth.reset();
        state.redisPoolInFlight.reset();
        const QByteArray text = renderMetrics(state);
        QVERIFY(!text.contains("sluice_redis_"));
    }

    void passesPromtool()
    {
        const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        if (promtool.isEmpty())
            QFAIL("promtool is not installed (Debian package prometheus)");
        QProcess p;
        p.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
        QVERIFY(p.waitForStarted());
        p.write(renderMetrics(sampleState()));
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(30000));
        QVERIFY2(p.exitCode() == 0, (p.readAllStandardOutput() + p.readAllStandardError()).constData());
    }

    void latencyQuantilesComeFromTheHistogram()
    {
        ServiceStats stats;
        QCOMPARE(stats.snapshot().latencyQuantileUs(0.5), 0.0);
        for (int i = 0; i < 100; ++i)
            stats.recordDecision(Strategy::Ip, DecisionOutcome::Allowed, i < 90 ? 40 : 400);
        const ServiceStats::Snapshot s = stats.snapshot();
        QVERIFY(s.latencyQuantileUs(0.5) <= 50);
        QVERIFY(s.latencyQuantileUs(0.99) > 250 && s.latencyQuantileUs(0.99) <= 500);
        QCOMPARE(s.totalRequests(), 100);
    }
};

QTEST_MAIN(tst_Metrics)
#include "tst_metrics.moc"
