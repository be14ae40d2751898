#include "rediscluster.h"

#include <QPointer>
#include <QSet>

#include <algorithm>

#include <hiredis.h>

#include <array>

namespace {

// CRC16-CCITT (XMODEM), the polynomial Redis Cluster uses for key slots.
constexpr std::array<quint16, 256> makeCrcTable()
{
    std::array<quint16, 256> table{};
    for (int i = 0; i < 256; ++i) {
        quint16 crc = quint16(i << 8);
        for (int b = 0; b < 8; ++b)
            crc = (crc & 0x8000) ? quint16((crc << 1) ^ 0x1021) : quint16(crc << 1);
        table[size_t(i)] = crc;
    }
    return table;
}
constexpr std::array<quint16, 256> CrcTable = makeCrcTable();

quint16 crc16(const char *data, qsizetype size)
{
    quint16 crc = 0;
    for (qsizetype i = 0; i < size; ++i)
        crc = quint16((crc << 8) ^ CrcTable[size_t(((crc >> 8) ^ quint8(data[i])) & 0xff)]);
    return crc;
}

QString replyString(const redisReply *r)
{
    return r && r->type == REDIS_REPLY_STRING ? QString::fromUtf8(r->str, qsizetype(r->len)) : QString();
}

} // namespace

RedisCluster::RedisCluster(const RedisSettings &settings, QList<RedisLink::Argv> setupCommands, QObject *parent)
    : QObject(parent), m_settings(settings), m_setupCommands(std::move(setupCommands)), m_slots(SlotCount, nullptr)
{
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, &RedisCluster::refresh);
}

RedisCluster::~RedisCluster()
{
    close();
}

int RedisCluster::keySlot(const char *key, qsizetype size)
{
    // Only the part inside the first {...} counts, when it is non-empty.
    for (qsizetype open = 0; open < size; ++open) {
        if (key[open] != '{')
            continue;
        for (qsizetype close = open + 1; close < size; ++close) {
            if (key[close] == '}') {
                if (close > open + 1)
                    return crc16(key + open + 1, close - open - 1) & (SlotCount - 1);
                break;
            }
        }
        break;
    }
    return crc16(key, size) & (SlotCount - 1);
}

void RedisCluster::open()
{
    if (m_closed)
        return;
    for (const RedisNodeAddress &seed : m_settings.clusterSeeds())
        nodeFor(seed.host, seed.port, true);
}

void RedisCluster::close()
{
    if (m_closed)
        return;
    m_closed = true;
    m_refreshTimer.stop();
    std::fill(m_slots.begin(), m_slots.end(), nullptr);
    const auto nodes = m_nodes;
    m_nodes.clear();
    for (const auto &node : nodes)
        closeNode(node.get());
}

RedisCluster::Node *RedisCluster::nodeFor(const QString &host, quint16 port, bool connectNow)
{
    const QString address = RedisNodeAddress{host, port}.toString();
    auto it = m_nodes.find(address);
    if (it == m_nodes.end()) {
        auto node = std::make_shared<Node>();
        node->address = address;
        node->host = host;
        node->port = port;
        it = m_nodes.insert(address, node);
    }
    Node *node = it->get();
    if (connectNow && node->links.isEmpty() && !m_closed) {
        const RedisSettings nodeSettings = m_settings.forNode(host, port);
        const int links = qBound(1, m_settings.poolSize, RedisSettings::MaxPoolSize);
        for (int i = 0; i < links; ++i) {
            auto *link = new RedisLink(nodeSettings, RedisLink::Role::Commands, m_setupCommands, this);
            connect(link, &RedisLink::ready, this, [this] {
                recount();
                if (m_refreshAgain || std::all_of(m_slots.cbegin(), m_slots.cend(), [](const Node *n) { return !n; }))
                    requestRefresh();
            });
            connect(link, &RedisLink::down, this, [this, address](const QString &reason) {
                recount();
                auto n = m_nodes.value(address);
                if (n && n->master)
                    requestRefresh();
                emit linkDown(QStringLiteral("%1: %2").arg(address, reason));
            });
            node->links.append(link);
            link->open();
        }
    }
    return node;
}

