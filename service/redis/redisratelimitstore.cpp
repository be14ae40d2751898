#include "redisratelimitstore.h"

#include "rediscluster.h"
#include "redislink.h"
#include "redisscripts.h"
#include "redissentinel.h"

#include <QDateTime>
#include <QTimer>
#include <QRandomGenerator>
#include <QVarLengthArray>

#include <hiredis.h>

#include <algorithm>
#include <charconv>
#include <utility>

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

// Cluster routing: the index of the first key in argv, or -1 for commands without keys.
int firstKeyIndex(const QList<QByteArray> &argv)
{
    const QByteArray upper = argv.first().toUpper();
    if (upper == "EVAL" || upper == "EVALSHA" || upper == "EVAL_RO" || upper == "EVALSHA_RO" || upper == "FCALL"
        || upper == "FCALL_RO")
        return argv.size() > 3 && argv.at(2).toLongLong() > 0 ? 3 : -1;
    static const QList<QByteArray> keyless{"PING", "TIME", "INFO", "ECHO", "DBSIZE", "SCAN", "KEYS", "FLUSHDB",
                                           "FLUSHALL", "SCRIPT", "CONFIG", "COMMAND", "CLUSTER", "LASTSAVE", "ROLE"};
    if (argv.size() < 2 || keyless.contains(upper))
        return -1;
    return 1;
}

const QList<const RedisScripts::Script *> &allScripts()
{
    static const QList<const RedisScripts::Script *> scripts{
        &RedisScripts::forAlgorithm(Algorithm::SlidingLog), &RedisScripts::forAlgorithm(Algorithm::SlidingWindowCounter),
        &RedisScripts::forAlgorithm(Algorithm::TokenBucket), &RedisScripts::usage(), &RedisScripts::keyUsage()};
    return scripts;
}

} // namespace

struct RedisRateLimitStore::Call
{
    QByteArray key;
    RateLimitPolicy policy;
    qint64 cost = 1;
    DecisionHandler done;
    bool retried = false;
    int redirects = 0;
    bool asking = false;
    QByteArray indexMember; // cluster mode: for the separate index touch
};

struct RedisRateLimitStore::Handling
{
    // Builds EVALSHA <sha> 2 <key> <index> <limit> <window> <cost> <burst|request id|0> <index member>
    // in stack buffers: this runs once per decision, so it avoids heap allocations. Cluster mode:
    // EVALSHA <sha> 1 <key> ... (the index is in another slot), preceded by ASKING after an ASK.
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

