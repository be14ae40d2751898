#include "adminapi.h"

#include <QJsonArray>

#include <cmath>

namespace AdminApi {

namespace {

QJsonObject success(const char *field, const QJsonValue &value)
{
    return QJsonObject{{QStringLiteral("status"), QStringLiteral("success")}, {QLatin1String(field), value}};
}

QString isoTime(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QDateTime parseTime(const QJsonValue &v)
{
    return QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
}

QJsonArray stringArray(const QStringList &list)
{
    QJsonArray a;
    for (const QString &s : list)
        a.append(s);
    return a;
}

} // namespace

QString formatWindow(qint64 seconds)
{
    if (seconds > 0 && seconds % 3600 == 0)
        return QString::number(seconds / 3600) + QLatin1Char('h');
    if (seconds > 0 && seconds % 60 == 0)
        return QString::number(seconds / 60) + QLatin1Char('m');
    return QString::number(seconds) + QLatin1Char('s');
}

QJsonObject CurrentRate::toJson() const
{
    return {{QStringLiteral("key"), key},
            {QStringLiteral("strategy"), strategy},
            {QStringLiteral("client"), client},
            {QStringLiteral("endpoint"), endpoint},
            {QStringLiteral("current_count"), currentCount},
            {QStringLiteral("limit"), limit},
            {QStringLiteral("window"), window},
            {QStringLiteral("window_seconds"), windowSeconds},
            {QStringLiteral("reset_time"), resetTime},
            {QStringLiteral("algorithm"), algorithm}};
}

CurrentRate CurrentRate::fromJson(const QJsonObject &o)
{
    CurrentRate r;
    r.key = o.value(QStringLiteral("key")).toString();
    r.strategy = o.value(QStringLiteral("strategy")).toString();
    r.client = o.value(QStringLiteral("client")).toString();
    r.endpoint = o.value(QStringLiteral("endpoint")).toString();
    r.currentCount = o.value(QStringLiteral("current_count")).toInteger();
    r.limit = o.value(QStringLiteral("limit")).toInteger();
    r.window = o.value(QStringLiteral("window")).toString();
    r.windowSeconds = o.value(QStringLiteral("window_seconds")).toInteger();
    r.resetTime = o.value(QStringLiteral("reset_time")).toInteger();
    r.algorithm = o.value(QStringLiteral("algorithm")).toString();
    return r;
}

QJsonObject InstanceInfo::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("address"), address},
            {QStringLiteral("mode"), mode},
            {QStringLiteral("total_requests"), totalRequests},
            {QStringLiteral("blocked_requests"), blockedRequests},
            {QStringLiteral("last_seen"), isoTime(lastSeen)}};
}

InstanceInfo InstanceInfo::fromJson(const QJsonObject &o)
{
    InstanceInfo i;
    i.id = o.value(QStringLiteral("id")).toString();
    i.address = o.value(QStringLiteral("address")).toString();
    i.mode = o.value(QStringLiteral("mode")).toString();
    i.totalRequests = o.value(QStringLiteral("total_requests")).toInteger();
    i.blockedRequests = o.value(QStringLiteral("blocked_requests")).toInteger();
    i.lastSeen = parseTime(o.value(QStringLiteral("last_seen")));
    return i;
}

QJsonObject Stats::toJson() const
{
    QJsonObject rates;
    QJsonArray order;
    for (const CurrentRate &r : currentRates) {
        rates.insert(r.key, r.toJson());
        order.append(r.key);
    }
    QJsonArray inst;
    for (const InstanceInfo &i : instances)
        inst.append(i.toJson());
    QJsonObject bypass;
    for (auto it = bypassAttempts.cbegin(); it != bypassAttempts.cend(); ++it)
        bypass.insert(it.key(), it.value());
    const QJsonObject latency{{QStringLiteral("p50_us"), decisionLatencyP50Us},
                              {QStringLiteral("p99_us"), decisionLatencyP99Us}};
    return success("stats",
                   QJsonObject{{QStringLiteral("total_requests"), totalRequests},
                               {QStringLiteral("blocked_requests"), blockedRequests},
                               {QStringLiteral("current_rates"), rates},
                               {QStringLiteral("current_rates_order"), order},
                               {QStringLiteral("redis_connected"), redisConnected},
                               {QStringLiteral("last_update"), isoTime(lastUpdate)},
                               {QStringLiteral("mode"), mode},
                               {QStringLiteral("tracked_keys"), trackedKeys},
                               {QStringLiteral("decision_latency"), latency},
                               {QStringLiteral("instances"), inst},
                               {QStringLiteral("bypass_attempts"), bypass}});
}

