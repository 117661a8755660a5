// Scenario files: every kind of mistake reported as file:line:col, nothing half-loaded, and
// load → save → load giving the same scenario for every file of the built-in library.
#include <algorithm>

#include <QtTest>

#include "scenario/scenario_io.h"
#include "scenario/toml_reader.h"
#include "wire/tcp.h"

using namespace tcplab;

namespace {

// A small valid scenario; tests append or replace lines to make one mistake at a known place.
const char *kBase = R"(name = "t"
[description]
en = "test"
[[hosts]]
name = "server"
addresses = ["198.18.0.2/24"]
)";

// A hand-written file with comments in every place a user puts them.
const char *kCommented = R"(# My scenario
# in two lines

name = "c"   # the name
[description]
en = "test"

# the server
[[hosts]]
name = "server"
addresses = ["198.18.0.2/24"]  # where it lives
[[hosts]]
name = "client"
addresses = [
  "198.18.0.1/24", # first
]

# first rule: drops SYNs
[[rules]]
name = "a"
host = "server"
hook = "ingress" # before the stack
[rules.match]
# only SYNs
flags = "SYN" # the flags
[[rules.actions]]
do = "drop"

# second rule
[[rules]]   # header note
name = "b"
host = "server"
max_hits = 3 # at most three
[[rules.actions]]
do = "delay"   # hold it, with a "quote" and a # inside
by = "5ms"
# the end
)";

// The line of `text` that holds `what`, from 0; -1 when none does.
int lineOf(const std::string &text, const std::string &what)
{
    const auto at = text.find(what);
    if (at == std::string::npos) return -1;
    return int(std::count(text.begin(), text.begin() + std::ptrdiff_t(at), '\n'));
}

std::string lineAt(const std::string &text, int line)
{
    std::size_t start = 0;
    for (int i = 0; i < line; ++i)
        start = text.find('\n', start) + 1;
    return text.substr(start, text.find('\n', start) - start);
}

std::string firstError(const std::string &text)
{
    auto s = loadScenario(text, "t.toml");
    if (s.ok()) return "<loaded>";
    const auto &m = s.error().message;
    return m.substr(0, m.find('\n'));
}

} // namespace

class TestScenarioIo : public QObject {
    Q_OBJECT
private slots:
    void minimalScenarioLoads()
    {
        auto s = loadScenario(kBase, "t.toml");
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
        QCOMPARE(s->name, std::string("t"));
        QCOMPARE(s->hosts.size(), std::size_t(1));
        QCOMPARE(s->network.mode, NetworkMode::Demo);
    }

