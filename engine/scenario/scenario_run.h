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
#include "tcp/tcp_layer.h"

namespace tcplab {

class ScenarioRateReader;

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
    struct ConnectionResult {
        TcpSocketId socket = kNoSocket;
        bool connected = false, closed = false;
        std::string error;
        std::uint64_t bytesSent = 0, bytesReceived = 0;
    };
    const std::map<std::uint32_t, ConnectionResult> &connections() const { return results_; }

private:
    struct HostParts;
    struct Pending;
    explicit ScenarioRun(Scenario scenario);
    Status build();
    Status startService(const ScenarioService &service);
    void runStep(Instant now, const TimelineStep &step);
    void pump(std::uint32_t connection);

    Scenario scenario_;
    std::unique_ptr<Lab> lab_;
    std::vector<std::unique_ptr<HostParts>> hosts_;
    std::size_t nextStep_ = 0;
    Instant start_{};
    bool started_ = false;
    std::map<std::uint32_t, ConnectionResult> results_;
    std::map<std::uint32_t, std::unique_ptr<Pending>> pending_;
    std::vector<ScenarioRateReader *> readers_;  // kept by the lab
};

}  // namespace tcplab
