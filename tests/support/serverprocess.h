#pragma once

#include <QByteArray>
#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <utility>

// One sluice-server child process for the process-level tests (tests/http, tests/faults): started
// with a clean environment (none of the caller's Sluice settings leak in), on 127.0.0.1 port 0, with
// its own XDG_DATA_HOME and no rules file unless the test sets one. Killed by the destructor.
// Waiting for the exit runs the event loop, so fixtures in the test process (a fake upstream, HTTP
// clients) keep working while the server drains. Use from the test's thread.
class ServerProcess
{
public:
    using Env = QList<std::pair<QString, QString>>;

#if defined(__SANITIZE_ADDRESS__)
    static constexpr bool kUnderAsan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    static constexpr bool kUnderAsan = true;
#else
    static constexpr bool kUnderAsan = false;
#endif
#else
    static constexpr bool kUnderAsan = false;
#endif

    // `env` is applied over the cleaned environment; `args` are command-line flags.
    explicit ServerProcess(const Env &env, const QStringList &args = {});
    ~ServerProcess();
    ServerProcess(const ServerProcess &) = delete;
    ServerProcess &operator=(const ServerProcess &) = delete;

    // Waits for the start line and reads the port from it.
    bool waitUntilListening();
    bool isRunning() const { return m_process.state() == QProcess::Running; }
    // Sends SIGTERM and returns at once (the test watches what happens during the drain).
    void signalTerminate();
    // SIGTERM, then waitForExit().
    int terminate(int timeoutMs = 10'000);
    // The exit code once the process ended; -1 if it crashed or was still running after `timeoutMs`.
    int waitForExit(int timeoutMs = 10'000);

    // Everything the process wrote to stderr so far.
    QByteArray log();
    QByteArray standardOutput() { return m_process.readAllStandardOutput(); }
    quint16 port() const { return m_port; }
    QUrl url(const QString &path) const;
    qint64 pid() const { return m_process.processId(); }

    // Resident set size in KiB from /proc/<pid>/status (VmRSS); -1 when unreadable.
    qint64 rssKiB() const;
    static qint64 rssFromStatus(const QString &statusFile);

private:
    QTemporaryDir m_dataHome;
    QProcess m_process;
    QByteArray m_log;
    quint16 m_port = 0;
};
