#include "services/lab_switch.h"

namespace tcplab::gui {

LabSwitch::LabSwitch(std::unique_ptr<LabDriver> demo)
    : demo_(std::move(demo)), tap_(std::make_unique<HostLab>()), active_(demo_.get())
{
}

std::uint64_t LabSwitch::generation() const
{
    return base_ + active_->generation();
}

void LabSwitch::setMode(LabMode mode)
{
    LabDriver *next = mode == LabMode::Tap ? static_cast<LabDriver *>(tap_.get()) : demo_.get();
    if (next == active_) return;
    active_->stop();
    // Unsigned arithmetic wraps, so the sum is exactly one more than before the switch.
    const std::uint64_t before = generation();
    active_ = next;
    base_ = before + 1 - active_->generation();
}

std::uint64_t LabSwitch::drainEvents(std::vector<Event> &out)
{
    // The lab left behind may still hold a note (its link going down): deliver it too.
    LabDriver *other = active_ == demo_.get() ? static_cast<LabDriver *>(tap_.get()) : demo_.get();
    std::uint64_t dropped = other->drainEvents(out);
    return dropped + active_->drainEvents(out);
}

void LabSwitch::setLogSink(std::shared_ptr<spdlog::sinks::sink> sink)
{
    demo_->setLogSink(sink);
    tap_->setLogSink(std::move(sink));
}

bool LabSwitch::openCapture(const std::string &path, std::string *error)
{
    // Captures open in the demo lab's viewer; a tap lab lets go of its device first.
    setMode(LabMode::Demo);
    return demo_->openCapture(path, error);
}

} // namespace tcplab::gui
