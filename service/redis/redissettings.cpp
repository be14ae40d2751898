#include "redissettings.h"

#include <QHostAddress>

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

QStringList RedisSettings::validate() const
{
    QStringList errors;
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
    return errors;
}
