#include "serviceconfig.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QStandardPaths>

#include <arpa/inet.h>

#include <cmath>

namespace {

constexpr auto kKnownMethods = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};

// One setting: its JSON-file key, environment variable and command-line flag.
struct Setting
{
    const char *jsonKey;
    const char *envVar;
    const char *flag;
    const char *valueName;
    const char *help;
};

const Setting kSettings[] = {
    {"listen_addr", "LISTEN_ADDR", "listen", "host:port", "Address to listen on (default 127.0.0.1:7055; port 0 picks a free port)."},
    {"admin_key", "ADMIN_KEY", "admin-key", "keys", "Comma-separated admin keys for X-Admin-Key; unset disables the admin API."},
    {"request_rate_limit", "REQUEST_RATE_LIMIT", "request-rate-limit", "n", "Default requests per minute per client (default 60)."},
    {"api_key_rate_limit", "API_KEY_RATE_LIMIT", "api-key-rate-limit", "n", "Requests per minute per API-key client when no endpoint rule applies (default: REQUEST_RATE_LIMIT)."},
    {"default_algorithm", "DEFAULT_ALGORITHM", "default-algorithm", "name", "sliding_log (default), sliding_window_counter or token_bucket."},
    {"redis_addr", "REDIS_ADDR", "redis-addr", "host:port", "Redis server (cluster mode: comma-separated seed nodes); unset means memory mode unless sentinel mode."},
    {"redis_mode", "REDIS_MODE", "redis-mode", "mode", "standalone (default), cluster or sentinel."},
    {"redis_sentinels", "REDIS_SENTINELS", "redis-sentinels", "hosts", "Sentinel mode: comma-separated sentinels host[:port] (default port 26379)."},
    {"redis_sentinel_master", "REDIS_SENTINEL_MASTER", "redis-sentinel-master", "name", "Sentinel mode: name of the monitored master."},
    {"redis_sentinel_password", "REDIS_SENTINEL_PASSWORD", "redis-sentinel-password", "password", "Sentinel mode: the sentinels' password (prefer the environment variable)."},
    {"redis_password", "REDIS_PASSWORD", "redis-password", "password", "Redis password (prefer the environment variable)."},
    {"redis_db", "REDIS_DB", "redis-db", "n", "Redis database number (default 0)."},
    {"redis_tls", "REDIS_TLS", "redis-tls", "on|off", "Connect to Redis over TLS, verifying the server (default off)."},
    {"redis_tls_ca_file", "REDIS_TLS_CA_FILE", "redis-tls-ca-file", "path", "TLS: PEM CA certificates that sign the Redis server's certificate (default: the system CAs)."},
    {"redis_tls_cert_file", "REDIS_TLS_CERT_FILE", "redis-tls-cert-file", "path", "TLS: PEM client certificate, for tls-auth-clients (with REDIS_TLS_KEY_FILE)."},
    {"redis_tls_key_file", "REDIS_TLS_KEY_FILE", "redis-tls-key-file", "path", "TLS: unencrypted PEM private key of the client certificate."},
    {"redis_tls_server_name", "REDIS_TLS_SERVER_NAME", "redis-tls-server-name", "name", "TLS: name verified in the server certificate and sent as SNI (default: the host of REDIS_ADDR)."},
    {"upstream_url", "UPSTREAM_URL", "upstream-url", "url", "http(s) URL of the upstream API (used by the gateway)."},
    {"trusted_proxies", "TRUSTED_PROXIES", "trusted-proxies", "cidrs", "Comma-separated CIDRs whose X-Forwarded-For / X-Real-IP are believed (default none)."},
    {"ratelimit_headers", "RATELIMIT_HEADERS", "ratelimit-headers", "on|off", "Send the IETF draft RateLimit and RateLimit-Policy fields (default on)."},
    {"key_prefix", "KEY_PREFIX", "key-prefix", "prefix", "Prefix of every storage key (default rate_limit:)."},
    {"rules_file", "RULES_FILE", "rules-file", "path", "Memory mode: file where runtime rule changes are saved and reloaded (default $XDG_DATA_HOME/sluice/rules.json; empty: off)."},
    {"threads", "THREADS", "threads", "n", "Event-loop threads serving HTTP (default 0: one per CPU core)."},
    {"max_body_size", "MAX_BODY_SIZE", "max-body-size", "size", "Largest request body, e.g. 10m, 512k or bytes; larger: 413 (default 10m)."},
    {"max_header_size", "MAX_HEADER_SIZE", "max-header-size", "size", "Largest request line + header block; larger: 431 (default 32k)."},
    {"max_headers", "MAX_HEADERS", "max-headers", "n", "Most header fields in a request; more: 431 (default 100)."},
    {"request_timeout", "REQUEST_TIMEOUT", "request-timeout", "duration", "Time to receive a whole request, e.g. 30s or 500ms; slower: 408 and close (default 30s)."},
    {"idle_timeout", "IDLE_TIMEOUT", "idle-timeout", "duration", "Keep-alive connections idle this long are closed (default 60s)."},
    {"max_connections", "MAX_CONNECTIONS", "max-connections", "n", "Open client connections per process; more: 503 and close (default 10000)."},
    {"upstream_timeout", "UPSTREAM_TIMEOUT", "upstream-timeout", "duration", "Gateway: the upstream sending nothing for this long gives 504 (default 60s)."},
    {"shutdown_timeout", "SHUTDOWN_TIMEOUT", "shutdown-timeout", "duration", "On SIGTERM/SIGINT: longest wait for answers in flight, gateway streams included, before they are cut (default 30s)."},
};

