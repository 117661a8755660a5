// ICMP and ICMPv6 errors received by a host reach the socket of the quoted flow, on the demo
// network in virtual time: UDP sockets get every error (RFC 1122 section 4.1.3.3); TCP records
// soft errors on the connection, aborts on a hard error only in SYN-SENT and ignores an error
// whose quoted sequence number is outside SND.UNA..SND.NXT (RFC 1122 section 4.2.3.9, RFC 5927
// section 4.1). Every error is an "icmp-error" event naming the flow and what became of it. The
// errors come from a packet hook on the server that answers the client's segments the way a
// router on the path would.
#include <QTest>

#include "lab_fixture.h"
#include "stack/host.h"
#include "tcp/tcp_layer.h"
#include "wire/icmpv4.h"
#include "wire/icmpv6.h"
#include "wire/ip_proto.h"
#include "wire/ipv4.h"
#include "wire/ipv6.h"

using namespace tcplab;
using namespace tcplab::testing;
using namespace std::chrono_literals;

namespace {

// On the server's ingress: the first TCP segment to `port` carrying any of `flags` (and, with
// `dataOnly`, payload) is consumed and answered with an ICMP error quoting it.
struct IcmpAnswerer final : PacketHook {
    std::uint16_t port = 0;
    bool dataOnly = false;
    std::uint8_t type = 0, code = 0;
    std::uint32_t seqShift = 0; // added to the quoted sequence number (a forged, stale error)
    int answered = 0;

    HookVerdict onPacket(Instant now, HookPacket &p, HookActions &a) override
    {
        if (p.point != HookPoint::Ingress || answered || p.local.port != port) return HookVerdict::Pass;
        Bytes quoted = p.ip;
        const bool v6 = (quoted[0] >> 4) == 6;
        const std::size_t tcpAt = v6 ? 40 : std::size_t(quoted[0] & 0x0f) * 4;
        const std::size_t dataOffset = std::size_t(quoted[tcpAt + 12] >> 4) * 4;
        if (dataOnly && quoted.size() <= tcpAt + dataOffset) return HookVerdict::Pass;
        ++answered;
        storeBe32(quoted.data() + tcpAt + 4, loadBe32(quoted.data() + tcpAt + 4) + seqShift);
        if (!v6) {
            Icmpv4Message m;
            m.type = type;
            m.code = code;
            m.body = quoted;
            Ipv4Header h;
            h.protocol = ipproto::kIcmp;
            h.source = p.local.addr.v4();
            h.destination = p.remote.addr.v4();
            a.sendToWire(now, buildIpv4(h, buildIcmpv4(m)));
        } else {
            Icmpv6Message m;
            m.type = type;
            m.code = code;
            m.body = quoted;
            Ipv6Header h;
            h.nextHeader = ipproto::kIcmpv6;
            h.source = p.local.addr.v6();
            h.destination = p.remote.addr.v6();
            a.sendToWire(now, buildIpv6(h, buildIcmpv6(m, h.source, h.destination)));
        }
        return HookVerdict::Drop;
    }
};

struct Net {
    EventLog events;
    std::unique_ptr<Lab> lab = Lab::demo();
    Host &client = lab->host(0);
    Host &server = lab->host(1);
    TcpLayer &ctcp = lab->addTcp(client);
    TcpLayer &stcp = lab->addTcp(server);
    IcmpAnswerer answerer;

    Net()
    {
        lab->events().add(&events);
        server.setPacketHook(&answerer);
        lab->start(Instant{});
        runUntil(*lab, Instant{} + 100ms); // addresses announced, neighbours learnt
    }
    ~Net() { lab->shutdown(); }

    std::vector<const Event *> icmpEvents(HostId host) const
    {
        std::vector<const Event *> out;
        for (const auto &e : events.events)
            if (e.host == host && e.name == "icmp-error") out.push_back(&e);
        return out;
    }
    static std::string field(const Event &e, const std::string &key)
    {
        for (const auto &[k, v] : e.fields)
            if (k == key) return v;
        return {};
    }
};

} // namespace