Stats Stats::fromJson(const QJsonObject &envelope)
{
    const QJsonObject o = envelope.value(QStringLiteral("stats")).toObject();
    Stats s;
    s.totalRequests = o.value(QStringLiteral("total_requests")).toInteger();
    s.blockedRequests = o.value(QStringLiteral("blocked_requests")).toInteger();
    const QJsonObject rates = o.value(QStringLiteral("current_rates")).toObject();
    const QJsonArray order = o.value(QStringLiteral("current_rates_order")).toArray();
    if (order.size() == rates.size()) {
        for (const QJsonValue &k : order)
            s.currentRates.append(CurrentRate::fromJson(rates.value(k.toString()).toObject()));
    } else {
        for (auto it = rates.begin(); it != rates.end(); ++it)
            s.currentRates.append(CurrentRate::fromJson(it.value().toObject()));
    }
    s.redisConnected = o.value(QStringLiteral("redis_connected")).toBool();
    s.lastUpdate = parseTime(o.value(QStringLiteral("last_update")));
    s.mode = o.value(QStringLiteral("mode")).toString();
    s.trackedKeys = o.value(QStringLiteral("tracked_keys")).toInteger();
    const QJsonObject latency = o.value(QStringLiteral("decision_latency")).toObject();
    s.decisionLatencyP50Us = latency.value(QStringLiteral("p50_us")).toDouble();
    s.decisionLatencyP99Us = latency.value(QStringLiteral("p99_us")).toDouble();
    for (const QJsonValue &v : o.value(QStringLiteral("instances")).toArray())
        s.instances.append(InstanceInfo::fromJson(v.toObject()));
    const QJsonObject bypass = o.value(QStringLiteral("bypass_attempts")).toObject();
    for (auto it = bypass.begin(); it != bypass.end(); ++it)
        s.bypassAttempts.insert(it.key(), it.value().toInteger());
    return s;
}

QJsonObject RedisHealth::toJson() const
{
    auto orNull = [](const auto &value) { return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null); };
    auto ms = [](double v) { return std::round(v * 1000.0) / 1000.0; };
    return QJsonObject{{QStringLiteral("checked_at"), checkedAt.isValid() ? QJsonValue(isoTime(checkedAt)) : QJsonValue()},
                       {QStringLiteral("age_ms"), ageMs},
                       {QStringLiteral("probe_error"), probeError},
                       {QStringLiteral("latency_ms"), ms(latencyMs)},
                       {QStringLiteral("latency_avg_ms"), ms(latencyAvgMs)},
                       {QStringLiteral("latency_max_ms"), ms(latencyMaxMs)},
                       {QStringLiteral("used_memory_bytes"), usedMemoryBytes},
                       {QStringLiteral("maxmemory_bytes"), maxmemoryBytes},
                       {QStringLiteral("memory_usage_ratio"), orNull(memoryUsageRatio)},
                       {QStringLiteral("maxmemory_policy"), maxmemoryPolicy},
                       {QStringLiteral("eviction_risk"), evictionRisk},
                       {QStringLiteral("evicted_keys"), evictedKeys},
                       {QStringLiteral("rejected_connections"), rejectedConnections},
                       {QStringLiteral("connected_clients"), connectedClients},
                       {QStringLiteral("role"), role},
                       {QStringLiteral("connected_replicas"), connectedReplicas},
                       {QStringLiteral("replication_lag_bytes"), orNull(replicationLagBytes)},
                       {QStringLiteral("replication_lag_seconds"), orNull(replicationLagSeconds)},
                       {QStringLiteral("master_link_up"), orNull(masterLinkUp)},
                       {QStringLiteral("redis_version"), redisVersion},
                       {QStringLiteral("warnings"), stringArray(warnings)}};
}

