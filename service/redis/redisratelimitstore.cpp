#include "redisratelimitstore.h"

#include "redislink.h"
#include "redisscripts.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QVarLengthArray>

#include <hiredis.h>

#include <algorithm>
#include <charconv>

namespace {

RedisReplyValue toValue(const redisReply *r)
{
    RedisReplyValue v;
    switch (r->type) {
    case REDIS_REPLY_STRING:
        v.type = RedisReplyValue::Type::String;
        v.string = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_STATUS:
        v.type = RedisReplyValue::Type::Status;
        v.string = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_ERROR:
        v.type = RedisReplyValue::Type::Error;
        v.string = QByteArray(r->str, qsizetype(r->len));
        break;
    case REDIS_REPLY_INTEGER:
        v.type = RedisReplyValue::Type::Integer;
        v.integer = r->integer;
        break;
    case REDIS_REPLY_ARRAY:
        v.type = RedisReplyValue::Type::Array;
        v.elements.reserve(qsizetype(r->elements));
        for (size_t i = 0; i < r->elements; ++i)
            v.elements.append(toValue(r->element[i]));
        break;
    default:
        v.type = RedisReplyValue::Type::Nil;
        break;
    }
    return v;
}

QByteArray failureText(RedisLink::Failure failure)
{
    switch (failure) {
    case RedisLink::Failure::None:
        break;
    case RedisLink::Failure::NotSent:
        return QByteArrayLiteral("Redis is not connected");
    case RedisLink::Failure::Timeout:
        return QByteArrayLiteral("no reply within the command timeout (outcome unknown)");
    case RedisLink::Failure::ConnectionLost:
        return QByteArrayLiteral("connection lost while the command was in flight (outcome unknown)");
    case RedisLink::Failure::Closed:
        return QByteArrayLiteral("store closed");
    }
    return {};
}

// Commands that would break a pooled connection: they block it, change its state for every later
// command (database, protocol, reply mode) or switch it into pub/sub mode.
bool isRefusedOnPool(const QByteArray &command)
{
    static const QList<QByteArray> refused{
        "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE", "MONITOR",
        "BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP", "WAIT",
        "SELECT", "AUTH", "HELLO", "RESET", "QUIT", "CLIENT", "SYNC", "PSYNC", "MULTI", "EXEC", "DISCARD", "WATCH"};
    const QByteArray upper = command.toUpper();
    return refused.contains(upper);
}

} // namespace

struct RedisRateLimitStore::Call
{
    QByteArray key;
    RateLimitPolicy policy;
    qint64 cost = 1;
    DecisionHandler done;
    bool retried = false;
};

struct RedisRateLimitStore::Handling
{
    // Builds EVALSHA <sha> 2 <key> <index> <limit> <window> <cost> <burst|request id|0> <index member>
    // in stack buffers: this runs once per decision, so it avoids heap allocations.
    static void sendDecision(RedisRateLimitStore *store, RedisLink *link, Call call)
    {
        const RateLimitPolicy &p = call.policy;
        const RedisScripts::Script &script = RedisScripts::forAlgorithm(p.algorithm);
        struct Number
        {
            char text[24];
            size_t size;
            explicit Number(qint64 v) : size(size_t(std::to_chars(text, text + sizeof text, v).ptr - text)) {}
        };
        const Number limit(p.limit);
        const Number window(p.windowMs);
        const Number cost(call.cost);
        const Number burst(p.burst);
        QVarLengthArray<char, 64> fourth;
        if (p.algorithm == Algorithm::TokenBucket) {
            const Number b(p.effectiveBurst());
            fourth.append(b.text, qsizetype(b.size));
        } else if (p.algorithm == Algorithm::SlidingLog) {
            const Number seq(qint64(++store->m_sequence));
            fourth.append(store->m_instanceId.constData(), store->m_instanceId.size());
            fourth.append(':');
            fourth.append(seq.text, qsizetype(seq.size));
        } else {
            fourth.append('0');
        }
        const QByteArray code = RedisScripts::algorithmCode(p.algorithm);
        QVarLengthArray<char, 256> member;
        member.append(code.constData(), code.size());
        for (const Number *n : {&limit, &window, &burst}) {
            member.append(':');
            member.append(n->text, qsizetype(n->size));
        }
        const QByteArray key = call.key; // shared copy: stays valid while `call` moves into the handler
        member.append(':');
        member.append(key.constData(), key.size());

        const char *argv[10] = {"EVALSHA", script.sha.constData(), "2", key.constData(), store->m_indexKey.constData(),
                                limit.text, window.text, cost.text, fourth.constData(), member.constData()};
        const size_t argvlen[10] = {7, size_t(script.sha.size()), 1, size_t(key.size()), size_t(store->m_indexKey.size()),
                                    limit.size, window.size, cost.size, size_t(fourth.size()), size_t(member.size())};
        link->send(10, argv, argvlen, [store, link, call = std::move(call)](const redisReply *r, RedisLink::Failure f) mutable {
            decisionReply(store, link, std::move(call), r, f);
        });
    }