class TestIcmpErrors : public QObject {
    Q_OBJECT
private slots:
    // RFC 1122 section 4.1.3.3: the server's own port unreachable for a closed UDP port reaches the
    // client's socket bound to the datagram's source port, for IPv4 and IPv6.
    void udpSocketGetsPortUnreachable_data()
    {
        QTest::addColumn<QString>("server");
        QTest::addColumn<bool>("v6");
        QTest::newRow("IPv4") << "198.18.0.2" << false;
        QTest::newRow("IPv6") << "2001:db8::2" << true;
    }
    void udpSocketGetsPortUnreachable()
    {
        QFETCH(QString, server);
        QFETCH(bool, v6);
        Net net;
        std::vector<IcmpError> errors;
        auto sock = net.client.udpBind(
            5000, [](Instant, const UdpDatagram &) {},
            [&](Instant, const IcmpError &e) { errors.push_back(e); });
        QVERIFY(sock.ok());
        const Endpoint remote{ip(server.toLatin1().constData()), 9};
        const IpAddr self = ip(v6 ? "2001:db8::1" : "198.18.0.1");
        QVERIFY(net.client.udpSend(net.lab->now(), {self, 5000}, remote, Bytes{1, 2, 3}).ok());
        runUntil(*net.lab, net.lab->now() + 1s);

        QCOMPARE(errors.size(), std::size_t(1));
        QCOMPARE(errors[0].v6, v6);
        QCOMPARE(errors[0].kind, IcmpError::Kind::DestUnreachable);
        QVERIFY(errors[0].hard);
        QCOMPARE(errors[0].what, std::string("port unreachable"));
        QCOMPARE(errors[0].protocol, ipproto::kUdp);
        QCOMPARE(errors[0].local.port, std::uint16_t(5000));
        QCOMPARE(errors[0].remote, remote);
        QCOMPARE(errors[0].reporter, remote.addr);
        const auto evs = net.icmpEvents(net.client.id());
        QCOMPARE(evs.size(), std::size_t(1));
        QCOMPARE(Net::field(*evs[0], "remote"), remote.toString());
        QCOMPARE(Net::field(*evs[0], "outcome"), std::string("recorded"));
        QCOMPARE(net.client.counters().icmpErrorsDelivered, std::uint64_t(1));

        // No socket on that port any more: still an event, outcome no-socket, never delivered.
        net.client.udpClose(*sock);
        QVERIFY(net.client.udpSend(net.lab->now() + 2s, {self, 5000}, remote, Bytes{4}).ok());
        runUntil(*net.lab, net.lab->now() + 3s);
        QCOMPARE(errors.size(), std::size_t(1));
        QCOMPARE(net.icmpEvents(net.client.id()).size(), std::size_t(2));
        QCOMPARE(Net::field(*net.icmpEvents(net.client.id()).back(), "outcome"), std::string("no-socket"));
        QCOMPARE(net.client.counters().icmpErrorsIn, std::uint64_t(2));
    }

    // A hard error (port / protocol unreachable) answering our SYN aborts the attempt.
    void hardErrorAbortsSynSent_data()
    {
        QTest::addColumn<QString>("server");
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("code");
        QTest::newRow("ICMP port unreachable")
            << "198.18.0.2" << int(icmpv4::kDestUnreachable) << int(icmpv4::kPortUnreachable);
        QTest::newRow("ICMP protocol unreachable")
            << "198.18.0.2" << int(icmpv4::kDestUnreachable) << int(icmpv4::kProtocolUnreachable);
        QTest::newRow("ICMPv6 port unreachable")
            << "2001:db8::2" << int(icmpv6::kDestUnreachable) << int(icmpv6::kPortUnreachable);
        QTest::newRow("ICMPv6 unrecognized next header")
            << "2001:db8::2" << int(icmpv6::kParameterProblem) << 1;
    }
    void hardErrorAbortsSynSent()
    {
        QFETCH(QString, server);
        QFETCH(int, type);
        QFETCH(int, code);
        Net net;
        net.answerer.port = 80;
        net.answerer.type = std::uint8_t(type);
        net.answerer.code = std::uint8_t(code);
        std::uint32_t bits = 0;
        const bool v6 = server.contains(':');
        auto s = net.ctcp.connect(net.lab->now(), {ip(v6 ? "2001:db8::1" : "198.18.0.1"), 0},
                                  {ip(server.toLatin1().constData()), 80},
                                  [&](TcpSocketId, std::uint32_t b) { bits |= b; });
        QVERIFY(s.ok());
        runUntil(*net.lab, net.lab->now() + 500ms); // one round trip; the SYN's RTO is 1 s
        QCOMPARE(net.answerer.answered, 1);
        QVERIFY(bits & tcpready::kClosed);
        const auto info = net.ctcp.info(*s);
        QVERIFY(info);
        QCOMPARE(info->tcb.state, TcpState::Closed);
        QVERIFY2(info->error.starts_with("connection refused: ICMP"), info->error.c_str());
        QCOMPARE(net.ctcp.counters().icmpAborts, std::uint64_t(1));
        const auto evs = net.icmpEvents(net.client.id());
        QCOMPARE(evs.size(), std::size_t(1));
        QCOMPARE(Net::field(*evs[0], "outcome"), std::string("aborted"));
        QVERIFY(evs[0]->session != kNoSession);
    }

