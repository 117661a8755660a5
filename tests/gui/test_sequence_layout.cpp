// The sequence diagram's geometry: rows, visible ranges, time <-> y, label placement.
#include <QTest>

#include "views/sequence_layout.h"

using namespace tcplab::gui;

namespace {

SequenceLayout layoutWith(double rowHeight, double top = 50)
{
    SequenceGeometry g;
    g.rowHeight = rowHeight;
    g.top = top;
    g.width = 1000;
    g.timeColumn = 100;
    g.stateColumn = 120;
    return SequenceLayout(g);
}

// Send times (ns) of a small session: a handshake, then a burst, then a pause.
const std::vector<std::int64_t> kTimes{0, 10'000'000, 20'000'000, 20'100'000, 20'200'000, 1'020'200'000};

} // namespace

class TestSequenceLayout : public QObject {
    Q_OBJECT
private slots:
    void endpointsX()
    {
        const auto l = layoutWith(30);
        QCOMPARE(l.leftX(), 220.0);
        QCOMPARE(l.rightX(), 880.0);
        QCOMPARE(l.xFor(true), l.leftX());
        QCOMPARE(l.xFor(false), l.rightX());
        SequenceGeometry narrow;
        narrow.width = 300;
        narrow.timeColumn = 100;
        narrow.stateColumn = 120;
        QVERIFY(SequenceLayout(narrow).rightX() >= SequenceLayout(narrow).leftX() + 120); // never crossed
    }

    void rowAt_data()
    {
        QTest::addColumn<double>("rowHeight");
        QTest::addColumn<double>("y");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("expected");
        QTest::newRow("in header") << 30.0 << 10.0 << 100 << 0;
        QTest::newRow("first row top") << 30.0 << 50.0 << 100 << 0;
        QTest::newRow("first row bottom") << 30.0 << 79.9 << 100 << 0;
        QTest::newRow("second row") << 30.0 << 80.0 << 100 << 1;
        QTest::newRow("far below clamps") << 30.0 << 1e9 << 100 << 99;
        QTest::newRow("dense rows") << 0.5 << 150.0 << 1'000'000 << 200;
    }
    void rowAt()
    {
        QFETCH(double, rowHeight);
        QFETCH(double, y);
        QFETCH(int, rows);
        QFETCH(int, expected);
        const auto l = layoutWith(rowHeight);
        QCOMPARE(int(l.rowAt(y, std::size_t(rows))), expected);
        if (y >= 50 && expected < rows - 1) {
            // rowY is the centre of the row that rowAt finds.
            QCOMPARE(int(l.rowAt(l.rowY(std::size_t(expected)), std::size_t(rows))), expected);
        }
    }

    void visibleRows_data()
    {
        QTest::addColumn<double>("rowHeight");
        QTest::addColumn<double>("scrollY");
        QTest::addColumn<double>("height");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("first");
        QTest::addColumn<int>("last");
        // The viewport's content starts at scrollY + top (the header hides the first `top` px).
        QTest::newRow("top of session") << 30.0 << 50.0 << 300.0 << 1000 << 0 << 10;
        QTest::newRow("scrolled half a row") << 30.0 << 65.0 << 300.0 << 1000 << 0 << 11;
        QTest::newRow("middle") << 30.0 << 3050.0 << 300.0 << 1000 << 100 << 110;
        QTest::newRow("past the end") << 30.0 << 40050.0 << 300.0 << 1000 << 1000 << 1000;
        QTest::newRow("empty session") << 30.0 << 0.0 << 300.0 << 0 << 0 << 0;
        QTest::newRow("million rows, dense")
            << 0.25 << 50.0 + 250000.0 << 800.0 << 1'000'000 << 1'000'000 << 1'000'000;
        QTest::newRow("million rows, middle")
            << 0.25 << 50.0 + 100000.0 << 800.0 << 1'000'000 << 400'000 << 403'200;
    }
    void visibleRows()
    {
        QFETCH(double, rowHeight);
        QFETCH(double, scrollY);
        QFETCH(double, height);
        QFETCH(int, rows);
        QFETCH(int, first);
        QFETCH(int, last);
        const auto [a, b] = layoutWith(rowHeight).visibleRows(scrollY, height, std::size_t(rows));
        QCOMPARE(int(a), first);
        QCOMPARE(int(b), last);
    }

