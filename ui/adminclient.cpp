#include "adminclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace {

AdminClient::ErrorKind kindForStatus(int status)
{
    switch (status) {
    case 400: return AdminClient::ErrorKind::BadRequest;
    case 401: return AdminClient::ErrorKind::Unauthorized;
    case 403: return AdminClient::ErrorKind::AdminDisabled;
    case 404: return AdminClient::ErrorKind::NotFound;
    default: break;
    }
    return status >= 500 ? AdminClient::ErrorKind::ServerError : AdminClient::ErrorKind::BadResponse;
}

AdminClient::ErrorKind kindForTransport(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::OperationCanceledError: // what setTransferTimeout() reports
    case QNetworkReply::TimeoutError:
        return AdminClient::ErrorKind::Timeout;
    default:
        return AdminClient::ErrorKind::Unreachable;
    }
}

} // namespace

AdminClient::AdminClient(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<AdminClient::Failure>();
    // Polling reuses the keep-alive connection; a remote service behind a proxy still sees one
    // connection per console instead of one per second.
    m_network.setAutoDeleteReplies(false);
}

void AdminClient::setTarget(const QUrl &baseUrl, const QString &adminKey)
{
    ++m_generation;
    const auto replies = std::exchange(m_replies, {});
    for (const QPointer<QNetworkReply> &reply : replies) {
        if (reply)
            reply->abort();
    }
    m_inFlight.clear();
    m_baseUrl = baseUrl;
    m_adminKey = adminKey.toUtf8();
}

bool AdminClient::isInFlight(Operation operation) const
{
    return m_inFlight.value(operation) > 0;
}

void AdminClient::fetchStats(int limit)
{
    send(Operation::Stats, Verb::Get, QStringLiteral("/admin/rate-limit/stats"),
         {{QStringLiteral("limit"), QString::number(limit)}, {QStringLiteral("sort"), QStringLiteral("usage")}},
         {}, {});
}

void AdminClient::fetchRedisStatus()
{
    send(Operation::RedisStatus, Verb::Get, QStringLiteral("/admin/redis/status"), {}, {}, {});
}

void AdminClient::fetchViolations(int limit)
{
    send(Operation::Violations, Verb::Get, QStringLiteral("/admin/rate-limit/violations"),
         {{QStringLiteral("limit"), QString::number(limit)}}, {}, {});
}

void AdminClient::fetchConfig()
{
    send(Operation::Config, Verb::Get, QStringLiteral("/admin/config"), {}, {}, {});
}

void AdminClient::fetchHistory()
{
    send(Operation::History, Verb::Get, QStringLiteral("/admin/config/history"), {}, {}, {});
}

void AdminClient::clearKey(const QString &key)
{
    send(Operation::ClearKey, Verb::Post, QStringLiteral("/admin/rate-limit/clear"), {{QStringLiteral("key"), key}},
         {}, key);
}

void AdminClient::putRule(const AdminApi::EndpointRule &rule)
{
    send(Operation::PutRule, Verb::Put, QStringLiteral("/admin/rate-limit/config"), {},
         QJsonDocument(rule.toRequestJson()).toJson(QJsonDocument::Compact),
         rule.endpoint + QLatin1Char('\n') + rule.method);
}

void AdminClient::deleteRule(const QString &endpoint, const QString &method)
{
    QList<std::pair<QString, QString>> query{{QStringLiteral("endpoint"), endpoint}};
    if (!method.isEmpty())
        query.append({QStringLiteral("method"), method});
    send(Operation::DeleteRule, Verb::Delete, QStringLiteral("/admin/rate-limit/config"), query, {},
         endpoint + QLatin1Char('\n') + method);
}

void AdminClient::putApiKeyLimit(const AdminApi::ApiKeyLimit &limit)
{
    send(Operation::PutApiKeyLimit, Verb::Put, QStringLiteral("/admin/rate-limit/api-keys"), {},
         QJsonDocument(limit.toRequestJson()).toJson(QJsonDocument::Compact), limit.keyId);
}

void AdminClient::deleteApiKeyLimit(const QString &keyId)
{
    send(Operation::DeleteApiKeyLimit, Verb::Delete, QStringLiteral("/admin/rate-limit/api-keys"),
         {{QStringLiteral("key_id"), keyId}}, {}, keyId);
}

