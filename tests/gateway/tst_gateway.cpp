// Gateway mode end to end: SluiceService with UPSTREAM_URL in front of a FakeUpstream, both on
// loopback in this process. Proxy fidelity (methods, bodies, headers, query strings, status codes,
// large bodies), Server-Sent Events arriving event by event, back-pressure towards a slow client,
// upstream down / slow / broken (502 / 504 / truncated), limits applied before forwarding.

#include "fakeupstream.h"
#include "manualclock.h"
#include "rawhttpclient.h"
#include "sluiceservice.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <memory>

namespace {

QJsonObject json(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object();
}

} // namespace

class tst_Gateway : public QObject
{
    Q_OBJECT

private:
    ManualClock m_clock;
    FakeUpstream *m_upstream = nullptr;
    std::unique_ptr<SluiceService> m_service;

    ServiceConfig config(const QByteArray &upstreamUrl)
    {
        ServiceConfig c = ServiceConfig::defaults();
        c.listenPort = 0;
        c.requestRateLimit = 1000;
        c.upstreamUrl = QUrl::fromEncoded(upstreamUrl);
        c.limits.upstreamTimeoutMs = 400;
        return c;
    }
    void start(const ServiceConfig &c)
    {
        m_service = std::make_unique<SluiceService>(c, m_clock);
        QString error;
        QVERIFY2(m_service->start(&error), qPrintable(error));
    }
    void startWithUpstream(FakeUpstream::Handler handler)
    {
        m_upstream->setHandler(std::move(handler));
        start(config(m_upstream->url()));
    }
    // One request on a fresh connection; the answer or what arrived in `timeoutMs`.
    RawResponse exchange(const QByteArray &raw, const QByteArray &method = "GET", int timeoutMs = 5000)
    {
        RawHttpClient c;
        if (!c.connectTo(m_service->port()))
            return {};
        c.write(raw);
        return c.readResponses(1, timeoutMs, {method}).value(0);
    }

private slots:
    void init()
    {
        m_clock.setNowMs(1'700'000'000'000);
        m_upstream = new FakeUpstream;
        QVERIFY(m_upstream->listen());
    }
    void cleanup()
    {
        m_service.reset();
        delete m_upstream;
        m_upstream = nullptr;
    }

