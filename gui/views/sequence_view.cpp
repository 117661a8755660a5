#include "views/sequence_view.h"

#include <algorithm>
#include <limits>

#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QToolTip>

#include "services/segment_summary.h"
#include "views/sequence_labels.h"

namespace tcplab::gui {
namespace {

constexpr double kLabelRowMin = 14; // below this row height labels are thinned out
constexpr double kDenseRowMax = 3;  // below this, one mark per pixel row and no labels

// Qt's raster engine hands fills and lines taller than ~96 pixel rows to a thread pool; on a busy
// machine the hand-off costs more than the drawing. Painting tall things as short strips keeps every
// repaint on the GUI thread.
constexpr double kStrip = 64;

void fillStrips(QPainter &p, const QRectF &r, const QBrush &brush)
{
    for (double y = r.top(); y < r.bottom(); y += kStrip)
        p.fillRect(QRectF(r.left(), y, r.width(), std::min(kStrip, r.bottom() - y)), brush);
}

void drawVLine(QPainter &p, double x, double y0, double y1)
{
    for (double y = y0; y < y1; y += kStrip)
        p.drawLine(QPointF(x, y), QPointF(x, std::min(y + kStrip, y1)));
}

// A line in pieces at most kStrip pixel rows tall (see above).
void drawLineInStrips(QPainter &p, QPointF a, QPointF b)
{
    const int pieces = std::max(1, int(std::ceil(std::abs(b.y() - a.y()) / kStrip)));
    for (int i = 0; i < pieces; ++i)
        p.drawLine(a + (b - a) * (double(i) / pieces), a + (b - a) * (double(i + 1) / pieces));
}

void drawArrowHead(QPainter &p, QPointF from, QPointF to, double size)
{
    const QLineF line(to, from);
    if (line.length() < 1) return;
    QLineF a = line, b = line;
    a.setLength(size);
    b.setLength(size);
    a.setAngle(line.angle() + 22);
    b.setAngle(line.angle() - 22);
    QPolygonF head{to, a.p2(), b.p2()};
    p.setBrush(p.pen().color());
    p.drawPolygon(head);
    p.setBrush(Qt::NoBrush);
}

void drawCross(QPainter &p, QPointF c, double r, const QColor &color)
{
    p.save();
    p.setPen(QPen(color, 2.5));
    p.drawLine(c + QPointF(-r, -r), c + QPointF(r, r));
    p.drawLine(c + QPointF(-r, r), c + QPointF(r, -r));
    p.restore();
}

void drawBadge(QPainter &p, QPointF centre, const QString &text, const QColor &bg, const QColor &fg)
{
    const QFontMetricsF fm(p.font());
    const double w = fm.horizontalAdvance(text) + 10, h = fm.height() + 2;
    const QRectF r(centre.x() - w / 2, centre.y() - h / 2, w, h);
    p.save();
    p.setPen(QPen(bg.darker(140), 1));
    p.setBrush(bg);
    p.drawRoundedRect(r, 4, 4);
    p.setPen(fg);
    p.drawText(r, Qt::AlignCenter, text);
    p.restore();
}

} // namespace

SequenceView::SequenceView(QWidget *parent) : QAbstractScrollArea(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    verticalScrollBar()->setSingleStep(int(rowHeight_));
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setMinimumSize(420, 240);
}

void SequenceView::setSource(const PacketStore *store, const SessionIndex *index)
{
    store_ = store;
    index_ = index;
    reset();
}

void SequenceView::reset()
{
    selected_ = kNoArrow;
    updateScrollRange();
    viewport()->update();
}

void SequenceView::setSession(SessionId id)
{
    if (id == session_) return;
    session_ = id;
    selected_ = kNoArrow;
    updateScrollRange();
    verticalScrollBar()->setValue(0);
    viewport()->update();
    emitVisibleRange();
}

const SessionData *SequenceView::data() const
{
    return index_ && store_ ? index_->find(session_) : nullptr;
}

SequenceLayout SequenceView::layout(double width) const
{
    SequenceGeometry g;
    g.rowHeight = rowHeight_;
    g.width = width;
    // Columns follow the current font (presentation mode enlarges it): the time column holds the
    // widest stamp in the rows' font, the state column the widest RFC 9293 state name in the badges'
    // font, so neither is cut; the lifelines sit inside them.
    QFont rowFont = font();
    rowFont.setPointSizeF(font().pointSizeF() * 0.92);
    const QFontMetricsF rowFm(rowFont);
    const QString widestTime =
        relativeTime_ ? QStringLiteral("0000.000000") : QStringLiteral("0000000.000000");
    const double timeText = std::max(
        rowFm.horizontalAdvance(widestTime),
        QFontMetricsF(font()).horizontalAdvance(relativeTime_ ? tr("Time (s)") : tr("Lab time (s)")));
    g.timeColumn = std::ceil(timeText) + 12;
    g.stateColumn = std::ceil(badgeWidth()) + 16;
    // A narrow view keeps room between the lifelines; the badges elide there, as before.
    const double maxSide = std::max(90.0, (width - 160) / 2);
    if (g.timeColumn + g.stateColumn > maxSide) {
        g.stateColumn = std::max(60.0, maxSide - g.timeColumn);
        g.timeColumn = std::max(40.0, maxSide - g.stateColumn);
    }
    const QFontMetricsF headFm(font());
    g.top = std::max(58.0, std::ceil(2 * headFm.height() + 14));
    return SequenceLayout(g);
}

QFont SequenceView::badgeFont() const
{
    QFont f = font();
    f.setPointSizeF(font().pointSizeF() * 0.85);
    return f;
}

double SequenceView::badgeWidth() const
{
    static const char *const kStates[] = {"CLOSED",      "LISTEN",     "SYN-SENT",   "SYN-RECEIVED",
                                          "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT",
                                          "CLOSING",     "LAST-ACK",   "TIME-WAIT"};
    const QFontMetricsF fm(badgeFont());
    double w = 0;
    for (const char *name : kStates)
        w = std::max(w, fm.horizontalAdvance(QString::fromLatin1(name)));
    return w + 10;
}

void SequenceView::changeEvent(QEvent *event)
{
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        updateScrollRange();
        viewport()->update();
    }
}