RedisHealth RedisHealth::fromJson(const QJsonObject &o)
{
    RedisHealth h;
    h.checkedAt = parseTime(o.value(QStringLiteral("checked_at")));
    h.ageMs = o.value(QStringLiteral("age_ms")).toInteger(-1);
    h.probeError = o.value(QStringLiteral("probe_error")).toString();
    h.latencyMs = o.value(QStringLiteral("latency_ms")).toDouble();
    h.latencyAvgMs = o.value(QStringLiteral("latency_avg_ms")).toDouble();
    h.latencyMaxMs = o.value(QStringLiteral("latency_max_ms")).toDouble();
    h.usedMemoryBytes = o.value(QStringLiteral("used_memory_bytes")).toInteger();
    h.maxmemoryBytes = o.value(QStringLiteral("maxmemory_bytes")).toInteger();
    if (const QJsonValue v = o.value(QStringLiteral("memory_usage_ratio")); v.isDouble())
        h.memoryUsageRatio = v.toDouble();
    h.maxmemoryPolicy = o.value(QStringLiteral("maxmemory_policy")).toString();
    h.evictionRisk = o.value(QStringLiteral("eviction_risk")).toBool();
    h.evictedKeys = o.value(QStringLiteral("evicted_keys")).toInteger();
    h.rejectedConnections = o.value(QStringLiteral("rejected_connections")).toInteger();
    h.connectedClients = o.value(QStringLiteral("connected_clients")).toInteger();
    h.role = o.value(QStringLiteral("role")).toString();
    h.connectedReplicas = o.value(QStringLiteral("connected_replicas")).toInt();
    if (const QJsonValue v = o.value(QStringLiteral("replication_lag_bytes")); v.isDouble())
        h.replicationLagBytes = v.toInteger();
    if (const QJsonValue v = o.value(QStringLiteral("replication_lag_seconds")); v.isDouble())
        h.replicationLagSeconds = v.toDouble();
    if (const QJsonValue v = o.value(QStringLiteral("master_link_up")); v.isBool())
        h.masterLinkUp = v.toBool();
    h.redisVersion = o.value(QStringLiteral("redis_version")).toString();
    for (const QJsonValue &w : o.value(QStringLiteral("warnings")).toArray())
        h.warnings.append(w.toString());
    return h;
}

QJsonObject RedisPool::toJson() const
{
    return QJsonObject{{QStringLiteral("size"), size},
                       {QStringLiteral("ready"), ready},
                       {QStringLiteral("in_flight"), inFlight},
                       {QStringLiteral("max_in_flight"), maxInFlight}};
}

RedisPool RedisPool::fromJson(const QJsonObject &o)
{
    RedisPool p;
    p.size = o.value(QStringLiteral("size")).toInt();
    p.ready = o.value(QStringLiteral("ready")).toInt();
    p.inFlight = o.value(QStringLiteral("in_flight")).toInt();
    p.maxInFlight = o.value(QStringLiteral("max_in_flight")).toInt();
    return p;
}

QJsonObject RedisNode::toJson() const
{
    QJsonArray ranges;
    for (const auto &r : slotRanges)
        ranges.append(QJsonArray{r.first, r.second});
    QJsonObject o{{QStringLiteral("addr"), addr},
                  {QStringLiteral("role"), role},
                  {QStringLiteral("connected"), connected},
                  {QStringLiteral("slots"), slotCount},
                  {QStringLiteral("slot_ranges"), ranges},
                  {QStringLiteral("master"), master}};
    if (health)
        o.insert(QStringLiteral("health"), health->toJson());
    return o;
}

RedisNode RedisNode::fromJson(const QJsonObject &o)
{
    RedisNode n;
    n.addr = o.value(QStringLiteral("addr")).toString();
    n.role = o.value(QStringLiteral("role")).toString();
    n.connected = o.value(QStringLiteral("connected")).toBool();
    n.slotCount = o.value(QStringLiteral("slots")).toInt();
    const QJsonArray ranges = o.value(QStringLiteral("slot_ranges")).toArray();
    for (const QJsonValue &r : ranges) {
        const QJsonArray pair = r.toArray();
        n.slotRanges.append(qMakePair(pair.at(0).toInt(), pair.at(1).toInt()));
    }
    n.master = o.value(QStringLiteral("master")).toString();
    if (const QJsonValue h = o.value(QStringLiteral("health")); h.isObject())
        n.health = RedisHealth::fromJson(h.toObject());
    return n;
}