    static void decisionReply(RedisRateLimitStore *store, RedisLink *link, Call call, const redisReply *r, RedisLink::Failure f)
    {
        if (f != RedisLink::Failure::None) {
            // Never replayed: after a timeout or a drop Redis may have applied it already.
            store->decideFromFallback(call.key, call.policy, call.cost, std::move(call.done));
            return;
        }
        if (r->type == REDIS_REPLY_ERROR) {
            const QByteArray text(r->str, qsizetype(r->len));
            if (text.startsWith("NOSCRIPT") && !call.retried) {
                // Redis lost its script cache (restart, SCRIPT FLUSH): load again, retry once on the
                // same link, where the SCRIPT LOAD is queued before the retry.
                reloadScripts(store, link);
                call.retried = true;
                sendDecision(store, link, std::move(call));
                return;
            }
            store->recordError(QStringLiteral("script error: %1").arg(QString::fromUtf8(text)));
            store->decideFromFallback(call.key, call.policy, call.cost, std::move(call.done));
            return;
        }
        if (r->type != REDIS_REPLY_ARRAY || r->elements != 6) {
            store->recordError(QStringLiteral("unexpected script reply"));
            store->decideFromFallback(call.key, call.policy, call.cost, std::move(call.done));
            return;
        }
        qint64 v[6];
        for (int i = 0; i < 6; ++i) {
            if (r->element[i]->type != REDIS_REPLY_INTEGER) {
                store->recordError(QStringLiteral("unexpected script reply"));
                store->decideFromFallback(call.key, call.policy, call.cost, std::move(call.done));
                return;
            }
            v[i] = r->element[i]->integer;
        }
        Decision d;
        d.allowed = v[0] != 0;
        d.limit = call.policy.algorithm == Algorithm::TokenBucket ? call.policy.effectiveBurst() : call.policy.limit;
        d.remaining = v[1];
        d.nowMs = v[2];
        d.resetAtMs = v[3];
        d.retryAfterMs = v[4];
        d.impossible = v[5] != 0;
        d.source = DecisionSource::Redis;
        call.done(d);
    }

    static void reloadScripts(RedisRateLimitStore *store, RedisLink *link)
    {
        if (store->m_reloading.contains(link))
            return;
        store->m_reloading.append(link);
        const QList<const RedisScripts::Script *> scripts{&RedisScripts::forAlgorithm(Algorithm::SlidingLog),
                                                          &RedisScripts::forAlgorithm(Algorithm::SlidingWindowCounter),
                                                          &RedisScripts::forAlgorithm(Algorithm::TokenBucket),
                                                          &RedisScripts::usage()};
        for (qsizetype i = 0; i < scripts.size(); ++i) {
            const bool last = i == scripts.size() - 1;
            link->send({QByteArrayLiteral("SCRIPT"), QByteArrayLiteral("LOAD"), scripts.at(i)->source},
                       [store, link, last](const redisReply *r, RedisLink::Failure f) {
                           if (f == RedisLink::Failure::None && r->type == REDIS_REPLY_ERROR)
                               store->recordError(QStringLiteral("SCRIPT LOAD failed: %1").arg(QString::fromUtf8(r->str, qsizetype(r->len))));
                           if (last || f != RedisLink::Failure::None)
                               store->m_reloading.removeOne(link);
                       });
        }
    }

