#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QtGlobal>

// How to reach Redis and how patient to be. Plain value type; parse it once at start-up
// (parseAddress() for REDIS_ADDR, validate() for the whole set) and hand it to the store.
// The password is kept only to send AUTH; nothing in sluice_redis logs or reports it.
struct RedisSettings
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 6379;
    QByteArray password;  // empty: no AUTH
    int db = 0;           // SELECTed on every connection when not 0
    int poolSize = 1;     // connections per store, used round-robin
    int connectTimeoutMs = 1000; // TCP connect + AUTH/SELECT/SCRIPT LOAD
    int commandTimeoutMs = 250;  // a reply later than this is treated as lost: fallback + reconnect
    QByteArray keyPrefix = QByteArrayLiteral("rate_limit:"); // for the store's own keys (the index)

    // Sets host and port from "host:port", "[v6]:port" or a bare "host" (port 6379).
    // Returns false and leaves the settings unchanged on bad input; *error then says why.
    bool parseAddress(QStringView address, QString *error = nullptr);
    // "host:port" ("[v6]:port" for IPv6 literals), as shown in status output.
    QString address() const;
    // Every problem with the values, one message each; empty when usable.
    QStringList validate() const;
    // The store's index of recently active keys: <keyPrefix>_index.
    QByteArray indexKey() const { return keyPrefix + QByteArrayLiteral("_index"); }

    static constexpr int MaxPoolSize = 64;
};