void SequenceView::setRelativeTime(bool relative)
{
    relativeTime_ = relative;
    viewport()->update();
}

void SequenceView::setRelativeSeq(bool relative)
{
    relativeSeq_ = relative;
    viewport()->update();
}

void SequenceView::setRowHeight(double px)
{
    px = std::clamp(px, 0.05, 120.0);
    if (px == rowHeight_) return;
    // Keep the selected (or the top) row where it is on screen.
    const auto *s = data();
    const double anchorRow =
        selected_ != kNoArrow ? double(selected_) : (verticalScrollBar()->value() - 58.0) / rowHeight_;
    const double offset = s ? layout(viewport()->width()).rowY(std::size_t(std::max(0.0, anchorRow))) -
                                  verticalScrollBar()->value()
                            : 0;
    rowHeight_ = px;
    updateScrollRange();
    if (s) scrollToContentY(layout(viewport()->width()).rowY(std::size_t(std::max(0.0, anchorRow))) - offset);
    verticalScrollBar()->setSingleStep(std::max(1, int(rowHeight_)));
    viewport()->update();
}

void SequenceView::updateScrollRange()
{
    const auto *s = data();
    const double content = s ? layout(viewport()->width()).contentHeight(s->arrows.size()) : 0;
    const double max = std::max(0.0, content - viewport()->height());
    verticalScrollBar()->setRange(0, int(std::min(max, 2.0e9)));
    verticalScrollBar()->setPageStep(viewport()->height());
}

void SequenceView::scrollToContentY(double y)
{
    verticalScrollBar()->setValue(int(std::max(0.0, y)));
}

