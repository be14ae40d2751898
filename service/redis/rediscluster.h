#pragma once

#include "redishealth.h"
#include "redislink.h"
#include "redissettings.h"
#include "redistopology.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <memory>
#include <vector>

// The cluster side of RedisRateLimitStore (internal to sluice_redis): the slot map and one pool of
// RedisLinks (settings.poolSize) per master.
//
// The map comes from CLUSTER SLOTS, asked on any ready node (the seeds until the map is known).
// It is asked again when a redirect shows it is stale (MOVED), when a master's link goes down, every
// RefreshIncompleteMs while some slot has no ready master (a failover in progress) and every
// RefreshMs otherwise (resharding finished elsewhere). Replicas are listed in the topology but not
// connected. Nodes that leave the map are closed (their commands in flight answer Failure::Closed).
// Every link runs the owner's setup commands (SCRIPT LOAD), so scripts are loaded on every master.
//
// Not thread-safe: one thread, like RedisLink.
class RedisCluster : public QObject
{
    Q_OBJECT

public:
    static constexpr int SlotCount = 16384;
    static constexpr int RefreshMs = 5000;
    static constexpr int RefreshIncompleteMs = 250;

    RedisCluster(const RedisSettings &settings, QList<RedisLink::Argv> setupCommands, QObject *parent = nullptr);
    ~RedisCluster() override;

    void open();
    void close();

    // CRC16 (XMODEM) of the key or of its {hash tag}, modulo 16384, as Redis Cluster computes it.
    static int keySlot(const char *key, qsizetype size);
    static int keySlot(const QByteArray &key) { return keySlot(key.constData(), key.size()); }

    // A ready link (round-robin within the pool) of the slot's master, or nullptr.
    RedisLink *linkForSlot(int slot);
    // A ready link of the node at "host:port" (a redirect's target), connecting to it if unknown.
    RedisLink *linkForAddress(const QString &address);
    // One ready link per master that serves slots.
    QList<RedisLink *> masterLinks();
    // Links, ready links and commands in flight over every node's pool (maxInFlight left at 0).
    RedisPoolUsage poolUsage() const;
    // Every slot has a master with a ready link.
    bool isComplete() const { return m_slotsCovered == SlotCount; }
    int slotsCovered() const { return m_slotsCovered; }
    // MOVED: the slot now lives at `address`; the table is updated at once and the map re-read.
    void moved(int slot, const QString &address);
    // Re-reads the map soon (one CLUSTER SLOTS in flight at a time).
    void requestRefresh();
    RedisTopology topology() const;

signals:
    // Coverage or the map changed.
    void stateChanged();
    void linkDown(const QString &reason);

private:
    struct Node
    {
        QString address;
        QString host;
        quint16 port = 0;
        QList<RedisLink *> links;
        int next = 0;
        bool master = false;
        QString masterAddress;
        QList<QPair<int, int>> ranges;
    };

    Node *nodeFor(const QString &host, quint16 port, bool connect);
    void closeNode(Node *node);
    RedisLink *readyLink(Node *node);
    void refresh();
    void slotsReply(const struct redisReply *r, const QString &askedHost);
    void recount();

    const RedisSettings m_settings;
    const QList<RedisLink::Argv> m_setupCommands;
    QHash<QString, std::shared_ptr<Node>> m_nodes;
    std::vector<Node *> m_slots;
    QTimer m_refreshTimer;
    bool m_refreshing = false;
    bool m_refreshAgain = false;
    bool m_closed = false;
    int m_slotsCovered = 0;
};
