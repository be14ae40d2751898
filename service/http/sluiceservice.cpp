#include "sluiceservice.h"

#include "adminapi.h"
#include "adminauththrottle.h"
#include "bypassdetector.h"
#include "apierror.h"
#include "clientresolver.h"
#include "httpserver.h"
#include "memoryratelimitstore.h"
#include "metrics.h"
#include "ratelimitheaders.h"
#include "redishealthprobe.h"
#include "redisratelimitstore.h"
#include "redisrulesync.h"
#include "upstreamproxy.h"
#include "rulebook.h"
#include "violationlog.h"

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
#include <QUuid>
#include <QUrlQuery>
#include <QScopeGuard>
#include <QThread>

#include <arpa/inet.h>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcHttp, "sluice.http")
// Also used by RedisRuleSync.
Q_LOGGING_CATEGORY(lcConfig, "sluice.config")

namespace {

constexpr qsizetype kMaxAdminBody = 64 * 1024;
constexpr int kDefaultStatsLimit = 100;
constexpr int kMaxStatsLimit = 1000;
constexpr qint64 kMaxCost = 100'000'000;
// Instances refresh their entry this often; an entry older than kInstanceStaleMs is a dead instance.
constexpr int kHeartbeatMs = 10'000;
constexpr qint64 kInstanceStaleMs = 35'000;

const QByteArray kJson = QByteArrayLiteral("application/json");

HttpResponse jsonResponse(const QJsonObject &object, int status = 200)
{
    return HttpResponse(status, kJson, QJsonDocument(object).toJson(QJsonDocument::Compact));
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

// API_KEY_RATE_LIMIT: the API-key clients' default as configured, with the default rule's algorithm
// and window (it is a count per window, like REQUEST_RATE_LIMIT).
ApiKeyLimits configuredApiKeyLimits(const ServiceConfig &config)
{
    ApiKeyLimits limits;
    if (config.apiKeyRateLimit > 0) {
        RateLimitPolicy policy = config.defaultPolicy();
        policy.limit = config.apiKeyRateLimit;
        limits.defaultPolicy = policy;
    }
    return limits;
}

AdminApi::ApiKeyLimit apiKeyLimitToApi(const QByteArray &target, const RateLimitPolicy &policy)
{
    return AdminApi::ApiKeyLimit::fromRule(QString::fromLatin1(target), RuleBook::apiKeyToApi(target, policy));
}

AdminApi::RedisHealth toApi(const RedisNodeHealth &h, qint64 nowMs)
{
    AdminApi::RedisHealth a;
    if (h.hasSample()) {
        a.checkedAt = QDateTime::fromMSecsSinceEpoch(h.checkedAtMs, Qt::UTC);
        a.ageMs = std::max<qint64>(0, nowMs - h.checkedAtMs);
    }
    a.probeError = h.probeError;
    a.latencyMs = h.latencyMs;
    a.latencyAvgMs = h.latencyAvgMs;
    a.latencyMaxMs = h.latencyMaxMs;
    a.usedMemoryBytes = h.usedMemoryBytes;
    a.maxmemoryBytes = h.maxmemoryBytes;
    a.memoryUsageRatio = h.memoryUsageRatio();
    a.maxmemoryPolicy = h.maxmemoryPolicy;
    a.evictionRisk = h.evictionRisk;
    a.evictedKeys = h.evictedKeys;
    a.rejectedConnections = h.rejectedConnections;
    a.connectedClients = h.connectedClients;
    a.role = h.role;
    a.connectedReplicas = h.connectedReplicas;
    a.replicationLagBytes = h.replicationLagBytes;
    a.replicationLagSeconds = h.replicationLagSeconds;
    a.masterLinkUp = h.masterLinkUp;
    a.redisVersion = h.redisVersion;
    a.warnings = h.warnings;
    return a;
}

} // namespace

// A responder waiting for a store: counts as in-flight until done, and guarantees an answer (a refusal)
// even if the store never calls back. Writing after the client left is a no-op (HttpResponder).
class SluiceService::PendingReply
{
public:
    PendingReply(SluiceService *service, HttpResponder responder)
        : m_service(service), m_responder(std::move(responder))
    {
        ++service->m_pending;
    }
    ~PendingReply()
    {
        // A store must call every handler; if one did not (it was destroyed with the call pending), the
        // client still gets an answer, and it is a refusal, never a silent pass.
        if (!m_sent) {
            if (m_onUnanswered)
                m_onUnanswered();
            send(errorResponse(ApiErrorKind::StoreUnavailable, QStringLiteral("the store gave no answer")));
        }
        if (m_service)
            m_service->requestFinished();
    }
    PendingReply(const PendingReply &) = delete;
    // Called instead of a normal answer when no answer was sent before destruction.
    void setOnUnanswered(std::function<void()> callback) { m_onUnanswered = std::move(callback); }
    PendingReply &operator=(const PendingReply &) = delete;

    // Hands the responder on (the gateway's upstream answers through it); no refusal is sent later.
    HttpResponder take()
    {
        m_sent = true;
        return m_responder;
    }

