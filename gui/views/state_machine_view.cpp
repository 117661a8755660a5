#include "views/state_machine_view.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

namespace tcplab::gui {
namespace {

// RFC 9293 section 3.3.2, Figure 5, on a 3 × 7 grid. CLOSED appears twice, as in the RFC: the
// lower box is where LAST-ACK and TIME-WAIT end.
struct Node {
    const char *state;
    double col, row;
};
constexpr Node kNodes[] = {
    {"CLOSED", 1, 0},      {"LISTEN", 1, 1},     {"SYN-RECEIVED", 0, 2}, {"SYN-SENT", 2, 2},
    {"ESTABLISHED", 1, 3}, {"FIN-WAIT-1", 0, 4}, {"CLOSE-WAIT", 2, 4},   {"FIN-WAIT-2", 0, 5},
    {"CLOSING", 1, 5},     {"LAST-ACK", 2, 5},   {"TIME-WAIT", 1, 6},    {"CLOSED", 2, 6},
};
constexpr int kClosedBelow = 11;

// Each edge: the node indices, the RFC's event and action, and how far the curve bows out
// (a fraction of its length, to the left of its direction) so that opposite edges do not overlap.
struct Edge {
    int from, to;
    const char *event, *action;
    double bend;
};
const Edge kEdges[] = {
    {0, 1, QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "passive OPEN"),
     QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "create TCB"), 0.5},
    {1, 0, QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "CLOSE"),
     QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "delete TCB"), 0.5},
    {0, 3, QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "active OPEN"),
     QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "create TCB, snd SYN"), -0.12},
    {3, 0, QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "CLOSE"),
     QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "delete TCB"), -0.12},
    {1, 2, QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "rcv SYN"),
     QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "snd SYN,ACK"), 0.0},
    {1, 3, QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "SEND"),
     QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "snd SYN"), 0.0},
    {3, 2, QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "rcv SYN"),
     QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "snd SYN,ACK"), 0.0},
    {2, 1, QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "rcv RST (note 1)"), "", 0.3},
    {2, 4, QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "rcv ACK of SYN"), "x", 0.0},
    {3, 4, QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "rcv SYN,ACK"),
     QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "snd ACK"), 0.0},
    {2, 5, QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "CLOSE"),
     QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "snd FIN"), 0.0},
    {4, 5, QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "CLOSE"),
     QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "snd FIN"), 0.0},
    {4, 6, QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "rcv FIN"),
     QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "snd ACK"), 0.0},
    {5, 7, QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "rcv ACK of FIN"), "x", 0.0},
    {5, 8, QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "rcv FIN"),
     QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "snd ACK"), 0.0},
    {6, 9, QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "CLOSE"),
     QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "snd FIN"), 0.0},
    {7, 10, QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "rcv FIN"),
     QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "snd ACK"), 0.0},
    {8, 10, QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "rcv ACK of FIN"), "x", 0.0},
    {9, 11, QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "rcv ACK of FIN"), "x", 0.0},
    {10, 11, QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "Timeout=2MSL"),
     QT_TRANSLATE_NOOP("tcplab::gui::StateMachineView", "delete TCB"), 0.0},
};

// The two ends' colours, readable on light and dark palettes alike.
const QColor kEndColour[2] = {QColor(0x1f, 0x77, 0xd4), QColor(0xe0, 0x6c, 0x10)};

int nodeFor(const QString &state, const QString &from)
{
    if (state == QLatin1String("CLOSED"))
        return from == QLatin1String("LAST-ACK") || from == QLatin1String("TIME-WAIT") ? kClosedBelow : 0;
    for (int i = 0; i < int(std::size(kNodes)); ++i)
        if (state == QLatin1String(kNodes[i].state)) return i;
    return -1;
}

const Edge *edgeFor(int from, int to)
{
    for (const auto &e : kEdges)
        if (e.from == from && e.to == to) return &e;
    return nullptr;
}