void SequenceView::onBatch()
{
    auto *bar = verticalScrollBar();
    const bool atEnd = bar->value() >= bar->maximum() - 2;
    updateScrollRange();
    if (follow_ && atEnd) bar->setValue(bar->maximum());
    viewport()->update();
}

void SequenceView::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    paintDiagram(p, QRectF(viewport()->rect()), verticalScrollBar()->value());
}

void SequenceView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollRange();
}

void SequenceView::scrollContentsBy(int, int)
{
    viewport()->update();
    emitVisibleRange();
}

void SequenceView::paintDiagram(QPainter &p, const QRectF &target, double scrollY) const
{
    p.save();
    p.setClipRect(target);
    p.translate(target.topLeft());
    const QPalette &pal = palette();
    fillStrips(p, QRectF(0, 0, target.width(), target.height()), pal.base());
    const SessionData *s = data();
    if (!s || s->arrows.empty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QRectF(0, 0, target.width(), target.height()), Qt::AlignCenter,
                   tr("No session selected.\nStart the lab (F5) or open a capture."));
        p.restore();
        return;
    }
    const SequenceLayout l = layout(target.width());
    // Antialiasing only when rows are tall enough to read labels: below that, arrows are many and short.
    p.setRenderHint(QPainter::Antialiasing, rowHeight_ >= kLabelRowMin);
    if (rowHeight_ < kDenseRowMax)
        paintDense(p, l, *s, scrollY, target.height());
    else
        paintRows(p, l, *s, scrollY, target.height());
    paintStates(p, l, *s, scrollY, target.height());
    paintHeader(p, l, *s, target.width());
    p.restore();
}

void SequenceView::paintHeader(QPainter &p, const SequenceLayout &l, const SessionData &s, double width) const
{
    const QPalette &pal = palette();
    const double top = l.geometry().top;
    p.fillRect(QRectF(0, 0, width, top), pal.window());
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(QPointF(0, top - 0.5), QPointF(width, top - 0.5));
    QFont bold = p.font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(pal.color(QPalette::WindowText));
    const double boxW = std::min(260.0, (l.rightX() - l.leftX()));
    auto endpoint = [&](double x, const QString &role, const Endpoint &e) {
        p.drawText(QRectF(x - boxW / 2, 4, boxW, top / 2 - 4), Qt::AlignHCenter | Qt::AlignBottom, role);
        p.drawText(QRectF(x - boxW / 2, top / 2, boxW, top / 2 - 4), Qt::AlignHCenter | Qt::AlignTop,
                   QString::fromStdString(e.toString()));
    };
    endpoint(l.leftX(), tr("Client"), s.left);
    endpoint(l.rightX(), tr("Server"), s.right);
    p.setFont(font());
    p.drawText(QRectF(4, 0, l.geometry().timeColumn, top - 4), Qt::AlignLeft | Qt::AlignBottom,
               relativeTime_ ? tr("Time (s)") : tr("Lab time (s)"));
}

void SequenceView::setNow(Instant now)
{
    if (nanosOf(now) == nowNs_) return; // paused: nothing moves
    nowNs_ = nanosOf(now);
    // Only packets in flight move with the clock.
    if (const SessionData *d = data(); d && !d->inFlight.empty()) viewport()->update();
}

void SequenceView::setMoment(std::uint64_t storeLimit, Instant time)
{
    momentLimit_ = storeLimit;
    momentNs_ = nanosOf(time);
    viewport()->update();
}

void SequenceView::clearMoment()
{
    if (momentLimit_ == kNoMoment) return;
    momentLimit_ = kNoMoment;
    viewport()->update();
}

void SequenceView::setPresentation(bool on)
{
    presentation_ = on;
    updateScrollRange();
    viewport()->update();
}

