#include "fuzzentrypoints.h"

#include "adminapi.h"
#include "clientresolver.h"
#include "httprequestparser.h"
#include "ruletable.h"
#include "serviceconfig.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtGlobal>

#include <algorithm>

namespace {

QByteArray bytes(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

void check(bool condition, const char *what, const QByteArray &input)
{
    if (!condition)
        qFatal("fuzz invariant broken: %s (input %s)", what, input.toHex().left(400).constData());
}

const QTemporaryDir &scratchDir()
{
    static const QTemporaryDir dir;
    return dir;
}

void checkPolicyValid(const RateLimitPolicy &policy, const char *what, const QByteArray &input)
{
    check(!validatePolicy(policy).has_value() && policy.isValid(), what, input);
}

} // namespace

namespace FuzzEntryPoints {

void initialize(int *argc, char ***argv)
{
    static QCoreApplication app(*argc, *argv);
}

void serviceConfig(const uint8_t *data, size_t size)
{
    const QByteArray input = bytes(data, size);
    const QString path = scratchDir().filePath(QStringLiteral("config.json"));
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(path));
        file.write(input);
    }
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("XDG_DATA_HOME"), scratchDir().path());
    const ConfigLoadResult fromFile = ServiceConfig::load({QStringLiteral("sluice-server"), QStringLiteral("--config"), path},
                                                          environment);
    const auto checkLoaded = [&](const ConfigLoadResult &r) {
        check(r.outcome == ConfigLoadResult::Outcome::Ok || r.outcome == ConfigLoadResult::Outcome::Invalid,
              "load outcome is Ok or Invalid", input);
        if ((r.outcome == ConfigLoadResult::Outcome::Ok) != r.errors.isEmpty())
            qFatal("fuzz invariant broken: errors exactly when invalid (outcome %d, errors: %s) (input %s)", int(r.outcome),
                   qPrintable(r.errors.join(QLatin1String("; "))), input.toHex().left(400).constData());
        if (r.outcome != ConfigLoadResult::Outcome::Ok)
            return;
        checkPolicyValid(r.config.defaultPolicy(), "default policy valid", input);
        for (const EndpointLimitRule &rule : r.config.endpointRules) {
            checkPolicyValid(rule.policy, "endpoint policy valid", input);
            check(!validateRuleTarget(rule.endpoint, rule.method).has_value(), "endpoint target valid", input);
        }
        check(r.config.limits.maxBodyBytes >= 0 && r.config.limits.maxHeaderBytes > 0 && r.config.limits.maxHeaderCount > 0
                  && r.config.limits.requestTimeoutMs > 0 && r.config.limits.maxConnections > 0,
              "HTTP limits positive", input);
    };
    checkLoaded(fromFile);

    // The same bytes as environment values (one line per known variable) and as helper inputs.
    static const char *const variables[] = {"LISTEN_ADDR", "REQUEST_RATE_LIMIT", "DEFAULT_ALGORITHM", "REDIS_ADDR",
                                            "REDIS_DB", "UPSTREAM_URL", "TRUSTED_PROXIES", "RATELIMIT_HEADERS",
                                            "KEY_PREFIX", "THREADS", "MAX_BODY_SIZE", "MAX_HEADER_SIZE", "MAX_HEADERS",
                                            "REQUEST_TIMEOUT", "IDLE_TIMEOUT", "MAX_CONNECTIONS", "UPSTREAM_TIMEOUT"};
    const QList<QByteArray> lines = input.split('\n');
    QProcessEnvironment byLine;
    byLine.insert(QStringLiteral("XDG_DATA_HOME"), scratchDir().path());
    for (qsizetype i = 0; i < lines.size() && i < qsizetype(std::size(variables)); ++i)
        byLine.insert(QString::fromLatin1(variables[i]), QString::fromUtf8(lines.at(i)));
    checkLoaded(ServiceConfig::load({QStringLiteral("sluice-server")}, byLine));

    for (const QByteArray &line : lines) {
        const QString value = QString::fromUtf8(line);
        QStringList errors;
        if (const auto ms = ConfigParsing::parseDurationMs(value, QStringLiteral("d"), 1, 86'400'000, &errors))
            check(*ms >= 1 && *ms <= 86'400'000, "duration in range", input);
        if (const auto n = ConfigParsing::parseSize(value, QStringLiteral("s"), 0, qint64(1) << 40, &errors))
            check(*n >= 0 && *n <= (qint64(1) << 40), "size in range", input);
        // A host name is fine here (REDIS_ADDR); LISTEN_ADDR checks for an IP literal on top.
        if (const auto hp = ConfigParsing::parseHostPort(value, QStringLiteral("h"), &errors))
            check(!hp->first.isEmpty(), "host:port has a host", input);
        if (const auto cidrs = ConfigParsing::parseCidrList(value.split(QLatin1Char(',')), QStringLiteral("c"), &errors)) {
            for (const QString &cidr : *cidrs)
                check(cidr.contains(QLatin1Char('/')), "CIDR normalised to addr/bits", input);
        }
    }
}

