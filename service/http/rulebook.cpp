#include "rulebook.h"

#include <QJsonArray>

RuleBook::RuleBook(const RateLimitPolicy &defaultPolicy, const QList<EndpointLimitRule> &rules, const ApiKeyLimits &apiKeys)
    : m_configuredApiKeyDefault(apiKeys.defaultPolicy)
{
    rebuild(defaultPolicy, rules, apiKeys);
}

void RuleBook::rebuild(const RateLimitPolicy &defaultPolicy, const QList<EndpointLimitRule> &rules, const ApiKeyLimits &apiKeys)
{
    m_table = std::make_shared<const RuleTable>(defaultPolicy, rules, apiKeys);
}

void RuleBook::record(AdminApi::HistoryEntry entry)
{
    m_history.append(std::move(entry));
    if (m_history.size() > kMaxHistory)
        m_history.remove(0, m_history.size() - kMaxHistory);
}

AdminApi::EndpointRule RuleBook::toApi(const EndpointLimitRule &rule)
{
    AdminApi::EndpointRule r;
    r.endpoint = rule.endpoint;
    r.method = QString::fromLatin1(rule.method);
    r.requests = rule.policy.limit;
    r.windowSeconds = rule.policy.windowMs / 1000;
    r.algorithm = algorithmName(rule.policy.algorithm);
    r.burst = rule.policy.burst;
    return r;
}

AdminApi::EndpointRule RuleBook::defaultToApi(const RateLimitPolicy &policy)
{
    return toApi(EndpointLimitRule{QStringLiteral("default"), {}, policy});
}

AdminApi::EndpointRule RuleBook::apiKeyToApi(const QByteArray &target, const RateLimitPolicy &policy)
{
    return toApi(EndpointLimitRule{apiKeyEndpoint(target), {}, policy});
}

std::optional<RateLimitPolicy> RuleBook::policyFromJson(QJsonObject object, QStringList *errors)
{
    // Stored like an endpoint rule; reuse the strict parser with a placeholder path.
    object.insert(QStringLiteral("endpoint"), QStringLiteral("/"));
    object.remove(QStringLiteral("method"));
    const auto rule = EndpointLimitRule::fromJson(object, Algorithm::SlidingLog, errors);
    return rule ? std::optional<RateLimitPolicy>(rule->policy) : std::nullopt;
}

AdminApi::HistoryEntry RuleBook::setRule(const EndpointLimitRule &rule, const QString &adminKeyId, const QDateTime &when)
{
    QList<EndpointLimitRule> rules = m_table->rules();
    AdminApi::HistoryEntry entry;
    entry.time = when;
    entry.adminKeyId = adminKeyId;
    entry.action = QStringLiteral("set");
    entry.endpoint = rule.endpoint;
    entry.method = QString::fromLatin1(rule.method);
    entry.newRule = toApi(rule);
    bool replaced = false;
    for (EndpointLimitRule &r : rules) {
        if (r.sameTarget(rule)) {
            entry.oldRule = toApi(r);
            r = rule;
            replaced = true;
        }
    }
    if (!replaced)
        rules.append(rule);
    rebuild(m_table->defaultPolicy(), rules, m_table->apiKeys());
    record(entry);
    return entry;
}

std::optional<AdminApi::HistoryEntry> RuleBook::removeRule(const QString &endpoint, const QByteArray &method,
                                                            const QString &adminKeyId, const QDateTime &when)
{
    QList<EndpointLimitRule> rules = m_table->rules();
    for (qsizetype i = 0; i < rules.size(); ++i) {
        if (rules.at(i).endpoint == endpoint && rules.at(i).method == method) {
            AdminApi::HistoryEntry entry;
            entry.time = when;
            entry.adminKeyId = adminKeyId;
            entry.action = QStringLiteral("delete");
            entry.endpoint = endpoint;
            entry.method = QString::fromLatin1(method);
            entry.oldRule = toApi(rules.at(i));
            rules.removeAt(i);
            rebuild(m_table->defaultPolicy(), rules, m_table->apiKeys());
            record(entry);
            return entry;
        }
    }
    return std::nullopt;
}

AdminApi::HistoryEntry RuleBook::setDefaultPolicy(const RateLimitPolicy &policy, const QString &adminKeyId,
                                                  const QDateTime &when)
{
    AdminApi::HistoryEntry entry;
    entry.time = when;
    entry.adminKeyId = adminKeyId;
    entry.action = QStringLiteral("default");
    entry.endpoint = QStringLiteral("default");
    entry.oldRule = defaultToApi(m_table->defaultPolicy());
    entry.newRule = defaultToApi(policy);
    rebuild(policy, m_table->rules(), m_table->apiKeys());
    record(entry);
    return entry;
}

AdminApi::HistoryEntry RuleBook::setApiKeyLimit(const QByteArray &target, const RateLimitPolicy &policy,
                                                const QString &adminKeyId, const QDateTime &when)
{
    ApiKeyLimits apiKeys = m_table->apiKeys();
    AdminApi::HistoryEntry entry;
    entry.time = when;
    entry.adminKeyId = adminKeyId;
    entry.action = QStringLiteral("set");
    entry.endpoint = apiKeyEndpoint(target);
    if (const auto old = apiKeys.find(target))
        entry.oldRule = apiKeyToApi(target, *old);
    entry.newRule = apiKeyToApi(target, policy);
    apiKeys.set(target, policy);
    m_apiKeyDefaultChanged = m_apiKeyDefaultChanged || target == ApiKeyLimits::defaultTarget();
    rebuild(m_table->defaultPolicy(), m_table->rules(), apiKeys);
    record(entry);
    return entry;
}

