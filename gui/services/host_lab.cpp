#include "services/host_lab.h"

#include <algorithm>
#include <cctype>

#include "capture/packet_store.h"
#include "capture/recorder.h"
#include "host/engine_host.h"
#include "rules/rule_engine.h"
#include "scenario/scenario.h"
#include "scenario/scenario_io.h"
#include "scenario/scenario_play.h"
#include "services/tcp_services.h"
#include "tcp/tcp_layer.h"

namespace tcplab::gui {

namespace {

MacAddr macFor(const Ip4Addr &ip4)
{
    // Locally administered and unicast, like tcplab-cli's default, so both pick the same MAC.
    const std::uint32_t v = ip4.value;
    return MacAddr{{0x02, 0x54, 0x4c, std::uint8_t(v >> 16), std::uint8_t(v >> 8), std::uint8_t(v)}};
}

bool validServiceName(const std::string &s)
{
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::islower(c) || c == '-'; });
}

Expected<TapListen> parseListen(const std::string &text)
{
    const auto colon = text.find(':');
    const std::string where = "service \"" + text + "\": ";
    if (colon == std::string::npos) return Error{where + "write PORT:SERVICE, e.g. 80:http or 9000:sink"};
    const std::string port = text.substr(0, colon), name = text.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); }))
        return Error{where + "\"" + port + "\" is not a port number"};
    const int p = std::stoi(port);
    if (p < 1 || p > 65535) return Error{where + "the port must be 1 to 65535"};
    if (!validServiceName(name))
        return Error{where + "\"" + name + "\" is not a service name (http, sink, source, echo, ...)"};
    return TapListen{std::uint16_t(p), name};
}

} // namespace

