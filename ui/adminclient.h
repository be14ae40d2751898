#pragma once

#include "adminapi.h"

#include <QHash>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <chrono>

class QNetworkReply;

// Asynchronous client of the Sluice admin API, the console's only way to reach a service (embedded or
// remote). Every call returns at once; results arrive as typed signals with AdminApi values, failures
// as one requestFailed() signal with a classified error. Each request has a transfer timeout, so a
// hung service never leaves a request pending forever. Lives on the GUI thread; not thread-safe.
class AdminClient : public QObject
{
    Q_OBJECT
public:
    enum class Operation {
        Stats, RedisStatus, Violations, Config, History, ClearKey, PutRule, DeleteRule, PutApiKeyLimit, DeleteApiKeyLimit
    };
    Q_ENUM(Operation)

    enum class ErrorKind {
        Unreachable,   // connection refused, host not found, connection dropped
        Timeout,       // no complete answer within the transfer timeout
        Unauthorized,  // 401: wrong admin key
        AdminDisabled, // 403: the server has no admin key configured
        BadRequest,    // 400: validation failed; apiError names the field
        NotFound,      // 404: no such key or rule
        ServerError,   // 5xx
        BadResponse,   // an answer that is not the JSON the contract promises
    };
    Q_ENUM(ErrorKind)

    struct Failure
    {
        ErrorKind kind = ErrorKind::Unreachable;
        int httpStatus = 0;         // 0 when no HTTP answer arrived
        AdminApi::Error apiError;   // the service's {"error","message"} when it sent one
        QString detail;             // transport error text (untranslated, for the events pane)
        QString context;            // the key, "endpoint\nmethod" for rule operations, the key id for API-key limits
    };

    explicit AdminClient(QObject *parent = nullptr);

    // Points the client at a service. Requests still in flight for the previous target are aborted
    // and their answers dropped, so results never mix two services.
    void setTarget(const QUrl &baseUrl, const QString &adminKey);
    QUrl baseUrl() const { return m_baseUrl; }
    bool hasTarget() const { return m_baseUrl.isValid(); }

    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    std::chrono::milliseconds timeout() const { return m_timeout; }

    // True while a request of this operation awaits its answer; pollers skip a tick rather than pile up.
    bool isInFlight(Operation operation) const;

    void fetchStats(int limit);
    void fetchRedisStatus();
    // The newest `limit` rate-limit violations (429s).
    void fetchViolations(int limit);
    void fetchConfig();
    void fetchHistory();
    void clearKey(const QString &key);
    void putRule(const AdminApi::EndpointRule &rule);
    void deleteRule(const QString &endpoint, const QString &method);
    // `limit.keyId` is "default" (the API-key clients' default) or one key's id.
    void putApiKeyLimit(const AdminApi::ApiKeyLimit &limit);
    void deleteApiKeyLimit(const QString &keyId);

    static QString operationName(Operation operation);

signals:
    void statsReceived(const AdminApi::Stats &stats);
    void redisStatusReceived(const AdminApi::RedisStatus &status);
    // `violations` newest first; `total` counts every violation since the service started.
    void violationsReceived(const QList<AdminApi::Violation> &violations, qint64 total);
    void configReceived(const AdminApi::Config &config);
    void historyReceived(const QList<AdminApi::HistoryEntry> &history);
    void keyCleared(const QString &key);
    void ruleSaved(const QString &endpoint, const QString &method);
    void ruleDeleted(const QString &endpoint, const QString &method);
    void apiKeyLimitSaved(const QString &keyId);
    void apiKeyLimitDeleted(const QString &keyId);
    void requestFailed(AdminClient::Operation operation, const AdminClient::Failure &failure);

private:
    enum class Verb { Get, Post, Put, Delete };
    void send(Operation operation, Verb verb, const QString &path,
              const QList<std::pair<QString, QString>> &query, const QByteArray &body,
              const QString &context);
    void finish(QNetworkReply *reply, Operation operation, const QString &context, quint64 generation);
    void deliver(Operation operation, const QJsonObject &body, const QString &context);

    QNetworkAccessManager m_network;
    QUrl m_baseUrl;
    QByteArray m_adminKey;
    std::chrono::milliseconds m_timeout{5000};
    quint64 m_generation = 0;
    QHash<Operation, int> m_inFlight;
    QList<QPointer<QNetworkReply>> m_replies;
};

Q_DECLARE_METATYPE(AdminClient::Failure)
