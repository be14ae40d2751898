#pragma once

#include "redisserver.h"

#include <QByteArray>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>
#include <vector>

class TestCertificates;

// A private Sentinel set-up for one test executable: one master, one replica and `sentinels`
// sentinels (`redis-server <generated config> --sentinel`, no extra package needed) monitoring the
// master as `masterName()` with a quorum of 2 and down-after 1 s. Every process gets a free loopback
// port, tried again on another port when the bind fails. With a password, the data nodes require it
// (and the replica and sentinels authenticate with it) and the sentinels require sentinelPassword.
// start() returns once every sentinel knows the replica and the other sentinels. Synchronous
// redis-cli helpers, for set-up and assertions only.
class RedisSentinelFixture
{
public:
    RedisSentinelFixture(int sentinels = 3, QByteArray password = {}, QByteArray sentinelPassword = {});
    ~RedisSentinelFixture();

    // Before start(): every process serves TLS only; replication and the sentinels' links are TLS too.
    void useTls(const TestCertificates &certs) { m_certs = &certs; }
    bool start();
    QString errorString() const { return m_error; }

    static QByteArray masterName() { return QByteArrayLiteral("sluice-master"); }
    RedisServer &master() { return *m_master; }
    RedisServer &replica() { return *m_replica; }
    // "127.0.0.1:p1,127.0.0.1:p2,..." for RedisSettings::parseSentinels().
    QString sentinelAddresses() const;
    QList<quint16> sentinelPorts() const { return m_sentinelPorts; }
    // redis-cli against sentinel i (with the sentinel password).
    QByteArray sentinelCli(int i, const QStringList &args) const;
    // The master's port as sentinel i reports it (0 when unknown).
    quint16 reportedMasterPort(int i = 0) const;

private:
    bool startSentinel(int i);

    int m_sentinelCount;
    QByteArray m_password;
    QByteArray m_sentinelPassword;
    const TestCertificates *m_certs = nullptr;
    std::unique_ptr<RedisServer> m_master;
    std::unique_ptr<RedisServer> m_replica;
    QTemporaryDir m_dir;
    std::vector<std::unique_ptr<QProcess>> m_sentinels;
    QList<quint16> m_sentinelPorts;
    QString m_error;
};
