// One spdlog logger per engine module (link, arp, nd, ip, icmp, udp, tcp, rules, capture, host,
// cli), owned by the Lab rather than spdlog's global registry, so two labs never share state.
// All loggers write to one distributing sink: the CLI adds a stderr sink, the GUI its log dock.
// Levels may change at any time from any thread (spdlog levels are atomic).
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string_view>

#include <spdlog/logger.h>
#include <spdlog/sinks/dist_sink.h>

namespace tcplab {

class LogHub {
public:
    static constexpr std::array<std::string_view, 11> kModules{"link", "arp",   "nd",      "ip",   "icmp", "udp",
                                                              "tcp",  "rules", "capture", "host", "cli"};

    explicit LogHub(spdlog::level::level_enum level = spdlog::level::warn);

    // The module's logger; an unknown name gets the "host" logger.
    std::shared_ptr<spdlog::logger> get(std::string_view module) const;
    // "all" (or "*") sets every module. False when the module is unknown.
    bool setLevel(std::string_view module, spdlog::level::level_enum level);
    // Thread-safe: the sink list is the distributing sink's, behind its own mutex.
    void addSink(spdlog::sink_ptr sink) { dist_->add_sink(std::move(sink)); }
    void removeSink(const spdlog::sink_ptr &sink) { dist_->remove_sink(sink); }
    void flush();

    // "trace", "debug", "info", "warn"/"warning", "error", "critical", "off".
    static std::optional<spdlog::level::level_enum> parseLevel(std::string_view text);

private:
    std::shared_ptr<spdlog::sinks::dist_sink_mt> dist_;
    std::array<std::shared_ptr<spdlog::logger>, kModules.size()> loggers_;
};

}  // namespace tcplab
