#pragma once

#include "serviceconfig.h"
#include "sluiceservice.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

#include <memory>

// A real SluiceService in the test's own thread on a free loopback port, plus synchronous HTTP helpers
// for the test's assertions (they spin a local event loop, which also runs the service).
// Used by the console tests instead of a fake: the console must agree with the real admin API.
class UiTestService
{
public:
    explicit UiTestService(QByteArray adminKey = QByteArrayLiteral("ui-test-admin-key"))
        : m_adminKey(std::move(adminKey))
    {
    }
    // Believe X-Forwarded-For / X-Forwarded-Uri from loopback, so tests can act as many clients and paths.
    void setTrustLoopback() { m_trustLoopback = true; }
    // Decide in this Redis ("host:port") instead of memory.
    void setRedisAddress(const QString &address) { m_redisAddress = address; }
    ~UiTestService() { stop(); }

    // Starts on `port` (0: a free port). Returns false with *error set when the service cannot start.
    bool start(quint16 port = 0, QString *error = nullptr)
    {
        ServiceConfig config = ServiceConfig::defaults();
        config.listenHost = QStringLiteral("127.0.0.1");
        config.listenPort = port;
        if (!m_adminKey.isEmpty())
            config.adminKeys = {m_adminKey};
        config.requestRateLimit = 60;
        if (m_trustLoopback)
            config.trustedProxies = {QStringLiteral("127.0.0.1/32")};
        config.redisAddr = m_redisAddress;
        m_service = std::make_unique<SluiceService>(config);
        QString message;
        if (!m_service->start(&message)) {
            if (error)
                *error = message;
            m_service.reset();
            return false;
        }
        m_port = m_service->port();
        return true;
    }
    // Stops and destroys the service, closing its connections, as a crash or restart would.
    void stop()
    {
        if (!m_service)
            return;
        m_service->stop();
        m_service.reset();
    }
    bool isRunning() const { return m_service != nullptr; }

    quint16 port() const { return m_port; }
    QUrl baseUrl() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port)); }
    QString adminKey() const { return QString::fromLatin1(m_adminKey); }

    // Sends `count` rate-limited requests as API-key client `apiKey` (GET /v1/ratelimit/check).
    // Returns the number answered 200.
    int hit(const QByteArray &apiKey, int count)
    {
        return hitWith({{"X-API-Key", apiKey}}, count);
    }
    // Same with arbitrary headers (X-Forwarded-For, X-Forwarded-Uri need setTrustLoopback()).
    int hitWith(const QList<std::pair<QByteArray, QByteArray>> &headers, int count)
    {
        int allowed = 0;
        for (int i = 0; i < count; ++i) {
            QUrl url = baseUrl();
            url.setPath(QStringLiteral("/v1/ratelimit/check"));
            QNetworkRequest request(url);
            for (const auto &[name, value] : headers)
                request.setRawHeader(name, value);
            if (send(m_network.get(request)).first == 200)
                ++allowed;
        }
        return allowed;
    }

    // PUT /admin/rate-limit/config; returns the status.
    int putRule(const QJsonObject &rule) { return adminPut(QStringLiteral("/admin/rate-limit/config"), rule); }
    // PUT /admin/rate-limit/api-keys; returns the status.
    int putApiKeyLimit(const QJsonObject &limit) { return adminPut(QStringLiteral("/admin/rate-limit/api-keys"), limit); }

    // GET on the admin API with the right key; returns (status, JSON body).
    std::pair<int, QJsonObject> adminGet(const QString &pathAndQuery)
    {
        QNetworkRequest request(QUrl(baseUrl().toString() + pathAndQuery));
        request.setRawHeader("X-Admin-Key", m_adminKey);
        return send(m_network.get(request));
    }

private:
    int adminPut(const QString &path, const QJsonObject &body)
    {
        QNetworkRequest request(QUrl(baseUrl().toString() + path));
        request.setRawHeader("X-Admin-Key", m_adminKey);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        return send(m_network.put(request, QJsonDocument(body).toJson(QJsonDocument::Compact))).first;
    }

    std::pair<int, QJsonObject> send(QNetworkReply *reply)
    {
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(5000, &loop, &QEventLoop::quit);
        if (!reply->isFinished())
            loop.exec();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
        reply->deleteLater();
        return {status, body};
    }

    QByteArray m_adminKey;
    bool m_trustLoopback = false;
    QString m_redisAddress;
    std::unique_ptr<SluiceService> m_service;
    quint16 m_port = 0;
    QNetworkAccessManager m_network;
};