    void send(const HttpResponse &response)
    {
        if (m_sent)
            return;
        m_sent = true;
        m_responder.send(response);
    }

private:
    QPointer<SluiceService> m_service;
    HttpResponder m_responder;
    std::function<void()> m_onUnanswered;
    bool m_sent = false;
};

SluiceService::SluiceService(ServiceConfig config, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_ownClock(std::make_unique<SystemClock>()), m_clock(*m_ownClock)
{
    m_violations = std::make_unique<ViolationLog>(m_clock);
    m_adminThrottle = std::make_unique<AdminAuthThrottle>(m_clock);
    m_bypass = std::make_unique<BypassDetector>(m_clock, m_stats);
    for (const QByteArray &key : m_config.adminKeys)
        m_adminKeyHashes.append(QCryptographicHash::hash(key, QCryptographicHash::Sha256));
}

SluiceService::SluiceService(ServiceConfig config, const Clock &clock, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_clock(clock)
{
    m_violations = std::make_unique<ViolationLog>(m_clock);
    m_adminThrottle = std::make_unique<AdminAuthThrottle>(m_clock);
    m_bypass = std::make_unique<BypassDetector>(m_clock, m_stats);
    for (const QByteArray &key : m_config.adminKeys)
        m_adminKeyHashes.append(QCryptographicHash::hash(key, QCryptographicHash::Sha256));
}

SluiceService::~SluiceService()
{
    // Store callbacks still run while the stores go away (hiredis answers pending calls with no
    // reply); they must not touch the half-destroyed service.
    m_destroying = true;
    // Close client connections first so no handler runs while the stores go away; the other threads
    // end here, before anything they use.
    for (auto it = m_lanes.rbegin(); it != m_lanes.rend(); ++it)
        stopLane(**it);
    m_lanes.clear();
    delete m_proxy;
    m_proxy = nullptr;
    m_ruleSync.reset();
    m_healthProbe.reset();
    m_redisStore.reset();
    m_store = nullptr;
}

StoreMode SluiceService::storeMode() const
{
    const StoreMode mode = m_store ? m_store->mode() : StoreMode::Memory;
    // Redis only when every thread decides in Redis; one lane still (re)connecting falls back.
    if (mode == StoreMode::Redis) {
        for (const auto &lane : m_lanes) {
            if (lane->thread && lane->redis && !lane->redisConnected.load())
                return StoreMode::MemoryFallback;
        }
    }
    return mode;
}

quint16 SluiceService::port() const
{
    return m_lanes.empty() || !m_lanes.front()->server ? 0 : m_lanes.front()->server->serverPort();
}

std::shared_ptr<const RuleTable> SluiceService::ruleTable() const
{
    QMutexLocker lock(&m_tableLock);
    return m_table;
}

void SluiceService::publishRules()
{
    std::shared_ptr<const RuleTable> table = m_rules->table();
    QMutexLocker lock(&m_tableLock);
    m_table = std::move(table);
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
    m_rules = std::make_unique<RuleBook>(m_config.defaultPolicy(), m_config.endpointRules, configuredApiKeyLimits(m_config));
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
    connect(sweeper, &QTimer::timeout, this, [this] {
        m_memoryStore->sweep(4096);
        m_violations->flush();
    });
    sweeper->start(1000);
    m_instanceId = QUuid::createUuid().toByteArray(QUuid::Id128).left(12);
    if (m_config.redisEnabled() && !startRedis(errorMessage))
        return false;

    publishRules();
    if (m_ruleSync)
        connect(m_ruleSync.get(), &RedisRuleSync::refreshed, this, &SluiceService::publishRules);
    if (m_config.upstreamUrl.isValid() && !m_config.upstreamUrl.isEmpty())
        m_proxy = new UpstreamProxy(m_config.upstreamUrl, m_config.limits.upstreamTimeoutMs, *m_clients, m_stats, this);
    if (!startLanes(errorMessage))
        return false;
    qCInfo(lcHttp).noquote() << QStringLiteral("sluice %1 listening on %2 (%8 threads), store %3, default %4/min %5, %6 endpoint rules, admin API %7")
                                    .arg(QLatin1String(SLUICE_VERSION), baseUrl().toString(),
                                         QString::fromLatin1(storeModeName(m_store->mode())))
                                    .arg(m_rules->defaultPolicy().limit)
                                    .arg(algorithmName(m_rules->defaultPolicy().algorithm))
                                    .arg(m_rules->rules().size())
                                    .arg(m_adminKeyHashes.isEmpty() ? QStringLiteral("disabled") : QStringLiteral("enabled"))
                                    .arg(m_lanes.size());
    return true;
}

namespace {

// A listening TCP socket on host:port; with ReusePort several of them (one per thread) share the port
// and the kernel spreads incoming connections over them. -1 and *error on failure.
enum class PortSharing { Exclusive, ReusePort };
int openListener(const QHostAddress &host, quint16 port, PortSharing sharing, QString *error)
{
    sockaddr_storage address = {};
    socklen_t length = 0;
    bool isV4 = false;
    const quint32 v4 = host.toIPv4Address(&isV4);
    if (isV4 && host.protocol() == QAbstractSocket::IPv4Protocol) {
        auto *in = reinterpret_cast<sockaddr_in *>(&address);
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        in->sin_addr.s_addr = htonl(v4);
        length = sizeof(sockaddr_in);
    } else {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(&address);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        const Q_IPV6ADDR a = host.toIPv6Address();
        std::memcpy(&in6->sin6_addr, &a, 16);
        length = sizeof(sockaddr_in6);
    }
    const int fd = ::socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *error = QString::fromLocal8Bit(std::strerror(errno));
        return -1;
    }
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (sharing == PortSharing::ReusePort)
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), length) != 0 || ::listen(fd, 1024) != 0) {
        *error = QString::fromLocal8Bit(std::strerror(errno));
        ::close(fd);
        return -1;
    }
    return fd;
}

quint16 boundPort(int fd)
{
    sockaddr_storage address = {};
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
    return address.ss_family == AF_INET ? ntohs(reinterpret_cast<sockaddr_in *>(&address)->sin_port)
                                        : ntohs(reinterpret_cast<sockaddr_in6 *>(&address)->sin6_port);
}

} // namespace

bool SluiceService::startLanes(QString *errorMessage)
{
    const int threads = m_config.threads > 0 ? m_config.threads : std::max(1, QThread::idealThreadCount());
    const QHostAddress host(m_config.listenHost);
    QString error;
    // A first, exclusive bind finds a port for port 0 and refuses a port that is in use, even by another
    // process's SO_REUSEPORT group (which a reuse-port bind would silently join).
    const int probe = openListener(host, m_config.listenPort, PortSharing::Exclusive, &error);
    if (probe < 0) {
        *errorMessage = QStringLiteral("cannot listen on %1: %2").arg(m_config.listenAddr(), error);
        return false;
    }
    const quint16 port = boundPort(probe);
    int firstFd = probe;
    if (threads > 1) {
        ::close(probe);
        firstFd = openListener(host, port, PortSharing::ReusePort, &error);
        if (firstFd < 0) {
            *errorMessage = QStringLiteral("cannot listen on %1: %2").arg(m_config.listenAddr(), error);
            return false;
        }
    }
    for (int i = 0; i < threads; ++i) {
        auto lane = std::make_unique<Lane>();
        Lane *l = lane.get();
        const int fd = i == 0 ? firstFd : openListener(host, port, PortSharing::ReusePort, &error);
        if (fd < 0) {
            *errorMessage = QStringLiteral("cannot listen on %1 (thread %2): %3").arg(m_config.listenAddr()).arg(i).arg(error);
            return false;
        }
        const auto create = [this, l, fd] {
            if (l->thread) {
                if (m_redisSettings) {
                    l->redis = new RedisRateLimitStore(*m_redisSettings, *m_memoryStore, l->context);
                    connect(l->redis, &RedisRateLimitStore::connectedChanged, l->context,
                            [l](bool connected) { l->redisConnected.store(connected); });
                    l->store = l->redis;
                } else {
                    l->store = m_memoryStore.get();
                }
                if (m_proxy)
                    l->proxy = new UpstreamProxy(m_config.upstreamUrl, m_config.limits.upstreamTimeoutMs, *m_clients, m_stats, l->context);
            } else {
                l->store = m_store;
                l->proxy = m_proxy;
            }
            l->server = new HttpServer(m_config.limits, [this, l](HttpRequest &&request, HttpResponder responder) {
                route(std::move(request), std::move(responder), *l);
            }, m_connectionCount, &m_stats, l->context);
            if (!l->server->setSocketDescriptor(fd))
                ::close(fd);
        };
        if (i == 0) {
            l->context = this;
            create();
        } else {
            l->thread = new QThread;
            l->thread->setObjectName(QStringLiteral("sluice-http-%1").arg(i));
            l->thread->start();
            l->context = new QObject;
            l->context->moveToThread(l->thread);
            QMetaObject::invokeMethod(l->context, create, Qt::BlockingQueuedConnection);
        }
        m_lanes.push_back(std::move(lane));
        if (!l->server->isListening()) {
            *errorMessage = QStringLiteral("cannot listen on %1 (thread %2)").arg(m_config.listenAddr()).arg(i);
            return false;
        }
    }
    return true;
}

