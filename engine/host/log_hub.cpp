#include "host/log_hub.h"

#include <string>

namespace tcplab {

LogHub::LogHub(spdlog::level::level_enum level) : dist_(std::make_shared<spdlog::sinks::dist_sink_mt>())
{
    for (std::size_t i = 0; i < kModules.size(); ++i) {
        loggers_[i] = std::make_shared<spdlog::logger>(std::string(kModules[i]), dist_);
        loggers_[i]->set_level(level);
        loggers_[i]->flush_on(spdlog::level::warn);
    }
}

std::shared_ptr<spdlog::logger> LogHub::get(std::string_view module) const
{
    for (std::size_t i = 0; i < kModules.size(); ++i)
        if (kModules[i] == module) return loggers_[i];
    return loggers_[9];  // host
}

bool LogHub::setLevel(std::string_view module, spdlog::level::level_enum level)
{
    const bool all = module == "all" || module == "*";
    bool found = false;
    for (std::size_t i = 0; i < kModules.size(); ++i) {
        if (all || kModules[i] == module) {
            loggers_[i]->set_level(level);
            found = true;
        }
    }
    return found;
}

void LogHub::flush()
{
    for (auto &l : loggers_) l->flush();
}

std::optional<spdlog::level::level_enum> LogHub::parseLevel(std::string_view text)
{
    if (text == "warning") return spdlog::level::warn;
    const auto level = spdlog::level::from_str(std::string(text));
    // from_str answers "off" for anything it does not know.
    if (level == spdlog::level::off && text != "off") return std::nullopt;
    return level;
}

}  // namespace tcplab