void SequenceView::paintRows(QPainter &p, const SequenceLayout &l, const SessionData &s, double scrollY,
                             double height) const
{
    const QPalette &pal = palette();
    const std::size_t n = s.arrows.size();
    auto timeAt = [&](std::size_t i) { return nanosOf(store_->packet(s.arrows[i].sent).time); };
    const auto [r0, r1] = l.visibleRows(scrollY + l.geometry().top, height - l.geometry().top, n);
    // Arrows sent above the window may still land in it: search back by their longest flight.
    const std::int64_t topTime = r0 < n ? timeAt(r0) : 0;
    const std::size_t first = std::min(r0, l.firstAtOrAfter(topTime - s.maxFlightNs, n, timeAt));
    const double h = rowHeight_;
    std::vector<double> ys;
    for (std::size_t i = r0; i < r1; ++i)
        ys.push_back(l.rowY(i));
    const auto labelled = SequenceLayout::placeLabels(ys, kLabelRowMin);
    const double startNs = relativeTime_ ? double(nanosOf(s.start)) : 0.0;
    const LabelOptions opts{relativeSeq_};
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.92);
    p.setFont(small);
    const QFontMetricsF fm(small);

    std::vector<ArrowInfo> infos;
    infos.reserve(r1 - first);
    for (std::size_t i = first; i < r1; ++i)
        infos.push_back(describeArrow(*store_, s, i, opts));
    auto info = [&](std::size_t i) -> const ArrowInfo & { return infos[i - first]; };

    // Pass 1: Wireshark-coloured row bands and time stamps, then the lifelines over them.
    for (std::size_t i = r0; i < r1 && h >= 6; ++i) {
        const ArrowInfo &a = info(i);
        const double y0 = l.rowY(i) - scrollY;
        const QRectF band(0, y0 - h / 2, l.geometry().width, h);
        p.fillRect(band, a.colors.background);
        if (labelled[i - r0]) {
            p.setPen(a.colors.foreground);
            const double t = (double(a.sentNs) - startNs) / 1e9;
            p.drawText(QRectF(4, y0 - h / 2, l.geometry().timeColumn - 6, h),
                       Qt::AlignLeft | Qt::AlignVCenter, QString::number(t, 'f', 6));
        }
    }
    p.setPen(QPen(pal.color(QPalette::Mid), 2));
    drawVLine(p, l.leftX(), l.geometry().top, height);
    drawVLine(p, l.rightX(), l.geometry().top, height);

    // Pass 2: the arrows, over every band they cross.
    std::vector<QPointF> ends(r1 - first);
    for (std::size_t i = first; i < r1; ++i) {
        const ArrowInfo &a = info(i);
        const double y0 = l.rowY(i) - scrollY;
        const double x0 = l.xFor(a.fromLeft), x1 = l.xFor(!a.fromLeft);
        p.setOpacity(1.0);
        const QColor fg = i >= r0 && h >= 6 ? a.colors.foreground : pal.color(QPalette::Text);
        // An arrow leaving a dark row keeps the dark row's light ink only inside its own band.
        const QColor ink =
            a.colors.background.lightness() < 100 ? QColor(0xe0, 0x30, 0x30) : QColor(0x10, 0x10, 0x10);
        const double width = (i == selected_ ? 2.4 : 1.5) * (presentation_ ? 2.2 : 1.0);
        // Stepped back to an earlier moment: what came later is ghosted, and what had not arrived
        // yet is still in flight.
        const Arrow &arrow = s.arrows[i];
        const bool future =
            momentLimit_ != kNoMoment && arrow.sent != Arrow::kNone && arrow.sent > momentLimit_;
        const bool arrivedThen =
            a.arrivedNs >= 0 && (momentLimit_ == kNoMoment || arrow.received <= momentLimit_);
        p.setOpacity(future ? 0.15 : 1.0);
        p.setPen(QPen(h >= 6 ? ink : fg, width));
        const double y1 = a.arrivedNs >= 0 ? l.yForTime(a.arrivedNs, n, timeAt) - scrollY : y0 + h * 0.5;
        QPointF from(x0, y0), to(x1, y1);
        if (a.seenOnlyOnArrival) from.setY(y0 - h * 0.35); // its send time is unknown
        if (h >= 6) {
            // A light halo keeps the arrow visible across dark and light bands alike.
            // Opaque and aliased: a translucent antialiased wide stroke costs ~40 times more.
            const QPen ink = p.pen();
            const bool smooth = p.testRenderHint(QPainter::Antialiasing);
            p.setRenderHint(QPainter::Antialiasing, false);
            p.setPen(QPen(QColor(255, 255, 255), width + 2.5, Qt::SolidLine, Qt::FlatCap));
            drawLineInStrips(p, from, arrivedThen ? to : QPointF((x0 + x1) / 2, y0 + h * 0.45));
            p.setRenderHint(QPainter::Antialiasing, smooth);
            p.setPen(ink);
        }
        if (!future && !arrivedThen && !a.lost && !a.dropped) {
            // In flight at the lab's virtual time: the packet travels along its arrow, its position
            // the share of its flight time (the real one when known, else the session's longest).
            const std::int64_t nowNs = momentLimit_ != kNoMoment ? momentNs_ : nowNs_;
            const std::int64_t flight =
                a.arrivedNs >= 0 ? a.arrivedNs - a.sentNs : std::max<std::int64_t>(s.maxFlightNs, 1'000'000);
            const QPointF target = a.arrivedNs >= 0 ? to : QPointF(x1, y0 + h * 0.9);
            const double f =
                std::clamp(double(nowNs - a.sentNs) / double(std::max<std::int64_t>(flight, 1)), 0.0, 0.97);
            const QPointF head = from + (target - from) * f;
            p.setPen(QPen(p.pen().color(), 1.4 * (presentation_ ? 2 : 1), Qt::DashLine));
            drawLineInStrips(p, from, head);
            p.setPen(QPen(QColor(255, 255, 255), 1.5));
            p.setBrush(QColor(0x1f, 0x77, 0xd4));
            const double r = std::clamp(h / 6, 3.0, 8.0) * (presentation_ ? 1.5 : 1.0);
            p.drawEllipse(head, r, r);
            p.setBrush(Qt::NoBrush);
            ends[i - first] = head;
            continue;
        }
        if (a.arrivedNs >= 0) {
            drawLineInStrips(p, from, to);
            drawArrowHead(p, from, to, std::min(9.0, 3 + h / 4) * (presentation_ ? 1.6 : 1.0));
            if (a.consumed || a.dropped)
                drawCross(p, to - QPointF(a.fromLeft ? 10 : -10, 0), 4, QColor(0xd0, 0x20, 0x20));
        } else {
            // Never arrived: lost on the wire or dropped by a rule; a cross mid-way.
            to = QPointF((x0 + x1) / 2, y0 + h * 0.45);
            if (!a.lost && !a.dropped) p.setPen(QPen(p.pen().color(), 1.4, Qt::DashLine)); // still in flight
            p.drawLine(from, to);
            if (a.lost || a.dropped) drawCross(p, to, std::min(7.0, 2 + h / 5), QColor(0xe0, 0x20, 0x20));
        }
        ends[i - first] = to;
    }
    p.setOpacity(1.0);

    // Pass 3: labels above each arrow's start, rule badges on the arrow, the selection outline.
    for (std::size_t i = r0; i < r1; ++i) {
        const ArrowInfo &a = info(i);
        const double y0 = l.rowY(i) - scrollY;
        if (i == selected_ && h >= 6) {
            p.setPen(QPen(pal.color(QPalette::Highlight), 2.5));
            p.setBrush(Qt::NoBrush);
            p.drawRect(QRectF(0, y0 - h / 2, l.geometry().width, h).adjusted(1, 1, -1, -1));
        }
        if (h < kLabelRowMin || !labelled[i - r0]) continue;
        QString text = a.label;
        if (!a.options.isEmpty()) text += QStringLiteral("  ") + a.options;
        if (!a.analysis.isEmpty()) text = QStringLiteral("[%1]  ").arg(a.analysis) + text;
        const double span = l.rightX() - l.leftX() - 16;
        p.setPen(a.colors.foreground);
        p.drawText(QRectF(l.leftX() + 8, y0 - h / 2, span, h / 2 - 1), Qt::AlignHCenter | Qt::AlignBottom,
                   fm.elidedText(text, Qt::ElideRight, span));
        QStringList badges = a.rules;
        if (a.crafted) badges.prepend(tr("crafted"));
        if (a.duplicate) badges.prepend(tr("duplicate"));
        if (a.lost) badges.prepend(tr("lost"));
        if (!badges.isEmpty() && h >= 20) {
            const double x0 = l.xFor(a.fromLeft);
            const QPointF to = ends[i - first];
            // On the arrow, a third of the way from its start, so it is clear which arrow it marks.
            // Below the label (which sits in the upper half of the row), even for a flat arrow.
            const QPointF at(x0 + (to.x() - x0) * 0.3, y0 + std::max(h * 0.3, (to.y() - y0) * 0.3) + 2);
            drawBadge(p, at, badges.join(QStringLiteral(" · ")),
                      a.lost ? QColor(0xff, 0xd0, 0xd0) : QColor(0xff, 0xe0, 0x8a), QColor(0x30, 0x20, 0x00));
        }
    }
    p.setFont(font());
}

