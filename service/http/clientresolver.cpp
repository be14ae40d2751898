#include "clientresolver.h"

#include <QCryptographicHash>
#include <QHash>

QByteArray ClientIdentity::storageSuffix() const
{
    return (kind == Kind::ApiKey ? QByteArrayLiteral("api_key:") : QByteArrayLiteral("ip:")) + id;
}

ClientResolver::ClientResolver(const QStringList &trustedCidrs)
{
    for (const QString &cidr : trustedCidrs) {
        const auto subnet = QHostAddress::parseSubnet(cidr);
        if (!subnet.first.isNull())
            m_trusted.append({normalise(subnet.first), subnet.second});
    }
}

QHostAddress ClientResolver::normalise(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4)
        return QHostAddress(v4);
    QHostAddress copy = address;
    copy.setScopeId(QString());
    return copy;
}

bool ClientResolver::isTrusted(const QHostAddress &address) const
{
    for (const auto &subnet : m_trusted) {
        if (address.isInSubnet(subnet))
            return true;
    }
    return false;
}

QHostAddress ClientResolver::clientAddress(const QHostAddress &peer, const QByteArray &forwardedFor,
                                           const QByteArray &realIp) const
{
    const QHostAddress direct = normalise(peer);
    if (!isTrusted(direct))
        return direct;
    if (!forwardedFor.trimmed().isEmpty()) {
        // Walk right to left: each hop was appended by the proxy to its right. The first hop that is
        // not a trusted proxy is the client; an unparsable hop ends the walk at the last trusted one.
        const QList<QByteArray> hops = forwardedFor.split(',');
        QHostAddress current = direct;
        for (qsizetype i = hops.size() - 1; i >= 0; --i) {
            QHostAddress hop;
            if (!hop.setAddress(QString::fromLatin1(hops.at(i).trimmed())))
                return current;
            current = normalise(hop);
            if (!isTrusted(current))
                return current;
        }
        return current;
    }
    QHostAddress real;
    if (!realIp.trimmed().isEmpty() && real.setAddress(QString::fromLatin1(realIp.trimmed())))
        return normalise(real);
    return direct;
}

QByteArray ClientResolver::keyId(const QByteArray &key)
{
    // SHA-256 is ~1/8 of a decision's CPU, and a gateway sees the same few keys again and again: a
    // small per-thread memo (bounded; cleared when full) keeps the hot keys' ids. The raw keys stay in
    // this process's memory only, as they do while a request is handled.
    constexpr qsizetype kMaxMemo = 16384;
    thread_local QHash<QByteArray, QByteArray> memo;
    const auto found = memo.constFind(key);
    if (found != memo.cend())
        return *found;
    if (memo.size() >= kMaxMemo)
        memo.clear();
    QByteArray id = QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(16);
    memo.insert(key, id);
    return id;
}

QByteArray ClientResolver::apiKeyFrom(const QByteArray &authorization, const QByteArray &apiKeyHeader)
{
    const QByteArray auth = authorization.trimmed();
    if (auth.size() > 7 && auth.left(7).toLower() == "bearer ") {
        const QByteArray token = auth.mid(7).trimmed();
        if (!token.isEmpty())
            return token;
    }
    return apiKeyHeader.trimmed();
}

ClientIdentity ClientResolver::resolve(const QHostAddress &peer, const QByteArray &authorization,
                                       const QByteArray &apiKeyHeader, const QByteArray &forwardedFor,
                                       const QByteArray &realIp) const
{
    ClientIdentity identity;
    identity.address = clientAddress(peer, forwardedFor, realIp);
    const QByteArray key = apiKeyFrom(authorization, apiKeyHeader);
    if (!key.isEmpty()) {
        identity.kind = ClientIdentity::Kind::ApiKey;
        identity.id = keyId(key);
    } else {
        identity.kind = ClientIdentity::Kind::Ip;
        identity.id = identity.address.toString().toLatin1();
    }
    return identity;
}
