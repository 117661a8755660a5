// The lab the window talks to: the demo network or the tap lab, one at a time, behind one
// LabDriver, so the views and docks that hold the driver (rule editor, bridge) never see it change.
// Switching stops the lab being left (a tap lab releases its device) and bumps the generation, so
// the bridge clears what it derived from the old store. The tap lab's store stays readable after a
// switch back to the demo, until the views have let go of it.
#pragma once

#include <memory>

#include "services/host_lab.h"
#include "services/lab_driver.h"

namespace tcplab::gui {

class LabSwitch final : public LabDriver {
public:
    explicit LabSwitch(std::unique_ptr<LabDriver> demo);

    LabMode mode() const { return active_ == tap_.get() ? LabMode::Tap : LabMode::Demo; }
    HostLab &tapLab() { return *tap_; }
    LabDriver &demoLab() { return *demo_; }
    // Stops the current lab and makes `mode` current (not started).
    void setMode(LabMode mode);

    const PacketStore &packets() const override { return active_->packets(); }
    std::uint64_t generation() const override;
    void start() override { active_->start(); }
    void stop() override { active_->stop(); }
    void setPaused(bool paused) override { active_->setPaused(paused); }
    void step() override { active_->step(); }
    void setSpeed(double factor) override { active_->setSpeed(factor); }
    void setWire(const WireSettings &wire) override { demo_->setWire(wire); }
    bool loadScenario(const std::string &nameOrPath, std::string *error) override
    {
        return active_->loadScenario(nameOrPath, error);
    }
    void runFor(Duration virtualTime) override { active_->runFor(virtualTime); }
    void tick(Duration wallElapsed) override { active_->tick(wallElapsed); }
    std::uint64_t drainEvents(std::vector<Event> &out) override;
    LabStatus status() const override { return active_->status(); }
    std::vector<std::string> scenarioNames() const override { return active_->scenarioNames(); }
    std::string scenarioName() const override { return active_->scenarioName(); }
    void setLogSink(std::shared_ptr<spdlog::sinks::sink> sink) override;
    std::vector<ScenarioHost> scenarioHosts() const override { return active_->scenarioHosts(); }
    std::vector<ScenarioRule> rules() const override { return active_->rules(); }
    std::vector<LessonStep> lesson() const override { return active_->lesson(); }
    bool setRules(const std::vector<ScenarioRule> &rules, std::string *error) override
    {
        return active_->setRules(rules, error);
    }
    std::uint64_t ruleHits(const std::string &host, const std::string &name) const override
    {
        return active_->ruleHits(host, name);
    }
    bool openCapture(const std::string &path, std::string *error) override;

private:
    std::unique_ptr<LabDriver> demo_;
    std::unique_ptr<HostLab> tap_;
    LabDriver *active_;
    // generation() = switches_ + the current lab's own generation, kept increasing across switches.
    std::uint64_t base_ = 0;
};

} // namespace tcplab::gui
