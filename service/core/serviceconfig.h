#pragma once

#include "ratelimitpolicy.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

// The default rule's window: REQUEST_RATE_LIMIT is "requests per minute".
inline constexpr qint64 kDefaultWindowMs = 60'000;

// Null when the policy is valid (RateLimitPolicy's ranges); otherwise a message that names the
// offending field in the admin API's vocabulary ("requests", "window" in seconds, "burst").
std::optional<QString> validatePolicy(const RateLimitPolicy &policy);

// An endpoint rule: replaces the default rule for requests whose path matches.
// `endpoint` is an exact path ("/v1/chat/completions") or a prefix ending in "/*" ("/v1/images/*",
// matching "/v1/images/" and everything below it). `method` is upper case; empty means any method.
struct EndpointLimitRule
{
    QString endpoint;
    QByteArray method;
    RateLimitPolicy policy;

    bool isPrefix() const { return endpoint.endsWith(QLatin1String("/*")); }
    // "/v1/images/" for "/v1/images/*"; the path itself for an exact rule.
    QString matchPath() const { return isPrefix() ? endpoint.chopped(1) : endpoint; }
    // Identity of a rule inside a rule set: one rule per (endpoint, method).
    bool sameTarget(const EndpointLimitRule &other) const
    {
        return endpoint == other.endpoint && method == other.method;
    }
    friend bool operator==(const EndpointLimitRule &, const EndpointLimitRule &) = default;

    // Admin API request form: {"endpoint","requests","window"(s),"method"?,"algorithm"?,"burst"?}.
    // Strict: wrong types, missing or unknown fields and out-of-range values are errors, each
    // message naming its field. `window` may be omitted (60 s); `algorithm` defaults to `defaultAlgorithm`.
    static std::optional<EndpointLimitRule> fromJson(const QJsonObject &object, Algorithm defaultAlgorithm,
                                                      QStringList *errors);
    // Stored form, readable by fromJson().
    QJsonObject toJson() const;
};

// Null when valid, else a message naming the field ("endpoint", "method").
std::optional<QString> validateRuleTarget(const QString &endpoint, const QByteArray &method);

struct ConfigLoadResult;

// Protections of the HTTP front (QHttpServer 6.4 has none of these). Defaults are what an operator
// of an API gateway would expect: close to nginx's (1 MiB body there; 10 MiB here because LLM APIs
// carry images), generous timeouts for streaming answers, which are governed by upstreamTimeoutMs.
struct HttpLimits
{
    qint64 maxBodyBytes = 10 * 1024 * 1024; // larger Content-Length or chunked body: 413
    int maxHeaderBytes = 32 * 1024;         // request line + header block; beyond: 431 (414 for the line)
    int maxHeaderCount = 100;               // more header fields: 431
    int requestTimeoutMs = 30'000;          // from the first byte of a request to its last: else 408 + close
    int idleTimeoutMs = 60'000;             // keep-alive connection with nothing in flight: closed
    int maxConnections = 10'000;            // per process; beyond: 503 and close
    int upstreamTimeoutMs = 60'000;         // gateway: no byte from the upstream for this long: 504
};

