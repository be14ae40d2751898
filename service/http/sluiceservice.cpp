#include "sluiceservice.h"

#include "adminapi.h"
#include "apierror.h"
#include "clientresolver.h"
#include "memoryratelimitstore.h"
#include "metrics.h"
#include "ratelimitheaders.h"
#include "rulebook.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPointer>
#include <QSaveFile>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>
#include <QtHttpServer/QHttpServer>
#include <QtHttpServer/QHttpServerRequest>
#include <QtHttpServer/QHttpServerResponder>
#include <QtHttpServer/QHttpServerResponse>

Q_LOGGING_CATEGORY(lcHttp, "sluice.http")
Q_LOGGING_CATEGORY(lcConfig, "sluice.config")

namespace {

using Method = QHttpServerRequest::Method;
using Status = QHttpServerResponder::StatusCode;

constexpr qsizetype kMaxAdminBody = 64 * 1024;
constexpr int kDefaultStatsLimit = 100;
constexpr int kMaxStatsLimit = 1000;
constexpr qint64 kMaxCost = 100'000'000;

const QByteArray kJson = QByteArrayLiteral("application/json");

QByteArray methodName(Method method)
{
    switch (method) {
    case Method::Get:
        return QByteArrayLiteral("GET");
    case Method::Put:
        return QByteArrayLiteral("PUT");
    case Method::Delete:
        return QByteArrayLiteral("DELETE");
    case Method::Post:
        return QByteArrayLiteral("POST");
    case Method::Head:
        return QByteArrayLiteral("HEAD");
    case Method::Options:
        return QByteArrayLiteral("OPTIONS");
    case Method::Patch:
        return QByteArrayLiteral("PATCH");
    case Method::Connect:
        return QByteArrayLiteral("CONNECT");
    case Method::Trace:
        return QByteArrayLiteral("TRACE");
    default:
        return QByteArrayLiteral("UNKNOWN");
    }
}

QHttpServerResponse jsonResponse(const QJsonObject &object, Status status = Status::Ok)
{
    return QHttpServerResponse(kJson, QJsonDocument(object).toJson(QJsonDocument::Compact), status);
}

QString describe(const EndpointLimitRule &rule)
{
    return QStringLiteral("%1 %2 -> %3/%4s %5")
        .arg(rule.method.isEmpty() ? QStringLiteral("*") : QString::fromLatin1(rule.method), rule.endpoint)
        .arg(rule.policy.limit)
        .arg(rule.policy.windowMs / 1000)
        .arg(algorithmName(rule.policy.algorithm));
}

// Splits a storage key (after the prefix) into strategy, endpoint and client for stats.
AdminApi::CurrentRate describeKey(const QByteArray &key, const QByteArray &prefix)
{
    AdminApi::CurrentRate rate;
    rate.key = QString::fromUtf8(key);
    QByteArray rest = key.startsWith(prefix) ? key.mid(prefix.size()) : key;
    if (rest.startsWith("endpoint:")) {
        rest = rest.mid(9);
        rate.strategy = QStringLiteral("endpoint");
        // The client part is "ip:<ip>" or "api_key:<id>"; neither an IP nor a hex id contains "ip:".
        qsizetype cut = rest.lastIndexOf(":api_key:");
        if (cut < 0)
            cut = rest.lastIndexOf(":ip:");
        if (cut >= 0) {
            rate.endpoint = QString::fromUtf8(rest.left(cut));
            rest = rest.mid(cut + 1);
        }
    }
    if (rest.startsWith("ip:")) {
        if (rate.strategy.isEmpty())
            rate.strategy = QStringLiteral("ip");
        rate.client = QString::fromUtf8(rest.mid(3));
    } else if (rest.startsWith("api_key:")) {
        if (rate.strategy.isEmpty())
            rate.strategy = QStringLiteral("api_key");
        rate.client = QString::fromUtf8(rest.mid(8));
    }
    return rate;
}

} // namespace

