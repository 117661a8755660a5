// Every action of a rule, the hit events with before→after values, counters and live rule edits.
#include <QtTest>

#include "rule_test_support.h"

using namespace tcplab;
using namespace tcplab::test;

namespace {

struct Fixture {
    Rng rng{1};
    RuleEngine engine{rng};
    RecordingActions actions;
    HookVerdict run(HookPacket &p, Instant now = Instant{}) { return engine.onPacket(now, p, actions); }
};

std::string field(const Event &e, const std::string &key)
{
    for (const auto &[k, v] : e.fields)
        if (k == key) return v;
    return "<missing>";
}

Match synOnly()
{
    Match m;
    m.flagsSet = TcpFlags::kSyn;
    m.flagsClear = TcpFlags::kAck;
    return m;
}

}  // namespace

class TestRuleActions : public QObject {
    Q_OBJECT
private slots:
    // The article's exchange: every SYN answered with a bare ACK, seq = seg.seq + 1, ack = seg.seq +
    // seg.win - 1, window 224, no options; the SYN itself never reaches the state machine.
    void replyAnswersWithCraftedBareAckAndConsumes()
    {
        Fixture f;
        ReplyAction reply;
        reply.flags = TcpFlags::kAck;
        reply.seq = expr("seg.seq + 1");
        reply.ack = expr("seg.seq + seg.win - 1");
        reply.window = expr("224");
        f.engine.setRules({rule("syn-gets-ack", synOnly(), {reply})});
        OptionValues synOpts;
        synOpts.mss = 1460;
        synOpts.sackPermitted = true;
        synOpts.timestamps = {{123, 0}};
        synOpts.windowScale = 7;
        auto p = ingress(segment(TcpFlags::kSyn, 3000000000u, 0, 64240, {}, synOpts));
        QCOMPARE(f.run(p), HookVerdict::Drop);
        QCOMPARE(f.actions.stack.size(), std::size_t(0));
        QCOMPARE(f.actions.wire.size(), std::size_t(1));
        const Bytes &out = f.actions.wire[0];
        QVERIFY(checksumsOk(out));
        QCOMPARE(ipSource(out), kServer.addr);
        QCOMPARE(ipDestination(out), kClient.addr);
        const TcpView t = tcpOf(out);
        QCOMPARE(t.sourcePort(), kServer.port);
        QCOMPARE(t.destinationPort(), kClient.port);
        QCOMPARE(t.flags().bits, TcpFlags::kAck);
        QCOMPARE(t.seq().raw(), 3000000001u);
        QCOMPARE(t.ack().raw(), 3000000000u + 64240u - 1u);
        QCOMPARE(t.window(), std::uint16_t(224));
        QCOMPARE(t.headerLength(), std::size_t(20));
        QCOMPARE(t.payload().size(), std::size_t(0));
        const auto hits = f.actions.ofKind(EventKind::RuleHit);
        QCOMPARE(hits.size(), std::size_t(1));
        QCOMPARE(hits[0].name, std::string("syn-gets-ack"));
        QCOMPARE(field(hits[0], "reply.ack"), std::to_string(3000000000u + 64240u - 1u));
        QCOMPARE(field(hits[0], "action"), std::string("reply"));
        QCOMPARE(f.engine.hits("syn-gets-ack"), std::uint64_t(1));
    }

    void dropConsumes()
    {
        Fixture f;
        Match none;
        none.states = {TcpState::None};
        f.engine.setRules({rule("silence", none, {DropAction{}})});
        auto rst = ingress(segment(TcpFlags::kRst, 5, 0, 0), TcpState::None);
        QCOMPARE(f.run(rst), HookVerdict::Drop);
        auto est = ingress(segment(TcpFlags::kAck, 5, 0, 0), TcpState::Established);
        QCOMPARE(f.run(est), HookVerdict::Pass);
        QCOMPARE(f.engine.hits("silence"), std::uint64_t(1));
    }