        if (!store->m_cluster) {
            const char *argv[10] = {"EVALSHA", script.sha.constData(), "2", key.constData(), store->m_indexKey.constData(),
                                    limit.text, window.text, cost.text, fourth.constData(), member.constData()};
            const size_t argvlen[10] = {7, size_t(script.sha.size()), 1, size_t(key.size()), size_t(store->m_indexKey.size()),
                                        limit.size, window.size, cost.size, size_t(fourth.size()), size_t(member.size())};
            link->send(10, argv, argvlen, [store, link, call = std::move(call)](const redisReply *r, RedisLink::Failure f) mutable {
                decisionReply(store, link, std::move(call), r, f);
            });
            return;
        }
        call.indexMember = QByteArray(member.constData(), member.size());
        if (call.asking)
            link->send({QByteArrayLiteral("ASKING")}, [](const redisReply *, RedisLink::Failure) {});
        const char *argv[9] = {"EVALSHA", script.sha.constData(), "1", key.constData(),
                               limit.text, window.text, cost.text, fourth.constData(), member.constData()};
        const size_t argvlen[9] = {7, size_t(script.sha.size()), 1, size_t(key.size()),
                                   limit.size, window.size, cost.size, size_t(fourth.size()), size_t(member.size())};
        link->send(9, argv, argvlen, [store, link, call = std::move(call)](const redisReply *r, RedisLink::Failure f) mutable {
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
            bool asking = false;
            if (RedisLink *target = store->redirectTarget(text, &asking); target && call.redirects < MaxRedirects) {
                ++call.redirects;
                call.asking = asking;
                sendDecision(store, target, std::move(call));
                return;
            }
            if (text.startsWith("NOSCRIPT") && !call.retried) {
                // Redis lost its script cache (restart, SCRIPT FLUSH): load again, retry once on the
                // same link, where the SCRIPT LOAD is queued before the retry.
                reloadScripts(store, link);
                call.retried = true; // after an ASK the retry is sent with ASKING again (it lasts one command)
                sendDecision(store, link, std::move(call));
                return;
            }
            store->recordError(QStringLiteral("script error: %1").arg(QString::fromUtf8(text)));
            store->decideFromFallback(call.key, call.policy, call.cost, std::move(call.done));
            return;
        }
        if (r->type != REDIS_REPLY_ARRAY || (r->elements != 6 && r->elements != 7)) {
            store->recordError(QStringLiteral("unexpected script reply"));
            store->decideFromFallback(call.key, call.policy, call.cost, std::move(call.done));
            return;
        }
        qint64 v[7] = {};
        for (size_t i = 0; i < r->elements; ++i) {
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
        if (r->elements == 7)
            store->touchIndex(v[6], d.nowMs, call.indexMember);
        call.done(d);
    }

    static void reloadScripts(RedisRateLimitStore *store, RedisLink *link)
    {
        if (store->m_reloading.contains(link))
            return;
        store->m_reloading.append(link);
        const QList<const RedisScripts::Script *> &scripts = allScripts();
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
        appendUsage(r, &all);
        rank(&all, n);
        done(all);
    }

    // Appends the flat {key, algo, limit, window, burst, count, resetAt, ...} list of a usage script.
    static void appendUsage(const redisReply *r, QList<KeyUsage> *out)
    {
        if (r->type != REDIS_REPLY_ARRAY || r->elements % 7 != 0)
            return;
        QList<KeyUsage> &all = *out;
        all.reserve(all.size() + qsizetype(r->elements / 7));
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
    }

    static void rank(QList<KeyUsage> *list, int n)
    {
        QList<KeyUsage> &all = *list;
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
    for (const RedisScripts::Script *script : allScripts())
        setup.append({QByteArrayLiteral("SCRIPT"), QByteArrayLiteral("LOAD"), script->source});
    m_outageStartMs = QDateTime::currentMSecsSinceEpoch();
    auto *peakTimer = new QTimer(this);
    connect(peakTimer, &QTimer::timeout, this, [this] { m_lastPeakInFlight = std::exchange(m_peakInFlight, 0); });
    peakTimer->start(PeakIntervalMs);

    if (settings.mode == RedisMode::Cluster) {
        m_cluster = new RedisCluster(settings, setup, this);
        connect(m_cluster, &RedisCluster::stateChanged, this, [this] {
            updateConnected();
            emitTopologyIfChanged();
        });
        connect(m_cluster, &RedisCluster::linkDown, this, [this](const QString &reason) { linkDown(reason); });
        m_cluster->open();
        return;
    }

    const int links = qBound(1, settings.poolSize, RedisSettings::MaxPoolSize);
    for (int i = 0; i < links; ++i) {
        auto *link = new RedisLink(settings, RedisLink::Role::Commands, setup, this);
        connect(link, &RedisLink::ready, this, &RedisRateLimitStore::linkReady);
        connect(link, &RedisLink::down, this, [this](const QString &reason) {
            if (m_sentinel)
                m_sentinel->requery(); // a failover may be under way
            linkDown(reason);
        });
        m_links.append(link);
    }
    if (settings.mode == RedisMode::Sentinel) {
        // The links open once the sentinels name the master, and follow it from then on.
        m_sentinel = new RedisSentinel(settings, this);
        connect(m_sentinel, &RedisSentinel::masterChanged, this, [this](const RedisNodeAddress &master) {
            qCInfo(lcRedis).noquote() << QStringLiteral("Sentinel master %1 is at %2")
                                             .arg(QString::fromUtf8(m_settings.sentinelMaster), master.toString());
            for (RedisLink *link : std::as_const(m_links)) {
                link->retarget(master.host, master.port, RedisLink::Reconnect::Now);
                link->open();
            }
            emitTopologyIfChanged();
        });
        m_sentinel->open();
        return;
    }
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
    if (m_cluster) {
        disconnect(m_cluster, nullptr, this, nullptr);
        m_cluster->close();
    }
    if (m_sentinel) {
        disconnect(m_sentinel, nullptr, this, nullptr);
        m_sentinel->close();
    }
}

RedisLink *RedisRateLimitStore::linkForKey(const QByteArray &key)
{
    if (!m_cluster)
        return nextReadyLink();
    if (m_shuttingDown)
        return nullptr;
    return m_cluster->linkForSlot(RedisCluster::keySlot(key));
}

RedisLink *RedisRateLimitStore::redirectTarget(const QByteArray &error, bool *asking)
{
    *asking = false;
    if (m_shuttingDown)
        return nullptr;
    if (m_cluster) {
        // "MOVED <slot> <host>:<port>" / "ASK <slot> <host>:<port>"
        const bool moved = error.startsWith("MOVED ");
        if (moved || error.startsWith("ASK ")) {
            const QList<QByteArray> parts = error.split(' ');
            if (parts.size() < 3)
                return nullptr;
            const QString address = QString::fromUtf8(parts.at(2));
            if (moved)
                m_cluster->moved(parts.at(1).toInt(), address);
            *asking = !moved;
            return m_cluster->linkForAddress(address);
        }
        if (error.startsWith("CLUSTERDOWN") || error.startsWith("TRYAGAIN"))
            m_cluster->requestRefresh();
        return nullptr;
    }
    // Sentinel: the node we write to is no longer the master (failover, demotion).
    if (m_sentinel && (error.startsWith("READONLY") || error.startsWith("MASTERDOWN") || error.startsWith("LOADING")))
        m_sentinel->requery();
    return nullptr;
}

void RedisRateLimitStore::touchIndex(qint64 score, qint64 nowMs, const QByteArray &member)
{
    // Best effort, not atomic with the decision: a lost touch hides the key from topKeys() until
    // its next touch (at most one refresh slot later).
    RedisLink *link = linkForKey(m_indexKey);
    if (!link)
        return;
    auto ignore = [this](const redisReply *r, RedisLink::Failure f) {
        if (f == RedisLink::Failure::None && r->type == REDIS_REPLY_ERROR) {
            bool asking = false;
            redirectTarget(QByteArray(r->str, qsizetype(r->len)), &asking); // refreshes the map on MOVED
        }
    };
    link->send({QByteArrayLiteral("ZADD"), m_indexKey, QByteArray::number(score), member}, ignore);
    link->send({QByteArrayLiteral("ZREMRANGEBYSCORE"), m_indexKey, QByteArrayLiteral("-inf"), QByteArray::number(nowMs)}, ignore);
    link->send({QByteArrayLiteral("PEXPIRE"), m_indexKey, QByteArray::number(RedisScripts::IndexTtlMs)}, ignore);
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
    RedisLink *link = (cost >= 1 && policy.isValid()) ? linkForKey(key) : nullptr;
    if (!link) {
        decideFromFallback(key, policy, cost, std::move(done));
        return;
    }
    Handling::sendDecision(this, link, Call{key, policy, cost, std::move(done), false, 0, false, {}});
    m_peakInFlight = std::max(m_peakInFlight, poolUsage().inFlight);
}

RedisPoolUsage RedisRateLimitStore::poolUsage() const
{
    RedisPoolUsage usage = m_cluster ? m_cluster->poolUsage() : RedisPoolUsage{};
    for (const RedisLink *link : m_links) {
        ++usage.size;
        usage.ready += link->isReady() ? 1 : 0;
        usage.inFlight += link->pendingCount();
    }
    usage.maxInFlight = std::max({m_peakInFlight, m_lastPeakInFlight, usage.inFlight});
    return usage;
}


RedisLink *RedisRateLimitStore::probeLink(const QString &address)
{
    if (m_shuttingDown)
        return nullptr;
    if (m_cluster)
        return m_cluster->linkForAddress(address);
    return nextReadyLink();
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
        RedisLink *link = linkForKey(key);
        if (!link) {
            done(inFallback);
            return;
        }
        sendRouted(link, {QByteArrayLiteral("DEL"), key}, false, 0, [this, inFallback, done = std::move(done)](const RedisReplyValue &v) {
            if (v.type != RedisReplyValue::Type::Integer) {
                if (v.type == RedisReplyValue::Type::Error)
                    recordError(QStringLiteral("DEL failed"));
                done(inFallback);
                return;
            }
            done(v.integer > 0);
        });
    });
}

