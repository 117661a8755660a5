// The world the engine thread runs: hosts, the links between them, the seeded Rng, the event
// fanout, the loggers, and (through a slot) the session source. No globals: several labs can run
// side by side in one process.
//
//   Lab::tap(...)   one host on a TapLink (the real kernel on the other side)
//   Lab::demo(...)  a client host and a server host on a VirtualWire (no privileges needed)
//
// Teardown has one order, run by shutdown() (and by the destructor when nobody called it):
//   1. packet hooks are taken off the hosts (rules do not apply to the goodbye segments, and the
//      hooks' owners may go before the lab),
//   2. kept objects (services, clients, players) are destroyed, newest first: a TCP service aborts
//      its connections and closes its listener here, through TCP layers, hosts and links that
//      are all still alive, and its events and frames still reach the sinks,
//   3. the TCP layers are taken off their hosts and destroyed,
//   4. every sink is let go (event sinks, the frame sink; the session source goes back to the
//      lab's own tracker): nothing the lab does afterwards reaches an outside object,
//   5. (destructor) hosts, then links and wires.
// So an owner calls shutdown() while its sinks are alive (ScenarioRun's destructor, EngineHost's
// shutdown(), tcplab-cli after the run), then may destroy the sinks and the lab in any order.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "capture/flow_session_source.h"
#include "capture/flow_tracker.h"
#include "core/event.h"
#include "core/expected.h"
#include "core/rng.h"
#include "core/time.h"
#include "host/log_hub.h"
#include "link/link.h"
#include "link/tap_link.h"
#include "link/virtual_wire.h"
#include "stack/host.h"
#include "tcp/tcp_layer.h"

namespace tcplab {

struct TapLabConfig {
    TapOptions tap;
    HostConfig host;  // name defaults to "tcplab"
    std::uint64_t seed = 1;
};

struct DemoLabConfig {
    DemoLabConfig();
    HostConfig client;  // 198.18.0.1/24, 2001:db8::1/64, 02:00:00:00:00:01
    HostConfig server;  // 198.18.0.2/24, 2001:db8::2/64, 02:00:00:00:00:02
    WireConditions clientToServer;  // 10 ms one way by default
    WireConditions serverToClient;
    std::uint64_t seed = 1;
};

class Lab {
public:
    explicit Lab(std::uint64_t seed = 1);
    ~Lab();
    Lab(const Lab &) = delete;
    Lab &operator=(const Lab &) = delete;

    static Expected<std::unique_ptr<Lab>> tap(TapLabConfig config);
    static std::unique_ptr<Lab> demo(DemoLabConfig config = {});

    // Building.
    Host &addHost(HostConfig config);
    LinkId addLink(std::unique_ptr<Link> link);
    VirtualWire &addVirtualWire(std::string name, WireConditions aToB = {}, WireConditions bToA = {});
    void attach(Host &host, Link &link);

    // Parts.
    std::size_t hostCount() const { return hosts_.size(); }
    Host &host(HostId id) { return *hosts_.at(id); }
    const Host &host(HostId id) const { return *hosts_.at(id); }
    Host *findHost(std::string_view name);
    std::size_t linkCount() const { return links_.size(); }
    Link &link(LinkId id) { return *links_.at(id); }
    // The demo's wire (nullptr in a tap lab).
    VirtualWire *wire(std::size_t index = 0) { return index < wires_.size() ? wires_[index].get() : nullptr; }
    Rng &rng() { return rng_; }
    EventFanout &events() { return events_; }
    LogHub &logs() { return logs_; }

    // Wiring for the layers above the stack. Each applies to every host, present and future.
    void setFrameSink(FrameSink *sink);
    // The FlowTracker's slot. By default the lab's own tracker (flows()) is installed, so TCP
    // sessions have ids even when nothing is recorded; a Recorder should use lab.flows() too.
    void setSessionSource(SessionSource *source);
    SessionSource *sessionSource() const { return sessions_; }
    FlowTracker &flows() { return flows_; }

    // A TCP layer for `host`, owned by the lab, with everything wired: the host's TCP dispatch
    // point, the host's event path (events attached to their packets) and a session resolver
    // (events carry the FlowTracker's session from the first one on). It lives until shutdown(),
    // after every kept object (so services can still abort their connections through it).
    TcpLayer &addTcp(Host &host, TcpConfig config = {});

    // Keeps an object (a service, a client, a rule engine, a timeline) alive until shutdown();
    // kept objects are destroyed before the TCP layers and the hosts, newest first.
    template <class T>
    T &keep(std::unique_ptr<T> object)
    {
        T &ref = *object;
        kept_.push_back(std::shared_ptr<void>(std::move(object)));
        return ref;
    }

    // Tears the lab down in the order described at the top of this file. Call it while the sinks
    // given to events() and setFrameSink() are still alive. Idempotent; afterwards the lab no
    // longer polls or starts, hosts and links stay readable (counters) until the lab is destroyed.
    void shutdown();
    bool isShutDown() const { return shutDown_; }

    // Time. start() announces every host's addresses (gratuitous ARP, unsolicited NA).
    void start(Instant now);
    bool started() const { return started_; }
    Instant pollAt() const;
    // Runs everything due at `now`, repeating while zero-delay work remains (bounded).
    void poll(Instant now);
    // The last `now` given to poll() or start().
    Instant now() const { return now_; }
    // Descriptors to wait on (tap links).
    std::vector<int> fds() const;

private:
    Rng rng_;
    EventFanout events_;
    LogHub logs_;
    FlowTracker flows_;
    FlowTrackerSource flowSource_{flows_};
    FrameSink *frameSink_ = nullptr;
    SessionSource *sessions_ = &flowSource_;
    std::vector<std::unique_ptr<VirtualWire>> wires_;
    std::vector<std::unique_ptr<Link>> links_;  // owned links (taps); wire ends live in wires_
    std::vector<Link *> linkIndex_;             // every link by LinkId
    std::vector<std::unique_ptr<Host>> hosts_;
    std::vector<std::unique_ptr<TcpLayer>> tcp_;  // after the hosts: destroyed before them
    std::vector<std::shared_ptr<void>> kept_;     // declared last: destroyed first
    Instant now_{};
    bool started_ = false;
    bool shutDown_ = false;
};

}  // namespace tcplab