void SequenceView::paintDense(QPainter &p, const SequenceLayout &l, const SessionData &s, double scrollY,
                              double height) const
{
    // At most one mark per pixel row: the first arrow under each row of pixels.
    const std::size_t n = s.arrows.size();
    p.setPen(QPen(palette().color(QPalette::Mid), 2));
    drawVLine(p, l.leftX(), l.geometry().top, height);
    drawVLine(p, l.rightX(), l.geometry().top, height);
    std::size_t last = std::size_t(-1);
    for (double py = l.geometry().top; py < height; py += 1) {
        const double y = scrollY + py;
        if (y > l.contentHeight(n)) break;
        const std::size_t row = l.rowAt(y, n);
        if (row == last) continue;
        last = row;
        const PacketView pv = store_->packet(s.arrows[row].sent);
        const auto seg = summarizeFrame(pv.bytes);
        const bool fromLeft = Endpoint{seg.src, seg.srcPort} == s.left;
        const bool bad = pv.firstNote && pv.firstNote->kind == AnnotationKind::Analysis;
        const RowColors c = wiresharkColors(seg.flags, bad);
        const QColor mark = c.background == QColor(0xe7, 0xe3, 0xff)
                                ? (fromLeft ? QColor(0x40, 0x60, 0xc0) : QColor(0x30, 0x90, 0x60))
                                : c.background;
        p.setPen(mark);
        p.drawLine(QPointF(l.leftX(), py), QPointF(l.rightX(), py));
        if (row == selected_) {
            p.setPen(QPen(palette().color(QPalette::Highlight), 3));
            p.drawLine(QPointF(0, py), QPointF(l.geometry().width, py));
        }
    }
}

