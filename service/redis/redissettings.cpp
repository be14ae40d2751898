#include "redissettings.h"

#include "serviceconfig.h"

#include <QFile>
#include <QHostAddress>
#include <QSslConfiguration>
#include <QSslKey>

namespace {

// The file's bytes, or nullopt and *error naming the setting (never the contents: a key is secret).
std::optional<QByteArray> readPem(const QString &path, const char *setting, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: cannot read %2: %3").arg(QLatin1String(setting), path, file.errorString());
        return std::nullopt;
    }
    return file.readAll();
}

std::optional<QSslKey> readPrivateKey(const QString &path, QString *error)
{
    const std::optional<QByteArray> pem = readPem(path, "REDIS_TLS_KEY_FILE", error);
    if (!pem)
        return std::nullopt;
    if (pem->contains("ENCRYPTED")) {
        *error = QStringLiteral("REDIS_TLS_KEY_FILE: %1 is passphrase-protected; give an unencrypted key").arg(path);
        return std::nullopt;
    }
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        const QSslKey key(*pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    *error = QStringLiteral("REDIS_TLS_KEY_FILE: %1 holds no PEM private key (RSA, EC or DSA)").arg(path);
    return std::nullopt;
}

std::optional<QList<QSslCertificate>> readCertificates(const QString &path, const char *setting, QString *error)
{
    const std::optional<QByteArray> pem = readPem(path, setting, error);
    if (!pem)
        return std::nullopt;
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(*pem, QSsl::Pem);
    if (certificates.isEmpty()) {
        *error = QStringLiteral("%1: %2 holds no PEM certificate").arg(QLatin1String(setting), path);
        return std::nullopt;
    }
    return certificates;
}

} // namespace

std::optional<QSslConfiguration> RedisTlsSettings::sslConfiguration(QString *error) const
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration(); // system CAs, secure protocols
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (!caFile.isEmpty()) {
        const auto cas = readCertificates(caFile, "REDIS_TLS_CA_FILE", error);
        if (!cas)
            return std::nullopt;
        config.setCaCertificates(*cas);
    }
    if (!certFile.isEmpty() || !keyFile.isEmpty()) {
        if (certFile.isEmpty() || keyFile.isEmpty()) {
            *error = QStringLiteral("REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE go together: set both or neither");
            return std::nullopt;
        }
        const auto certificates = readCertificates(certFile, "REDIS_TLS_CERT_FILE", error);
        if (!certificates)
            return std::nullopt;
        const std::optional<QSslKey> key = readPrivateKey(keyFile, error);
        if (!key)
            return std::nullopt;
        config.setLocalCertificateChain(*certificates);
        config.setPrivateKey(*key);
    }
    return config;
}

RedisTlsSettings RedisTlsSettings::fromConfig(const ServiceConfig &config)
{
    return RedisTlsSettings{config.redisTls, config.redisTlsCaFile, config.redisTlsCertFile, config.redisTlsKeyFile,
                            config.redisTlsServerName};
}

QStringList RedisTlsSettings::validate() const
{
    if (!enabled)
        return {};
    QStringList errors;
    QString error;
    if (!caFile.isEmpty() && !readCertificates(caFile, "REDIS_TLS_CA_FILE", &error))
        errors << error;
    if (certFile.isEmpty() != keyFile.isEmpty())
        errors << QStringLiteral("REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE go together: set both or neither");
    if (!certFile.isEmpty() && !readCertificates(certFile, "REDIS_TLS_CERT_FILE", &error))
        errors << error;
    if (!keyFile.isEmpty() && !readPrivateKey(keyFile, &error))
        errors << error;
    return errors;
}

bool RedisSettings::parseAddress(QStringView address, QString *error)
{
    auto fail = [&](const QString &why) {
        if (error)
            *error = QStringLiteral("invalid Redis address \"%1\": %2 (expected host:port)").arg(address, why);
        return false;
    };
    const QStringView text = address.trimmed();
    if (text.isEmpty())
        return fail(QStringLiteral("empty"));

    QStringView hostPart;
    QStringView portPart;
    if (text.startsWith(u'[')) { // [v6]:port
        const qsizetype close = text.indexOf(u']');
        if (close < 0)
            return fail(QStringLiteral("missing ']'"));
        hostPart = text.mid(1, close - 1);
        const QStringView rest = text.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(u':'))
                return fail(QStringLiteral("unexpected text after ']'"));
            portPart = rest.mid(1);
            if (portPart.isEmpty())
                return fail(QStringLiteral("empty port"));
        }
        if (QHostAddress(hostPart.toString()).protocol() != QAbstractSocket::IPv6Protocol)
            return fail(QStringLiteral("not an IPv6 address inside []"));
    } else {
        const qsizetype colon = text.lastIndexOf(u':');
        if (colon >= 0 && text.indexOf(u':') != colon)
            return fail(QStringLiteral("IPv6 addresses must be written as [addr]:port"));
        hostPart = colon >= 0 ? text.first(colon) : text;
        if (colon >= 0) {
            portPart = text.mid(colon + 1);
            if (portPart.isEmpty())
                return fail(QStringLiteral("empty port"));
        }
    }
    if (hostPart.isEmpty())
        return fail(QStringLiteral("empty host"));
    for (QChar c : hostPart) {
        if (c.isSpace() || c == u'/' || c == u'@')
            return fail(QStringLiteral("bad character in host"));
    }
    quint16 parsedPort = 6379;
    if (!portPart.isEmpty()) {
        bool ok = false;
        const uint p = portPart.toUInt(&ok);
        if (!ok || p < 1 || p > 65535)
            return fail(QStringLiteral("port must be a number from 1 to 65535"));
        parsedPort = quint16(p);
    }
    host = hostPart.toString();
    port = parsedPort;
    return true;
}