void RedisCluster::closeNode(Node *node)
{
    for (RedisLink *link : std::as_const(node->links)) {
        disconnect(link, nullptr, this, nullptr);
        link->close();
        link->deleteLater();
    }
    node->links.clear();
}

RedisLink *RedisCluster::readyLink(Node *node)
{
    if (!node)
        return nullptr;
    const int n = int(node->links.size());
    for (int i = 0; i < n; ++i) {
        RedisLink *link = node->links.at(node->next);
        node->next = (node->next + 1) % n;
        if (link->isReady())
            return link;
    }
    return nullptr;
}

RedisLink *RedisCluster::linkForSlot(int slot)
{
    return readyLink(m_slots[size_t(slot)]);
}

RedisLink *RedisCluster::linkForAddress(const QString &address)
{
    if (m_closed)
        return nullptr;
    RedisSettings parsed;
    if (!parsed.parseAddress(address))
        return nullptr;
    return readyLink(nodeFor(parsed.host, parsed.port, true));
}

QList<RedisLink *> RedisCluster::masterLinks()
{
    QList<RedisLink *> links;
    for (const auto &node : std::as_const(m_nodes)) {
        if (!node->master || node->ranges.isEmpty())
            continue;
        if (RedisLink *link = readyLink(node.get()))
            links.append(link);
    }
    return links;
}

RedisPoolUsage RedisCluster::poolUsage() const
{
    RedisPoolUsage usage;
    for (const auto &node : m_nodes) {
        for (const RedisLink *link : std::as_const(node->links)) {
            ++usage.size;
            usage.ready += link->isReady() ? 1 : 0;
            usage.inFlight += link->pendingCount();
        }
    }
    return usage;
}

void RedisCluster::moved(int slot, const QString &address)
{
    RedisSettings parsed;
    if (slot < 0 || slot >= SlotCount || !parsed.parseAddress(address))
        return;
    Node *node = nodeFor(parsed.host, parsed.port, true);
    node->master = true;
    m_slots[size_t(slot)] = node;
    recount();
    requestRefresh();
}

void RedisCluster::requestRefresh()
{
    if (m_closed)
        return;
    if (m_refreshing) {
        m_refreshAgain = true;
        return;
    }
    m_refreshTimer.start(0);
}

void RedisCluster::refresh()
{
    if (m_closed)
        return;
    // Ask a master first (its view is the one that redirects us), any connected node otherwise.
    RedisLink *link = nullptr;
    QString askedHost;
    for (int pass = 0; pass < 2 && !link; ++pass) {
        for (const auto &node : std::as_const(m_nodes)) {
            if (pass == 0 && !node->master)
                continue;
            if ((link = readyLink(node.get()))) {
                askedHost = node->host;
                break;
            }
        }
    }
    if (!link) {
        // Nothing connected: make sure the seeds are being tried; a ready link asks again.
        m_refreshAgain = true;
        for (const RedisNodeAddress &seed : m_settings.clusterSeeds())
            nodeFor(seed.host, seed.port, true);
        m_refreshTimer.start(RefreshIncompleteMs);
        return;
    }
    m_refreshing = true;
    m_refreshAgain = false;
    QPointer<RedisCluster> self(this);
    link->send({QByteArrayLiteral("CLUSTER"), QByteArrayLiteral("SLOTS")}, [self, askedHost](const redisReply *r, RedisLink::Failure f) {
        if (!self)
            return;
        self->m_refreshing = false;
        if (f == RedisLink::Failure::None)
            self->slotsReply(r, askedHost);
        if (self->m_closed)
            return;
        if (self->m_refreshAgain || f != RedisLink::Failure::None)
            self->m_refreshTimer.start(self->m_refreshAgain ? 0 : RefreshIncompleteMs);
        else
            self->m_refreshTimer.start(self->isComplete() ? RefreshMs : RefreshIncompleteMs);
    });
}

