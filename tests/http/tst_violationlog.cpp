// ViolationLog: one line per violation, summaries per key within 10 s, bounded key table and ring,
// all driven by a ManualClock.

#include "manualclock.h"
#include "violationlog.h"

#include <QTest>

using namespace std::chrono_literals;

class tst_ViolationLog : public QObject
{
    Q_OBJECT

private:
    ManualClock m_clock;
    QStringList m_lines;

    ViolationLog::Sink sink()
    {
        return [this](const QString &line) { m_lines.append(line); };
    }
    ViolationLog::Entry violation(const QByteArray &key = QByteArrayLiteral("rate_limit:ip:10.0.0.1"))
    {
        return ViolationLog::Entry{m_clock.nowMs(), QByteArrayLiteral("ip:10.0.0.1"), key, QByteArrayLiteral("default"), 3, 50'000};
    }

private slots:
    void init()
    {
        m_clock.setNowMs(1'700'000'000'000);
        m_lines.clear();
    }

    void logsOneStructuredLinePerViolation()
    {
        ViolationLog log(m_clock, 10, sink());
        log.record(violation());
        QCOMPARE(m_lines.size(), 1);
        QCOMPARE(m_lines.first(), QStringLiteral("violation time=2023-11-14T22:13:20.000Z client=ip:10.0.0.1 key=rate_limit:ip:10.0.0.1 "
                                                 "rule=\"default\" limit=3 retry_after_ms=50000"));
    }

    void summarisesRepeatsOfOneKeyWithinTenSeconds()
    {
        ViolationLog log(m_clock, 10, sink());
        log.record(violation());
        for (int i = 0; i < 4812; ++i) {
            m_clock.advance(1ms);
            log.record(violation());
        }
        QCOMPARE(m_lines.size(), 1);
        log.record(violation(QByteArrayLiteral("rate_limit:ip:10.0.0.2"))); // another key is logged at once
        QCOMPARE(m_lines.size(), 2);
        m_clock.setNowMs(1'700'000'000'000 + 10'000);
        log.record(violation());
        QCOMPARE(m_lines.size(), 4);
        QCOMPARE(m_lines.at(2), QStringLiteral("violation key=rate_limit:ip:10.0.0.1 ... and 4,812 more in the last 10 s"));
        QVERIFY(m_lines.at(3).startsWith(QLatin1String("violation time=")));
        QCOMPARE(log.total(), 4815);
    }

    void flushReportsEndedWindowsAndForgetsTheirKeys()
    {
        ViolationLog log(m_clock, 10, sink());
        log.record(violation());
        log.record(violation());
        m_clock.advance(9'999ms);
        log.flush();
        QCOMPARE(m_lines.size(), 1);
        QCOMPARE(log.trackedKeys(), 1);
        m_clock.advance(1ms);
        log.flush();
        QCOMPARE(m_lines.size(), 2);
        QVERIFY(m_lines.at(1).contains(QLatin1String("and 1 more")));
        QCOMPARE(log.trackedKeys(), 0);
        log.flush();
        QCOMPARE(m_lines.size(), 2); // nothing left to report
    }

    void keyTableIsBoundedAndOverflowIsSummarised()
    {
        ViolationLog log(m_clock, 10, sink());
        const qsizetype extra = 500;
        for (qsizetype i = 0; i < ViolationLog::kMaxTrackedKeys + extra; ++i)
            log.record(violation("rate_limit:ip:k" + QByteArray::number(i)));
        QCOMPARE(log.trackedKeys(), ViolationLog::kMaxTrackedKeys);
        QCOMPARE(m_lines.size(), ViolationLog::kMaxTrackedKeys); // the overflow is counted, not logged
        m_clock.advance(10s);
        log.flush();
        QCOMPARE(log.trackedKeys(), 0);
        QVERIFY2(m_lines.last().contains(QLatin1String("(other keys) ... and 500 more")), qPrintable(m_lines.last()));
    }

    void recentIsANewestFirstBoundedRing()
    {
        ViolationLog log(m_clock, 3, sink());
        QVERIFY(log.recent(10).isEmpty());
        for (int i = 0; i < 5; ++i) {
            log.record(violation("k" + QByteArray::number(i)));
            m_clock.advance(1ms);
        }
        const QList<ViolationLog::Entry> recent = log.recent(10);
        QCOMPARE(recent.size(), 3);
        QCOMPARE(recent.at(0).key, QByteArray("k4"));
        QCOMPARE(recent.at(2).key, QByteArray("k2"));
        QCOMPARE(log.recent(1).size(), 1);
        QCOMPARE(log.total(), 5);
    }
};

QTEST_GUILESS_MAIN(tst_ViolationLog)
#include "tst_violationlog.moc"