QString fieldError(const QString &field, const QString &message)
{
    return field + QLatin1String(": ") + message;
}

std::optional<qint64> integerField(const QJsonValue &v, const QString &field, qint64 min, qint64 max,
                                   QStringList *errors)
{
    if (!v.isDouble()) {
        errors->append(fieldError(field, QStringLiteral("must be an integer")));
        return std::nullopt;
    }
    const double d = v.toDouble();
    if (std::trunc(d) != d) {
        errors->append(fieldError(field, QStringLiteral("must be an integer")));
        return std::nullopt;
    }
    if (d < double(min) || d > double(max)) {
        errors->append(fieldError(field, QStringLiteral("must be between %1 and %2").arg(min).arg(max)));
        return std::nullopt;
    }
    return qint64(d);
}

std::optional<qint64> integerString(const QString &value, const QString &field, qint64 min, qint64 max,
                                    QStringList *errors)
{
    bool ok = false;
    const qint64 n = value.trimmed().toLongLong(&ok);
    if (!ok || n < min || n > max) {
        errors->append(fieldError(field, QStringLiteral("must be an integer between %1 and %2, got \"%3\"")
                                             .arg(min).arg(max).arg(value)));
        return std::nullopt;
    }
    return n;
}

std::optional<bool> boolString(const QString &value, const QString &field, QStringList *errors)
{
    const QString v = value.trimmed().toLower();
    if (v == QLatin1String("on") || v == QLatin1String("true") || v == QLatin1String("1") || v == QLatin1String("yes"))
        return true;
    if (v == QLatin1String("off") || v == QLatin1String("false") || v == QLatin1String("0") || v == QLatin1String("no"))
        return false;
    errors->append(fieldError(field, QStringLiteral("must be on or off, got \"%1\"").arg(value)));
    return std::nullopt;
}

QStringList splitList(const QString &value)
{
    QStringList out;
    for (const QString &part : value.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString t = part.trimmed();
        if (!t.isEmpty())
            out.append(t);
    }
    return out;
}