    static void usageReply(RedisRateLimitStore *store, int n, UsageHandler done, const redisReply *r, RedisLink::Failure f)
    {
        if (f != RedisLink::Failure::None || r->type != REDIS_REPLY_ARRAY || r->elements % 7 != 0) {
            if (f == RedisLink::Failure::None)
                store->recordError(r->type == REDIS_REPLY_ERROR ? QStringLiteral("usage script error: %1").arg(QString::fromUtf8(r->str, qsizetype(r->len)))
                                                                 : QStringLiteral("unexpected usage script reply"));
            store->m_fallback.topKeys(n, std::move(done));
            return;
        }
        QList<KeyUsage> all;
        all.reserve(qsizetype(r->elements / 7));
        for (size_t i = 0; i + 6 < r->elements; i += 7) {
            const redisReply *const *e = r->element + i;
            if (e[0]->type != REDIS_REPLY_STRING || e[1]->type != REDIS_REPLY_STRING)
                continue;
            const QByteArray code(e[1]->str, qsizetype(e[1]->len));
            KeyUsage u;
            u.key = QByteArray(e[0]->str, qsizetype(e[0]->len));
            if (code == "log")
                u.policy.algorithm = Algorithm::SlidingLog;
            else if (code == "swc")
                u.policy.algorithm = Algorithm::SlidingWindowCounter;
            else
                u.policy.algorithm = Algorithm::TokenBucket;
            u.policy.limit = e[2]->integer;
            u.policy.windowMs = e[3]->integer;
            u.policy.burst = e[4]->integer;
            u.count = e[5]->integer;
            u.resetAtMs = e[6]->integer;
            all.append(std::move(u));
        }
        // Same order as the memory store: usage (count / limit) descending, then count, then key.
        auto ranksAbove = [](const KeyUsage &a, const KeyUsage &b) {
            const qint64 lhs = a.count * b.policy.limit;
            const qint64 rhs = b.count * a.policy.limit;
            if (lhs != rhs)
                return lhs > rhs;
            if (a.count != b.count)
                return a.count > b.count;
            return a.key < b.key;
        };
        std::sort(all.begin(), all.end(), ranksAbove);
        if (all.size() > n)
            all.resize(n);
        done(all);
    }
};

RedisRateLimitStore::RedisRateLimitStore(const RedisSettings &settings, RateLimitStore &fallback, QObject *parent)
    : QObject(parent),
      m_settings(settings),
      m_indexKey(settings.indexKey()),
      m_instanceId(QByteArray::number(QRandomGenerator::system()->generate64(), 16)),
      m_fallback(fallback)
{
    QList<RedisLink::Argv> setup;
    for (Algorithm a : {Algorithm::SlidingLog, Algorithm::SlidingWindowCounter, Algorithm::TokenBucket})
        setup.append({QByteArrayLiteral("SCRIPT"), QByteArrayLiteral("LOAD"), RedisScripts::forAlgorithm(a).source});
    setup.append({QByteArrayLiteral("SCRIPT"), QByteArrayLiteral("LOAD"), RedisScripts::usage().source});

    const int links = qBound(1, settings.poolSize, RedisSettings::MaxPoolSize);
    for (int i = 0; i < links; ++i) {
        auto *link = new RedisLink(settings, RedisLink::Role::Commands, setup, this);
        connect(link, &RedisLink::ready, this, &RedisRateLimitStore::linkReady);
        connect(link, &RedisLink::down, this, [this](const QString &reason) { linkDown(reason); });
        m_links.append(link);
    }
    m_outageStartMs = QDateTime::currentMSecsSinceEpoch();
    for (RedisLink *link : std::as_const(m_links))
        link->open();
}

RedisRateLimitStore::~RedisRateLimitStore()
{
    // Commands still in flight are answered by the fallback (Failure::Closed), never dropped.
    m_shuttingDown = true;
    for (RedisLink *link : std::as_const(m_links)) {
        disconnect(link, nullptr, this, nullptr);
        link->close();
    }
}

RedisLink *RedisRateLimitStore::nextReadyLink()
{
    if (m_shuttingDown)
        return nullptr;
    const int n = int(m_links.size());
    for (int i = 0; i < n; ++i) {
        RedisLink *link = m_links.at(m_nextLink);
        m_nextLink = (m_nextLink + 1) % n;
        if (link->isReady())
            return link;
    }
    return nullptr;
}

void RedisRateLimitStore::acquire(const QByteArray &key, const RateLimitPolicy &policy, qint64 cost, DecisionHandler done)
{
    RedisLink *link = (cost >= 1 && policy.isValid()) ? nextReadyLink() : nullptr;
    if (!link) {
        decideFromFallback(key, policy, cost, std::move(done));
        return;
    }
    Handling::sendDecision(this, link, Call{key, policy, cost, std::move(done), false});
}