void SequenceView::paintStates(QPainter &p, const SequenceLayout &l, const SessionData &s, double scrollY,
                               double height) const
{
    if (s.states.empty()) return;
    const std::size_t n = s.arrows.size();
    auto timeAt = [&](std::size_t i) { return nanosOf(store_->packet(s.arrows[i].sent).time); };
    // At the top of the session, states reached before its first packet (SYN-SENT before ARP
    // resolved) still show, on the first row.
    const std::int64_t tTop = scrollY <= rowHeight_
                                  ? std::numeric_limits<std::int64_t>::min()
                                  : l.timeForY(scrollY + l.geometry().top - rowHeight_, n, timeAt);
    const std::int64_t tEnd = l.timeForY(scrollY + height + rowHeight_, n, timeAt);
    auto it = std::lower_bound(s.states.begin(), s.states.end(), tTop,
                               [](const StateMark &m, std::int64_t t) { return nanosOf(m.time) < t; });
    const QPalette &pal = palette();
    const QFont f = badgeFont();
    const QFontMetricsF fm(f);
    double lastY[2] = {-1e9, -1e9};
    for (; it != s.states.end() && nanosOf(it->time) <= tEnd; ++it) {
        double y = l.yForTime(nanosOf(it->time), n, timeAt) - scrollY;
        double &prev = lastY[it->left ? 0 : 1];
        y = std::max(y, prev + fm.height() + 3); // states at the same instant stack downwards
        prev = y;
        const QString text = it->inferred ? tr("%1 (inferred)").arg(QString::fromStdString(it->name))
                                          : QString::fromStdString(it->name);
        const double w = std::min(fm.horizontalAdvance(text) + 10, l.geometry().stateColumn - 8);
        const double x = it->left ? l.leftX() - 6 - w : l.rightX() + 6;
        const QRectF r(x, y - fm.height() / 2 - 1, w, fm.height() + 2);
        p.save();
        p.setFont(f);
        QPen border(pal.color(QPalette::Highlight), 1.2, it->inferred ? Qt::DashLine : Qt::SolidLine);
        p.setPen(border);
        p.setBrush(pal.color(QPalette::AlternateBase));
        p.drawRoundedRect(r, 5, 5);
        QFont tf = f;
        tf.setItalic(it->inferred);
        p.setFont(tf);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(r, Qt::AlignCenter, fm.elidedText(text, Qt::ElideRight, w - 6));
        p.setPen(QPen(pal.color(QPalette::Highlight), 1.2));
        const double lx = it->left ? l.leftX() : l.rightX();
        p.drawLine(QPointF(it->left ? r.right() : r.left(), y), QPointF(lx, y));
        p.restore();
    }
}