std::optional<AdminApi::HistoryEntry> RuleBook::removeApiKeyLimit(const QByteArray &target, const QString &adminKeyId,
                                                                  const QDateTime &when)
{
    ApiKeyLimits apiKeys = m_table->apiKeys();
    const auto old = apiKeys.find(target);
    if (!old)
        return std::nullopt;
    apiKeys.remove(target);
    m_apiKeyDefaultChanged = m_apiKeyDefaultChanged || target == ApiKeyLimits::defaultTarget();
    AdminApi::HistoryEntry entry;
    entry.time = when;
    entry.adminKeyId = adminKeyId;
    entry.action = QStringLiteral("delete");
    entry.endpoint = apiKeyEndpoint(target);
    entry.oldRule = apiKeyToApi(target, *old);
    rebuild(m_table->defaultPolicy(), m_table->rules(), apiKeys);
    record(entry);
    return entry;
}

void RuleBook::replace(const RateLimitPolicy &defaultPolicy, const QList<EndpointLimitRule> &rules,
                       const ApiKeyLimits &apiKeys, const QList<AdminApi::HistoryEntry> &history)
{
    rebuild(defaultPolicy, rules, apiKeys);
    m_history = history.mid(std::max<qsizetype>(0, history.size() - kMaxHistory));
}

QJsonObject RuleBook::toJson() const
{
    QJsonArray endpoints;
    for (const EndpointLimitRule &r : m_table->rules())
        endpoints.append(r.toJson());
    QJsonArray history;
    for (const AdminApi::HistoryEntry &h : m_history)
        history.append(h.toJson());
    const auto policyJson = [](const RateLimitPolicy &policy) {
        QJsonObject o = EndpointLimitRule{QStringLiteral("/"), {}, policy}.toJson();
        o.remove(QStringLiteral("endpoint"));
        return o;
    };
    const ApiKeyLimits &keys = m_table->apiKeys();
    QJsonObject overrides;
    for (auto it = keys.overrides.cbegin(); it != keys.overrides.cend(); ++it)
        overrides.insert(QString::fromLatin1(it.key()), policyJson(it.value()));
    QJsonObject apiKeys{{QStringLiteral("overrides"), overrides}};
    if (m_apiKeyDefaultChanged)
        apiKeys.insert(QStringLiteral("default"), keys.defaultPolicy ? QJsonValue(policyJson(*keys.defaultPolicy)) : QJsonValue());
    return {{QStringLiteral("version"), 1},
            {QStringLiteral("default"), policyJson(m_table->defaultPolicy())},
            {QStringLiteral("endpoints"), endpoints},
            {QStringLiteral("api_keys"), apiKeys},
            {QStringLiteral("history"), history}};
}

bool RuleBook::loadJson(const QJsonObject &document, QString *error)
{
    if (document.value(QStringLiteral("version")).toInt() != 1) {
        *error = QStringLiteral("version: expected 1");
        return false;
    }
    QStringList errors;
    const auto defaultPolicy = policyFromJson(document.value(QStringLiteral("default")).toObject(), &errors);
    QList<EndpointLimitRule> rules;
    for (const QJsonValue &v : document.value(QStringLiteral("endpoints")).toArray()) {
        if (auto rule = EndpointLimitRule::fromJson(v.toObject(), Algorithm::SlidingLog, &errors))
            rules.append(*rule);
    }
    ApiKeyLimits apiKeys;
    apiKeys.defaultPolicy = m_configuredApiKeyDefault;
    bool apiKeyDefaultChanged = false;
    const QJsonValue keysValue = document.value(QStringLiteral("api_keys"));
    if (!keysValue.isUndefined() && !keysValue.isObject())
        errors.append(QStringLiteral("api_keys: must be an object"));
    const QJsonObject keys = keysValue.toObject();
    if (keys.contains(QStringLiteral("default"))) {
        const QJsonValue def = keys.value(QStringLiteral("default"));
        apiKeyDefaultChanged = true;
        if (def.isNull())
            apiKeys.defaultPolicy.reset();
        else if (def.isObject())
            apiKeys.defaultPolicy = policyFromJson(def.toObject(), &errors);
        else
            errors.append(QStringLiteral("api_keys.default: must be an object or null"));
    }
    const QJsonValue overridesValue = keys.value(QStringLiteral("overrides"));
    if (!overridesValue.isUndefined() && !overridesValue.isObject())
        errors.append(QStringLiteral("api_keys.overrides: must be an object"));
    const QJsonObject overrides = overridesValue.toObject();
    if (overrides.size() > ApiKeyLimits::kMaxOverrides)
        errors.append(QStringLiteral("api_keys.overrides: more than %1").arg(ApiKeyLimits::kMaxOverrides));
    for (auto it = overrides.constBegin(); it != overrides.constEnd(); ++it) {
        const QByteArray id = it.key().toLatin1();
        if (ApiKeyLimits::validateTarget(id) || id == ApiKeyLimits::defaultTarget())
            errors.append(QStringLiteral("api_keys.overrides: \"%1\" is not an API key id").arg(it.key()));
        else if (!it.value().isObject())
            errors.append(QStringLiteral("api_keys.overrides.%1: must be an object").arg(it.key()));
        else if (auto policy = policyFromJson(it.value().toObject(), &errors))
            apiKeys.overrides.insert(id, *policy);
    }
    if (!defaultPolicy || !errors.isEmpty()) {
        *error = errors.join(QStringLiteral("; "));
        return false;
    }
    QList<AdminApi::HistoryEntry> history;
    for (const QJsonValue &v : document.value(QStringLiteral("history")).toArray())
        history.append(AdminApi::HistoryEntry::fromJson(v.toObject()));
    rebuild(*defaultPolicy, rules, apiKeys);
    m_apiKeyDefaultChanged = apiKeyDefaultChanged;
    m_history = history;
    return true;
}
