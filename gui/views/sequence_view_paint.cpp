// SequenceView's painting: the rows in the viewport (planned first, then drawn in batches), the
// dense view (one mark per pixel row), the state badges and the header. Interaction and state live
// in sequence_view.cpp.
#include <algorithm>
#include <cmath>
#include <limits>

#include <QPainter>
#include <QPainterPath>

#include "services/segment_summary.h"
#include "views/sequence_labels.h"
#include "views/sequence_view.h"

namespace tcplab::gui {
namespace {

constexpr double kLabelRowMin = 14;         // below this row height labels are thinned out
constexpr double kDenseRowMax = 3;          // below this, one mark per pixel row and no labels
constexpr double kLabelGap = 1.5;           // labels keep this far from strokes, marks and each other
constexpr std::size_t kSmoothArrowsMax = 8; // antialiased arrow lines up to this many arrows

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

// Appends a line in pieces at most kStrip pixel rows tall (see above).
void appendInStrips(std::vector<QLineF> &out, QPointF a, QPointF b)
{
    const int pieces = std::max(1, int(std::ceil(std::abs(b.y() - a.y()) / kStrip)));
    for (int i = 0; i < pieces; ++i)
        out.emplace_back(a + (b - a) * (double(i) / pieces), a + (b - a) * (double(i + 1) / pieces));
}

// Lines that share a pen and an opacity, drawn with one drawLines call.
struct LineBatch {
    QRgb color;
    double width;
    bool dashed;
    double opacity;
    std::vector<QLineF> lines;
};

std::vector<QLineF> &batchFor(std::vector<LineBatch> &batches, const QColor &c, double width, bool dashed,
                              double opacity)
{
    for (auto &b : batches)
        if (b.color == c.rgba() && b.width == width && b.dashed == dashed && b.opacity == opacity)
            return b.lines;
    batches.push_back({c.rgba(), width, dashed, opacity, {}});
    return batches.back().lines;
}

void drawBatches(QPainter &p, const std::vector<LineBatch> &batches, Qt::PenCapStyle cap)
{
    for (const auto &b : batches) {
        p.setOpacity(b.opacity);
        p.setPen(QPen(QColor::fromRgba(b.color), b.width, b.dashed ? Qt::DashLine : Qt::SolidLine, cap));
        p.drawLines(b.lines.data(), int(b.lines.size()));
    }
    p.setOpacity(1.0);
}

void addArrowHead(QPainterPath &path, QPointF from, QPointF to, double size)
{
    const QLineF line(to, from);
    if (line.length() < 1) return;
    QLineF a = line, b = line;
    a.setLength(size);
    b.setLength(size);
    a.setAngle(line.angle() + 22);
    b.setAngle(line.angle() - 22);
    path.addPolygon(QPolygonF{to, a.p2(), b.p2(), to});
}

void drawCross(QPainter &p, QPointF c, double r, const QColor &color)
{
    p.setPen(QPen(color, 2.5));
    p.drawLine(c + QPointF(-r, -r), c + QPointF(r, r));
    p.drawLine(c + QPointF(-r, r), c + QPointF(r, -r));
}

QRectF square(QPointF c, double r)
{
    return QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r);
}

} // namespace

// Everything the rows in the viewport draw, worked out before anything is drawn, so that labels
// can be placed clear of every stroke and mark.
struct SequenceView::RowsPlan {
    struct ArrowDraw {
        std::size_t arrow = 0;
        ArrowInfo info;
        QPointF from, to;
        bool halo = false;
        QPointF haloTo;
        double haloHalf = 0;
        double width = 1.5, opacity = 1.0;
        QColor ink;
        enum Kind { Arrived, InFlight, Stopped } kind = Arrived;
        bool dashed = false;
        double headSize = 0, crossR = 0, dotR = 0;
        QPointF crossAt;
        QColor crossColor;
    };
    struct Badge {
        QRectF box;
        QString text;
        QColor bg, fg;
    };
    std::size_t first = 0, r0 = 0, r1 = 0;
    std::vector<ArrowDraw> arrows; // [first, r1)
    std::vector<bool> timeShown;   // [r0, r1)
    std::vector<Badge> badges;
    Scene scene;
    QFont font;
};

