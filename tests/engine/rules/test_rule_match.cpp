// Every match kind of a rule, on hand-built packets at the ingress and egress hooks.
#include <QtTest>

#include "rule_test_support.h"

using namespace tcplab;
using namespace tcplab::test;

namespace {

// Runs one packet through an engine holding a single drop rule with match `m`: true when it hit.
bool hits(const Match &m, HookPacket p, Instant now = Instant{}, HookPoint hook = HookPoint::Ingress)
{
    Rng rng(1);
    RuleEngine engine(rng);
    engine.setRules({rule("r", m, {DropAction{}}, hook)});
    RecordingActions actions;
    return engine.onPacket(now, p, actions) == HookVerdict::Drop;
}

}  // namespace

class TestRuleMatch : public QObject {
    Q_OBJECT
private slots:
    void flagsRequireSetAndClear()
    {
        Match m;
        m.flagsSet = TcpFlags::kSyn;
        m.flagsClear = TcpFlags::kAck;
        QVERIFY(hits(m, ingress(segment(TcpFlags::kSyn, 1, 0, 100))));
        QVERIFY(!hits(m, ingress(segment(TcpFlags::kSyn | TcpFlags::kAck, 1, 0, 100))));
        QVERIFY(!hits(m, ingress(segment(TcpFlags::kAck, 1, 0, 100))));
        QVERIFY(hits(Match{}, ingress(segment(0, 1, 0, 100))));  // no flag terms: anything
    }

    void hookPointSelectsDirection()
    {
        QVERIFY(hits(Match{}, egress(segment(TcpFlags::kAck, 1, 0, 1, {}, {}, kServer, kClient)), Instant{}, HookPoint::Egress));
        QVERIFY(!hits(Match{}, egress(segment(TcpFlags::kAck, 1, 0, 1, {}, {}, kServer, kClient))));
        QVERIFY(!hits(Match{}, ingress(segment(TcpFlags::kAck, 1, 0, 1)), Instant{}, HookPoint::Egress));
    }

    void stateSetIncludesNoneAndListen()
    {
        Match m;
        m.states = {TcpState::None, TcpState::Listen};
        QVERIFY(hits(m, ingress(segment(TcpFlags::kRst, 1, 0, 0), TcpState::None)));
        QVERIFY(hits(m, ingress(segment(TcpFlags::kSyn, 1, 0, 0), TcpState::Listen)));
        QVERIFY(!hits(m, ingress(segment(TcpFlags::kAck, 1, 0, 0), TcpState::Established)));
    }

    void portsAndRangesFollowTheHookDirection()
    {
        Match m;
        m.localPort = PortRange{8000, 8000};
        m.remotePort = PortRange{30000, 50000};
        QVERIFY(hits(m, ingress(segment(TcpFlags::kSyn, 1, 0, 0))));
        Match other = m;
        other.localPort = PortRange{8001, 9000};
        QVERIFY(!hits(other, ingress(segment(TcpFlags::kSyn, 1, 0, 0))));
        // At egress the local port is the source port.
        QVERIFY(hits(m, egress(segment(TcpFlags::kAck, 1, 0, 0, {}, {}, kServer, kClient)), Instant{}, HookPoint::Egress));
        Match wrongRemote = m;
        wrongRemote.remotePort = PortRange{1, 1024};
        QVERIFY(!hits(wrongRemote, ingress(segment(TcpFlags::kSyn, 1, 0, 0))));
    }

    void addressPrefixes()
    {
        Match m;
        m.remoteAddr = IpPrefix::parse("198.18.0.0/24");
        m.localAddr = IpPrefix::parse("198.18.0.2/32");
        QVERIFY(hits(m, ingress(segment(TcpFlags::kSyn, 1, 0, 0))));
        m.remoteAddr = IpPrefix::parse("198.19.0.0/16");
        QVERIFY(!hits(m, ingress(segment(TcpFlags::kSyn, 1, 0, 0))));
        // IPv6 packets against IPv6 prefixes.
        const Endpoint c6{*IpAddr::parse("2001:db8::1"), 40000}, s6{*IpAddr::parse("2001:db8::2"), 8000};
        Match v6;
        v6.remoteAddr = IpPrefix::parse("2001:db8::/64");
        QVERIFY(hits(v6, ingress(segment(TcpFlags::kSyn, 1, 0, 0, {}, {}, c6, s6))));
        QVERIFY(!hits(v6, ingress(segment(TcpFlags::kSyn, 1, 0, 0))));
    }