void SluiceService::stopLane(Lane &lane)
{
    const auto destroy = [&lane] {
        delete lane.server;
        lane.server = nullptr;
        if (lane.thread) {
            delete lane.proxy;
            delete lane.redis;
            lane.proxy = nullptr;
            lane.redis = nullptr;
        }
    };
    if (!lane.thread) {
        destroy();
        return;
    }
    QMetaObject::invokeMethod(lane.context, destroy, Qt::BlockingQueuedConnection);
    lane.thread->quit();
    lane.thread->wait();
    delete lane.context;
    delete lane.thread;
    lane.context = nullptr;
    lane.thread = nullptr;
}

bool SluiceService::startRedis(QString *errorMessage)
{
    RedisSettings settings;
    QString error;
    const std::optional<RedisMode> mode = RedisSettings::parseMode(m_config.redisMode, &error);
    if (!mode) {
        *errorMessage = QStringLiteral("REDIS_MODE: %1").arg(error);
        return false;
    }
    settings.mode = *mode;
    switch (*mode) {
    case RedisMode::Cluster:
        if (!settings.parseSeeds(m_config.redisAddr, &error)) {
            *errorMessage = QStringLiteral("REDIS_ADDR: %1").arg(error);
            return false;
        }
        break;
    case RedisMode::Sentinel:
        if (!settings.parseSentinels(m_config.redisSentinels, &error)) {
            *errorMessage = QStringLiteral("REDIS_SENTINELS: %1").arg(error);
            return false;
        }
        settings.sentinelMaster = m_config.redisSentinelMaster.toUtf8();
        settings.sentinelPassword = m_config.redisSentinelPassword;
        break;
    case RedisMode::Standalone:
        if (!settings.parseAddress(m_config.redisAddr, &error)) {
            *errorMessage = QStringLiteral("REDIS_ADDR: %1").arg(error);
            return false;
        }
        break;
    }
    settings.password = m_config.redisPassword;
    settings.db = m_config.redisDb;
    settings.keyPrefix = m_config.keyPrefix;
    settings.tls = RedisTlsSettings::fromConfig(m_config);
    if (const QStringList problems = settings.validate(); !problems.isEmpty()) {
        *errorMessage = problems.join(QStringLiteral("; "));
        return false;
    }
    m_instancesKey = m_config.keyPrefix + "instances";
    m_redisSettings = std::make_unique<RedisSettings>(settings);
    m_redisStore = std::make_unique<RedisRateLimitStore>(settings, *m_memoryStore);
    m_store = m_redisStore.get();
    connect(m_redisStore.get(), &RedisRateLimitStore::modeChanged, this, [](StoreMode mode) {
        qCInfo(lcHttp).noquote() << "store mode changed to" << storeModeName(mode);
    });
    connect(m_redisStore.get(), &RedisRateLimitStore::connectedChanged, this, [this](bool connected) {
        if (connected)
            sendHeartbeat();
    });
    m_healthProbe = std::make_unique<RedisHealthProbe>(*m_redisStore);
    m_ruleSync = std::make_unique<RedisRuleSync>(*m_redisStore, settings, *m_rules, m_config.defaultPolicy(),
                                                 m_config.endpointRules, configuredApiKeyLimits(m_config));
    auto *heartbeat = new QTimer(this);
    connect(heartbeat, &QTimer::timeout, this, [this] {
        sendHeartbeat();
        m_ruleSync->refresh(); // safety net for a pub/sub message lost in a reconnect
    });
    heartbeat->start(kHeartbeatMs);
    return true;
}

void SluiceService::sendHeartbeat()
{
    if (!m_redisStore || !m_redisStore->isConnected())
        return;
    m_redisStore->command({"HSET", m_instancesKey, m_instanceId, QJsonDocument(instanceInfo().toJson()).toJson(QJsonDocument::Compact)},
                          [](const RedisReplyValue &) {});
    m_redisStore->command({"PEXPIRE", m_instancesKey, QByteArray::number(kInstanceStaleMs * 4)}, [](const RedisReplyValue &) {});
}

AdminApi::InstanceInfo SluiceService::instanceInfo() const
{
    const ServiceStats::Snapshot snap = m_stats.snapshot();
    AdminApi::InstanceInfo info;
    info.id = QString::fromLatin1(m_instanceId);
    info.address = baseUrl().toString();
    info.mode = QString::fromLatin1(storeModeName(storeMode()));
    info.totalRequests = snap.totalRequests();
    info.blockedRequests = snap.blockedRequests();
    info.lastSeen = QDateTime::fromMSecsSinceEpoch(m_clock.nowMs(), Qt::UTC);
    return info;
}

void SluiceService::stop()
{
    m_stopping = true;
    if (m_redisStore && m_redisStore->isConnected())
        m_redisStore->command({"HDEL", m_instancesKey, m_instanceId}, [](const RedisReplyValue &) {});
    for (const auto &lane : m_lanes) {
        Lane *l = lane.get();
        const auto stopServing = [l] {
            l->server->close();
            l->server->drainConnections();
        };
        if (l->thread)
            QMetaObject::invokeMethod(l->context, stopServing, Qt::BlockingQueuedConnection);
        else
            stopServing();
    }
    if (m_pending == 0)
        QMetaObject::invokeMethod(this, &SluiceService::finishDrain, Qt::QueuedConnection);
}

void SluiceService::requestFinished()
{
    // May run in any lane's thread.
    if (--m_pending == 0 && m_stopping)
        QMetaObject::invokeMethod(this, &SluiceService::finishDrain, Qt::QueuedConnection);
}

void SluiceService::finishDrain()
{
    // Answers sit in the sockets' write buffers until the event loop writes them; a process that
    // exits on drained() must not lose them. The server's client sockets are its QTcpServer's children.
    for (const auto &lane : m_lanes) {
        Lane *l = lane.get();
        if (l->thread)
            QMetaObject::invokeMethod(l->context, [l] { l->server->flushConnections(1000); }, Qt::BlockingQueuedConnection);
        else
            l->server->flushConnections(1000);
    }
    emit drained();
}