struct Geometry {
    QRectF area;
    QSizeF box;
    QPointF centre(int node) const
    {
        return {area.left() + (kNodes[node].col + 0.5) * area.width() / 3.0,
                area.top() + (kNodes[node].row + 0.5) * area.height() / 7.0};
    }
    QRectF rect(int node) const
    {
        const QPointF c = centre(node);
        return {c.x() - box.width() / 2, c.y() - box.height() / 2, box.width(), box.height()};
    }
    // Where the segment from the centre of `node` towards `towards` leaves its box.
    QPointF exit(int node, QPointF towards) const
    {
        const QPointF c = centre(node);
        const QPointF d = towards - c;
        const double sx = d.x() == 0 ? 1e9 : (box.width() / 2) / std::abs(d.x());
        const double sy = d.y() == 0 ? 1e9 : (box.height() / 2) / std::abs(d.y());
        return c + d * std::min({sx, sy, 1.0});
    }
    // The edge's curve, from box border to box border.
    QPainterPath path(const Edge &e) const
    {
        const QPointF a = centre(e.from), b = centre(e.to);
        const QPointF mid = (a + b) / 2;
        const QPointF d = b - a;
        const QPointF normal(d.y(), -d.x()); // to the left of the direction of travel
        const QPointF control = mid + normal * e.bend;
        const QPointF start = exit(e.from, control), end = exit(e.to, control);
        QPainterPath p(start);
        p.quadTo(control, end);
        return p;
    }
};

struct LabelText {
    QString event, action;
};

LabelText labelText(const Edge &e)
{
    const QString action = QString::fromUtf8(e.action);
    return {StateMachineView::tr(e.event),
            action.isEmpty() || action == QLatin1String("x") ? action : StateMachineView::tr(e.action)};
}

struct Fonts {
    QFont box, label;
};

Fonts fontsFor(const QFont &base, bool presentation)
{
    Fonts f{base, base};
    f.box.setBold(true);
    f.label.setBold(false);
    f.label.setPointSizeF(std::max(6.0, base.pointSizeF() * (presentation ? 0.6 : 0.8)));
    return f;
}

double overlap(const QRectF &a, const QRectF &b)
{
    const QRectF i = a.intersected(b);
    return i.isEmpty() ? 0.0 : i.width() * i.height();
}

// Places every edge's label: candidates along its curve (middle first) and beside it, scored by
// how much of the label would cover a box, an earlier label or leave the view, plus a small cost
// for straying from the middle of the edge. The first candidate that covers nothing wins.
std::vector<QRectF> placeLabels(const Geometry &g, const QFontMetricsF &fm, const QRectF &view, bool *allClear)
{
    *allClear = true;
    std::vector<QRectF> placed;
    std::vector<QRectF> boxes;
    for (int n = 0; n < int(std::size(kNodes)); ++n)
        boxes.push_back(g.rect(n).adjusted(-2, -2, 2, 2));
    const double h = fm.height();
    for (const auto &e : kEdges) {
        const LabelText t = labelText(e);
        const double w = std::max(fm.horizontalAdvance(t.event), fm.horizontalAdvance(t.action)) + 6;
        const double lh = h * (t.action.isEmpty() ? 1 : 2);
        const QPainterPath path = g.path(e);
        const QPointF d = g.centre(e.to) - g.centre(e.from);
        const double len = std::hypot(d.x(), d.y());
        QPointF normal = len > 0 ? QPointF(d.y(), -d.x()) / len : QPointF(0, -1);
        if (e.bend < 0) normal = -normal;
        // Along the normal, enough to clear the curve for this label's size.
        const double clear = std::abs(normal.x()) * (w / 2 + 3) + std::abs(normal.y()) * (lh / 2 + 3);
        const double ts[] = {0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75, 0.2, 0.8};
        const double sides[] = {e.bend != 0 ? 1.0 : 0.0, 1.0, -1.0, 2.0, -2.0};
        const QPointF nudges[] = {{0, 0}, {0, -lh / 2 - 3}, {0, lh / 2 + 3}, {-w / 2, 0}, {w / 2, 0}};
        QRectF best;
        double bestScore = 1e300;
        for (const QPointF nudge : nudges) {
            for (double side : sides) {
                for (double at : ts) {
                    const QPointF c = path.pointAtPercent(at) + normal * clear * side + nudge;
                    const QRectF r(c.x() - w / 2, c.y() - lh / 2, w, lh);
                    double cover = 0;
                    for (const QRectF &b : boxes)
                        cover += overlap(r, b);
                    for (const QRectF &o : placed)
                        cover += overlap(r, o.adjusted(-1, -1, 1, 1));
                    cover += r.width() * r.height() - overlap(r, view);
                    const double score = cover * 100 + std::abs(at - 0.5) * 10 + std::abs(side) +
                                         std::hypot(nudge.x(), nudge.y()) * 0.05;
                    if (score < bestScore) {
                        bestScore = score;
                        best = r;
                    }
                }
            }
            if (bestScore < 100) break; // nothing covered: stay close to the edge
        }
        if (bestScore >= 100) *allClear = false;
        placed.push_back(best);
    }
    return placed;
}

