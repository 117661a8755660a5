// Sequence diagram labels never touch an arrow, a mark on an arrow or another label: a dense
// session (bursts, long flights that cross many rows, losses, rule badges, tap-mode arrivals) is
// laid out by the real view at several zooms and scroll positions, and the geometry it would paint
// is checked (rectangles against stroke centre lines and half widths, not pixels).
#include <algorithm>
#include <cmath>

#include <QApplication>
#include <QFontMetricsF>
#include <QTest>

#include "capture/packet_store.h"
#include "models/session_index.h"
#include "services/segment_summary.h"
#include "views/sequence_view.h"

using namespace tcplab;
using namespace tcplab::gui;

namespace {

constexpr SessionId kSession = 1;

double pointToSegment(QPointF p, const QLineF &s)
{
    const QPointF d = s.p2() - s.p1();
    const double len2 = d.x() * d.x() + d.y() * d.y();
    double t = len2 > 0 ? ((p.x() - s.x1()) * d.x() + (p.y() - s.y1()) * d.y()) / len2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    const QPointF q = s.p1() + d * t;
    return std::hypot(p.x() - q.x(), p.y() - q.y());
}

// Distance between a segment and a rectangle (0 when they meet).
double segmentToRect(const QLineF &s, const QRectF &r)
{
    if (r.contains(s.p1()) || r.contains(s.p2())) return 0;
    const QLineF edges[] = {{r.topLeft(), r.topRight()},
                            {r.topRight(), r.bottomRight()},
                            {r.bottomRight(), r.bottomLeft()},
                            {r.bottomLeft(), r.topLeft()}};
    double best = 1e300;
    for (const QLineF &e : edges) {
        QPointF cross;
        if (s.intersects(e, &cross) == QLineF::BoundedIntersection) return 0;
        best =
            std::min({best, pointToSegment(e.p1(), s), pointToSegment(s.p1(), e), pointToSegment(s.p2(), e)});
    }
    return best;
}

struct Sent {
    bool fromLeft;
    std::uint8_t flags;
};

// A session with everything that makes labels hard: back-to-back bursts, flights from 1 us to
// 5 ms (an arrow crossing dozens of rows), arrows in both directions crossing each other, losses,
// rule badges, retransmission labels and arrivals from a peer outside the lab.
void fillSession(PacketStore &store, std::size_t segments, bool sparse)
{
    SegmentSpec l2r, r2l;
    l2r.src = r2l.dst = Ip4Addr{0xc6120001u};
    l2r.dst = r2l.src = Ip4Addr{0xc6120002u};
    l2r.srcPort = r2l.dstPort = 40000;
    l2r.dstPort = r2l.srcPort = 80;
    l2r.window = r2l.window = 64240;
    std::uint32_t rng = 12345;
    auto next = [&] {
        rng = rng * 1664525u + 1013904223u;
        return rng >> 8;
    };
    std::int64_t t = 1'000'000;
    for (std::size_t i = 0; i < segments; ++i) {
        const bool fromLeft = i < 3 ? i != 1 : next() % 3 != 0;
        SegmentSpec &s = fromLeft ? l2r : r2l;
        s.flags = i == 0 ? kSyn : i == 1 ? (kSyn | kAck) : (kAck | (fromLeft ? kPsh : 0));
        s.mss = i < 2 ? 1460 : -1;
        s.windowScale = i < 2 ? 7 : -1;
        s.sackPermitted = i < 2;
        s.seq = 1000 + std::uint32_t(i) * 100;
        s.ack = 5000 + std::uint32_t(i) * 10;
        s.payloadLength = fromLeft && i > 2 ? 100 : 0;
        const Bytes frame = buildSegmentFrame(s);
        const bool tapPeer = !sparse && i % 29 == 5;
        const bool lost = !sparse && i % 13 == 4;
        FrameInfo sent{instantFromNanos(t),
                       HostId(fromLeft ? 0 : 1),
                       0,
                       tapPeer ? Direction::Inbound : Direction::Outbound,
                       lost ? FrameFate::LostOnWire : FrameFate::Delivered,
                       kSession,
                       Event::kNoPacket};
        const auto idx = store.append(sent, frame);
        if (!sparse && i % 17 == 3) store.addAnnotation(idx, AnnotationKind::Analysis, "TCP Retransmission");
        if (!sparse && i % 19 == 7)
            store.addAnnotation(idx, AnnotationKind::RuleHit, "rule slow-acks: delay 5ms",
                                {{"rule", "slow-acks"}, {"action", "delay 5ms"}});
        if (!tapPeer && !lost) {
            const std::int64_t flight = sparse            ? 100'000
                                        : i % 23 == 11    ? 5'000'000
                                        : next() % 4 == 0 ? 1'000
                                                          : 30'000 + std::int64_t(next() % 80'000);
            FrameInfo got = sent;
            got.time = instantFromNanos(t + flight);
            got.host = HostId(fromLeft ? 1 : 0);
            got.direction = Direction::Inbound;
            got.sentAs = idx;
            store.append(got, frame);
        }
        t += sparse ? 1'000'000 : (next() % 5 == 0 ? 2'000'000 : 1'000 + std::int64_t(next() % 20'000));
    }
}

struct Checked {
    std::size_t labels = 0, elided = 0;
};

