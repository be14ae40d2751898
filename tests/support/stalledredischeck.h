#pragma once

#include "acquirenow.h"
#include "redisratelimitstore.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTest>

#include <optional>

// For Redis tests (they link sluice_redis): stalls the store's Redis with DEBUG SLEEP and checks that a
// decision queued behind it is made by the fallback within the command timeout (which the store must
// have set to 200 ms), that the stalled command is answered NoReply, and that decisions return to
// Redis by themselves without the late reply ever reaching a handler. Failures are QTest failures.
inline void checkStalledRedisFallsBackWithinTheTimeout(RedisRateLimitStore &store, const RateLimitPolicy &policy)
{
    QCOMPARE(store.settings().commandTimeoutMs, 200);
    std::optional<RedisReplyValue> sleepReply;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^Redis at .* lost: no reply within 200 ms"));
    store.command({"DEBUG", "SLEEP", "1.5"}, [&](const RedisReplyValue &v) { sleepReply = v; });
    int calls = 0;
    Decision decision;
    QElapsedTimer timer;
    timer.start();
    store.acquire("slow", policy, 1, [&](const Decision &d) {
        ++calls;
        decision = d;
    });
    QTRY_VERIFY_WITH_TIMEOUT(calls == 1, 1000);
    const qint64 waited = timer.elapsed();
    QVERIFY2(waited >= 190 && waited < 600, qPrintable(QStringLiteral("answered after %1 ms").arg(waited)));
    QCOMPARE(decision.source, DecisionSource::MemoryFallback);
    QVERIFY(decision.allowed);
    QVERIFY(sleepReply.has_value());
    QCOMPARE(sleepReply->type, RedisReplyValue::Type::NoReply);
    QCOMPARE(store.mode(), StoreMode::MemoryFallback);
    QVERIFY(store.lastError().contains(QStringLiteral("no reply within 200 ms")));

    QTRY_VERIFY_WITH_TIMEOUT(store.mode() == StoreMode::Redis, 5000);
    QCOMPARE(calls, 1);
    QCOMPARE(acquireNow(store, "slow", policy).source, DecisionSource::Redis);
}