    void forwardsMethodTargetHeadersAndBody_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("body");
        QTest::addRow("GET") << QByteArray("GET") << QByteArray();
        QTest::addRow("POST json") << QByteArray("POST") << QByteArray(R"({"model":"m","messages":[]})");
        QTest::addRow("PUT binary") << QByteArray("PUT") << QByteArray("\x00\x01\xff\r\n\r\nbinary", 13);
        QTest::addRow("PATCH") << QByteArray("PATCH") << QByteArray("a=1");
        QTest::addRow("DELETE") << QByteArray("DELETE") << QByteArray();
        QTest::addRow("OPTIONS") << QByteArray("OPTIONS") << QByteArray();
    }
    void forwardsMethodTargetHeadersAndBody()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, body);
        startWithUpstream([](const FakeUpstream::Request &, QTcpSocket *s) {
            s->write(FakeUpstream::response(201, "created!", {{"X-Upstream", "yes"}, {"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"},
                                                              {"Connection", "X-Secret-Hop"}, {"X-Secret-Hop", "1"},
                                                              {"Keep-Alive", "timeout=5"}, {"Content-Type", "text/x-test"}}));
        });
        const QByteArray target = "/v1/things/a%2Fb?x=1&y=%20z&y=2&empty=&utf=%C3%A9";
        QByteArray raw = method + " " + target + " HTTP/1.1\r\nHost: api.example.test:8443\r\nX-Custom: one\r\nx-custom: two\r\n"
                         "Authorization: Bearer sk-abc\r\nConnection: keep-alive, X-Drop-Me\r\nX-Drop-Me: 1\r\nKeep-Alive: 5\r\n"
                         "TE: trailers\r\nProxy-Authorization: secret\r\nX-Forwarded-For: 6.6.6.6\r\nContent-Type: application/json\r\n";
        raw += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        const RawResponse r = exchange(raw, method);
        QCOMPARE(r.status, 201);
        QCOMPARE(r.body, QByteArray("created!"));
        QCOMPARE(r.header("X-Upstream"), QByteArray("yes"));
        QCOMPARE(r.header("Content-Type"), QByteArray("text/x-test"));
        QList<QByteArray> cookies;
        for (const auto &h : r.headers) {
            if (h.first.compare("set-cookie", Qt::CaseInsensitive) == 0)
                cookies.append(h.second);
        }
        QCOMPARE(cookies, (QList<QByteArray>{"a=1", "b=2"}));
        QVERIFY(!r.hasHeader("X-Secret-Hop"));
        QVERIFY(!r.hasHeader("Keep-Alive"));
        QCOMPARE(r.header("X-RateLimit-Limit"), QByteArray("1000"));
        QCOMPARE(r.header("X-RateLimit-Remaining"), QByteArray("999"));

        QCOMPARE(m_upstream->requests().size(), 1);
        const FakeUpstream::Request &seen = m_upstream->requests().first();
        QCOMPARE(seen.method, method);
        QCOMPARE(seen.target, target);
        QCOMPARE(seen.body, body);
        QCOMPARE(seen.values("X-Custom"), (QList<QByteArray>{"one", "two"})); // repeated fields pass as they came
        QCOMPARE(seen.value("Authorization"), QByteArray("Bearer sk-abc"));
        QCOMPARE(seen.value("Content-Type"), QByteArray("application/json"));
        QCOMPARE(seen.value("Host"), "127.0.0.1:" + QByteArray::number(m_upstream->port()));
        QCOMPARE(seen.value("X-Forwarded-For"), QByteArray("127.0.0.1")); // the client's own value is not believed
        QCOMPARE(seen.value("X-Forwarded-Proto"), QByteArray("http"));
        QCOMPARE(seen.value("X-Forwarded-Host"), QByteArray("api.example.test:8443"));
        for (const char *hop : {"X-Drop-Me", "Keep-Alive", "TE", "Proxy-Authorization", "Expect"})
            QVERIFY2(!seen.has(hop), hop);
        QVERIFY(seen.value("Connection").toLower() != "x-drop-me");
    }

    void trustedProxyChainIsExtended()
    {
        startWithUpstream([](const FakeUpstream::Request &, QTcpSocket *s) { s->write(FakeUpstream::response(200, "ok")); });
        m_service.reset();
        ServiceConfig c = config(m_upstream->url());
        c.trustedProxies = {QStringLiteral("127.0.0.1/32")};
        start(c);
        const RawResponse r = exchange("GET /x HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 9.9.9.9\r\nX-Forwarded-Proto: https\r\n"
                                       "X-Forwarded-Host: public.example\r\n\r\n");
        QCOMPARE(r.status, 200);
        const FakeUpstream::Request &seen = m_upstream->requests().first();
        QCOMPARE(seen.value("X-Forwarded-For"), QByteArray("9.9.9.9, 127.0.0.1"));
        QCOMPARE(seen.value("X-Forwarded-Proto"), QByteArray("https"));
        QCOMPARE(seen.value("X-Forwarded-Host"), QByteArray("public.example"));
    }

    void upstreamStatusCodesPassThrough_data()
    {
        QTest::addColumn<int>("status");
        for (int s : {200, 202, 204, 301, 302, 304, 400, 401, 404, 409, 422, 429, 500, 502, 503})
            QTest::addRow("%d", s) << s;
    }
    void upstreamStatusCodesPassThrough()
    {
        QFETCH(int, status);
        startWithUpstream([status](const FakeUpstream::Request &, QTcpSocket *s) {
            const bool noBody = status == 204 || status == 304;
            QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + " X\r\nLocation: /elsewhere\r\n";
            out += noBody ? QByteArray("\r\n") : QByteArray("Content-Length: 4\r\n\r\nbody");
            s->write(out);
        });
        RawHttpClient c;
        QVERIFY(c.connectTo(m_service->port()));
        c.write("GET /s HTTP/1.1\r\nHost: t\r\n\r\nGET /health HTTP/1.1\r\nHost: t\r\n\r\n");
        const QList<RawResponse> r = c.readResponses(2);
        QCOMPARE(r.size(), 2);
        QCOMPARE(r[0].status, status);
        QCOMPARE(r[0].header("Location"), QByteArray("/elsewhere")); // redirects are passed on, not followed
        QCOMPARE(r[0].body, status == 204 || status == 304 ? QByteArray() : QByteArray("body"));
        QCOMPARE(r[1].status, 200); // the connection stays usable
        QCOMPARE(m_upstream->requests().size(), 1);
    }

    void largeBodiesPassIntactBothWays()
    {
        QByteArray big(6 * 1024 * 1024, Qt::Uninitialized);
        for (qsizetype i = 0; i < big.size(); ++i)
            big[i] = char((i * 7919) >> 3);
        QByteArray answer = big;
        std::reverse(answer.begin(), answer.end());
        startWithUpstream([answer](const FakeUpstream::Request &, QTcpSocket *s) {
            s->write(FakeUpstream::response(200, answer, {{"Content-Type", "application/octet-stream"}}));
        });
        RawHttpClient c;
        QVERIFY(c.connectTo(m_service->port()));
        c.write("POST /upload?x=1 HTTP/1.1\r\nHost: t\r\nContent-Length: " + QByteArray::number(big.size()) + "\r\n\r\n");
        c.write(big);
        const QList<RawResponse> r = c.readResponses(1, 20'000);
        QCOMPARE(r.size(), 1);
        QCOMPARE(r[0].status, 200);
        QCOMPARE(r[0].header("Content-Length"), QByteArray::number(answer.size()));
        QVERIFY(r[0].body == answer);
        QVERIFY(m_upstream->requests().first().body == big);
    }

    void headIsForwardedAndAnsweredWithoutBody()
    {
        startWithUpstream([](const FakeUpstream::Request &, QTcpSocket *s) {
            s->write("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nX-H: 1\r\n\r\n");
        });
        RawHttpClient c;
        QVERIFY(c.connectTo(m_service->port()));
        c.write("HEAD /file HTTP/1.1\r\nHost: t\r\n\r\nGET /health HTTP/1.1\r\nHost: t\r\n\r\n");
        const QList<RawResponse> r = c.readResponses(2, 5000, {"HEAD", "GET"});
        QCOMPARE(r.size(), 2);
        QCOMPARE(r[0].header("Content-Length"), QByteArray("1234"));
        QCOMPARE(r[0].header("X-H"), QByteArray("1"));
        QCOMPARE(r[1].status, 200);
        QCOMPARE(m_upstream->requests().first().method, QByteArray("HEAD"));
    }

    void serverSentEventsArriveAsTheyAreSent()
    {
        QElapsedTimer clock;
        clock.start();
        QList<qint64> sentAt;
        QList<QTimer *> timers;
        startWithUpstream([&](const FakeUpstream::Request &, QTcpSocket *s) {
            s->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 4; ++i) {
                QTimer::singleShot(i * 200, s, [&, s, i] {
                    const QByteArray event = "data: {\"delta\":" + QByteArray::number(i) + "}\n\n";
                    sentAt.append(clock.elapsed());
                    s->write(QByteArray::number(event.size(), 16) + "\r\n" + event + "\r\n");
                    if (i == 3)
                        s->write("0\r\n\r\n");
                });
            }
        });
        RawHttpClient c;
        QVERIFY(c.connectTo(m_service->port()));
        c.write("POST /v1/chat/completions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"stream\":true}");
        QList<qint64> arrivedAt;
        for (int i = 0; i < 4; ++i) {
            QVERIFY2(c.waitForBytes("{\"delta\":" + QByteArray::number(i) + "}", 3000), qPrintable(QString::number(i)));
            arrivedAt.append(clock.elapsed());
        }
        const QList<RawResponse> r = c.readResponses(1);
        QCOMPARE(r.size(), 1);
        QCOMPARE(r[0].header("Content-Type"), QByteArray("text/event-stream"));
        QVERIFY(r[0].hasHeader("X-RateLimit-Limit"));
        QCOMPARE(r[0].body.count("data: "), 4);
        QCOMPARE(sentAt.size(), 4);
        for (int i = 0; i < 3; ++i) {
            // Event i reached the client before the upstream even sent event i + 1: nothing was held back.
            QVERIFY2(arrivedAt[i] < sentAt[i + 1],
                     qPrintable(QStringLiteral("event %1 arrived at %2 ms, next sent at %3 ms").arg(i).arg(arrivedAt[i]).arg(sentAt[i + 1])));
        }
    }

    void slowClientMakesTheGatewayStopReadingTheUpstream()
    {
        constexpr qint64 total = 64 * 1024 * 1024;
        QPointer<QTcpSocket> upstreamSocket;
        startWithUpstream([&](const FakeUpstream::Request &, QTcpSocket *s) {
            upstreamSocket = s;
            s->write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + QByteArray::number(total) + "\r\n\r\n");
            s->write(QByteArray(total, 'z'));
        });
        QTcpSocket client;
        client.setReadBufferSize(64 * 1024); // a client that reads nothing for now
        client.connectToHost(QHostAddress::LocalHost, m_service->port());
        QVERIFY(client.waitForConnected(5000));
        client.write("GET /big HTTP/1.1\r\nHost: t\r\n\r\n");
        QTRY_VERIFY(upstreamSocket);
        // Let the pipes fill. With back-pressure the upstream's socket keeps most of its 64 MiB unsent,
        // since the kernel buffers on the way (a few MiB) are all that can be in flight.
        QTest::qWait(700); // a bounded observation window on the network, not window logic
        const qint64 stuck = upstreamSocket->bytesToWrite();
        QVERIFY2(stuck > total / 2, qPrintable(QStringLiteral("only %1 bytes were still unsent upstream").arg(stuck)));
        // Now the client reads everything, and all of it arrives.
        client.setReadBufferSize(0);
        qint64 received = 0;
        QByteArray head;
        QVERIFY(QTest::qWaitFor([&] {
            QByteArray chunk = client.readAll();
            if (head.isEmpty() || !head.contains("\r\n\r\n")) {
                head += chunk;
                const qsizetype end = head.indexOf("\r\n\r\n");
                if (end >= 0)
                    received += head.size() - end - 4;
            } else {
                received += chunk.size();
            }
            return received >= total;
        }, 30'000));
        QCOMPARE(received, total);
    }

    void unreachableUpstreamGives502()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 port = closed.serverPort();
        closed.close();
        start(config("http://127.0.0.1:" + QByteArray::number(port)));
        const RawResponse r = exchange("GET /v1/models HTTP/1.1\r\nHost: t\r\n\r\n");
        QCOMPARE(r.status, 502);
        QCOMPARE(json(r.body).value("error").toString(), QStringLiteral("upstream_unavailable"));
        QVERIFY(r.hasHeader("X-RateLimit-Limit"));
        QCOMPARE(m_service->stats().snapshot().upstream[int(UpstreamOutcome::Unavailable)], 1);
    }

    void upstreamThatClosesWithoutAnswerGives502()
    {
        startWithUpstream([](const FakeUpstream::Request &, QTcpSocket *s) { s->abort(); });
        const RawResponse r = exchange("GET /v1/models HTTP/1.1\r\nHost: t\r\n\r\n");
        QCOMPARE(r.status, 502);
    }

    void silentUpstreamGives504AfterTheTimeout()
    {
        startWithUpstream([](const FakeUpstream::Request &, QTcpSocket *) {});
        QElapsedTimer timer;
        timer.start();
        const RawResponse r = exchange("GET /v1/slow HTTP/1.1\r\nHost: t\r\n\r\n", "GET", 5000);
        QCOMPARE(r.status, 504);
        QCOMPARE(json(r.body).value("error").toString(), QStringLiteral("upstream_timeout"));
        QVERIFY(timer.elapsed() >= 350);
        QCOMPARE(m_service->stats().snapshot().upstream[int(UpstreamOutcome::Timeout)], 1);
    }

    void upstreamBreakingOffMidAnswerClosesTheClient()
    {
        startWithUpstream([](const FakeUpstream::Request &, QTcpSocket *s) {
            s->write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial");
            QTimer::singleShot(50, s, [s] { s->abort(); });
        });
        RawHttpClient c;
        QVERIFY(c.connectTo(m_service->port()));
        c.write("GET /x HTTP/1.1\r\nHost: t\r\n\r\n");
        QVERIFY(c.waitForClose());
        QVERIFY(c.received().startsWith("HTTP/1.1 200"));
        QVERIFY(c.parse().isEmpty()); // never a complete (wrong) answer
    }

    void rejectedRequestsNeverReachTheUpstream()
    {
        m_upstream->setHandler([](const FakeUpstream::Request &, QTcpSocket *s) { s->write(FakeUpstream::response(200, "ok")); });
        ServiceConfig c = config(m_upstream->url());
        c.requestRateLimit = 2;
        start(c);
        RawHttpClient client;
        QVERIFY(client.connectTo(m_service->port()));
        client.write("GET /a HTTP/1.1\r\nHost: t\r\n\r\nPOST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nxGET /c HTTP/1.1\r\nHost: t\r\n\r\n");
        const QList<RawResponse> r = client.readResponses(3);
        QCOMPARE(r.size(), 3);
        QCOMPARE(r[0].status, 200);
        QCOMPARE(r[1].status, 200);
        QCOMPARE(r[2].status, 429);
        QCOMPARE(json(r[2].body).value("error").toString(), QStringLiteral("rate_limit_exceeded"));
        QCOMPARE(r[2].header("Retry-After"), QByteArray("60"));
        QCOMPARE(m_upstream->requests().size(), 2);
        QCOMPARE(m_service->stats().snapshot().blockedRequests(), 1);
    }

    void ownEndpointsAreNeverForwarded_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::addRow("/health") << QByteArray("GET /health HTTP/1.1\r\nHost: t\r\n\r\n") << 200;
        QTest::addRow("/metrics") << QByteArray("GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n") << 200;
        QTest::addRow("check") << QByteArray("GET /v1/ratelimit/check HTTP/1.1\r\nHost: t\r\n\r\n") << 200;
        QTest::addRow("unknown admin path") << QByteArray("GET /admin/anything HTTP/1.1\r\nHost: t\r\n\r\n") << 404;
        QTest::addRow("admin without key") << QByteArray("GET /admin/config HTTP/1.1\r\nHost: t\r\n\r\n") << 403;
        QTest::addRow("absolute-form target") << QByteArray("GET http://evil.example/ HTTP/1.1\r\nHost: t\r\n\r\n") << 400;
    }
    void ownEndpointsAreNeverForwarded()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        startWithUpstream([](const FakeUpstream::Request &, QTcpSocket *s) { s->write(FakeUpstream::response(200, "up")); });
        QCOMPARE(exchange(request).status, status);
        QCOMPARE(m_upstream->requests().size(), 0);
    }

    void clientLeavingMidStreamAbortsTheUpstreamRequest()
    {
        startWithUpstream([](const FakeUpstream::Request &, QTcpSocket *s) {
            s->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n6\r\ndata:1\r\n");
        });
        {
            RawHttpClient c;
            QVERIFY(c.connectTo(m_service->port()));
            c.write("GET /stream HTTP/1.1\r\nHost: t\r\n\r\n");
            QVERIFY(c.waitForBytes("data:1"));
            c.socket().abort();
        }
        QTRY_VERIFY(!m_upstream->sockets().isEmpty());
        QPointer<QTcpSocket> upstreamSide = m_upstream->sockets().first();
        QTRY_VERIFY(!upstreamSide || upstreamSide->state() != QAbstractSocket::ConnectedState);
        QCOMPARE(exchange("GET /health HTTP/1.1\r\nHost: t\r\n\r\n").status, 200);
    }
};

QTEST_MAIN(tst_Gateway)
#include "tst_gateway.moc"
