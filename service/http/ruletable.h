#pragma once

#include "ratelimitpolicy.h"
#include "serviceconfig.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <vector>

// The active rule set, precomputed for the decision path: exact rules in a hash by path, prefix rules
// in a list sorted longest prefix first, method-specific rules before any-method ones. match() does no
// regex and no allocation beyond the hash lookup. Immutable: a configuration change builds a new table.
class RuleTable
{
public:
    struct Match
    {
        const EndpointLimitRule *rule = nullptr; // null: the default rule applies
        RateLimitPolicy policy;
        QByteArray keyPart; // "" for the default rule, else "endpoint:<path>:" (see endpointKeyPart)
    };

    RuleTable() = default;
    RuleTable(const RateLimitPolicy &defaultPolicy, const QList<EndpointLimitRule> &rules);

    // `path` must already be normalised (normalisePath).
    Match match(const QByteArray &method, const QString &path) const;

    const RateLimitPolicy &defaultPolicy() const { return m_default; }
    const QList<EndpointLimitRule> &rules() const { return m_rules; }

    // "endpoint:<endpoint>:" for an any-method rule, "endpoint:<METHOD>:<endpoint>:" for a method rule
    // (the endpoint starts with "/", so the two forms cannot be confused).
    static QByteArray endpointKeyPart(const EndpointLimitRule &rule);
    // Path of a request target ("/a/./b//c?x=1" -> "/a/b/c"): query dropped, percent-decoded, dot
    // segments resolved and repeated slashes collapsed, so encodings cannot dodge a rule.
    static QString normalisePath(const QByteArray &target);

private:
    struct Entry
    {
        QString path; // exact path, or the prefix including its trailing "/"
        QByteArray method;
        int index = 0; // into m_rules / m_keyParts
    };

    RateLimitPolicy m_default;
    QList<EndpointLimitRule> m_rules;
    QList<QByteArray> m_keyParts;
    QHash<QString, std::vector<Entry>> m_exact; // each vector: method-specific first
    std::vector<Entry> m_prefixes;
};
