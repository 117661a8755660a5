// The sequence diagram: a custom-painted scroll area over one session of the SessionIndex.
// Painting reads only the rows in the viewport (binary search, one mark per pixel row when dense),
// so its cost follows the window, not the session.
#pragma once

#include <vector>

#include <QAbstractScrollArea>
#include <QFont>
#include <QLineF>
#include <QRectF>

#include "capture/packet_store.h"
#include "models/session_index.h"
#include "views/sequence_layout.h"

class QPainter;

namespace tcplab::gui {

class SequenceView : public QAbstractScrollArea {
    Q_OBJECT
public:
    enum class Jump { Retransmission, Reset, RuleHit };
    static constexpr std::size_t kNoArrow = std::size_t(-1);

    explicit SequenceView(QWidget *parent = nullptr);

    void setSource(const PacketStore *store, const SessionIndex *index);
    void setSession(SessionId id);
    SessionId session() const { return session_; }
    std::size_t selectedArrow() const { return selected_; }

    void setRelativeTime(bool relative);
    void setRelativeSeq(bool relative);
    void setRowHeight(double px);
    double rowHeight() const { return rowHeight_; }
    void setFollow(bool follow) { follow_ = follow; }
    // The lab's virtual time: packets in flight are drawn travelling along their arrows.
    void setNow(Instant now);
    // Classroom Back: show the moment of store record `storeLimit` (at `time`): later arrows ghosted,
    // arrivals after it still in flight. clearMoment() returns to the present.
    void setMoment(std::uint64_t storeLimit, Instant time);
    void clearMoment();
    // Presentation mode: thick arrows.
    void setPresentation(bool on);

    // Paints the diagram as it appears scrolled to `scrollY` into `target` (view, PNG, SVG).
    void paintDiagram(QPainter &p, const QRectF &target, double scrollY) const;
    void scrollToContentY(double y);
    // The geometry at this width in the current font (the time and state columns follow it).
    SequenceLayout layout(double width) const;
    // The widest state badge (an RFC 9293 state name) in the current font.
    double badgeWidth() const;
    // The same in `font`.
    static double badgeWidthIn(const QFont &font);

    // What the rows between the lifelines draw at this size and scroll position, in viewport
    // coordinates: every arrow stroke (its centre line and half its thickness, halos included),
    // the marks on arrows (heads, crosses, in-flight dots, rule badges) and the labels with the
    // text they show (elided to their box). Empty in the dense view (no labels there).
    struct SceneStroke {
        std::size_t arrow;
        QLineF line;
        double halfWidth;
    };
    struct SceneLabel {
        std::size_t arrow;
        QRectF box;
        QString text;
    };
    // A packet in flight at the lab's time (or at the moment shown): it travels from `from` towards
    // `to` (its arrival point when known, else where the session's longest flight would land it) and
    // is drawn at `at` = from + (to - from) * share, share = (now - sent) / flight time.
    struct SceneFlight {
        std::size_t arrow;
        QPointF from, to, at;
        double share;
        bool arrivalKnown;
    };
    struct Scene {
        std::vector<SceneStroke> strokes;
        std::vector<QRectF> marks;
        std::vector<SceneLabel> labels;
        std::vector<SceneFlight> flights;
    };
    Scene scene(QSizeF size, double scrollY) const;

    // The state badges beside the lifelines at this size and scroll position (viewport
    // coordinates): their type (the badges' font, smaller when the state column is narrower than
    // the widest RFC 9293 name, down to kMinBadgePointSize), each badge's box and the text it
    // shows. A text that still does not fit drops its "(inferred)" note (the dashed border says
    // it), and only then is elided; the badge's tooltip gives it whole.
    struct StateBadge {
        QRectF box;
        QString text, fullText;
        bool left = true, inferred = false;
        double y = 0; // the lifeline point the badge is tied to
    };
    struct StateBadges {
        QFont font;
        std::vector<StateBadge> badges;
    };
    StateBadges stateBadges(QSizeF size, double scrollY) const;
    static constexpr double kMinBadgePointSize = 7.0;

public slots:
    void selectArrow(std::size_t arrow);
    // Selects the arrow that carries this store index (from the inspector or the plots).
    void selectStoreIndex(quint64 storeIndex);
    void selectTime(double secondsSinceStart);
    bool jumpToNext(tcplab::gui::SequenceView::Jump what);
    void zoomIn() { setRowHeight(rowHeight_ * 1.25); }
    void zoomOut() { setRowHeight(rowHeight_ / 1.25); }
    void onBatch();
    void reset();

signals:
    void arrowSelected(tcplab::SessionId session, std::size_t arrow, quint64 storeIndex);
    void visibleTimeRangeChanged(double fromSeconds, double toSeconds);
    // Context menu: a rule from this packet (its reception when it arrived, else its transmission);
    // `bareAck`: the one-click "reply with a bare ACK instead" on a SYN.
    void makeRuleRequested(quint64 storeIndex, bool bareAck);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void changeEvent(QEvent *event) override;

private:
    struct RowsPlan;
    const SessionData *data() const;
    QFont badgeFont() const;
    QFont rowFont() const;
    RowsPlan planRows(const SequenceLayout &l, const SessionData &s, double scrollY, double height) const;
    void updateScrollRange();
    void ensureVisible(std::size_t arrow);
    void emitVisibleRange();
    void paintHeader(QPainter &p, const SequenceLayout &l, const SessionData &s, double width) const;
    void paintRows(QPainter &p, const SequenceLayout &l, const SessionData &s, double scrollY,
                   double height) const;
    void paintDense(QPainter &p, const SequenceLayout &l, const SessionData &s, double scrollY,
                    double height) const;
    void paintStates(QPainter &p, const SequenceLayout &l, const SessionData &s, double scrollY,
                     double height) const;
    StateBadges planStates(const SequenceLayout &l, const SessionData &s, double scrollY,
                           double height) const;
    QFont badgeFontFor(double stateColumn) const;

    const PacketStore *store_ = nullptr;
    const SessionIndex *index_ = nullptr;
    SessionId session_ = kNoSession;
    std::size_t selected_ = kNoArrow;
    double rowHeight_ = 40; // room for a label above each arrow at the default zoom
    bool relativeTime_ = true, relativeSeq_ = true, follow_ = true;
    static constexpr std::uint64_t kNoMoment = ~std::uint64_t(0);
    std::uint64_t momentLimit_ = kNoMoment;
    std::int64_t momentNs_ = 0, nowNs_ = 0;
    bool presentation_ = false;
    // Column sizes measured in the current font (measuring is a good part of a repaint's cost),
    // kept until the font changes.
    struct Columns {
        double time = -1, state = -1, top = -1, minState = 60;
        bool relativeTime = true;
    };
    mutable Columns columns_;
};

} // namespace tcplab::gui
