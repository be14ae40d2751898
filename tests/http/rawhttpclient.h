#pragma once

#include <QElapsedTimer>
#include <QHostAddress>
#include <QList>
#include <QTcpSocket>
#include <QTest>

// A deliberately low-level HTTP client for tests: writes raw bytes (misbehaving clients, pipelining,
// slow senders) and splits what comes back into responses. All waits are bounded event-loop waits.
struct RawResponse
{
    int status = 0;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        }
        return {};
    }
    bool hasHeader(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
};

class RawHttpClient
{
public:
    bool connectTo(quint16 port, int timeoutMs = 5000)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        return m_socket.waitForConnected(timeoutMs);
    }
    void write(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }
    QTcpSocket &socket() { return m_socket; }
    QByteArray &received() { return m_received; }

    // Waits until `count` complete responses arrived (HEAD answers: pass the request methods so bodies
    // are not expected for them), or the timeout passed; returns those parsed so far.
    QList<RawResponse> readResponses(int count, int timeoutMs = 5000, const QList<QByteArray> &methods = {})
    {
        QList<RawResponse> out;
        QElapsedTimer timer;
        timer.start();
        for (;;) {
            pump();
            out = parse(methods);
            if (out.size() >= count || timer.elapsed() > timeoutMs)
                return out;
            QTest::qWait(5);
        }
    }
    // True once the server closed the connection (EOF seen) within the timeout.
    bool waitForClose(int timeoutMs = 5000)
    {
        return QTest::qWaitFor([&] {
            pump();
            return m_socket.state() == QAbstractSocket::UnconnectedState;
        }, timeoutMs);
    }
    bool waitForBytes(const QByteArray &needle, int timeoutMs = 5000)
    {
        return QTest::qWaitFor([&] {
            pump();
            return m_received.contains(needle);
        }, timeoutMs);
    }

    // Splits m_received into responses (Content-Length or chunked bodies; 1xx are skipped).
    QList<RawResponse> parse(const QList<QByteArray> &methods = {}) const
    {
        QList<RawResponse> out;
        qsizetype pos = 0;
        while (true) {
            const qsizetype end = m_received.indexOf("\r\n\r\n", pos);
            if (end < 0)
                return out;
            const QList<QByteArray> lines = m_received.mid(pos, end - pos).split('\n');
            RawResponse r;
            r.status = lines.value(0).split(' ').value(1).toInt();
            for (int i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines.at(i).trimmed();
                const qsizetype colon = line.indexOf(':');
                if (colon > 0)
                    r.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
            }
            qsizetype bodyStart = end + 4;
            if (r.status >= 100 && r.status < 200) {
                pos = bodyStart;
                continue;
            }
            const bool head = methods.value(out.size()) == "HEAD";
            if (!head && r.header("Transfer-Encoding").toLower() == "chunked") {
                qsizetype at = bodyStart;
                for (;;) {
                    const qsizetype lineEnd = m_received.indexOf("\r\n", at);
                    if (lineEnd < 0)
                        return out;
                    const qint64 size = m_received.mid(at, lineEnd - at).toLongLong(nullptr, 16);
                    if (m_received.size() < lineEnd + 2 + size + 2)
                        return out;
                    r.body += m_received.mid(lineEnd + 2, size);
                    at = lineEnd + 2 + size + 2;
                    if (size == 0)
                        break;
                }
                pos = at;
            } else {
                const qint64 length = head ? 0 : r.header("Content-Length").toLongLong();
                if (m_received.size() < bodyStart + length)
                    return out;
                r.body = m_received.mid(bodyStart, length);
                pos = bodyStart + length;
            }
            out.append(r);
        }
    }

private:
    void pump()
    {
        if (m_socket.bytesAvailable() > 0)
            m_received += m_socket.readAll();
    }

    QTcpSocket m_socket;
    QByteArray m_received;
};
