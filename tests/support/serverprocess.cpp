#include "serverprocess.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTimer>

#include <csignal>

namespace {

// Every variable sluice-server reads: a developer's own settings must not change a test.
constexpr const char *kServerVariables[] = {
    "LISTEN_ADDR", "ADMIN_KEY", "REQUEST_RATE_LIMIT", "API_KEY_RATE_LIMIT", "DEFAULT_ALGORITHM", "REDIS_ADDR",
    "REDIS_MODE", "REDIS_SENTINELS", "REDIS_SENTINEL_MASTER", "REDIS_SENTINEL_PASSWORD", "REDIS_PASSWORD", "REDIS_DB",
    "REDIS_TLS", "REDIS_TLS_CA_FILE", "REDIS_TLS_CERT_FILE", "REDIS_TLS_KEY_FILE", "REDIS_TLS_SERVER_NAME",
    "UPSTREAM_URL", "TRUSTED_PROXIES", "RATELIMIT_HEADERS", "KEY_PREFIX", "RULES_FILE", "THREADS", "MAX_BODY_SIZE",
    "MAX_HEADER_SIZE", "MAX_HEADERS", "REQUEST_TIMEOUT", "IDLE_TIMEOUT", "MAX_CONNECTIONS", "UPSTREAM_TIMEOUT",
    "SHUTDOWN_TIMEOUT", "SLUICE_CONFIG", "QT_MESSAGE_PATTERN"};

} // namespace

ServerProcess::ServerProcess(const Env &env, const QStringList &args)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : kServerVariables)
        environment.remove(QString::fromLatin1(name));
    environment.insert(QStringLiteral("LISTEN_ADDR"), QStringLiteral("127.0.0.1:0"));
    // The default rules file lives under XDG_DATA_HOME: keep the user's own file out of the test.
    environment.insert(QStringLiteral("XDG_DATA_HOME"), m_dataHome.path());
    environment.insert(QStringLiteral("RULES_FILE"), QString());
    for (const auto &e : env)
        environment.insert(e.first, e.second);
    // Under ASan the server holds freed memory in quarantine (256 MB by default), which would read as
    // RSS growth in the memory-bound tests: keep it small; use-after-free detection still works.
    if (kUnderAsan)
        environment.insert(QStringLiteral("ASAN_OPTIONS"),
                           environment.value(QStringLiteral("ASAN_OPTIONS")) + QStringLiteral(":quarantine_size_mb=4:thread_local_quarantine_size_kb=64"));
    m_process.setProcessEnvironment(environment);
    m_process.start(QStringLiteral(SLUICE_SERVER_PATH), args);
}

ServerProcess::~ServerProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool ServerProcess::waitUntilListening()
{
    static const QRegularExpression listening(QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)"));
    const QDeadlineTimer deadline(20'000);
    while (!deadline.hasExpired()) {
        m_process.waitForReadyRead(50);
        m_log += m_process.readAllStandardError();
        const auto match = listening.match(QString::fromUtf8(m_log));
        if (match.hasMatch()) {
            m_port = match.captured(1).toUShort();
            return true;
        }
        if (m_process.state() == QProcess::NotRunning)
            return false;
    }
    return false;
}

void ServerProcess::signalTerminate()
{
    ::kill(pid_t(m_process.processId()), SIGTERM);
}

int ServerProcess::terminate(int timeoutMs)
{
    signalTerminate();
    return waitForExit(timeoutMs);
}

int ServerProcess::waitForExit(int timeoutMs)
{
    if (m_process.state() != QProcess::NotRunning) {
        QEventLoop loop;
        QObject::connect(&m_process, &QProcess::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (m_process.state() != QProcess::NotRunning)
        return -1;
    m_log += m_process.readAllStandardError();
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

QByteArray ServerProcess::log()
{
    m_log += m_process.readAllStandardError();
    return m_log;
}

QUrl ServerProcess::url(const QString &path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path));
}

qint64 ServerProcess::rssKiB() const
{
    return rssFromStatus(QStringLiteral("/proc/%1/status").arg(pid()));
}

qint64 ServerProcess::rssFromStatus(const QString &statusFile)
{
    QFile f(statusFile);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}