QJsonObject RedisStatus::toJson() const
{
    QJsonArray nodeArray;
    for (const RedisNode &n : nodes)
        nodeArray.append(n.toJson());
    QJsonObject o{{QStringLiteral("enabled"), enabled},
                  {QStringLiteral("connected"), connected},
                  {QStringLiteral("addr"), addr},
                  {QStringLiteral("db"), db},
                  {QStringLiteral("pool_size"), poolSize},
                  {QStringLiteral("mode"), mode},
                  {QStringLiteral("errors_total"), errorsTotal},
                  {QStringLiteral("last_error"), lastError},
                  {QStringLiteral("redis_mode"), redisMode},
                  {QStringLiteral("tls"), tls},
                  {QStringLiteral("slots_covered"), slotsCovered},
                  {QStringLiteral("sentinel_master"), sentinelMaster},
                  {QStringLiteral("sentinel"), sentinel},
                  {QStringLiteral("nodes"), nodeArray}};
    if (health)
        o.insert(QStringLiteral("health"), health->toJson());
    if (pool)
        o.insert(QStringLiteral("pool"), pool->toJson());
    return success("redis", o);
}

RedisStatus RedisStatus::fromJson(const QJsonObject &envelope)
{
    const QJsonObject o = envelope.value(QStringLiteral("redis")).toObject();
    RedisStatus r;
    r.enabled = o.value(QStringLiteral("enabled")).toBool();
    r.connected = o.value(QStringLiteral("connected")).toBool();
    r.addr = o.value(QStringLiteral("addr")).toString();
    r.db = o.value(QStringLiteral("db")).toInt();
    r.poolSize = o.value(QStringLiteral("pool_size")).toInt();
    r.mode = o.value(QStringLiteral("mode")).toString();
    r.errorsTotal = o.value(QStringLiteral("errors_total")).toInteger();
    r.lastError = o.value(QStringLiteral("last_error")).toString();
    r.redisMode = o.value(QStringLiteral("redis_mode")).toString();
    r.tls = o.value(QStringLiteral("tls")).toBool();
    r.slotsCovered = o.value(QStringLiteral("slots_covered")).toInt();
    r.sentinelMaster = o.value(QStringLiteral("sentinel_master")).toString();
    r.sentinel = o.value(QStringLiteral("sentinel")).toString();
    const QJsonArray nodeArray = o.value(QStringLiteral("nodes")).toArray();
    for (const QJsonValue &v : nodeArray)
        r.nodes.append(RedisNode::fromJson(v.toObject()));
    if (const QJsonValue h = o.value(QStringLiteral("health")); h.isObject())
        r.health = RedisHealth::fromJson(h.toObject());
    if (const QJsonValue p = o.value(QStringLiteral("pool")); p.isObject())
        r.pool = RedisPool::fromJson(p.toObject());
    return r;
}

QJsonObject EndpointRule::toRequestJson() const
{
    QJsonObject o{{QStringLiteral("endpoint"), endpoint},
                  {QStringLiteral("requests"), requests},
                  {QStringLiteral("window"), windowSeconds}};
    if (!method.isEmpty())
        o.insert(QStringLiteral("method"), method);
    if (!algorithm.isEmpty())
        o.insert(QStringLiteral("algorithm"), algorithm);
    if (burst > 0)
        o.insert(QStringLiteral("burst"), burst);
    return o;
}

QJsonObject EndpointRule::toJson() const
{
    return {{QStringLiteral("endpoint"), endpoint},
            {QStringLiteral("method"), method},
            {QStringLiteral("requests"), requests},
            {QStringLiteral("window_seconds"), windowSeconds},
            {QStringLiteral("algorithm"), algorithm},
            {QStringLiteral("burst"), burst}};
}

EndpointRule EndpointRule::fromJson(const QJsonObject &o)
{
    EndpointRule r;
    r.endpoint = o.value(QStringLiteral("endpoint")).toString();
    r.method = o.value(QStringLiteral("method")).toString();
    r.requests = o.value(QStringLiteral("requests")).toInteger();
    r.windowSeconds = o.contains(QStringLiteral("window_seconds"))
                          ? o.value(QStringLiteral("window_seconds")).toInteger()
                          : o.value(QStringLiteral("window")).toInteger();
    r.algorithm = o.value(QStringLiteral("algorithm")).toString();
    r.burst = o.value(QStringLiteral("burst")).toInteger();
    return r;
}

namespace {

// An API-key limit is serialised like a rule, with "key_id" in place of "endpoint" and "method".
QJsonObject withKeyId(QJsonObject ruleJson, const QString &keyId)
{
    ruleJson.remove(QStringLiteral("endpoint"));
    ruleJson.remove(QStringLiteral("method"));
    ruleJson.insert(QStringLiteral("key_id"), keyId);
    return ruleJson;
}

} // namespace

