#pragma once

#include "redissettings.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>

class RedisLink;
class RedisSentinel;

// Receives Redis pub/sub messages on one dedicated connection (a subscribed connection cannot run
// other commands, so it is never shared with the store). Keeps the wanted channel set and
// subscribes again after every reconnect (same backoff as the store: 100 ms doubling to 2 s).
// Messages published while the connection is down are lost (Redis pub/sub does not queue), so a
// consumer should re-read its state when connectedChanged(true) arrives.
// Publish with RedisRateLimitStore::command({"PUBLISH", channel, payload}).
// Cluster mode: connects to one node (a cluster delivers PUBLISH to every node's subscribers) and
// moves on to the next seed when that node cannot be reached. Sentinel mode: follows the master the
// sentinels name (own RedisSentinel), like the store.
// Use from the thread that created it. Do not delete it from inside its own signals.
class RedisSubscriber : public QObject
{
    Q_OBJECT

public:
    // Connects at once (password and host from `settings`; the database does not matter for pub/sub).
    explicit RedisSubscriber(const RedisSettings &settings, QObject *parent = nullptr);
    ~RedisSubscriber() override;

    void subscribe(const QByteArray &channel);
    void unsubscribe(const QByteArray &channel);
    QList<QByteArray> channels() const;
    // Redis confirmed the subscription on the current connection.
    bool isSubscribed(const QByteArray &channel) const { return m_confirmed.contains(channel); }
    bool isConnected() const { return m_connected; }
    QString lastError() const;

signals:
    void message(const QByteArray &channel, const QByteArray &payload);
    void connectedChanged(bool connected);

private:
    void linkReady();
    void linkDown(const QString &reason);

    QString address() const;

    const RedisSettings m_settings;
    RedisLink *m_link = nullptr;
    RedisSentinel *m_sentinel = nullptr;
    int m_seed = 0;
    QSet<QByteArray> m_channels;
    QSet<QByteArray> m_confirmed;
    bool m_connected = false;
    bool m_outageLogged = false;
};
