// The TCP services and the --connect client, engine to engine on the virtual wire.
#include "engine/tcp/tcp_fixture.h"
#include "services/tcp_services.h"

using namespace tcplab;
using namespace tcplab::test;

namespace {

const Endpoint kClientAddr{ip("198.18.0.1"), 0};

struct Run {
    TcpPair pair;
    std::unique_ptr<TcpService> service;
    std::unique_ptr<TcpClient> client;
    bool done = false;
    TcpClientResult result;

    Run(std::string_view name, TcpClient::Options o)
    {
        service = std::move(startTcpService(pair.b(), pair.events[1], 1, 7000, name).value());
        o.local = o.remote.addr.isV4() ? kClientAddr : Endpoint{ip("2001:db8::1"), 0};
        client = std::make_unique<TcpClient>(pair.a(), o, [this](const TcpClientResult &r) {
            done = true;
            result = r;
        });
        QVERIFY(client->start(pair.now).ok());
    }
    bool finish(Duration limit = 120s) { return pair.runUntil([&] { return done; }, limit); }
};

std::uint32_t crcOf(ByteView d)
{
    Crc32 c;
    c.add(d);
    return c.value();
}

}  // namespace

class TestTcpServices : public QObject {
    Q_OBJECT
private slots:
    void crc32MatchesZlib()
    {
        const std::string s = "123456789";
        QCOMPARE(crcOf(ByteView(reinterpret_cast<const std::uint8_t *>(s.data()), s.size())), 0xcbf43926u);
    }

    void echoSendsBackWhatArrives()
    {
        Run r("echo", {{}, {ip("198.18.0.2"), 7000}, "hello, echo\n", 0});
        QVERIFY(r.finish());
        QVERIFY(r.result.connected);
        QCOMPARE(r.result.receivedText, std::string("hello, echo\n"));
        QVERIFY(r.result.error.empty());
    }

    void echoBulkOverIpv6()
    {
        Run r("echo", {{}, {ip("2001:db8::2"), 7000}, {}, 3'000'000});
        QVERIFY(r.finish());
        QCOMPARE(r.result.bytesReceived, std::uint64_t(3'000'000));
        Bytes expect(3'000'000);
        for (std::size_t i = 0; i < expect.size(); ++i) expect[i] = static_cast<std::uint8_t>(i);
        QCOMPARE(r.result.crc32Received, crcOf(expect));
    }

    void discardReturnsNothing()
    {
        Run r("discard", {{}, {ip("198.18.0.2"), 7000}, "thrown away", 0});
        QVERIFY(r.finish());
        QCOMPARE(r.result.bytesReceived, std::uint64_t(0));
        QCOMPARE(r.service->bytesIn(), std::uint64_t(11));
    }

    void sinkReportsRateAndCrc()
    {
        Run r("sink", {{}, {ip("198.18.0.2"), 7000}, {}, 1'000'000});
        QVERIFY(r.finish());
        r.pair.run(1s);
        QCOMPARE(r.service->bytesIn(), std::uint64_t(1'000'000));
        bool found = false;
        Bytes expect(1'000'000);
        for (std::size_t i = 0; i < expect.size(); ++i) expect[i] = static_cast<std::uint8_t>(i);
        char crc[16];
        std::snprintf(crc, sizeof crc, "%08x", crcOf(expect));
        for (const auto &e : r.pair.events[1].events)
            if (e.kind == EventKind::ServiceNote && e.name == "sink-done")
                for (const auto &[k, v] : e.fields)
                    if (k == "crc32") {
                        QCOMPARE(v, std::string(crc));
                        found = true;
                    }
        QVERIFY(found);
    }

    void httpServesAPage()
    {
        Run r("http", {{}, {ip("198.18.0.2"), 7000}, "GET /index.html HTTP/1.1\r\nHost: lab\r\nUser-Agent: test\r\n\r\n", 0});
        QVERIFY(r.finish());
        QVERIFY(r.result.receivedText.starts_with("HTTP/1.1 200 OK\r\n"));
        QVERIFY(r.result.receivedText.find("Content-Length: ") != std::string::npos);
        QVERIFY(r.result.receivedText.find("/index.html") != std::string::npos);
        const auto body = r.result.receivedText.find("\r\n\r\n");
        const auto lenAt = r.result.receivedText.find("Content-Length: ") + 16;
        const auto len = std::stoul(r.result.receivedText.substr(lenAt));
        QCOMPARE(r.result.receivedText.size() - body - 4, len);
    }

    void httpRejectsOtherMethods()
    {
        Run r("http", {{}, {ip("198.18.0.2"), 7000}, "DELETE / HTTP/1.1\r\n\r\n", 0});
        QVERIFY(r.finish());
        QVERIFY(r.result.receivedText.starts_with("HTTP/1.1 405"));
    }

    void chargenAndSourceStreamUntilPeerCloses()
    {
        for (const char *name : {"chargen", "source"}) {
            TcpPair pair;
            auto svc = std::move(startTcpService(pair.b(), pair.events[1], 1, 19, name).value());
            std::uint64_t got = 0, bad = 0;
            TcpSocketId s = kNoSocket;
            s = *pair.a().connect(pair.now, kClientAddr, {ip("198.18.0.2"), 19}, [&](TcpSocketId, std::uint32_t) {
                std::uint8_t buf[4096];
                for (;;) {
                    auto r = pair.a().recv(pair.now, s, buf);
                    if (!r.ok() || *r == 0) break;
                    for (std::size_t i = 0; i < *r; ++i) {
                        const std::uint64_t at = got + i;
                        std::uint8_t want;
                        if (std::string_view(name) == "source") want = static_cast<std::uint8_t>(at);
                        else if (at % 74 == 72) want = '\r';
                        else if (at % 74 == 73) want = '\n';
                        else want = static_cast<std::uint8_t>(' ' + (at / 74 + at % 74) % 95);
                        if (buf[i] != want) ++bad;
                    }
                    got += *r;
                }
            });
            QVERIFY(pair.runUntil([&] { return got >= 500'000; }, 60s));
            QCOMPARE(bad, std::uint64_t(0));
            (void)pair.a().shutdown(pair.now, s);
            // The service stops and closes its side once our FIN arrives.
            QVERIFY(pair.runUntil([&] { return pair.a().peerClosed(s) && pair.a().recvAvailable(s) == 0; }, 60s));
        }
    }

    void connectToClosedPortReportsRefused()
    {
        TcpPair pair;
        bool done = false;
        TcpClientResult res;
        TcpClient c(pair.a(), {kClientAddr, {ip("198.18.0.2"), 9}, "x", 0},
                    [&](const TcpClientResult &r) {
                        done = true;
                        res = r;
                    });
        QVERIFY(c.start(pair.now).ok());
        QVERIFY(pair.runUntil([&] { return done; }, 10s));
        QVERIFY(!res.connected);
        QCOMPARE(res.error, std::string("connection refused"));
    }

    void unknownServiceNamed()
    {
        TcpPair pair;
        auto s = startTcpService(pair.b(), pair.events[1], 1, 80, "gopher");
        QVERIFY(!s.ok());
        QVERIFY(s.error().message.find("gopher") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestTcpServices)
#include "test_tcp_services.moc"