QString AdminClient::operationName(Operation operation)
{
    switch (operation) {
    case Operation::Stats: return QStringLiteral("stats");
    case Operation::RedisStatus: return QStringLiteral("redis-status");
    case Operation::Violations: return QStringLiteral("violations");
    case Operation::Config: return QStringLiteral("config");
    case Operation::History: return QStringLiteral("history");
    case Operation::ClearKey: return QStringLiteral("clear");
    case Operation::PutRule: return QStringLiteral("put-rule");
    case Operation::DeleteRule: return QStringLiteral("delete-rule");
    case Operation::PutApiKeyLimit: return QStringLiteral("put-api-key-limit");
    case Operation::DeleteApiKeyLimit: return QStringLiteral("delete-api-key-limit");
    }
    return {};
}

void AdminClient::send(Operation operation, Verb verb, const QString &path,
                       const QList<std::pair<QString, QString>> &query, const QByteArray &body,
                       const QString &context)
{
    QUrl url = m_baseUrl;
    url.setPath(path);
    // Percent-encode each value ourselves: storage keys contain ':' and '/', and a client id could
    // contain '&', '+' or '=' which QUrlQuery would leave ambiguous.
    QByteArray encoded;
    for (const auto &[name, value] : query) {
        if (!encoded.isEmpty())
            encoded += '&';
        encoded += QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value);
    }
    url.setQuery(QString::fromLatin1(encoded), QUrl::StrictMode);

    QNetworkRequest request(url);
    request.setRawHeader("X-Admin-Key", m_adminKey);
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(int(m_timeout.count()));
    QNetworkReply *reply = nullptr;
    switch (verb) {
    case Verb::Get:
        reply = m_network.get(request);
        break;
    case Verb::Post:
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        reply = m_network.post(request, body);
        break;
    case Verb::Put:
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        reply = m_network.put(request, body);
        break;
    case Verb::Delete:
        reply = m_network.deleteResource(request);
        break;
    }
    ++m_inFlight[operation];
    m_replies.append(reply);
    const quint64 generation = m_generation;
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, operation, context, generation] { finish(reply, operation, context, generation); });
}

void AdminClient::finish(QNetworkReply *reply, Operation operation, const QString &context, quint64 generation)
{
    reply->deleteLater();
    if (generation != m_generation)
        return; // answer for a previous target
    m_replies.removeAll(reply);
    if (--m_inFlight[operation] <= 0)
        m_inFlight.remove(operation);

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    Failure failure;
    failure.context = context;
    failure.httpStatus = status;
    if (status == 0) {
        failure.kind = kindForTransport(reply->error());
        failure.detail = reply->errorString();
        emit requestFailed(operation, failure);
        return;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(reply->readAll(), &parseError);
    if (status < 200 || status >= 300) {
        failure.kind = kindForStatus(status);
        if (document.isObject())
            failure.apiError = AdminApi::Error::fromJson(document.object());
        failure.detail = QStringLiteral("HTTP %1").arg(status);
        emit requestFailed(operation, failure);
        return;
    }
    if (!document.isObject()) {
        failure.kind = ErrorKind::BadResponse;
        failure.detail = parseError.errorString();
        emit requestFailed(operation, failure);
        return;
    }
    deliver(operation, document.object(), context);
}

void AdminClient::deliver(Operation operation, const QJsonObject &body, const QString &context)
{
    switch (operation) {
    case Operation::Stats:
        emit statsReceived(AdminApi::Stats::fromJson(body));
        return;
    case Operation::RedisStatus:
        emit redisStatusReceived(AdminApi::RedisStatus::fromJson(body));
        return;
    case Operation::Violations:
        emit violationsReceived(AdminApi::Violation::listFromJson(body),
                                body.value(QStringLiteral("total")).toInteger());
        return;
    case Operation::Config:
        emit configReceived(AdminApi::Config::fromJson(body));
        return;
    case Operation::History: {
        QList<AdminApi::HistoryEntry> history;
        for (const QJsonValue &v : body.value(QStringLiteral("history")).toArray())
            history.append(AdminApi::HistoryEntry::fromJson(v.toObject()));
        emit historyReceived(history);
        return;
    }
    case Operation::ClearKey:
        emit keyCleared(context);
        return;
    case Operation::PutRule: {
        const qsizetype split = context.indexOf(QLatin1Char('\n'));
        emit ruleSaved(context.left(split), context.mid(split + 1));
        return;
    }
    case Operation::DeleteRule: {
        const qsizetype split = context.indexOf(QLatin1Char('\n'));
        emit ruleDeleted(context.left(split), context.mid(split + 1));
        return;
    }
    case Operation::PutApiKeyLimit:
        emit apiKeyLimitSaved(context);
        return;
    case Operation::DeleteApiKeyLimit:
        emit apiKeyLimitDeleted(context);
        return;
    }
}