// Applies one textual setting (from the environment or the command line) to `config`.
void applySetting(ServiceConfig &config, const Setting &s, const QString &value, const QString &field,
                  QStringList *errors)
{
    const QByteArray key(s.jsonKey);
    if (key == "listen_addr") {
        if (auto hp = ConfigParsing::parseHostPort(value, field, errors)) {
            QString host = hp->first == QLatin1String("localhost") ? QStringLiteral("127.0.0.1") : hp->first;
            if (!ConfigParsing::isIpLiteral(host))
                errors->append(fieldError(field, QStringLiteral("host must be an IP address, got \"%1\"").arg(hp->first)));
            else {
                config.listenHost = host;
                config.listenPort = hp->second;
            }
        }
    } else if (key == "admin_key") {
        config.adminKeys.clear();
        for (const QString &k : splitList(value))
            config.adminKeys.append(k.toUtf8());
    } else if (key == "request_rate_limit") {
        if (auto n = integerString(value, field, 1, RateLimitPolicy::MaxLimit, errors))
            config.requestRateLimit = *n;
    } else if (key == "api_key_rate_limit") {
        if (auto n = integerString(value, field, 1, RateLimitPolicy::MaxLimit, errors))
            config.apiKeyRateLimit = *n;
    } else if (key == "default_algorithm") {
        if (auto a = algorithmFromName(value.trimmed()))
            config.defaultAlgorithm = *a;
        else
            errors->append(fieldError(field, QStringLiteral("unknown algorithm \"%1\" (sliding_log, sliding_window_counter, token_bucket)").arg(value)));
    } else if (key == "redis_addr") {
        // Checked in load() once REDIS_MODE is known: cluster mode takes a list of seeds.
        config.redisAddr = value.trimmed();
    } else if (key == "redis_mode") {
        const QString mode = value.trimmed().toLower();
        if (mode == QLatin1String("standalone") || mode == QLatin1String("cluster") || mode == QLatin1String("sentinel"))
            config.redisMode = mode;
        else
            errors->append(fieldError(field, QStringLiteral("unknown mode \"%1\" (standalone, cluster, sentinel)").arg(value)));
    } else if (key == "redis_sentinels") {
        config.redisSentinels = value.trimmed();
    } else if (key == "redis_sentinel_master") {
        config.redisSentinelMaster = value.trimmed();
    } else if (key == "redis_password") {
        config.redisPassword = value.toUtf8();
    } else if (key == "redis_sentinel_password") {
        config.redisSentinelPassword = value.toUtf8();
    } else if (key == "redis_db") {
        if (auto n = integerString(value, field, 0, 15, errors))
            config.redisDb = int(*n);
    } else if (key == "redis_tls") {
        if (auto b = boolString(value, field, errors))
            config.redisTls = *b;
    } else if (key == "redis_tls_ca_file") {
        config.redisTlsCaFile = value.trimmed();
    } else if (key == "redis_tls_cert_file") {
        config.redisTlsCertFile = value.trimmed();
    } else if (key == "redis_tls_key_file") {
        config.redisTlsKeyFile = value.trimmed();
    } else if (key == "redis_tls_server_name") {
        const QString name = value.trimmed();
        const bool address = ConfigParsing::isIpLiteral(name); // IPv6 literals have colons
        bool plain = true;
        for (QChar c : name)
            plain = plain && !c.isSpace() && c != u'/' && c != u'@' && (c != u':' || address);
        if (plain)
            config.redisTlsServerName = name;
        else
            errors->append(fieldError(field, QStringLiteral("must be a host name or address without port, got \"%1\"").arg(value)));
    } else if (key == "upstream_url") {
        if (value.trimmed().isEmpty()) {
            config.upstreamUrl.clear();
            return;
        }
        const QUrl url(value.trimmed(), QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
            || url.host().isEmpty())
            errors->append(fieldError(field, QStringLiteral("must be an absolute http:// or https:// URL, got \"%1\"").arg(value)));
        else
            config.upstreamUrl = url;
    } else if (key == "trusted_proxies") {
        if (auto list = ConfigParsing::parseCidrList(splitList(value), field, errors))
            config.trustedProxies = *list;
    } else if (key == "ratelimit_headers") {
        if (auto b = boolString(value, field, errors))
            config.rateLimitHeaders = *b;
    } else if (key == "key_prefix") {
        if (value.isEmpty() || value.contains(QLatin1Char(' ')))
            errors->append(fieldError(field, QStringLiteral("must be non-empty and contain no spaces")));
        else
            config.keyPrefix = value.toUtf8();
    } else if (key == "rules_file") {
        config.rulesFile = value;
    } else if (key == "threads") {
        if (auto n = integerString(value, field, 0, 256, errors))
            config.threads = int(*n);
    } else if (key == "max_body_size") {
        if (auto n = ConfigParsing::parseSize(value, field, 0, qint64(1) << 40, errors))
            config.limits.maxBodyBytes = *n;
    } else if (key == "max_header_size") {
        if (auto n = ConfigParsing::parseSize(value, field, 1024, 16 * 1024 * 1024, errors))
            config.limits.maxHeaderBytes = int(*n);
    } else if (key == "max_headers") {
        if (auto n = integerString(value, field, 1, 10'000, errors))
            config.limits.maxHeaderCount = int(*n);
    } else if (key == "request_timeout") {
        if (auto ms = ConfigParsing::parseDurationMs(value, field, 10, 3'600'000, errors))
            config.limits.requestTimeoutMs = int(*ms);
    } else if (key == "idle_timeout") {
        if (auto ms = ConfigParsing::parseDurationMs(value, field, 10, 3'600'000, errors))
            config.limits.idleTimeoutMs = int(*ms);
    } else if (key == "max_connections") {
        if (auto n = integerString(value, field, 1, 1'000'000, errors))
            config.limits.maxConnections = int(*n);
    } else if (key == "upstream_timeout") {
        if (auto ms = ConfigParsing::parseDurationMs(value, field, 10, 3'600'000, errors))
            config.limits.upstreamTimeoutMs = int(*ms);
    } else if (key == "shutdown_timeout") {
        if (auto ms = ConfigParsing::parseDurationMs(value, field, 0, 3'600'000, errors))
            config.shutdownTimeoutMs = int(*ms);
    }
}

// A JSON config file value as the text the same setting takes in the environment.
std::optional<QString> jsonSettingText(const QJsonValue &v, const QString &field, QStringList *errors)
{
    switch (v.type()) {
    case QJsonValue::String:
        return v.toString();
    case QJsonValue::Double:
        if (std::trunc(v.toDouble()) == v.toDouble())
            return QString::number(qint64(v.toDouble()));
        break;
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("on") : QStringLiteral("off");
    case QJsonValue::Array: {
        QStringList parts;
        for (const QJsonValue &e : v.toArray()) {
            if (!e.isString()) {
                errors->append(fieldError(field, QStringLiteral("array entries must be strings")));
                return std::nullopt;
            }
            parts.append(e.toString());
        }
        return parts.join(QLatin1Char(','));
    }
    default:
        break;
    }
    errors->append(fieldError(field, QStringLiteral("has the wrong type")));
    return std::nullopt;
}

// Reads the JSON config file: applies its settings to `config` and returns its "endpoints" array,
// parsed later, once the final default algorithm is known.
QJsonArray loadJsonFile(ServiceConfig &config, const QString &path, QStringList *errors)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        errors->append(fieldError(QStringLiteral("--config"), QStringLiteral("cannot read %1: %2").arg(path, file.errorString())));
        return {};
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        errors->append(fieldError(QStringLiteral("--config"), QStringLiteral("%1 is not a JSON object: %2 at offset %3")
                                                                  .arg(path, parseError.errorString()).arg(parseError.offset)));
        return {};
    }
    const QJsonObject o = doc.object();
    QJsonArray rules;
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString field = path + QLatin1String(": ") + it.key();
        if (it.key() == QLatin1String("endpoints")) {
            if (it.value().isArray())
                rules = it.value().toArray();
            else
                errors->append(fieldError(field, QStringLiteral("must be an array of rules")));
            continue;
        }
        const Setting *setting = nullptr;
        for (const Setting &s : kSettings) {
            if (it.key() == QLatin1String(s.jsonKey))
                setting = &s;
        }
        if (!setting) {
            errors->append(fieldError(field, QStringLiteral("unknown setting")));
            continue;
        }
        if (auto text = jsonSettingText(it.value(), field, errors))
            applySetting(config, *setting, *text, field, errors);
    }
    return rules;
}

