// Tap mode: the lab on a real tap device, run in real time by engine/host's EngineHost on its own
// worker thread. One host (the engine's addresses, MAC and gateway) on a TapLink, a TCP layer, the
// services to listen on and the chosen scenario's rules and services for the host it plays (the one
// with services, usually "server"; the client is whatever runs on the kernel side, so a scenario's
// timeline is not played).
//
// The GUI thread never blocks on the engine: commands (live rule edits, policy changes) go through
// EngineHost::post(), events come out of its bounded EventQueue at most `maxEventsPerDrain` per
// drain (the bridge drains at most 60 times a second), and packets are read from the PacketStore's
// published prefix, which the engine thread appends to through a Recorder. Stopping destroys the
// lab (the tap's descriptor closes, so the Setup panel can delete the device) but keeps the store
// readable until the next start.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "capture/packet_store.h"
#include "core/expected.h"
#include "host/lab.h"
#include "services/lab_driver.h"

namespace tcplab {
class EngineHost;
struct Scenario;
} // namespace tcplab

namespace tcplab::gui {

// What the tap dialog, the command line and the Setup panel give: text as typed, checked by
// parseTapSettings().
struct TapSettings {
    std::string tap = "tap7";
    std::string ip4;                  // "198.18.0.2/24" (required)
    std::string ip6;                  // "2001:db8::2/64" (optional)
    std::string mac;                  // optional: derived from the IPv4 address otherwise
    std::string gateway4;             // optional
    std::vector<std::string> listens; // "80:http", "9000:sink"
    std::string scenario;             // built-in name or file; empty: none
    std::string snapLength;           // bytes kept of each recorded frame (64 to 262144); empty: all
    std::string captureMemory;        // RAM for the capture ("512M", "8G"); empty: 2G
    std::string captureReserve;       // of it, mapped before the tap is attached; empty: none
    std::string captureSpillDirectory; // where frames past the memory go; empty: $TMPDIR, else /tmp
    std::string captureWhenFull;       // past the memory: "spill" (or empty) or "stop" recording
    bool operator==(const TapSettings &) const = default;
};

struct TapListen {
    std::uint16_t port = 0;
    std::string service; // a TCP service of services/tcp_services ("http", "sink", "echo", ...)
};

struct ParsedTapSettings {
    TapLabConfig lab;
    std::vector<TapListen> listens;
    std::uint32_t snapLength = 0; // 0: whole frames
    StoreConfig store;            // memory bound and reserve of the capture
};

// Checks every field; the error names the field, the text and what is wrong.
Expected<ParsedTapSettings> parseTapSettings(const TapSettings &settings);
// The capture's memory bound, reserve, spill directory and what to do when full, as typed (empty: 2
// GiB, none, $TMPDIR or /tmp, spill), like tcplab-cli's --pcap-memory, --pcap-reserve,
// --pcap-spill-dir and --pcap-when-full: sizes, the reserve at least one 1 MiB chunk and within the
// bound, a directory files can be made in (when the capture spills).
Expected<StoreConfig> parseCaptureMemory(const TapSettings &settings);
// "80:http, 9000:sink" -> {"80:http", "9000:sink"} (commas or whitespace between entries).
std::vector<std::string> splitListens(const std::string &text);

class HostLab final : public LabDriver {
public:
    static constexpr std::size_t kMaxEventsPerDrain = 16384;

    HostLab();
    ~HostLab() override;

    // Takes effect at the next start(); false with the reason when the settings are not valid.
    bool configure(const TapSettings &settings, std::string *error);
    // The configured capture reserve: the next start()'s store is made now, and its helper thread
    // maps and faults in the reserve while the caller shows how far it got (captureReserve()).
    // Nothing when the settings ask for none. Dropped by configure() and dropCaptureReserve().
    void reserveCapture();
    ChunkAllocator::ReserveState captureReserve() const;
    void dropCaptureReserve() { reserved_.reset(); }
    const TapSettings &settings() const { return settings_; }
    // Why the last start() failed (empty after a successful one).
    const std::string &lastError() const { return error_; }
    // Events the engine thread could not queue for the GUI since the lab started.
    std::uint64_t droppedEvents() const { return droppedSeen_; }
    // The engine's event-queue descriptor (readable when events wait), -1 when not running.
    int eventFd() const;
    // Where the tun clone device is (tests point it at a missing path to see the error in words
    // without creating a device).
    void setTunPath(std::string path) { tunPath_ = std::move(path); }

    const PacketStore &packets() const override;
    std::uint64_t generation() const override { return generation_; }
    void start() override;
    void stop() override;
    // A tap lab runs in real time: the kernel on the other side does not pause.
    void setPaused(bool) override {}
    void step() override {}
    void setSpeed(double) override {}
    void setWire(const WireSettings &) override {}
    bool loadScenario(const std::string &nameOrPath, std::string *error) override;
    void runFor(Duration) override {}
    void tick(Duration) override {}
    std::uint64_t drainEvents(std::vector<Event> &out) override;
    LabStatus status() const override;
    std::vector<std::string> scenarioNames() const override;
    std::string scenarioName() const override;
    void setLogSink(std::shared_ptr<spdlog::sinks::sink> sink) override { logSink_ = std::move(sink); }
    std::vector<ScenarioHost> scenarioHosts() const override;
    std::vector<ScenarioRule> rules() const override;
    bool setRules(const std::vector<ScenarioRule> &rules, std::string *error) override;
    std::uint64_t ruleHits(const std::string &host, const std::string &name) const override;

private:
    struct Parts;
    void failed(std::string message);
    std::string role() const; // the scenario host the tap host plays

    TapSettings settings_;
    std::optional<ParsedTapSettings> parsed_;
    std::unique_ptr<Scenario> scenario_; // the loaded one, or a one-host stand-in for rules
    std::unique_ptr<Parts> parts_, previous_;
    std::unique_ptr<PacketStore> reserved_; // reserveCapture()'s store, for the next start()
    std::uint64_t generation_ = 0;
    std::uint64_t droppedSeen_ = 0;
    std::string error_;
    std::string tunPath_ = "/dev/net/tun";
    std::vector<Event> pending_; // the GUI's own notes (errors, link state) for the next drain
    std::shared_ptr<spdlog::sinks::sink> logSink_;
    // Rule hit counters, copied on the engine thread at most once per drain.
    std::shared_ptr<std::mutex> hitsMutex_;
    std::shared_ptr<std::map<std::string, std::uint64_t>> hits_;
};

} // namespace tcplab::gui
