#pragma once

#include <QByteArray>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

// Starts a private redis-server on a free loopback port for one test. Fails loudly (QFAIL through
// the return value + message) when redis-server is missing: a Redis test never skips.
// The port is found by trying: a port that turns out to be taken is replaced by another, so no test
// depends on a port being free by luck. The server is killed when the object dies.
class RedisServer
{
public:
    explicit RedisServer(QStringList extraArgs = {});
    ~RedisServer();

    // Starts the server; false with errorString() set when it cannot.
    bool start();
    // SIGKILL, as a crash would.
    void kill();
    // Starts again on the same port (after kill()); retries while the port is still being released.
    bool restart();
    bool isRunning() const;

    quint16 port() const { return m_port; }
    QByteArray address() const; // "127.0.0.1:<port>"
    QString errorString() const { return m_error; }

    // Runs redis-cli against this server and returns its trimmed stdout. Synchronous, for assertions.
    QByteArray cli(const QStringList &args, const QByteArray &password = {}) const;

    static QString redisServerPath();

private:
    bool launch(quint16 port);

    QStringList m_extraArgs;
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QString m_error;
};
