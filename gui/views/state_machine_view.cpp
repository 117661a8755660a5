#include "views/state_machine_view.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include <QPainter>
#include <QPainterPath>

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
    QFont boxFont = font();
    boxFont.setBold(true);
    QFont labelFont = font();
    labelFont.setBold(false);
    labelFont.setPointSizeF(std::max(6.0, font().pointSizeF() * (presentation_ ? 0.6 : 0.8)));
    const QFontMetricsF boxMetrics(boxFont), labelMetrics(labelFont);

    // Legend at the top: one swatch per end with its name and state.
    // One line per end when both do not fit side by side.
    const double line = boxMetrics.height() * 1.6;
    QString texts[2];
    double needed = 8;
    for (int i = 0; i < 2; ++i) {
        texts[i] = ends_[i].state.isEmpty() ? names_[i] : QStringLiteral("%1: %2").arg(names_[i], ends_[i].state);
        needed += boxMetrics.height() + 6 + boxMetrics.horizontalAdvance(texts[i]) + 24;
    }
    const bool stacked = needed > width();
    const double legendHeight = stacked ? line * 2 : line;
    double x = 8;
    for (int i = 0; i < 2; ++i) {
        const double top = stacked ? i * line : 0;
        if (stacked) x = 8;
        p.setPen(Qt::NoPen);
        p.setBrush(kEndColour[i]);
        const double s = boxMetrics.height() * 0.8;
        p.drawRoundedRect(QRectF(x, top + (line - s) / 2, s, s), 3, 3);
        p.setPen(pal.color(QPalette::Text));
        p.setFont(boxFont);
        const double w = boxMetrics.horizontalAdvance(texts[i]);
        p.drawText(QRectF(x + s + 6, top, w + 4, line), Qt::AlignVCenter | Qt::AlignLeft, texts[i]);
        x += s + 6 + w + 24;
    }

    Geometry g;
    g.area = QRectF(6, legendHeight + 4, width() - 12, height() - legendHeight - 10);
    g.box = QSizeF(std::min(g.area.width() / 3.0 - 36,
                            boxMetrics.horizontalAdvance(QStringLiteral("SYN-RECEIVED")) + 18),
                   std::min(g.area.height() / 7.0 * 0.55, boxMetrics.height() * 1.8));

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
    for (const auto &e : kEdges) {
        const QPainterPath path = g.path(e);
        QPointF at = path.pointAtPercent(0.5);
        const QString event = tr(e.event);
        const QString action = QString::fromUtf8(e.action);
        const QString act = action.isEmpty() || action == QLatin1String("x") ? action : tr(e.action);
        const double w =
            std::max(labelMetrics.horizontalAdvance(event), labelMetrics.horizontalAdvance(act)) + 6;
        const double h = labelMetrics.height();
        const int lines = act.isEmpty() ? 1 : 2;
        if (e.bend != 0) {
            // A bowed edge has a twin going the other way: its label moves out to its own side.
            const QPointF d = g.centre(e.to) - g.centre(e.from);
            const double len = std::hypot(d.x(), d.y());
            const QPointF normal = len > 0 ? QPointF(d.y(), -d.x()) / len * (e.bend > 0 ? 1 : -1) : QPointF();
            at += QPointF(normal.x() * (w / 2 + 2), normal.y() * (h * lines / 2 + 2));
        }
        QRectF r(at.x() - w / 2, at.y() - h * lines / 2, w, h * lines);
        // Keep labels inside the widget.
        r.moveLeft(std::clamp(r.left(), 1.0, std::max(1.0, width() - r.width() - 1)));
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
    p.setFont(boxFont);
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
        p.drawText(r, Qt::AlignCenter, QLatin1String(kNodes[n].state));
    }
}

} // namespace tcplab::gui