void parseRules(ServiceConfig &config, const QJsonArray &rules, const QString &field, QStringList *errors)
{
    for (qsizetype i = 0; i < rules.size(); ++i) {
        const QString ruleField = field + QStringLiteral("[%1]").arg(i);
        if (!rules.at(i).isObject()) {
            errors->append(fieldError(ruleField, QStringLiteral("must be an object")));
            continue;
        }
        QStringList ruleErrors;
        auto rule = EndpointLimitRule::fromJson(rules.at(i).toObject(), config.defaultAlgorithm, &ruleErrors);
        for (const QString &e : ruleErrors)
            errors->append(ruleField + QLatin1String(".") + e);
        if (!rule)
            continue;
        bool duplicate = false;
        for (const EndpointLimitRule &r : config.endpointRules)
            duplicate = duplicate || r.sameTarget(*rule);
        if (duplicate)
            errors->append(fieldError(ruleField, QStringLiteral("duplicate rule for %1").arg(rule->endpoint)));
        else
            config.endpointRules.append(*rule);
    }
}

// Each entry of a comma-separated host[:port] list; a bare host gets defaultPort (0: a port is required).
void validateHostList(const QString &value, const QString &field, quint16 defaultPort, QStringList *errors)
{
    const QStringList entries = value.split(QLatin1Char(','));
    for (const QString &raw : entries) {
        const QString entry = raw.trimmed();
        if (entry.isEmpty()) {
            errors->append(fieldError(field, QStringLiteral("empty entry in \"%1\"").arg(value)));
            continue;
        }
        const bool hasPort = entry.startsWith(QLatin1Char('[')) ? entry.contains(QLatin1String("]:"))
                                                                : entry.contains(QLatin1Char(':'));
        const QString withPort = (hasPort || defaultPort == 0 || entry.count(QLatin1Char(':')) > 1)
            ? entry : entry + QLatin1Char(':') + QString::number(defaultPort);
        if (auto hp = ConfigParsing::parseHostPort(withPort, field, errors); hp && hp->second == 0)
            errors->append(fieldError(field, QStringLiteral("port 0 is not a Redis port in \"%1\"").arg(entry)));
    }
}