QJsonObject ApiKeyLimit::toRequestJson() const
{
    return withKeyId(toRule().toRequestJson(), keyId);
}

QJsonObject ApiKeyLimit::toJson() const
{
    return withKeyId(toRule().toJson(), keyId);
}

EndpointRule ApiKeyLimit::toRule() const
{
    return {{}, {}, requests, windowSeconds, algorithm, burst};
}

ApiKeyLimit ApiKeyLimit::fromJson(const QJsonObject &o)
{
    return fromRule(o.value(QStringLiteral("key_id")).toString(), EndpointRule::fromJson(o));
}

ApiKeyLimit ApiKeyLimit::fromRule(const QString &keyId, const EndpointRule &rule)
{
    return {keyId, rule.requests, rule.windowSeconds, rule.algorithm, rule.burst};
}

namespace {

QJsonValue optionalLimit(const std::optional<ApiKeyLimit> &limit)
{
    return limit ? QJsonValue(limit->toJson()) : QJsonValue();
}

std::optional<ApiKeyLimit> optionalLimitFrom(const QJsonValue &v)
{
    return v.isObject() ? std::optional<ApiKeyLimit>(ApiKeyLimit::fromJson(v.toObject())) : std::nullopt;
}

QJsonArray limitArray(const QList<ApiKeyLimit> &limits)
{
    QJsonArray a;
    for (const ApiKeyLimit &l : limits)
        a.append(l.toJson());
    return a;
}

QList<ApiKeyLimit> limitsFrom(const QJsonValue &v)
{
    QList<ApiKeyLimit> limits;
    for (const QJsonValue &e : v.toArray())
        limits.append(ApiKeyLimit::fromJson(e.toObject()));
    return limits;
}

} // namespace

QJsonObject ApiKeyLimits::toJson() const
{
    return {{QStringLiteral("status"), QStringLiteral("success")},
            {QStringLiteral("default"), optionalLimit(defaultLimit)},
            {QStringLiteral("overrides"), limitArray(overrides)}};
}

ApiKeyLimits ApiKeyLimits::fromJson(const QJsonObject &envelope)
{
    return {optionalLimitFrom(envelope.value(QStringLiteral("default"))), limitsFrom(envelope.value(QStringLiteral("overrides")))};
}

QJsonObject Config::toJson() const
{
    QJsonArray rules;
    for (const EndpointRule &r : endpoints)
        rules.append(r.toJson());
    return success("config",
                   QJsonObject{{QStringLiteral("request_rate_limit"), requestRateLimit},
                               {QStringLiteral("api_key_rate_limit"), apiKeyRateLimit},
                               {QStringLiteral("api_key_default"), optionalLimit(apiKeyDefault)},
                               {QStringLiteral("api_key_overrides"), limitArray(apiKeyOverrides)},
                               {QStringLiteral("window_seconds"), windowSeconds},
                               {QStringLiteral("default_algorithm"), defaultAlgorithm},
                               {QStringLiteral("endpoints"), rules},
                               {QStringLiteral("listen_addr"), listenAddr},
                               {QStringLiteral("upstream_url"), upstreamUrl},
                               {QStringLiteral("trusted_proxies"), stringArray(trustedProxies)},
                               {QStringLiteral("redis"),
                                QJsonObject{{QStringLiteral("enabled"), redisEnabled},
                                            {QStringLiteral("addr"), redisAddr},
                                            {QStringLiteral("db"), redisDb},
                                            {QStringLiteral("mode"), redisMode},
                                            {QStringLiteral("tls"), redisTls}}},
                               {QStringLiteral("ratelimit_headers"), rateLimitHeaders}});
}