    void everyMistakeHasItsPosition_data()
    {
        QTest::addColumn<QString>("extra");
        QTest::addColumn<QString>("expected");
        // Line 7 is the first line after kBase; columns count from 1 and point inside strings.
        QTest::newRow("toml syntax") << "x = = 1"
                                     << "t.toml:7:5: ";
        QTest::newRow("unknown top key") << "^colour = 1"
                                         << "t.toml:1:1: unknown key 'colour' in the scenario";
        QTest::newRow("unknown rule key")
            << "[[rules]]\nname = \"r\"\nhost = \"server\"\nhokk = \"ingress\"\nactions = [{do = \"drop\"}]"
            << "t.toml:10:1: unknown key 'hokk' in [[rules]]";
        QTest::newRow("bad flag name") << "[[rules]]\nname = \"r\"\nhost = \"server\"\nactions = [{do = "
                                          "\"drop\"}]\n[rules.match]\nflags = \"SYN && !AKC\""
                                       << "t.toml:12:18: bad flag match: unknown flag 'AKC'";
        QTest::newRow("bad state") << "[[rules]]\nname = \"r\"\nhost = \"server\"\nactions = [{do = "
                                      "\"drop\"}]\n[rules.match]\nstate = [\"LISTEN\", \"SYN-RECIEVED\"]"
                                   << "t.toml:12:20: unknown state 'SYN-RECIEVED'";
        QTest::newRow("bad expression")
            << "[[rules]]\nname = \"r\"\nhost = \"server\"\n[[rules.actions]]\ndo = \"reply\"\nseq = "
               "\"seg.seq + seg.foo\"\nack = 0\nwindow = 1"
            << "t.toml:12:18: bad expression in 'seq': unknown name 'seg.foo'";
        QTest::newRow("port out of range") << "[[rules]]\nname = \"r\"\nhost = \"server\"\nactions = [{do = "
                                              "\"drop\"}]\n[rules.match]\nlocal_port = 70000"
                                           << "t.toml:12:14: 'local_port' = 70000 is out of range (0..65535)";
        QTest::newRow("probability out of range") << "[[rules]]\nname = \"r\"\nhost = \"server\"\nactions = "
                                                     "[{do = \"drop\"}]\n[rules.match]\nprobability = 1.5"
                                                  << "t.toml:12:15: 'probability' is out of range";
        QTest::newRow("unknown action")
            << "[[rules]]\nname = \"r\"\nhost = \"server\"\nactions = [{do = \"explode\"}]"
            << "t.toml:10:18: unknown action 'explode'";
        QTest::newRow("unknown field") << "[[rules]]\nname = \"r\"\nhost = \"server\"\nactions = [{do = "
                                          "\"set\", field = \"tcp.sqe\", value = 1}]"
                                       << "t.toml:10:33: unknown field 'tcp.sqe'";
        QTest::newRow("bad duration")
            << "[[rules]]\nname = \"r\"\nhost = \"server\"\nactions = [{do = \"delay\", by = \"5 parsecs\"}]"
            << "t.toml:10:32: 'by' = \"5 parsecs\" is not a duration";
        QTest::newRow("wrong type") << "^duration = 5"
                                    << "t.toml:1:12: 'duration' must be a string, not an integer";
        QTest::newRow("unknown host")
            << "[[rules]]\nname = \"r\"\nhost = \"sevrer\"\nactions = [{do = \"drop\"}]"
            << "t.toml:9:8: no host named 'sevrer'";
        QTest::newRow("bad address") << "[[hosts]]\nname = \"c\"\naddresses = [\"198.18.0.300/24\"]"
                                     << "t.toml:9:14: '198.18.0.300/24' is not an address";
        QTest::newRow("bad policy")
            << "[policies]\nclosed_port = \"maybe\""
            << "t.toml:8:15: 'closed_port' must be \"rst\" or \"silent\", not 'maybe'";
        QTest::newRow("bad network mode") << "[network]\nmode = \"cloud\""
                                          << "t.toml:8:8: 'mode' must be \"demo\" or \"tap\", not 'cloud'";
        QTest::newRow("bad hook")
            << "[[rules]]\nname = \"r\"\nhost = \"server\"\nhook = \"sideways\"\nactions = [{do = \"drop\"}]"
            << "t.toml:10:8: 'hook' must be \"ingress\" or \"egress\", not 'sideways'";
        QTest::newRow("bad inject flags")
            << "[[rules]]\nname = \"r\"\nhost = \"server\"\nactions = [{do = \"inject\", flags = \"PSH\", "
               "toward = "
               "\"sender\"}]"
            << "t.toml:10:36: 'flags' must be \"RST\", \"rst\", \"FIN\" or \"fin\", not 'PSH'";
        QTest::newRow("syn queue out of range") << "[policies]\nsyn_queue = 0"
                                                << "t.toml:8:13: 'syn_queue' = 0 is out of range";
        QTest::newRow("syn cookies not a bool") << "[policies]\nsyn_cookies = \"yes\""
                                                << "t.toml:8:15: 'syn_cookies' must be true or false";
        QTest::newRow("timeline before connect")
            << "[[timeline]]\nat = \"1s\"\nhost = \"server\"\ndo = \"send\"\ndata = \"x\""
            << "t.toml:7:1: connection 1 is used before its connect step";
        QTest::newRow("two occurrences") << "[[rules]]\nname = \"r\"\nhost = \"server\"\nactions = [{do = "
                                            "\"drop\"}]\n[rules.match]\nnth = 1\nevery = 2"
                                         << "t.toml:13:9: give only one of 'nth', 'first', 'every'";
    }
    void everyMistakeHasItsPosition()
    {
        QFETCH(QString, extra);
        QFETCH(QString, expected);
        // A leading '^' puts the line first (top-level keys must come before any table).
        const std::string x = extra.toStdString();
        const std::string err = x.rfind('^', 0) == 0 ? firstError(x.substr(1) + "\n" + kBase)
                                                     : firstError(std::string(kBase) + x + "\n");
        QVERIFY2(err.rfind(expected.toStdString(), 0) == 0, ("got: " + err).c_str());
    }

