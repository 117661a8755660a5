#include "services/engine_bridge.h"

#include <spdlog/spdlog.h>

namespace tcplab::gui {

EngineBridge::EngineBridge(std::unique_ptr<LabDriver> lab, QObject *parent)
    : QObject(parent), lab_(std::move(lab)), logSink_(std::make_shared<GuiLogSink>())
{
    lab_->setLogSink(logSink_);
    timer_.setInterval(16);  // at most ~60 batches a second
    connect(&timer_, &QTimer::timeout, this, &EngineBridge::drain);
    timer_.start();
    wall_.start();
}

EngineBridge::~EngineBridge() { timer_.stop(); }

void EngineBridge::runFor(Duration virtualTime)
{
    lab_->runFor(virtualTime);
    drain();
}

void EngineBridge::restart()
{
    lab_->stop();
    lab_->start();
    drain();
}

void EngineBridge::drain()
{
    lab_->tick(Duration(wall_.nsecsElapsed()));
    if (lab_->generation() != generation_) {
        // A fresh store: everything derived from the old one goes.
        generation_ = lab_->generation();
        index_.clear();
        notesSeen_ = 0;
        emit cleared();
    }
    wall_.restart();
    events_.clear();
    droppedEvents_ += lab_->drainEvents(events_);
    const auto before = index_.seen();
    auto result = index_.ingest(lab_->packets(), events_);
    // Notes can arrive without new frames (analysis labels from the store's LabelWorker, a moment
    // after the frames): the views repaint for them too.
    const std::uint64_t notes = lab_->packets().annotationCount();
    const bool newNotes = notes != notesSeen_;
    notesSeen_ = notes;
    if (index_.seen() != before || !events_.empty() || newNotes) emit batchIngested(result);
    if (!events_.empty()) emit eventsArrived(events_);
    std::vector<LogLine> lines;
    if (auto dropped = logSink_->take(lines)) {
        lines.push_back({0, int(spdlog::level::warn), "gui", std::to_string(dropped) + " log lines dropped"});
    }
    if (!lines.empty()) emit logLines(lines);
    emit statusChanged(lab_->status());
}

}  // namespace tcplab::gui
