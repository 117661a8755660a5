#include "scenario/scenario.h"

#include "wire/tcp.h"

namespace tcplab {

const ScenarioHost *Scenario::host(std::string_view hostName) const
{
    for (const auto &h : hosts)
        if (h.name == hostName) return &h;
    return nullptr;
}

std::vector<Rule> Scenario::rulesFor(std::string_view hostName) const
{
    std::vector<Rule> out;
    if (policies.unmatchedRst == UnmatchedRstPolicy::Ignore) {
        // A RST that matches no connection never reaches the stack (the motivating case's patched
        // stack did exactly this to the client's RSTs).
        Rule r;
        r.name = "policy: ignore unmatched RST";
        r.match.flagsSet = TcpFlags::kRst;
        r.match.states = {TcpState::None, TcpState::Listen};
        r.actions = {DropAction{}};
        out.push_back(std::move(r));
    }
    for (const auto &sr : rules)
        if (sr.host == hostName) out.push_back(sr.rule);
    return out;
}

std::string_view timelineVerbName(TimelineVerb verb)
{
    switch (verb) {
    case TimelineVerb::Connect: return "connect";
    case TimelineVerb::Send: return "send";
    case TimelineVerb::Shutdown: return "shutdown";
    case TimelineVerb::Close: return "close";
    }
    return "?";
}

}  // namespace tcplab
