#include "bypassdetector.h"

#include "httprequest.h"

#include <algorithm>

BypassDetector::BypassDetector(const Clock &clock, ServiceStats &stats) : m_clock(clock), m_stats(stats) {}

bool BypassDetector::isMalformedToken(QByteArrayView token)
{
    if (token.isEmpty() || token.size() > kMaxTokenBytes)
        return true;
    return std::any_of(token.begin(), token.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7f;
    });
}

void BypassDetector::inspect(const HttpRequest &request, bool trustedPeer, const ClientIdentity &client)
{
    if (!trustedPeer && (request.hasHeader("X-Forwarded-For") || request.hasHeader("X-Real-IP")
                         || request.hasHeader("X-Forwarded-Uri") || request.hasHeader("X-Original-URI")))
        m_stats.recordBypassAttempt(BypassKind::UntrustedForwardedHeader);

    bool malformed = false;
    if (request.hasHeader("Authorization")) {
        const QByteArray value = request.value("Authorization");
        const QByteArrayView auth = trimmedOws(value);
        const bool bearer = auth.size() >= 7 && qstrnicmp(auth.data(), "bearer ", 7) == 0;
        malformed = !bearer || isMalformedToken(trimmedOws(auth.sliced(7)));
    }
    if (request.hasHeader("X-API-Key")) {
        const QByteArray value = request.value("X-API-Key");
        malformed = malformed || isMalformedToken(trimmedOws(value));
    }
    if (malformed)
        m_stats.recordBypassAttempt(BypassKind::MalformedIdentityHeader);

    if (client.kind == ClientIdentity::Kind::ApiKey && isCycling(client.address.toString().toLatin1(), client.id))
        m_stats.recordBypassAttempt(BypassKind::ApiKeyCycling);
}

bool BypassDetector::isCycling(const QByteArray &address, const QByteArray &keyId)
{
    const qint64 now = m_clock.nowMs();
    QMutexLocker lock(&m_lock);
    auto it = m_seen.find(address);
    if (it == m_seen.end()) {
        if (m_seen.size() >= kMaxTrackedAddresses) {
            for (auto e = m_seen.begin(); e != m_seen.end();)
                e = now - e->windowStartMs >= kCyclingWindowMs ? m_seen.erase(e) : std::next(e);
            if (m_seen.size() >= kMaxTrackedAddresses)
                m_seen.erase(m_seen.begin());
        }
        it = m_seen.insert(address, Seen{now, {}});
    } else if (now - it->windowStartMs >= kCyclingWindowMs) {
        *it = Seen{now, {}};
    }
    std::vector<QByteArray> &keys = it->keys;
    if (std::find(keys.begin(), keys.end(), keyId) != keys.end())
        return false;
    if (qsizetype(keys.size()) < kMaxKeysPerAddress) {
        keys.push_back(keyId);
        return false;
    }
    return true;
}

qsizetype BypassDetector::trackedAddresses() const
{
    QMutexLocker lock(&m_lock);
    return m_seen.size();
}