void adminJson(const uint8_t *data, size_t size)
{
    const QByteArray input = bytes(data, size);
    const QJsonDocument document = QJsonDocument::fromJson(input);
    QList<QJsonObject> objects;
    if (document.isObject())
        objects.append(document.object());
    else if (document.isArray()) {
        for (const QJsonValue &v : document.array())
            objects.append(v.toObject());
    }
    for (const QJsonObject &object : objects) {
        for (Algorithm algorithm : {Algorithm::SlidingLog, Algorithm::SlidingWindowCounter, Algorithm::TokenBucket}) {
            QStringList errors;
            const std::optional<EndpointLimitRule> rule = EndpointLimitRule::fromJson(object, algorithm, &errors);
            check(rule.has_value() == errors.isEmpty(), "rule xor errors", input);
            if (!rule)
                continue;
            checkPolicyValid(rule->policy, "accepted rule has a valid policy", input);
            check(!validateRuleTarget(rule->endpoint, rule->method).has_value(), "accepted rule has a valid target", input);
            // The stored form reads back to the same rule: what the service persists, it can reload.
            QStringList again;
            const std::optional<EndpointLimitRule> reread = EndpointLimitRule::fromJson(rule->toJson(), algorithm, &again);
            check(reread.has_value() && *reread == *rule, "toJson() round-trips through fromJson()", input);
        }
        // The console's readers of every admin answer: must accept anything without crashing.
        AdminApi::CurrentRate::fromJson(object);
        AdminApi::InstanceInfo::fromJson(object);
        AdminApi::Stats::fromJson(object);
        AdminApi::RedisStatus::fromJson(object);
        AdminApi::EndpointRule::fromJson(object);
        AdminApi::Config::fromJson(object);
        AdminApi::HistoryEntry::fromJson(object);
        AdminApi::Error::fromJson(object);
    }
}

