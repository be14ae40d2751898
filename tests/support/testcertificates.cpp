#include "testcertificates.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>

namespace {

const QStringList kEcKey{QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                         QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};

} // namespace

bool TestCertificates::create()
{
    if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty()) {
        m_error = QStringLiteral("openssl is not installed (apt-get install openssl); TLS tests cannot run");
        return false;
    }
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("cannot create a temporary directory: ") + m_dir.errorString();
        return false;
    }
    return makeCa("ca", "Sluice Test CA") && makeCa("other-ca", "Unrelated Test CA")
        && makeSigned("server", "localhost",
                      QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n"))
        && makeSigned("client", "sluice-client", QStringLiteral("extendedKeyUsage=clientAuth\n"));
}

bool TestCertificates::makeCa(const char *name, const char *commonName)
{
    const QString base = QString::fromLatin1(name);
    return openssl(QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + kEcKey
                   + QStringList{QStringLiteral("-keyout"), m_dir.filePath(base + QStringLiteral(".key")),
                                 QStringLiteral("-out"), m_dir.filePath(base + QStringLiteral(".crt")),
                                 QStringLiteral("-days"), QStringLiteral("2"),
                                 QStringLiteral("-subj"), QStringLiteral("/CN=") + QLatin1String(commonName),
                                 QStringLiteral("-addext"), QStringLiteral("basicConstraints=critical,CA:TRUE"),
                                 QStringLiteral("-addext"), QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")});
}

bool TestCertificates::makeSigned(const char *name, const char *commonName, const QString &extensions)
{
    const QString base = QString::fromLatin1(name);
    const QString extFile = m_dir.filePath(base + QStringLiteral(".ext"));
    QFile ext(extFile);
    if (!ext.open(QIODevice::WriteOnly) || ext.write(extensions.toLatin1()) < 0) {
        m_error = QStringLiteral("cannot write %1").arg(extFile);
        return false;
    }
    ext.close();
    const QString csr = m_dir.filePath(base + QStringLiteral(".csr"));
    return openssl(QStringList{QStringLiteral("req")} + kEcKey
                   + QStringList{QStringLiteral("-keyout"), m_dir.filePath(base + QStringLiteral(".key")),
                                 QStringLiteral("-out"), csr,
                                 QStringLiteral("-subj"), QStringLiteral("/CN=") + QLatin1String(commonName)})
        && openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), csr,
                    QStringLiteral("-CA"), caFile(), QStringLiteral("-CAkey"), path("ca.key"),
                    QStringLiteral("-CAcreateserial"), QStringLiteral("-days"), QStringLiteral("2"),
                    QStringLiteral("-extfile"), extFile,
                    QStringLiteral("-out"), m_dir.filePath(base + QStringLiteral(".crt"))});
}

bool TestCertificates::openssl(const QStringList &args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("openssl"), args);
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        m_error = QStringLiteral("openssl %1 failed: %2").arg(args.first(), QString::fromLocal8Bit(p.readAll().right(400)));
        return false;
    }
    return true;
}