// The TLS settings' pairing; the files themselves are read by RedisTlsSettings::validate().
void validateRedisTls(const ServiceConfig &config, QStringList *errors)
{
    const std::pair<const char *, const QString *> tlsOnly[] = {
        {"REDIS_TLS_CA_FILE", &config.redisTlsCaFile},
        {"REDIS_TLS_CERT_FILE", &config.redisTlsCertFile},
        {"REDIS_TLS_KEY_FILE", &config.redisTlsKeyFile},
        {"REDIS_TLS_SERVER_NAME", &config.redisTlsServerName},
    };
    if (!config.redisTls) {
        for (const auto &[name, value] : tlsOnly) {
            if (!value->isEmpty())
                errors->append(fieldError(QLatin1String(name), QStringLiteral("only used when REDIS_TLS is on")));
        }
        return;
    }
    if (!config.redisTlsCertFile.isEmpty() && config.redisTlsKeyFile.isEmpty())
        errors->append(fieldError(QStringLiteral("REDIS_TLS_KEY_FILE"), QStringLiteral("required when REDIS_TLS_CERT_FILE is set")));
    if (config.redisTlsCertFile.isEmpty() && !config.redisTlsKeyFile.isEmpty())
        errors->append(fieldError(QStringLiteral("REDIS_TLS_CERT_FILE"), QStringLiteral("required when REDIS_TLS_KEY_FILE is set")));
}

// The Redis settings together, once every source is applied (the mode decides how REDIS_ADDR reads).
void validateRedis(const ServiceConfig &config, QStringList *errors)
{
    const QString addrField = QStringLiteral("REDIS_ADDR");
    const QString sentinelsField = QStringLiteral("REDIS_SENTINELS");
    if (config.redisMode == QLatin1String("cluster")) {
        if (!config.redisAddr.isEmpty())
            validateHostList(config.redisAddr, addrField, 0, errors);
    } else if (!config.redisAddr.isEmpty()) {
        ConfigParsing::parseHostPort(config.redisAddr, addrField, errors);
    }
    if (config.redisMode == QLatin1String("sentinel")) {
        if (config.redisSentinels.isEmpty())
            errors->append(fieldError(sentinelsField, QStringLiteral("required when REDIS_MODE is sentinel")));
        else
            validateHostList(config.redisSentinels, sentinelsField, 26379, errors);
        if (config.redisSentinelMaster.isEmpty())
            errors->append(fieldError(QStringLiteral("REDIS_SENTINEL_MASTER"), QStringLiteral("required when REDIS_MODE is sentinel")));
    } else if (!config.redisSentinels.isEmpty()) {
        errors->append(fieldError(sentinelsField, QStringLiteral("only used when REDIS_MODE is sentinel")));
    }
    validateRedisTls(config, errors);
}

bool parseAddress(const QString &text, unsigned char *buffer, int *family)
{
    const QByteArray latin = text.toLatin1();
    if (inet_pton(AF_INET, latin.constData(), buffer) == 1) {
        *family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, latin.constData(), buffer) == 1) {
        *family = AF_INET6;
        return true;
    }
    return false;
}

} // namespace

std::optional<QString> validatePolicy(const RateLimitPolicy &policy)
{
    using P = RateLimitPolicy;
    if (policy.windowMs < 1 || policy.windowMs > P::MaxWindowMs)
        return QStringLiteral("window: must be between 1 and %1 seconds").arg(P::MaxWindowMs / 1000);
    const qint64 maxLimit = policy.algorithm == Algorithm::SlidingLog ? P::MaxSlidingLogLimit : P::MaxLimit;
    if (policy.limit < 1 || policy.limit > maxLimit)
        return QStringLiteral("requests: must be between 1 and %1 for %2").arg(maxLimit).arg(algorithmName(policy.algorithm));
    if (policy.burst != 0) {
        if (policy.algorithm != Algorithm::TokenBucket)
            return QStringLiteral("burst: only applies to token_bucket");
        if (policy.burst < 1 || policy.burst > P::MaxBurst)
            return QStringLiteral("burst: must be between 1 and %1").arg(P::MaxBurst);
    }
    return std::nullopt;
}