QFont SequenceView::rowFont() const
{
    QFont f = font();
    f.setPointSizeF(font().pointSizeF() * 0.92);
    // Labels are Latin text in one font: no shaping needed, and shaping was most of their cost.
    f.setStyleStrategy(QFont::PreferNoShaping);
    return f;
}

SequenceView::RowsPlan SequenceView::planRows(const SequenceLayout &l, const SessionData &s, double scrollY,
                                              double height) const
{
    RowsPlan plan;
    const std::size_t n = s.arrows.size();
    auto timeAt = [&](std::size_t i) { return nanosOf(store_->packet(s.arrows[i].sent).time); };
    const auto [r0, r1] = l.visibleRows(scrollY + l.geometry().top, height - l.geometry().top, n);
    // Arrows sent above the window may still land in it: search back by their longest flight.
    const std::int64_t topTime = r0 < n ? timeAt(r0) : 0;
    plan.first = std::min(r0, l.firstAtOrAfter(topTime - s.maxFlightNs, n, timeAt));
    plan.r0 = r0;
    plan.r1 = r1;
    const double h = rowHeight_;
    std::vector<double> ys;
    ys.reserve(r1 - r0);
    for (std::size_t i = r0; i < r1; ++i)
        ys.push_back(l.rowY(i));
    plan.timeShown = SequenceLayout::placeLabels(ys, kLabelRowMin);
    const LabelOptions opts{relativeSeq_};
    plan.font = rowFont();
    const QFontMetricsF fm(plan.font);
    const QPalette &pal = palette();

    plan.arrows.reserve(r1 - plan.first);
    std::vector<LabelStroke> strokes;
    std::vector<LabelBox> marks;
    auto addStroke = [&](std::size_t arrow, QPointF a, QPointF b, double halfWidth) {
        strokes.push_back({a.x(), a.y(), b.x(), b.y(), halfWidth});
        plan.scene.strokes.push_back({arrow, QLineF(a, b), halfWidth});
    };
    auto addMark = [&](const QRectF &r) {
        marks.push_back({r.left(), r.top(), r.right(), r.bottom()});
        plan.scene.marks.push_back(r);
    };
    for (std::size_t i = plan.first; i < r1; ++i) {
        RowsPlan::ArrowDraw d;
        d.arrow = i;
        d.info = describeArrow(*store_, s, i, opts);
        const ArrowInfo &a = d.info;
        const double y0 = l.rowY(i) - scrollY;
        const double x0 = l.xFor(a.fromLeft), x1 = l.xFor(!a.fromLeft);
        const QColor fg = i >= r0 && h >= 6 ? a.colors.foreground : pal.color(QPalette::Text);
        // An arrow leaving a dark row keeps the dark row's light ink only inside its own band.
        const QColor ink =
            a.colors.background.lightness() < 100 ? QColor(0xe0, 0x30, 0x30) : QColor(0x10, 0x10, 0x10);
        d.width = (i == selected_ ? 2.4 : 1.5) * (presentation_ ? 2.2 : 1.0);
        d.ink = h >= 6 ? ink : fg;
        // Stepped back to an earlier moment: what came later is ghosted, and what had not arrived
        // yet is still in flight.
        const Arrow &arrow = s.arrows[i];
        const bool future =
            momentLimit_ != kNoMoment && arrow.sent != Arrow::kNone && arrow.sent > momentLimit_;
        const bool arrivedThen =
            a.arrivedNs >= 0 && (momentLimit_ == kNoMoment || arrow.received <= momentLimit_);
        d.opacity = future ? 0.15 : 1.0;
        const double y1 = a.arrivedNs >= 0 ? l.yForTime(a.arrivedNs, n, timeAt) - scrollY : y0 + h * 0.5;
        d.from = QPointF(x0, y0);
        d.to = QPointF(x1, y1);
        if (a.seenOnlyOnArrival) d.from.setY(y0 - h * 0.35); // its send time is unknown
        const QPointF midway((x0 + x1) / 2, y0 + h * 0.45);
        if (h >= 6) {
            // A light halo keeps the arrow visible across dark and light bands alike.
            d.halo = true;
            d.haloTo = arrivedThen ? d.to : midway;
            d.haloHalf = (d.width + 2.5) / 2;
            addStroke(i, d.from, d.haloTo, d.haloHalf);
        }
        if (!future && !arrivedThen && !a.lost && !a.dropped) {
            // In flight at the lab's virtual time: the packet travels along its arrow, its position
            // the share of its flight time (the real one when known, else the session's longest).
            const std::int64_t nowNs = momentLimit_ != kNoMoment ? momentNs_ : nowNs_;
            // A session's first packets have no flight of their own to go by: the lab's other
            // sessions cross the same wire (on the demo network, with the same latency).
            std::int64_t known = s.maxFlightNs;
            if (a.arrivedNs < 0 && known == 0)
                for (const SessionData &other : index_->sessions())
                    known = std::max(known, other.maxFlightNs);
            const std::int64_t flight =
                a.arrivedNs >= 0 ? a.arrivedNs - a.sentNs : std::max<std::int64_t>(known, 1'000'000);
            const QPointF target = a.arrivedNs >= 0 ? d.to : QPointF(x1, y0 + h * 0.9);
            const double f =
                std::clamp(double(nowNs - a.sentNs) / double(std::max<std::int64_t>(flight, 1)), 0.0, 0.97);
            d.kind = RowsPlan::ArrowDraw::InFlight;
            d.to = d.from + (target - d.from) * f;
            d.dashed = true;
            d.width = 1.4 * (presentation_ ? 2 : 1);
            d.dotR = std::clamp(h / 6, 3.0, 8.0) * (presentation_ ? 1.5 : 1.0);
            addStroke(i, d.from, d.to, d.width / 2);
            addMark(square(d.to, d.dotR + 1));
            plan.scene.flights.push_back({i, d.from, target, d.to, f, a.arrivedNs >= 0});
        } else if (a.arrivedNs >= 0) {
            d.kind = RowsPlan::ArrowDraw::Arrived;
            d.headSize = std::min(9.0, 3 + h / 4) * (presentation_ ? 1.6 : 1.0);
            addStroke(i, d.from, d.to, d.width / 2);
            addMark(square(d.to, d.headSize));
            if (a.consumed || a.dropped) {
                d.crossAt = d.to - QPointF(a.fromLeft ? 10 : -10, 0);
                d.crossR = 4;
                d.crossColor = QColor(0xd0, 0x20, 0x20);
            }
        } else {
            // Never arrived: lost on the wire or dropped by a rule; a cross mid-way.
            d.kind = RowsPlan::ArrowDraw::Stopped;
            d.to = midway;
            d.dashed = !a.lost && !a.dropped; // still in flight
            if (d.dashed) d.width = 1.4;
            addStroke(i, d.from, d.to, d.width / 2);
            if (a.lost || a.dropped) {
                d.crossAt = d.to;
                d.crossR = std::min(7.0, 2 + h / 5);
                d.crossColor = QColor(0xe0, 0x20, 0x20);
            }
        }
        if (d.crossR > 0) addMark(square(d.crossAt, d.crossR + 1.25));
        plan.arrows.push_back(std::move(d));
    }

    // Rule badges sit on their arrow, a third of the way from its start, below the label.
    for (std::size_t i = r0; i < r1 && h >= 20; ++i) {
        const RowsPlan::ArrowDraw &d = plan.arrows[i - plan.first];
        const ArrowInfo &a = d.info;
        QStringList badges = a.rules;
        if (a.crafted) badges.prepend(tr("crafted"));
        if (a.duplicate) badges.prepend(tr("duplicate"));
        if (a.lost) badges.prepend(tr("lost"));
        if (badges.isEmpty()) continue;
        const double y0 = l.rowY(i) - scrollY, x0 = l.xFor(a.fromLeft);
        const QPointF at(x0 + (d.to.x() - x0) * 0.3, y0 + std::max(h * 0.3, (d.to.y() - y0) * 0.3) + 2);
        const QString text = badges.join(QStringLiteral(" · "));
        const double w = fm.horizontalAdvance(text) + 10, bh = fm.height() + 2;
        RowsPlan::Badge b{QRectF(at.x() - w / 2, at.y() - bh / 2, w, bh), text,
                          a.lost ? QColor(0xff, 0xd0, 0xd0) : QColor(0xff, 0xe0, 0x8a),
                          QColor(0x30, 0x20, 0x00)};
        addMark(b.box.adjusted(-0.5, -0.5, 0.5, 0.5));
        plan.badges.push_back(std::move(b));
    }

    // Labels above each arrow's start, between the lifelines, clear of every stroke, mark and
    // other label: narrowed (elided) to a free stretch when something crosses the middle, left
    // out when no stretch is wide enough.
    if (h < kLabelRowMin) return plan;
    std::vector<LabelRequest> requests;
    std::vector<std::size_t> requestArrow;
    std::vector<QString> texts;
    const double left = l.leftX() + 8, right = l.rightX() - 8;
    for (std::size_t i = r0; i < r1; ++i) {
        const RowsPlan::ArrowDraw &d = plan.arrows[i - plan.first];
        const ArrowInfo &a = d.info;
        QString text = a.label;
        if (!a.options.isEmpty()) text += QStringLiteral("  ") + a.options;
        if (!a.analysis.isEmpty()) text = QStringLiteral("[%1]  ").arg(a.analysis) + text;
        // Above the arrow's start, clear of its halo.
        const double bottom = l.rowY(i) - scrollY - std::max(d.haloHalf, d.width / 2) - kLabelGap - 0.5;
        const double w = std::ceil(fm.horizontalAdvance(text));
        requests.push_back(
            {bottom, std::ceil(fm.height()), w, std::min(w, fm.averageCharWidth() * 9), (left + right) / 2});
        requestArrow.push_back(i);
        texts.push_back(std::move(text));
    }
    const auto spots = SequenceLayout::placeClear(requests, strokes, marks, left, right, kLabelGap);
    for (std::size_t k = 0; k < spots.size(); ++k) {
        if (!spots[k].placed) continue;
        const LabelBox &b = spots[k].box;
        QString text = texts[k];
        if (b.width() < requests[k].width) text = fm.elidedText(text, Qt::ElideRight, b.width());
        plan.scene.labels.push_back({requestArrow[k], QRectF(b.left, b.top, b.width(), b.height()), text});
    }
    return plan;
}

