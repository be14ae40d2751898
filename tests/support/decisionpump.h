#pragma once

#include "ratelimitstore.h"

#include <QByteArray>
#include <QList>
#include <QTimer>

#include <memory>

// A steady stream of decisions through a store, for tests that break the store's Redis while calls
// are in flight: every millisecond `perTick` acquire() calls over `keyCount` keys. Answers are
// counted by source, and per call, so that a test can check each call was answered exactly once.
// The counters outlive the pump (shared with the pending handlers), so a late answer is harmless.
class DecisionPump
{
public:
    DecisionPump(RateLimitStore &store, const RateLimitPolicy &policy, const QByteArray &keyPrefix, int keyCount = 20,
                 int perTick = 16)
        : m_counts(std::make_shared<Counts>())
    {
        m_timer.setInterval(1);
        m_timer.callOnTimeout([this, &store, policy, keyPrefix, keyCount, perTick] {
            for (int i = 0; i < perTick; ++i) {
                const int id = m_counts->sent++;
                m_counts->calls.append(0);
                store.acquire(keyPrefix + QByteArray::number(id % keyCount), policy, 1, [counts = m_counts, id](const Decision &d) {
                    ++counts->calls[id];
                    ++counts->answered;
                    (d.source == DecisionSource::Redis ? counts->fromRedis : counts->fromFallback) += 1;
                });
            }
        });
    }

    void start() { m_timer.start(); }
    void stop() { m_timer.stop(); }
    int sent() const { return m_counts->sent; }
    int answered() const { return m_counts->answered; }
    int fromRedis() const { return m_counts->fromRedis; }
    int fromFallback() const { return m_counts->fromFallback; }
    // The first call answered other than exactly once, or -1.
    int firstCallNotAnsweredOnce() const
    {
        for (qsizetype i = 0; i < m_counts->calls.size(); ++i) {
            if (m_counts->calls.at(i) != 1)
                return int(i);
        }
        return -1;
    }
    int answersOf(int call) const { return m_counts->calls.value(call); }

private:
    struct Counts
    {
        int sent = 0;
        int answered = 0;
        int fromRedis = 0;
        int fromFallback = 0;
        QList<int> calls; // answers per call
    };

    std::shared_ptr<Counts> m_counts;
    QTimer m_timer;
};
