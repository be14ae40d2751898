#include "redistlsconnection.h"

#include <QSslError>
#include <QSslSocket>
#include <QStringList>

#include <hiredis.h>

RedisTlsConnection::RedisTlsConnection(const QSslConfiguration &config, QObject *parent)
    : QObject(parent), m_socket(new QSslSocket(this)), m_reader(redisReaderCreate())
{
    m_socket->setSslConfiguration(config);
    connect(m_socket, &QSslSocket::connected, this, [this] {
        // As hiredis does for plain links: no Nagle delay for pipelined commands, keep-alive to
        // notice a vanished server.
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    });
    connect(m_socket, &QSslSocket::encrypted, this, [this] {
        if (m_reporting)
            emit encrypted();
    });
    connect(m_socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        // Not ignored: QSslSocket aborts the handshake after this signal and reports
        // SslHandshakeFailedError, which fails the connection with this text.
        QStringList texts;
        for (const QSslError &e : errors)
            texts << e.errorString();
        m_sslErrors = texts.join(QStringLiteral("; "));
    });
    connect(m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error == QAbstractSocket::SslHandshakeFailedError)
            fail(QStringLiteral("TLS handshake with %1 failed: %2")
                     .arg(m_address, m_sslErrors.isEmpty() ? m_socket->errorString() : m_sslErrors));
        else if (error == QAbstractSocket::RemoteHostClosedError)
            fail(QStringLiteral("TLS connection to %1 closed by the server").arg(m_address));
        else
            fail(QStringLiteral("TLS connection to %1 failed: %2").arg(m_address, m_socket->errorString()));
    });
    connect(m_socket, &QSslSocket::disconnected, this,
            [this] { fail(QStringLiteral("TLS connection to %1 closed").arg(m_address)); });
    connect(m_socket, &QSslSocket::readyRead, this, &RedisTlsConnection::readReplies);
}

RedisTlsConnection::~RedisTlsConnection()
{
    m_reporting = false;
    m_socket->abort();
    if (m_reader)
        redisReaderFree(m_reader);
}

void RedisTlsConnection::connectToServer(const QString &ip, quint16 port, const QString &peerName)
{
    m_address = ip.contains(u':') ? QStringLiteral("[%1]:%2").arg(ip).arg(port) : QStringLiteral("%1:%2").arg(ip).arg(port);
    m_socket->connectToHostEncrypted(ip, port, peerName);
}

bool RedisTlsConnection::write(int argc, const char **argv, const size_t *argvlen)
{
    char *command = nullptr;
    const int length = redisFormatCommandArgv(&command, argc, argv, argvlen);
    if (length < 0)
        return false;
    // QSslSocket buffers and flushes once per event-loop pass, so a pipeline of commands goes out in
    // few TLS records. A socket that is no longer open takes nothing: the command was not sent.
    const bool written = m_socket->write(command, length) == length;
    redisFreeCommand(command);
    return written;
}

void RedisTlsConnection::abandon()
{
    m_reporting = false;
    disconnect(m_socket, nullptr, this, nullptr);
    // The socket may be inside one of its own signals: it is closed when this object is deleted.
    deleteLater();
}

void RedisTlsConnection::readReplies()
{
    const QByteArray bytes = m_socket->readAll();
    if (!m_reporting)
        return;
    if (!m_reader || redisReaderFeed(m_reader, bytes.constData(), size_t(bytes.size())) != REDIS_OK) {
        fail(QStringLiteral("cannot buffer the reply from %1 (out of memory)").arg(m_address));
        return;
    }
    while (m_reporting) {
        void *reply = nullptr;
        if (redisReaderGetReply(m_reader, &reply) != REDIS_OK) {
            fail(QStringLiteral("Redis protocol error from %1: %2").arg(m_address, QString::fromLatin1(m_reader->errstr)));
            return;
        }
        if (!reply)
            return;
        emit replyReceived(static_cast<const redisReply *>(reply)); // may abandon() us: the loop ends
        freeReplyObject(reply);
    }
}

void RedisTlsConnection::fail(const QString &reason)
{
    if (!m_reporting)
        return;
    m_reporting = false;
    emit failed(reason);
}