    // In ESTABLISHED every error is soft, hard ones too (RFC 5927 section 4.1): recorded on the
    // connection, which carries on; the lost data is retransmitted and arrives.
    void errorsInEstablishedAreRecordedNotFatal_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("what");
        QTest::newRow("host unreachable")
            << int(icmpv4::kDestUnreachable) << int(icmpv4::kHostUnreachable) << "host unreachable";
        QTest::newRow("time exceeded") << int(icmpv4::kTimeExceeded) << 0 << "time exceeded in transit";
        QTest::newRow("port unreachable (hard, synchronized)")
            << int(icmpv4::kDestUnreachable) << int(icmpv4::kPortUnreachable) << "port unreachable";
    }
    void errorsInEstablishedAreRecordedNotFatal()
    {
        QFETCH(int, type);
        QFETCH(int, code);
        QFETCH(QString, what);
        Net net;
        auto l = net.stcp.listen({IpAddr(Ip4Addr{}), 7}, 8, [&](TcpSocketId ls, std::uint32_t) {
            for (TcpSocketId a; (a = net.stcp.accept(ls)) != kNoSocket;)
                (void)a;
        });
        QVERIFY(l.ok());
        auto s = net.ctcp.connect(net.lab->now(), {ip("198.18.0.1"), 0}, {ip("198.18.0.2"), 7});
        QVERIFY(s.ok());
        runUntil(*net.lab, net.lab->now() + 200ms);
        QCOMPARE(net.ctcp.info(*s)->tcb.state, TcpState::Established);
        net.answerer.port = 7;
        net.answerer.dataOnly = true;
        net.answerer.type = std::uint8_t(type);
        net.answerer.code = std::uint8_t(code);
        QCOMPARE(*net.ctcp.send(net.lab->now(), *s, Bytes(100, 'x')), std::size_t(100));
        runUntil(*net.lab, net.lab->now() + 5s);
        QCOMPARE(net.answerer.answered, 1);
        const auto info = net.ctcp.info(*s);
        QCOMPARE(info->tcb.state, TcpState::Established);
        QVERIFY(info->error.empty());
        QCOMPARE(QString::fromStdString(info->softError), what + " from 198.18.0.2");
        QCOMPARE(info->sendQueued, 0u); // retransmitted and acknowledged
        const auto evs = net.icmpEvents(net.client.id());
        QCOMPARE(evs.size(), std::size_t(1));
        QCOMPARE(Net::field(*evs[0], "outcome"), std::string("recorded"));
        QCOMPARE(Net::field(*evs[0], "error"), what.toStdString());
        QCOMPARE(net.ctcp.counters().icmpSoftErrors, std::uint64_t(1));
    }

    // RFC 5927 section 4.1: an error quoting a sequence number outside SND.UNA..SND.NXT (stale or
    // forged) is ignored, even a hard one in SYN-SENT.
    void quotedSequenceOutsideTheWindowIsIgnored()
    {
        Net net;
        net.answerer.port = 80;
        net.answerer.type = icmpv4::kDestUnreachable;
        net.answerer.code = icmpv4::kPortUnreachable;
        net.answerer.seqShift = 100000;
        auto s = net.ctcp.connect(net.lab->now(), {ip("198.18.0.1"), 0}, {ip("198.18.0.2"), 80});
        QVERIFY(s.ok());
        runUntil(*net.lab, net.lab->now() + 500ms);
        QCOMPARE(net.answerer.answered, 1);
        const auto info = net.ctcp.info(*s);
        QCOMPARE(info->tcb.state, TcpState::SynSent);
        QVERIFY(info->softError.empty());
        QCOMPARE(net.ctcp.counters().icmpOutOfWindow, std::uint64_t(1));
        const auto evs = net.icmpEvents(net.client.id());
        QCOMPARE(evs.size(), std::size_t(1));
        QCOMPARE(Net::field(*evs[0], "outcome"), std::string("out-of-window"));
        QCOMPARE(net.client.counters().icmpErrorsDelivered, std::uint64_t(0));
    }

    // An error quoting a packet this host never sent (its source is not ours) is counted and
    // dropped: no event, no socket touched.
    void errorAboutSomeoneElsesPacketIsIgnored()
    {
        Net net;
        Ipv4Header inner;
        inner.protocol = ipproto::kUdp;
        inner.source = Ip4Addr{0xc6120063u}; // 198.18.0.99: not the client
        inner.destination = Ip4Addr{0xc6120002u};
        const Bytes quoted = buildIpv4(inner, Bytes{0x13, 0x88, 0x00, 0x09, 0x00, 0x08, 0x00, 0x00});
        Ipv4Header outer;
        outer.protocol = ipproto::kIcmp;
        outer.source = Ip4Addr{0xc6120002u};
        outer.destination = Ip4Addr{0xc6120001u};
        const Bytes icmp = buildIcmpv4(Icmpv4Message::destUnreachable(icmpv4::kPortUnreachable, quoted));
        const auto before = net.client.counters()[StackDrop::IgnoredIcmp];
        // Sent by the server's stack as it is (the client resolves nothing: the server knows it).
        net.server.sendIp(net.lab->now(), outer.source, outer.destination, ipproto::kIcmp, icmp);
        runUntil(*net.lab, net.lab->now() + 1s);
        QCOMPARE(net.client.counters()[StackDrop::IgnoredIcmp], before + 1);
        QCOMPARE(net.client.counters().icmpErrorsIn, std::uint64_t(0));
        QVERIFY(net.icmpEvents(net.client.id()).empty());
    }
};

QTEST_APPLESS_MAIN(TestIcmpErrors)
#include "test_icmp_errors.moc"
