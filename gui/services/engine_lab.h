// The real demo network: a scenario from the engine's library (or a file) played by ScenarioRun on
// the VirtualWire, every frame recorded by capture's Recorder into a PacketStore, sessions from the
// FlowTracker. The lab runs in virtual time, advanced from the GUI's batch timer by the wall time
// elapsed times the speed, a bounded amount of work per tick; pause and step act on that clock.
//
// Not yet on EngineHost's worker thread: EngineHost takes a Lab, while ScenarioRun owns its Lab
// and timeline; see the GUI notes in the README. Tap mode is therefore not available here yet.
#pragma once

#include <memory>

#include "core/time.h"
#include "services/lab_driver.h"

namespace tcplab {
struct Scenario;
}

namespace tcplab::gui {

class EngineLab final : public LabDriver {
public:
    EngineLab();
    ~EngineLab() override;
    const PacketStore &packets() const override;
    std::uint64_t generation() const override { return generation_; }
    void start() override;
    void stop() override;
    void setPaused(bool paused) override { paused_ = paused; }
    void step() override;
    void setSpeed(double factor) override { speed_ = factor; }
    void setWire(const WireSettings &wire) override;
    bool loadScenario(const std::string &nameOrPath, std::string *error) override;
    void runFor(Duration virtualTime) override;
    void tick(Duration wallElapsed) override;
    std::uint64_t drainEvents(std::vector<Event> &out) override;
    LabStatus status() const override;
    std::vector<std::string> scenarioNames() const override;
    std::string scenarioName() const override;
    bool openCapture(const std::string &path, std::string *error) override;
    std::vector<ScenarioRule> rules() const override;
    std::vector<LessonStep> lesson() const override;
    std::vector<ScenarioHost> scenarioHosts() const override;
    bool setRules(const std::vector<ScenarioRule> &rules, std::string *error) override;
    std::uint64_t ruleHits(const std::string &host, const std::string &name) const override;
    void setLogSink(std::shared_ptr<spdlog::sinks::sink> sink) override { logSink_ = std::move(sink); }

private:
    struct Parts;
    void advanceTo(Instant target, int maxPolls);

    std::unique_ptr<Scenario> scenario_;
    std::unique_ptr<Parts> parts_, previous_;
    std::uint64_t generation_ = 0;
    WireSettings wire_;
    bool wireOverride_ = false;
    Instant now_{};
    double speed_ = 1.0;
    bool running_ = false, paused_ = false;
    std::string error_;
    std::shared_ptr<spdlog::sinks::sink> logSink_;
};

}  // namespace tcplab::gui
