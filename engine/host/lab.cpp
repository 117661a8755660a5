#include "host/lab.h"

#include <algorithm>

namespace tcplab {

namespace {

HostConfig demoHost(std::string name, std::uint8_t last)
{
    HostConfig c;
    c.name = std::move(name);
    c.mac = MacAddr{{0x02, 0x00, 0x00, 0x00, 0x00, last}};
    c.addresses.push_back(IpPrefix{Ip4Addr{0xc6120000u | last}, 24});  // 198.18.0.<last>/24
    Ip6Addr v6 = *Ip6Addr::parse("2001:db8::");
    v6.b[15] = last;
    c.addresses.push_back(IpPrefix{v6, 64});
    return c;
}

}  // namespace

DemoLabConfig::DemoLabConfig() : client(demoHost("client", 1)), server(demoHost("server", 2))
{
    clientToServer.latency = 10ms;
    serverToClient.latency = 10ms;
}

Lab::Lab(std::uint64_t seed) : rng_(seed) {}

Lab::~Lab()
{
    shutdown();
    // Then the members go in reverse order of declaration: hosts, then links and wires.
}

void Lab::shutdown()
{
    if (shutDown_) return;
    shutDown_ = true;
    // 1. Rules stop applying; the hooks' owners (a ScenarioRun's HostParts) may go before us.
    for (auto &h : hosts_) h->setPacketHook(nullptr);
    // 2. Services, clients and players, newest first. A TcpService aborts its connections here:
    //    TCP layers, hosts, links and sinks are all still alive, so the RSTs go out and are seen.
    while (!kept_.empty()) kept_.pop_back();
    // 3. TCP layers, newest first, after being taken off their hosts.
    for (auto &h : hosts_) h->setTcp(nullptr);
    while (!tcp_.empty()) tcp_.pop_back();
    // 4. Let go of every outside object: from here on nothing reaches a sink its owner may free.
    events_.clear();
    setFrameSink(nullptr);
    setSessionSource(&flowSource_);
}

Expected<std::unique_ptr<Lab>> Lab::tap(TapLabConfig config)
{
    auto link = TapLink::open(config.tap);
    if (!link) return link.error();
    auto lab = std::make_unique<Lab>(config.seed);
    if (config.host.name == "host") config.host.name = "tcplab";
    Host &host = lab->addHost(std::move(config.host));
    const LinkId id = lab->addLink(std::move(link.value()));
    lab->attach(host, lab->link(id));
    return lab;
}

std::unique_ptr<Lab> Lab::demo(DemoLabConfig config)
{
    auto lab = std::make_unique<Lab>(config.seed);
    Host &client = lab->addHost(std::move(config.client));
    Host &server = lab->addHost(std::move(config.server));
    VirtualWire &wire = lab->addVirtualWire("wire", config.clientToServer, config.serverToClient);
    lab->attach(client, wire.end(VirtualWire::A));
    lab->attach(server, wire.end(VirtualWire::B));
    return lab;
}

Host &Lab::addHost(HostConfig config)
{
    const auto id = static_cast<HostId>(hosts_.size());
    HostLoggers loggers{logs_.get("arp"), logs_.get("nd"), logs_.get("ip"),
                        logs_.get("icmp"), logs_.get("udp"), logs_.get("tcp")};
    hosts_.push_back(std::make_unique<Host>(id, std::move(config), events_, std::move(loggers)));
    Host &h = *hosts_.back();
    h.setFrameSink(frameSink_);
    h.setSessionSource(sessions_);
    return h;
}

LinkId Lab::addLink(std::unique_ptr<Link> link)
{
    linkIndex_.push_back(link.get());
    links_.push_back(std::move(link));
    return static_cast<LinkId>(linkIndex_.size() - 1);
}

VirtualWire &Lab::addVirtualWire(std::string name, WireConditions aToB, WireConditions bToA)
{
    wires_.push_back(std::make_unique<VirtualWire>(std::move(name), rng_, aToB, bToA));
    VirtualWire &w = *wires_.back();
    linkIndex_.push_back(&w.end(VirtualWire::A));
    linkIndex_.push_back(&w.end(VirtualWire::B));
    return w;
}

void Lab::attach(Host &host, Link &link)
{
    const auto it = std::find(linkIndex_.begin(), linkIndex_.end(), &link);
    LinkId id;
    if (it == linkIndex_.end()) {
        linkIndex_.push_back(&link);  // not owned: the caller keeps it alive
        id = static_cast<LinkId>(linkIndex_.size() - 1);
    } else {
        id = static_cast<LinkId>(it - linkIndex_.begin());
    }
    host.attach(&link, id);
    if (started_) host.announce(now_);
}

Host *Lab::findHost(std::string_view name)
{
    for (auto &h : hosts_)
        if (h->name() == name) return h.get();
    return nullptr;
}

void Lab::setFrameSink(FrameSink *sink)
{
    frameSink_ = sink;
    for (auto &h : hosts_) h->setFrameSink(sink);
}

void Lab::setSessionSource(SessionSource *source)
{
    sessions_ = source;
    for (auto &h : hosts_) h->setSessionSource(source);
}

TcpLayer &Lab::addTcp(Host &host, TcpConfig config)
{
    auto tcp = std::make_unique<TcpLayer>(host.id(), std::move(config), host, host.eventSink(), rng_);
    const TcpLayer *layer = tcp.get();
    tcp->setSessionResolver([&host, layer](const Endpoint &local, const Endpoint &remote) {
        return host.sessionFor(layer->now(), local, remote);
    });
    host.setTcp(tcp.get());
    tcp_.push_back(std::move(tcp));
    return *tcp_.back();
}

void Lab::start(Instant now)
{
    if (shutDown_) return;
    now_ = now;
    started_ = true;
    for (auto &h : hosts_) {
        if (!h->link()) continue;
        Event e;
        e.time = now;
        e.kind = EventKind::LinkState;
        e.host = h->id();
        e.name = h->link()->name();
        e.detail = "host " + h->name() + " (" + h->mac().toString() + ") attached to " + h->link()->name();
        e.fields = {{"state", "up"}, {"mac", h->mac().toString()}};
        events_.onEvent(e);
        h->announce(now);
    }
}

Instant Lab::pollAt() const
{
    if (shutDown_) return kNever;
    Instant t = kNever;
    for (const auto &h : hosts_) t = std::min(t, h->pollAt());
    return t;
}

void Lab::poll(Instant now)
{
    if (shutDown_) return;
    now_ = std::max(now_, now);
    // A zero-latency answer lands at `now` again: go round until nothing more is due, but never
    // forever (two hosts answering each other at zero delay would otherwise spin here).
    for (int round = 0; round < 64; ++round) {
        for (auto &h : hosts_) h->poll(now_);
        if (pollAt() > now_) break;
    }
}

std::vector<int> Lab::fds() const
{
    std::vector<int> out;
    for (const Link *l : linkIndex_)
        if (l->fd() >= 0) out.push_back(l->fd());
    return out;
}

}  // namespace tcplab