void RedisCluster::slotsReply(const redisReply *r, const QString &askedHost)
{
    if (r->type != REDIS_REPLY_ARRAY)
        return;
    std::vector<Node *> table(SlotCount, nullptr);
    QSet<QString> inMap;
    QHash<QString, QList<QPair<int, int>>> ranges;
    QHash<QString, QString> replicaOf;
    for (size_t i = 0; i < r->elements; ++i) {
        const redisReply *range = r->element[i];
        if (range->type != REDIS_REPLY_ARRAY || range->elements < 3 || range->element[0]->type != REDIS_REPLY_INTEGER
            || range->element[1]->type != REDIS_REPLY_INTEGER)
            continue;
        const int first = int(qBound<long long>(0LL, range->element[0]->integer, SlotCount - 1LL));
        const int last = int(qBound<long long>(0LL, range->element[1]->integer, SlotCount - 1LL));
        QString masterAddress;
        for (size_t j = 2; j < range->elements; ++j) {
            const redisReply *n = range->element[j];
            if (n->type != REDIS_REPLY_ARRAY || n->elements < 2 || n->element[1]->type != REDIS_REPLY_INTEGER)
                continue;
            QString host = replyString(n->element[0]);
            if (host.isEmpty() || host == u"?")
                host = askedHost; // "" means the node we asked
            const quint16 port = quint16(n->element[1]->integer);
            Node *node = nodeFor(host, port, j == 2);
            inMap.insert(node->address);
            if (j == 2) {
                masterAddress = node->address;
                ranges[node->address].append({first, last});
                for (int s = first; s <= last; ++s)
                    table[size_t(s)] = node;
            } else {
                replicaOf[node->address] = masterAddress;
            }
        }
    }
    if (inMap.isEmpty())
        return; // a node that lost its view (e.g. just restarted): keep what we have
    m_slots.swap(table);
    QList<QString> gone;
    for (auto it = m_nodes.begin(); it != m_nodes.end(); ++it) {
        Node *node = it->get();
        node->ranges = ranges.value(node->address);
        node->master = !node->ranges.isEmpty();
        node->masterAddress = replicaOf.value(node->address);
        if (!inMap.contains(node->address))
            gone.append(node->address);
        else if (!node->master && !node->links.isEmpty())
            closeNode(node); // demoted (e.g. an old master back as a replica): not used
    }
    for (const QString &address : gone) {
        closeNode(m_nodes.value(address).get());
        m_nodes.remove(address);
    }
    recount();
    emit stateChanged();
}

void RedisCluster::recount()
{
    int covered = 0;
    for (Node *node : m_slots) {
        if (node && std::any_of(node->links.cbegin(), node->links.cend(), [](const RedisLink *l) { return l->isReady(); }))
            ++covered;
    }
    if (covered == m_slotsCovered)
        return;
    m_slotsCovered = covered;
    if (!isComplete() && !m_refreshing && !m_refreshTimer.isActive())
        m_refreshTimer.start(RefreshIncompleteMs);
    emit stateChanged();
}

RedisTopology RedisCluster::topology() const
{
    RedisTopology t;
    t.mode = RedisMode::Cluster;
    t.slotsCovered = m_slotsCovered;
    for (const auto &node : std::as_const(m_nodes)) {
        RedisTopology::Node n;
        n.address = node->address;
        n.master = node->master;
        n.connected = std::any_of(node->links.cbegin(), node->links.cend(), [](const RedisLink *l) { return l->isReady(); });
        n.masterAddress = node->masterAddress;
        n.slotRanges = node->ranges;
        t.nodes.append(n);
    }
    std::sort(t.nodes.begin(), t.nodes.end(), [](const RedisTopology::Node &a, const RedisTopology::Node &b) {
        if (a.master != b.master)
            return a.master;
        return a.address < b.address;
    });
    return t;
}
