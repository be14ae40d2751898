#include "redisclusterfixture.h"

#include <QDeadlineTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QThread>

RedisClusterFixture::RedisClusterFixture(int masters, int replicas) : m_masters(masters), m_replicas(replicas) {}

RedisClusterFixture::~RedisClusterFixture() = default;

bool RedisClusterFixture::start()
{
    if (QStandardPaths::findExecutable(QStringLiteral("redis-cli")).isEmpty()) {
        m_error = QStringLiteral("redis-cli is not installed (apt-get install redis-tools); cluster tests cannot run");
        return false;
    }
    const int total = m_masters * (1 + m_replicas);
    QStringList addresses;
    for (int i = 0; i < total; ++i) {
        auto server = std::make_unique<RedisServer>(QStringList{
            QStringLiteral("--cluster-enabled"), QStringLiteral("yes"), QStringLiteral("--cluster-config-file"),
            QStringLiteral("nodes.conf"), QStringLiteral("--cluster-node-timeout"), QStringLiteral("1000"),
            // A replica takes over at once (no data-age veto) and no node waits for a full slot coverage to serve
            QStringLiteral("--cluster-replica-validity-factor"), QStringLiteral("0"),
            QStringLiteral("--cluster-require-full-coverage"), QStringLiteral("no")});
        if (m_certs) {
            server->useTls(*m_certs);
            server->addArgs({QStringLiteral("--tls-cluster"), QStringLiteral("yes")});
        }
        if (!server->start()) {
            m_error = QStringLiteral("cluster node %1: %2").arg(i).arg(server->errorString());
            return false;
        }
        addresses << QString::fromLatin1(server->address());
        m_nodes.push_back(std::move(server));
    }
    if (m_masters == 1 && m_replicas == 0) {
        // redis-cli --cluster create wants 3 masters; a single master just takes every slot.
        if (cli(0, {QStringLiteral("CLUSTER"), QStringLiteral("ADDSLOTSRANGE"), QStringLiteral("0"), QStringLiteral("16383")}) != "OK") {
            m_error = QStringLiteral("CLUSTER ADDSLOTSRANGE failed");
            return false;
        }
        if (!waitUntilHealthy(30000)) {
            m_error = QStringLiteral("the one-node cluster did not become healthy");
            return false;
        }
        return true;
    }
    QProcess create;
    create.setProcessChannelMode(QProcess::MergedChannels);
    create.start(QStringLiteral("redis-cli"), m_nodes.front()->cliTlsArgs() + QStringList{QStringLiteral("--cluster"), QStringLiteral("create")} + addresses
                                                  + QStringList{QStringLiteral("--cluster-replicas"), QString::number(m_replicas),
                                                                QStringLiteral("--cluster-yes")});
    if (!create.waitForFinished(60000) || create.exitCode() != 0) {
        m_error = QStringLiteral("redis-cli --cluster create failed: %1").arg(QString::fromLocal8Bit(create.readAll().right(600)));
        return false;
    }
    if (!waitUntilHealthy(30000)) {
        m_error = QStringLiteral("the cluster did not become healthy: %1").arg(QString::fromLatin1(cli(-1, {QStringLiteral("CLUSTER"), QStringLiteral("INFO")})));
        return false;
    }
    // CLUSTER SLOTS hides a replica until its replication offset is above 0: give every master
    // something to replicate (-c follows the redirects to the key's master).
    for (int i = 0; i < 32; ++i)
        cli(-1, {QStringLiteral("-c"), QStringLiteral("SET"), QStringLiteral("fixture:%1").arg(i), QStringLiteral("1")});
    // Every node also knows every replica, and CLUSTER SLOTS lists them all.
    const QDeadlineTimer deadline(30000);
    while (!deadline.hasExpired()) {
        bool all = true;
        for (size_t i = 0; i < m_nodes.size() && all; ++i) {
            const QByteArray nodes = m_nodes[i]->cli({QStringLiteral("CLUSTER"), QStringLiteral("NODES")});
            all = nodes.count(" slave ") + nodes.count(",slave ") == m_masters * m_replicas && !nodes.contains("fail")
                  && m_nodes[i]->cli({QStringLiteral("CLUSTER"), QStringLiteral("SLOTS")}).count("127.0.0.1") == m_masters * (1 + m_replicas);
        }
        if (all)
            return true;
        QThread::msleep(100);
    }
    m_error = QStringLiteral("not every node knows every replica");
    return false;
}

QString RedisClusterFixture::seeds() const
{
    QStringList all;
    for (const auto &n : m_nodes)
        all << QString::fromLatin1(n->address());
    return all.join(u',');
}

int RedisClusterFixture::indexOfPort(quint16 port) const
{
    for (size_t i = 0; i < m_nodes.size(); ++i) {
        if (m_nodes[i]->port() == port)
            return int(i);
    }
    return -1;
}

QByteArray RedisClusterFixture::cli(int index, const QStringList &args) const
{
    if (index < 0) {
        for (size_t i = 0; i < m_nodes.size(); ++i) {
            if (m_nodes[i]->isRunning())
                return m_nodes[i]->cli(args);
        }
        return {};
    }
    return m_nodes.at(size_t(index))->cli(args);
}

quint16 RedisClusterFixture::masterOfSlot(int slot) const
{
    // redis-cli prints CLUSTER SLOTS flattened: start, end, ip, port, id, [replica ip, port, id]...
    const QList<QByteArray> lines = cli(-1, {QStringLiteral("CLUSTER"), QStringLiteral("SLOTS")}).split('\n');
    for (qsizetype i = 0; i + 3 < lines.size(); ++i) {
        bool a = false, b = false;
        const int first = lines.at(i).trimmed().toInt(&a);
        const int last = lines.at(i + 1).trimmed().toInt(&b);
        if (a && b && first <= last && lines.at(i + 2).trimmed().contains('.') && slot >= first && slot <= last)
            return quint16(lines.at(i + 3).trimmed().toUInt());
    }
    return 0;
}

QList<quint16> RedisClusterFixture::masterPorts() const
{
    QList<quint16> ports;
    const QList<QByteArray> lines = cli(-1, {QStringLiteral("CLUSTER"), QStringLiteral("NODES")}).split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> f = line.split(' ');
        // <id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <state> <slots...>
        if (f.size() < 9 || !f.at(2).contains("master") || f.at(2).contains("fail"))
            continue;
        const QByteArray hostPort = f.at(1).split('@').first();
        ports.append(quint16(hostPort.mid(hostPort.lastIndexOf(':') + 1).toUInt()));
    }
    std::sort(ports.begin(), ports.end());
    return ports;
}

QByteArray RedisClusterFixture::nodeId(int index) const
{
    return cli(index, {QStringLiteral("CLUSTER"), QStringLiteral("MYID")});
}

int RedisClusterFixture::keySlot(const QByteArray &key) const
{
    return cli(-1, {QStringLiteral("CLUSTER"), QStringLiteral("KEYSLOT"), QString::fromUtf8(key)}).toInt();
}

bool RedisClusterFixture::waitUntilHealthy(int timeoutMs) const
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        bool ok = true;
        for (size_t i = 0; i < m_nodes.size() && ok; ++i) {
            if (!m_nodes[i]->isRunning())
                continue;
            const QByteArray info = m_nodes[i]->cli({QStringLiteral("CLUSTER"), QStringLiteral("INFO")});
            ok = info.contains("cluster_state:ok") && info.contains("cluster_slots_ok:16384");
        }
        if (ok && masterPorts().size() == m_masters)
            return true;
        QThread::msleep(100);
    }
    return false;
}