std::optional<QString> validateRuleTarget(const QString &endpoint, const QByteArray &method)
{
    if (!endpoint.startsWith(QLatin1Char('/')))
        return QStringLiteral("endpoint: must be a path starting with \"/\"");
    if (endpoint.size() > 512)
        return QStringLiteral("endpoint: longer than 512 characters");
    const qsizetype star = endpoint.indexOf(QLatin1Char('*'));
    if (star >= 0 && (star != endpoint.size() - 1 || !endpoint.endsWith(QLatin1String("/*"))))
        return QStringLiteral("endpoint: \"*\" is only allowed as a final \"/*\" (prefix rule)");
    for (QChar c : endpoint) {
        if (c.unicode() <= 0x20 || c.unicode() >= 0x7f || c == QLatin1Char('?') || c == QLatin1Char('#'))
            return QStringLiteral("endpoint: must be a plain path without spaces, query or fragment");
    }
    if (!method.isEmpty()) {
        bool known = false;
        for (const char *m : kKnownMethods)
            known = known || method == m;
        if (!known)
            return QStringLiteral("method: must be one of GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS");
    }
    return std::nullopt;
}

std::optional<EndpointLimitRule> EndpointLimitRule::fromJson(const QJsonObject &o, Algorithm defaultAlgorithm,
                                                              QStringList *errors)
{
    const qsizetype errorsBefore = errors->size();
    static const QSet<QString> known{QStringLiteral("endpoint"), QStringLiteral("method"), QStringLiteral("requests"),
                                     QStringLiteral("window"), QStringLiteral("window_seconds"),
                                     QStringLiteral("algorithm"), QStringLiteral("burst")};
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.contains(it.key()))
            errors->append(fieldError(it.key(), QStringLiteral("unknown field")));
    }
    EndpointLimitRule rule;
    rule.policy.algorithm = defaultAlgorithm;
    const QJsonValue endpoint = o.value(QLatin1String("endpoint"));
    if (endpoint.isUndefined())
        errors->append(fieldError(QStringLiteral("endpoint"), QStringLiteral("is required")));
    else if (!endpoint.isString())
        errors->append(fieldError(QStringLiteral("endpoint"), QStringLiteral("must be a string")));
    else
        rule.endpoint = endpoint.toString();

    const QJsonValue method = o.value(QLatin1String("method"));
    if (!method.isUndefined() && !method.isNull()) {
        if (!method.isString())
            errors->append(fieldError(QStringLiteral("method"), QStringLiteral("must be a string")));
        else
            rule.method = method.toString().toUpper().toLatin1();
    }
    if (errors->size() == errorsBefore) {
        if (auto e = validateRuleTarget(rule.endpoint, rule.method))
            errors->append(*e);
    }

    const QJsonValue algorithm = o.value(QLatin1String("algorithm"));
    if (!algorithm.isUndefined() && !algorithm.isNull()) {
        const auto a = algorithm.isString() ? algorithmFromName(algorithm.toString()) : std::nullopt;
        if (!a)
            errors->append(fieldError(QStringLiteral("algorithm"),
                                      QStringLiteral("must be one of sliding_log, sliding_window_counter, token_bucket")));
        else
            rule.policy.algorithm = *a;
    }

    const QJsonValue requests = o.value(QLatin1String("requests"));
    if (requests.isUndefined())
        errors->append(fieldError(QStringLiteral("requests"), QStringLiteral("is required")));
    else if (auto n = integerField(requests, QStringLiteral("requests"), 1, RateLimitPolicy::MaxLimit, errors))
        rule.policy.limit = *n;

    const QString windowKey = o.contains(QLatin1String("window")) ? QStringLiteral("window") : QStringLiteral("window_seconds");
    const QJsonValue window = o.value(windowKey);
    if (window.isUndefined())
        rule.policy.windowMs = kDefaultWindowMs;
    else if (auto n = integerField(window, windowKey, 1, RateLimitPolicy::MaxWindowMs / 1000, errors))
        rule.policy.windowMs = *n * 1000;

    const QJsonValue burst = o.value(QLatin1String("burst"));
    if (!burst.isUndefined() && !burst.isNull()) {
        if (auto n = integerField(burst, QStringLiteral("burst"), 0, RateLimitPolicy::MaxBurst, errors))
            rule.policy.burst = *n;
    }

    if (errors->size() == errorsBefore) {
        if (auto e = validatePolicy(rule.policy))
            errors->append(*e);
    }
    if (errors->size() != errorsBefore)
        return std::nullopt;
    return rule;
}