void RedisRateLimitStore::topKeys(int n, UsageHandler done)
{
    if (m_cluster && n > 0 && m_connected) {
        clusterTopKeys(n, std::move(done));
        return;
    }
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
    RedisLink *link = nullptr;
    if (m_cluster) {
        const int keyAt = firstKeyIndex(argv);
        if (keyAt >= 0) {
            link = linkForKey(argv.at(keyAt));
        } else if (!m_shuttingDown) {
            const QList<RedisLink *> masters = m_cluster->masterLinks();
            link = masters.value(int(m_sequence++ % quint64(qMax<qsizetype>(1, masters.size()))), nullptr);
        }
    } else {
        link = nextReadyLink();
    }
    if (!link) {
        done(RedisReplyValue::noReply(failureText(RedisLink::Failure::NotSent)));
        return;
    }
    sendRouted(link, argv, false, 0, std::move(done));
}

void RedisRateLimitStore::sendRouted(RedisLink *link, QList<QByteArray> argv, bool asking, int redirects, CommandHandler done)
{
    if (asking)
        link->send({QByteArrayLiteral("ASKING")}, [](const redisReply *, RedisLink::Failure) {});
    const QList<QByteArray> sent = argv;
    link->send(sent, [this, argv = std::move(argv), redirects, done = std::move(done)](const redisReply *r, RedisLink::Failure f) mutable {
        if (f != RedisLink::Failure::None) {
            done(RedisReplyValue::noReply(failureText(f)));
            return;
        }
        if (r->type == REDIS_REPLY_ERROR) {
            bool ask = false;
            RedisLink *target = redirectTarget(QByteArray(r->str, qsizetype(r->len)), &ask);
            if (target && redirects < MaxRedirects) {
                sendRouted(target, std::move(argv), ask, redirects + 1, std::move(done));
                return;
            }
        }
        done(toValue(r));
    });
}

