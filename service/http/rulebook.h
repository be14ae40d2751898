#pragma once

#include "adminapi.h"
#include "ruletable.h"
#include "serviceconfig.h"

#include <QJsonObject>
#include <QList>

#include <memory>
#include <optional>

// The live rule set (default policy, endpoint rules, API-key limits) and the history of every change to it.
// Changes go through here so that each one yields exactly one history entry with old and new value.
// table() is rebuilt on each change; a caller holding the old shared_ptr keeps a consistent snapshot.
// Not thread-safe: owned and used by the service's thread.
class RuleBook
{
public:
    static constexpr qsizetype kMaxHistory = 1000;

    RuleBook(const RateLimitPolicy &defaultPolicy, const QList<EndpointLimitRule> &rules, const ApiKeyLimits &apiKeys = {});

    std::shared_ptr<const RuleTable> table() const { return m_table; }
    RateLimitPolicy defaultPolicy() const { return m_table->defaultPolicy(); }
    const QList<EndpointLimitRule> &rules() const { return m_table->rules(); }
    const ApiKeyLimits &apiKeys() const { return m_table->apiKeys(); }
    const QList<AdminApi::HistoryEntry> &history() const { return m_history; }

    // Each returns the history entry it appended. removeRule() returns null when no such rule exists.
    AdminApi::HistoryEntry setRule(const EndpointLimitRule &rule, const QString &adminKeyId, const QDateTime &when);
    std::optional<AdminApi::HistoryEntry> removeRule(const QString &endpoint, const QByteArray &method,
                                                      const QString &adminKeyId, const QDateTime &when);
    AdminApi::HistoryEntry setDefaultPolicy(const RateLimitPolicy &policy, const QString &adminKeyId,
                                            const QDateTime &when);
    // `target` is "default" (the API-key clients' default) or a key id; see ApiKeyLimits. History
    // entries name it as the endpoint "api_key:<target>". removeApiKeyLimit() returns null when the
    // target has no limit.
    AdminApi::HistoryEntry setApiKeyLimit(const QByteArray &target, const RateLimitPolicy &policy,
                                          const QString &adminKeyId, const QDateTime &when);
    std::optional<AdminApi::HistoryEntry> removeApiKeyLimit(const QByteArray &target, const QString &adminKeyId,
                                                            const QDateTime &when);

    // Replaces the whole state (used when the shared copy in Redis changed). Does not record history.
    void replace(const RateLimitPolicy &defaultPolicy, const QList<EndpointLimitRule> &rules,
                 const ApiKeyLimits &apiKeys, const QList<AdminApi::HistoryEntry> &history);

    // Whole state as one JSON document: {"version":1,"default":{...},"endpoints":[...],
    // "api_keys":{"default":{...}|null,"overrides":{"<key id>":{...}}},"history":[...]}.
    // "api_keys"."default" is there only once an operator set or removed the API-key default at
    // runtime; without it the configured one (API_KEY_RATE_LIMIT, given to the constructor) applies,
    // so changing the configuration still works after rule changes were saved.
    QJsonObject toJson() const;
    // Replaces the state with a document written by toJson(); on any error nothing changes.
    bool loadJson(const QJsonObject &document, QString *error);

    static AdminApi::EndpointRule toApi(const EndpointLimitRule &rule);
    // The default rule as an AdminApi rule whose endpoint is "default".
    static AdminApi::EndpointRule defaultToApi(const RateLimitPolicy &policy);
    // An API-key limit as an AdminApi rule whose endpoint is "api_key:<target>".
    static AdminApi::EndpointRule apiKeyToApi(const QByteArray &target, const RateLimitPolicy &policy);
    static QString apiKeyEndpoint(const QByteArray &target) { return QStringLiteral("api_key:") + QString::fromLatin1(target); }
    // A policy stored as a rule without a path (the default rule, API-key limits); null and *errors
    // on invalid JSON.
    static std::optional<RateLimitPolicy> policyFromJson(QJsonObject object, QStringList *errors);

private:
    void rebuild(const RateLimitPolicy &defaultPolicy, const QList<EndpointLimitRule> &rules, const ApiKeyLimits &apiKeys);
    void record(AdminApi::HistoryEntry entry);

    std::shared_ptr<const RuleTable> m_table;
    QList<AdminApi::HistoryEntry> m_history;
    const std::optional<RateLimitPolicy> m_configuredApiKeyDefault;
    bool m_apiKeyDefaultChanged = false; // set or removed at runtime: saved, and wins over the configured one
};
