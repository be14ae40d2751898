#include "redishealth.h"

#include <algorithm>

namespace {

QString megabytes(qint64 bytes)
{
    return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1) + QStringLiteral(" MiB");
}

// "ip=127.0.0.1,port=6380,state=online,offset=1234,lag=0"
RedisNodeHealth::Replica parseReplica(const QByteArray &value)
{
    RedisNodeHealth::Replica replica;
    QByteArray ip;
    QByteArray port;
    for (const QByteArray &pair : value.split(',')) {
        const qsizetype eq = pair.indexOf('=');
        if (eq < 0)
            continue;
        const QByteArray name = pair.left(eq);
        const QByteArray v = pair.mid(eq + 1);
        if (name == "ip")
            ip = v;
        else if (name == "port")
            port = v;
        else if (name == "offset")
            replica.offset = v.toLongLong();
        else if (name == "lag")
            replica.lagSeconds = v.toLongLong();
    }
    replica.address = QString::fromUtf8(ip.contains(':') ? '[' + ip + "]:" + port : ip + ':' + port);
    return replica;
}

} // namespace

std::optional<double> RedisNodeHealth::memoryUsageRatio() const
{
    if (maxmemoryBytes <= 0)
        return std::nullopt;
    return double(usedMemoryBytes) / double(maxmemoryBytes);
}

void RedisNodeHealth::parseInfo(const QByteArray &info)
{
    qint64 masterOffset = -1;
    std::optional<qint64> lastIoSecondsAgo;
    replicas.clear();
    masterLinkUp.reset();
    for (QByteArray line : info.split('\n')) {
        line = line.trimmed();
        const qsizetype colon = line.indexOf(':');
        if (line.isEmpty() || line.startsWith('#') || colon < 0)
            continue;
        const QByteArray name = line.left(colon);
        const QByteArray value = line.mid(colon + 1);
        if (name == "redis_version")
            redisVersion = QString::fromUtf8(value);
        else if (name == "used_memory")
            usedMemoryBytes = value.toLongLong();
        else if (name == "maxmemory")
            maxmemoryBytes = value.toLongLong();
        else if (name == "maxmemory_policy")
            maxmemoryPolicy = QString::fromUtf8(value);
        else if (name == "evicted_keys")
            evictedKeys = value.toLongLong();
        else if (name == "rejected_connections")
            rejectedConnections = value.toLongLong();
        else if (name == "connected_clients")
            connectedClients = value.toLongLong();
        else if (name == "role")
            role = value == "slave" ? QStringLiteral("replica") : QString::fromUtf8(value);
        else if (name == "connected_slaves")
            connectedReplicas = value.toInt();
        else if (name == "master_repl_offset")
            masterOffset = value.toLongLong();
        else if (name == "master_link_status")
            masterLinkUp = value == "up";
        else if (name == "master_last_io_seconds_ago")
            lastIoSecondsAgo = value.toLongLong();
        else if (name.startsWith("slave") && value.startsWith("ip="))
            replicas.append(parseReplica(value));
    }
    replicationLagBytes.reset();
    replicationLagSeconds.reset();
    if (role == QLatin1String("master")) {
        for (const Replica &r : std::as_const(replicas)) {
            const qint64 gap = masterOffset >= 0 ? std::max<qint64>(0, masterOffset - r.offset) : 0;
            replicationLagBytes = std::max(replicationLagBytes.value_or(0), gap);
            replicationLagSeconds = std::max(replicationLagSeconds.value_or(0), double(r.lagSeconds));
        }
    } else if (lastIoSecondsAgo && *lastIoSecondsAgo >= 0) {
        // A replica knows only its own offset, not the master's: the lag in bytes is unknown here.
        replicationLagSeconds = double(*lastIoSecondsAgo);
    }
    evaluate();
}

QString RedisNodeHealth::evictionWarning() const
{
    if (!hasSample() || maxmemoryBytes <= 0 || maxmemoryPolicy == QLatin1String("noeviction"))
        return {};
    return QStringLiteral("maxmemory-policy %1 with maxmemory %2 can evict rate limit keys (every one has a TTL), "
                          "which silently resets their limits; use noeviction and size maxmemory for the limiter data")
        .arg(maxmemoryPolicy, megabytes(maxmemoryBytes));
}