    void setFieldsRewritesWithBeforeAfterAndFixesChecksums()
    {
        Fixture f;
        f.engine.setRules({rule("bend", Match{},
                                {SetFieldAction{PacketField::TcpSeq, expr("seg.seq + 10")},
                                 SetFieldAction{PacketField::TcpAck, expr("0x1234")},
                                 SetFieldAction{PacketField::TcpWindow, expr("seg.win / 2")},
                                 SetFieldAction{PacketField::TcpUrgent, expr("7")},
                                 SetFieldAction{PacketField::IpTtl, expr("3")},
                                 SetFieldAction{PacketField::IpDscp, expr("46")},
                                 SetFieldAction{PacketField::IpEcn, expr("3")},
                                 SetFieldAction{PacketField::IpId, expr("0xbeef")},
                                 SetFieldAction{PacketField::IpDf, expr("0")}})});
        auto p = ingress(segment(TcpFlags::kAck, 100, 1, 1000, {'h', 'i'}));
        QCOMPARE(f.run(p), HookVerdict::Pass);
        QVERIFY(checksumsOk(p.ip));
        const auto loc = *locateTcp(p.ip);
        QCOMPARE(*readPacketField(p.ip, loc, PacketField::TcpSeq), 110u);
        QCOMPARE(*readPacketField(p.ip, loc, PacketField::TcpAck), 0x1234u);
        QCOMPARE(*readPacketField(p.ip, loc, PacketField::TcpWindow), 500u);
        QCOMPARE(*readPacketField(p.ip, loc, PacketField::TcpUrgent), 7u);
        QCOMPARE(*readPacketField(p.ip, loc, PacketField::IpTtl), 3u);
        QCOMPARE(*readPacketField(p.ip, loc, PacketField::IpTos), std::uint32_t(46 << 2 | 3));
        QCOMPARE(*readPacketField(p.ip, loc, PacketField::IpId), 0xbeefu);
        QCOMPARE(*readPacketField(p.ip, loc, PacketField::IpDf), 0u);
        const auto e = f.actions.ofKind(EventKind::RuleHit).at(0);
        QCOMPARE(field(e, "tcp.seq"), std::string("100→110"));
        QCOMPARE(field(e, "tcp.window_size_value"), std::string("1000→500"));
        QCOMPARE(field(e, "ip.ttl"), std::string("64→3"));
    }

    void dataOffsetCanLie()
    {
        Fixture f;
        f.engine.setRules({rule("liar", Match{}, {SetFieldAction{PacketField::TcpDataOffset, expr("15")}})});
        auto p = ingress(segment(TcpFlags::kAck, 1, 1, 1, Bytes(40, 'x')));
        f.run(p);
        QCOMPARE(p.ip[20 + 12] >> 4, 15);
        QVERIFY(checksumsOk(p.ip));
    }

    void valueTooWideOrDivisionByZeroIsAnErrorEvent()
    {
        Fixture f;
        f.engine.setRules({rule("bad", Match{},
                                {SetFieldAction{PacketField::TcpWindow, expr("70000")},
                                 SetFieldAction{PacketField::TcpSeq, expr("seg.seq / seg.len")}})});
        auto p = ingress(segment(TcpFlags::kAck, 1, 1, 1));
        const Bytes before = p.ip;
        QCOMPARE(f.run(p), HookVerdict::Pass);
        QCOMPARE(p.ip, before);  // nothing was written
        const auto errors = f.actions.ofKind(EventKind::Error);
        QCOMPARE(errors.size(), std::size_t(2));
        QVERIFY(errors[0].detail.find("does not fit") != std::string::npos);
        QVERIFY(errors[1].detail.find("division by zero") != std::string::npos);
        QCOMPARE(f.engine.hits("bad"), std::uint64_t(1));
    }

    void flagsSetAndClear()
    {
        Fixture f;
        f.engine.setRules({rule("fin-too", Match{}, {FlagsAction{TcpFlags::kFin, TcpFlags::kPsh}})});
        auto p = ingress(segment(TcpFlags::kPsh | TcpFlags::kAck, 1, 1, 1));
        f.run(p);
        QCOMPARE(tcpOf(p.ip).flags().bits, std::uint8_t(TcpFlags::kFin | TcpFlags::kAck));
        QVERIFY(checksumsOk(p.ip));
        QCOMPARE(field(f.actions.events.at(0), "tcp.flags"), std::string("PSH, ACK→FIN, ACK"));
    }

