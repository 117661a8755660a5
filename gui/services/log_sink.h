// A spdlog sink that any thread may log into; the GUI thread takes what gathered in one batch.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include <spdlog/sinks/base_sink.h>

namespace tcplab::gui {

struct LogLine {
    std::int64_t wallMs = 0;  // milliseconds since the epoch (spdlog's own time stamp)
    int level = 0;            // spdlog::level::level_enum
    std::string logger;
    std::string message;
};

class GuiLogSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    explicit GuiLogSink(std::size_t capacity = 20000) : capacity_(capacity) {}
    // Moves the lines gathered since the last call; returns how many were dropped for lack of room.
    std::size_t take(std::vector<LogLine> &out);

protected:
    void sink_it_(const spdlog::details::log_msg &msg) override;
    void flush_() override {}

private:
    std::mutex queueMutex_;
    std::vector<LogLine> queue_;
    std::size_t capacity_;
    std::size_t dropped_ = 0;
};

}  // namespace tcplab::gui
