#pragma once

#include "clientresolver.h"
#include "clock.h"
#include "stats.h"

#include <QByteArray>
#include <QHash>
#include <QMutex>

#include <vector>

struct HttpRequest;

// Spots attempts to dodge the limiter on the check endpoint and the gateway and counts them in
// ServiceStats (BypassKind). The header checks are a few lookups and byte scans, no allocation.
// API-key cycling keeps, per client address, the ids of at most kMaxKeysPerAddress distinct keys seen
// in the current kCyclingWindowMs; each further distinct key in that window counts as one attempt.
// Memory is bounded: at most kMaxTrackedAddresses addresses; at the cap, ended windows are dropped,
// then an arbitrary entry. Thread-safe (the lanes call it from their threads).
class BypassDetector
{
public:
    static constexpr qsizetype kMaxKeysPerAddress = 5;
    static constexpr qint64 kCyclingWindowMs = 60'000;
    static constexpr qsizetype kMaxTrackedAddresses = 10'000;
    static constexpr qsizetype kMaxTokenBytes = 512;

    // `clock` and `stats` must outlive the detector.
    BypassDetector(const Clock &clock, ServiceStats &stats);

    // `trustedPeer`: the direct peer is in TRUSTED_PROXIES; `client` as resolved for the request.
    void inspect(const HttpRequest &request, bool trustedPeer, const ClientIdentity &client);
    qsizetype trackedAddresses() const;

    // True when the value is unusable as an identity: empty, longer than kMaxTokenBytes or holding
    // control characters.
    static bool isMalformedToken(QByteArrayView token);

private:
    struct Seen
    {
        qint64 windowStartMs = 0;
        std::vector<QByteArray> keys;
    };
    bool isCycling(const QByteArray &address, const QByteArray &keyId);

    const Clock &m_clock;
    ServiceStats &m_stats;
    mutable QMutex m_lock;
    QHash<QByteArray, Seen> m_seen;
};
