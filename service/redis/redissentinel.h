#pragma once

#include "redissettings.h"

#include <QObject>
#include <QTimer>

class RedisLink;

// Finds the master of a Sentinel-monitored group and follows it (internal to sluice_redis).
//
// Keeps two links to one sentinel at a time (sentinelPassword for AUTH): one asks
// SENTINEL get-master-addr-by-name <master> (at once, every PollMs, and on requery()), the other is
// subscribed to +switch-master, so a failover is seen as soon as the sentinels announce it. When the
// sentinel cannot be reached it moves on to the next one in the list. masterChanged() fires whenever
// the reported address differs from the last one.
//
// Not thread-safe: one thread, like RedisLink.
class RedisSentinel : public QObject
{
    Q_OBJECT

public:
    static constexpr int PollMs = 2000;

    explicit RedisSentinel(const RedisSettings &settings, QObject *parent = nullptr);
    ~RedisSentinel() override;

    void open();
    void close();
    // Asks the sentinel now (e.g. the master answered READONLY or went away).
    void requery();

    bool hasMaster() const { return m_master.port != 0; }
    RedisNodeAddress master() const { return m_master; }
    QString currentSentinel() const;
    QString lastError() const { return m_lastError; }

signals:
    void masterChanged(const RedisNodeAddress &master);

private:
    void ask();
    void nextSentinel();
    void setMaster(const QString &host, quint16 port);

    const RedisSettings m_settings;
    int m_current = 0;
    RedisLink *m_query = nullptr;
    RedisLink *m_events = nullptr;
    QTimer m_pollTimer;
    RedisNodeAddress m_master;
    bool m_asking = false;
    QString m_lastError;
};