QJsonObject EndpointLimitRule::toJson() const
{
    QJsonObject o{{QStringLiteral("endpoint"), endpoint},
                  {QStringLiteral("requests"), policy.limit},
                  {QStringLiteral("window"), policy.windowMs / 1000},
                  {QStringLiteral("algorithm"), algorithmName(policy.algorithm)}};
    if (!method.isEmpty())
        o.insert(QStringLiteral("method"), QString::fromLatin1(method));
    if (policy.burst > 0)
        o.insert(QStringLiteral("burst"), policy.burst);
    return o;
}

QString ServiceConfig::listenAddr() const
{
    const QString host = listenHost.contains(QLatin1Char(':')) ? QLatin1Char('[') + listenHost + QLatin1Char(']') : listenHost;
    return host + QLatin1Char(':') + QString::number(listenPort);
}

QString ServiceConfig::defaultRulesFile()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/sluice/rules.json");
}

ServiceConfig ServiceConfig::defaults()
{
    return ServiceConfig{};
}

ConfigLoadResult ServiceConfig::load(const QStringList &arguments, const QProcessEnvironment &environment)
{
    ConfigLoadResult result;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Sluice rate limiting service. Every option can also be set by the environment variable named in\n"
        "brackets, or in the JSON file given with --config (keys in snake_case, e.g. \"listen_addr\",\n"
        "plus \"endpoints\": [rules]). Precedence: flag > environment > file > default."));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption configOption(QStringLiteral("config"), QStringLiteral("JSON config file [SLUICE_CONFIG]."),
                                          QStringLiteral("path"));
    parser.addOption(configOption);
    QList<QCommandLineOption> options;
    for (const Setting &s : kSettings) {
        options.append(QCommandLineOption(QString::fromLatin1(s.flag),
                                          QString::fromLatin1(s.help) + QStringLiteral(" [%1]").arg(QLatin1String(s.envVar)),
                                          QString::fromLatin1(s.valueName)));
        parser.addOption(options.last());
    }
    if (!parser.parse(arguments)) {
        result.errors.append(parser.errorText());
        return result;
    }
    if (parser.isSet(helpOption)) {
        result.outcome = ConfigLoadResult::Outcome::Help;
        result.text = parser.helpText();
        return result;
    }
    if (parser.isSet(versionOption)) {
        result.outcome = ConfigLoadResult::Outcome::Version;
        result.text = QStringLiteral("sluice-server %1\n").arg(QLatin1String(SLUICE_VERSION));
        return result;
    }
    if (!parser.positionalArguments().isEmpty())
        result.errors.append(QStringLiteral("unexpected arguments: %1").arg(parser.positionalArguments().join(QLatin1Char(' '))));

    ServiceConfig config = defaults();
    config.rulesFile = defaultRulesFile();
    const QString configFile = parser.isSet(configOption) ? parser.value(configOption)
                                                          : environment.value(QStringLiteral("SLUICE_CONFIG"));
    QJsonArray fileRules;
    if (!configFile.isEmpty())
        fileRules = loadJsonFile(config, configFile, &result.errors);
    for (qsizetype i = 0; i < qsizetype(std::size(kSettings)); ++i) {
        const Setting &s = kSettings[i];
        const QString env = QString::fromLatin1(s.envVar);
        if (environment.contains(env))
            applySetting(config, s, environment.value(env), env, &result.errors);
        if (parser.isSet(options.at(i)))
            applySetting(config, s, parser.value(options.at(i)), QLatin1String("--") + QLatin1String(s.flag), &result.errors);
    }
    parseRules(config, fileRules, configFile + QLatin1String(": endpoints"), &result.errors);
    validateRedis(config, &result.errors);
    if (auto e = validatePolicy(config.defaultPolicy()))
        result.errors.append(QStringLiteral("REQUEST_RATE_LIMIT: ") + e->section(QLatin1String(": "), 1));
    if (config.apiKeyRateLimit > 0) {
        RateLimitPolicy apiKeyPolicy = config.defaultPolicy();
        apiKeyPolicy.limit = config.apiKeyRateLimit;
        if (auto e = validatePolicy(apiKeyPolicy))
            result.errors.append(QStringLiteral("API_KEY_RATE_LIMIT: ") + e->section(QLatin1String(": "), 1));
    }

    if (result.errors.isEmpty()) {
        result.outcome = ConfigLoadResult::Outcome::Ok;
        result.config = config;
    }
    return result;
}