void SluiceService::route(HttpRequest &&request, HttpResponder responder, Lane &lane)
{
    // Exact comparisons on the raw path: no regex, no URL object on the decision path.
    const QByteArrayView path = request.path();
    const QByteArray &method = request.method;
    const bool isGet = method == "GET" || method == "HEAD";
    if (path == "/v1/ratelimit/check") {
        if (isGet || method == "POST")
            return handleCheck(request, responder, lane);
    } else if (lane.thread && (path == "/health" || path == "/metrics" || path.startsWith("/admin/") || path == "/admin")) {
        // The admin API, the rule book and the Redis status live in the service's thread: answer there
        // (the responder posts the answer back to this thread).
        QMetaObject::invokeMethod(this, [this, request = std::move(request), responder]() mutable {
            if (!m_destroying)
                route(std::move(request), responder, *m_lanes.front());
        }, Qt::QueuedConnection);
        return;
    } else if (path == "/health") {
        if (isGet)
            return responder.send(health());
    } else if (path == "/metrics") {
        if (isGet)
            return responder.send(metrics());
    } else if (path.startsWith("/admin/") || path == "/admin") {
        if (path == "/admin/rate-limit/stats") {
            if (isGet)
                return handleStats(request, responder);
        } else if (path == "/admin/rate-limit/clear") {
            if (method == "POST")
                return handleClear(request, responder);
        } else if (path == "/admin/rate-limit/config") {
            if (method == "PUT")
                return handlePutRule(request, responder);
            if (method == "DELETE")
                return handleDeleteRule(request, responder);
        } else if (path == "/admin/rate-limit/api-keys") {
            if (isGet || method == "PUT" || method == "DELETE")
                return handleApiKeys(request, responder);
        } else if (path == "/admin/redis/status") {
            if (isGet)
                return handleRedisStatus(request, responder);
        } else if (path == "/admin/config") {
            if (isGet)
                return handleConfig(request, responder);
        } else if (path == "/admin/rate-limit/violations") {
            if (isGet)
                return handleViolations(request, responder);
        } else if (path == "/admin/config/history") {
            if (isGet)
                return handleHistory(request, responder);
        } else {
            return responder.send(errorResponse(ApiErrorKind::NotFound, QStringLiteral("no such endpoint: %1").arg(QString::fromUtf8(path))));
        }
    } else if (m_proxy) {
        return handleGateway(std::move(request), responder, lane);
    } else {
        return responder.send(errorResponse(ApiErrorKind::NotFound, QStringLiteral("no such endpoint: %1").arg(QString::fromUtf8(path))));
    }
    responder.send(errorResponse(ApiErrorKind::MethodNotAllowed,
                                 QStringLiteral("%1 does not accept %2").arg(QString::fromUtf8(path), QString::fromLatin1(method))));
}

bool SluiceService::authorizeAdmin(const HttpRequest &request, QString *keyId, HttpResponder &responder)
{
    if (m_adminKeyHashes.isEmpty()) {
        responder.send(errorResponse(ApiErrorKind::AdminDisabled, QStringLiteral("the admin API is disabled: set ADMIN_KEY to enable it")));
        return false;
    }
    const QByteArray peer = ClientResolver::normalise(request.peer).toString().toLatin1();
    if (const qint64 blockedMs = m_adminThrottle->blockedForMs(peer); blockedMs > 0) {
        const qint64 seconds = (blockedMs + 999) / 1000;
        HttpResponse response = errorResponse(ApiErrorKind::RateLimited,
                                              QStringLiteral("too many failed admin authentications from this address"), seconds);
        response.addHeader(QByteArrayLiteral("Retry-After"), QByteArray::number(seconds));
        responder.send(response);
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
        m_adminThrottle->recordFailure(peer);
        responder.send(errorResponse(ApiErrorKind::Unauthorized, given.isEmpty() ? QStringLiteral("missing X-Admin-Key header")
                                                                  : QStringLiteral("invalid X-Admin-Key")));
        return false;
    }
    *keyId = QString::fromLatin1(ClientResolver::keyId(given));
    return true;
}

SluiceService::LimitTarget SluiceService::limitTarget(const QByteArray &method, const QByteArray &path,
                                                       const ClientIdentity &client) const
{
    LimitTarget t;
    t.table = ruleTable();
    t.match = t.table->match(method, RuleTable::normalisePath(path));
    if (t.match.rule) {
        t.policyName = QByteArrayLiteral("endpoint");
    } else {
        RuleTable::ClientDefault def = t.table->defaultFor(client);
        t.match.policy = def.policy;
        t.policyName = std::move(def.name);
    }
    t.clientId = client.storageSuffix();
    t.key = m_config.keyPrefix + t.match.keyPart + t.clientId;
    t.strategy = t.match.rule ? Strategy::Endpoint
                              : client.kind == ClientIdentity::Kind::ApiKey ? Strategy::ApiKey : Strategy::Ip;
    t.draft = m_config.rateLimitHeaders ? DraftHeaders::On : DraftHeaders::Off;
    return t;
}

void SluiceService::recordDecision(const Decision &decision, const LimitTarget &target, qint64 elapsedUs)
{
    if (!decision.allowed)
        recordViolation(decision, target);
    m_stats.recordDecision(target.strategy, decision.allowed ? DecisionOutcome::Allowed : DecisionOutcome::Blocked, elapsedUs);
    if (decision.source == DecisionSource::MemoryFallback)
        m_stats.recordFallbackDecision();
}

void SluiceService::handleCheck(const HttpRequest &request, HttpResponder responder, Lane &lane)
{
    QElapsedTimer timer;
    timer.start();
    // Everything needed is copied now: QHttpServer 6.4 reuses `request` for the connection's next request.
    const QHostAddress peer = ClientResolver::normalise(request.peer);
    QByteArray method = request.method == "HEAD" ? QByteArrayLiteral("GET") : request.method;
    QByteArray target = request.path().toByteArray();
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
            responder.send(errorResponse(ApiErrorKind::InvalidRequest,
                          QStringLiteral("X-RateLimit-Cost: must be an integer between 1 and %1").arg(kMaxCost)));
            return;
        }
    }

    m_bypass->inspect(request, m_clients->isTrusted(peer), client);
    const LimitTarget limit = limitTarget(method, target, client);
    auto reply = std::make_shared<PendingReply>(this, std::move(responder));
    QPointer<SluiceService> self(this);
    const Strategy strategy = limit.strategy;
    reply->setOnUnanswered([self, strategy, timer] {
        if (self)
            self->m_stats.recordDecision(strategy, DecisionOutcome::StoreError, timer.nsecsElapsed() / 1000);
    });
    lane.store->acquire(limit.key, limit.match.policy, cost, [self, reply, timer, limit](const Decision &d) {
        if (!self || self->m_destroying)
            return;
        self->recordDecision(d, limit, timer.nsecsElapsed() / 1000);
        const RateLimitPolicy &policy = limit.match.policy;
        HttpResponse response = [&] {
            if (d.allowed) {
                ByteBuilder body;
                body << "{\"status\":\"allowed\",\"limit\":" << d.limit << ",\"remaining\":" << d.remaining
                     << ",\"reset\":" << resetEpochSeconds(d) << '}';
                return HttpResponse(200, kJson, body.take());
            }
            if (d.impossible)
                return errorResponse(ApiErrorKind::CostExceedsLimit,
                                     QStringLiteral("request cost exceeds the limit of %1; it can never be admitted").arg(d.limit));
            return errorResponse(ApiErrorKind::RateLimited,
                                 QStringLiteral("Rate limit exceeded: %1 requests per %2 s").arg(d.limit).arg(policy.windowMs / 1000),
                                 retryAfterSeconds(d));
        }();
        addRateLimitHeaders(response, d, policy, limit.policyName, limit.draft);
        reply->send(response);
    });
}

