// AdminAuthThrottle: blocking after repeated failures, summarised logging without keys, bounded
// peer table; driven by a ManualClock.

#include "adminauththrottle.h"
#include "manualclock.h"

#include <QTest>

using namespace std::chrono_literals;

class tst_AdminAuthThrottle : public QObject
{
    Q_OBJECT

private:
    ManualClock m_clock;
    QStringList m_lines;
    AdminAuthThrottle::Sink sink()
    {
        return [this](const QString &line) { m_lines.append(line); };
    }

private slots:
    void init()
    {
        m_clock.setNowMs(1'700'000'000'000);
        m_lines.clear();
    }

    void blocksAfterTheTenthFailureUntilTheWindowEnds()
    {
        AdminAuthThrottle throttle(m_clock, sink());
        for (int i = 0; i < AdminAuthThrottle::kMaxFailures - 1; ++i)
            throttle.recordFailure("10.0.0.1");
        QCOMPARE(throttle.blockedForMs("10.0.0.1"), 0);
        throttle.recordFailure("10.0.0.1");
        QCOMPARE(throttle.blockedForMs("10.0.0.1"), AdminAuthThrottle::kWindowMs);
        QCOMPARE(throttle.blockedForMs("10.0.0.2"), 0); // per peer
        m_clock.advance(59'999ms);
        QCOMPARE(throttle.blockedForMs("10.0.0.1"), 1);
        m_clock.advance(1ms);
        QCOMPARE(throttle.blockedForMs("10.0.0.1"), 0);
    }

    void logsTheFirstFailureThenOneSummary()
    {
        AdminAuthThrottle throttle(m_clock, sink());
        for (int i = 0; i < 25; ++i)
            throttle.recordFailure("10.0.0.1");
        QCOMPARE(m_lines, QStringList{QStringLiteral("admin authentication failed from 10.0.0.1")});
        m_clock.advance(60s);
        throttle.recordFailure("10.0.0.1");
        QCOMPARE(m_lines.size(), 3);
        QCOMPARE(m_lines.at(1), QStringLiteral("admin authentication failed from 10.0.0.1 ... and 24 more in the last 60 s"));
        QCOMPARE(m_lines.at(2), QStringLiteral("admin authentication failed from 10.0.0.1"));
    }

    void peerTableIsBounded()
    {
        AdminAuthThrottle throttle(m_clock, sink());
        for (qsizetype i = 0; i < AdminAuthThrottle::kMaxTrackedPeers + 100; ++i) {
            throttle.recordFailure("peer-" + QByteArray::number(i));
            m_clock.advance(1ms);
        }
        QCOMPARE(throttle.trackedPeers(), AdminAuthThrottle::kMaxTrackedPeers);
    }
};

QTEST_GUILESS_MAIN(tst_AdminAuthThrottle)
#include "tst_adminauththrottle.moc"