// A responder waiting for a store: holds the socket guard (QHttpServer 6.4 keeps a raw socket pointer
// in the responder, so writing after the client left would crash) and counts as in-flight until done.
class SluiceService::PendingReply
{
public:
    PendingReply(SluiceService *service, QHttpServerResponder &&responder)
        : m_service(service), m_socket(responder.socket()), m_responder(std::move(responder))
    {
        ++service->m_pending;
    }
    ~PendingReply()
    {
        // A store must call every handler; if one did not, the client still gets an answer.
        if (!m_sent)
            send(errorResponse(ApiErrorKind::StoreUnavailable, QStringLiteral("the store gave no answer")));
        if (m_service)
            m_service->requestFinished();
    }
    PendingReply(const PendingReply &) = delete;
    PendingReply &operator=(const PendingReply &) = delete;

    void send(QHttpServerResponse &&response)
    {
        if (m_sent)
            return;
        m_sent = true;
        if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
            return;
        response.write(std::move(m_responder));
    }

private:
    QPointer<SluiceService> m_service;
    QPointer<QTcpSocket> m_socket;
    QHttpServerResponder m_responder;
    bool m_sent = false;
};

SluiceService::SluiceService(ServiceConfig config, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_ownClock(std::make_unique<SystemClock>()), m_clock(*m_ownClock)
{
    for (const QByteArray &key : m_config.adminKeys)
        m_adminKeyHashes.append(QCryptographicHash::hash(key, QCryptographicHash::Sha256));
}

SluiceService::SluiceService(ServiceConfig config, const Clock &clock, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_clock(clock)
{
    for (const QByteArray &key : m_config.adminKeys)
        m_adminKeyHashes.append(QCryptographicHash::hash(key, QCryptographicHash::Sha256));
}

SluiceService::~SluiceService() = default;

StoreMode SluiceService::storeMode() const
{
    return m_store ? m_store->mode() : StoreMode::Memory;
}

quint16 SluiceService::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

QUrl SluiceService::baseUrl() const
{
    const QHostAddress host(m_config.listenHost);
    const bool wildcard = host == QHostAddress::AnyIPv4 || host == QHostAddress::AnyIPv6 || host == QHostAddress::Any;
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(wildcard ? QStringLiteral("127.0.0.1") : m_config.listenHost);
    url.setPort(port());
    return url;
}

bool SluiceService::start(QString *errorMessage)
{
    m_clients = std::make_unique<ClientResolver>(m_config.trustedProxies);
    m_rules = std::make_unique<RuleBook>(m_config.defaultPolicy(), m_config.endpointRules);
    if (!m_config.rulesFile.isEmpty() && QFile::exists(m_config.rulesFile)) {
        QFile file(m_config.rulesFile);
        QString error;
        QJsonParseError parseError;
        if (!file.open(QIODevice::ReadOnly)) {
            error = file.errorString();
        } else {
            const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
            if (parseError.error != QJsonParseError::NoError)
                error = parseError.errorString();
            else
                m_rules->loadJson(doc.object(), &error);
        }
        if (!error.isEmpty()) {
            *errorMessage = QStringLiteral("rules file %1 is unusable: %2").arg(m_config.rulesFile, error);
            return false;
        }
        qCInfo(lcConfig).noquote() << "loaded" << m_rules->rules().size() << "endpoint rules from" << m_config.rulesFile;
    }

    m_memoryStore = std::make_unique<MemoryRateLimitStore>(m_clock);
    m_store = m_memoryStore.get();
    auto *sweeper = new QTimer(this);
    connect(sweeper, &QTimer::timeout, this, [this] { m_memoryStore->sweep(4096); });
    sweeper->start(1000);

    m_http = new QHttpServer(this);
    setUpRoutes();
    m_tcp = new QTcpServer(this);
    if (!m_tcp->listen(QHostAddress(m_config.listenHost), m_config.listenPort)) {
        *errorMessage = QStringLiteral("cannot listen on %1: %2").arg(m_config.listenAddr(), m_tcp->errorString());
        delete m_tcp;
        m_tcp = nullptr;
        return false;
    }
    m_http->bind(m_tcp);
    qCInfo(lcHttp).noquote() << QStringLiteral("sluice %1 listening on %2, store %3, default %4/min %5, %6 endpoint rules, admin API %7")
                                    .arg(QLatin1String(SLUICE_VERSION), baseUrl().toString(),
                                         QString::fromLatin1(storeModeName(storeMode())))
                                    .arg(m_rules->defaultPolicy().limit)
                                    .arg(algorithmName(m_rules->defaultPolicy().algorithm))
                                    .arg(m_rules->rules().size())
                                    .arg(m_adminKeyHashes.isEmpty() ? QStringLiteral("disabled") : QStringLiteral("enabled"));
    return true;
}

void SluiceService::stop()
{
    m_stopping = true;
    if (m_tcp)
        m_tcp->close();
    if (m_pending == 0)
        QMetaObject::invokeMethod(this, &SluiceService::drained, Qt::QueuedConnection);
}

void SluiceService::requestFinished()
{
    --m_pending;
    if (m_stopping && m_pending == 0)
        emit drained();
}

void SluiceService::setUpRoutes()
{
    const auto deferred = [this](void (SluiceService::*handler)(const QHttpServerRequest &, QHttpServerResponder &&)) {
        return [this, handler](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            (this->*handler)(request, std::move(responder));
        };
    };
    m_http->route(QStringLiteral("/health"), Method::Get, [this] { return health(); });
    m_http->route(QStringLiteral("/metrics"), Method::Get, [this] { return metrics(); });
    m_http->route(QStringLiteral("/v1/ratelimit/check"), Method::Get | Method::Post, deferred(&SluiceService::handleCheck));
    m_http->route(QStringLiteral("/admin/rate-limit/stats"), Method::Get, deferred(&SluiceService::handleStats));
    m_http->route(QStringLiteral("/admin/rate-limit/clear"), Method::Post, deferred(&SluiceService::handleClear));
    m_http->route(QStringLiteral("/admin/rate-limit/config"), Method::Put, deferred(&SluiceService::handlePutRule));
    m_http->route(QStringLiteral("/admin/rate-limit/config"), Method::Delete, deferred(&SluiceService::handleDeleteRule));
    m_http->route(QStringLiteral("/admin/redis/status"), Method::Get, deferred(&SluiceService::handleRedisStatus));
    m_http->route(QStringLiteral("/admin/config"), Method::Get, deferred(&SluiceService::handleConfig));
    m_http->route(QStringLiteral("/admin/config/history"), Method::Get, deferred(&SluiceService::handleHistory));
    m_http->setMissingHandler([](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        static const QStringList known{QStringLiteral("/health"), QStringLiteral("/metrics"),
                                       QStringLiteral("/v1/ratelimit/check"), QStringLiteral("/admin/rate-limit/stats"),
                                       QStringLiteral("/admin/rate-limit/clear"), QStringLiteral("/admin/rate-limit/config"),
                                       QStringLiteral("/admin/redis/status"), QStringLiteral("/admin/config"),
                                       QStringLiteral("/admin/config/history")};
        const QString path = request.url().path();
        if (known.contains(path))
            errorResponse(ApiErrorKind::MethodNotAllowed,
                          QStringLiteral("%1 does not accept %2").arg(path, QString::fromLatin1(methodName(request.method()))))
                .write(std::move(responder));
        else
            errorResponse(ApiErrorKind::NotFound, QStringLiteral("no such endpoint: %1").arg(path)).write(std::move(responder));
    });
}

bool SluiceService::authorizeAdmin(const QHttpServerRequest &request, QString *keyId, QHttpServerResponder &responder)
{
    if (m_adminKeyHashes.isEmpty()) {
        errorResponse(ApiErrorKind::AdminDisabled, QStringLiteral("the admin API is disabled: set ADMIN_KEY to enable it"))
            .write(std::move(responder));
        return false;
    }
    const QByteArray given = request.value("X-Admin-Key");
    const QByteArray givenHash = QCryptographicHash::hash(given, QCryptographicHash::Sha256);
    // Compare against every key, always all 32 bytes, so timing reveals neither which key nor how much matched.
    bool match = false;
    for (const QByteArray &hash : m_adminKeyHashes) {
        unsigned char diff = 0;
        for (int i = 0; i < hash.size(); ++i)
            diff |= static_cast<unsigned char>(hash.at(i) ^ givenHash.at(i));
        match |= (diff == 0);
    }
    if (given.isEmpty() || !match) {
        errorResponse(ApiErrorKind::Unauthorized, given.isEmpty() ? QStringLiteral("missing X-Admin-Key header")
                                                                  : QStringLiteral("invalid X-Admin-Key"))
            .write(std::move(responder));
        return false;
    }
    *keyId = QString::fromLatin1(ClientResolver::keyId(given));
    return true;
}

void SluiceService::handleCheck(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    QElapsedTimer timer;
    timer.start();
    // Everything needed is copied now: QHttpServer 6.4 reuses `request` for the connection's next request.
    const QHostAddress peer = ClientResolver::normalise(request.remoteAddress());
    QByteArray method = methodName(request.method());
    QByteArray target = request.url().path(QUrl::FullyEncoded).toUtf8();
    if (m_clients->isTrusted(peer)) {
        // The original request as described by ForwardAuth / ext_authz (X-Forwarded-*) or nginx auth_request (X-Original-*).
        QByteArray uri = request.value("X-Forwarded-Uri");
        if (uri.isEmpty())
            uri = request.value("X-Original-URI");
        QByteArray originalMethod = request.value("X-Forwarded-Method");
        if (originalMethod.isEmpty())
            originalMethod = request.value("X-Original-Method");
        if (!uri.isEmpty()) {
            target = uri;
            method = originalMethod.isEmpty() ? QByteArrayLiteral("GET") : originalMethod.trimmed().toUpper();
        }
    }
    const ClientIdentity client = m_clients->resolve(peer, request.value("Authorization"), request.value("X-API-Key"),
                                                     request.value("X-Forwarded-For"), request.value("X-Real-IP"));
    qint64 cost = 1;
    const QByteArray costHeader = request.value("X-RateLimit-Cost");
    if (!costHeader.isEmpty()) {
        bool ok = false;
        cost = costHeader.trimmed().toLongLong(&ok);
        if (!ok || cost < 1 || cost > kMaxCost) {
            errorResponse(ApiErrorKind::InvalidRequest,
                          QStringLiteral("X-RateLimit-Cost: must be an integer between 1 and %1").arg(kMaxCost))
                .write(std::move(responder));
            return;
        }
    }

    const RuleTable::Match match = m_rules->table()->match(method, RuleTable::normalisePath(target));
    const QByteArray key = m_config.keyPrefix + match.keyPart + client.storageSuffix();
    const Strategy strategy = match.rule ? Strategy::Endpoint
                                         : client.kind == ClientIdentity::Kind::ApiKey ? Strategy::ApiKey : Strategy::Ip;
    const QByteArray policyName = match.rule ? QByteArrayLiteral("endpoint") : QByteArrayLiteral("default");
    const DraftHeaders draft = m_config.rateLimitHeaders ? DraftHeaders::On : DraftHeaders::Off;
    auto reply = std::make_shared<PendingReply>(this, std::move(responder));
    QPointer<SluiceService> self(this);
    m_store->acquire(key, match.policy, cost,
                     [self, reply, timer, strategy, policy = match.policy, policyName, draft](const Decision &d) {
        if (!self)
            return;
        self->m_stats.recordDecision(strategy, d.allowed ? DecisionOutcome::Allowed : DecisionOutcome::Blocked,
                                     timer.nsecsElapsed() / 1000);
        QHttpServerResponse response = [&] {
            if (d.allowed) {
                return QHttpServerResponse(kJson, QByteArrayLiteral("{\"status\":\"allowed\",\"limit\":") + QByteArray::number(d.limit)
                                                      + ",\"remaining\":" + QByteArray::number(d.remaining)
                                                      + ",\"reset\":" + QByteArray::number(resetEpochSeconds(d)) + '}');
            }
            if (d.impossible)
                return errorResponse(ApiErrorKind::CostExceedsLimit,
                                     QStringLiteral("request cost exceeds the limit of %1; it can never be admitted").arg(d.limit));
            return errorResponse(ApiErrorKind::RateLimited,
                                 QStringLiteral("Rate limit exceeded: %1 requests per %2 s").arg(d.limit).arg(policy.windowMs / 1000),
                                 retryAfterSeconds(d));
        }();
        addRateLimitHeaders(response, d, policy, policyName, draft);
        reply->send(std::move(response));
    });
}

void SluiceService::handleStats(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    QString keyId;
    if (!authorizeAdmin(request, &keyId, responder))
        return;
    const QUrlQuery query = request.query();
    int limit = kDefaultStatsLimit;
    if (query.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        limit = query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        if (!ok || limit < 0 || limit > kMaxStatsLimit) {
            errorResponse(ApiErrorKind::InvalidRequest, QStringLiteral("limit: must be an integer between 0 and %1").arg(kMaxStatsLimit))
                .write(std::move(responder));
            return;
        }
    }
    if (query.hasQueryItem(QStringLiteral("sort")) && query.queryItemValue(QStringLiteral("sort")) != QLatin1String("usage")) {
        errorResponse(ApiErrorKind::InvalidRequest, QStringLiteral("sort: only \"usage\" is supported")).write(std::move(responder));
        return;
    }
    auto reply = std::make_shared<PendingReply>(this, std::move(responder));
    QPointer<SluiceService> self(this);
    m_store->topKeys(limit, [self, reply](const QList<KeyUsage> &usages) {
        if (!self)
            return;
        const ServiceStats::Snapshot snap = self->m_stats.snapshot();
        AdminApi::Stats stats;
        stats.totalRequests = snap.totalRequests();
        stats.blockedRequests = snap.blockedRequests();
        for (const KeyUsage &u : usages) {
            AdminApi::CurrentRate rate = describeKey(u.key, self->m_config.keyPrefix);
            rate.currentCount = u.count;
            rate.limit = u.policy.algorithm == Algorithm::TokenBucket ? u.policy.effectiveBurst() : u.policy.limit;
            rate.windowSeconds = u.policy.windowMs / 1000;
            rate.window = AdminApi::formatWindow(rate.windowSeconds);
            rate.resetTime = (u.resetAtMs + 999) / 1000;
            rate.algorithm = algorithmName(u.policy.algorithm);
            stats.currentRates.append(rate);
        }
        stats.redisConnected = self->storeMode() == StoreMode::Redis;
        stats.lastUpdate = QDateTime::fromMSecsSinceEpoch(self->m_clock.nowMs(), Qt::UTC);
        stats.mode = QString::fromLatin1(storeModeName(self->storeMode()));
        stats.trackedKeys = self->m_memoryStore->trackedKeys();
        stats.decisionLatencyP50Us = snap.latencyQuantileUs(0.50);
        stats.decisionLatencyP99Us = snap.latencyQuantileUs(0.99);
        reply->send(jsonResponse(stats.toJson()));
    });
}

void SluiceService::handleClear(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    QString keyId;
    if (!authorizeAdmin(request, &keyId, responder))
        return;
    const QByteArray key = request.query().queryItemValue(QStringLiteral("key"), QUrl::FullyDecoded).toUtf8();
    if (key.isEmpty() || !key.startsWith(m_config.keyPrefix) || key.size() == m_config.keyPrefix.size()) {
        errorResponse(ApiErrorKind::InvalidRequest,
                      QStringLiteral("key: required, a storage key starting with \"%1\"").arg(QString::fromUtf8(m_config.keyPrefix)))
            .write(std::move(responder));
        return;
    }
    auto reply = std::make_shared<PendingReply>(this, std::move(responder));
    QPointer<SluiceService> self(this);
    m_store->clear(key, [self, reply, key, keyId](bool existed) {
        if (!self)
            return;
        qCInfo(lcConfig).noquote() << "cleared" << key << (existed ? "(existed)" : "(was not tracked)") << "by admin key" << keyId;
        reply->send(jsonResponse({{QStringLiteral("status"), QStringLiteral("success")},
                                  {QStringLiteral("message"), QStringLiteral("Rate limit cleared")},
                                  {QStringLiteral("key"), QString::fromUtf8(key)},
                                  {QStringLiteral("existed"), existed}}));
    });
}

bool SluiceService::persistRules(QString *error)
{
    if (m_config.rulesFile.isEmpty())
        return true;
    QDir().mkpath(QFileInfo(m_config.rulesFile).absolutePath());
    QSaveFile file(m_config.rulesFile);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = file.errorString();
        return false;
    }
    file.write(QJsonDocument(m_rules->toJson()).toJson());
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

void SluiceService::handlePutRule(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    QString keyId;
    if (!authorizeAdmin(request, &keyId, responder))
        return;
    const QByteArray body = request.body();
    if (body.size() > kMaxAdminBody) {
        errorResponse(ApiErrorKind::PayloadTooLarge, QStringLiteral("body larger than %1 bytes").arg(kMaxAdminBody))
            .write(std::move(responder));
        return;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        errorResponse(ApiErrorKind::InvalidRequest,
                      parseError.error != QJsonParseError::NoError
                          ? QStringLiteral("body: malformed JSON (%1 at offset %2)").arg(parseError.errorString()).arg(parseError.offset)
                          : QStringLiteral("body: must be a JSON object"))
            .write(std::move(responder));
        return;
    }
    QJsonObject object = doc.object();
    // "endpoint": "default" changes the default rule; it is validated like any rule but has no path.
    const bool isDefault = object.value(QStringLiteral("endpoint")) == QLatin1String("default");
    if (isDefault) {
        if (object.contains(QStringLiteral("method"))) {
            errorResponse(ApiErrorKind::InvalidRequest, QStringLiteral("method: the default rule applies to every method"))
                .write(std::move(responder));
            return;
        }
        object.insert(QStringLiteral("endpoint"), QStringLiteral("/"));
    }
    QStringList errors;
    const auto rule = EndpointLimitRule::fromJson(object, m_rules->defaultPolicy().algorithm, &errors);
    if (!rule) {
        errorResponse(ApiErrorKind::InvalidRequest, errors.join(QStringLiteral("; "))).write(std::move(responder));
        return;
    }
    const QJsonObject before = m_rules->toJson();
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(m_clock.nowMs(), Qt::UTC);
    if (isDefault)
        m_rules->setDefaultPolicy(rule->policy, keyId, now);
    else
        m_rules->setRule(*rule, keyId, now);
    QString error;
    if (!persistRules(&error)) {
        QString ignored;
        m_rules->loadJson(before, &ignored);
        qCWarning(lcConfig).noquote() << "rule change rejected, cannot save" << m_config.rulesFile << ":" << error;
        errorResponse(ApiErrorKind::StoreUnavailable, QStringLiteral("could not save the rules: %1").arg(error))
            .write(std::move(responder));
        return;
    }
    m_stats.recordConfigUpdate();
    qCInfo(lcConfig).noquote() << "config change:" << (isDefault ? QStringLiteral("default") : QStringLiteral("set"))
                               << describe(*rule) << "by admin key" << keyId;
    QJsonObject answer{{QStringLiteral("status"), QStringLiteral("success")},
                       {QStringLiteral("message"), QStringLiteral("Rate limit configuration updated")},
                       {QStringLiteral("endpoint"), isDefault ? QStringLiteral("default") : rule->endpoint},
                       {QStringLiteral("requests"), rule->policy.limit},
                       {QStringLiteral("window_seconds"), rule->policy.windowMs / 1000},
                       {QStringLiteral("algorithm"), algorithmName(rule->policy.algorithm)}};
    if (!rule->method.isEmpty())
        answer.insert(QStringLiteral("method"), QString::fromLatin1(rule->method));
    if (rule->policy.burst > 0)
        answer.insert(QStringLiteral("burst"), rule->policy.burst);
    jsonResponse(answer).write(std::move(responder));
}

void SluiceService::handleDeleteRule(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    QString keyId;
    if (!authorizeAdmin(request, &keyId, responder))
        return;
    const QUrlQuery query = request.query();
    const QString endpoint = query.queryItemValue(QStringLiteral("endpoint"), QUrl::FullyDecoded);
    const QByteArray method = query.queryItemValue(QStringLiteral("method"), QUrl::FullyDecoded).toUpper().toLatin1();
    if (auto e = validateRuleTarget(endpoint, method)) {
        errorResponse(ApiErrorKind::InvalidRequest, *e).write(std::move(responder));
        return;
    }
    const QJsonObject before = m_rules->toJson();
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(m_clock.nowMs(), Qt::UTC);
    if (!m_rules->removeRule(endpoint, method, keyId, now)) {
        errorResponse(ApiErrorKind::NotFound, QStringLiteral("endpoint: no rule for %1%2")
                                                  .arg(method.isEmpty() ? QString() : QString::fromLatin1(method) + QLatin1Char(' '), endpoint))
            .write(std::move(responder));
        return;
    }
    QString error;
    if (!persistRules(&error)) {
        QString ignored;
        m_rules->loadJson(before, &ignored);
        errorResponse(ApiErrorKind::StoreUnavailable, QStringLiteral("could not save the rules: %1").arg(error))
            .write(std::move(responder));
        return;
    }
    m_stats.recordConfigUpdate();
    qCInfo(lcConfig).noquote() << "config change: delete" << (method.isEmpty() ? QByteArrayLiteral("*") : method) << endpoint
                               << "by admin key" << keyId;
    QJsonObject answer{{QStringLiteral("status"), QStringLiteral("success")},
                       {QStringLiteral("message"), QStringLiteral("Rate limit rule deleted")},
                       {QStringLiteral("endpoint"), endpoint}};
    if (!method.isEmpty())
        answer.insert(QStringLiteral("method"), QString::fromLatin1(method));
    jsonResponse(answer).write(std::move(responder));
}

void SluiceService::handleRedisStatus(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    QString keyId;
    if (!authorizeAdmin(request, &keyId, responder))
        return;
    AdminApi::RedisStatus status;
    status.enabled = !m_config.redisAddr.isEmpty();
    status.connected = storeMode() == StoreMode::Redis;
    status.addr = m_config.redisAddr;
    status.db = m_config.redisDb;
    status.poolSize = status.enabled ? 1 : 0;
    status.mode = QString::fromLatin1(storeModeName(storeMode()));
    status.errorsTotal = m_stats.snapshot().storeErrors;
    jsonResponse(status.toJson()).write(std::move(responder));
}

void SluiceService::handleConfig(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    QString keyId;
    if (!authorizeAdmin(request, &keyId, responder))
        return;
    AdminApi::Config config;
    const RateLimitPolicy def = m_rules->defaultPolicy();
    config.requestRateLimit = def.limit;
    config.windowSeconds = def.windowMs / 1000;
    config.defaultAlgorithm = algorithmName(def.algorithm);
    for (const EndpointLimitRule &rule : m_rules->rules())
        config.endpoints.append(RuleBook::toApi(rule));
    config.listenAddr = m_config.listenAddr();
    config.upstreamUrl = m_config.upstreamUrl.toString(QUrl::RemoveUserInfo);
    config.trustedProxies = m_config.trustedProxies;
    config.redisEnabled = !m_config.redisAddr.isEmpty();
    config.redisAddr = m_config.redisAddr;
    config.redisDb = m_config.redisDb;
    config.rateLimitHeaders = m_config.rateLimitHeaders;
    jsonResponse(config.toJson()).write(std::move(responder));
}

void SluiceService::handleHistory(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    QString keyId;
    if (!authorizeAdmin(request, &keyId, responder))
        return;
    QJsonArray entries;
    for (const AdminApi::HistoryEntry &h : m_rules->history())
        entries.append(h.toJson());
    jsonResponse({{QStringLiteral("status"), QStringLiteral("success")}, {QStringLiteral("history"), entries}})
        .write(std::move(responder));
}

QHttpServerResponse SluiceService::health() const
{
    return jsonResponse({{QStringLiteral("status"), QStringLiteral("ok")},
                         {QStringLiteral("mode"), QString::fromLatin1(storeModeName(storeMode()))},
                         {QStringLiteral("version"), QStringLiteral(SLUICE_VERSION)},
                         {QStringLiteral("redis_connected"), storeMode() == StoreMode::Redis}});
}

QHttpServerResponse SluiceService::metrics() const
{
    MetricsState state;
    state.stats = m_stats.snapshot();
    state.mode = storeMode();
    state.redisConnected = storeMode() == StoreMode::Redis;
    state.trackedKeys = m_memoryStore ? m_memoryStore->trackedKeys() : 0;
    return QHttpServerResponse(QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8"), renderMetrics(state));
}
