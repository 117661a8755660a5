// What the GUI asks of a running lab and reads from it: the packet store's published prefix
// (capture's PacketStore: views keep store indices and read records in place, no copies, no locks)
// and the events.
// `LabDriver` is what the GUI may ask of a lab (start,
// pause, step, speed) and where it collects event batches. Two implementations exist:
// EngineLab (over engine/host's EngineHost, see engine_bridge.cpp) and ScriptedLab, a stand-in
// that replays a fixed exchange, used by tests and when no engine host is available.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "capture/packet_store.h"
#include "core/bytes.h"
#include "core/event.h"
#include "core/time.h"
#include "scenario/lesson.h"
#include "services/scenario_model.h"

namespace spdlog::sinks {
class sink;
}

namespace tcplab::gui {

enum class LabMode : std::uint8_t { Demo, Tap };

// Where a lab's capture spills past its memory unless told: $TMPDIR, else /tmp. (The GUI is the
// program: it reads the environment and gives the store the directory.)
inline std::string defaultCaptureSpillDirectory()
{
    return defaultSpillDirectory(std::getenv("TMPDIR"));
}

struct LabStatus {
    bool running = false;
    bool paused = false;
    double speed = 1.0;
    Instant now{};
    std::string linkState;  // "virtual wire up", "tap0 attached", ...
    std::uint64_t framesSent = 0, framesReceived = 0, framesDropped = 0;
};

struct WireSettings {
    std::int64_t latencyNs = 10'000'000;
    double lossPercent = 0.0;
    std::uint64_t bandwidthBitsPerSecond = 100'000'000;
};

class LabDriver {
public:
    virtual ~LabDriver() = default;
    virtual const PacketStore &packets() const = 0;
    // Changes whenever the lab starts afresh with a new packet store; the store of the previous
    // generation stays readable until the next one starts, so views can let go of it in time.
    virtual std::uint64_t generation() const = 0;
    virtual void start() = 0;
    virtual void stop() = 0;
    virtual void setPaused(bool paused) = 0;
    // Advance to the next packet event (classroom step); only while paused.
    virtual void step() = 0;
    virtual void setSpeed(double factor) = 0;  // 1.0 = real time, 0.01 = slow motion
    virtual void setWire(const WireSettings &wire) = 0;
    // Load a scenario by built-in name or file path; false with a reason when it cannot.
    virtual bool loadScenario(const std::string &nameOrPath, std::string *error) = 0;
    // Run the lab for `virtualTime` as fast as possible (screenshot mode, tests).
    virtual void runFor(Duration virtualTime) = 0;
    // Called by the bridge's timer on the GUI thread: advance by the wall time elapsed (stand-ins
    // advance their clock here; the engine host runs on its own thread and ignores it).
    virtual void tick(Duration wallElapsed) = 0;
    // Moves the events gathered since the last call into `out`; returns the dropped-event count.
    virtual std::uint64_t drainEvents(std::vector<Event> &out) = 0;
    virtual LabStatus status() const = 0;
    virtual std::vector<std::string> scenarioNames() const = 0;
    virtual std::string scenarioName() const = 0;  // the one loaded
    // Where the lab's per-module loggers (link, arp, tcp, rules, ...) also write: the log dock.
    virtual void setLogSink(std::shared_ptr<spdlog::sinks::sink> sink) { (void)sink; }
    // The hosts of the loaded scenario (names for rules made from packets).
    virtual std::vector<ScenarioHost> scenarioHosts() const { return {}; }
    // The loaded scenario's lesson notes with their triggers (classroom).
    virtual std::vector<LessonStep> lesson() const { return {}; }
    // The rules of the loaded scenario, in order (rule editor).
    virtual std::vector<ScenarioRule> rules() const { return {}; }
    // Replaces the rules, live when the lab runs; false (nothing changed) with a reason when the
    // engine refuses them.
    virtual bool setRules(const std::vector<ScenarioRule> &rules, std::string *error)
    {
        (void)rules;
        if (error) *error = "this lab has no rule engine";
        return false;
    }
    // How often a host's rule has acted since the lab started (0 when not running).
    virtual std::uint64_t ruleHits(const std::string &host, const std::string &name) const
    {
        (void)host, (void)name;
        return 0;
    }
    // Replaces the lab's packets with a capture file's (the lab stops); false with a reason.
    virtual bool openCapture(const std::string &path, std::string *error)
    {
        if (error) *error = "this lab cannot open captures (" + path + ")";
        return false;
    }
};

// The lab the application uses: the engine's when it is built in, the stand-in otherwise.
std::unique_ptr<LabDriver> makeDefaultLab(LabMode mode);

}  // namespace tcplab::gui
