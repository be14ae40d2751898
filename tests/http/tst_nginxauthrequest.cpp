// Debian's real nginx in front of an in-process SluiceService via auth_request, with the config of
// nginx-auth-request.conf (the README recipe): allowed requests reach the API with X-RateLimit-*,
// Sluice's 429 reaches the client as a 429 with Retry-After, and the client cannot spoof its address
// or the checked URI. A ManualClock makes Retry-After exact.

#include "httpclient.h"
#include "manualclock.h"
#include "sluiceservice.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

using namespace std::chrono_literals;

namespace {

const QByteArray kAdminKey = QByteArrayLiteral("nginx-test-admin");

QString nginxPath()
{
    QString path = QStandardPaths::findExecutable(QStringLiteral("nginx"));
    if (path.isEmpty())
        path = QStandardPaths::findExecutable(QStringLiteral("nginx"), {QStringLiteral("/usr/sbin")});
    return path;
}

} // namespace

class tst_NginxAuthRequest : public QObject
{
    Q_OBJECT

private:
    ManualClock m_clock;
    std::unique_ptr<SluiceService> m_service;
    QTemporaryDir m_dir;
    QProcess m_nginx;
    quint16 m_nginxPort = 0;
    HttpClient m_http;

    QUrl nginxUrl(const QString &path) const { return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_nginxPort).arg(path)); }

    // Writes the config for a candidate port and starts nginx; false if nginx did not come up.
    bool launchNginx(quint16 port, QString *error)
    {
        QFile templateFile(QStringLiteral(SLUICE_NGINX_TEMPLATE));
        if (!templateFile.open(QIODevice::ReadOnly)) {
            *error = templateFile.errorString();
            return false;
        }
        QByteArray conf = templateFile.readAll();
        conf.replace("@PREFIX@", m_dir.path().toUtf8());
        conf.replace("@SLUICE_PORT@", QByteArray::number(m_service->port()));
        conf.replace("@NGINX_PORT@", QByteArray::number(port));
        QFile confFile(m_dir.filePath(QStringLiteral("nginx.conf")));
        if (!confFile.open(QIODevice::WriteOnly) || confFile.write(conf) != conf.size()) {
            *error = confFile.errorString();
            return false;
        }
        confFile.close();
        m_nginx.setProcessChannelMode(QProcess::MergedChannels);
        m_nginx.start(nginxPath(), {QStringLiteral("-p"), m_dir.path(), QStringLiteral("-c"), confFile.fileName(),
                                    QStringLiteral("-g"), QStringLiteral("daemon off;")});
        if (!m_nginx.waitForStarted(5000)) {
            *error = m_nginx.errorString();
            return false;
        }
        const QDeadlineTimer deadline(5000);
        while (!deadline.hasExpired()) {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, port);
            if (probe.waitForConnected(100)) {
                m_nginxPort = port;
                return true;
            }
            if (m_nginx.state() == QProcess::NotRunning)
                break;
            QTest::qWait(20);
        }
        *error = QString::fromLocal8Bit(m_nginx.readAll());
        QFile log(m_dir.filePath(QStringLiteral("error.log")));
        if (log.open(QIODevice::ReadOnly))
            *error += QString::fromLocal8Bit(log.readAll());
        m_nginx.kill();
        m_nginx.waitForFinished(3000);
        return false;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(!nginxPath().isEmpty(), "nginx is not installed (apt-get install nginx-light)");
        QVERIFY(m_dir.isValid());
        for (const char *sub : {"tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi", "www", "logs"})
            QVERIFY(QDir(m_dir.path()).mkpath(QString::fromLatin1(sub)));
        QFile page(m_dir.filePath(QStringLiteral("www/ok.json")));
        QVERIFY(page.open(QIODevice::WriteOnly));
        page.write("{\"api\":\"ok\"}\n");
        page.close();
        // When the test runs as root, nginx's workers run as an unprivileged user: let them in.
        const auto open = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner | QFileDevice::ReadGroup
                          | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::ExeOther;
        QVERIFY(QFile::setPermissions(m_dir.path(), open));
        QVERIFY(QFile::setPermissions(m_dir.filePath(QStringLiteral("www")), open));
        for (const char *sub : {"tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"})
            QVERIFY(QFile::setPermissions(m_dir.filePath(QString::fromLatin1(sub)), open | QFileDevice::WriteGroup | QFileDevice::WriteOther));

        ServiceConfig config = ServiceConfig::defaults();
        config.listenHost = QStringLiteral("127.0.0.1");
        config.listenPort = 0;
        config.adminKeys = {kAdminKey};
        config.requestRateLimit = 3;
        config.trustedProxies = {QStringLiteral("127.0.0.1/32")};
        m_service = std::make_unique<SluiceService>(config, m_clock);
        QString error;
        QVERIFY2(m_service->start(&error), qPrintable(error));

        // A free port for nginx: ask the kernel, release it, let nginx bind it; retry on a lost race.
        bool up = false;
        for (int attempt = 0; attempt < 10 && !up; ++attempt) {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            const quint16 port = probe.serverPort();
            probe.close();
            up = launchNginx(port, &error);
        }
        QVERIFY2(up, qPrintable(QStringLiteral("nginx did not start: ") + error));
    }

    void cleanupTestCase()
    {
        if (m_nginx.state() != QProcess::NotRunning) {
            ::kill(pid_t(m_nginx.processId()), SIGQUIT);
            if (!m_nginx.waitForFinished(5000))
                m_nginx.kill();
        }
        m_service.reset();
    }

    void allowedRequestsReachTheApiWithHeaders()
    {
        for (int i = 0; i < 3; ++i) {
            const HttpResult r = m_http.get(nginxUrl(QStringLiteral("/v1/models")));
            QCOMPARE(r.status, 200);
            QCOMPARE(r.body, QByteArray("{\"api\":\"ok\"}\n"));
            QCOMPARE(r.header("X-RateLimit-Limit"), QByteArray("3"));
            QCOMPARE(r.header("X-RateLimit-Remaining"), QByteArray::number(2 - i));
            QCOMPARE(r.header("X-RateLimit-Reset"), QByteArray::number((m_clock.nowMs() + 60'000 + 999) / 1000));
        }
    }

    void deniedRequestsGet429WithRetryAfter()
    {
        m_clock.advance(15'000ms);
        const HttpResult r = m_http.get(nginxUrl(QStringLiteral("/v1/models")));
        QCOMPARE(r.status, 429);
        QCOMPARE(r.header("Retry-After"), QByteArray("45"));
        QCOMPARE(r.header("X-RateLimit-Remaining"), QByteArray("0"));
        QCOMPARE(r.json().value("error").toString(), QStringLiteral("rate_limit_exceeded"));
        QCOMPARE(r.json().value("retry_after").toInt(), 45);
    }

    void clientCannotSpoofAddressOrUri()
    {
        // Still the same client (127.0.0.1) whatever it claims, so still limited.
        const HttpResult r = m_http.get(nginxUrl(QStringLiteral("/v1/models")),
                                        {{"X-Forwarded-For", "203.0.113.9"}, {"X-Real-IP", "203.0.113.9"},
                                         {"X-Original-URI", "/elsewhere"}, {"X-Forwarded-Uri", "/elsewhere"}});
        QCOMPARE(r.status, 429);
    }

    void endpointRulesApplyToTheOriginalUri()
    {
        const HttpResult put = m_http.send("PUT", QUrl(m_service->baseUrl().toString() + QStringLiteral("/admin/rate-limit/config")),
                                           {{"X-Admin-Key", kAdminKey}},
                                           "{\"endpoint\":\"/v1/images/*\",\"requests\":2,\"window\":60}");
        QCOMPARE(put.status, 200);
        QCOMPARE(m_http.get(nginxUrl(QStringLiteral("/v1/images/generations?size=1"))).header("X-RateLimit-Limit"), QByteArray("2"));
        QCOMPARE(m_http.get(nginxUrl(QStringLiteral("/v1/images/edits"))).status, 200);
        const HttpResult denied = m_http.get(nginxUrl(QStringLiteral("/v1/images/generations")));
        QCOMPARE(denied.status, 429);
        QCOMPARE(denied.header("Retry-After"), QByteArray("60"));
    }

    void unavailableSluiceIsAnErrorNotAPass()
    {
        m_service->stop();
        m_service.reset();
        const HttpResult r = m_http.get(nginxUrl(QStringLiteral("/v1/models")));
        QCOMPARE(r.status, 503);
    }
};

QTEST_MAIN(tst_NginxAuthRequest)
#include "tst_nginxauthrequest.moc"
