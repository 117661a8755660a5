#include "cli/cli_options.h"

#include <charconv>
#include <cmath>
#include <sstream>

#include "host/log_hub.h"

namespace tcplab {

namespace {

Status bad(std::string_view option, std::string_view expected, std::string_view got)
{
    return Error{"--" + std::string(option) + ": expected " + std::string(expected) + ", got \"" + std::string(got) + "\""};
}

template <class T>
bool parseNumber(std::string_view text, T &out)
{
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

std::vector<CliOption> builtinOptions()
{
    return {
        {"tap", "NAME", "attach to the tap device NAME (it must exist or be creatable)",
         [](CliOptions &o, std::string_view v) -> Status {
             if (o.mode == CliOptions::Mode::Demo) return Error{"--tap and --demo exclude each other"};
             o.mode = CliOptions::Mode::Tap;
             o.tap = std::string(v);
             return okStatus();
         }},
        {"offload", "auto|off",
         "tap mode: use checksum and TCP segmentation offload (IFF_VNET_HDR, 64 KB segments) when the tap "
         "allows it (auto, the default), or never (off)",
         [](CliOptions &o, std::string_view v) -> Status {
             if (v == "auto") o.offload = true;
             else if (v == "off") o.offload = false;
             else return bad("offload", "auto or off", v);
             return okStatus();
         }},
        {"demo", "", "run the two-host demo network (client 198.18.0.1, server 198.18.0.2) instead of a tap",
         [](CliOptions &o, std::string_view) -> Status {
             if (o.mode == CliOptions::Mode::Tap) return Error{"--tap and --demo exclude each other"};
             o.mode = CliOptions::Mode::Demo;
             return okStatus();
         }},
        {"ip4", "ADDR/PREFIX", "the engine's IPv4 address and on-link prefix (tap mode), e.g. 198.18.0.2/24",
         [](CliOptions &o, std::string_view v) -> Status {
             auto p = IpPrefix::parse(v);
             if (!p || !p->addr.isV4() || p->length > 32) return bad("ip4", "an IPv4 ADDR/PREFIX such as 198.18.0.2/24", v);
             o.ip4 = p;
             return okStatus();
         }},
        {"ip6", "ADDR/PREFIX", "the engine's IPv6 address and on-link prefix, e.g. 2001:db8::2/64",
         [](CliOptions &o, std::string_view v) -> Status {
             auto p = IpPrefix::parse(v);
             if (!p || !p->addr.isV6() || p->length > 128) return bad("ip6", "an IPv6 ADDR/PREFIX such as 2001:db8::2/64", v);
             o.ip6 = p;
             return okStatus();
         }},
        {"mac", "MAC", "the engine's MAC address (default: 02:54:4c and the IPv4 address's last 3 bytes)",
         [](CliOptions &o, std::string_view v) -> Status {
             auto m = MacAddr::parse(v);
             if (!m || m->isMulticast()) return bad("mac", "a unicast MAC such as 02:00:00:00:00:02", v);
             o.mac = m;
             return okStatus();
         }},
        {"gateway4", "ADDR", "default IPv4 gateway (must be inside --ip4's prefix)",
         [](CliOptions &o, std::string_view v) -> Status {
             auto a = Ip4Addr::parse(v);
             if (!a) return bad("gateway4", "an IPv4 address", v);
             o.gateway4 = a;
             return okStatus();
         }},
        {"gateway6", "ADDR", "default IPv6 gateway (inside --ip6's prefix, or a link-local fe80:: address)",
         [](CliOptions &o, std::string_view v) -> Status {
             auto a = Ip6Addr::parse(v);
             if (!a || a->isUnspecified() || a->isMulticast() || a->isLoopback())
                 return bad("gateway6", "a unicast IPv6 address", v);
             o.gateway6 = a;
             return okStatus();
         }},
        {"listen", "PORT[/udp]:SERVICE", "start SERVICE on PORT (repeatable): 7/udp:echo",
         [](CliOptions &o, std::string_view v) -> Status {
             auto spec = parseListenSpec(v);
             if (!spec) return spec.error();
             o.listens.push_back(*spec);
             return okStatus();
         }},
        {"events", "FILE", "write every event as JSON Lines to FILE",
         [](CliOptions &o, std::string_view v) -> Status {
             if (v.empty()) return bad("events", "a file name", v);
             o.eventsPath = std::string(v);
             return okStatus();
         }},
        {"duration", "SECONDS", "stop after SECONDS (default: run until SIGINT/SIGTERM)",
         [](CliOptions &o, std::string_view v) -> Status {
             double d = 0;
             std::istringstream in{std::string(v)};
             in >> d;
             if (!in || !in.eof() || !(d > 0) || !std::isfinite(d)) return bad("duration", "a positive number of seconds", v);
             o.durationSeconds = d;
             return okStatus();
         }},
        {"log-level", "LEVEL", "trace, debug, info, warn, error, critical or off (default warn)",
         [](CliOptions &o, std::string_view v) -> Status {
             if (!LogHub::parseLevel(v)) return bad("log-level", "trace|debug|info|warn|error|critical|off", v);
             o.logLevel = std::string(v);
             return okStatus();
         }},
        {"seed", "N", "seed of the lab's random choices (default 1)",
         [](CliOptions &o, std::string_view v) -> Status {
             if (!parseNumber(v, o.seed)) return bad("seed", "a non-negative integer", v);
             return okStatus();
         }},
        {"help", "", "show this help and exit", [](CliOptions &o, std::string_view) -> Status {
             o.help = true;
             return okStatus();
         }},
        {"version", "", "show the version and exit", [](CliOptions &o, std::string_view) -> Status {
             o.version = true;
             return okStatus();
         }},
    };
}

const CliOption *findOption(const std::vector<CliOption> &table, std::string_view name)
{
    for (const auto &o : table)
        if (o.name == name) return &o;
    return nullptr;
}

}  // namespace

std::optional<std::uint64_t> parseCount(std::string_view text)
{
    std::uint64_t n = 0;
    if (text.empty() || !parseNumber(text, n)) return std::nullopt; // from_chars takes no sign for unsigned
    return n;
}

Expected<ListenSpec> parseListenSpec(std::string_view text)
{
    ListenSpec spec;
    spec.text = std::string(text);
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || colon + 1 >= text.size())
        return Error{"--listen: expected PORT[/udp]:SERVICE such as 7/udp:echo, got \"" + spec.text + "\""};
    std::string_view port = text.substr(0, colon);
    spec.service = std::string(text.substr(colon + 1));
    if (const auto slash = port.find('/'); slash != std::string_view::npos) {
        const auto proto = port.substr(slash + 1);
        if (proto == "udp") spec.udp = true;
        else if (proto != "tcp")
            return Error{"--listen: protocol must be udp or tcp, got \"" + std::string(proto) + "\" in \"" + spec.text + "\""};
        port = port.substr(0, slash);
    }
    unsigned value = 0;
    if (!parseNumber(port, value) || value == 0 || value > 65535)
        return Error{"--listen: port must be 1 to 65535, got \"" + std::string(port) + "\" in \"" + spec.text + "\""};
    spec.port = static_cast<std::uint16_t>(value);
    return spec;
}

Expected<CliOptions> parseCliArgs(const std::vector<std::string> &args, std::vector<CliExtension> &extensions)
{
    const std::vector<CliOption> builtin = builtinOptions();
    CliOptions options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        if (arg.substr(0, 2) != "--" || arg.size() == 2)
            return Error{"unexpected argument \"" + args[i] + "\" (options start with --; see --help)"};
        arg.remove_prefix(2);
        std::optional<std::string_view> inlineValue;
        if (const auto eq = arg.find('='); eq != std::string_view::npos) {
            inlineValue = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
        }
        const CliOption *opt = findOption(builtin, arg);
        for (auto it = extensions.begin(); !opt && it != extensions.end(); ++it) opt = findOption(it->options, arg);
        if (!opt) return Error{"unknown option --" + std::string(arg) + " (see --help)"};
        std::string_view value;
        if (!opt->valueName.empty()) {
            if (inlineValue) value = *inlineValue;
            else if (i + 1 < args.size()) value = args[++i];
            else return Error{"--" + opt->name + " needs a value (" + opt->valueName + ")"};
        } else if (inlineValue) {
            return Error{"--" + opt->name + " takes no value"};
        }
        if (auto s = opt->apply(options, value); !s) return s.error();
    }
    if (options.help || options.version) return options;
    if (options.mode == CliOptions::Mode::None) return Error{"choose --tap NAME or --demo (see --help)"};
    if (options.mode == CliOptions::Mode::Tap && !options.ip4) return Error{"--tap needs --ip4 ADDR/PREFIX"};
    if (options.mode == CliOptions::Mode::Demo &&
        (options.ip4 || options.ip6 || options.mac || options.gateway4 || options.gateway6))
        return Error{"--ip4, --ip6, --mac, --gateway4 and --gateway6 apply to --tap only"};
    if (options.gateway4 && options.ip4 && !options.ip4->contains(IpAddr(*options.gateway4)))
        return Error{"--gateway4 " + options.gateway4->toString() + " is not inside --ip4 " + options.ip4->toString()};
    if (options.gateway6 && !options.ip6)
        return Error{"--gateway6 " + options.gateway6->toString() +
                     " needs --ip6 ADDR/PREFIX (a source address beyond the link)"};
    // The gateway must be on the link: inside our prefix, or link-local (what routers advertise,
    // RFC 4861 section 4.2: "Source Address MUST be the link-local address").
    if (options.gateway6 && options.ip6 && !options.gateway6->isLinkLocal() &&
        !options.ip6->contains(IpAddr(*options.gateway6)))
        return Error{"--gateway6 " + options.gateway6->toString() + " is neither inside --ip6 " +
                     options.ip6->toString() + " nor link-local (fe80::/10)"};
    for (const CliExtension &e : extensions)
        if (e.check)
            if (auto s = e.check(); !s) return s.error();
    return options;
}

std::string cliUsage(const std::vector<CliExtension> &extensions)
{
    std::ostringstream out;
    out << "usage: tcplab-cli --tap NAME --ip4 ADDR/PREFIX [options]\n"
           "       tcplab-cli --demo [options]\n\n"
           "Runs the TCP Lab engine headless: attached to a tap device (the Linux kernel on the other side)\n"
           "or on the built-in two-host demo network. Prints a line starting with \"ready\" once attached and\n"
           "listening, runs until --duration passes or SIGINT/SIGTERM, then prints counters and exits 0.\n\n"
           "options:\n";
    auto print = [&](const CliOption &o) {
        std::string left = "  --" + o.name + (o.valueName.empty() ? "" : " " + o.valueName);
        if (left.size() < 32) left.resize(32, ' ');
        else left += "\n" + std::string(32, ' ');
        out << left << o.help << '\n';
    };
    for (const auto &o : builtinOptions()) print(o);
    for (const auto &e : extensions)
        for (const auto &o : e.options) print(o);
    return out.str();
}

}  // namespace tcplab