    void optionsRemoveAddChange()
    {
        Fixture f;
        OptionsAction a;
        a.remove = {OptionKind::Timestamps, OptionKind::SackPermitted};
        a.set.mss = 536;
        a.set.windowScale = 2;
        f.engine.setRules({rule("opts", Match{}, {a})});
        OptionValues synOpts;
        synOpts.mss = 1460;
        synOpts.sackPermitted = true;
        synOpts.timestamps = {{1, 0}};
        auto p = ingress(segment(TcpFlags::kSyn, 1, 0, 100, {}, synOpts));
        f.run(p);
        QVERIFY(checksumsOk(p.ip));
        const auto opts = *tcpOf(p.ip).options();
        QCOMPARE(opts.mss, std::optional<std::uint16_t>(536));
        QCOMPARE(opts.windowScale, std::optional<std::uint8_t>(2));
        QVERIFY(!opts.sackPermitted);
        QVERIFY(!opts.timestamps);
        QCOMPARE(std::size_t(p.ip[2] << 8 | p.ip[3]), p.ip.size());  // IP total length follows
        // Remove everything: a 20-byte header.
        Fixture g;
        OptionsAction none;
        none.removeAll = true;
        g.engine.setRules({rule("strip", Match{}, {none})});
        auto q = ingress(segment(TcpFlags::kSyn, 1, 0, 100, {'x'}, synOpts));
        g.run(q);
        QCOMPARE(tcpOf(q.ip).headerLength(), std::size_t(20));
        QCOMPARE(tcpOf(q.ip).payload().size(), std::size_t(1));
        QVERIFY(checksumsOk(q.ip));
        // SACK blocks and timestamps set on an ACK.
        Fixture h;
        OptionsAction sack;
        sack.set.sackBlocks = {{1000, 2000}};
        sack.set.timestamps = {{5, 6}};
        h.engine.setRules({rule("sack", Match{}, {sack})});
        auto r = ingress(segment(TcpFlags::kAck, 1, 1, 100));
        h.run(r);
        const auto ro = *tcpOf(r.ip).options();
        QCOMPARE(int(ro.sackCount), 1);
        QCOMPARE(ro.sackBlocks[0].left.raw(), 1000u);
        QCOMPARE(ro.timestamps->echo, 6u);
    }

    void payloadReplaceTruncateAppend()
    {
        auto run = [](PayloadAction a) {
            Fixture f;
            f.engine.setRules({rule("pl", Match{}, {a})});
            auto p = ingress(segment(TcpFlags::kAck, 1, 1, 1, {'h', 'e', 'l', 'l', 'o'}));
            f.run(p);
            if (!checksumsOk(p.ip)) return std::string("<bad checksum>");
            const auto pl = tcpOf(p.ip).payload();
            return std::string(pl.begin(), pl.end());
        };
        QCOMPARE(run({PayloadAction::Mode::Replace, {'b', 'y', 'e'}, true, 0}), std::string("bye"));
        QCOMPARE(run({PayloadAction::Mode::Truncate, {}, true, 2}), std::string("he"));
        QCOMPARE(run({PayloadAction::Mode::Truncate, {}, true, 0}), std::string(""));
        QCOMPARE(run({PayloadAction::Mode::Append, {'!', '!'}, true, 0}), std::string("hello!!"));
    }

    void corruptChecksumKeepsEverythingElse()
    {
        Fixture f;
        f.engine.setRules({rule("bad-sum", Match{}, {SetFieldAction{PacketField::TcpWindow, expr("9")}, CorruptChecksumAction{}})});
        auto p = ingress(segment(TcpFlags::kAck, 1, 1, 1, {'x'}));
        f.run(p);
        QVERIFY(!checksumsOk(p.ip));
        QCOMPARE(internetChecksum(ByteView(p.ip).first(20)), std::uint16_t(0));  // IP header still right
        QCOMPARE(tcpOf(p.ip).window(), std::uint16_t(9));
    }

    void delayReleasesFromPoll()
    {
        Fixture f;
        f.engine.setRules({rule("slow", Match{}, {DelayAction{std::chrono::milliseconds(200)}})});
        auto p = ingress(segment(TcpFlags::kAck, 1, 1, 1));
        const Instant t0 = instantFromNanos(1'000'000);
        QCOMPARE(f.run(p, t0), HookVerdict::Take);
        QCOMPARE(f.engine.pollAt(), t0 + std::chrono::milliseconds(200));
        f.engine.poll(t0 + std::chrono::milliseconds(199), f.actions);
        QCOMPARE(f.actions.stack.size(), std::size_t(0));
        f.engine.poll(t0 + std::chrono::milliseconds(200), f.actions);
        QCOMPARE(f.actions.stack.size(), std::size_t(1));  // ingress packets go to the stack
        QCOMPARE(f.engine.pollAt(), kNever);
        // At egress they go to the wire.
        Fixture g;
        g.engine.setRules({rule("slow", Match{}, {DelayAction{std::chrono::milliseconds(5)}}, HookPoint::Egress)});
        auto q = egress(segment(TcpFlags::kAck, 1, 1, 1, {}, {}, kServer, kClient));
        QCOMPARE(g.run(q, t0), HookVerdict::Take);
        g.engine.poll(t0 + std::chrono::milliseconds(5), g.actions);
        QCOMPARE(g.actions.wire.size(), std::size_t(1));
    }