Config Config::fromJson(const QJsonObject &envelope)
{
    const QJsonObject o = envelope.value(QStringLiteral("config")).toObject();
    Config c;
    c.requestRateLimit = o.value(QStringLiteral("request_rate_limit")).toInteger();
    // Older servers do not send it: their API-key clients share the default.
    c.apiKeyRateLimit = o.value(QStringLiteral("api_key_rate_limit")).toInteger(c.requestRateLimit);
    c.apiKeyDefault = optionalLimitFrom(o.value(QStringLiteral("api_key_default")));
    c.apiKeyOverrides = limitsFrom(o.value(QStringLiteral("api_key_overrides")));
    c.windowSeconds = o.value(QStringLiteral("window_seconds")).toInteger();
    c.defaultAlgorithm = o.value(QStringLiteral("default_algorithm")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("endpoints")).toArray())
        c.endpoints.append(EndpointRule::fromJson(v.toObject()));
    c.listenAddr = o.value(QStringLiteral("listen_addr")).toString();
    c.upstreamUrl = o.value(QStringLiteral("upstream_url")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("trusted_proxies")).toArray())
        c.trustedProxies.append(v.toString());
    const QJsonObject redis = o.value(QStringLiteral("redis")).toObject();
    c.redisEnabled = redis.value(QStringLiteral("enabled")).toBool();
    c.redisAddr = redis.value(QStringLiteral("addr")).toString();
    c.redisDb = redis.value(QStringLiteral("db")).toInt();
    c.redisMode = redis.value(QStringLiteral("mode")).toString();
    c.redisTls = redis.value(QStringLiteral("tls")).toBool();
    c.rateLimitHeaders = o.value(QStringLiteral("ratelimit_headers")).toBool(true);
    return c;
}

QJsonObject HistoryEntry::toJson() const
{
    return {{QStringLiteral("time"), isoTime(time)},
            {QStringLiteral("admin_key_id"), adminKeyId},
            {QStringLiteral("action"), action},
            {QStringLiteral("endpoint"), endpoint},
            {QStringLiteral("method"), method},
            {QStringLiteral("old"), oldRule ? QJsonValue(oldRule->toJson()) : QJsonValue()},
            {QStringLiteral("new"), newRule ? QJsonValue(newRule->toJson()) : QJsonValue()}};
}

HistoryEntry HistoryEntry::fromJson(const QJsonObject &o)
{
    HistoryEntry h;
    h.time = parseTime(o.value(QStringLiteral("time")));
    h.adminKeyId = o.value(QStringLiteral("admin_key_id")).toString();
    h.action = o.value(QStringLiteral("action")).toString();
    h.endpoint = o.value(QStringLiteral("endpoint")).toString();
    h.method = o.value(QStringLiteral("method")).toString();
    if (o.value(QStringLiteral("old")).isObject())
        h.oldRule = EndpointRule::fromJson(o.value(QStringLiteral("old")).toObject());
    if (o.value(QStringLiteral("new")).isObject())
        h.newRule = EndpointRule::fromJson(o.value(QStringLiteral("new")).toObject());
    return h;
}

QJsonObject Error::toJson() const
{
    return {{QStringLiteral("status"), QStringLiteral("error")},
            {QStringLiteral("error"), error},
            {QStringLiteral("message"), message}};
}

Error Error::fromJson(const QJsonObject &o)
{
    return {o.value(QStringLiteral("error")).toString(), o.value(QStringLiteral("message")).toString()};
}

QJsonObject Violation::toJson() const
{
    return QJsonObject{{QStringLiteral("time"), time.toString(Qt::ISODateWithMs)},
                       {QStringLiteral("client"), client},
                       {QStringLiteral("key"), key},
                       {QStringLiteral("rule"), rule},
                       {QStringLiteral("limit"), limit},
                       {QStringLiteral("retry_after_ms"), retryAfterMs}};
}

Violation Violation::fromJson(const QJsonObject &o)
{
    Violation v;
    v.time = QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
    v.client = o.value(QStringLiteral("client")).toString();
    v.key = o.value(QStringLiteral("key")).toString();
    v.rule = o.value(QStringLiteral("rule")).toString();
    v.limit = o.value(QStringLiteral("limit")).toInteger();
    v.retryAfterMs = o.value(QStringLiteral("retry_after_ms")).toInteger();
    return v;
}

QJsonObject Violation::listToJson(const QList<Violation> &violations, qint64 total)
{
    QJsonArray list;
    for (const Violation &v : violations)
        list.append(v.toJson());
    QJsonObject o = success("violations", list);
    o.insert(QStringLiteral("total"), total);
    return o;
}

QList<Violation> Violation::listFromJson(const QJsonObject &envelope)
{
    QList<Violation> result;
    for (const QJsonValue &v : envelope.value(QStringLiteral("violations")).toArray())
        result.append(fromJson(v.toObject()));
    return result;
}

} // namespace AdminApi
