#include "plots/tcp_plots.h"

#include <qcustomplot.h>

#include <algorithm>

#include "services/segment_summary.h"

namespace tcplab::gui {

TcpPlots::TcpPlots(QWidget *parent) : QTabWidget(parent)
{
    seqPlot_ = makePlot(tr("Time (s)"), tr("Relative sequence number"));
    flightPlot_ = makePlot(tr("Time (s)"), tr("Bytes"));
    rttPlot_ = makePlot(tr("Time (s)"), tr("Milliseconds"));
    addTab(seqPlot_, tr("Time-sequence"));
    addTab(flightPlot_, tr("In flight / cwnd"));
    addTab(rttPlot_, tr("RTT"));
    build();
}

QCustomPlot *TcpPlots::makePlot(const QString &xLabel, const QString &yLabel)
{
    auto *plot = new QCustomPlot(this);
    plot->xAxis->setLabel(xLabel);
    plot->yAxis->setLabel(yLabel);
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot->legend->setVisible(true);
    QFont lf = plot->legend->font();
    lf.setPointSizeF(lf.pointSizeF() * 0.75);
    plot->legend->setFont(lf);
    plot->legend->setRowSpacing(-3);
    plot->legend->setIconSize(14, 8);
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    const QPalette pal = palette();
    plot->setBackground(pal.base());
    for (auto *axis : {plot->xAxis, plot->yAxis}) {
        axis->setBasePen(QPen(pal.color(QPalette::Text)));
        axis->setTickPen(QPen(pal.color(QPalette::Text)));
        axis->setSubTickPen(QPen(pal.color(QPalette::Text)));
        axis->setTickLabelColor(pal.color(QPalette::Text));
        axis->setLabelColor(pal.color(QPalette::Text));
    }
    plot->legend->setBrush(pal.base());
    plot->legend->setTextColor(pal.color(QPalette::Text));
    connect(plot, &QCustomPlot::mousePress, this, [this, plot](QMouseEvent *e) {
        if (e->button() == Qt::LeftButton && e->modifiers() & Qt::ShiftModifier)
            emit timeClicked(plot->xAxis->pixelToCoord(e->position().x()));
    });
    connect(plot, &QCustomPlot::mouseDoubleClick, this, [this, plot](QMouseEvent *e) {
        emit timeClicked(plot->xAxis->pixelToCoord(e->position().x()));
    });
    return plot;
}

void TcpPlots::build()
{
    auto graph = [](QCustomPlot *plot, const QString &name, QColor color, QCPGraph::LineStyle line,
                    QCPScatterStyle::ScatterShape shape = QCPScatterStyle::ssNone, double width = 1.5) {
        QCPGraph *g = plot->addGraph();
        g->setName(name);
        g->setPen(QPen(color, width));
        g->setLineStyle(line);
        g->setScatterStyle(QCPScatterStyle(shape, color, color, 5));
        g->setAdaptiveSampling(true);
        return g;
    };
    segments_ = graph(seqPlot_, tr("Segments"), QColor(0x20, 0x50, 0xc0), QCPGraph::lsNone, QCPScatterStyle::ssNone);
    segBars_ = new QCPErrorBars(seqPlot_->xAxis, seqPlot_->yAxis);
    segBars_->setDataPlottable(segments_);
    segBars_->setPen(QPen(QColor(0x20, 0x50, 0xc0), 1.5));
    segBars_->setWhiskerWidth(4);
    segBars_->removeFromLegend();
    retrans_ = graph(seqPlot_, tr("Retransmissions"), QColor(0xd0, 0x20, 0x20), QCPGraph::lsNone, QCPScatterStyle::ssCircle);
    lost_ = graph(seqPlot_, tr("Lost or dropped"), QColor(0xe0, 0x60, 0x00), QCPGraph::lsNone, QCPScatterStyle::ssCross);
    acks_ = graph(seqPlot_, tr("ACK"), QColor(0x30, 0x90, 0x30), QCPGraph::lsStepLeft);
    window_ = graph(seqPlot_, tr("Receive window"), QColor(0xa0, 0x80, 0x10), QCPGraph::lsStepLeft);
    sackTop_ = graph(seqPlot_, tr("SACK blocks"), QColor(0x90, 0x30, 0xb0), QCPGraph::lsNone, QCPScatterStyle::ssNone);
    sackBars_ = new QCPErrorBars(seqPlot_->xAxis, seqPlot_->yAxis);
    sackBars_->setDataPlottable(sackTop_);
    sackBars_->setPen(QPen(QColor(0x90, 0x30, 0xb0), 3));
    sackBars_->removeFromLegend();
    inFlight_ = graph(flightPlot_, tr("Bytes in flight"), QColor(0x20, 0x50, 0xc0), QCPGraph::lsStepLeft, QCPScatterStyle::ssDisc);
    cwnd_ = graph(flightPlot_, tr("cwnd (engine)"), QColor(0x30, 0x90, 0x30), QCPGraph::lsStepLeft);
    ssthresh_ = graph(flightPlot_, tr("ssthresh (engine)"), QColor(0xd0, 0x20, 0x20), QCPGraph::lsStepLeft);
    rtt_ = graph(rttPlot_, tr("RTT samples"), QColor(0x20, 0x50, 0xc0), QCPGraph::lsNone, QCPScatterStyle::ssDisc);
    srtt_ = graph(rttPlot_, tr("SRTT"), QColor(0x30, 0x90, 0x30), QCPGraph::lsStepLeft);
    rto_ = graph(rttPlot_, tr("RTO"), QColor(0xd0, 0x20, 0x20), QCPGraph::lsStepLeft);
    int i = 0;
    for (auto *plot : {seqPlot_, flightPlot_, rttPlot_}) {
        cursor_[i] = new QCPItemStraightLine(plot);
        cursor_[i]->setPen(QPen(palette().color(QPalette::Highlight), 1, Qt::DashLine));
        cursor_[i]->point1->setCoords(-1e9, 0);
        cursor_[i]->point2->setCoords(-1e9, 1);
        ++i;
    }
}

void TcpPlots::setSource(const PacketStore *store, const SessionIndex *index)
{
    store_ = store;
    index_ = index;
    reset();
}

void TcpPlots::setSession(SessionId id)
{
    if (id == session_) return;
    session_ = id;
    reset();
}

void TcpPlots::reset()
{
    arrowsDone_ = 0;
    std::fill(std::begin(seriesDone_), std::end(seriesDone_), 0);
    wsLeft_ = wsRight_ = 0;
    maxT_ = maxSeq_ = maxBytes_ = maxMs_ = 0;
    haveAck_ = false;
    highestAck_ = 0;
    for (auto *plot : {seqPlot_, flightPlot_, rttPlot_})
        for (int g = 0; g < plot->graphCount(); ++g) plot->graph(g)->data()->clear();
    segBars_->data()->clear();
    sackBars_->data()->clear();
    onBatch();
}

void TcpPlots::appendNew()
{
    const SessionData *s = index_ ? index_->find(session_) : nullptr;
    if (!s || !store_) return;
    const double start = double(nanosOf(s->start));
    std::size_t retransPos = std::size_t(std::lower_bound(s->retransmits.begin(), s->retransmits.end(), arrowsDone_) - s->retransmits.begin());
    for (; arrowsDone_ < s->arrows.size(); ++arrowsDone_) {
        const Arrow &a = s->arrows[arrowsDone_];
        const PacketView pv = store_->packet(a.sent);
        const auto seg = summarizeFrame(pv.bytes, pv.originalLength);
        if (!seg.isTcp) continue;
        const bool fromLeft = Endpoint{seg.src, seg.srcPort} == s->left;
        const double t = (double(nanosOf(pv.time)) - start) / 1e9;
        if (seg.flags & kSyn && seg.windowScale >= 0) (fromLeft ? wsLeft_ : wsRight_) = seg.windowScale;
        maxT_ = std::max(maxT_, t);
        if (fromLeft) {
            // The client's data: one I-bar per segment from seq to seq + length.
            const double top = double(std::uint32_t(seg.seq - s->isnLeft + seg.seqLength()));
            const double len = double(seg.seqLength());
            if (len > 0) {
                segments_->addData(t, top);
                maxSeq_ = std::max(maxSeq_, top);
                segBars_->addData(len, 0);
                if (retransPos < s->retransmits.size() && s->retransmits[retransPos] == arrowsDone_) {
                    retrans_->addData(t, top);
                    ++retransPos;
                }
                if (pv.fate == FrameFate::LostOnWire || pv.fate == FrameFate::DroppedByRule) lost_->addData(t, top);
                const std::uint32_t end = seg.seq - s->isnLeft + seg.seqLength();
                if (haveAck_) {
                    const double flight = double(std::int32_t(end - highestAck_));
                    inFlight_->addData(t, flight);
                    maxBytes_ = std::max(maxBytes_, flight);
                }
            }
        } else if (seg.flags & kAck) {
            const auto ack = std::uint32_t(seg.ack - s->isnLeft);
            acks_->addData(t, ack);
            const double edge = double(ack) + double(std::uint32_t(seg.window) << (seg.flags & kSyn ? 0 : wsRight_));
            window_->addData(t, edge);
            maxSeq_ = std::max({maxSeq_, double(ack), edge});
            if (!haveAck_ || std::int32_t(ack - highestAck_) > 0) highestAck_ = ack;
            haveAck_ = true;
            for (int b = 0; b < seg.sackCount; ++b) {
                const double lo = std::uint32_t(seg.sack[b][0] - s->isnLeft), hi = std::uint32_t(seg.sack[b][1] - s->isnLeft);
                sackTop_->addData(t, hi);
                sackBars_->addData(hi - lo, 0);
            }
        }
    }
    auto series = [&](const std::vector<SeriesPoint> &v, std::size_t &done, QCPGraph *g, double &maxY) {
        for (; done < v.size(); ++done) {
            g->addData(v[done].t, v[done].v);
            maxY = std::max(maxY, v[done].v);
            maxT_ = std::max(maxT_, v[done].t);
        }
    };
    series(s->series.cwnd, seriesDone_[0], cwnd_, maxBytes_);
    series(s->series.ssthresh, seriesDone_[1], ssthresh_, maxBytes_);
    series(s->series.rtt, seriesDone_[2], rtt_, maxMs_);
    series(s->series.srtt, seriesDone_[3], srtt_, maxMs_);
    series(s->series.rto, seriesDone_[4], rto_, maxMs_);
}

void TcpPlots::onBatch()
{
    const std::size_t before = arrowsDone_;
    const std::size_t seriesBefore = seriesDone_[0] + seriesDone_[1] + seriesDone_[2] + seriesDone_[3] + seriesDone_[4];
    appendNew();
    const std::size_t seriesAfter = seriesDone_[0] + seriesDone_[1] + seriesDone_[2] + seriesDone_[3] + seriesDone_[4];
    if (arrowsDone_ == before && seriesAfter == seriesBefore && before != 0) return;
    // Ranges grow with the data (tracked while appending): no pass over every point per batch.
    auto fit = [](QCustomPlot *plot, double maxX, double maxY) {
        plot->xAxis->setRange(0, std::max(1e-3, maxX * 1.05));
        plot->yAxis->setRange(0, std::max(1.0, maxY * 1.1));
        plot->replot(QCustomPlot::rpQueuedReplot);
    };
    fit(seqPlot_, maxT_, maxSeq_);
    fit(flightPlot_, maxT_, maxBytes_);
    fit(rttPlot_, maxT_, maxMs_);
}

void TcpPlots::markTime(double seconds)
{
    for (auto *c : cursor_) {
        c->point1->setCoords(seconds, 0);
        c->point2->setCoords(seconds, 1);
        c->parentPlot()->replot(QCustomPlot::rpQueuedReplot);
    }
}

void TcpPlots::showTimeRange(double from, double to)
{
    if (!(to > from)) return;
    for (auto *plot : {seqPlot_, flightPlot_, rttPlot_}) {
        plot->xAxis->setRange(from, to);
        plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

}  // namespace tcplab::gui
