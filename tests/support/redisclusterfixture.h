#pragma once

#include "redisserver.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

class TestCertificates;

// A private Redis Cluster for one test executable: `masters` masters with `replicas` replicas each,
// every node a RedisServer (free loopback port, retried on bind failure; the cluster bus port is
// port + 10000, so a node whose bus port is taken is simply started on another port), created with
// `redis-cli --cluster create ... --cluster-replicas N --cluster-yes`. start() waits until every
// node reports cluster_state:ok and agrees on the slot map. cluster-node-timeout is short (1 s) so a
// killed master is replaced by its replica within a few seconds. Fails loudly when redis-server or
// redis-cli is missing. Either 3 or more masters, or 1 master without replicas (a benchmark baseline:
// it takes every slot itself). Synchronous helpers (redis-cli), for test set-up and assertions only.
class RedisClusterFixture
{
public:
    explicit RedisClusterFixture(int masters = 3, int replicas = 1);
    ~RedisClusterFixture();

    // Before start(): every node serves TLS only, the cluster bus too (tls-cluster yes).
    void useTls(const TestCertificates &certs) { m_certs = &certs; }
    bool start();
    QString errorString() const { return m_error; }

    int nodeCount() const { return int(m_nodes.size()); }
    RedisServer &node(int i) { return *m_nodes.at(i); }
    // "127.0.0.1:p1,127.0.0.1:p2,..." of every node, for RedisSettings::parseSeeds().
    QString seeds() const;
    // Index of the node serving `port`, or -1.
    int indexOfPort(quint16 port) const;

    // redis-cli on a running node (the first running one when index < 0).
    QByteArray cli(int index, const QStringList &args) const;
    // The slot's master as seen by a running node: its port (0 when unknown).
    quint16 masterOfSlot(int slot) const;
    // The ports of the masters that serve slots now.
    QList<quint16> masterPorts() const;
    QByteArray nodeId(int index) const;
    int keySlot(const QByteArray &key) const;

    // Waits until every running node reports cluster_state:ok and `masters` masters serve all
    // slots; false after timeoutMs.
    bool waitUntilHealthy(int timeoutMs = 20000) const;

private:
    int m_masters;
    int m_replicas;
    const TestCertificates *m_certs = nullptr;
    std::vector<std::unique_ptr<RedisServer>> m_nodes;
    QString m_error;
};
