#pragma once

#include "adminapi.h"
#include "ratelimitpolicy.h"
#include "ruletable.h"
#include "serviceconfig.h"

#include <QByteArray>
#include <QObject>

#include <functional>

class RedisRateLimitStore;
class RedisSubscriber;
class RuleBook;
struct RedisSettings;

// Keeps the local RuleBook in step with the rule set shared in Redis, so a change made through any
// instance reaches every instance within a second:
//   <prefix>config:rules    HASH  field "default", "<METHOD|*> <endpoint>" or "api_key:<default|key id>"
//                                 -> rule JSON (AdminApi form); "api_key:default" -> "null" when an
//                                 operator removed the API-key default (so the configured one stays off)
//   <prefix>config:history  LIST  of AdminApi::HistoryEntry JSON, the newest last, at most 1000
//   <prefix>config:changed  pub/sub channel, one message per change
// A change runs as one Lua script (read old value, write, append history with the old value, publish),
// so concurrent admins on different instances never lose an entry. Every instance reloads the whole
// (small) set on a message, when its subscriber (re)connects and on refresh() as a safety net.
// Endpoint rules from the config file are seeded with HSETNX: they never overwrite a runtime change.
// The configured default and API-key default apply while Redis holds no runtime value for them.
// Lives in the service's thread; the store and the rule book must outlive it.
class RedisRuleSync : public QObject
{
    Q_OBJECT
public:
    enum class WriteResult { Applied, NotFound, Unavailable };
    using WriteHandler = std::function<void(WriteResult result, const QString &error)>;

    RedisRuleSync(RedisRateLimitStore &store, const RedisSettings &settings, RuleBook &rules,
                  const RateLimitPolicy &configDefault, const QList<EndpointLimitRule> &seedRules,
                  const ApiKeyLimits &configApiKeys, QObject *parent = nullptr);
    ~RedisRuleSync() override;

    // Sets (ruleJson non-empty) or deletes (empty) one field atomically with its history entry.
    void write(const QByteArray &field, const QByteArray &ruleJson, const AdminApi::HistoryEntry &entry,
               WriteHandler done);
    // Re-reads rules and history from Redis; overlapping calls collapse into one more read.
    void refresh();

    static QByteArray fieldFor(const QString &endpoint, const QByteArray &method);
    static QByteArray defaultField() { return QByteArrayLiteral("default"); }
    static QByteArray apiKeyField(const QByteArray &target) { return QByteArrayLiteral("api_key:") + target; }
    // Stored in place of the API-key default once an operator removed it.
    static QByteArray removedValue() { return QByteArrayLiteral("null"); }

signals:
    void refreshed(int ruleCount);

private:
    void seedThenRefresh();
    void apply(const QList<QByteArray> &hashPairs, const QList<QByteArray> &historyEntries);

    RedisRateLimitStore &m_store;
    RuleBook &m_rules;
    const RateLimitPolicy m_configDefault;
    const QList<EndpointLimitRule> m_seedRules;
    const ApiKeyLimits m_configApiKeys;
    const QByteArray m_rulesKey;
    const QByteArray m_historyKey;
    const QByteArray m_channel;
    RedisSubscriber *m_subscriber = nullptr;
    bool m_refreshing = false;
    bool m_refreshAgain = false;
    // Bumped by every confirmed write. A refresh that started before a write may carry the older set
    // (its reads can straddle the write), so its result is dropped and the read repeated.
    quint64 m_writeGeneration = 0;
};
