// Playing a scenario on the demo network: a Lab with the scenario's hosts on a VirtualWire, a
// TcpLayer per host (with the scenario's policies), a RuleEngine per host holding its rules, the
// services, and the client timeline. Everything runs in the caller's time: start(now), then
// pollAt()/poll(now), so tests run scenarios in virtual time and tcplab-cli in real time.
//
// Layering: this sits beside engine/host (it builds a Lab), above scenario/ and services/; it is a
// library of its own (tcplab_scenario_run) so tcplab_scenario stays free of the stack.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/expected.h"
#include "host/lab.h"
#include "rules/rule_engine.h"
#include "scenario/scenario.h"
#include "scenario/scenario_play.h"
#include "tcp/tcp_layer.h"

namespace tcplab {

class ScenarioRun {
public:
    // Builds the demo lab (nothing runs until start()). Fails when the scenario is a tap scenario
    // or names something the demo cannot provide.
    static Expected<std::unique_ptr<ScenarioRun>> demo(const Scenario &scenario);
    ~ScenarioRun();

    Lab &lab() { return *lab_; }
    const Scenario &scenario() const { return scenario_; }
    TcpLayer *tcp(std::string_view host);
    RuleEngine *rules(std::string_view host);

    void start(Instant now);
    Instant pollAt() const;
    void poll(Instant now);
    // Virtual time helper for tests and batch runs: polls until `until`.
    void runUntil(Instant until);

    // Live reload: replaces every host's rules (hit counters kept by name) and the policies.
    // Hosts, services and the timeline are not changed by a reload.
    Status reload(const Scenario &scenario);

    // What the timeline's connections saw (for tests and the CLI's summary).
    const std::map<std::uint32_t, TimelinePlayer::ConnectionResult> &connections() const;

private:
    struct HostParts;
    explicit ScenarioRun(Scenario scenario);
    Status build();
    Status startService(const ScenarioService &service);

    Scenario scenario_;
    std::unique_ptr<Lab> lab_;
    std::vector<std::unique_ptr<HostParts>> hosts_;
    std::unique_ptr<TimelinePlayer> timeline_;
};

}  // namespace tcplab
