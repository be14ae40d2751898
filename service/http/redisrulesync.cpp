#include "redisrulesync.h"

#include "redisratelimitstore.h"
#include "redissubscriber.h"
#include "rulebook.h"

#include <QJsonDocument>
#include <QPointer>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcConfig)

namespace {

// KEYS: rules hash, history list. ARGV: field, new rule JSON ("" = delete), history entry JSON,
// channel, history cap. Returns -1 when deleting a field that does not exist (or writing the removal
// marker over itself: a second removal of the API-key default), else 1. The entry's
// "old" becomes the field's previous value ("null", the removal marker, means there was none).
const QByteArray kWriteScript = QByteArrayLiteral(R"lua(
local old = redis.call('HGET', KEYS[1], ARGV[1])
if ARGV[2] == 'null' and old == 'null' then return -1 end
if ARGV[2] == '' then
  if not old then return -1 end
  redis.call('HDEL', KEYS[1], ARGV[1])
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
local entry = cjson.decode(ARGV[3])
if old == 'null' then entry['old'] = nil elseif old then entry['old'] = cjson.decode(old) end
redis.call('RPUSH', KEYS[2], cjson.encode(entry))
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[5]), -1)
redis.call('PUBLISH', ARGV[4], ARGV[1])
return 1
)lua");

void warnInvalid(const QByteArray &field, const QStringList &errors)
{
    qCWarning(lcConfig).noquote() << "ignoring an invalid rule in Redis (" << field << "):" << errors.join(QStringLiteral("; "));
}

std::optional<EndpointLimitRule> parseStoredRule(const QByteArray &field, const QByteArray &json)
{
    QStringList errors;
    auto rule = EndpointLimitRule::fromJson(QJsonDocument::fromJson(json).object(), Algorithm::SlidingLog, &errors);
    if (!rule)
        warnInvalid(field, errors);
    return rule;
}

std::optional<RateLimitPolicy> parseStoredPolicy(const QByteArray &field, const QByteArray &json)
{
    QStringList errors;
    auto policy = RuleBook::policyFromJson(QJsonDocument::fromJson(json).object(), &errors);
    if (!policy)
        warnInvalid(field, errors);
    return policy;
}

} // namespace

RedisRuleSync::RedisRuleSync(RedisRateLimitStore &store, const RedisSettings &settings, RuleBook &rules,
                             const RateLimitPolicy &configDefault, const QList<EndpointLimitRule> &seedRules,
                             const ApiKeyLimits &configApiKeys, QObject *parent)
    : QObject(parent),
      m_store(store),
      m_rules(rules),
      m_configDefault(configDefault),
      m_seedRules(seedRules),
      m_configApiKeys(configApiKeys),
      m_rulesKey(settings.keyPrefix + "config:rules"),
      m_historyKey(settings.keyPrefix + "config:history"),
      m_channel(settings.keyPrefix + "config:changed")
{
    m_subscriber = new RedisSubscriber(settings, this);
    m_subscriber->subscribe(m_channel);
    connect(m_subscriber, &RedisSubscriber::message, this, [this](const QByteArray &, const QByteArray &) { refresh(); });
    // Messages sent while the subscriber was away are lost: read the whole set again on reconnect.
    connect(m_subscriber, &RedisSubscriber::connectedChanged, this, [this](bool connected) {
        if (connected)
            refresh();
    });
    connect(&m_store, &RedisRateLimitStore::connectedChanged, this, [this](bool connected) {
        if (connected)
            seedThenRefresh();
    });
    if (m_store.isConnected())
        seedThenRefresh();
}

RedisRuleSync::~RedisRuleSync() = default;

QByteArray RedisRuleSync::fieldFor(const QString &endpoint, const QByteArray &method)
{
    return (method.isEmpty() ? QByteArrayLiteral("*") : method) + ' ' + endpoint.toUtf8();
}

void RedisRuleSync::seedThenRefresh()
{
    if (m_seedRules.isEmpty()) {
        refresh();
        return;
    }
    // Replies come back in order on the store's connection, but with a pool they may not: count them.
    auto remaining = std::make_shared<int>(int(m_seedRules.size()));
    for (const EndpointLimitRule &rule : m_seedRules) {
        const QByteArray json = QJsonDocument(RuleBook::toApi(rule).toJson()).toJson(QJsonDocument::Compact);
        m_store.command({"HSETNX", m_rulesKey, fieldFor(rule.endpoint, rule.method), json},
                        [self = QPointer<RedisRuleSync>(this), remaining](const RedisReplyValue &) {
            if (self && --*remaining == 0)
                self->refresh();
        });
    }
}