void SluiceService::handleGateway(HttpRequest &&request, HttpResponder responder, Lane &lane)
{
    QElapsedTimer timer;
    timer.start();
    if (!request.target.startsWith('/')) {
        responder.send(errorResponse(ApiErrorKind::InvalidRequest, QStringLiteral("the gateway accepts origin-form targets (\"/path?query\") only")));
        return;
    }
    const QHostAddress peer = ClientResolver::normalise(request.peer);
    const ClientIdentity client = m_clients->resolve(peer, request.value("Authorization"), request.value("X-API-Key"),
                                                     request.value("X-Forwarded-For"), request.value("X-Real-IP"));
    const QByteArray method = request.method == "HEAD" ? QByteArrayLiteral("GET") : request.method;
    m_bypass->inspect(request, m_clients->isTrusted(peer), client);
    const LimitTarget limit = limitTarget(method, request.path().toByteArray(), client);
    auto reply = std::make_shared<PendingReply>(this, std::move(responder));
    auto held = std::make_shared<HttpRequest>(std::move(request));
    QPointer<SluiceService> self(this);
    const Strategy strategy = limit.strategy;
    reply->setOnUnanswered([self, strategy, timer] {
        if (self)
            self->m_stats.recordDecision(strategy, DecisionOutcome::StoreError, timer.nsecsElapsed() / 1000);
    });
    UpstreamProxy *proxy = lane.proxy;
    lane.store->acquire(limit.key, limit.match.policy, 1, [self, reply, held, proxy, timer, limit](const Decision &d) {
        if (!self || self->m_destroying)
            return;
        self->recordDecision(d, limit, timer.nsecsElapsed() / 1000);
        const RateLimitPolicy &policy = limit.match.policy;
        const QByteArray headers = rateLimitHeaders(d, policy, limit.policyName, limit.draft);
        if (d.allowed) {
            proxy->forward(*held, reply->take(), headers, reply); // pending (stop() waits) until the answer ends
            return;
        }
        HttpResponse response = errorResponse(ApiErrorKind::RateLimited,
                                              QStringLiteral("Rate limit exceeded: %1 requests per %2 s").arg(d.limit).arg(policy.windowMs / 1000),
                                              retryAfterSeconds(d));
        response.rawHeaders = headers;
        reply->send(response);
    });
}

void SluiceService::handleStats(const HttpRequest &request, HttpResponder responder)
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
            responder.send(errorResponse(ApiErrorKind::InvalidRequest, QStringLiteral("limit: must be an integer between 0 and %1").arg(kMaxStatsLimit)));
            return;
        }
    }
    if (query.hasQueryItem(QStringLiteral("sort")) && query.queryItemValue(QStringLiteral("sort")) != QLatin1String("usage")) {
        responder.send(errorResponse(ApiErrorKind::InvalidRequest, QStringLiteral("sort: only \"usage\" is supported")));
        return;
    }
    auto reply = std::make_shared<PendingReply>(this, std::move(responder));
    QPointer<SluiceService> self(this);
    m_store->topKeys(limit, [self, reply](const QList<KeyUsage> &usages) {
        if (!self || self->m_destroying)
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
        const qint64 nowMs = self->m_clock.nowMs();
        stats.lastUpdate = QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC);
        stats.mode = QString::fromLatin1(storeModeName(self->storeMode()));
        stats.trackedKeys = self->m_memoryStore->trackedKeys();
        stats.decisionLatencyP50Us = snap.latencyQuantileUs(0.50);
        stats.decisionLatencyP99Us = snap.latencyQuantileUs(0.99);
        for (int k = 0; k < kBypassKindCount; ++k)
            stats.bypassAttempts.insert(QString::fromLatin1(bypassKindName(BypassKind(k))), snap.bypassAttempts[k]);
        if (!stats.redisConnected) {
            reply->send(jsonResponse(stats.toJson()));
            return;
        }
        // Redis: the shared key index size and every live instance; two bounded reads, no SCAN.
        RedisRateLimitStore &redis = *self->m_redisStore;
        redis.command({"ZCARD", redis.settings().indexKey()}, [self, reply, stats, nowMs](const RedisReplyValue &count) mutable {
            if (!self || self->m_destroying)
                return;
            if (count.type == RedisReplyValue::Type::Integer)
                stats.trackedKeys = count.integer;
            self->m_redisStore->command({"HGETALL", self->m_instancesKey}, [self, reply, stats, nowMs](const RedisReplyValue &all) mutable {
                if (!self || self->m_destroying)
                    return;
                for (qsizetype i = 0; i + 1 < all.elements.size(); i += 2) {
                    if (all.elements.at(i).string == self->m_instanceId)
                        continue; // this instance reports its live counters below
                    const AdminApi::InstanceInfo info =
                        AdminApi::InstanceInfo::fromJson(QJsonDocument::fromJson(all.elements.at(i + 1).string).object());
                    if (info.lastSeen.isValid() && nowMs - info.lastSeen.toMSecsSinceEpoch() <= kInstanceStaleMs)
                        stats.instances.append(info);
                    else
                        self->m_redisStore->command({"HDEL", self->m_instancesKey, all.elements.at(i).string}, [](const RedisReplyValue &) {});
                }
                stats.instances.append(self->instanceInfo());
                std::sort(stats.instances.begin(), stats.instances.end(),
                          [](const AdminApi::InstanceInfo &a, const AdminApi::InstanceInfo &b) { return a.id < b.id; });
                reply->send(jsonResponse(stats.toJson()));
            });
        });
    });
}