// Everything the painter places: the legend's height, the boxes with the type and text of their
// names, the labels.
struct Scene {
    bool stacked = false;
    double line = 0, legendHeight = 0;
    Geometry g;
    QFont boxFont, legendFont;
    QString texts[std::size(kNodes)];
    QFont labelFont;
    std::vector<QRectF> labels;
};

// The state names' type and the boxes' size for a grid cell of `cell`: the nominal bold type when
// the widest name fits a box that leaves room for the edges between the columns, else the type
// shrinks (half a point at a time, bold first, then regular, which is narrower) down to
// StateMachineView::kMinBoxPointSize.
void fitBoxes(Scene &s, const QFont &nominal, QSizeF cell)
{
    const double gap = std::clamp(cell.width() * 0.12, 6.0, 36.0);
    const double maxW = std::max(10.0, cell.width() - gap);
    const double maxH = std::max(8.0, cell.height() * 0.62);
    const double nominalPt = nominal.pointSizeF();
    const double minPt = std::min(nominalPt, StateMachineView::kMinBoxPointSize);
    auto widestIn = [](const QFont &f) {
        const QFontMetricsF fm(f);
        double widest = 0;
        for (const auto &n : kNodes)
            widest = std::max(widest, fm.horizontalAdvance(QLatin1String(n.state)));
        return widest;
    };
    bool fitted = false;
    for (double pt = nominalPt; !fitted; pt = std::max(minPt, pt - 0.5)) {
        for (const bool bold : {true, false}) {
            s.boxFont = nominal;
            s.boxFont.setPointSizeF(pt);
            s.boxFont.setBold(bold);
            const QFontMetricsF fm(s.boxFont);
            const double widest = widestIn(s.boxFont);
            // Padding: 18 px at the nominal size, at least 4 px so the text clears the rounded corners.
            const double pad = std::clamp(maxW - widest, 4.0, 18.0);
            fitted = (widest + pad <= maxW && fm.height() + 1 <= maxH) || (pt <= minPt && !bold);
            if (fitted) {
                s.g.box = QSizeF(std::min(maxW, widest + pad),
                                 std::min(maxH, std::max(fm.height() * 1.8, fm.height() + 1)));
                break;
            }
        }
    }
    // Last resort, a view below the minimum size: the name elided to its box.
    const QFontMetricsF fm(s.boxFont);
    for (int n = 0; n < int(std::size(kNodes)); ++n) {
        const QString name = QLatin1String(kNodes[n].state);
        s.texts[n] = fm.horizontalAdvance(name) <= s.g.box.width() - 2
                         ? name
                         : fm.elidedText(name, Qt::ElideRight, s.g.box.width() - 2);
    }
}