SequenceView::Scene SequenceView::scene(QSizeF size, double scrollY) const
{
    const SessionData *s = data();
    if (!s || s->arrows.empty() || rowHeight_ < kDenseRowMax) return {};
    return planRows(layout(size.width()), *s, scrollY, size.height()).scene;
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
    // The time column's title may reach over the state column up to the client's address (a narrow
    // view keeps it whole); elided only when even that is too short.
    const QFontMetricsF boldFm(bold);
    const double clientText = std::max(boldFm.horizontalAdvance(tr("Client")),
                                       boldFm.horizontalAdvance(QString::fromStdString(s.left.toString())));
    const double titleRoom =
        std::max(l.geometry().timeColumn, l.leftX() - std::min(boxW, clientText) / 2 - 8) - 4;
    p.setFont(font());
    const QString title = QFontMetricsF(font()).elidedText(
        relativeTime_ ? tr("Time (s)") : tr("Lab time (s)"), Qt::ElideRight, titleRoom);
    p.drawText(QRectF(4, 0, titleRoom, top - 4), Qt::AlignLeft | Qt::AlignBottom, title);
}

void SequenceView::paintRows(QPainter &p, const SequenceLayout &l, const SessionData &s, double scrollY,
                             double height) const
{
    const QPalette &pal = palette();
    const RowsPlan plan = planRows(l, s, scrollY, height);
    const double h = rowHeight_;
    const double startNs = relativeTime_ ? double(nanosOf(s.start)) : 0.0;
    p.setFont(plan.font);
    const QFontMetricsF fm(plan.font);
    auto draw = [&](std::size_t i) -> const RowsPlan::ArrowDraw & { return plan.arrows[i - plan.first]; };

    // Pass 1: Wireshark-coloured row bands and time stamps, then the lifelines over them.
    for (std::size_t i = plan.r0; i < plan.r1 && h >= 6; ++i) {
        const ArrowInfo &a = draw(i).info;
        const double y0 = l.rowY(i) - scrollY;
        p.fillRect(QRectF(0, y0 - h / 2, l.geometry().width, h), a.colors.background);
        if (plan.timeShown[i - plan.r0]) {
            p.setPen(a.colors.foreground);
            const double t = (double(a.sentNs) - startNs) / 1e9;
            const double baseline = y0 + (fm.ascent() - fm.descent()) / 2;
            p.drawText(QPointF(4, baseline), QString::number(t, 'f', 6));
        }
    }
    p.setPen(QPen(pal.color(QPalette::Mid), 2));
    drawVLine(p, l.leftX(), l.geometry().top, height);
    drawVLine(p, l.rightX(), l.geometry().top, height);

    // Pass 2: the arrows over every band they cross, batched by pen: halos (opaque and aliased: a
    // translucent antialiased wide stroke costs ~40 times more), then the arrows, their heads
    // (antialiased, one path per colour) and the in-flight dots and crosses.
    std::vector<LineBatch> halos;
    std::vector<LineBatch> lines;
    for (const auto &d : plan.arrows) {
        if (d.halo)
            appendInStrips(batchFor(halos, QColor(255, 255, 255), 2 * d.haloHalf, false, d.opacity), d.from,
                           d.haloTo);
        appendInStrips(batchFor(lines, d.ink, d.width, d.dashed, d.opacity), d.from, d.to);
    }
    const bool smooth = p.testRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::Antialiasing, false);
    drawBatches(p, halos, Qt::FlatCap);
    // Antialiased strokes went through Qt's general stroker and cost ~10 times the aliased ones
    // (two thirds of a repaint at 30 px rows): arrows are smooth only when a few are in view.
    p.setRenderHint(QPainter::Antialiasing, smooth && plan.arrows.size() <= kSmoothArrowsMax);
    drawBatches(p, lines, Qt::SquareCap);
    p.setRenderHint(QPainter::Antialiasing, smooth);
    std::vector<std::pair<std::pair<QRgb, double>, QPainterPath>> heads;
    for (const auto &d : plan.arrows) {
        if (d.kind != RowsPlan::ArrowDraw::Arrived) continue;
        auto it = std::find_if(heads.begin(), heads.end(), [&](const auto &e) {
            return e.first.first == d.ink.rgba() && e.first.second == d.opacity;
        });
        if (it == heads.end()) it = heads.insert(heads.end(), {{d.ink.rgba(), d.opacity}, QPainterPath()});
        addArrowHead(it->second, d.from, d.to, d.headSize);
    }
    p.setPen(Qt::NoPen);
    for (const auto &[key, path] : heads) {
        p.setOpacity(key.second);
        p.fillPath(path, QColor::fromRgba(key.first));
    }
    p.setOpacity(1.0);
    for (const auto &d : plan.arrows) {
        p.setOpacity(d.opacity);
        if (d.kind == RowsPlan::ArrowDraw::InFlight) {
            p.setPen(QPen(QColor(255, 255, 255), 1.5));
            p.setBrush(QColor(0x1f, 0x77, 0xd4));
            p.drawEllipse(d.to, d.dotR, d.dotR);
            p.setBrush(Qt::NoBrush);
        }
        if (d.crossR > 0) drawCross(p, d.crossAt, d.crossR, d.crossColor);
    }
    p.setOpacity(1.0);

    // Pass 3: the selection outline, labels, rule badges.
    if (selected_ != kNoArrow && selected_ >= plan.r0 && selected_ < plan.r1 && h >= 6) {
        const double y0 = l.rowY(selected_) - scrollY;
        p.setPen(QPen(pal.color(QPalette::Highlight), 2.5));
        p.setBrush(Qt::NoBrush);
        p.drawRect(QRectF(0, y0 - h / 2, l.geometry().width, h).adjusted(1, 1, -1, -1));
    }
    for (const auto &label : plan.scene.labels) {
        p.setPen(draw(label.arrow).info.colors.foreground);
        p.drawText(QPointF(label.box.left(), label.box.bottom() - fm.descent()), label.text);
    }
    for (const auto &b : plan.badges) {
        p.setPen(QPen(b.bg.darker(140), 1));
        p.setBrush(b.bg);
        p.drawRoundedRect(b.box, 4, 4);
        p.setPen(b.fg);
        p.drawText(b.box, Qt::AlignCenter, b.text);
    }
    p.setBrush(Qt::NoBrush);
    p.setFont(font());
}