void SluiceService::handleClear(const HttpRequest &request, HttpResponder responder)
{
    QString keyId;
    if (!authorizeAdmin(request, &keyId, responder))
        return;
    const QByteArray key = request.query().queryItemValue(QStringLiteral("key"), QUrl::FullyDecoded).toUtf8();
    if (key.isEmpty() || !key.startsWith(m_config.keyPrefix) || key.size() == m_config.keyPrefix.size()) {
        responder.send(errorResponse(ApiErrorKind::InvalidRequest,
                      QStringLiteral("key: required, a storage key starting with \"%1\"").arg(QString::fromUtf8(m_config.keyPrefix))));
        return;
    }
    auto reply = std::make_shared<PendingReply>(this, std::move(responder));
    QPointer<SluiceService> self(this);
    m_store->clear(key, [self, reply, key, keyId](bool existed) {
        if (!self || self->m_destroying)
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

std::optional<QJsonObject> SluiceService::adminJsonBody(const HttpRequest &request, HttpResponder &responder)
{
    const QByteArray &body = request.body;
    if (body.size() > kMaxAdminBody) {
        responder.send(errorResponse(ApiErrorKind::PayloadTooLarge, QStringLiteral("body larger than %1 bytes").arg(kMaxAdminBody)));
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        responder.send(errorResponse(ApiErrorKind::InvalidRequest,
                      parseError.error != QJsonParseError::NoError
                          ? QStringLiteral("body: malformed JSON (%1 at offset %2)").arg(parseError.errorString()).arg(parseError.offset)
                          : QStringLiteral("body: must be a JSON object")));
        return std::nullopt;
    }
    return doc.object();
}

void SluiceService::handlePutRule(const HttpRequest &request, HttpResponder responder)
{
    QString keyId;
    if (!authorizeAdmin(request, &keyId, responder))
        return;
    std::optional<QJsonObject> object = adminJsonBody(request, responder);
    if (!object)
        return;
    // "endpoint": "default" changes the default rule; it is validated like any rule but has no path.
    const bool isDefault = object->value(QStringLiteral("endpoint")) == QLatin1String("default");
    if (isDefault) {
        if (object->contains(QStringLiteral("method"))) {
            responder.send(errorResponse(ApiErrorKind::InvalidRequest, QStringLiteral("method: the default rule applies to every method")));
            return;
        }
        object->insert(QStringLiteral("endpoint"), QStringLiteral("/"));
    }
    QStringList errors;
    const auto rule = EndpointLimitRule::fromJson(*object, m_rules->defaultPolicy().algorithm, &errors);
    if (!rule) {
        responder.send(errorResponse(ApiErrorKind::InvalidRequest, errors.join(QStringLiteral("; "))));
        return;
    }
    RuleChange change{isDefault ? ChangeKind::Default : ChangeKind::Set, *rule, {}};
    if (isDefault)
        change.rule.endpoint = QStringLiteral("default");
    applyRuleChange(change, keyId, std::make_shared<PendingReply>(this, std::move(responder)));
}

void SluiceService::handleDeleteRule(const HttpRequest &request, HttpResponder responder)
{
    QString keyId;
    if (!authorizeAdmin(request, &keyId, responder))
        return;
    const QUrlQuery query = request.query();
    const QString endpoint = query.queryItemValue(QStringLiteral("endpoint"), QUrl::FullyDecoded);
    const QByteArray method = query.queryItemValue(QStringLiteral("method"), QUrl::FullyDecoded).toUpper().toLatin1();
    if (auto e = validateRuleTarget(endpoint, method)) {
        responder.send(errorResponse(ApiErrorKind::InvalidRequest, *e));
        return;
    }
    RuleChange change{ChangeKind::Delete, EndpointLimitRule{endpoint, method, {}}, {}};
    applyRuleChange(change, keyId, std::make_shared<PendingReply>(this, std::move(responder)));
}

void SluiceService::handleApiKeys(const HttpRequest &request, HttpResponder responder)
{
    QString keyId;
    if (!authorizeAdmin(request, &keyId, responder))
        return;
    if (request.method == "GET" || request.method == "HEAD") {
        responder.send(jsonResponse(apiKeyLimits().toJson()));
        return;
    }
    if (request.method == "DELETE") {
        const QByteArray target = request.query().queryItemValue(QStringLiteral("key_id"), QUrl::FullyDecoded).toLatin1();
        if (auto e = ApiKeyLimits::validateTarget(target)) {
            responder.send(errorResponse(ApiErrorKind::InvalidRequest, *e));
            return;
        }
        RuleChange change{ChangeKind::ApiKeyDelete, {}, target};
        change.rule.endpoint = RuleBook::apiKeyEndpoint(target);
        applyRuleChange(change, keyId, std::make_shared<PendingReply>(this, std::move(responder)));
        return;
    }
    std::optional<QJsonObject> object = adminJsonBody(request, responder);
    if (!object)
        return;
    // The limit is named by its key id, or by the API key itself, which is hashed at once and never
    // stored, logged or echoed; a policy is parsed like a rule's.
    const QJsonValue idValue = object->take(QStringLiteral("key_id"));
    const QJsonValue keyValue = object->take(QStringLiteral("api_key"));
    QByteArray target;
    QStringList errors;
    if (idValue.isUndefined() == keyValue.isUndefined())
        errors.append(QStringLiteral("key_id: give exactly one of \"key_id\" and \"api_key\""));
    else if (!idValue.isUndefined() && !idValue.isString())
        errors.append(QStringLiteral("key_id: must be a string"));
    else if (!keyValue.isUndefined() && (!keyValue.isString() || keyValue.toString().isEmpty()))
        errors.append(QStringLiteral("api_key: must be a non-empty string"));
    else if (idValue.isString())
        target = idValue.toString().toLatin1();
    else
        target = ClientResolver::keyId(keyValue.toString().toUtf8());
    if (errors.isEmpty()) {
        if (auto e = ApiKeyLimits::validateTarget(target))
            errors.append(*e);
    }
    for (const QString &field : {QStringLiteral("endpoint"), QStringLiteral("method")}) {
        if (object->contains(field))
            errors.append(QStringLiteral("%1: not allowed in an API-key limit").arg(field));
    }
    object->insert(QStringLiteral("endpoint"), QStringLiteral("/"));
    const auto rule = EndpointLimitRule::fromJson(*object, m_rules->defaultPolicy().algorithm, &errors);
    const ApiKeyLimits &current = m_rules->apiKeys();
    if (errors.isEmpty() && target != ApiKeyLimits::defaultTarget() && !current.overrides.contains(target)
        && current.overrides.size() >= ApiKeyLimits::kMaxOverrides)
        errors.append(QStringLiteral("key_id: at most %1 API-key overrides; delete one first").arg(ApiKeyLimits::kMaxOverrides));
    if (!rule || !errors.isEmpty()) {
        responder.send(errorResponse(ApiErrorKind::InvalidRequest, errors.join(QStringLiteral("; "))));
        return;
    }
    RuleChange change{ChangeKind::ApiKeySet, *rule, target};
    change.rule.endpoint = RuleBook::apiKeyEndpoint(target);
    applyRuleChange(change, keyId, std::make_shared<PendingReply>(this, std::move(responder)));
}

AdminApi::ApiKeyLimits SluiceService::apiKeyLimits() const
{
    const ApiKeyLimits &keys = m_rules->apiKeys();
    AdminApi::ApiKeyLimits limits;
    if (keys.defaultPolicy)
        limits.defaultLimit = apiKeyLimitToApi(ApiKeyLimits::defaultTarget(), *keys.defaultPolicy);
    for (auto it = keys.overrides.cbegin(); it != keys.overrides.cend(); ++it)
        limits.overrides.append(apiKeyLimitToApi(it.key(), it.value()));
    return limits;
}

bool SluiceService::applyLocally(const RuleChange &change, const QString &keyId)
{
    const auto publish = qScopeGuard([this] { publishRules(); });
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(m_clock.nowMs(), Qt::UTC);
    switch (change.kind) {
    case ChangeKind::Set:
        m_rules->setRule(change.rule, keyId, now);
        return true;
    case ChangeKind::Default:
        m_rules->setDefaultPolicy(change.rule.policy, keyId, now);
        return true;
    case ChangeKind::Delete:
        return m_rules->removeRule(change.rule.endpoint, change.rule.method, keyId, now).has_value();
    case ChangeKind::ApiKeySet:
        m_rules->setApiKeyLimit(change.apiKeyTarget, change.rule.policy, keyId, now);
        return true;
    case ChangeKind::ApiKeyDelete:
        return m_rules->removeApiKeyLimit(change.apiKeyTarget, keyId, now).has_value();
    }
    return false;
}

void SluiceService::applyRuleChange(const RuleChange &change, const QString &keyId, const std::shared_ptr<PendingReply> &reply)
{
    const bool isApiKey = change.kind == ChangeKind::ApiKeySet || change.kind == ChangeKind::ApiKeyDelete;
    const bool isDelete = change.kind == ChangeKind::Delete || change.kind == ChangeKind::ApiKeyDelete;
    const auto succeed = [this, change, keyId, reply, isApiKey, isDelete] {
        m_stats.recordConfigUpdate();
        QJsonObject answer{{QStringLiteral("status"), QStringLiteral("success")}};
        if (isApiKey)
            answer.insert(QStringLiteral("key_id"), QString::fromLatin1(change.apiKeyTarget));
        else
            answer.insert(QStringLiteral("endpoint"), change.rule.endpoint);
        if (!change.rule.method.isEmpty())
            answer.insert(QStringLiteral("method"), QString::fromLatin1(change.rule.method));
        if (isDelete) {
            qCInfo(lcConfig).noquote() << "config change: delete" << (change.rule.method.isEmpty() ? QByteArrayLiteral("*") : change.rule.method)
                                       << change.rule.endpoint << "by admin key" << keyId;
            answer.insert(QStringLiteral("message"), isApiKey ? QStringLiteral("API-key limit deleted") : QStringLiteral("Rate limit rule deleted"));
        } else {
            qCInfo(lcConfig).noquote() << "config change:" << describe(change.rule) << "by admin key" << keyId;
            answer.insert(QStringLiteral("message"), isApiKey ? QStringLiteral("API-key limit updated") : QStringLiteral("Rate limit configuration updated"));
            answer.insert(QStringLiteral("requests"), change.rule.policy.limit);
            answer.insert(QStringLiteral("window_seconds"), change.rule.policy.windowMs / 1000);
            answer.insert(QStringLiteral("algorithm"), algorithmName(change.rule.policy.algorithm));
            if (change.rule.policy.burst > 0)
                answer.insert(QStringLiteral("burst"), change.rule.policy.burst);
        }
        reply->send(jsonResponse(answer));
    };
    const auto notFound = [change, reply, isApiKey] {
        reply->send(errorResponse(ApiErrorKind::NotFound,
                                  isApiKey ? QStringLiteral("key_id: no API-key limit for %1").arg(QString::fromLatin1(change.apiKeyTarget))
                                           : QStringLiteral("endpoint: no rule for %1%2")
                                                 .arg(change.rule.method.isEmpty() ? QString() : QString::fromLatin1(change.rule.method) + QLatin1Char(' '),
                                                      change.rule.endpoint)));
    };

    if (!m_ruleSync) {
        const QJsonObject before = m_rules->toJson();
        if (!applyLocally(change, keyId)) {
            notFound();
            return;
        }
        QString error;
        if (!persistRules(&error)) {
            QString ignored;
            m_rules->loadJson(before, &ignored);
            publishRules();
            qCWarning(lcConfig).noquote() << "rule change rejected, cannot save" << m_config.rulesFile << ":" << error;
            reply->send(errorResponse(ApiErrorKind::StoreUnavailable, QStringLiteral("could not save the rules: %1").arg(error)));
            return;
        }
        succeed();
        return;
    }

    AdminApi::HistoryEntry entry;
    entry.time = QDateTime::fromMSecsSinceEpoch(m_clock.nowMs(), Qt::UTC);
    entry.adminKeyId = keyId;
    entry.endpoint = change.rule.endpoint;
    entry.method = QString::fromLatin1(change.rule.method);
    QByteArray field = RedisRuleSync::fieldFor(change.rule.endpoint, change.rule.method);
    QByteArray ruleJson;
    std::optional<RateLimitPolicy> oldApiKeyLimit;
    switch (change.kind) {
    case ChangeKind::Set:
        entry.action = QStringLiteral("set");
        entry.newRule = RuleBook::toApi(change.rule);
        break;
    case ChangeKind::Default:
        entry.action = QStringLiteral("default");
        entry.newRule = RuleBook::defaultToApi(change.rule.policy);
        field = RedisRuleSync::defaultField();
        break;
    case ChangeKind::Delete:
        entry.action = QStringLiteral("delete");
        break;
    case ChangeKind::ApiKeySet:
    case ChangeKind::ApiKeyDelete:
        // The configured API-key default is not in Redis; name it as the old value (Redis' own, when
        // it has one, replaces it in the script).
        oldApiKeyLimit = m_rules->apiKeys().find(change.apiKeyTarget);
        if (oldApiKeyLimit)
            entry.oldRule = RuleBook::apiKeyToApi(change.apiKeyTarget, *oldApiKeyLimit);
        field = RedisRuleSync::apiKeyField(change.apiKeyTarget);
        if (change.kind == ChangeKind::ApiKeySet) {
            entry.action = QStringLiteral("set");
            entry.newRule = RuleBook::apiKeyToApi(change.apiKeyTarget, change.rule.policy);
            break;
        }
        entry.action = QStringLiteral("delete");
        if (change.apiKeyTarget == ApiKeyLimits::defaultTarget()) {
            // The configured default would come back if the field were deleted: keep a marker.
            if (!oldApiKeyLimit) {
                notFound();
                return;
            }
            ruleJson = RedisRuleSync::removedValue();
        }
        break;
    }
    if (entry.newRule)
        ruleJson = QJsonDocument(entry.newRule->toJson()).toJson(QJsonDocument::Compact);
    QPointer<SluiceService> self(this);
    m_ruleSync->write(field, ruleJson, entry, [self, change, keyId, reply, succeed, notFound](RedisRuleSync::WriteResult result, const QString &error) {
        if (!self || self->m_destroying)
            return;
        switch (result) {
        case RedisRuleSync::WriteResult::Applied:
            // Visible here at once; the pub/sub refresh then brings the authoritative copy and history.
            self->applyLocally(change, keyId);
            succeed();
            return;
        case RedisRuleSync::WriteResult::NotFound:
            notFound();
            return;
        case RedisRuleSync::WriteResult::Unavailable:
            qCWarning(lcConfig).noquote() << "rule change rejected, Redis unavailable:" << error;
            reply->send(errorResponse(ApiErrorKind::StoreUnavailable,
                                      QStringLiteral("Redis is unavailable; the change was not confirmed (%1)").arg(error)));
            return;
        }
    });
}

void SluiceService::handleRedisStatus(const HttpRequest &request, HttpResponder responder)
{
    QString keyId;
    if (!authorizeAdmin(request, &keyId, responder))
        return;
    if (!m_healthProbe) {
        responder.send(jsonResponse(redisStatus().toJson()));
        return;
    }
    // A fresh health sample first: answered within the command timeout even when Redis stalls.
    auto reply = std::make_shared<PendingReply>(this, std::move(responder));
    QPointer<SluiceService> self(this);
    m_healthProbe->refresh([self, reply] {
        if (self && !self->m_destroying)
            reply->send(jsonResponse(self->redisStatus().toJson()));
    });
}

RedisPoolUsage SluiceService::redisPoolUsage() const
{
    // Every HTTP thread has its own connections: lane 0 uses the service's store, the others are
    // asked in their threads (they never wait for this one, so the blocking call cannot deadlock).
    RedisPoolUsage total = m_redisStore->poolUsage();
    for (const auto &lane : m_lanes) {
        Lane *l = lane.get();
        if (!l->thread || !l->redis)
            continue;
        RedisPoolUsage usage;
        QMetaObject::invokeMethod(l->context, [l, &usage] { usage = l->redis->poolUsage(); }, Qt::BlockingQueuedConnection);
        total.size += usage.size;
        total.ready += usage.ready;
        total.inFlight += usage.inFlight;
        total.maxInFlight += usage.maxInFlight;
    }
    return total;
}

AdminApi::RedisStatus SluiceService::redisStatus() const
{
    AdminApi::RedisStatus status;
    status.enabled = m_redisStore != nullptr;
    status.connected = m_redisStore && m_redisStore->isConnected();
    status.addr = m_config.redisAddr;
    status.db = m_config.redisDb;
    status.poolSize = m_redisStore ? m_redisStore->poolSize() : 0;
    status.mode = QString::fromLatin1(storeModeName(storeMode()));
    status.errorsTotal = m_redisStore ? m_redisStore->errorsTotal() : 0;
    status.lastError = m_redisStore ? m_redisStore->lastError() : QString();
    status.redisMode = m_config.redisMode;
    status.tls = m_config.redisTls;
    if (m_redisStore) {
        const RedisTopology topology = m_redisStore->topology();
        status.redisMode = RedisSettings::modeName(topology.mode);
        status.slotsCovered = topology.slotsCovered;
        status.sentinelMaster = topology.sentinelMaster;
        status.sentinel = topology.sentinel;
        const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
        const QList<RedisNodeHealth> health = m_healthProbe->nodes();
        for (const RedisTopology::Node &node : topology.nodes) {
            AdminApi::RedisNode n;
            n.addr = node.address;
            n.role = node.master ? QStringLiteral("master") : QStringLiteral("replica");
            n.connected = node.connected;
            n.slotCount = node.slotCount();
            n.slotRanges = node.slotRanges;
            n.master = node.masterAddress;
            for (const RedisNodeHealth &h : health) {
                if (h.address == node.address)
                    n.health = toApi(h, nowMs);
            }
            status.nodes.append(n);
        }
        status.health = toApi(RedisNodeHealth::aggregate(health), nowMs);
        const RedisPoolUsage pool = redisPoolUsage();
        status.pool = AdminApi::RedisPool{pool.size, pool.ready, pool.inFlight, pool.maxInFlight};
    }
    return status;
}

void SluiceService::handleConfig(const HttpRequest &request, HttpResponder responder)
{
    QString keyId;
    if (!authorizeAdmin(request, &keyId, responder))
        return;
    AdminApi::Config config;
    const RateLimitPolicy def = m_rules->defaultPolicy();
    config.requestRateLimit = def.limit;
    const AdminApi::ApiKeyLimits apiKeys = apiKeyLimits();
    config.apiKeyRateLimit = apiKeys.defaultLimit ? apiKeys.defaultLimit->requests : def.limit;
    config.apiKeyDefault = apiKeys.defaultLimit;
    config.apiKeyOverrides = apiKeys.overrides;
    config.windowSeconds = def.windowMs / 1000;
    config.defaultAlgorithm = algorithmName(def.algorithm);
    for (const EndpointLimitRule &rule : m_rules->rules())
        config.endpoints.append(RuleBook::toApi(rule));
    config.listenAddr = m_config.listenAddr();
    config.upstreamUrl = m_config.upstreamUrl.toString(QUrl::RemoveUserInfo);
    config.trustedProxies = m_config.trustedProxies;
    config.redisEnabled = m_config.redisEnabled();
    config.redisAddr = m_config.redisAddr;
    config.redisMode = m_config.redisMode;
    config.redisDb = m_config.redisDb;
    config.redisTls = m_config.redisTls;
    config.rateLimitHeaders = m_config.rateLimitHeaders;
    responder.send(jsonResponse(config.toJson()));
}

void SluiceService::handleHistory(const HttpRequest &request, HttpResponder responder)
{
    QString keyId;
    if (!authorizeAdmin(request, &keyId, responder))
        return;
    QJsonArray entries;
    for (const AdminApi::HistoryEntry &h : m_rules->history())
        entries.append(h.toJson());
    responder.send(jsonResponse({{QStringLiteral("status"), QStringLiteral("success")}, {QStringLiteral("history"), entries}}));
}

HttpResponse SluiceService::health() const
{
    return jsonResponse({{QStringLiteral("status"), QStringLiteral("ok")},
                         {QStringLiteral("mode"), QString::fromLatin1(storeModeName(storeMode()))},
                         {QStringLiteral("version"), QStringLiteral(SLUICE_VERSION)},
                         {QStringLiteral("redis_connected"), storeMode() == StoreMode::Redis}});
}

HttpResponse SluiceService::metrics() const
{
    MetricsState state;
    state.stats = m_stats.snapshot();
    state.mode = storeMode();
    state.redisConnected = storeMode() == StoreMode::Redis;
    state.redisErrors = m_redisStore ? m_redisStore->errorsTotal() : 0;
    state.trackedKeys = m_memoryStore ? m_memoryStore->trackedKeys() : 0;
    if (m_healthProbe) {
        const RedisNodeHealth health = m_healthProbe->overall();
        if (health.hasSample())
            state.redisHealth = health;
        state.nowMs = QDateTime::currentMSecsSinceEpoch();
        state.redisPoolInFlight = redisPoolUsage().inFlight;
    }
    return HttpResponse(200, QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8"), renderMetrics(state));
}

void SluiceService::recordViolation(const Decision &decision, const LimitTarget &target)
{
    ViolationLog::Entry entry;
    entry.timeMs = m_clock.nowMs();
    entry.client = target.clientId;
    entry.key = target.key;
    if (const EndpointLimitRule *rule = target.match.rule) {
        entry.rule = QByteArrayLiteral("endpoint ");
        if (!rule->method.isEmpty())
            entry.rule += rule->method + ' ';
        entry.rule += rule->endpoint.toUtf8();
    } else {
        entry.rule = target.policyName;
    }
    entry.limit = decision.limit;
    entry.retryAfterMs = decision.retryAfterMs;
    m_violations->record(std::move(entry));
}

void SluiceService::handleViolations(const HttpRequest &request, HttpResponder responder)
{
    QString keyId;
    if (!authorizeAdmin(request, &keyId, responder))
        return;
    int limit = kDefaultStatsLimit;
    const QUrlQuery query = request.query();
    if (query.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        limit = query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        if (!ok || limit < 1 || limit > ViolationLog::kDefaultCapacity) {
            responder.send(errorResponse(ApiErrorKind::InvalidRequest,
                                         QStringLiteral("limit: must be an integer between 1 and %1").arg(ViolationLog::kDefaultCapacity)));
            return;
        }
    }
    QList<AdminApi::Violation> list;
    for (const ViolationLog::Entry &e : m_violations->recent(limit)) {
        AdminApi::Violation v;
        v.time = QDateTime::fromMSecsSinceEpoch(e.timeMs, Qt::UTC);
        v.client = QString::fromUtf8(e.client);
        v.key = QString::fromUtf8(e.key);
        v.rule = QString::fromUtf8(e.rule);
        v.limit = e.limit;
        v.retryAfterMs = e.retryAfterMs;
        list.append(v);
    }
    responder.send(jsonResponse(AdminApi::Violation::listToJson(list, m_violations->total())));
}
