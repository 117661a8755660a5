#include "services/engine_lab.h"

#include <algorithm>

#include "capture/capture_import.h"
#include "capture/flow_session_source.h"
#include "capture/flow_tracker.h"
#include "capture/packet_store.h"
#include "capture/recorder.h"
#include "scenario/scenario.h"
#include "scenario/scenario_io.h"
#include "scenario/scenario_run.h"
#include "stack/session_source.h"

namespace tcplab::gui {
namespace {

constexpr int kPollsPerTick = 20000;  // keeps a tick well under a frame even at line rate

// Gathers the lab's events on the thread that polls it (the GUI thread here).
class Collector final : public EventSink {
public:
    void onEvent(const Event &event) override { events.push_back(event); }
    std::vector<Event> events;
};

}  // namespace

struct EngineLab::Parts {
    std::unique_ptr<PacketStore> store =
        std::make_unique<PacketStore>(StoreConfig{.spillDirectory = defaultCaptureSpillDirectory()});
    FlowTracker flows;
    std::unique_ptr<Recorder> recorder;
    std::unique_ptr<FlowTrackerSource> source;  // sessions from this view's own tracker
    Collector collector;
    std::unique_ptr<ScenarioRun> run;
    std::uint64_t counted = 0, sent = 0, received = 0, dropped = 0;
};

EngineLab::EngineLab() : parts_(std::make_unique<Parts>())
{
    std::string error;
    loadScenario("syn-answered-by-ack", &error);
}

EngineLab::~EngineLab()
{
    // The run's hosts hold pointers to the recorder and the source: the run goes first.
    if (parts_) parts_->run.reset();
    if (previous_) previous_->run.reset();
}

const PacketStore &EngineLab::packets() const { return *parts_->store; }

std::vector<std::string> EngineLab::scenarioNames() const
{
    std::vector<std::string> names;
    for (const auto &b : builtinScenarios()) names.emplace_back(b.name);
    return names;
}

std::vector<ScenarioRule> EngineLab::rules() const
{
    return scenario_ ? scenario_->rules : std::vector<ScenarioRule>{};
}

std::vector<LessonStep> EngineLab::lesson() const
{
    return scenario_ ? scenario_->lesson : std::vector<LessonStep>{};
}

std::vector<ScenarioHost> EngineLab::scenarioHosts() const
{
    return scenario_ ? scenario_->hosts : std::vector<ScenarioHost>{};
}

bool EngineLab::setRules(const std::vector<ScenarioRule> &rules, std::string *error)
{
    if (!scenario_) {
        if (error) *error = "no scenario is loaded";
        return false;
    }
    for (const auto &r : rules) {
        if (!scenario_->host(r.host)) {
            if (error) *error = "rule \"" + r.rule.name + "\": no host named \"" + r.host + "\" in this scenario";
            return false;
        }
    }
    Scenario changed = *scenario_;
    changed.rules = rules;
    if (parts_ && parts_->run) {
        auto status = parts_->run->reload(changed);
        if (!status) {
            if (error) *error = status.error().message;
            return false;
        }
    }
    scenario_->rules = rules;
    return true;
}

std::uint64_t EngineLab::ruleHits(const std::string &host, const std::string &name) const
{
    if (!parts_ || !parts_->run) return 0;
    RuleEngine *engine = parts_->run->rules(host);
    return engine ? engine->hits(name) : 0;
}

std::string EngineLab::scenarioName() const { return scenario_ ? scenario_->name : std::string(); }

bool EngineLab::loadScenario(const std::string &nameOrPath, std::string *error)
{
    auto loaded = loadScenarioByNameOrFile(nameOrPath);
    if (!loaded) {
        if (error) *error = loaded.error().message;
        return false;
    }
    if (loaded.value().network.mode != NetworkMode::Demo) {
        if (error) *error = "scenario \"" + nameOrPath + "\" needs a tap device; the GUI runs demo scenarios only so far";
        return false;
    }
    scenario_ = std::make_unique<Scenario>(std::move(loaded.value()));
    running_ = false;
    return true;
}

void EngineLab::setWire(const WireSettings &wire)
{
    wire_ = wire;
    wireOverride_ = true;
}

void EngineLab::start()
{
    if (running_ || !scenario_) return;
    Scenario scenario = *scenario_;
    if (wireOverride_) {
        scenario.network.wire.latency = Duration(wire_.latencyNs);
        scenario.network.wire.loss = wire_.lossPercent / 100.0;
        scenario.network.wire.bandwidthBps = wire_.bandwidthBitsPerSecond;
    }
    auto run = ScenarioRun::demo(scenario);
    if (!run) {
        error_ = run.error().message;
        Event e;
        e.kind = EventKind::Error;
        e.detail = "cannot start scenario \"" + scenario.name + "\": " + error_;
        parts_->collector.events.push_back(e);
        return;
    }
    // Keep the old store readable until the views let go of it (see LabDriver::generation).
    auto fresh = std::make_unique<Parts>();
    fresh->recorder = std::make_unique<Recorder>(*fresh->store, fresh->flows);
    fresh->source = std::make_unique<FlowTrackerSource>(fresh->flows);
    fresh->run = std::move(run.value());
    Lab &lab = fresh->run->lab();
    fresh->store->setWarningSink(&lab.events());
    lab.setFrameSink(fresh->recorder.get());
    lab.setSessionSource(fresh->source.get());
    lab.events().add(fresh->recorder.get());
    lab.events().add(&fresh->collector);
    if (logSink_) lab.logs().addSink(logSink_);
    if (previous_) previous_->run.reset();
    previous_ = std::exchange(parts_, std::move(fresh));
    ++generation_;
    now_ = Instant{};
    parts_->run->start(now_);
    running_ = true;
    Event up;
    up.kind = EventKind::LinkState;
    up.name = "wire";
    up.detail = "demo network up: " + scenario.name;
    parts_->collector.events.push_back(up);
}

void EngineLab::stop() { running_ = false; }

bool EngineLab::openCapture(const std::string &path, std::string *error)
{
    auto fresh = std::make_unique<Parts>();
    auto imported = importCapture(path, *fresh->store, fresh->flows);
    if (!imported) {
        if (error) *error = imported.error().message;
        return false;
    }
    running_ = false;
    if (previous_) previous_->run.reset();
    previous_ = std::exchange(parts_, std::move(fresh));
    ++generation_;
    error_ = "capture " + path;
    Event e;
    e.kind = EventKind::LinkState;
    e.name = "capture";
    e.detail = "opened " + path + ": " + std::to_string(imported.value().packets) + " frames";
    parts_->collector.events.push_back(e);
    return true;
}

void EngineLab::advanceTo(Instant target, int maxPolls)
{
    if (!running_ || !parts_->run) return;
    ScenarioRun &run = *parts_->run;
    for (int i = 0; i < maxPolls; ++i) {
        const Instant next = run.pollAt();
        if (next > target) break;
        now_ = std::max(next, now_);
        run.poll(now_);
        if (i + 1 == maxPolls) return;  // out of budget for this tick: the clock waits here
    }
    now_ = std::max(now_, target);
    run.poll(now_);
}

void EngineLab::step()
{
    if (!running_) start();
    if (!running_) return;
    const Instant next = parts_->run->pollAt();
    if (next == kNever) return;
    advanceTo(std::max(next, now_), 1);
}

void EngineLab::runFor(Duration virtualTime)
{
    if (!running_) start();
    advanceTo(now_ + virtualTime, 10'000'000);
}

void EngineLab::tick(Duration wallElapsed)
{
    if (!running_ || paused_) return;
    advanceTo(now_ + Duration(std::int64_t(double(wallElapsed.count()) * speed_)), kPollsPerTick);
}

std::uint64_t EngineLab::drainEvents(std::vector<Event> &out)
{
    auto &events = parts_->collector.events;
    out.insert(out.end(), std::make_move_iterator(events.begin()), std::make_move_iterator(events.end()));
    events.clear();
    return 0;
}

LabStatus EngineLab::status() const
{
    Parts &p = *parts_;
    for (const auto n = p.store->size(); p.counted < n; ++p.counted) {
        const PacketView v = p.store->packet(p.counted);
        (v.direction == Direction::Outbound ? p.sent : p.received)++;
        if (v.fate != FrameFate::Delivered) ++p.dropped;
    }
    LabStatus s;
    s.running = running_;
    s.paused = paused_;
    s.speed = speed_;
    s.now = now_;
    s.linkState = running_ ? "demo network: " + (scenario_ ? scenario_->name : std::string()) : error_;
    s.framesSent = p.sent;
    s.framesReceived = p.received;
    s.framesDropped = p.dropped;
    return s;
}

std::unique_ptr<LabDriver> makeDefaultLab(LabMode) { return std::make_unique<EngineLab>(); }

}  // namespace tcplab::gui