void clientIdentity(const uint8_t *data, size_t size)
{
    const QByteArray input = bytes(data, size);
    QList<QByteArray> parts = input.split('\n');
    while (parts.size() < 7)
        parts.append(QByteArray());
    static const ClientResolver resolver({QStringLiteral("127.0.0.0/8"), QStringLiteral("10.0.0.0/8"),
                                          QStringLiteral("::1/128"), QStringLiteral("fd00::/8")});
    QHostAddress peer;
    if (!peer.setAddress(QString::fromLatin1(parts.at(0))))
        peer = QHostAddress(QStringLiteral("10.1.2.3"));
    const ClientIdentity identity = resolver.resolve(peer, parts.at(3), parts.at(4), parts.at(1), parts.at(2));
    check(!identity.id.isEmpty(), "identity has an id", input);
    const QByteArray key = ClientResolver::apiKeyFrom(parts.at(3), parts.at(4));
    if (identity.kind == ClientIdentity::Kind::ApiKey) {
        static const QRegularExpression hex16(QStringLiteral("^[0-9a-f]{16}$"));
        check(hex16.match(QString::fromLatin1(identity.id)).hasMatch(), "API key id is 16 hex chars", input);
        check(!identity.storageSuffix().contains(key) || key.size() <= 16, "raw API key not in the storage key", input);
    } else {
        check(!identity.address.isNull(), "IP client has an address", input);
    }
    // An untrusted peer is the client, whatever it writes into the forwarding headers.
    const QHostAddress outsider(QStringLiteral("203.0.113.9"));
    check(resolver.clientAddress(outsider, parts.at(1), parts.at(2)) == outsider, "untrusted peer cannot choose its IP", input);

    const QString path = RuleTable::normalisePath(parts.at(5));
    check(path.startsWith(QLatin1Char('/')), "normalised path starts with /", input);
    check(!path.contains(QLatin1String("//")), "normalised path has no empty segment", input);
    for (const QString &segment : path.split(QLatin1Char('/')))
        check(segment != QLatin1String(".") && segment != QLatin1String(".."), "normalised path has no dot segment", input);

    EndpointLimitRule exact{QStringLiteral("/v1/chat"), QByteArray(), RateLimitPolicy{Algorithm::SlidingLog, 5, 1000, 0}};
    EndpointLimitRule prefix{QStringLiteral("/v1/images/*"), QByteArrayLiteral("POST"),
                             RateLimitPolicy{Algorithm::TokenBucket, 5, 1000, 10}};
    static const RuleTable table(RateLimitPolicy{Algorithm::SlidingLog, 60, 60'000, 0}, {exact, prefix});
    const RuleTable::Match match = table.match(parts.at(6).left(16), path);
    check(match.policy.isValid(), "matched policy valid", input);
    if (path == QLatin1String("/v1/chat"))
        check(match.rule != nullptr, "exact rule matches its normalised path", input);
}

void httpParser(const uint8_t *data, size_t size)
{
    if (size == 0)
        return;
    const QByteArray input = bytes(data, size);
    // Small limits so the limit paths (413/414/431) are reached by short inputs too.
    static const HttpLimits limits = [] {
        HttpLimits l;
        l.maxBodyBytes = 64;
        l.maxHeaderBytes = 256;
        l.maxHeaderCount = 8;
        return l;
    }();
    const qsizetype slice = qsizetype(data[0] % 16) + 1;
    HttpRequestParser parser(limits);
    QByteArray buffer;
    qsizetype pos = 0;
    qsizetype fed = 1;
    bool stopped = false; // an error or Connection: close: the connection reads no further request
    while (fed < input.size() && !stopped) {
        const qsizetype n = qMin(slice, input.size() - fed);
        // Like HttpConnection: append what arrived, parse, drop what was consumed.
        buffer.append(input.constData() + fed, n);
        fed += n;
        for (;;) {
            const HttpRequestParser::Status status = parser.parse(buffer, &pos);
            check(pos >= 0 && pos <= buffer.size(), "parse position inside the buffer", input);
            if (status == HttpRequestParser::Status::NeedMore)
                break;
            if (status == HttpRequestParser::Status::Error) {
                const int code = parser.errorStatus();
                check(code >= 400 && code <= 505, "error is a 4xx/5xx status", input);
                check(!parser.errorMessage().isEmpty(), "error has a message", input);
                stopped = true;
                break;
            }
            if (status == HttpRequestParser::Status::HeadComplete)
                continue;
            const HttpRequest request = parser.takeRequest();
            check(!request.method.isEmpty() && !request.target.isEmpty(), "request has method and target", input);
            check(request.body.size() <= limits.maxBodyBytes, "body within the limit", input);
            check(request.headers.size() <= limits.maxHeaderCount, "header count within the limit", input);
            const auto hosts = std::count_if(request.headers.cbegin(), request.headers.cend(), [](const auto &h) {
                return h.first.compare("host", Qt::CaseInsensitive) == 0;
            });
            check(hosts == 1 || (hosts == 0 && request.minorVersion == 0), "one Host (none only in HTTP/1.0)", input);
            request.query();
            RuleTable::normalisePath(request.path().toByteArray());
            if (!request.keepAlive) {
                stopped = true;
                break;
            }
        }
        if (pos == buffer.size()) {
            buffer.clear();
            pos = 0;
        } else if (pos > 0) {
            buffer.remove(0, pos);
            pos = 0;
        }
        // Bytes kept between reads stay bounded by the limits (and the parser's 1 KiB cap on a chunk-size
        // line): the parser must not buffer without end.
        if (buffer.size() > limits.maxHeaderBytes + limits.maxBodyBytes + 1024 + 2 * slice + 64)
            qFatal("fuzz invariant broken: unconsumed bytes bounded (%lld bytes kept: %s) (input %s)", qlonglong(buffer.size()),
                   buffer.left(80).toHex().constData(), input.toHex().left(400).constData());
    }
}

} // namespace FuzzEntryPoints