Scene sceneFor(const QSizeF &size, const Fonts &fonts, const QString (&legend)[2])
{
    Scene s;
    // The legend in the boxes' type: the nominal one first, and again in the fitted one when the
    // boxes had to shrink (a low view gains the lines' height for the diagram).
    for (int pass = 0; pass < 2; ++pass) {
        s.legendFont = pass == 0 ? fonts.box : s.boxFont;
        s.legendFont.setBold(true);
        const QFontMetricsF legendMetrics(s.legendFont);
        // One line per end when both do not fit side by side.
        s.line = legendMetrics.height() * (pass == 0 ? 1.6 : 1.3);
        double needed = 8;
        for (const QString &text : legend)
            needed += legendMetrics.height() + 6 + legendMetrics.horizontalAdvance(text) + 24;
        s.stacked = needed > size.width();
        s.legendHeight = s.stacked ? s.line * 2 : s.line;
        s.g.area = QRectF(6, s.legendHeight + 4, size.width() - 12, size.height() - s.legendHeight - 10);
        fitBoxes(s, fonts.box, QSizeF(s.g.area.width() / 3.0, s.g.area.height() / 7.0));
        if (s.boxFont.pointSizeF() >= fonts.box.pointSizeF()) break;
    }
    // The labels' type shrinks (to 70 %, at least 6 pt) until every label finds a free place; a
    // view too small even for that keeps the smallest type and the least covered places.
    const QRectF view = QRectF(QPointF(1, s.legendHeight), size).adjusted(0, 0, -2, -s.legendHeight - 1);
    const double nominal = std::min(fonts.label.pointSizeF(), std::max(6.0, s.boxFont.pointSizeF() * 0.9));
    for (double f = 1.0;; f -= 0.1) {
        s.labelFont = fonts.label;
        s.labelFont.setPointSizeF(std::max(6.0, nominal * f));
        bool clear = false;
        s.labels = placeLabels(s.g, QFontMetricsF(s.labelFont), view, &clear);
        if (clear || f < 0.75 || nominal * f <= 6.0) break;
    }
    return s;
}

} // namespace