    void allMistakesAreCollected()
    {
        const std::string text =
            "colour = 1\nflavour = 2\n" + std::string(kBase) + "[policies]\nclosed_port = \"x\"\n";
        auto s = loadScenario(text, "t.toml");
        QVERIFY(!s.ok());
        const auto &m = s.error().message;
        QCOMPARE(std::count(m.begin(), m.end(), '\n'), 2L); // three errors, one a line
        QVERIFY(m.find("t.toml:1:1: unknown key 'colour'") != std::string::npos);
        QVERIFY(m.find("t.toml:2:1: unknown key 'flavour'") != std::string::npos);
        QVERIFY(m.find("t.toml:10:15: 'closed_port' must be") != std::string::npos);
    }

    void everyActionKindRoundTrips()
    {
        const std::string text = std::string(kBase) + R"toml(
[[rules]]
name = "all"
host = "server"
hook = "egress"
enabled = false
continue = true
max_hits = 3
[rules.match]
flags = ["SYN", "!ACK"]
state = ["NONE", "LISTEN", "TIME-WAIT"]
local_addr = "198.18.0.2"
remote_addr = "198.18.0.0/24"
local_port = [8000, 8010]
remote_port = 40000
payload_len = [1, 100]
payload_contains_hex = "de ad"
every = 3
probability = 0.25
since_start = ["100ms", "2s"]
session = [2, 3]
[[rules.actions]]
do = "delay"
by = "1.5ms"
[[rules.actions]]
do = "duplicate"
count = 2
[[rules.actions]]
do = "hold"
segments = 3
[[rules.actions]]
do = "set"
field = "tcp.window"
value = "seg.win / 2"
[[rules.actions]]
do = "flags"
set = "PSH"
clear = "ACK|FIN"
[[rules.actions]]
do = "options"
remove = ["timestamps", "sack"]
mss = 536
wscale = 2
sack_permitted = false
timestamps = [1, 2]
sack = [[10, 20], [30, 40]]
[[rules.actions]]
do = "payload"
append_hex = "0d 0a"
[[rules.actions]]
do = "payload"
truncate = 10
[[rules.actions]]
do = "corrupt_checksum"
[[rules.actions]]
do = "inject"
flags = "FIN"
toward = "receiver"
seq = "tcb.snd_nxt"
[[rules.actions]]
do = "reply"
flags = "SYN|ACK"
seq = "rand(1, 100)"
ack = "seg.seq + 1"
window = 1000
options = { mss = 1200, sack_permitted = true }
payload = "hi"
[[rules.actions]]
do = "drop"
)toml";
        auto s = loadScenario(text, "t.toml");
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
        const Rule &r = s->rules.at(0).rule;
        QCOMPARE(r.actions.size(), std::size_t(12));
        QCOMPARE(r.match.flagsSet, std::uint8_t(TcpFlags::kSyn));
        QCOMPARE(r.match.flagsClear, std::uint8_t(TcpFlags::kAck));
        QVERIFY(r.match.states.contains(TcpState::TimeWait));
        QCOMPARE(r.match.localAddr->length, std::uint8_t(32));
        QCOMPARE(std::get<DelayAction>(r.actions[0]).by, Duration(1'500'000));
        const std::string saved = saveScenario(*s);
        auto again = loadScenario(saved, "saved.toml");
        QVERIFY2(again.ok(), again.ok() ? "" : (again.error().message + "\n" + saved).c_str());
        QVERIFY2(*again == *s, saved.c_str());
    }

    void lessonTriggersRoundTrip()
    {
        const std::string text = std::string(kBase) + R"([[hosts]]
name = "client"
addresses = ["198.18.0.1/24"]
[[lesson]]
en = "intro"
[[lesson]]
packet = 2
flags = "syn, ack"
from = "server"
en = "second SYN-ACK"
ja = "2 つ目の SYN-ACK"
[[lesson]]
state = "time_wait"
host = "client"
en = "TIME-WAIT"
[[lesson]]
retransmit = "timeout"
nth = 3
en = "third RTO"
)";
        auto s = loadScenario(text, "t.toml");
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
        QCOMPARE(s->lesson.size(), std::size_t(4));
        QCOMPARE(s->lesson[0].trigger.kind, LessonTrigger::Kind::Start);
        QCOMPARE(s->lesson[1].trigger.kind, LessonTrigger::Kind::Packet);
        QCOMPARE(s->lesson[1].trigger.nth, std::uint32_t(2));
        QCOMPARE(s->lesson[1].trigger.flags, std::uint8_t(TcpFlags::kSyn | TcpFlags::kAck));
        QCOMPARE(s->lesson[1].trigger.host, std::string("server"));
        QCOMPARE(s->lesson[1].text.ja, std::string("2 つ目の SYN-ACK"));
        QCOMPARE(s->lesson[2].trigger.state, std::string("TIME-WAIT")); // RFC spelling
        QCOMPARE(s->lesson[3].trigger.retransmit, LessonTrigger::RetransmitKind::Timeout);
        QCOMPARE(s->lesson[3].trigger.nth, std::uint32_t(3));
        const std::string saved = saveScenario(*s);
        auto again = loadScenario(saved, "saved.toml");
        QVERIFY2(again.ok(), again.ok() ? "" : (again.error().message + "\n" + saved).c_str());
        QVERIFY2(again->lesson == s->lesson, saved.c_str());
        QCOMPARE(saveScenario(*again), saved);
    }

    void lessonMistakesHaveTheirPosition_data()
    {
        QTest::addColumn<QString>("extra");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown flag") << "[[lesson]]\nen = \"x\"\nflags = \"SYN,AKC\""
                                      << "t.toml:9:9: unknown flag 'AKC'";
        QTest::newRow("no flags") << "[[lesson]]\nen = \"x\"\npacket = 2"
                                  << "t.toml:7:1: missing key 'flags'";
        QTest::newRow("unknown host") << "[[lesson]]\nen = \"x\"\nflags = \"SYN\"\nfrom = \"clinet\""
                                      << "t.toml:10:8: no host named 'clinet'";
        QTest::newRow("unknown state") << "[[lesson]]\nen = \"x\"\nstate = \"ESTABLISH\""
                                       << "t.toml:9:9: 'ESTABLISH' is not an RFC 9293 state";
        QTest::newRow("two triggers") << "[[lesson]]\nen = \"x\"\nstate = \"LISTEN\"\nflags = \"SYN\""
                                      << "t.toml:7:1: a lesson step fires on one thing";
        QTest::newRow("bad retransmit") << "[[lesson]]\nen = \"x\"\nretransmit = \"slow\""
                                        << "t.toml:9:14: 'retransmit' must be";
        QTest::newRow("nth without retransmit") << "[[lesson]]\nen = \"x\"\nnth = 2"
                                                << "t.toml:9:7: 'nth' counts retransmissions";
        QTest::newRow("no text") << "[[lesson]]\nstate = \"LISTEN\""
                                 << "t.toml:7:1: missing key 'en'";
    }
    void lessonMistakesHaveTheirPosition()
    {
        QFETCH(QString, extra);
        QFETCH(QString, expected);
        const std::string error = firstError(std::string(kBase) + extra.toStdString() + "\n");
        QVERIFY2(error.starts_with(expected.toStdString()), error.c_str());
    }

    void lessonTrackerCountsMatchingPacketsOnly()
    {
        LessonStep intro{{"intro", ""}, {}, {}};
        LessonStep second{
            {"2nd SYN from client", ""}, {LessonTrigger::Kind::Packet, 2, TcpFlags::kSyn, "client", {}}, {}};
        LessonStep est{
            {"server established", ""}, {LessonTrigger::Kind::State, 1, 0, "server", "ESTABLISHED"}, {}};
        LessonTracker t({intro, second, est});
        QCOMPARE(t.introduction(), 0);
        QCOMPARE(t.onPacketSent("client", TcpFlags::kSyn | TcpFlags::kAck),
                 LessonTracker::kNone);                                           // not a bare SYN
        QCOMPARE(t.onPacketSent("server", TcpFlags::kSyn), LessonTracker::kNone); // other host
        QCOMPARE(t.onPacketSent("client", TcpFlags::kSyn | TcpFlags::kEce | TcpFlags::kCwr),
                 LessonTracker::kNone);                        // 1st
        QCOMPARE(t.onPacketSent("client", TcpFlags::kSyn), 1); // 2nd (ECE/CWR do not count)
        QCOMPARE(t.onPacketSent("client", TcpFlags::kSyn), LessonTracker::kNone); // fired once only
        QCOMPARE(t.onStateEntered("client", "ESTABLISHED"), LessonTracker::kNone);
        QCOMPARE(t.onStateEntered("server", "established"), 2);
        t.reset();
        QCOMPARE(t.onStateEntered("server", "ESTABLISHED"), 2);
    }

    void libraryIsCompleteAndEveryFileRoundTrips()
    {
        const char *expected[] = {"syn-answered-by-ack",
                                  "lost-syn-ack",
                                  "rst-after-handshake",
                                  "rst-mid-transfer",
                                  "zero-window-stall",
                                  "window-shrink",
                                  "out-of-order-delivery",
                                  "duplicate-acks-fast-retransmit",
                                  "delayed-fin",
                                  "half-open-after-peer-reboot",
                                  "time-wait-assassination",
                                  "simultaneous-open",
                                  "mss-blackhole",
                                  "ack-storm",
                                  "syn-flood-backlog",
                                  "slow-reader",
                                  "handshake",
                                  "graceful-close",
                                  "loss-and-retransmission"};
        for (const char *name : expected) {
            bool found = false;
            for (const auto &b : builtinScenarios())
                found = found || b.name == name;
            QVERIFY2(found, name);
        }
        for (const auto &b : builtinScenarios()) {
            auto s = loadScenarioByNameOrFile(std::string(b.name));
            QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
            QCOMPARE(s->name, std::string(b.name));
            QVERIFY2(!s->description.en.empty() && !s->description.ja.empty(), s->name.c_str());
            const std::string saved = saveScenario(*s);
            auto again = loadScenario(saved, "saved.toml");
            QVERIFY2(again.ok(), again.ok() ? "" : again.error().message.c_str());
            QVERIFY2(*again == *s, s->name.c_str());
        }
    }

    // Comments of a hand-written file: the leading block, the lines above a table or a key and the
    // end-of-line comments are read with their owner and written back next to it.
    void commentsSurviveLoadSaveLoad()
    {
        auto s = loadScenario(kCommented, "c.toml");
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
        QCOMPARE(s->leadingComment, std::string("# My scenario\n# in two lines"));
        QCOMPARE(s->footerComment, std::string("# the end"));
        QCOMPARE(s->comments.trailing.at("name"), std::string("# the name"));
        QCOMPARE(s->hosts[0].comments.above.at(""), std::string("# the server"));
        QCOMPARE(s->hosts[0].comments.trailing.at("addresses"), std::string("# where it lives"));
        QCOMPARE(s->hosts[1].comments.trailing.at("addresses"), std::string("# first"));
        QCOMPARE(s->rules[0].comments.above.at(""), std::string("# first rule: drops SYNs"));
        QCOMPARE(s->rules[0].comments.trailing.at("hook"), std::string("# before the stack"));
        QCOMPARE(s->rules[0].comments.above.at("match.flags"), std::string("# only SYNs"));
        QCOMPARE(s->rules[0].comments.trailing.at("match.flags"), std::string("# the flags"));
        QCOMPARE(s->rules[1].comments.above.at(""), std::string("# second rule"));
        QCOMPARE(s->rules[1].comments.trailing.at(""), std::string("# header note"));
        QCOMPARE(s->rules[1].comments.trailing.at("actions.0.do"),
                 std::string("# hold it, with a \"quote\" and a # inside"));
        QVERIFY(s->comments.above.empty());

        const std::string saved = saveScenario(*s);
        QVERIFY2(saved.starts_with("# My scenario\n# in two lines\n\n"), saved.c_str());
        // Each comment directly above (or at the end of) the line it was written for.
        QVERIFY2(lineAt(saved, lineOf(saved, "# first rule") + 1).find("[[rules]]") != std::string::npos,
                 saved.c_str());
        QVERIFY2(lineAt(saved, lineOf(saved, "# only SYNs") + 1).find("flags = ") != std::string::npos,
                 saved.c_str());
        QVERIFY2(lineAt(saved, lineOf(saved, "# the flags")).find("flags = 'SYN'") != std::string::npos,
                 saved.c_str());
        QVERIFY2(lineAt(saved, lineOf(saved, "# hold it")).find("do = 'delay'") != std::string::npos,
                 saved.c_str());
        QVERIFY2(lineAt(saved, lineOf(saved, "# header note")).find("[[rules]]") != std::string::npos,
                 saved.c_str());
        QVERIFY2(lineAt(saved, lineOf(saved, "# the server") + 1).find("[[hosts]]") != std::string::npos,
                 saved.c_str());
        QVERIFY2(lineOf(saved, "# the end") > lineOf(saved, "by = "), saved.c_str());
        auto again = loadScenario(saved, "saved.toml");
        QVERIFY2(again.ok(), again.ok() ? "" : (again.error().message + "\n" + saved).c_str());
        QVERIFY2(*again == *s, saved.c_str());
        QCOMPARE(saveScenario(*again), saved);
    }

    // Reordered rules keep their own comments; a deleted rule's comments go with it.
    void commentsFollowTheirRule()
    {
        auto s = loadScenario(kCommented, "c.toml");
        QVERIFY(s.ok());
        Scenario swapped = *s;
        std::swap(swapped.rules[0], swapped.rules[1]);
        const std::string saved = saveScenario(swapped);
        auto again = loadScenario(saved, "saved.toml");
        QVERIFY2(again.ok(), saved.c_str());
        QCOMPARE(again->rules[0].rule.name, std::string("b"));
        QVERIFY(again->rules[0].comments == s->rules[1].comments);
        QCOMPARE(again->rules[1].rule.name, std::string("a"));
        QVERIFY(again->rules[1].comments == s->rules[0].comments);
        QVERIFY(*again == swapped);
        QVERIFY2(lineOf(saved, "# second rule") < lineOf(saved, "# first rule"), saved.c_str());
        QVERIFY2(lineOf(saved, "# only SYNs") > lineOf(saved, "name = 'b'"), saved.c_str());

        Scenario deleted = *s;
        deleted.rules.erase(deleted.rules.begin());
        const std::string without = saveScenario(deleted);
        for (const char *gone : {"# first rule", "# only SYNs", "# the flags", "# before the stack"})
            QVERIFY2(without.find(gone) == std::string::npos, without.c_str());
        QVERIFY(without.find("# second rule") != std::string::npos);
        auto reread = loadScenario(without, "saved.toml");
        QVERIFY2(reread.ok(), without.c_str());
        QVERIFY(*reread == deleted);
        // A key no longer written takes its comment with it (and nothing else moves).
        Scenario unlimited = *s;
        QCOMPARE(unlimited.rules[1].comments.trailing.at("max_hits"), std::string("# at most three"));
        unlimited.rules[1].rule.maxHits = 0; // the default: not written
        const std::string dropped = saveScenario(unlimited);
        QVERIFY2(dropped.find("# at most three") == std::string::npos, dropped.c_str());
        QVERIFY2(dropped.find("# hold it") != std::string::npos, dropped.c_str());
        QVERIFY(loadScenario(dropped, "saved.toml").ok());
    }

    // A rule's text alone (the GUI's rule editor) keeps its comments too; those of its [[rules]]
    // line lead the text.
    void ruleTextKeepsComments()
    {
        auto s = loadScenario(kCommented, "c.toml");
        QVERIFY(s.ok());
        const ScenarioRule &a = s->rules[0];
        const std::string text = saveRule(a);
        QVERIFY2(text.starts_with("# first rule: drops SYNs\n"), text.c_str());
        auto back = loadRule(text, "rule");
        QVERIFY2(back.ok(), text.c_str());
        QVERIFY2(back.value() == a, text.c_str());
        // The header's end-of-line comment has no line of its own here: it joins the leading block.
        auto b = loadRule(saveRule(s->rules[1]), "rule");
        QVERIFY(b.ok());
        QCOMPARE(b->comments.above.at(""), std::string("# second rule\n# header note"));
        QCOMPARE(b->comments.trailing.at("actions.0.do"), s->rules[1].comments.trailing.at("actions.0.do"));
        QVERIFY(b->rule == s->rules[1].rule);
    }

    // The library's own comments survive too (the round trip above compares them).
    void libraryCommentsAreKept()
    {
        auto s = loadScenarioByNameOrFile("time-wait-assassination");
        QVERIFY(s.ok());
        QCOMPARE(s->leadingComment, std::string("# TIME-WAIT assassination"));
        bool kept = false;
        for (const auto &r : s->rules)
            for (const auto &[path, text] : r.comments.above)
                kept = kept || (path == "actions.0" && text.find("TIME-WAIT side") != std::string::npos);
        QVERIFY(kept);
        const std::string saved = saveScenario(*s);
        QVERIFY(saved.find("# forgot the connection would") != std::string::npos);
    }

    void articleScenarioSaysExactlyWhatTheArticleShows()
    {
        auto s = loadScenarioByNameOrFile("syn-answered-by-ack");
        QVERIFY(s.ok());
        const auto rules = s->rulesFor("server");
        QCOMPARE(rules.size(), std::size_t(2));
        const auto &reply = std::get<ReplyAction>(rules[0].actions.at(0));
        QCOMPARE(reply.flags, std::uint8_t(TcpFlags::kAck));
        QCOMPARE(reply.seq.text(), std::string("seg.seq + 1"));
        QCOMPARE(reply.ack.text(), std::string("seg.seq + seg.win - 1"));
        QCOMPARE(reply.window.text(), std::string("224"));
        QVERIFY(reply.options == OptionValues{});
        QCOMPARE(rules[0].match.localPort->lo, std::uint16_t(8000));
        QVERIFY(rules[1].match.states.contains(TcpState::None));
        QVERIFY(std::holds_alternative<DropAction>(rules[1].actions.at(0)));
    }

    void unknownNameListsTheLibrary()
    {
        auto s = loadScenarioByNameOrFile("no-such-scenario");
        QVERIFY(!s.ok());
        QVERIFY(s.error().message.find("syn-answered-by-ack") != std::string::npos);
        auto f = loadScenarioByNameOrFile("/nonexistent/x.toml");
        QVERIFY(!f.ok());
        QVERIFY(f.error().message.find("/nonexistent/x.toml") != std::string::npos);
    }

    void listenerPoliciesRoundTripIntoTcpConfig()
    {
        auto s =
            loadScenario(std::string(kBase) + "[policies]\nsyn_queue = 4\nsyn_cookies = false\n", "t.toml");
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
        QCOMPARE(s->policies.synQueue, std::optional<std::uint32_t>(4));
        QCOMPARE(s->policies.synCookies, std::optional<bool>(false));
        auto again = loadScenario(saveScenario(*s), "again.toml");
        QVERIFY2(again.ok(), again.ok() ? "" : again.error().message.c_str());
        QVERIFY(*again == *s);
        TcpConfig c;
        applyListenerPolicies(again->policies, c);
        QCOMPARE(c.synQueueLimit, std::uint32_t(4));
        QVERIFY(!c.synCookies);
        // Unset keys leave the TcpConfig defaults alone, and are not written back.
        auto plain = loadScenario(std::string(kBase), "t.toml");
        QVERIFY(plain.ok());
        QVERIFY(saveScenario(*plain).find("syn_queue") == std::string::npos);
        TcpConfig d;
        applyListenerPolicies(plain->policies, d);
        QCOMPARE(d.synQueueLimit, TcpConfig{}.synQueueLimit);
        QCOMPARE(d.synCookies, TcpConfig{}.synCookies);
    }

    void policyIgnoreUnmatchedRstBecomesARule()
    {
        auto s = loadScenario(std::string(kBase) + "[policies]\nunmatched_rst = \"ignore\"\n", "t.toml");
        QVERIFY(s.ok());
        const auto rules = s->rulesFor("server");
        QCOMPARE(rules.size(), std::size_t(1));
        QCOMPARE(rules[0].match.flagsSet, std::uint8_t(TcpFlags::kRst));
        QVERIFY(rules[0].match.states.contains(TcpState::None));
    }

    void durationsAndHexHelpers()
    {
        QCOMPARE(parseDuration("1.5s"), std::optional<Duration>(Duration(1'500'000'000)));
        QCOMPARE(parseDuration("10us"), std::optional<Duration>(Duration(10'000)));
        QVERIFY(!parseDuration("10").has_value());
        QVERIFY(!parseDuration("ms").has_value());
        QCOMPARE(formatDuration(Duration(1'500'000'000)), std::string("1500ms"));
        QCOMPARE(formatDuration(Duration(0)), std::string("0ms"));
        QCOMPARE(*parseHex("de:AD be"), (Bytes{0xde, 0xad, 0xbe}));
        QVERIFY(!parseHex("d e").has_value());
    }
};

QTEST_APPLESS_MAIN(TestScenarioIo)
#include "test_scenario_io.moc"