    void payloadLengthAndContents()
    {
        const Bytes get{'G', 'E', 'T', ' ', '/'};
        Match len;
        len.payloadLength = CountRange{1, 5};
        QVERIFY(hits(len, ingress(segment(TcpFlags::kAck, 1, 0, 0, get))));
        QVERIFY(!hits(len, ingress(segment(TcpFlags::kAck, 1, 0, 0))));
        QVERIFY(!hits(len, ingress(segment(TcpFlags::kAck, 1, 0, 0, Bytes(6, 'x')))));
        Match text;
        text.payloadContains = {'T', ' '};
        QVERIFY(hits(text, ingress(segment(TcpFlags::kAck, 1, 0, 0, get))));
        QVERIFY(!hits(text, ingress(segment(TcpFlags::kAck, 1, 0, 0, Bytes(6, 'x')))));
        Match hex;
        hex.payloadContains = {0xde, 0xad};
        hex.payloadContainsText = false;
        QVERIFY(hits(hex, ingress(segment(TcpFlags::kAck, 1, 0, 0, {0x00, 0xde, 0xad, 0x01}))));
    }

    void occurrenceNthFirstNEveryKth()
    {
        auto pattern = [](Occurrence o, std::uint64_t n) {
            Rng rng(1);
            RuleEngine engine(rng);
            Match m;
            m.occurrence = o;
            m.occurrenceCount = n;
            engine.setRules({rule("r", m, {DropAction{}})});
            RecordingActions actions;
            QString out;
            for (int i = 0; i < 8; ++i) {
                auto p = ingress(segment(TcpFlags::kAck, std::uint32_t(i), 0, 0));
                out += engine.onPacket(Instant{}, p, actions) == HookVerdict::Drop ? 'x' : '.';
            }
            return out;
        };
        QCOMPARE(pattern(Occurrence::Nth, 3), QString("..x....."));
        QCOMPARE(pattern(Occurrence::FirstN, 2), QString("xx......"));
        QCOMPARE(pattern(Occurrence::EveryKth, 3), QString("..x..x.."));
        QCOMPARE(pattern(Occurrence::Every, 0), QString("xxxxxxxx"));
    }

    void probabilityUsesTheSeededRng()
    {
        auto run = [](std::uint64_t seed) {
            Rng rng(seed);
            RuleEngine engine(rng);
            Match m;
            m.probability = 0.5;
            engine.setRules({rule("r", m, {DropAction{}})});
            RecordingActions actions;
            QString out;
            for (int i = 0; i < 64; ++i) {
                auto p = ingress(segment(TcpFlags::kAck, 1, 0, 0));
                out += engine.onPacket(Instant{}, p, actions) == HookVerdict::Drop ? 'x' : '.';
            }
            return out;
        };
        const QString a = run(7);
        QCOMPARE(run(7), a);  // same seed, same choices
        QVERIFY(a.count('x') > 10 && a.count('x') < 54);
        QVERIFY(run(8) != a);
        Match never;
        never.probability = 0.0;
        QVERIFY(!hits(never, ingress(segment(TcpFlags::kAck, 1, 0, 0))));
    }

    void timeSinceSessionStart()
    {
        Match m;
        m.sinceSessionStart = DurationRange{std::chrono::milliseconds(100), std::chrono::milliseconds(200)};
        auto p = ingress(segment(TcpFlags::kAck, 1, 0, 0));
        p.sessionStart = instantFromNanos(1'000'000'000);
        QVERIFY(!hits(m, p, p.sessionStart + std::chrono::milliseconds(50)));
        QVERIFY(hits(m, p, p.sessionStart + std::chrono::milliseconds(150)));
        QVERIFY(!hits(m, p, p.sessionStart + std::chrono::milliseconds(250)));
    }

    void sessionOrdinal()
    {
        Match m;
        m.sessionOrdinal = CountRange{2, 3};
        auto p = ingress(segment(TcpFlags::kSyn, 1, 0, 0));
        p.sessionOrdinal = 1;
        QVERIFY(!hits(m, p));
        p.sessionOrdinal = 3;
        QVERIFY(hits(m, p));
    }

    void nonTcpAndTruncatedPacketsPassUntouched()
    {
        Rng rng(1);
        RuleEngine engine(rng);
        engine.setRules({rule("r", Match{}, {DropAction{}})});
        RecordingActions actions;
        HookPacket p = ingress(segment(TcpFlags::kSyn, 1, 0, 0));
        p.ip[9] = 17;  // UDP
        QCOMPARE(engine.onPacket(Instant{}, p, actions), HookVerdict::Pass);
        HookPacket shortOne = ingress(Bytes(30, 0x45));
        QCOMPARE(engine.onPacket(Instant{}, shortOne, actions), HookVerdict::Pass);
        HookPacket empty = ingress({});
        QCOMPARE(engine.onPacket(Instant{}, empty, actions), HookVerdict::Pass);
    }
};

QTEST_APPLESS_MAIN(TestRuleMatch)
#include "test_rule_match.moc"
