#include "views/sequence_view.h"

#include <algorithm>
#include <limits>

#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>

#include "services/segment_summary.h"
#include "views/sequence_labels.h"

namespace tcplab::gui {
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
    if (columns_.time < 0 || columns_.relativeTime != relativeTime_) {
        const QFontMetricsF rowFm(rowFont());
        const QString widestTime =
            relativeTime_ ? QStringLiteral("0000.000000") : QStringLiteral("0000000.000000");
        const double timeText = std::max(
            rowFm.horizontalAdvance(widestTime),
            QFontMetricsF(font()).horizontalAdvance(relativeTime_ ? tr("Time (s)") : tr("Lab time (s)")));
        columns_.time = std::ceil(timeText) + 12;
        columns_.state = std::ceil(badgeWidth()) + 16;
        QFont smallest = badgeFont();
        smallest.setPointSizeF(std::min(smallest.pointSizeF(), kMinBadgePointSize));
        columns_.minState = std::ceil(badgeWidthIn(smallest)) + 8;
        columns_.top = std::max(58.0, std::ceil(2 * QFontMetricsF(font()).height() + 14));
        columns_.relativeTime = relativeTime_;
    }
    g.timeColumn = columns_.time;
    g.stateColumn = columns_.state;
    // A narrow view keeps room between the lifelines: the state column gives way first, down to
    // what the widest state name needs in the badges' smallest type (badgeFontFor shrinks them).
    const double maxSide = std::max(90.0, (width - 160) / 2);
    if (g.timeColumn + g.stateColumn > maxSide) {
        g.stateColumn = std::max(columns_.minState, maxSide - g.timeColumn);
        g.timeColumn = std::max(40.0, maxSide - g.stateColumn);
    }
    g.top = columns_.top;
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
    return badgeWidthIn(badgeFont());
}

double SequenceView::badgeWidthIn(const QFont &font)
{
    static const char *const kStates[] = {"CLOSED",      "LISTEN",     "SYN-SENT",   "SYN-RECEIVED",
                                          "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT",
                                          "CLOSING",     "LAST-ACK",   "TIME-WAIT"};
    const QFontMetricsF fm(font);
    double w = 0;
    for (const char *name : kStates)
        w = std::max(w, fm.horizontalAdvance(QString::fromLatin1(name)));
    return w + 10;
}

void SequenceView::changeEvent(QEvent *event)
{
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::LanguageChange) columns_ = {}; // the column titles are measured
    if (event->type() == QEvent::FontChange) {
        columns_ = {};
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
        // A state badge shortened to fit its column gives its whole text.
        for (const StateBadge &b : stateBadges(viewport()->size(), verticalScrollBar()->value()).badges) {
            if (b.text == b.fullText || !b.box.contains(help->pos())) continue;
            QToolTip::showText(help->globalPos(), b.fullText, viewport());
            return true;
        }
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