    void rowStepKeepsOneMarkPerPixel()
    {
        QCOMPARE(layoutWith(30).rowStep(), std::size_t(1));
        QCOMPARE(layoutWith(1).rowStep(), std::size_t(1));
        QCOMPARE(layoutWith(0.25).rowStep(), std::size_t(4));
        QCOMPARE(layoutWith(0.3).rowStep(), std::size_t(4));
    }

    void firstAtOrAfter_data()
    {
        QTest::addColumn<qint64>("t");
        QTest::addColumn<int>("expected");
        QTest::newRow("before all") << qint64(-5) << 0;
        QTest::newRow("exactly first") << qint64(0) << 0;
        QTest::newRow("between") << qint64(15'000'000) << 2;
        QTest::newRow("exactly a later one") << qint64(20'100'000) << 3;
        QTest::newRow("after all") << qint64(2'000'000'000) << 6;
    }
    void firstAtOrAfter()
    {
        QFETCH(qint64, t);
        QFETCH(int, expected);
        auto at = [](std::size_t i) { return kTimes[i]; };
        QCOMPARE(int(SequenceLayout::firstAtOrAfter(t, kTimes.size(), at)), expected);
    }

    void yForTime_data()
    {
        QTest::addColumn<qint64>("t");
        QTest::addColumn<double>("expectedY");
        const auto l = layoutWith(30);
        QTest::newRow("a transmission sits on its row") << qint64(10'000'000) << l.rowY(1);
        QTest::newRow("an arrival half-way between two rows") << qint64(5'000'000) << l.rowY(0) + 15;
        QTest::newRow("a quarter into the burst gap") << qint64(20'025'000) << l.rowY(2) + 7.5;
        QTest::newRow("before the session") << qint64(-1) << l.rowY(0);
        QTest::newRow("after the last row") << qint64(5'000'000'000) << l.rowY(5) + 24;
    }
    void yForTime()
    {
        QFETCH(qint64, t);
        QFETCH(double, expectedY);
        auto at = [](std::size_t i) { return kTimes[i]; };
        QCOMPARE(layoutWith(30).yForTime(t, kTimes.size(), at), expectedY);
    }

    void timeForYInvertsYForTime_data()
    {
        QTest::addColumn<qint64>("t");
        QTest::newRow("row 1") << qint64(10'000'000);
        QTest::newRow("between 0 and 1") << qint64(2'500'000);
        QTest::newRow("in the long pause") << qint64(520'200'000);
    }
    void timeForYInvertsYForTime()
    {
        QFETCH(qint64, t);
        auto at = [](std::size_t i) { return kTimes[i]; };
        const auto l = layoutWith(30);
        const double y = l.yForTime(t, kTimes.size(), at);
        QVERIFY(std::llabs(l.timeForY(y, kTimes.size(), at) - t) <= 1);
    }

    void placeLabels_data()
    {
        QTest::addColumn<std::vector<double>>("ys");
        QTest::addColumn<double>("gap");
        QTest::addColumn<std::vector<bool>>("expected");
        QTest::newRow("roomy rows all get labels")
            << std::vector<double>{0, 30, 60} << 14.0 << std::vector<bool>{true, true, true};
        QTest::newRow("dense rows are thinned")
            << std::vector<double>{0, 5, 10, 15, 20, 25, 30} << 14.0
            << std::vector<bool>{true, false, false, true, false, false, true};
        QTest::newRow("exactly the gap")
            << std::vector<double>{0, 14, 28} << 14.0 << std::vector<bool>{true, true, true};
        QTest::newRow("nothing") << std::vector<double>{} << 14.0 << std::vector<bool>{};
    }
    void placeLabels()
    {
        QFETCH(std::vector<double>, ys);
        QFETCH(double, gap);
        QFETCH(std::vector<bool>, expected);
        QCOMPARE(SequenceLayout::placeLabels(ys, gap), expected);
    }

    // placeClear: labels in their band, clear of strokes, fixed boxes and each other.
    void placeClearCentresWhenFree()
    {
        const std::vector<LabelRequest> q{{100, 14, 200, 60, 500}};
        const auto out = SequenceLayout::placeClear(q, {}, {}, 200, 800, 1.5);
        QVERIFY(out[0].placed);
        QCOMPARE(out[0].box.left, 400.0);
        QCOMPARE(out[0].box.right, 600.0);
        QCOMPARE(out[0].box.top, 86.0);
        QCOMPARE(out[0].box.bottom, 100.0);
    }
    void placeClearStepsAsideOfACrossingArrow()
    {
        // A steep arrow through the middle of the band: the label moves beside it, whole.
        const std::vector<LabelRequest> q{{100, 14, 200, 60, 500}};
        const std::vector<LabelStroke> arrow{{480, 0, 520, 200, 2}};
        const auto out = SequenceLayout::placeClear(q, arrow, {}, 200, 800, 1.5);
        QVERIFY(out[0].placed);
        QCOMPARE(out[0].box.width(), 200.0);
        // In the band grown by 3.5 px (half width 2, gap 1.5), y in [82.5, 103.5], the stroke's centre
        // runs over x in [496.5, 500.7]; the label keeps 3.5 px beside that: it goes right, nearer.
        QCOMPARE(out[0].box.left, 480 + 40 * 103.5 / 200 + 3.5);
    }
    void placeClearElidesIntoTheWidestGap()
    {
        // Upright arrows at x = 300, 420 and 700: the 300 px label narrows to the widest gap.
        const std::vector<LabelRequest> q{{100, 14, 300, 60, 500}};
        const std::vector<LabelStroke> arrows{
            {300, 0, 300, 200, 1}, {420, 0, 420, 200, 1}, {700, 0, 700, 200, 1}};
        const auto out = SequenceLayout::placeClear(q, arrows, {}, 250, 760, 1.0);
        QVERIFY(out[0].placed);
        QCOMPARE(out[0].box.left, 422.0);
        QCOMPARE(out[0].box.right, 698.0);
    }
    void placeClearLeavesOutWhenNoRoom()
    {
        // A flat arrow along the band blocks it all; gaps narrower than minWidth are no room either.
        const std::vector<LabelRequest> q{{100, 14, 200, 60, 500}, {300, 14, 200, 60, 500}};
        std::vector<LabelStroke> arrows{{200, 95, 800, 95, 1}};
        for (double x = 210; x < 800; x += 50)
            arrows.push_back({x, 250, x, 350, 1});
        const auto out = SequenceLayout::placeClear(q, arrows, {}, 200, 800, 1.0);
        QVERIFY(!out[0].placed);
        QVERIFY(!out[1].placed);
    }
    void placeClearKeepsLabelsApart()
    {
        // Three labels wishing for the same spot in overlapping bands, and a fixed badge.
        const std::vector<LabelRequest> q{
            {100, 14, 200, 60, 500}, {108, 14, 200, 60, 500}, {200, 14, 100, 60, 500}};
        const std::vector<LabelBox> badge{{440, 188, 560, 204}};
        const auto out = SequenceLayout::placeClear(q, {}, badge, 200, 800, 1.5);
        QVERIFY(out[0].placed && out[1].placed && out[2].placed);
        QCOMPARE(out[0].box.left, 400.0);
        QVERIFY(out[1].box.right <= out[0].box.left - 1.5 || out[1].box.left >= out[0].box.right + 1.5);
        QVERIFY(out[2].box.right <= 440 - 1.5 || out[2].box.left >= 560 + 1.5);
    }
};

QTEST_APPLESS_MAIN(TestSequenceLayout)
#include "test_sequence_layout.moc"