StateMachineView::StateMachineView(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("StateMachineView"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    for (auto &end : ends_) {
        end.animation = new QVariantAnimation(this);
        end.animation->setStartValue(0.0);
        end.animation->setEndValue(1.0);
        end.animation->setDuration(450);
        end.animation->setEasingCurve(QEasingCurve::InOutCubic);
        EndState *self = &end;
        connect(end.animation, &QVariantAnimation::valueChanged, this, [this, self](const QVariant &v) {
            self->progress = v.toDouble();
            update();
        });
    }
    names_[0] = tr("Client");
    names_[1] = tr("Server");
}

QStringList StateMachineView::stateNames()
{
    QStringList out;
    for (const auto &n : kNodes)
        if (!out.contains(QLatin1String(n.state))) out << QLatin1String(n.state);
    return out;
}

QString StateMachineView::transitionLabel(const QString &from, const QString &to)
{
    const Edge *e = edgeFor(nodeFor(from, {}), nodeFor(to, from));
    if (!e) return {};
    const QString action = QString::fromUtf8(e->action);
    return action.isEmpty() ? tr(e->event)
                            : tr(e->event) + QStringLiteral(" / ") +
                                  (action == QLatin1String("x") ? action : tr(e->action));
}

void StateMachineView::setState(End end, const QString &state)
{
    EndState &e = ends_[int(end)];
    if (state == e.state) return;
    e.from = e.state;
    e.state = state;
    e.animation->stop();
    const int from = nodeFor(e.from, {}), to = nodeFor(e.state, e.from);
    if (from >= 0 && to >= 0 && edgeFor(from, to)) {
        e.progress = 0;
        e.animation->start();
    } else {
        e.progress = 1;
    }
    update();
}

bool StateMachineView::animating() const
{
    return ends_[0].animation->state() == QAbstractAnimation::Running ||
           ends_[1].animation->state() == QAbstractAnimation::Running;
}

void StateMachineView::setEndNames(const QString &client, const QString &server)
{
    if (names_[0] == client && names_[1] == server) return;
    names_[0] = client;
    names_[1] = server;
    update();
}

QString StateMachineView::legendText(End end) const
{
    const EndState &e = ends_[int(end)];
    return e.state.isEmpty() ? names_[int(end)] : QStringLiteral("%1: %2").arg(names_[int(end)], e.state);
}

QList<QRectF> StateMachineView::labelRects() const
{
    const QString texts[2] = {legendText(End::Client), legendText(End::Server)};
    const Scene scene = sceneFor(size(), fontsFor(font(), presentation_), texts);
    return QList<QRectF>(scene.labels.begin(), scene.labels.end());
}

QList<QRectF> StateMachineView::boxRects() const
{
    const QString texts[2] = {legendText(End::Client), legendText(End::Server)};
    const Scene scene = sceneFor(size(), fontsFor(font(), presentation_), texts);
    QList<QRectF> out;
    for (int n = 0; n < int(std::size(kNodes)); ++n)
        out << scene.g.rect(n);
    return out;
}

StateMachineView::Layout StateMachineView::layoutFor(QSizeF size) const
{
    const QString texts[2] = {legendText(End::Client), legendText(End::Server)};
    const Scene scene = sceneFor(size, fontsFor(font(), presentation_), texts);
    Layout out;
    out.boxFont = scene.boxFont;
    for (int n = 0; n < int(std::size(kNodes)); ++n) {
        out.boxes << scene.g.rect(n);
        out.names << QLatin1String(kNodes[n].state);
        out.texts << scene.texts[n];
    }
    out.labelFont = scene.labelFont;
    out.labels = QList<QRectF>(scene.labels.begin(), scene.labels.end());
    return out;
}

bool StateMachineView::event(QEvent *event)
{
    if (event->type() != QEvent::ToolTip) return QWidget::event(event);
    // A box whose name had to be elided gives it whole.
    const auto *help = static_cast<QHelpEvent *>(event);
    const Layout l = layoutFor(size());
    for (int n = 0; n < l.boxes.size(); ++n) {
        if (!l.boxes[n].contains(help->pos())) continue;
        if (l.texts[n] != l.names[n]) {
            QToolTip::showText(help->globalPos(), l.names[n], this);
            return true;
        }
        break;
    }
    QToolTip::hideText();
    event->ignore();
    return true;
}

void StateMachineView::setPresentation(bool on)
{
    presentation_ = on;
    update();
}

void StateMachineView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    const double scale = presentation_ ? 1.6 : 1.0;
    const Fonts fonts = fontsFor(font(), presentation_);

    // Legend at the top: one swatch per end with its name and state.
    const QString texts[2] = {legendText(End::Client), legendText(End::Server)};
    const Scene scene = sceneFor(size(), fonts, texts);
    const double line = scene.line;
    const bool stacked = scene.stacked;
    const QFontMetricsF legendMetrics(scene.legendFont);
    double x = 8;
    for (int i = 0; i < 2; ++i) {
        const double top = stacked ? i * line : 0;
        if (stacked) x = 8;
        p.setPen(Qt::NoPen);
        p.setBrush(kEndColour[i]);
        const double s = legendMetrics.height() * 0.8;
        p.drawRoundedRect(QRectF(x, top + (line - s) / 2, s, s), 3, 3);
        p.setPen(pal.color(QPalette::Text));
        p.setFont(scene.legendFont);
        // A narrow view elides the legend rather than cutting it at the edge.
        const QString text =
            legendMetrics.elidedText(texts[i], Qt::ElideRight, std::max(0.0, width() - (x + s + 6) - 4));
        const double w = legendMetrics.horizontalAdvance(text);
        p.drawText(QRectF(x + s + 6, top, w + 4, line), Qt::AlignVCenter | Qt::AlignLeft, text);
        x += s + 6 + w + 24;
    }

    const Geometry &g = scene.g;
    const QFont &labelFont = scene.labelFont;
    const QFontMetricsF labelMetrics(labelFont);

    const QColor ink = pal.color(QPalette::Text);
    QColor faint = ink;
    faint.setAlphaF(0.55);

    // Edges first, then their labels, then the boxes over them.
    const int current[2] = {nodeFor(ends_[0].state, ends_[0].from), nodeFor(ends_[1].state, ends_[1].from)};
    const int previous[2] = {nodeFor(ends_[0].from, {}), nodeFor(ends_[1].from, {})};
    for (const auto &e : kEdges) {
        const QPainterPath path = g.path(e);
        bool last[2] = {previous[0] == e.from && current[0] == e.to,
                        previous[1] == e.from && current[1] == e.to};
        QColor colour = faint;
        double width = 1.2 * scale;
        for (int i = 0; i < 2; ++i)
            if (last[i]) {
                colour = kEndColour[i];
                width = 2.6 * scale;
            }
        p.setPen(QPen(colour, width));
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
        // The arrow head at the end of the curve.
        const QPointF tip = path.pointAtPercent(1.0);
        const QPointF back = path.pointAtPercent(0.93);
        QLineF l(tip, back);
        l.setLength(7 * scale);
        QLineF a = l, b = l;
        a.setAngle(l.angle() + 24);
        b.setAngle(l.angle() - 24);
        p.setBrush(colour);
        p.setPen(Qt::NoPen);
        p.drawPolygon(QPolygonF{tip, a.p2(), b.p2()});
        // The animated packet of the last transition: a dot travelling along the edge.
        for (int i = 0; i < 2; ++i) {
            if (!last[i] || ends_[i].progress >= 1.0) continue;
            p.setBrush(kEndColour[i]);
            p.setPen(QPen(pal.color(QPalette::Base), 1.5));
            const double r = 5.5 * scale;
            p.drawEllipse(path.pointAtPercent(ends_[i].progress), r, r);
        }
    }
    p.setFont(labelFont);
    for (std::size_t i = 0; i < std::size(kEdges); ++i) {
        const LabelText t = labelText(kEdges[i]);
        const QString &event = t.event, &act = t.action;
        const QRectF r = scene.labels[i];
        const double h = labelMetrics.height(), w = r.width();
        const int lines = act.isEmpty() ? 1 : 2;
        QColor bg = pal.color(QPalette::Base);
        bg.setAlphaF(0.85);
        p.setPen(Qt::NoPen);
        p.setBrush(bg);
        p.drawRect(r);
        p.setPen(ink);
        p.drawText(QRectF(r.left(), r.top(), r.width(), h), Qt::AlignCenter, event);
        if (lines == 2) {
            // The RFC's rule between event and action.
            p.setPen(QPen(faint, 1));
            p.drawLine(QPointF(r.center().x() - w / 4, r.top() + h),
                       QPointF(r.center().x() + w / 4, r.top() + h));
            p.setPen(ink);
            p.drawText(QRectF(r.left(), r.top() + h, r.width(), h), Qt::AlignCenter, act);
        }
    }
    p.setFont(scene.boxFont);
    for (int n = 0; n < int(std::size(kNodes)); ++n) {
        const QRectF r = g.rect(n);
        const bool here[2] = {current[0] == n, current[1] == n};
        QColor fill = pal.color(QPalette::AlternateBase);
        QColor text = ink;
        if (here[0] || here[1]) {
            fill = here[0] ? kEndColour[0] : kEndColour[1];
            text = Qt::white;
        }
        p.setPen(QPen(ink, 1.2 * scale));
        p.setBrush(fill);
        p.drawRoundedRect(r, 5, 5);
        if (here[0] && here[1]) {
            // Both ends in one state: the box split between their colours.
            QPainterPath right;
            right.addRect(QRectF(r.center().x(), r.top(), r.width() / 2, r.height()));
            QPainterPath box;
            box.addRoundedRect(r, 5, 5);
            p.setPen(Qt::NoPen);
            p.setBrush(kEndColour[1]);
            p.drawPath(box.intersected(right));
            p.setPen(QPen(ink, 1.2 * scale));
            p.setBrush(Qt::NoBrush);
            p.drawRoundedRect(r, 5, 5);
        }
        p.setPen(text);
        p.drawText(r, Qt::AlignCenter, scene.texts[n]);
    }
}

} // namespace tcplab::gui
