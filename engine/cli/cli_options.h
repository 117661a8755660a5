// tcplab-cli's command line. The contract scripts rely on (see README and issue 2):
//
//   tcplab-cli --tap NAME --ip4 ADDR/PREFIX [--ip6 ADDR/PREFIX] [--mac MAC] [--gateway4 ADDR]
//              [--gateway6 ADDR] [--listen PORT[/udp]:SERVICE ...] [--events FILE] [--duration SECONDS]
//              [--log-level LEVEL] [--seed N]
//   tcplab-cli --demo [...]
//
// Built-in options live in a table (cli_options.cpp). Other layers add theirs without touching
// this file: a CliExtension (one small file each, listed in cli_extensions.cpp) brings options,
// a set-up step that runs on the lab before the engine starts, a handler for `--listen` specs
// it understands (TCP services), and a finish step after the engine stops.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.h"
#include "wire/addresses.h"

namespace tcplab {

class Lab;
class EngineHost;

struct ListenSpec {
    std::uint16_t port = 0;
    bool udp = false;       // "7/udp:echo"; TCP otherwise ("80:http")
    std::string service;
    std::string text;       // as given, for messages
};

struct CliOptions {
    enum class Mode { None, Tap, Demo } mode = Mode::None;
    std::string tap;
    std::optional<IpPrefix> ip4, ip6;
    std::optional<MacAddr> mac;
    std::optional<Ip4Addr> gateway4;
    std::optional<Ip6Addr> gateway6;
    bool offload = true;  // --offload auto|off: IFF_VNET_HDR checksum and segmentation offload
    std::vector<ListenSpec> listens;
    std::string eventsPath;
    std::optional<double> durationSeconds;
    std::string logLevel = "warn";
    std::uint64_t seed = 1;
    bool help = false, version = false;
};

// One option: `--name VALUE` (takesValue) or `--name`. apply() returns an error naming the
// problem ("--ip4: expected ADDR/PREFIX, got \"x\"").
struct CliOption {
    std::string name;      // without the dashes
    std::string valueName; // "" for a flag
    std::string help;
    std::function<Status(CliOptions &options, std::string_view value)> apply;
};

// What the CLI hands an extension once the lab exists (before the engine thread starts: direct
// access to the lab is safe in setup() and listen()).
struct CliContext {
    const CliOptions &options;
    Lab &lab;
    EngineHost &engine;
    std::ostream &out;  // stdout (the ready line and stats)
};

struct CliExtension {
    std::string name;
    std::vector<CliOption> options;
    // After every option was read: combinations of this extension's options that make no sense,
    // reported like any other usage error (exit 2, before anything starts).
    std::function<Status()> check;
    std::function<Status(CliContext &)> setup;
    // Returns nullopt when the spec is not this extension's (e.g. UDP for the TCP extension).
    std::function<std::optional<Status>(CliContext &, const ListenSpec &)> listen;
    std::function<void(CliContext &)> finish;  // after the engine stopped: flush files
    // Extra words for the ready line ("pcap=out.pcapng").
    std::function<std::string()> readyNote;
};

// The extensions compiled in (cli_extensions.cpp).
std::vector<CliExtension> cliExtensions();

// Parses argv (without argv[0]). Errors are one line.
Expected<CliOptions> parseCliArgs(const std::vector<std::string> &args, std::vector<CliExtension> &extensions);
std::string cliUsage(const std::vector<CliExtension> &extensions);

// "7/udp:echo", "80:http".
Expected<ListenSpec> parseListenSpec(std::string_view text);

// A count written in decimal digits only ("1500"; not "-1", "1e3", "12abc" or one past 2^64 - 1).
std::optional<std::uint64_t> parseCount(std::string_view text);

}  // namespace tcplab