void SequenceView::selectArrow(std::size_t arrow)
{
    const auto *s = data();
    if (!s || arrow >= s->arrows.size()) return;
    selected_ = arrow;
    ensureVisible(arrow);
    viewport()->update();
    emit arrowSelected(session_, arrow, s->arrows[arrow].sent);
}

void SequenceView::selectStoreIndex(quint64 storeIndex)
{
    const auto *s = data();
    if (!s) return;
    const auto a = s->arrowForStoreIndex(storeIndex);
    if (a < s->arrows.size() && a != selected_) selectArrow(a);
}

void SequenceView::selectTime(double secondsSinceStart)
{
    const auto *s = data();
    if (!s || s->arrows.empty()) return;
    const auto t = nanosOf(s->start) + std::int64_t(secondsSinceStart * 1e9);
    auto timeAt = [&](std::size_t i) { return nanosOf(store_->packet(s->arrows[i].sent).time); };
    auto a = SequenceLayout::firstAtOrAfter(t, s->arrows.size(), timeAt);
    if (a > 0 && (a == s->arrows.size() || timeAt(a) - t > t - timeAt(a - 1))) --a;
    selectArrow(a);
}

bool SequenceView::jumpToNext(Jump what)
{
    const auto *s = data();
    if (!s) return false;
    const auto &list = what == Jump::Retransmission ? s->retransmits
                       : what == Jump::Reset        ? s->resets
                                                    : s->ruleHits;
    const std::size_t from = selected_ == kNoArrow ? 0 : selected_ + 1;
    auto it =
        std::lower_bound(list.begin(), list.end(), std::uint32_t(std::min<std::size_t>(from, 0xffffffffu)));
    if (it == list.end()) return false;
    selectArrow(*it);
    return true;
}

void SequenceView::ensureVisible(std::size_t arrow)
{
    const SequenceLayout l = layout(viewport()->width());
    const double y = l.rowY(arrow), top = verticalScrollBar()->value() + l.geometry().top;
    const double bottom = verticalScrollBar()->value() + viewport()->height();
    if (y - rowHeight_ < top)
        scrollToContentY(y - rowHeight_ - l.geometry().top);
    else if (y + rowHeight_ > bottom)
        scrollToContentY(y + rowHeight_ - viewport()->height());
}

