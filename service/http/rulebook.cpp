#include "rulebook.h"

#include <QJsonArray>

RuleBook::RuleBook(const RateLimitPolicy &defaultPolicy, const QList<EndpointLimitRule> &rules)
{
    rebuild(defaultPolicy, rules);
}

void RuleBook::rebuild(const RateLimitPolicy &defaultPolicy, const QList<EndpointLimitRule> &rules)
{
    m_table = std::make_shared<const RuleTable>(defaultPolicy, rules);
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
    rebuild(m_table->defaultPolicy(), rules);
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
            rebuild(m_table->defaultPolicy(), rules);
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
    rebuild(policy, m_table->rules());
    record(entry);
    return entry;
}

void RuleBook::replace(const RateLimitPolicy &defaultPolicy, const QList<EndpointLimitRule> &rules,
                       const QList<AdminApi::HistoryEntry> &history)
{
    rebuild(defaultPolicy, rules);
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
    QJsonObject def = EndpointLimitRule{QStringLiteral("/"), {}, m_table->defaultPolicy()}.toJson();
    def.remove(QStringLiteral("endpoint"));
    return {{QStringLiteral("version"), 1},
            {QStringLiteral("default"), def},
            {QStringLiteral("endpoints"), endpoints},
            {QStringLiteral("history"), history}};
}

bool RuleBook::loadJson(const QJsonObject &document, QString *error)
{
    if (document.value(QStringLiteral("version")).toInt() != 1) {
        *error = QStringLiteral("version: expected 1");
        return false;
    }
    QStringList errors;
    QJsonObject def = document.value(QStringLiteral("default")).toObject();
    // The default rule is stored like an endpoint rule without a path; reuse the strict parser.
    def.insert(QStringLiteral("endpoint"), QStringLiteral("/"));
    const auto defaultRule = EndpointLimitRule::fromJson(def, Algorithm::SlidingLog, &errors);
    QList<EndpointLimitRule> rules;
    for (const QJsonValue &v : document.value(QStringLiteral("endpoints")).toArray()) {
        if (auto rule = EndpointLimitRule::fromJson(v.toObject(), Algorithm::SlidingLog, &errors))
            rules.append(*rule);
    }
    if (!defaultRule || !errors.isEmpty()) {
        *error = errors.join(QStringLiteral("; "));
        return false;
    }
    QList<AdminApi::HistoryEntry> history;
    for (const QJsonValue &v : document.value(QStringLiteral("history")).toArray())
        history.append(AdminApi::HistoryEntry::fromJson(v.toObject()));
    rebuild(defaultRule->policy, rules);
    m_history = history;
    return true;
}
