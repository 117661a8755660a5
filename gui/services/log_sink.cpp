#include "services/log_sink.h"

namespace tcplab::gui {

void GuiLogSink::sink_it_(const spdlog::details::log_msg &msg)
{
    LogLine line;
    line.wallMs = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
    line.level = int(msg.level);
    line.logger.assign(msg.logger_name.data(), msg.logger_name.size());
    line.message.assign(msg.payload.data(), msg.payload.size());
    std::lock_guard lock(queueMutex_);
    if (queue_.size() >= capacity_) {
        ++dropped_;
        return;
    }
    queue_.push_back(std::move(line));
}

std::size_t GuiLogSink::take(std::vector<LogLine> &out)
{
    std::lock_guard lock(queueMutex_);
    out.insert(out.end(), std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
    queue_.clear();
    return std::exchange(dropped_, 0);
}

}  // namespace tcplab::gui