void SequenceView::emitVisibleRange()
{
    const auto *s = data();
    if (!s || s->arrows.empty()) return;
    const SequenceLayout l = layout(viewport()->width());
    auto timeAt = [&](std::size_t i) { return nanosOf(store_->packet(s->arrows[i].sent).time); };
    const double y = verticalScrollBar()->value();
    const double a =
        double(l.timeForY(y + l.geometry().top, s->arrows.size(), timeAt) - nanosOf(s->start)) / 1e9;
    const double b =
        double(l.timeForY(y + viewport()->height(), s->arrows.size(), timeAt) - nanosOf(s->start)) / 1e9;
    emit visibleTimeRangeChanged(a, b);
}

void SequenceView::keyPressEvent(QKeyEvent *event)
{
    const auto *s = data();
    if (!s || s->arrows.empty()) return QAbstractScrollArea::keyPressEvent(event);
    const std::size_t n = s->arrows.size(), cur = selected_ == kNoArrow ? 0 : selected_;
    const std::size_t page =
        std::max<std::size_t>(1, std::size_t(viewport()->height() / std::max(1.0, rowHeight_)));
    switch (event->key()) {
    case Qt::Key_Down: selectArrow(selected_ == kNoArrow ? 0 : std::min(n - 1, cur + 1)); break;
    case Qt::Key_Up: selectArrow(cur > 0 ? cur - 1 : 0); break;
    case Qt::Key_PageDown: selectArrow(std::min(n - 1, cur + page)); break;
    case Qt::Key_PageUp: selectArrow(cur > page ? cur - page : 0); break;
    case Qt::Key_Home: selectArrow(0); break;
    case Qt::Key_End: selectArrow(n - 1); break;
    default: QAbstractScrollArea::keyPressEvent(event); return;
    }
}

void SequenceView::mousePressEvent(QMouseEvent *event)
{
    const auto *s = data();
    if (!s || s->arrows.empty()) return;
    const SequenceLayout l = layout(viewport()->width());
    const double y = event->position().y() + verticalScrollBar()->value();
    if (event->position().y() < l.geometry().top) return;
    selectArrow(l.rowAt(y, s->arrows.size()));
}

void SequenceView::contextMenuEvent(QContextMenuEvent *event)
{
    const auto *s = data();
    if (!s || s->arrows.empty() || !store_) return;
    const SequenceLayout l = layout(viewport()->width());
    if (event->pos().y() < l.geometry().top) return;
    const std::size_t arrow = l.rowAt(event->pos().y() + verticalScrollBar()->value(), s->arrows.size());
    if (arrow >= s->arrows.size()) return;
    selectArrow(arrow);
    const auto &a = s->arrows[arrow];
    const quint64 index = a.received != Arrow::kNone ? a.received : a.sent;
    const bool bareSyn =
        index < store_->size() && (summarizeFrame(store_->packet(index).bytes).flags & (kSyn | kAck)) == kSyn;
    QMenu menu(this);
    connect(menu.addAction(tr("Make a rule from this packet")), &QAction::triggered, this,
            [this, index] { emit makeRuleRequested(index, false); });
    QAction *bare = menu.addAction(tr("Reply with a bare ACK instead"));
    bare->setEnabled(bareSyn);
    connect(bare, &QAction::triggered, this, [this, index] { emit makeRuleRequested(index, true); });
    menu.exec(event->globalPos());
}

void SequenceView::wheelEvent(QWheelEvent *event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        event->angleDelta().y() > 0 ? zoomIn() : zoomOut();
        event->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(event);
}

bool SequenceView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const auto *s = data();
        const SequenceLayout l = layout(viewport()->width());
        if (s && !s->arrows.empty() && help->pos().y() > l.geometry().top) {
            const auto row = l.rowAt(help->pos().y() + verticalScrollBar()->value(), s->arrows.size());
            const ArrowInfo a = describeArrow(*store_, *s, row, {relativeSeq_});
            QString tip = a.label;
            if (!a.options.isEmpty()) tip += QLatin1Char('\n') + a.options;
            if (!a.tooltip.isEmpty()) tip += QLatin1Char('\n') + a.tooltip;
            QToolTip::showText(help->globalPos(), tip, viewport());
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

} // namespace tcplab::gui