void SequenceView::paintDense(QPainter &p, const SequenceLayout &l, const SessionData &s, double scrollY,
                              double height) const
{
    // One mark per pixel row for all the arrows under it, in the colour of the most telling of
    // them (Wireshark's precedence: bad TCP, then RST, then SYN/FIN, then plain segments coloured
    // by direction), so a retransmission or a reset never hides behind its neighbours. Runs of one
    // colour are filled as one rectangle.
    const std::size_t n = s.arrows.size();
    const QColor fromLeftColor(0x40, 0x60, 0xc0), fromRightColor(0x30, 0x90, 0x60);
    auto rank = [](std::uint8_t flags, bool bad) {
        return bad ? 3 : (flags & kRst) ? 2 : (flags & (kSyn | kFin)) ? 1 : 0;
    };
    const int x0 = int(std::lround(l.leftX())), x1 = int(std::lround(l.rightX()));
    const int top = int(std::ceil(l.geometry().top));
    const double contentEnd = l.contentHeight(n);
    int runStart = top, selectedRow = -1;
    QRgb runColor = 0;
    bool inRun = false;
    auto flush = [&](int end) {
        if (inRun && end > runStart)
            p.fillRect(QRect(x0, runStart, x1 - x0 + 1, end - runStart), QColor::fromRgba(runColor));
        inRun = false;
    };
    int py = top;
    for (; py < int(height); ++py) {
        const double y = scrollY + py;
        if (y > contentEnd) break;
        const std::size_t a = l.rowAt(y, n), b = std::max(a + 1, std::min(n, l.rowAt(y + 1, n)));
        int best = -1;
        QRgb color = 0;
        for (std::size_t row = a; row < b; ++row) {
            const PacketView pv = store_->packet(s.arrows[row].sent);
            const auto seg = summarizeFrame(pv.bytes, pv.originalLength);
            bool bad = false;
            for (const Annotation *note = pv.firstNote; note && !bad; note = note->nextNote())
                bad = note->kind == AnnotationKind::Analysis;
            const int r = rank(seg.flags, bad);
            if (r <= best) continue;
            best = r;
            color = r > 0
                        ? wiresharkColors(seg.flags, bad).background.rgba()
                        : (Endpoint{seg.src, seg.srcPort} == s.left ? fromLeftColor : fromRightColor).rgba();
            if (r == 3) break;
        }
        if (selected_ >= a && selected_ < b) selectedRow = py;
        if (!inRun || color != runColor || py - runStart >= int(kStrip)) {
            flush(py);
            inRun = true;
            runStart = py;
            runColor = color;
        }
    }
    flush(py);
    p.setPen(QPen(palette().color(QPalette::Mid), 2));
    drawVLine(p, l.leftX(), l.geometry().top, height);
    drawVLine(p, l.rightX(), l.geometry().top, height);
    if (selectedRow >= 0)
        p.fillRect(QRect(0, selectedRow - 1, int(l.geometry().width), 3),
                   palette().color(QPalette::Highlight));
}

