#pragma once

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

// A throw-away PKI for TLS tests, made with the openssl command line in a temporary directory:
// a test CA; a server certificate for DNS:localhost and IP:127.0.0.1 signed by it (also good for
// client authentication: Redis cluster nodes present it to each other on the TLS cluster bus); a client
// certificate signed by it; and a second, unrelated CA that signed nothing of ours. EC P-256 keys,
// unencrypted PEM, valid for two days. Fails loudly (false + errorString()) when openssl is missing.
class TestCertificates
{
public:
    bool create();
    QString errorString() const { return m_error; }

    QString caFile() const { return path("ca.crt"); }
    QString serverCertFile() const { return path("server.crt"); }
    QString serverKeyFile() const { return path("server.key"); }
    QString clientCertFile() const { return path("client.crt"); }
    QString clientKeyFile() const { return path("client.key"); }
    QString otherCaFile() const { return path("other-ca.crt"); }
    QString dir() const { return m_dir.path(); }

private:
    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }
    bool makeCa(const char *name, const char *commonName);
    bool makeSigned(const char *name, const char *commonName, const QString &extensions);
    bool openssl(const QStringList &args);

    QTemporaryDir m_dir;
    QString m_error;
};