void RedisRateLimitStore::decideFromFallback(const QByteArray &key, const RateLimitPolicy &policy, qint64 cost,
                                             DecisionHandler done)
{
    m_fallback.acquire(key, policy, cost, [done = std::move(done)](const Decision &decision) {
        Decision d = decision;
        d.source = DecisionSource::MemoryFallback;
        done(d);
    });
}

void RedisRateLimitStore::clear(const QByteArray &key, ClearHandler done)
{
    // The fallback is cleared too, so an old outage's state cannot come back in the next one.
    m_fallback.clear(key, [this, key, done = std::move(done)](bool inFallback) mutable {
        RedisLink *link = nextReadyLink();
        if (!link) {
            done(inFallback);
            return;
        }
        link->send({QByteArrayLiteral("DEL"), key}, [this, inFallback, done = std::move(done)](const redisReply *r, RedisLink::Failure f) {
            if (f != RedisLink::Failure::None || r->type != REDIS_REPLY_INTEGER) {
                if (f == RedisLink::Failure::None)
                    recordError(QStringLiteral("DEL failed"));
                done(inFallback);
                return;
            }
            done(r->integer > 0);
        });
    });
}

void RedisRateLimitStore::topKeys(int n, UsageHandler done)
{
    RedisLink *link = n > 0 ? nextReadyLink() : nullptr;
    if (!link) {
        m_fallback.topKeys(n, std::move(done));
        return;
    }
    link->send({QByteArrayLiteral("EVALSHA"), RedisScripts::usage().sha, QByteArrayLiteral("1"), m_indexKey,
                QByteArray::number(RedisScripts::MaxUsageScan)},
               [this, n, done = std::move(done)](const redisReply *r, RedisLink::Failure f) mutable {
                   Handling::usageReply(this, n, std::move(done), r, f);
               });
}

void RedisRateLimitStore::command(const QList<QByteArray> &argv, CommandHandler done)
{
    if (argv.isEmpty() || isRefusedOnPool(argv.first())) {
        done(RedisReplyValue::error(QByteArrayLiteral("ERR command not allowed on the shared store connection")));
        return;
    }
    RedisLink *link = nextReadyLink();
    if (!link) {
        done(RedisReplyValue::noReply(failureText(RedisLink::Failure::NotSent)));
        return;
    }
    link->send(argv, [done = std::move(done)](const redisReply *r, RedisLink::Failure f) {
        done(f == RedisLink::Failure::None ? toValue(r) : RedisReplyValue::noReply(failureText(f)));
    });
}

void RedisRateLimitStore::linkReady()
{
    updateConnected();
}

void RedisRateLimitStore::linkDown(const QString &reason)
{
    ++m_errorsTotal;
    m_lastError = reason;
    updateConnected();
    if (!m_connected && !m_outageLogged) {
        m_outageLogged = true;
        qCWarning(lcRedis).noquote() << QStringLiteral("Redis at %1 %2: %3; deciding from the memory fallback until it is back")
                                            .arg(m_settings.address(), m_everConnected ? QStringLiteral("lost") : QStringLiteral("unreachable"), reason);
    }
}

void RedisRateLimitStore::recordError(const QString &message)
{
    ++m_errorsTotal;
    if (message != m_lastError) // one line per kind of error, not one per request
        qCWarning(lcRedis).noquote() << "Redis error:" << message;
    m_lastError = message;
}

void RedisRateLimitStore::updateConnected()
{
    const bool any = std::any_of(m_links.cbegin(), m_links.cend(), [](const RedisLink *l) { return l->isReady(); });
    if (any == m_connected)
        return;
    m_connected = any;
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    if (any) {
        qCInfo(lcRedis).noquote() << QStringLiteral("Redis at %1 (db %2, pool %3) %4; deciding in Redis")
                                         .arg(m_settings.address())
                                         .arg(m_settings.db)
                                         .arg(m_links.size())
                                         .arg(m_everConnected ? QStringLiteral("is back after %1 ms").arg(nowMs - m_outageStartMs)
                                                              : QStringLiteral("connected"));
        m_everConnected = true;
        m_outageLogged = false;
    } else {
        m_outageStartMs = nowMs;
    }
    emit connectedChanged(m_connected);
    emit modeChanged(mode());
}
