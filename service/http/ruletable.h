#pragma once

#include "clientresolver.h"
#include "ratelimitpolicy.h"
#include "serviceconfig.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>
#include <vector>

// Limits for clients identified by an API key, used when no endpoint rule matches: a default for
// every API-key client (unset: they share the default rule with IP clients) and per-key overrides,
// by key id (the 16 hex digits ClientResolver::keyId() makes; never the key itself).
// A target is "default" or a key id.
struct ApiKeyLimits
{
    static constexpr qsizetype kMaxOverrides = 10'000;

    std::optional<RateLimitPolicy> defaultPolicy;
    QMap<QByteArray, RateLimitPolicy> overrides; // sorted, so listings are stable

    std::optional<RateLimitPolicy> find(const QByteArray &target) const;
    void set(const QByteArray &target, const RateLimitPolicy &policy);
    bool remove(const QByteArray &target); // false when the target had no limit
    friend bool operator==(const ApiKeyLimits &, const ApiKeyLimits &) = default;

    static QByteArray defaultTarget() { return QByteArrayLiteral("default"); }
    // Null when `target` is "default" or 16 lowercase hex digits, else a message naming "key_id".
    static std::optional<QString> validateTarget(const QByteArray &target);
};

// The active rule set, precomputed for the decision path: exact rules in a hash by path, prefix rules
// in a list sorted longest prefix first, method-specific rules before any-method ones. match() does no
// regex and no allocation beyond the hash lookup. Immutable: a configuration change builds a new table.
// Precedence: endpoint rule, then the API key's override, then the API-key default, then the default.
class RuleTable
{
public:
    struct Match
    {
        const EndpointLimitRule *rule = nullptr; // null: the default rule applies
        RateLimitPolicy policy;
        QByteArray keyPart; // "" for the default rule, else "endpoint:<path>:" (see endpointKeyPart)
    };

    // The policy for a client that no endpoint rule matched, and its name for the RateLimit-Policy
    // header and the violation log: "default", "api_key_default" or "api_key_override".
    struct ClientDefault
    {
        RateLimitPolicy policy;
        QByteArray name;
    };

    RuleTable() = default;
    RuleTable(const RateLimitPolicy &defaultPolicy, const QList<EndpointLimitRule> &rules,
              const ApiKeyLimits &apiKeys = {});

    // `path` must already be normalised (normalisePath). Without a matching rule, `policy` is the
    // default rule's; defaultFor() refines it for API-key clients.
    Match match(const QByteArray &method, const QString &path) const;
    ClientDefault defaultFor(const ClientIdentity &client) const;

    const RateLimitPolicy &defaultPolicy() const { return m_default; }
    const QList<EndpointLimitRule> &rules() const { return m_rules; }
    const ApiKeyLimits &apiKeys() const { return m_apiKeys; }

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
    ApiKeyLimits m_apiKeys;
    QList<QByteArray> m_keyParts;
    QHash<QString, std::vector<Entry>> m_exact; // each vector: method-specific first
    std::vector<Entry> m_prefixes;
};
