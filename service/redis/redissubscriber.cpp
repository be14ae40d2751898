#include "redissubscriber.h"

#include "redislink.h"
#include "redissentinel.h"

#include <hiredis.h>

RedisSubscriber::RedisSubscriber(const RedisSettings &settings, QObject *parent)
    : QObject(parent), m_settings(settings)
{
    m_link = new RedisLink(settings, RedisLink::Role::Subscriber, {}, this);
    m_link->setPushHandler([this](const redisReply *r) {
        if (r->type != REDIS_REPLY_ARRAY || r->elements < 3 || r->element[0]->type != REDIS_REPLY_STRING
            || r->element[1]->type != REDIS_REPLY_STRING)
            return;
        const QByteArray kind(r->element[0]->str, qsizetype(r->element[0]->len));
        const QByteArray channel(r->element[1]->str, qsizetype(r->element[1]->len));
        if (kind == "message" && r->element[2]->type == REDIS_REPLY_STRING)
            emit message(channel, QByteArray(r->element[2]->str, qsizetype(r->element[2]->len)));
        else if (kind == "subscribe")
            m_confirmed.insert(channel);
        else if (kind == "unsubscribe")
            m_confirmed.remove(channel);
    });
    connect(m_link, &RedisLink::ready, this, &RedisSubscriber::linkReady);
    connect(m_link, &RedisLink::down, this, [this](const QString &reason) { linkDown(reason); });
    if (settings.mode == RedisMode::Sentinel) {
        m_sentinel = new RedisSentinel(settings, this);
        connect(m_sentinel, &RedisSentinel::masterChanged, this, [this](const RedisNodeAddress &master) {
            m_link->retarget(master.host, master.port, RedisLink::Reconnect::Now);
            m_link->open();
        });
        m_sentinel->open();
        return;
    }
    m_link->open();
}

RedisSubscriber::~RedisSubscriber()
{
    disconnect(m_link, nullptr, this, nullptr);
    m_link->close();
    if (m_sentinel) {
        disconnect(m_sentinel, nullptr, this, nullptr);
        m_sentinel->close();
    }
}

QString RedisSubscriber::address() const
{
    return m_link->address();
}

void RedisSubscriber::subscribe(const QByteArray &channel)
{
    if (m_channels.contains(channel))
        return;
    m_channels.insert(channel);
    if (m_connected)
        m_link->sendSubscription({QByteArrayLiteral("SUBSCRIBE"), channel});
}

void RedisSubscriber::unsubscribe(const QByteArray &channel)
{
    if (!m_channels.remove(channel))
        return;
    if (m_connected && m_confirmed.contains(channel))
        m_link->sendSubscription({QByteArrayLiteral("UNSUBSCRIBE"), channel});
}

QList<QByteArray> RedisSubscriber::channels() const
{
    return m_channels.values();
}

QString RedisSubscriber::lastError() const
{
    return m_link->lastError();
}

void RedisSubscriber::linkReady()
{
    m_confirmed.clear();
    if (!m_channels.isEmpty()) {
        RedisLink::Argv argv{QByteArrayLiteral("SUBSCRIBE")};
        argv += m_channels.values();
        m_link->sendSubscription(argv);
    }
    m_connected = true;
    m_outageLogged = false;
    qCInfo(lcRedis).noquote() << QStringLiteral("Redis subscriber connected to %1 (%2 channels)").arg(address()).arg(m_channels.size());
    emit connectedChanged(true);
}

void RedisSubscriber::linkDown(const QString &reason)
{
    m_confirmed.clear();
    if (!m_outageLogged) {
        m_outageLogged = true;
        qCWarning(lcRedis).noquote() << QStringLiteral("Redis subscriber at %1 down: %2; resubscribing when it is back").arg(address(), reason);
    }
    if (m_sentinel) {
        m_sentinel->requery(); // the master may have moved
    } else if (m_settings.mode == RedisMode::Cluster) {
        const QList<RedisNodeAddress> seeds = m_settings.clusterSeeds();
        m_seed = (m_seed + 1) % int(seeds.size());
        m_link->retarget(seeds.at(m_seed).host, seeds.at(m_seed).port, RedisLink::Reconnect::AtNextAttempt);
    }
    if (m_connected) {
        m_connected = false;
        emit connectedChanged(false);
    }
}