QFont SequenceView::badgeFontFor(double stateColumn) const
{
    // The widest RFC 9293 name must fit a badge (text + 10 px) in the column (less 8 px).
    QFont f = badgeFont();
    const double nominal = f.pointSizeF();
    const double minPt = std::min(nominal, kMinBadgePointSize);
    const double room = stateColumn - 8;
    for (double pt = nominal; pt > minPt; pt -= 0.5) {
        f.setPointSizeF(pt);
        if (badgeWidthIn(f) <= room) return f;
    }
    f.setPointSizeF(minPt);
    return f;
}

SequenceView::StateBadges SequenceView::planStates(const SequenceLayout &l, const SessionData &s,
                                                   double scrollY, double height) const
{
    StateBadges out;
    out.font = badgeFontFor(l.geometry().stateColumn);
    if (s.states.empty()) return out;
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
    const QFontMetricsF fm(out.font);
    QFont italic = out.font;
    italic.setItalic(true);
    const QFontMetricsF fmItalic(italic);
    const double room = l.geometry().stateColumn - 8;
    double lastY[2] = {-1e9, -1e9};
    for (; it != s.states.end() && nanosOf(it->time) <= tEnd; ++it) {
        StateBadge b;
        b.left = it->left;
        b.inferred = it->inferred;
        double y = l.yForTime(nanosOf(it->time), n, timeAt) - scrollY;
        double &prev = lastY[it->left ? 0 : 1];
        y = std::max(y, prev + fm.height() + 3); // states at the same instant stack downwards
        prev = y;
        b.y = y;
        const QString name = QString::fromStdString(it->name);
        b.fullText = it->inferred ? tr("%1 (inferred)").arg(name) : name;
        const QFontMetricsF &m = it->inferred ? fmItalic : fm;
        b.text = b.fullText;
        if (m.horizontalAdvance(b.text) + 10 > room && b.inferred) b.text = name;
        if (m.horizontalAdvance(b.text) + 10 > room)
            b.text = m.elidedText(b.text, Qt::ElideRight, std::max(0.0, room - 10));
        const double w = std::min(m.horizontalAdvance(b.text) + 10, room);
        const double x = it->left ? l.leftX() - 6 - w : l.rightX() + 6;
        b.box = QRectF(x, y - fm.height() / 2 - 1, w, fm.height() + 2);
        out.badges.push_back(std::move(b));
    }
    return out;
}

