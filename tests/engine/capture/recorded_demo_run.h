// A recorded transfer on the demo network, for capture tests: the client sends `bytes` to the
// server's discard service (port 9) and, when asked, closes; every frame of both hosts is recorded
// by a Recorder into `store`, labels settled when the constructor returns.
#pragma once

#include <memory>

#include <QtTest>

#include "capture/packet_store.h"
#include "capture/recorder.h"
#include "host/lab.h"
#include "services/tcp_services.h"
#include "tcp/tcp_layer.h"

namespace tcplab::test {

struct RecordedDemoRun {
    struct Options {
        DemoLabConfig lab;       // 10 ms of latency each way, no loss, unless changed
        RecorderConfig recorder; // inline labels unless changed
        std::size_t bytes = 64 * 1024;
        bool close = true;                          // the client closes once everything is sent
        bool describeHosts = true;                  // interfaces named "<host>/wire"
        Duration runFor = std::chrono::seconds(20); // of lab time
    };

    PacketStore store;
    std::unique_ptr<Lab> lab;
    std::unique_ptr<Recorder> recorder;
    std::unique_ptr<TcpService> discard;
    std::uint64_t sent = 0;

    explicit RecordedDemoRun(const Options &o)
    {
        lab = Lab::demo(o.lab);
        recorder = std::make_unique<Recorder>(store, lab->flows(), o.recorder);
        for (HostId h = 0; h < 2 && o.describeHosts; ++h) {
            InterfaceInfo info;
            info.host = h;
            info.name = lab->host(h).name() + "/wire";
            info.mac = lab->host(h).mac();
            info.addresses = lab->host(h).config().addresses;
            recorder->describeHost(info);
        }
        lab->setFrameSink(recorder.get());
        lab->events().add(recorder.get());
        TcpLayer &client = lab->addTcp(lab->host(0));
        TcpLayer &server = lab->addTcp(lab->host(1));
        const Instant now = Instant{} + std::chrono::seconds(1);
        lab->start(now);
        auto service = startTcpService(server, lab->events(), 1, 9, "discard");
        QVERIFY(service.ok());
        discard = std::move(service.value());
        const Bytes data(o.bytes, 0x5a);
        TcpSocketId s = kNoSocket;
        auto c = client.connect(
            now, {lab->host(0).config().addresses.front().addr, 0},
            {lab->host(1).config().addresses.front().addr, 9}, [&](TcpSocketId, std::uint32_t bits) {
                if (!(bits & (tcpready::kConnected | tcpready::kWritable))) return;
                while (sent < data.size()) {
                    auto r = client.send(lab->now(), s, ByteView(data).subspan(sent));
                    if (!r.ok() || *r == 0) break;
                    sent += *r;
                }
                if (o.close && sent == data.size())
                    (void)client.close(lab->now(), s); // a second close is refused; harmless here
            });
        QVERIFY(c.ok());
        s = *c;
        for (int guard = 0; guard < 200000 && lab->pollAt() <= now + o.runFor; ++guard)
            lab->poll(lab->pollAt());
        QCOMPARE(sent, std::uint64_t(data.size()));
        QCOMPARE(discard->bytesIn(), sent);
        recorder->settle();
        lab->events().remove(recorder.get());
        lab->setFrameSink(nullptr);
    }
};

} // namespace tcplab::test
