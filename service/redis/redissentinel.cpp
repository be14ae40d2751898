#include "redissentinel.h"

#include "redislink.h"

#include <QPointer>

#include <hiredis.h>

namespace {

RedisSettings sentinelSettings(const RedisSettings &settings, const RedisNodeAddress &sentinel)
{
    RedisSettings s = settings.forNode(sentinel.host, sentinel.port);
    s.mode = RedisMode::Standalone;
    s.password = settings.sentinelPassword;
    s.db = 0;
    return s;
}

QByteArray str(const redisReply *r)
{
    return r && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS) ? QByteArray(r->str, qsizetype(r->len)) : QByteArray();
}

} // namespace

RedisSentinel::RedisSentinel(const RedisSettings &settings, QObject *parent) : QObject(parent), m_settings(settings)
{
    m_pollTimer.setInterval(PollMs);
    connect(&m_pollTimer, &QTimer::timeout, this, &RedisSentinel::ask);
    const RedisSettings first = sentinelSettings(settings, settings.sentinels.value(0, RedisNodeAddress{settings.host, RedisSettings::DefaultSentinelPort}));
    m_query = new RedisLink(first, RedisLink::Role::Commands, {}, this);
    m_events = new RedisLink(first, RedisLink::Role::Subscriber, {}, this);
    connect(m_query, &RedisLink::ready, this, &RedisSentinel::ask);
    connect(m_query, &RedisLink::down, this, [this](const QString &reason) {
        m_lastError = reason;
        nextSentinel();
    });
    connect(m_events, &RedisLink::ready, this, [this] {
        m_events->sendSubscription({QByteArrayLiteral("SUBSCRIBE"), QByteArrayLiteral("+switch-master")});
        ask(); // an announcement may have gone by while we were not subscribed
    });
    m_events->setPushHandler([this](const redisReply *r) {
        // message, +switch-master, "<name> <old ip> <old port> <new ip> <new port>"
        if (r->type != REDIS_REPLY_ARRAY || r->elements < 3 || str(r->element[0]) != "message")
            return;
        const QList<QByteArray> parts = str(r->element[2]).split(' ');
        if (parts.size() == 5 && parts.at(0) == m_settings.sentinelMaster)
            setMaster(QString::fromUtf8(parts.at(3)), quint16(parts.at(4).toUInt()));
    });
}

RedisSentinel::~RedisSentinel()
{
    close();
}

void RedisSentinel::open()
{
    m_query->open();
    m_events->open();
    m_pollTimer.start();
}

void RedisSentinel::close()
{
    m_pollTimer.stop();
    disconnect(m_query, nullptr, this, nullptr);
    disconnect(m_events, nullptr, this, nullptr);
    m_query->close();
    m_events->close();
}

void RedisSentinel::requery()
{
    ask();
}

QString RedisSentinel::currentSentinel() const
{
    return m_settings.sentinels.value(m_current).toString();
}

void RedisSentinel::ask()
{
    if (m_asking || !m_query->isReady())
        return;
    m_asking = true;
    QPointer<RedisSentinel> self(this);
    m_query->send({QByteArrayLiteral("SENTINEL"), QByteArrayLiteral("get-master-addr-by-name"), m_settings.sentinelMaster},
                  [self](const redisReply *r, RedisLink::Failure f) {
                      if (!self)
                          return;
                      self->m_asking = false;
                      if (f != RedisLink::Failure::None)
                          return;
                      if (r->type == REDIS_REPLY_ARRAY && r->elements == 2) {
                          self->setMaster(QString::fromUtf8(str(r->element[0])), quint16(str(r->element[1]).toUInt()));
                          return;
                      }
                      // Nil: this sentinel does not know the master name; an error: e.g. NOAUTH.
                      self->m_lastError = r->type == REDIS_REPLY_ERROR
                                              ? QString::fromUtf8(str(r))
                                              : QStringLiteral("sentinel %1 does not know master %2").arg(self->currentSentinel(), QString::fromUtf8(self->m_settings.sentinelMaster));
                      self->nextSentinel();
                  });
}

void RedisSentinel::nextSentinel()
{
    if (m_settings.sentinels.size() < 2)
        return; // the link retries the only one with its backoff
    m_current = (m_current + 1) % int(m_settings.sentinels.size());
    const RedisNodeAddress next = m_settings.sentinels.at(m_current);
    const RedisLink::Reconnect when = m_query->isReady() ? RedisLink::Reconnect::Now : RedisLink::Reconnect::AtNextAttempt;
    m_query->retarget(next.host, next.port, when);
    m_events->retarget(next.host, next.port, when);
}

void RedisSentinel::setMaster(const QString &host, quint16 port)
{
    if (host.isEmpty() || port == 0)
        return;
    const RedisNodeAddress master{host, port};
    if (master == m_master)
        return;
    m_master = master;
    emit masterChanged(master);
}
