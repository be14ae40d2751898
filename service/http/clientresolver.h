#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QStringList>

// Who is asking. The raw API key never leaves ClientResolver: only its id (first 16 hex chars of
// its SHA-256) is kept, so keys cannot leak into storage keys, stats or logs.
struct ClientIdentity
{
    enum class Kind { Ip, ApiKey };
    Kind kind = Kind::Ip;
    QByteArray id;          // normalised IP text, or the API key id
    QHostAddress address;   // the resolved client IP (also for API-key clients)

    // "ip:<ip>" or "api_key:<id>": the client part of a storage key.
    QByteArray storageSuffix() const;
};

// Resolves the client of a request. X-Forwarded-For / X-Real-IP are believed only when the direct
// peer is inside a trusted proxy CIDR, walking X-Forwarded-For from the right past trusted hops, so a
// client can never choose its own IP. Immutable after construction; safe to share across threads.
class ClientResolver
{
public:
    explicit ClientResolver(const QStringList &trustedCidrs = {}); // validated "addr/bits" entries

    bool isTrusted(const QHostAddress &address) const;
    QHostAddress clientAddress(const QHostAddress &peer, const QByteArray &forwardedFor,
                               const QByteArray &realIp) const;
    ClientIdentity resolve(const QHostAddress &peer, const QByteArray &authorization, const QByteArray &apiKeyHeader,
                           const QByteArray &forwardedFor, const QByteArray &realIp) const;

    // IPv4-mapped IPv6 (::ffff:a.b.c.d) becomes plain IPv4; IPv6 scope ids are dropped.
    static QHostAddress normalise(const QHostAddress &address);
    // First 16 hex chars of SHA-256 of the key.
    static QByteArray keyId(const QByteArray &key);
    // The API key from "Authorization: Bearer <key>" or else "X-API-Key"; empty when there is none.
    static QByteArray apiKeyFrom(const QByteArray &authorization, const QByteArray &apiKeyHeader);

private:
    QList<QPair<QHostAddress, int>> m_trusted;
};