void RedisRuleSync::refresh()
{
    if (m_refreshing) {
        m_refreshAgain = true;
        return;
    }
    m_refreshing = true;
    // Replies can arrive while this object is being destroyed (the store answers pending calls on
    // its way out), hence the guards.
    const quint64 generation = m_writeGeneration;
    m_store.command({"HGETALL", m_rulesKey}, [self = QPointer<RedisRuleSync>(this), generation](const RedisReplyValue &rules) {
        if (!self)
            return;
        self->m_store.command({"LRANGE", self->m_historyKey, QByteArray::number(-RuleBook::kMaxHistory), "-1"},
                              [self, rules, generation](const RedisReplyValue &history) {
            if (!self)
                return;
            self->m_refreshing = false;
            if (generation != self->m_writeGeneration) {
                self->m_refreshAgain = true;
            } else if (rules.type == RedisReplyValue::Type::Array && history.type == RedisReplyValue::Type::Array) {
                QList<QByteArray> pairs;
                for (const RedisReplyValue &v : rules.elements)
                    pairs.append(v.string);
                QList<QByteArray> entries;
                for (const RedisReplyValue &v : history.elements)
                    entries.append(v.string);
                self->apply(pairs, entries);
            }
            if (self->m_refreshAgain) {
                self->m_refreshAgain = false;
                self->refresh();
            }
        });
    });
}

void RedisRuleSync::apply(const QList<QByteArray> &hashPairs, const QList<QByteArray> &historyEntries)
{
    RateLimitPolicy defaultPolicy = m_configDefault;
    ApiKeyLimits apiKeys;
    apiKeys.defaultPolicy = m_configApiKeys.defaultPolicy;
    QList<EndpointLimitRule> rules;
    const QByteArray apiKeyPrefix = apiKeyField({});
    for (qsizetype i = 0; i + 1 < hashPairs.size(); i += 2) {
        const QByteArray &field = hashPairs.at(i);
        const QByteArray &value = hashPairs.at(i + 1);
        if (field == defaultField()) {
            if (auto policy = parseStoredPolicy(field, value))
                defaultPolicy = *policy;
        } else if (field.startsWith(apiKeyPrefix)) {
            const QByteArray target = field.mid(apiKeyPrefix.size());
            if (ApiKeyLimits::validateTarget(target))
                warnInvalid(field, {QStringLiteral("not an API key id")});
            else if (value == removedValue())
                apiKeys.remove(target);
            else if (auto policy = parseStoredPolicy(field, value))
                apiKeys.set(target, *policy);
        } else if (auto rule = parseStoredRule(field, value)) {
            rules.append(*rule);
        }
    }
    std::sort(rules.begin(), rules.end(), [](const EndpointLimitRule &a, const EndpointLimitRule &b) {
        return std::tie(a.endpoint, a.method) < std::tie(b.endpoint, b.method);
    });
    QList<AdminApi::HistoryEntry> history;
    for (const QByteArray &json : historyEntries)
        history.append(AdminApi::HistoryEntry::fromJson(QJsonDocument::fromJson(json).object()));
    const bool changed = defaultPolicy != m_rules.defaultPolicy() || rules != m_rules.rules() || apiKeys != m_rules.apiKeys();
    m_rules.replace(defaultPolicy, rules, apiKeys, history);
    if (changed)
        qCInfo(lcConfig).noquote() << "rules reloaded from Redis:" << rules.size() << "endpoint rules," << apiKeys.overrides.size()
                                   << "API-key overrides, default" << defaultPolicy.limit << "per" << defaultPolicy.windowMs / 1000 << "s";
    emit refreshed(int(rules.size()));
}

void RedisRuleSync::write(const QByteArray &field, const QByteArray &ruleJson, const AdminApi::HistoryEntry &entry,
                          WriteHandler done)
{
    const QByteArray entryJson = QJsonDocument(entry.toJson()).toJson(QJsonDocument::Compact);
    m_store.command({"EVAL", kWriteScript, "2", m_rulesKey, m_historyKey, field, ruleJson, entryJson, m_channel,
                     QByteArray::number(RuleBook::kMaxHistory)},
                    [self = QPointer<RedisRuleSync>(this), done](const RedisReplyValue &reply) {
        if (self && !reply.isError())
            ++self->m_writeGeneration;
        if (reply.isError())
            done(WriteResult::Unavailable, QString::fromUtf8(reply.string));
        else if (reply.type == RedisReplyValue::Type::Integer && reply.integer == -1)
            done(WriteResult::NotFound, {});
        else
            done(WriteResult::Applied, {});
    });
}
