#pragma once

#include <QObject>
#include <QSslConfiguration>
#include <QString>

struct redisReader;
struct redisReply;
class QSslSocket;

// The bytes of one Redis connection over TLS, for RedisLink (internal to sluice_redis).
//
// hiredis 0.14 has no TLS, but its protocol code works on any byte stream: commands are encoded
// with redisFormatCommandArgv() and written to a QSslSocket; what the socket decrypts is fed to a
// redisReader, and every complete reply is handed out through replyReceived(). The server is always
// verified (VerifyPeer, the given CA certificates, the given peer name); an SSL error is never
// ignored: it fails the connection with the reason.
//
// Reports at most one failed(), and nothing at all after abandon(). Not thread-safe: lives in and is
// used from the thread of its owner.
class RedisTlsConnection : public QObject
{
    Q_OBJECT

public:
    explicit RedisTlsConnection(const QSslConfiguration &config, QObject *parent = nullptr);
    ~RedisTlsConnection() override;

    // Connects to ip:port and verifies the certificate against peerName (also sent as SNI when it
    // is a host name). encrypted() or failed() follows, never synchronously.
    void connectToServer(const QString &ip, quint16 port, const QString &peerName);
    // Queues one command; false when it was not taken (socket no longer open, or out of memory).
    bool write(int argc, const char **argv, const size_t *argvlen);
    // Stops every report, closes the connection and deletes this object later. Safe inside any of
    // its own signals.
    void abandon();

signals:
    void encrypted();
    // The reply is only valid during the call.
    void replyReceived(const redisReply *reply);
    void failed(const QString &reason);

private:
    void readReplies();
    void fail(const QString &reason);

    QSslSocket *m_socket;
    redisReader *m_reader;
    QString m_address;       // "ip:port", for messages
    QString m_sslErrors;     // set by sslErrors(), reported by the errorOccurred() that follows
    bool m_reporting = true; // false after failed() or abandon()
};