void RedisNodeHealth::evaluate()
{
    warnings.clear();
    evictionRisk = false;
    if (!probeError.isEmpty())
        warnings.append(QStringLiteral("last probe failed: %1").arg(probeError));
    if (!hasSample())
        return;
    if (maxmemoryBytes <= 0)
        warnings.append(QStringLiteral("no maxmemory: no eviction, but Redis can grow until the OS kills it"));
    if (const QString eviction = evictionWarning(); !eviction.isEmpty()) {
        evictionRisk = true;
        warnings.append(eviction);
    }
    if (const std::optional<double> ratio = memoryUsageRatio(); ratio && *ratio > MemoryWarningRatio)
        warnings.append(QStringLiteral("memory at %1% of maxmemory (%2 of %3)")
                            .arg(qRound(*ratio * 100))
                            .arg(megabytes(usedMemoryBytes), megabytes(maxmemoryBytes)));
    if (evictionRisk && evictedKeys > 0)
        warnings.append(QStringLiteral("%1 keys evicted since Redis started; evicted limiter keys lost their counts").arg(evictedKeys));
    if (role == QLatin1String("replica"))
        warnings.append(QStringLiteral("this node is a replica: it refuses the limiter's writes (READONLY)"));
    if (masterLinkUp == false)
        warnings.append(QStringLiteral("replication link to the master is down"));
}

RedisNodeHealth RedisNodeHealth::aggregate(const QList<RedisNodeHealth> &nodes)
{
    if (nodes.size() == 1)
        return nodes.first();
    RedisNodeHealth all;
    bool everyNodeLimited = !nodes.isEmpty();
    QStringList versions;
    QStringList roles;
    for (const RedisNodeHealth &n : nodes) {
        if (n.hasSample())
            all.checkedAtMs = all.checkedAtMs == 0 ? n.checkedAtMs : std::min(all.checkedAtMs, n.checkedAtMs);
        if (all.probeError.isEmpty() && !n.probeError.isEmpty())
            all.probeError = QStringLiteral("%1: %2").arg(n.address, n.probeError);
        all.latencyMs = std::max(all.latencyMs, n.latencyMs);
        all.latencyAvgMs = std::max(all.latencyAvgMs, n.latencyAvgMs);
        all.latencyMaxMs = std::max(all.latencyMaxMs, n.latencyMaxMs);
        all.usedMemoryBytes += n.usedMemoryBytes;
        all.maxmemoryBytes += n.maxmemoryBytes;
        everyNodeLimited = everyNodeLimited && n.maxmemoryBytes > 0;
        if (all.maxmemoryPolicy.isEmpty() || (n.evictionRisk && !all.evictionRisk))
            all.maxmemoryPolicy = n.maxmemoryPolicy;
        all.evictionRisk = all.evictionRisk || n.evictionRisk;
        all.evictedKeys += n.evictedKeys;
        all.rejectedConnections += n.rejectedConnections;
        all.connectedClients += n.connectedClients;
        if (!n.role.isEmpty() && !roles.contains(n.role))
            roles.append(n.role);
        all.connectedReplicas += n.connectedReplicas;
        all.replicas += n.replicas;
        if (n.replicationLagBytes)
            all.replicationLagBytes = std::max(all.replicationLagBytes.value_or(0), *n.replicationLagBytes);
        if (n.replicationLagSeconds)
            all.replicationLagSeconds = std::max(all.replicationLagSeconds.value_or(0), *n.replicationLagSeconds);
        if (n.masterLinkUp)
            all.masterLinkUp = all.masterLinkUp.value_or(true) && *n.masterLinkUp;
        if (!n.redisVersion.isEmpty() && !versions.contains(n.redisVersion))
            versions.append(n.redisVersion);
        for (const QString &w : n.warnings)
            all.warnings.append(QStringLiteral("%1: %2").arg(n.address, w));
    }
    if (!everyNodeLimited)
        all.maxmemoryBytes = 0; // one node without a limit: the sum is no limit either
    all.role = roles.join(QLatin1Char(','));
    all.redisVersion = versions.join(QLatin1Char(','));
    return all;
}