// Every setting of sluice-server, parsed and validated once (defaults < JSON file < environment
// < command line). A plain value type: copy it freely.
struct ServiceConfig
{
    QString listenHost = QStringLiteral("127.0.0.1"); // an IP literal, validated
    quint16 listenPort = 7055;
    QList<QByteArray> adminKeys; // ADMIN_KEY, comma-separated; empty disables the admin API
    qint64 requestRateLimit = 60;
    // API_KEY_RATE_LIMIT: requests per minute for clients identified by an API key when no endpoint
    // rule applies; 0 (unset) means the same as the default rule.
    qint64 apiKeyRateLimit = 0;
    Algorithm defaultAlgorithm = Algorithm::SlidingLog;
    QList<EndpointLimitRule> endpointRules; // initial rules from the config file
    QString redisAddr;                     // "host:port" (cluster mode: comma-separated seeds); empty: see redisEnabled()
    QByteArray redisPassword;
    // REDIS_MODE, lower case: "standalone", "cluster" (REDIS_ADDR lists seeds) or "sentinel" (the master
    // is asked from REDIS_SENTINELS under the name REDIS_SENTINEL_MASTER). Validated in load().
    QString redisMode = QStringLiteral("standalone");
    QString redisSentinels;          // comma-separated host[:port] (default port 26379)
    QString redisSentinelMaster;
    QByteArray redisSentinelPassword; // a secret, like redisPassword: never logged or shown
    int redisDb = 0;
    // REDIS_TLS: every Redis link (data nodes, cluster members, sentinels, subscriber) over TLS. The
    // files are PEM; the CA file replaces the system CAs; certificate and key go together. Only the
    // pairing is checked here (this layer has no QtNetwork): sluice-server parses the files with
    // RedisTlsSettings::validate() before it starts. The key file's contents are never logged.
    bool redisTls = false;
    QString redisTlsCaFile;
    QString redisTlsCertFile;
    QString redisTlsKeyFile;
    QString redisTlsServerName; // verified name and SNI; empty: the host part of REDIS_ADDR
    QUrl upstreamUrl;
    QStringList trustedProxies; // validated CIDRs ("10.0.0.0/8", "::1/128"); a bare address means /32 or /128
    bool rateLimitHeaders = true; // IETF draft RateLimit / RateLimit-Policy fields
    QByteArray keyPrefix = QByteArrayLiteral("rate_limit:");
    // Memory mode: where runtime rule changes persist; empty: not persisted. Empty in defaults();
    // load() sets $XDG_DATA_HOME/sluice/rules.json (~/.local/share/sluice/rules.json) unless
    // RULES_FILE / --rules-file says otherwise (an empty value turns persistence off).
    QString rulesFile;
    HttpLimits limits;
    int threads = 0; // event-loop threads serving HTTP; 0: one per CPU core
    // SHUTDOWN_TIMEOUT: after SIGTERM/SIGINT, how long answers in flight (gateway streams included) may
    // still take; what is left then is cut and the process exits 0.
    int shutdownTimeoutMs = 30'000;

    RateLimitPolicy defaultPolicy() const
    {
        return RateLimitPolicy{defaultAlgorithm, requestRateLimit, kDefaultWindowMs, 0};
    }
    QString listenAddr() const; // "127.0.0.1:7055", "[::1]:7055"
    // Redis (not memory) mode: REDIS_ADDR set, or sentinel mode with REDIS_SENTINELS set.
    bool redisEnabled() const
    {
        return !redisAddr.isEmpty() || (redisMode == QLatin1String("sentinel") && !redisSentinels.isEmpty());
    }

    static ServiceConfig defaults();

    // `arguments` includes argv[0]. Reads the JSON file named by --config or SLUICE_CONFIG.
    static ConfigLoadResult load(const QStringList &arguments, const QProcessEnvironment &environment);
    static QString defaultRulesFile();
};

struct ConfigLoadResult
{
    enum class Outcome { Ok, Help, Version, Invalid };
    Outcome outcome = Outcome::Invalid;
    ServiceConfig config;
    QStringList errors; // every problem found, not just the first
    QString text;       // --help / --version output
};

namespace ConfigParsing {
// Exposed for reuse and tests. Each returns null and appends a message naming `field` on error.
// Addresses are validated with inet_pton (this layer has no QtNetwork).
bool isIpLiteral(const QString &value);
std::optional<QPair<QString, quint16>> parseHostPort(const QString &value, const QString &field, QStringList *errors);
// Normalises each entry to "<address>/<bits>".
std::optional<QStringList> parseCidrList(const QStringList &values, const QString &field, QStringList *errors);
// "30s", "500ms", "2m", "1h"; a bare number is seconds. Milliseconds in [minMs, maxMs].
std::optional<qint64> parseDurationMs(const QString &value, const QString &field, qint64 minMs, qint64 maxMs, QStringList *errors);
// "10m"/"10MiB", "32k"/"32KiB", "1g"; a bare number is bytes. Bytes in [min, max].
std::optional<qint64> parseSize(const QString &value, const QString &field, qint64 min, qint64 max, QStringList *errors);
} // namespace ConfigParsing