std::vector<std::string> splitListens(const std::string &text)
{
    std::vector<std::string> out;
    std::string cur;
    for (char c : text + ' ') {
        if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
            if (!cur.empty()) out.push_back(std::move(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    return out;
}

Expected<StoreConfig> parseCaptureMemory(const TapSettings &s)
{
    const std::string &memory = s.captureMemory, &reserve = s.captureReserve,
                      &spillDirectory = s.captureSpillDirectory;
    StoreConfig config;
    const auto size = [](const std::string &field, const std::string &text) -> Expected<std::uint64_t> {
        const auto n = StoreConfig::parseSize(text);
        if (!n || *n == 0) return Error{field + " \"" + text + "\": " + StoreConfig::kSizeForm};
        return *n;
    };
    if (!memory.empty()) {
        const auto n = size("capture memory", memory);
        if (!n) return Error{n.error().message + ", or nothing for 2G"};
        config.memoryLimit = *n;
    }
    if (!reserve.empty()) {
        const auto n = size("capture reserve", reserve);
        if (!n) return Error{n.error().message + ", or nothing for none"};
        if (*n < StoreConfig::kChunk)
            return Error{"capture reserve \"" + reserve +
                         "\": at least 1M (the capture takes memory in 1 MiB chunks), or nothing for none"};
        if (*n > config.memoryLimit)
            return Error{"capture reserve \"" + reserve + "\": more than the capture memory (" +
                         std::to_string(config.memoryLimit >> 20) + " MiB); raise the capture memory"};
        config.reserve = *n;
    }
    if (!s.captureWhenFull.empty()) {
        const auto onFull = StoreConfig::parseOnFull(s.captureWhenFull);
        if (!onFull) return Error{"capture when full \"" + s.captureWhenFull + "\": spill or stop"};
        config.onFull = *onFull;
    }
    config.spillDirectory = spillDirectory.empty() ? defaultCaptureSpillDirectory() : spillDirectory;
    if (config.onFull == StoreConfig::OnFull::Stop) return config; // the spill directory is not used
    if (const auto dir = checkSpillDirectory(config.spillDirectory); !dir)
        return Error{"capture " + dir.error().message +
                     (spillDirectory.empty() ? " ($TMPDIR, or /tmp); name a directory on disk" : "")};
    return config;
}

Expected<ParsedTapSettings> parseTapSettings(const TapSettings &s)
{
    ParsedTapSettings p;
    if (s.tap.empty() || s.tap.size() > 15 || std::any_of(s.tap.begin(), s.tap.end(), [](unsigned char c) {
            return c == '/' || std::isspace(c) || !std::isprint(c);
        }))
        return Error{"tap name \"" + s.tap + "\": 1 to 15 characters, no '/' and no spaces"};
    p.lab.tap.name = s.tap;
    p.lab.host.name = "tcplab";
    const auto ip4 = IpPrefix::parse(s.ip4);
    if (!ip4 || !ip4->addr.isV4())
        return Error{"engine IPv4 address \"" + s.ip4 + "\": write ADDRESS/PREFIX, e.g. 198.18.0.2/24"};
    p.lab.host.addresses.push_back(*ip4);
    if (!s.ip6.empty()) {
        const auto ip6 = IpPrefix::parse(s.ip6);
        if (!ip6 || !ip6->addr.isV6())
            return Error{"engine IPv6 address \"" + s.ip6 + "\": write ADDRESS/PREFIX, e.g. 2001:db8::2/64"};
        p.lab.host.addresses.push_back(*ip6);
    }
    if (!s.mac.empty()) {
        const auto mac = MacAddr::parse(s.mac);
        if (!mac || mac->isMulticast())
            return Error{"MAC address \"" + s.mac + "\": write six unicast bytes, e.g. 02:54:4c:00:00:02"};
        p.lab.host.mac = *mac;
    } else {
        p.lab.host.mac = macFor(ip4->addr.v4());
    }
    if (!s.gateway4.empty()) {
        const auto gw = Ip4Addr::parse(s.gateway4);
        if (!gw) return Error{"gateway \"" + s.gateway4 + "\": not an IPv4 address"};
        p.lab.host.gateway4 = *gw;
    }
    for (const auto &l : s.listens) {
        auto listen = parseListen(l);
        if (!listen) return listen.error();
        for (const auto &other : p.listens)
            if (other.port == listen.value().port)
                return Error{"service \"" + l + "\": port already taken by " + other.service};
        p.listens.push_back(listen.value());
    }
    if (!s.snapLength.empty()) {
        // Like tcpdump -s: frames are stored cut, with their length on the wire.
        const auto n = RecorderConfig::parseSnapLength(s.snapLength);
        if (!n)
            return Error{"snap length \"" + s.snapLength + "\": a number of bytes from " +
                         std::to_string(RecorderConfig::kMinSnapLength) + " to " +
                         std::to_string(RecorderConfig::kMaxSnapLength) + ", or nothing for whole frames"};
        p.snapLength = *n;
    }
    auto store = parseCaptureMemory(s);
    if (!store) return store.error();
    p.store = store.value();
    return p;
}

struct HostLab::Parts {
    std::unique_ptr<PacketStore> store;
    std::unique_ptr<Recorder> recorder;
    std::unique_ptr<EngineHost> engine;                      // owns the lab; destroyed before the recorder
    std::vector<std::pair<std::string, RuleEngine *>> rules; // kept by the lab; engine thread only
    TcpLayer *tcp = nullptr;                                 // engine thread only
    std::string linkState;
    mutable std::uint64_t counted = 0, sent = 0, received = 0, dropped = 0;

    explicit Parts(std::unique_ptr<PacketStore> s) : store(std::move(s)) {}
    ~Parts() { shutDown(); }
    void shutDown()
    {
        engine.reset();
        recorder.reset();
        store->setWarningSink(nullptr);
    }
};

HostLab::HostLab()
    : parts_(std::make_unique<Parts>(std::make_unique<PacketStore>())),
      hitsMutex_(std::make_shared<std::mutex>()),
      hits_(std::make_shared<std::map<std::string, std::uint64_t>>())
{
}

HostLab::~HostLab() = default;

bool HostLab::configure(const TapSettings &settings, std::string *error)
{
    auto parsed = parseTapSettings(settings);
    if (!parsed) {
        if (error) *error = parsed.error().message;
        return false;
    }
    if (!settings.scenario.empty()) {
        auto loaded = loadScenarioByNameOrFile(settings.scenario);
        if (!loaded) {
            if (error) *error = loaded.error().message;
            return false;
        }
        scenario_ = std::make_unique<Scenario>(std::move(loaded.value()));
    } else {
        // No scenario: one host with no rules, so the rule editor has a host to add rules to.
        scenario_ = std::make_unique<Scenario>();
        ScenarioHost h;
        h.name = "tcplab";
        h.addresses = parsed.value().lab.host.addresses;
        h.mac = parsed.value().lab.host.mac;
        scenario_->hosts.push_back(h);
    }
    settings_ = settings;
    parsed_ = std::move(parsed.value());
    reserved_.reset();
    return true;
}

void HostLab::reserveCapture()
{
    if (parsed_ && parsed_->store.reserve && !reserved_)
        reserved_ = std::make_unique<PacketStore>(parsed_->store);
}

ChunkAllocator::ReserveState HostLab::captureReserve() const
{
    return reserved_ ? reserved_->reserveState() : ChunkAllocator::ReserveState{};
}

int HostLab::eventFd() const
{
    return parts_->engine ? parts_->engine->eventFd() : -1;
}

const PacketStore &HostLab::packets() const
{
    return *parts_->store;
}

std::string HostLab::role() const
{
    if (!scenario_) return "tcplab";
    for (const auto &svc : scenario_->services)
        return svc.host;
    return scenario_->hosts.empty() ? std::string("tcplab") : scenario_->hosts.back().name;
}

void HostLab::failed(std::string message)
{
    error_ = std::move(message);
    Event e;
    e.kind = EventKind::Error;
    e.name = "tap";
    e.detail = error_;
    pending_.push_back(std::move(e));
}

void HostLab::start()
{
    if (parts_->engine) return;
    if (!parsed_) return failed("no tap device chosen: use Lab > Lab mode > Tap device…");
    TapLabConfig tapConfig = parsed_->lab;
    tapConfig.tap.tunPath = tunPath_;
    auto made = Lab::tap(std::move(tapConfig));
    if (!made) return failed(made.error().message);
    std::unique_ptr<Lab> lab = std::move(made.value());
    Host &host = lab->host(0);
    const std::string plays = role();

    TcpConfig config;
    config.closedPort = scenario_->policies.closedPort;
    applyListenerPolicies(scenario_->policies, config);
    for (const auto &svc : scenario_->services)
        if (svc.host == plays && svc.recvBuffer) config.socket.recvBuffer = *svc.recvBuffer;
    TcpLayer &tcp = lab->addTcp(host, config);
    RuleEngine &rules = lab->keep(std::make_unique<RuleEngine>(lab->rng()));
    rules.setRules(scenario_->rulesFor(plays));
    ScenarioHook &hook = lab->keep(std::make_unique<ScenarioHook>(rules));
    host.setPacketHook(&hook);

    for (const auto &l : parsed_->listens) {
        auto s = startTcpService(tcp, lab->events(), host.id(), l.port, l.service);
        if (!s)
            return failed("service " + std::to_string(l.port) + ":" + l.service + ": " + s.error().message);
        lab->keep(std::move(s.value()));
    }
    for (const auto &svc : scenario_->services) {
        if (svc.host != plays) continue;
        const std::string where = "scenario service " + svc.kind + ":" + std::to_string(svc.port) + ": ";
        if (svc.kind == "listen" || (svc.kind == "sink" && svc.readRate)) {
            auto reader = std::make_unique<ScenarioRateReader>(tcp, svc.readRate.value_or(0));
            if (auto r = reader->listen(svc.port, svc.backlog, svc.kind == "sink"); !r)
                return failed(where + r.error().message);
            hook.attach(reader.get());
            lab->keep(std::move(reader));
            continue;
        }
        auto s = startTcpService(tcp, lab->events(), host.id(), svc.port, svc.kind);
        if (!s) return failed(where + s.error().message);
        lab->keep(std::move(s.value()));
    }

    // The reserve prepared for this start (reserveCapture), else a store of the configured bound
    // that gets its memory as frames come.
    auto fresh = std::make_unique<Parts>(reserved_ ? std::move(reserved_)
                                                   : std::make_unique<PacketStore>(parsed_->store));
    // Live traffic: labels on their own thread (they follow within milliseconds; the views repaint).
    fresh->recorder = std::make_unique<Recorder>(
        *fresh->store, lab->flows(),
        RecorderConfig{.analysis = RecorderConfig::Analysis::Background, .snapLength = parsed_->snapLength});
    fresh->store->setWarningSink(&lab->events());
    lab->setFrameSink(fresh->recorder.get());
    lab->events().add(fresh->recorder.get());
    if (logSink_) lab->logs().addSink(logSink_);
    fresh->rules.emplace_back(plays, &rules);
    fresh->tcp = &tcp;
    fresh->linkState = "tap " + settings_.tap + " attached, engine at " + settings_.ip4;
    fresh->engine = std::make_unique<EngineHost>(std::move(lab));
    if (auto s = fresh->engine->start(); !s) return failed(s.error().message);

    // The previous store stays readable until the views let go of it (see LabDriver::generation).
    previous_ = std::exchange(parts_, std::move(fresh));
    if (previous_) previous_->shutDown();
    ++generation_;
    droppedSeen_ = 0;
    error_.clear();
    {
        std::lock_guard lock(*hitsMutex_);
        hits_->clear();
    }
    Event up;
    up.kind = EventKind::LinkState;
    up.name = "tap";
    up.detail = parts_->linkState;
    pending_.push_back(std::move(up));
}

void HostLab::stop()
{
    if (!parts_->engine) return;
    // Joins the engine thread and closes the tap, so the Setup panel may delete it; the store stays.
    parts_->shutDown();
    Event down;
    down.kind = EventKind::LinkState;
    down.name = "tap";
    down.detail = "tap " + settings_.tap + " released";
    pending_.push_back(std::move(down));
}

bool HostLab::loadScenario(const std::string &nameOrPath, std::string *error)
{
    TapSettings changed = settings_;
    changed.scenario = nameOrPath;
    if (!parsed_) {
        // Not configured yet: only check the scenario, the tap settings come later.
        auto loaded = loadScenarioByNameOrFile(nameOrPath);
        if (!loaded) {
            if (error) *error = loaded.error().message;
            return false;
        }
        settings_.scenario = nameOrPath;
        scenario_ = std::make_unique<Scenario>(std::move(loaded.value()));
        return true;
    }
    if (!configure(changed, error)) return false;
    // Services belong to the lab's construction: a running lab starts afresh with the new ones.
    if (parts_->engine) {
        stop();
        start();
    }
    return true;
}

std::uint64_t HostLab::drainEvents(std::vector<Event> &out)
{
    out.insert(out.end(), std::make_move_iterator(pending_.begin()), std::make_move_iterator(pending_.end()));
    pending_.clear();
    EngineHost *engine = parts_->engine.get();
    if (!engine) return 0;
    auto batch = engine->drainEvents(kMaxEventsPerDrain);
    out.insert(out.end(), std::make_move_iterator(batch.begin()), std::make_move_iterator(batch.end()));
    const std::uint64_t total = engine->droppedEvents();
    const std::uint64_t fresh = total - std::min(total, droppedSeen_);
    droppedSeen_ = total;
    // Hit counters for the rule editor, copied where the rule engines live (never waited for).
    engine->post([rules = parts_->rules, mutex = hitsMutex_, hits = hits_](Lab &) {
        std::map<std::string, std::uint64_t> copy;
        for (const auto &[host, engine] : rules)
            for (const auto &r : engine->status())
                copy[host + '\n' + r.name] = r.hits;
        std::lock_guard lock(*mutex);
        *hits = std::move(copy);
    });
    return fresh;
}

LabStatus HostLab::status() const
{
    const Parts &p = *parts_;
    for (const auto n = p.store->size(); p.counted < n; ++p.counted) {
        const PacketView v = p.store->packet(p.counted);
        (v.direction == Direction::Outbound ? p.sent : p.received)++;
        if (v.fate != FrameFate::Delivered) ++p.dropped;
    }
    LabStatus s;
    s.running = p.engine != nullptr;
    s.now = p.engine ? p.engine->labTime() : Instant{};
    s.linkState = s.running ? p.linkState : error_;
    s.framesSent = p.sent;
    s.framesReceived = p.received;
    s.framesDropped = p.dropped;
    return s;
}

std::vector<std::string> HostLab::scenarioNames() const
{
    std::vector<std::string> names;
    for (const auto &b : builtinScenarios())
        names.emplace_back(b.name);
    return names;
}

std::string HostLab::scenarioName() const
{
    return scenario_ ? scenario_->name : std::string();
}

std::vector<ScenarioHost> HostLab::scenarioHosts() const
{
    return scenario_ ? scenario_->hosts : std::vector<ScenarioHost>{};
}

std::vector<ScenarioRule> HostLab::rules() const
{
    return scenario_ ? scenario_->rules : std::vector<ScenarioRule>{};
}

bool HostLab::setRules(const std::vector<ScenarioRule> &rules, std::string *error)
{
    if (!scenario_) {
        if (error) *error = "no tap lab is configured";
        return false;
    }
    for (const auto &r : rules) {
        if (!scenario_->host(r.host)) {
            if (error) *error = "rule \"" + r.rule.name + "\": no host named \"" + r.host + "\" in this lab";
            return false;
        }
    }
    scenario_->rules = rules;
    if (parts_->engine) {
        // Live: the engine thread swaps the rules between two packets (hit counters kept by name).
        auto fresh = std::make_shared<std::vector<Rule>>(scenario_->rulesFor(role()));
        parts_->engine->post([engines = parts_->rules, fresh](Lab &) {
            for (const auto &[host, engine] : engines)
                engine->setRules(*fresh);
        });
    }
    return true;
}

std::uint64_t HostLab::ruleHits(const std::string &host, const std::string &name) const
{
    std::lock_guard lock(*hitsMutex_);
    const auto it = hits_->find(host + '\n' + name);
    return it == hits_->end() ? 0 : it->second;
}

} // namespace tcplab::gui