void RedisRateLimitStore::clusterTopKeys(int n, UsageHandler done)
{
    // 1. The newest index members (on the index's master); 2. each key's usage on its own master.
    struct Gather
    {
        int n = 0;
        int waiting = 0;
        QList<KeyUsage> all;
        UsageHandler done;
    };
    auto gather = std::make_shared<Gather>();
    gather->n = n;
    gather->done = std::move(done);
    const QList<QByteArray> read{QByteArrayLiteral("ZREVRANGEBYSCORE"), m_indexKey, QByteArrayLiteral("+inf"),
                                 '(' + QByteArray::number(QDateTime::currentMSecsSinceEpoch()), QByteArrayLiteral("LIMIT"),
                                 QByteArrayLiteral("0"), QByteArray::number(RedisScripts::MaxUsageScan)};
    command(read, [this, gather](const RedisReplyValue &members) {
        if (members.type != RedisReplyValue::Type::Array) {
            if (members.type == RedisReplyValue::Type::Error)
                recordError(QStringLiteral("index read failed: %1").arg(QString::fromUtf8(members.string)));
            m_fallback.topKeys(gather->n, std::move(gather->done));
            return;
        }
        QSet<QByteArray> seen;
        QList<QPair<QByteArray, QByteArray>> keys; // key, member (newest member per key)
        for (const RedisReplyValue &m : members.elements) {
            // "<algo>:<limit>:<window>:<burst>:<key>"
            qsizetype at = -1;
            for (int colons = 0; colons < 4; ++colons) {
                at = m.string.indexOf(':', at + 1);
                if (at < 0)
                    break;
            }
            if (at < 0)
                continue;
            const QByteArray key = m.string.mid(at + 1);
            if (!seen.contains(key)) {
                seen.insert(key);
                keys.append({key, m.string});
            }
        }
        gather->waiting = int(keys.size()) + 1;
        auto finish = [gather] {
            if (--gather->waiting > 0)
                return;
            Handling::rank(&gather->all, gather->n);
            gather->done(gather->all);
        };
        for (const auto &[key, member] : std::as_const(keys)) {
            RedisLink *link = linkForKey(key);
            if (!link) {
                finish();
                continue;
            }
            sendRouted(link, {QByteArrayLiteral("EVALSHA"), RedisScripts::keyUsage().sha, QByteArrayLiteral("1"), key, member}, false, 0,
                       [gather, finish](const RedisReplyValue &v) {
                           if (v.type == RedisReplyValue::Type::Array && v.elements.size() == 7) {
                               const QList<RedisReplyValue> &e = v.elements;
                               KeyUsage u;
                               u.key = e.at(0).string;
                               const QByteArray code = e.at(1).string;
                               u.policy.algorithm = code == "log" ? Algorithm::SlidingLog
                                                    : code == "swc" ? Algorithm::SlidingWindowCounter
                                                                    : Algorithm::TokenBucket;
                               u.policy.limit = e.at(2).integer;
                               u.policy.windowMs = e.at(3).integer;
                               u.policy.burst = e.at(4).integer;
                               u.count = e.at(5).integer;
                               u.resetAtMs = e.at(6).integer;
                               gather->all.append(u);
                           }
                           finish();
                       });
        }
        finish();
    });
}