// Every label clear of every stroke (beyond its half width), of every mark and of every other label,
// inside the lifelines and above its own arrow's start.
Checked checkScene(const SequenceView &view, QSizeF size, double scrollY, const QString &where,
                   QStringList &errors)
{
    const auto scene = view.scene(size, scrollY);
    const SequenceLayout l = view.layout(size.width());
    Checked c;
    for (const auto &label : scene.labels) {
        ++c.labels;
        if (label.text.contains(QChar(0x2026))) ++c.elided;
        const QRectF &b = label.box;
        const QString what = QStringLiteral("%1: label of arrow %2 \"%3\" at (%4, %5, %6 x %7)")
                                 .arg(where)
                                 .arg(label.arrow)
                                 .arg(label.text)
                                 .arg(b.left())
                                 .arg(b.top())
                                 .arg(b.width())
                                 .arg(b.height());
        if (label.text.isEmpty() || b.width() <= 0 || b.height() <= 0)
            errors << what + QStringLiteral(" is empty");
        if (b.left() < l.leftX() || b.right() > l.rightX())
            errors << what + QStringLiteral(" is not between the lifelines");
        for (const auto &s : scene.strokes) {
            const double d = segmentToRect(s.line, b);
            if (d <= s.halfWidth + 0.5)
                errors << what +
                              QStringLiteral(" is %1 px from the centre of arrow %2's stroke (half width %3)")
                                  .arg(d)
                                  .arg(s.arrow)
                                  .arg(s.halfWidth);
        }
        for (const auto &m : scene.marks)
            if (b.adjusted(-0.5, -0.5, 0.5, 0.5).intersects(m))
                errors << what + QStringLiteral(" covers a mark at (%1, %2)").arg(m.left()).arg(m.top());
        for (const auto &other : scene.labels)
            if (&other != &label && b.adjusted(-0.5, -0.5, 0.5, 0.5).intersects(other.box))
                errors << what + QStringLiteral(" touches the label of arrow %1").arg(other.arrow);
    }
    return c;
}

} // namespace

class TestSequenceLabels : public QObject {
    Q_OBJECT
private slots:
    void denseSessionLabelsStayClear_data()
    {
        QTest::addColumn<double>("rowHeight");
        QTest::addColumn<bool>("presentation");
        for (double h : {14.0, 17.0, 22.0, 30.0, 45.0, 80.0})
            for (bool presentation : {false, true})
                QTest::addRow("rows %g px%s", h, presentation ? ", presentation" : "") << h << presentation;
    }
    void denseSessionLabelsStayClear()
    {
        QFETCH(double, rowHeight);
        QFETCH(bool, presentation);
        PacketStore store;
        fillSession(store, 400, false);
        SessionIndex index;
        index.ingest(store, {});
        QCOMPARE(index.sessions().size(), std::size_t(1));
        SequenceView view;
        view.resize(1000, 700);
        view.setSource(&store, &index);
        view.setSession(kSession);
        view.setPresentation(presentation);
        if (presentation) {
            QFont f = view.font();
            f.setPointSizeF(f.pointSizeF() * 1.6);
            view.setFont(f);
        }
        view.setRowHeight(rowHeight);
        view.selectArrow(37); // a thicker arrow
        const auto &s = index.sessions().front();
        const QSizeF size(1000, 700);
        const double content = view.layout(size.width()).contentHeight(s.arrows.size());
        Checked total;
        QStringList errors;
        for (double y = 0; y < content; y += size.height() / 3) {
            const auto c = checkScene(view, size, y, QStringLiteral("scroll %1").arg(y), errors);
            total.labels += c.labels;
            total.elided += c.elided;
        }
        QVERIFY2(
            errors.isEmpty(),
            qPrintable(QStringLiteral("%1 collisions, first: %2").arg(errors.size()).arg(errors.value(0))));
        // Not vacuous: plenty of labels remain where arrows leave room.
        QVERIFY2(total.labels > 30, qPrintable(QStringLiteral("only %1 labels placed").arg(total.labels)));
    }

    void sparseSessionLabelsAreWhole()
    {
        // One packet per millisecond, short flights: every row keeps its whole label.
        PacketStore store;
        fillSession(store, 60, true);
        SessionIndex index;
        index.ingest(store, {});
        SequenceView view;
        view.resize(1100, 700);
        view.setSource(&store, &index);
        view.setSession(kSession);
        view.setRowHeight(40);
        const QSizeF size(1100, 700);
        const auto scene = view.scene(size, 0);
        QStringList errors;
        const auto c = checkScene(view, size, 0, QStringLiteral("sparse"), errors);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0)));
        const SequenceLayout l = view.layout(size.width());
        const auto [r0, r1] = l.visibleRows(l.geometry().top, size.height() - l.geometry().top, 60);
        QCOMPARE(c.labels, r1 - r0);
        QCOMPARE(c.elided, std::size_t(0));
        QVERIFY(scene.labels.front().text.startsWith(QStringLiteral("SYN  Seq=0")));
        QVERIFY(scene.labels.front().text.contains(QStringLiteral("mss 1460")));
    }
};

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    TestSequenceLabels t;
    return QTest::qExec(&t, argc, argv);
}

#include "test_sequence_labels.moc"
