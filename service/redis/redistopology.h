#pragma once

#include "redissettings.h"

#include <QList>
#include <QPair>
#include <QString>

// What the store sees of its Redis deployment, for the admin status: the data nodes, which are
// masters, whether the store has a ready connection to each, and in cluster mode the slot ranges
// each master serves. Plain value type (copyable, safe to pass between threads).
struct RedisTopology
{
    struct Node
    {
        QString address;        // "host:port"
        bool master = false;
        bool connected = false; // the store has a ready connection (masters only; replicas are listed, not used)
        QString masterAddress;  // replicas: their master
        QList<QPair<int, int>> slotRanges; // cluster masters: inclusive [first, last] ranges

        int slotCount() const
        {
            int n = 0;
            for (const auto &r : slotRanges)
                n += r.second - r.first + 1;
            return n;
        }
        friend bool operator==(const Node &, const Node &) = default;
    };

    RedisMode mode = RedisMode::Standalone;
    QList<Node> nodes;
    QString sentinelMaster;  // sentinel mode: the monitored master's name
    QString sentinel;        // sentinel mode: the sentinel currently asked
    int slotsCovered = 0;    // cluster mode: slots whose master has a ready connection (16384 = all)

    friend bool operator==(const RedisTopology &, const RedisTopology &) = default;
};
