// The three per-session plots (QCustomPlot): the time-sequence graph (Stevens/tcptrace style:
// segments as I-bars, ACK line, receive-window line, SACK blocks, retransmissions marked), bytes in
// flight with the sender's cwnd and ssthresh from the engine's own TCB, and RTT samples with SRTT
// and RTO. Each batch only appends the new points; a replot is queued, never forced. The cwnd plot
// reads the engine's WindowChange events, the RTT plot its RttSample events ("rtt-sample": sample,
// SRTT, RTO; "rto": a backoff), both of the session's client end, through SessionIndex's series.
#pragma once

#include <QTabWidget>

#include "capture/packet_store.h"
#include "models/session_index.h"

class QCustomPlot;
class QCPGraph;
class QCPErrorBars;
class QCPItemStraightLine;

namespace tcplab::gui {

class TcpPlots : public QTabWidget {
    Q_OBJECT
public:
    explicit TcpPlots(QWidget *parent = nullptr);
    void setSource(const PacketStore *store, const SessionIndex *index);
    void setSession(SessionId id);
    std::size_t pointsPlotted() const { return arrowsDone_; }
    QCustomPlot *timeSequencePlot() const { return seqPlot_; }
    QCustomPlot *rttPlot() const { return rttPlot_; } // graphs: RTT samples, SRTT, RTO

public slots:
    void onBatch();
    void markTime(double seconds);
    void showTimeRange(double from, double to);
    void reset();

signals:
    void timeClicked(double seconds);

private:
    struct Graphs;
    void build();
    void appendNew();
    QCustomPlot *makePlot(const QString &xLabel, const QString &yLabel);

    const PacketStore *store_ = nullptr;
    const SessionIndex *index_ = nullptr;
    SessionId session_ = kNoSession;
    std::size_t arrowsDone_ = 0;
    std::size_t seriesDone_[5] = {};
    int wsLeft_ = 0, wsRight_ = 0;
    std::uint32_t highestAck_ = 0;
    bool haveAck_ = false;
    double maxT_ = 0, maxSeq_ = 0, maxBytes_ = 0, maxMs_ = 0;
    QCustomPlot *seqPlot_, *flightPlot_, *rttPlot_;
    QCPGraph *segments_, *retrans_, *acks_, *window_, *sackTop_, *lost_;
    QCPErrorBars *segBars_, *sackBars_;
    QCPGraph *inFlight_, *cwnd_, *ssthresh_;
    QCPGraph *rtt_, *srtt_, *rto_;
    QCPItemStraightLine *cursor_[3] = {};
};

}  // namespace tcplab::gui
