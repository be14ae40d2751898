#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <optional>

class QSslConfiguration;
struct ServiceConfig;

// How the store finds its Redis: one server, a Redis Cluster (slot map from seed nodes) or the
// master of a Sentinel-monitored group.
enum class RedisMode { Standalone, Cluster, Sentinel };

// One "host:port" endpoint (a cluster seed or a sentinel).
struct RedisNodeAddress
{
    QString host;
    quint16 port = 0;

    QString toString() const;
    friend bool operator==(const RedisNodeAddress &, const RedisNodeAddress &) = default;
};

// TLS to Redis (hiredis 0.14 has none: RedisLink carries the protocol over a QSslSocket instead).
// Paths only: the files are read when a link needs them (validate() reads them at start-up).
struct RedisTlsSettings
{
    bool enabled = false;
    QString caFile;     // PEM CA certificates to trust (only these); empty: the system store
    QString certFile;   // PEM client certificate (tls-auth-clients yes); with keyFile, or neither
    QString keyFile;    // PEM private key of certFile, unencrypted; its contents are never logged
    QString serverName; // verified against the server certificate and sent as SNI; empty: the host

    // The peer verification setup for one connection: VerifyPeer, the CA file's certificates (or the
    // system's), the client certificate and key. nullopt and *error when a file cannot be used.
    std::optional<QSslConfiguration> sslConfiguration(QString *error) const;
    // Every problem with the files (missing, unreadable, not PEM, cert without key), one message each.
    QStringList validate() const;

    // REDIS_TLS* of a parsed configuration.
    static RedisTlsSettings fromConfig(const ServiceConfig &config);
};

// How to reach Redis and how patient to be. Plain value type; parse it once at start-up
// (parseMode() for REDIS_MODE; parseAddress() for REDIS_ADDR in standalone mode, parseSeeds() in
// cluster mode; parseSentinels() for REDIS_SENTINELS; validate() for the whole set) and hand it to
// the store.
// The passwords are kept only to send AUTH; nothing in sluice_redis logs or reports them.
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

    RedisMode mode = RedisMode::Standalone;
    // Cluster: the seed nodes asked for the slot map (host/port above mirror the first one).
    QList<RedisNodeAddress> seeds;
    // Sentinel: the sentinels, the monitored master's name and the sentinels' own password (the data
    // nodes use `password`).
    QList<RedisNodeAddress> sentinels;
    QByteArray sentinelMaster;
    QByteArray sentinelPassword;
    // TLS for every link: data nodes, cluster members, sentinels and the subscriber alike.
    RedisTlsSettings tls;

    // Sets host and port from "host:port", "[v6]:port" or a bare "host" (port 6379).
    // Returns false and leaves the settings unchanged on bad input; *error then says why.
    bool parseAddress(QStringView address, QString *error = nullptr);
    // "host:port" ("[v6]:port" for IPv6 literals), as shown in status output.
    QString address() const;
    // REDIS_ADDR in cluster mode: comma-separated seeds; sets seeds, host and port (first seed).
    bool parseSeeds(QStringView commaSeparated, QString *error = nullptr);
    // REDIS_SENTINELS: comma-separated sentinels (default port 26379).
    bool parseSentinels(QStringView commaSeparated, QString *error = nullptr);
    // The cluster seeds, or host:port alone when none were given.
    QList<RedisNodeAddress> clusterSeeds() const;
    // The name a TLS link verifies (tls.serverName, else the host it connects to).
    QString tlsPeerName() const { return tls.serverName.isEmpty() ? host : tls.serverName; }
    // A copy aimed at one data node (cluster member, sentinel-reported master).
    RedisSettings forNode(const QString &nodeHost, quint16 nodePort) const;
    // Every problem with the values, one message each; empty when usable.
    QStringList validate() const;
    // The store's index of recently active keys: <keyPrefix>_index.
    QByteArray indexKey() const { return keyPrefix + QByteArrayLiteral("_index"); }

    // "standalone", "cluster", "sentinel" (REDIS_MODE, case-insensitive); nullopt and *error otherwise.
    static std::optional<RedisMode> parseMode(QStringView text, QString *error = nullptr);
    static QString modeName(RedisMode mode);
    // Parses "a:1,b:2" into addresses (bare hosts get defaultPort); false and *error on bad input.
    static bool parseAddressList(QStringView commaSeparated, quint16 defaultPort, QList<RedisNodeAddress> *out,
                                 QString *error = nullptr);

    static constexpr int MaxPoolSize = 64;
    static constexpr quint16 DefaultSentinelPort = 26379;
};
