#pragma once

#include <QByteArray>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

class TestCertificates;

// Starts a private redis-server on a free loopback port for one test. Fails loudly (QFAIL through
// the return value + message) when redis-server is missing: a Redis test never skips.
// The port is found by trying: a port that turns out to be taken is replaced by another, so no test
// depends on a port being free by luck. The server is killed when the object dies.
class RedisServer
{
public:
    explicit RedisServer(QStringList extraArgs = {});
    ~RedisServer();

    // redis-server's tls-auth-clients: whether a client must present a certificate.
    enum class ClientAuth { No, Yes, Optional };
    // Before start(): serve TLS only (no plain port) with the server certificate of `certs`, trusting
    // their CA for client certificates. cli() then speaks TLS with the client certificate.
    void useTls(const TestCertificates &certs, ClientAuth clientAuth = ClientAuth::No);
    // redis-cli's TLS options for this server (empty without TLS), for callers that run redis-cli themselves.
    QStringList cliTlsArgs() const { return m_cliTlsArgs; }
    // Before start(): more redis-server arguments.
    void addArgs(const QStringList &args) { m_extraArgs += args; }

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
    QStringList m_tlsArgs;    // redis-server's, when serving TLS
    QStringList m_cliTlsArgs; // redis-cli's, when serving TLS
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QString m_error;
};