    void duplicateSendsCopies()
    {
        Fixture f;
        f.engine.setRules({rule("twice", Match{}, {DuplicateAction{2}}, HookPoint::Egress)});
        auto p = egress(segment(TcpFlags::kAck, 7, 1, 1, {}, {}, kServer, kClient));
        QCOMPARE(f.run(p), HookVerdict::Pass);
        QCOMPARE(f.actions.wire.size(), std::size_t(2));
        QCOMPARE(f.actions.wire[0], p.ip);
    }

    void holdReordersBehindTheNextSegments()
    {
        Fixture f;
        Match first;
        first.occurrence = Occurrence::Nth;
        first.occurrenceCount = 1;
        f.engine.setRules({rule("swap", first, {HoldAction{2, std::chrono::seconds(1)}}, HookPoint::Egress)});
        std::vector<std::uint32_t> order;
        for (std::uint32_t seq : {100u, 200u, 300u, 400u}) {
            auto p = egress(segment(TcpFlags::kAck, seq, 1, 1, {}, {}, kServer, kClient));
            if (f.run(p) == HookVerdict::Pass) f.actions.wire.push_back(p.ip);
        }
        for (const auto &ip : f.actions.wire) order.push_back(tcpOf(ip).seq().raw());
        QCOMPARE(order, (std::vector<std::uint32_t>{200, 300, 100, 400}));
        QCOMPARE(f.engine.heldPackets(), std::size_t(0));
    }

    void holdTimesOutWhenTooFewSegmentsFollow()
    {
        Fixture f;
        f.engine.setRules({rule("hold", Match{}, {HoldAction{5, std::chrono::milliseconds(300)}})});
        auto p = ingress(segment(TcpFlags::kAck, 1, 1, 1));
        QCOMPARE(f.run(p), HookVerdict::Take);
        QCOMPARE(f.engine.pollAt(), Instant{} + std::chrono::milliseconds(300));
        f.engine.poll(Instant{} + std::chrono::milliseconds(300), f.actions);
        QCOMPARE(f.actions.stack.size(), std::size_t(1));
    }

    void injectRstTowardEitherSide()
    {
        // Toward the sender of an ingress packet: out on the wire, numbers in the sender's window.
        Fixture f;
        InjectAction toSender;
        toSender.flags = TcpFlags::kRst;
        toSender.toward = Toward::Sender;
        f.engine.setRules({rule("kill", Match{}, {toSender})});
        auto p = ingress(segment(TcpFlags::kAck | TcpFlags::kPsh, 1000, 5000, 100, Bytes(10, 'x')), TcpState::Established);
        QCOMPARE(f.run(p), HookVerdict::Pass);  // the packet itself goes on
        QCOMPARE(f.actions.wire.size(), std::size_t(1));
        auto rst = tcpOf(f.actions.wire[0]);
        QCOMPARE(rst.flags().bits, std::uint8_t(TcpFlags::kRst | TcpFlags::kAck));
        QCOMPARE(rst.seq().raw(), 5000u);
        QCOMPARE(rst.ack().raw(), 1010u);
        QCOMPARE(rst.destinationPort(), kClient.port);
        QVERIFY(checksumsOk(f.actions.wire[0]));
        // Toward the receiver (our own stack) with an explicit seq, as a FIN.
        Fixture g;
        InjectAction fin;
        fin.flags = TcpFlags::kFin;
        fin.toward = Toward::Receiver;
        fin.seq = expr("seg.seq + seg.len");
        g.engine.setRules({rule("fin", Match{}, {fin})});
        auto q = ingress(segment(TcpFlags::kAck, 1000, 5000, 100, Bytes(10, 'x')), TcpState::Established);
        g.run(q);
        QCOMPARE(g.actions.stack.size(), std::size_t(1));
        auto f2 = tcpOf(g.actions.stack[0]);
        QCOMPARE(f2.flags().bits, std::uint8_t(TcpFlags::kFin | TcpFlags::kAck));
        QCOMPARE(f2.seq().raw(), 1010u);
        QCOMPARE(f2.destinationPort(), kServer.port);
    }