RedisTopology RedisRateLimitStore::topology() const
{
    if (m_cluster)
        return m_cluster->topology();
    RedisTopology t;
    t.mode = m_settings.mode;
    if (m_sentinel) {
        t.sentinelMaster = QString::fromUtf8(m_settings.sentinelMaster);
        t.sentinel = m_sentinel->currentSentinel();
        if (!m_sentinel->hasMaster())
            return t;
    }
    RedisTopology::Node master;
    master.address = m_links.isEmpty() ? m_settings.address() : m_links.first()->address();
    master.master = true;
    master.connected = m_connected;
    t.nodes.append(master);
    return t;
}

QString RedisRateLimitStore::targetName() const
{
    if (m_cluster)
        return QStringLiteral("cluster %1").arg(m_settings.address());
    if (m_sentinel)
        return QStringLiteral("sentinel master %1 (%2)")
            .arg(QString::fromUtf8(m_settings.sentinelMaster), m_sentinel->hasMaster() ? m_sentinel->master().toString() : QStringLiteral("unknown"));
    return m_settings.address();
}

void RedisRateLimitStore::emitTopologyIfChanged()
{
    const RedisTopology now = topology();
    if (now == m_lastTopology)
        return;
    m_lastTopology = now;
    emit topologyChanged(now);
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
                                            .arg(targetName(), m_everConnected ? QStringLiteral("lost") : QStringLiteral("unreachable"), reason);
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
    const bool any = m_cluster ? m_cluster->isComplete()
                               : std::any_of(m_links.cbegin(), m_links.cend(), [](const RedisLink *l) { return l->isReady(); });
    if (any == m_connected)
        return;
    m_connected = any;
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    if (any) {
        qCInfo(lcRedis).noquote() << QStringLiteral("Redis at %1 (db %2, pool %3) %4; deciding in Redis")
                                         .arg(targetName())
                                         .arg(m_settings.db)
                                         .arg(poolSize())
                                         .arg(m_everConnected ? QStringLiteral("is back after %1 ms").arg(nowMs - m_outageStartMs)
                                                              : QStringLiteral("connected"));
        m_everConnected = true;
        m_outageLogged = false;
    } else {
        m_outageStartMs = nowMs;
    }
    emit connectedChanged(m_connected);
    emit modeChanged(mode());
    emitTopologyIfChanged();
}
