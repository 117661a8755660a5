// A stand-in lab that replays a fixed, hand-written exchange between a client host (0) and a
// server host (1) on a virtual wire, in virtual time (pause, step and speed work on its clock).
// It exists so the GUI, its tests and its benchmarks run without the engine host; the exchanges
// are written to be what the engine produces for the same scenario (RFC 9293 behaviour), but
// nothing here is protocol logic: it is data.
#pragma once

#include <memory>

#include "capture/packet_store.h"
#include "services/lab_driver.h"

namespace tcplab::gui {

struct ScriptItem {
    Instant time{};
    bool isFrame = false;
    FrameInfo info;
    Bytes frame;
    int sentAsItem = -1;                 // for a received frame: the item index of its transmission
    std::vector<Event> annotations;      // attached to this frame (also emitted as events)
    std::string analysis;                // a Wireshark-style label ("TCP Dup ACK 1#1")
    Event event;                         // when !isFrame
};

class ScriptedLab final : public LabDriver {
public:
    ScriptedLab();
    const PacketStore &packets() const override { return *store_; }
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
    std::string scenarioName() const override { return scenario_; }

    static std::vector<ScriptItem> script(const std::string &name, const WireSettings &wire);

private:
    void advanceTo(Instant t);
    void publish(ScriptItem &item);

    std::unique_ptr<PacketStore> store_, previous_;
    std::uint64_t generation_ = 0;
    std::vector<ScriptItem> items_;
    std::vector<std::uint64_t> storeIndexOfItem_;
    std::size_t next_ = 0;
    std::vector<Event> pending_;
    std::string scenario_ = "handshake-data-close";
    WireSettings wire_;
    Instant now_{};
    double speed_ = 1.0;
    bool running_ = false, paused_ = false;
    std::uint64_t sent_ = 0, received_ = 0, dropped_ = 0;
};

}  // namespace tcplab::gui