QString RedisSettings::address() const
{
    if (host.contains(u':'))
        return QStringLiteral("[%1]:%2").arg(host).arg(port);
    return QStringLiteral("%1:%2").arg(host).arg(port);
}

QString RedisNodeAddress::toString() const
{
    if (host.contains(u':'))
        return QStringLiteral("[%1]:%2").arg(host).arg(port);
    return QStringLiteral("%1:%2").arg(host).arg(port);
}

bool RedisSettings::parseAddressList(QStringView commaSeparated, quint16 defaultPort, QList<RedisNodeAddress> *out,
                                     QString *error)
{
    QList<RedisNodeAddress> parsed;
    for (QStringView part : commaSeparated.split(u',')) {
        if (part.trimmed().isEmpty())
            continue;
        RedisSettings one;
        if (!one.parseAddress(part, error))
            return false;
        const QStringView text = part.trimmed();
        const bool portGiven = text.startsWith(u'[') ? text.contains(QStringLiteral("]:")) : text.contains(u':');
        RedisNodeAddress a{one.host, portGiven ? one.port : defaultPort};
        if (!parsed.contains(a))
            parsed.append(a);
    }
    if (parsed.isEmpty()) {
        if (error)
            *error = QStringLiteral("no address in \"%1\"").arg(commaSeparated);
        return false;
    }
    *out = parsed;
    return true;
}

bool RedisSettings::parseSeeds(QStringView commaSeparated, QString *error)
{
    QList<RedisNodeAddress> parsed;
    if (!parseAddressList(commaSeparated, 6379, &parsed, error))
        return false;
    seeds = parsed;
    host = parsed.first().host;
    port = parsed.first().port;
    return true;
}

bool RedisSettings::parseSentinels(QStringView commaSeparated, QString *error)
{
    return parseAddressList(commaSeparated, DefaultSentinelPort, &sentinels, error);
}

QList<RedisNodeAddress> RedisSettings::clusterSeeds() const
{
    if (!seeds.isEmpty())
        return seeds;
    return {RedisNodeAddress{host, port}};
}

RedisSettings RedisSettings::forNode(const QString &nodeHost, quint16 nodePort) const
{
    RedisSettings s = *this;
    s.host = nodeHost;
    s.port = nodePort;
    return s;
}

std::optional<RedisMode> RedisSettings::parseMode(QStringView text, QString *error)
{
    const QString t = text.trimmed().toString().toLower();
    if (t.isEmpty() || t == u"standalone")
        return RedisMode::Standalone;
    if (t == u"cluster")
        return RedisMode::Cluster;
    if (t == u"sentinel")
        return RedisMode::Sentinel;
    if (error)
        *error = QStringLiteral("REDIS_MODE must be standalone, cluster or sentinel, got \"%1\"").arg(text);
    return std::nullopt;
}

QString RedisSettings::modeName(RedisMode mode)
{
    switch (mode) {
    case RedisMode::Standalone:
        return QStringLiteral("standalone");
    case RedisMode::Cluster:
        return QStringLiteral("cluster");
    case RedisMode::Sentinel:
        return QStringLiteral("sentinel");
    }
    Q_UNREACHABLE();
}

QStringList RedisSettings::validate() const
{
    QStringList errors;
    if (mode == RedisMode::Cluster && db != 0)
        errors << QStringLiteral("REDIS_DB must be 0 in cluster mode (Redis Cluster has only database 0), got %1").arg(db);
    if (mode == RedisMode::Sentinel) {
        if (sentinels.isEmpty())
            errors << QStringLiteral("REDIS_SENTINELS is required in sentinel mode");
        if (sentinelMaster.isEmpty())
            errors << QStringLiteral("REDIS_SENTINEL_MASTER is required in sentinel mode");
        if (sentinelPassword.contains('\n') || sentinelPassword.contains('\r'))
            errors << QStringLiteral("Redis sentinel password must not contain line breaks");
    }
    if (host.isEmpty())
        errors << QStringLiteral("Redis host is empty");
    if (port == 0)
        errors << QStringLiteral("Redis port must be from 1 to 65535");
    if (db < 0)
        errors << QStringLiteral("REDIS_DB must be 0 or more, got %1").arg(db);
    if (poolSize < 1 || poolSize > MaxPoolSize)
        errors << QStringLiteral("Redis pool size must be from 1 to %1, got %2").arg(MaxPoolSize).arg(poolSize);
    if (connectTimeoutMs < 1)
        errors << QStringLiteral("Redis connect timeout must be at least 1 ms, got %1").arg(connectTimeoutMs);
    if (commandTimeoutMs < 1)
        errors << QStringLiteral("Redis command timeout must be at least 1 ms, got %1").arg(commandTimeoutMs);
    if (password.contains('\n') || password.contains('\r'))
        errors << QStringLiteral("Redis password must not contain line breaks");
    errors << tls.validate();
    return errors;
}
