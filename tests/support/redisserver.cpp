#include "redisserver.h"

#include "testcertificates.h"

#include <QDeadlineTimer>
#include <QStandardPaths>
#include <QTcpServer>
#include <QThread>

namespace {

quint16 pickPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace

RedisServer::RedisServer(QStringList extraArgs) : m_extraArgs(std::move(extraArgs)) {}

RedisServer::~RedisServer()
{
    kill();
}

QString RedisServer::redisServerPath()
{
    QString path = QStandardPaths::findExecutable(QStringLiteral("redis-server"));
    if (path.isEmpty())
        path = QStandardPaths::findExecutable(QStringLiteral("redis-server"), {QStringLiteral("/usr/bin"), QStringLiteral("/usr/sbin")});
    return path;
}

void RedisServer::useTls(const TestCertificates &certs, ClientAuth clientAuth)
{
    const char *auth = clientAuth == ClientAuth::Yes ? "yes" : clientAuth == ClientAuth::Optional ? "optional" : "no";
    m_tlsArgs = {QStringLiteral("--tls-cert-file"), certs.serverCertFile(),
                 QStringLiteral("--tls-key-file"), certs.serverKeyFile(),
                 QStringLiteral("--tls-ca-cert-file"), certs.caFile(),
                 QStringLiteral("--tls-auth-clients"), QString::fromLatin1(auth)};
    m_cliTlsArgs = {QStringLiteral("--tls"), QStringLiteral("--cacert"), certs.caFile(),
                    QStringLiteral("--cert"), certs.clientCertFile(), QStringLiteral("--key"), certs.clientKeyFile()};
}

bool RedisServer::start()
{
    if (redisServerPath().isEmpty()) {
        m_error = QStringLiteral("redis-server is not installed (apt-get install redis-server); Redis tests cannot run");
        return false;
    }
    for (int attempt = 0; attempt < 20; ++attempt) {
        if (launch(pickPort()))
            return true;
    }
    return false;
}

bool RedisServer::restart()
{
    kill();
    for (int attempt = 0; attempt < 50; ++attempt) {
        if (launch(m_port))
            return true;
        QThread::msleep(100);
    }
    return false;
}

bool RedisServer::launch(quint16 port)
{
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    QStringList args = m_tlsArgs.isEmpty()
        ? QStringList{QStringLiteral("--port"), QString::number(port)}
        : QStringList{QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--tls-port"), QString::number(port)} + m_tlsArgs;
    args += QStringList{QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                        QStringLiteral("--save"), QString(),
                        QStringLiteral("--appendonly"), QStringLiteral("no"),
                        QStringLiteral("--daemonize"), QStringLiteral("no"),
                        QStringLiteral("--dir"), m_dir.path(),
                        QStringLiteral("--enable-debug-command"), QStringLiteral("local")};
    args += m_extraArgs;
    m_process->start(redisServerPath(), args);
    if (!m_process->waitForStarted(5000)) {
        m_error = QStringLiteral("redis-server did not start: ") + m_process->errorString();
        return false;
    }
    QByteArray output;
    const QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        if (m_process->waitForReadyRead(100))
            output += m_process->readAll();
        if (output.contains("Ready to accept connections")) {
            m_port = port;
            return true;
        }
        if (m_process->state() == QProcess::NotRunning)
            break;
    }
    output += m_process->readAll();
    m_error = QStringLiteral("redis-server on port %1 failed: %2").arg(port).arg(QString::fromLocal8Bit(output.right(400)));
    m_process->kill();
    m_process->waitForFinished(2000);
    m_process.reset();
    return false;
}

void RedisServer::kill()
{
    if (!m_process)
        return;
    m_process->kill();
    m_process->waitForFinished(5000);
    m_process.reset();
}

bool RedisServer::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

QByteArray RedisServer::address() const
{
    return QByteArrayLiteral("127.0.0.1:") + QByteArray::number(m_port);
}

QByteArray RedisServer::cli(const QStringList &args, const QByteArray &password) const
{
    QProcess p;
    QStringList all{QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(m_port)};
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!password.isEmpty())
        env.insert(QStringLiteral("REDISCLI_AUTH"), QString::fromUtf8(password));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("redis-cli"), all + m_cliTlsArgs + args);
    p.waitForFinished(10000);
    return p.readAllStandardOutput().trimmed();
}
