#include "redissentinelfixture.h"

#include "testcertificates.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QTcpServer>
#include <QThread>

RedisSentinelFixture::RedisSentinelFixture(int sentinels, QByteArray password, QByteArray sentinelPassword)
    : m_sentinelCount(sentinels), m_password(std::move(password)), m_sentinelPassword(std::move(sentinelPassword))
{
}

RedisSentinelFixture::~RedisSentinelFixture()
{
    for (auto &p : m_sentinels) {
        p->kill();
        p->waitForFinished(5000);
    }
}

bool RedisSentinelFixture::start()
{
    QStringList auth;
    if (!m_password.isEmpty())
        auth << QStringLiteral("--requirepass") << QString::fromUtf8(m_password) << QStringLiteral("--masterauth") << QString::fromUtf8(m_password);
    if (m_certs)
        auth << QStringLiteral("--tls-replication") << QStringLiteral("yes");
    m_master = std::make_unique<RedisServer>(auth);
    if (m_certs)
        m_master->useTls(*m_certs);
    if (!m_master->start()) {
        m_error = QStringLiteral("master: ") + m_master->errorString();
        return false;
    }
    m_replica = std::make_unique<RedisServer>(auth + QStringList{QStringLiteral("--replicaof"), QStringLiteral("127.0.0.1"),
                                                                 QString::number(m_master->port())});
    if (m_certs)
        m_replica->useTls(*m_certs);
    if (!m_replica->start()) {
        m_error = QStringLiteral("replica: ") + m_replica->errorString();
        return false;
    }
    for (int i = 0; i < m_sentinelCount; ++i) {
        if (!startSentinel(i))
            return false;
    }
    // Wait until each sentinel has found the replica and the other sentinels (hello messages).
    const QDeadlineTimer deadline(30000);
    while (!deadline.hasExpired()) {
        bool all = true;
        for (int i = 0; i < m_sentinelCount && all; ++i) {
            const QByteArray info = sentinelCli(i, {QStringLiteral("SENTINEL"), QStringLiteral("MASTER"), QString::fromLatin1(masterName())});
            const QList<QByteArray> lines = info.split('\n');
            auto field = [&](const QByteArray &name) {
                const qsizetype at = lines.indexOf(name);
                return at >= 0 && at + 1 < lines.size() ? lines.at(at + 1).trimmed().toInt() : -1;
            };
            all = field("num-slaves") == 1 && field("num-other-sentinels") == m_sentinelCount - 1;
        }
        if (all)
            return true;
        QThread::msleep(100);
    }
    m_error = QStringLiteral("the sentinels did not discover the replica and each other");
    return false;
}

bool RedisSentinelFixture::startSentinel(int i)
{
    for (int attempt = 0; attempt < 20; ++attempt) {
        quint16 port = 0;
        {
            QTcpServer probe;
            probe.listen(QHostAddress::LocalHost, 0);
            port = probe.serverPort();
        }
        const QString config = m_dir.filePath(QStringLiteral("sentinel-%1-%2.conf").arg(i).arg(port));
        QFile f(config);
        if (!f.open(QIODevice::WriteOnly)) {
            m_error = QStringLiteral("cannot write %1").arg(config);
            return false;
        }
        QByteArray text = m_certs ? "port 0\ntls-port " + QByteArray::number(port) + "\ntls-replication yes\ntls-auth-clients no"
                                    + "\ntls-cert-file " + m_certs->serverCertFile().toUtf8() + "\ntls-key-file "
                                    + m_certs->serverKeyFile().toUtf8() + "\ntls-ca-cert-file " + m_certs->caFile().toUtf8()
                                  : "port " + QByteArray::number(port);
        text += "\nbind 127.0.0.1\ndaemonize no\ndir " + m_dir.path().toUtf8()
                          + "\nsentinel resolve-hostnames no\nsentinel monitor " + masterName() + " 127.0.0.1 "
                          + QByteArray::number(m_master->port()) + " 2\nsentinel down-after-milliseconds " + masterName()
                          + " 1000\nsentinel failover-timeout " + masterName() + " 10000\n";
        if (!m_password.isEmpty())
            text += "sentinel auth-pass " + masterName() + ' ' + m_password + '\n';
        if (!m_sentinelPassword.isEmpty())
            text += "requirepass " + m_sentinelPassword + "\nsentinel sentinel-pass " + m_sentinelPassword + '\n';
        f.write(text);
        f.close();

        auto process = std::make_unique<QProcess>();
        process->setProcessChannelMode(QProcess::MergedChannels);
        process->start(RedisServer::redisServerPath(), {config, QStringLiteral("--sentinel")});
        if (!process->waitForStarted(5000)) {
            m_error = QStringLiteral("sentinel did not start: ") + process->errorString();
            return false;
        }
        QByteArray output;
        const QDeadlineTimer deadline(10000);
        while (!deadline.hasExpired() && process->state() == QProcess::Running && !output.contains("+monitor")) {
            if (process->waitForReadyRead(100))
                output += process->readAll();
        }
        if (output.contains("+monitor")) {
            m_sentinels.push_back(std::move(process));
            m_sentinelPorts.append(port);
            return true;
        }
        m_error = QStringLiteral("sentinel on port %1 failed: %2").arg(port).arg(QString::fromLocal8Bit(output.right(400)));
        process->kill();
        process->waitForFinished(2000);
    }
    return false;
}

QString RedisSentinelFixture::sentinelAddresses() const
{
    QStringList all;
    for (quint16 port : m_sentinelPorts)
        all << QStringLiteral("127.0.0.1:%1").arg(port);
    return all.join(u',');
}

QByteArray RedisSentinelFixture::sentinelCli(int i, const QStringList &args) const
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!m_sentinelPassword.isEmpty())
        env.insert(QStringLiteral("REDISCLI_AUTH"), QString::fromUtf8(m_sentinelPassword));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("redis-cli"), QStringList{QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                                                     QString::number(m_sentinelPorts.at(i))}
                                           + m_master->cliTlsArgs() + args);
    p.waitForFinished(10000);
    return p.readAllStandardOutput().trimmed();
}

quint16 RedisSentinelFixture::reportedMasterPort(int i) const
{
    const QList<QByteArray> lines =
        sentinelCli(i, {QStringLiteral("SENTINEL"), QStringLiteral("GET-MASTER-ADDR-BY-NAME"), QString::fromLatin1(masterName())}).split('\n');
    return lines.size() == 2 ? quint16(lines.at(1).trimmed().toUInt()) : 0;
}
