#include "redishealthprobe.h"

#include "redislink.h"
#include "redisratelimitstore.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QPointer>

#include <algorithm>
#include <numeric>
#include <utility>

RedisHealthProbe::RedisHealthProbe(RedisRateLimitStore &store, QObject *parent) : QObject(parent), m_store(store)
{
    m_timer.setInterval(IntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &RedisHealthProbe::probe);
    m_timer.start();
    // The first sample as soon as Redis is reachable, not one interval later.
    connect(&m_store, &RedisRateLimitStore::connectedChanged, this, [this](bool connected) {
        if (connected)
            probe();
    });
    if (m_store.isConnected())
        probe();
}

RedisHealthProbe::~RedisHealthProbe()
{
    // Replies still in flight find the probe gone (QPointer); waiters get their answer now.
    const QList<std::function<void()>> waiters = std::exchange(m_waiters, {});
    for (const auto &done : waiters)
        done();
}

void RedisHealthProbe::refresh(std::function<void()> done)
{
    const qint64 staleBefore = QDateTime::currentMSecsSinceEpoch() - FreshMs;
    const bool fresh = !m_order.isEmpty() && std::all_of(m_order.cbegin(), m_order.cend(), [&](const QString &address) {
        const auto it = m_nodes.constFind(address);
        return it != m_nodes.cend() && it->health.checkedAtMs >= staleBefore;
    });
    // Not connected: probe() only marks the nodes as unreachable, at once.
    if (m_probing == 0 && (!fresh || !m_store.isConnected()))
        probe();
    if (m_probing == 0) {
        done();
        return;
    }
    m_waiters.append(std::move(done));
}

QList<RedisNodeHealth> RedisHealthProbe::nodes() const
{
    QList<RedisNodeHealth> list;
    for (const QString &address : m_order) {
        if (const auto it = m_nodes.constFind(address); it != m_nodes.cend())
            list.append(it->health);
    }
    return list;
}

void RedisHealthProbe::probe()
{
    QStringList order;
    for (const RedisTopology::Node &node : m_store.topology().nodes) {
        if (node.master)
            order.append(node.address);
    }
    // A node that left (failover, resharding) takes its samples along; with no known node at all
    // (sentinel without an answer yet) the last samples stay, marked as failed below.
    if (!order.isEmpty()) {
        for (auto it = m_nodes.begin(); it != m_nodes.end();) {
            if (order.contains(it.key())) {
                ++it;
                continue;
            }
            m_probing -= it->probing ? 1 : 0; // its replies find no node and are ignored
            it = m_nodes.erase(it);
        }
        m_order = order;
    }
    m_starting = true; // a handler called inside send() must not finish the round early
    for (const QString &address : std::as_const(m_order)) {
        NodeState &state = m_nodes[address];
        state.health.address = address;
        if (state.probing)
            continue;
        RedisLink *link = m_store.probeLink(address);
        if (!link) {
            state.health.probeError = QStringLiteral("Redis is not connected");
            state.health.evaluate();
            continue;
        }
        state.probing = true;
        state.pingError.clear();
        ++m_probing;
        QPointer<RedisHealthProbe> self(this);
        QElapsedTimer timer;
        timer.start();
        m_store.sendRouted(link, {QByteArrayLiteral("PING")}, false, 0, [self, address, timer](const RedisReplyValue &reply) {
            if (self)
                self->pinged(address, reply, double(timer.nsecsElapsed()) / 1e6);
        });
        m_store.sendRouted(link, {QByteArrayLiteral("INFO")}, false, 0, [self, address](const RedisReplyValue &reply) {
            if (self)
                self->informed(address, reply);
        });
    }
    m_starting = false;
    finishIfIdle();
}

void RedisHealthProbe::pinged(const QString &address, const RedisReplyValue &reply, double elapsedMs)
{
    auto it = m_nodes.find(address);
    if (it == m_nodes.end())
        return;
    if (reply.isError()) {
        it->pingError = QString::fromUtf8(reply.string);
        return;
    }
    it->latenciesMs.push_back(elapsedMs);
    if (it->latenciesMs.size() > size_t(RedisNodeHealth::LatencyWindow))
        it->latenciesMs.pop_front();
    RedisNodeHealth &h = it->health;
    h.latencyMs = elapsedMs;
    h.latencyAvgMs = std::accumulate(it->latenciesMs.cbegin(), it->latenciesMs.cend(), 0.0) / double(it->latenciesMs.size());
    h.latencyMaxMs = *std::max_element(it->latenciesMs.cbegin(), it->latenciesMs.cend());
}

void RedisHealthProbe::informed(const QString &address, const RedisReplyValue &reply)
{
    auto it = m_nodes.find(address);
    if (it == m_nodes.end())
        return;
    NodeState &state = *it;
    if (state.probing) {
        state.probing = false;
        --m_probing;
    }
    if (!state.pingError.isEmpty() || reply.isError() || reply.type != RedisReplyValue::Type::String) {
        // The last good sample stays, with its time: the console shows how old it is.
        state.health.probeError = !state.pingError.isEmpty() ? state.pingError
                                  : reply.isError()         ? QString::fromUtf8(reply.string)
                                                            : QStringLiteral("unexpected INFO reply");
        state.health.evaluate();
    } else {
        state.health.probeError.clear();
        state.health.checkedAtMs = QDateTime::currentMSecsSinceEpoch();
        state.health.parseInfo(reply.string);
        logEvictionChange(state);
    }
    finishIfIdle();
}

void RedisHealthProbe::logEvictionChange(NodeState &state)
{
    const RedisNodeHealth &h = state.health;
    if (h.evictionRisk == state.warnedEviction)
        return;
    state.warnedEviction = h.evictionRisk;
    if (h.evictionRisk)
        qCWarning(lcRedis).noquote() << QStringLiteral("Redis %1: %2").arg(h.address, h.evictionWarning());
    else
        qCInfo(lcRedis).noquote() << QStringLiteral("Redis %1: maxmemory-policy %2 no longer evicts rate limit keys").arg(h.address, h.maxmemoryPolicy);
}

void RedisHealthProbe::finishIfIdle()
{
    if (m_starting || m_probing > 0)
        return;
    const QList<std::function<void()>> waiters = std::exchange(m_waiters, {});
    for (const auto &done : waiters)
        done();
}
