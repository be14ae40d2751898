#pragma once

#include <QStringList>
#include <QUrl>

#include <optional>

// The console's own command line options. Everything else on the command line (and the environment)
// configures the embedded service exactly like sluice-server, so the same flags and variables apply.
struct ConsoleOptions
{
    std::optional<QUrl> connectUrl; // --connect: watch a remote sluice-server instead of embedding one
    std::optional<double> intervalSeconds;
    std::optional<int> topKeys;
    std::optional<QString> language;
    bool help = false;
    QStringList serviceArguments; // argv[0] + the rest, for ServiceConfig::load()
    QStringList errors;

    static ConsoleOptions parse(const QStringList &arguments);
    static QString helpText();
};