namespace ConfigParsing {

bool isIpLiteral(const QString &value)
{
    unsigned char buffer[16];
    int family = 0;
    return parseAddress(value, buffer, &family);
}

std::optional<QPair<QString, quint16>> parseHostPort(const QString &value, const QString &field, QStringList *errors)
{
    QString host;
    QString port;
    if (value.startsWith(QLatin1Char('['))) {
        const qsizetype close = value.indexOf(QLatin1String("]:"));
        if (close < 0) {
            errors->append(fieldError(field, QStringLiteral("expected [ipv6]:port, got \"%1\"").arg(value)));
            return std::nullopt;
        }
        host = value.mid(1, close - 1);
        port = value.mid(close + 2);
    } else {
        const qsizetype colon = value.lastIndexOf(QLatin1Char(':'));
        if (colon <= 0 || value.count(QLatin1Char(':')) != 1) {
            errors->append(fieldError(field, QStringLiteral("expected host:port, got \"%1\"").arg(value)));
            return std::nullopt;
        }
        host = value.left(colon);
        port = value.mid(colon + 1);
    }
    bool ok = false;
    const uint p = port.toUInt(&ok);
    if (!ok || p > 65535 || host.isEmpty()) {
        errors->append(fieldError(field, QStringLiteral("expected host:port with a port from 0 to 65535, got \"%1\"").arg(value)));
        return std::nullopt;
    }
    return qMakePair(host, quint16(p));
}

std::optional<qint64> parseDurationMs(const QString &value, const QString &field, qint64 minMs, qint64 maxMs, QStringList *errors)
{
    const QString v = value.trimmed().toLower();
    qsizetype digits = 0;
    while (digits < v.size() && v.at(digits).isDigit())
        ++digits;
    const QString unit = v.mid(digits).trimmed();
    bool ok = digits > 0;
    const qint64 n = v.left(digits).toLongLong(&ok);
    qint64 factor = 0;
    if (unit.isEmpty() || unit == QLatin1String("s"))
        factor = 1000;
    else if (unit == QLatin1String("ms"))
        factor = 1;
    else if (unit == QLatin1String("m"))
        factor = 60'000;
    else if (unit == QLatin1String("h"))
        factor = 3'600'000;
    if (!ok || factor == 0 || n > maxMs || n * factor < minMs || n * factor > maxMs) {
        errors->append(fieldError(field, QStringLiteral("must be a duration from %1 ms to %2 s (e.g. 30s, 500ms, 2m), got \"%3\"")
                                             .arg(minMs).arg(maxMs / 1000).arg(value)));
        return std::nullopt;
    }
    return n * factor;
}

std::optional<qint64> parseSize(const QString &value, const QString &field, qint64 min, qint64 max, QStringList *errors)
{
    QString v = value.trimmed().toLower();
    if (v.endsWith(QLatin1String("ib")))
        v.chop(2);
    else if (v.endsWith(QLatin1Char('b')))
        v.chop(1);
    qint64 factor = 1;
    if (v.endsWith(QLatin1Char('k')))
        factor = 1024;
    else if (v.endsWith(QLatin1Char('m')))
        factor = 1024 * 1024;
    else if (v.endsWith(QLatin1Char('g')))
        factor = 1024 * 1024 * 1024;
    if (factor != 1)
        v.chop(1);
    bool ok = false;
    const qint64 n = v.trimmed().toLongLong(&ok);
    if (!ok || n < 0 || n > max / factor || n * factor < min) {
        errors->append(fieldError(field, QStringLiteral("must be a size from %1 to %2 bytes (e.g. 10m, 512k), got \"%3\"")
                                             .arg(min).arg(max).arg(value)));
        return std::nullopt;
    }
    return n * factor;
}

std::optional<QStringList> parseCidrList(const QStringList &values, const QString &field, QStringList *errors)
{
    QStringList out;
    bool good = true;
    for (const QString &v : values) {
        const QString address = v.section(QLatin1Char('/'), 0, 0);
        unsigned char buffer[16];
        int family = 0;
        if (!parseAddress(address, buffer, &family)) {
            errors->append(fieldError(field, QStringLiteral("\"%1\" is not a CIDR (address/bits)").arg(v)));
            good = false;
            continue;
        }
        const int maxBits = family == AF_INET ? 32 : 128;
        int bits = maxBits;
        if (v.contains(QLatin1Char('/'))) {
            bool ok = false;
            bits = v.section(QLatin1Char('/'), 1).toInt(&ok);
            if (!ok || bits < 0 || bits > maxBits) {
                errors->append(fieldError(field, QStringLiteral("\"%1\": prefix length must be 0..%2").arg(v).arg(maxBits)));
                good = false;
                continue;
            }
        }
        out.append(address + QLatin1Char('/') + QString::number(bits));
    }
    if (!good)
        return std::nullopt;
    return out;
}

} // namespace ConfigParsing