SequenceView::StateBadges SequenceView::stateBadges(QSizeF size, double scrollY) const
{
    const SessionData *s = data();
    if (!s || s->arrows.empty()) return {};
    return planStates(layout(size.width()), *s, scrollY, size.height());
}

void SequenceView::paintStates(QPainter &p, const SequenceLayout &l, const SessionData &s, double scrollY,
                               double height) const
{
    const StateBadges plan = planStates(l, s, scrollY, height);
    const QPalette &pal = palette();
    for (const StateBadge &b : plan.badges) {
        const QRectF &r = b.box;
        p.save();
        QPen border(pal.color(QPalette::Highlight), 1.2, b.inferred ? Qt::DashLine : Qt::SolidLine);
        p.setPen(border);
        p.setBrush(pal.color(QPalette::AlternateBase));
        p.drawRoundedRect(r, 5, 5);
        QFont tf = plan.font;
        tf.setItalic(b.inferred);
        p.setFont(tf);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(r, Qt::AlignCenter, b.text);
        p.setPen(QPen(pal.color(QPalette::Highlight), 1.2));
        const double lx = b.left ? l.leftX() : l.rightX();
        p.drawLine(QPointF(b.left ? r.right() : r.left(), b.y), QPointF(lx, b.y));
        p.restore();
    }
}

} // namespace tcplab::gui
