// The GUI's end of the engine: owns the lab, drains its events and the packet store's new records
// at most 60 times a second (one QTimer), and hands each batch to the models in one go.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <memory>

#include "models/session_index.h"
#include "services/log_sink.h"
#include "services/lab_driver.h"

namespace tcplab::gui {

class EngineBridge : public QObject {
    Q_OBJECT
public:
    explicit EngineBridge(std::unique_ptr<LabDriver> lab, QObject *parent = nullptr);
    ~EngineBridge() override;

    LabDriver &lab() { return *lab_; }
    const PacketStore &packets() const { return lab_->packets(); }
    const SessionIndex &sessions() const { return index_; }
    // The events of the batch being handed out (valid during batchIngested).
    const std::vector<Event> &batchEvents() const { return events_; }
    std::shared_ptr<GuiLogSink> logSink() const { return logSink_; }

    // Runs the lab for `virtualTime` and ingests everything at once (screenshots, tests).
    void runFor(Duration virtualTime);
    // One batch now (what the timer does).
    void drain();
    void restart();

signals:
    // Emitted once per batch, after the session index took the batch in.
    void batchIngested(const tcplab::gui::IngestResult &result);
    void logLines(const std::vector<tcplab::gui::LogLine> &lines);
    void eventsArrived(const std::vector<tcplab::Event> &events);
    void statusChanged(const tcplab::gui::LabStatus &status);
    void cleared();

private:
    std::unique_ptr<LabDriver> lab_;
    SessionIndex index_;
    std::shared_ptr<GuiLogSink> logSink_;
    QTimer timer_;
    QElapsedTimer wall_;
    std::vector<Event> events_;
    std::uint64_t droppedEvents_ = 0;
    std::uint64_t generation_ = 0;
    std::uint64_t notesSeen_ = 0; // the store's annotationCount() at the last batch
};

}  // namespace tcplab::gui
