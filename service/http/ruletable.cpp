#include "ruletable.h"

#include <QUrl>

#include <algorithm>

std::optional<RateLimitPolicy> ApiKeyLimits::find(const QByteArray &target) const
{
    if (target == defaultTarget())
        return defaultPolicy;
    const auto it = overrides.constFind(target);
    return it == overrides.cend() ? std::nullopt : std::optional<RateLimitPolicy>(*it);
}

void ApiKeyLimits::set(const QByteArray &target, const RateLimitPolicy &policy)
{
    if (target == defaultTarget())
        defaultPolicy = policy;
    else
        overrides.insert(target, policy);
}

bool ApiKeyLimits::remove(const QByteArray &target)
{
    if (target != defaultTarget())
        return overrides.remove(target) > 0;
    const bool existed = defaultPolicy.has_value();
    defaultPolicy.reset();
    return existed;
}

std::optional<QString> ApiKeyLimits::validateTarget(const QByteArray &target)
{
    if (target == defaultTarget())
        return std::nullopt;
    const bool hex = target.size() == 16 && std::all_of(target.cbegin(), target.cend(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
    if (!hex)
        return QStringLiteral("key_id: expected \"default\" or the 16 lowercase hex digits of an API key id (as in stats and violations)");
    return std::nullopt;
}

RuleTable::RuleTable(const RateLimitPolicy &defaultPolicy, const QList<EndpointLimitRule> &rules, const ApiKeyLimits &apiKeys)
    : m_default(defaultPolicy), m_rules(rules), m_apiKeys(apiKeys)
{
    for (int i = 0; i < m_rules.size(); ++i) {
        const EndpointLimitRule &rule = m_rules.at(i);
        m_keyParts.append(endpointKeyPart(rule));
        Entry entry{rule.matchPath(), rule.method, i};
        if (rule.isPrefix())
            m_prefixes.push_back(entry);
        else
            m_exact[entry.path].push_back(entry);
    }
    const auto methodFirst = [](const Entry &a, const Entry &b) { return !a.method.isEmpty() && b.method.isEmpty(); };
    for (auto &list : m_exact)
        std::stable_sort(list.begin(), list.end(), methodFirst);
    std::stable_sort(m_prefixes.begin(), m_prefixes.end(), [&](const Entry &a, const Entry &b) {
        if (a.path.size() != b.path.size())
            return a.path.size() > b.path.size();
        return methodFirst(a, b);
    });
}

RuleTable::ClientDefault RuleTable::defaultFor(const ClientIdentity &client) const
{
    if (client.kind == ClientIdentity::Kind::ApiKey) {
        if (!m_apiKeys.overrides.isEmpty()) {
            const auto it = m_apiKeys.overrides.constFind(client.id);
            if (it != m_apiKeys.overrides.cend())
                return {*it, QByteArrayLiteral("api_key_override")};
        }
        if (m_apiKeys.defaultPolicy)
            return {*m_apiKeys.defaultPolicy, QByteArrayLiteral("api_key_default")};
    }
    return {m_default, QByteArrayLiteral("default")};
}

RuleTable::Match RuleTable::match(const QByteArray &method, const QString &path) const
{
    const auto accepts = [&](const Entry &e) { return e.method.isEmpty() || e.method == method; };
    const auto found = [&](const Entry &e) { return Match{&m_rules.at(e.index), m_rules.at(e.index).policy, m_keyParts.at(e.index)}; };
    const auto exact = m_exact.constFind(path);
    if (exact != m_exact.cend()) {
        for (const Entry &e : *exact) {
            if (accepts(e))
                return found(e);
        }
    }
    for (const Entry &e : m_prefixes) {
        // "/v1/images/*" matches "/v1/images" too: the prefix without its trailing slash.
        const bool under = path.startsWith(e.path) || QStringView(path) == QStringView(e.path).chopped(1);
        if (under && accepts(e))
            return found(e);
    }
    return Match{nullptr, m_default, QByteArray()};
}

QByteArray RuleTable::endpointKeyPart(const EndpointLimitRule &rule)
{
    QByteArray part = QByteArrayLiteral("endpoint:");
    if (!rule.method.isEmpty())
        part += rule.method + ':';
    part += rule.endpoint.toUtf8() + ':';
    return part;
}

QString RuleTable::normalisePath(const QByteArray &target)
{
    // Fast path for the common, already clean "/a/b": nothing to decode, resolve or collapse (one pass).
    bool clean = target.startsWith('/');
    for (qsizetype i = 0; clean && i < target.size(); ++i) {
        const char c = target.at(i);
        if (c == '%' || c == '?' || c == '#' || (c == '/' && i + 1 < target.size() && (target.at(i + 1) == '.' || target.at(i + 1) == '/')))
            clean = false;
    }
    if (clean)
        return QString::fromUtf8(target);
    QByteArray raw = target;
    const qsizetype cut = raw.indexOf('?');
    if (cut >= 0)
        raw.truncate(cut);
    const qsizetype hash = raw.indexOf('#');
    if (hash >= 0)
        raw.truncate(hash);
    // Decode first so "%2e%2e" and "%2f" take part in dot-segment removal and slash collapsing.
    const QString decoded = QUrl::fromPercentEncoding(raw);
    QStringList segments;
    for (const QString &segment : decoded.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        if (segment == QLatin1String(".."))
            segments.isEmpty() ? void() : segments.removeLast();
        else if (segment != QLatin1String("."))
            segments.append(segment);
    }
    QString path = QLatin1Char('/') + segments.join(QLatin1Char('/'));
    // Keep a trailing slash ("/v1/images/" is under "/v1/images/*" either way, but exact rules may differ).
    if (decoded.endsWith(QLatin1Char('/')) && path.size() > 1)
        path += QLatin1Char('/');
    return path;
}