    void stopAfterNHitsAndContinueOrStop()
    {
        Fixture f;
        Rule limited = rule("twice", Match{}, {SetFieldAction{PacketField::TcpWindow, expr("1")}});
        limited.maxHits = 2;
        limited.continueAfterHit = true;
        Rule second = rule("after", Match{}, {SetFieldAction{PacketField::TcpUrgent, expr("9")}});
        Rule never = rule("never", Match{}, {DropAction{}});
        f.engine.setRules({limited, second, never});
        for (int i = 0; i < 4; ++i) {
            auto p = ingress(segment(TcpFlags::kAck, 1, 1, 100));
            QCOMPARE(f.run(p), HookVerdict::Pass);  // "after" stops before "never"
            QCOMPARE(tcpOf(p.ip).urgentPointer(), std::uint16_t(9));
            QCOMPARE(tcpOf(p.ip).window(), std::uint16_t(i < 2 ? 1 : 100));
        }
        QCOMPARE(f.engine.hits("twice"), std::uint64_t(2));
        QCOMPARE(f.engine.hits("after"), std::uint64_t(4));
        QCOMPARE(f.engine.hits("never"), std::uint64_t(0));
        QVERIFY(f.engine.status()[0].exhausted);
    }

    void liveEditsKeepCountersByName()
    {
        Fixture f;
        f.engine.setRules({rule("a", Match{}, {DropAction{}}), rule("b", Match{}, {DropAction{}})});
        auto p = ingress(segment(TcpFlags::kAck, 1, 1, 1));
        f.run(p);
        QCOMPARE(f.engine.hits("a"), std::uint64_t(1));
        // Reordered and with a new rule: "a" keeps its count.
        f.engine.setRules({rule("b", Match{}, {DropAction{}}), rule("a", Match{}, {DropAction{}}), rule("c", Match{}, {})});
        auto q = ingress(segment(TcpFlags::kAck, 1, 1, 1));
        f.run(q);
        QCOMPARE(f.engine.hits("a"), std::uint64_t(1));
        QCOMPARE(f.engine.hits("b"), std::uint64_t(1));
        QVERIFY(f.engine.setEnabled("b", false));
        auto r = ingress(segment(TcpFlags::kAck, 1, 1, 1));
        f.run(r);
        QCOMPARE(f.engine.hits("a"), std::uint64_t(2));
        QVERIFY(f.engine.moveRule("c", 0));
        QCOMPARE(f.engine.rules()[0].name, std::string("c"));
        auto s = ingress(segment(TcpFlags::kAck, 1, 1, 1));
        QCOMPARE(f.run(s), HookVerdict::Pass);  // "c" hits first and stops, doing nothing
        QVERIFY(!f.engine.addRule(rule("a", Match{}, {})));  // names are unique
        QVERIFY(f.engine.addRule(rule("d", Match{}, {}), 1));
        QVERIFY(f.engine.replaceRule("d", rule("e", Match{}, {})));
        QVERIFY(f.engine.removeRule("e"));
        QVERIFY(!f.engine.removeRule("e"));
        QCOMPARE(f.engine.rules().size(), std::size_t(3));
        f.engine.resetCounters();
        QCOMPARE(f.engine.hits("a"), std::uint64_t(0));
    }

    void ipv6PacketsAreEditedToo()
    {
        Fixture f;
        f.engine.setRules({rule("v6", Match{}, {SetFieldAction{PacketField::IpTtl, expr("1")},
                                                PayloadAction{PayloadAction::Mode::Append, {'z'}, true, 0}})});
        const Endpoint c6{*IpAddr::parse("2001:db8::1"), 40000}, s6{*IpAddr::parse("2001:db8::2"), 8000};
        auto p = ingress(segment(TcpFlags::kAck, 1, 1, 1, {'a'}, {}, c6, s6));
        f.run(p);
        QCOMPARE(p.ip[7], std::uint8_t(1));
        QCOMPARE(std::size_t(p.ip[4] << 8 | p.ip[5]), p.ip.size() - 40);
        QVERIFY(checksumsOk(p.ip));
        QCOMPARE(tcpOf(p.ip).payload().size(), std::size_t(2));
    }
};

QTEST_APPLESS_MAIN(TestRuleActions)
#include "test_rule_actions.moc"
