// The sequence diagram's geometry as pure functions, so it can be tested with data rows and so the
// view's cost follows the window: every arrow has a row (its transmission), rows are evenly spaced,
// and any other instant (an arrival, a state change) sits between the rows of the transmissions
// around it. Everything is found by binary search; nothing walks the session.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace tcplab::gui {

// Label placement clear of the drawing (view coordinates, y down).
struct LabelBox {
    double left = 0, top = 0, right = 0, bottom = 0;
    double width() const { return right - left; }
    double height() const { return bottom - top; }
};
// A stroke: its centre line and half its thickness.
struct LabelStroke {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0, halfWidth = 0;
};
struct LabelRequest {
    double bottom = 0, height = 0; // the band the label must sit in (above its arrow's start)
    double width = 0;              // its full text
    double minWidth = 0;           // narrower than this (elided) is not worth showing
    double centreX = 0;            // where it would rather be
};
struct LabelSlot {
    bool placed = false;
    LabelBox box; // narrower than the request when the text must be elided
};

struct SequenceGeometry {
    double rowHeight = 30; // pixels per transmission (the zoom)
    double top = 58;       // header with the endpoints' names
    double width = 900;
    double timeColumn = 96;   // time stamps on the left
    double stateColumn = 124; // states beside each lifeline
};

class SequenceLayout {
public:
    explicit SequenceLayout(SequenceGeometry g = {}) : g_(g) {}
    const SequenceGeometry &geometry() const { return g_; }

    double leftX() const { return g_.timeColumn + g_.stateColumn; }
    double rightX() const { return std::max(leftX() + 120, g_.width - g_.stateColumn); }
    double xFor(bool leftEnd) const { return leftEnd ? leftX() : rightX(); }

    // Content coordinates (before scrolling): row i's centre line.
    double rowY(std::size_t row) const { return g_.top + (double(row) + 0.5) * g_.rowHeight; }
    double contentHeight(std::size_t rows) const { return g_.top + (double(rows) + 1) * g_.rowHeight; }
    // The row under content y (clamped to [0, rows)); rows must be > 0.
    std::size_t rowAt(double y, std::size_t rows) const
    {
        const double r = std::floor((y - g_.top) / g_.rowHeight);
        return r <= 0 ? 0 : std::min(rows - 1, std::size_t(r));
    }
    // Rows [first, last) that intersect the viewport [scrollY, scrollY + height).
    std::pair<std::size_t, std::size_t> visibleRows(double scrollY, double height, std::size_t rows) const
    {
        if (rows == 0) return {0, 0};
        const double a = (scrollY - g_.top) / g_.rowHeight, b = (scrollY + height - g_.top) / g_.rowHeight;
        const auto first = a <= 0 ? std::size_t(0) : std::min(rows, std::size_t(std::floor(a)));
        const auto last = b <= 0 ? std::size_t(0) : std::min(rows, std::size_t(std::ceil(b)));
        return {first, std::max(first, last)};
    }
    // When rows are thinner than a pixel, paint every step-th row only: one mark per pixel row.
    std::size_t rowStep() const { return g_.rowHeight >= 1 ? 1 : std::size_t(std::ceil(1 / g_.rowHeight)); }

    // First row whose time is >= t; timeAt(i) must be non-decreasing.
    template <class TimeAt> static std::size_t firstAtOrAfter(std::int64_t t, std::size_t rows, TimeAt timeAt)
    {
        std::size_t lo = 0, hi = rows;
        while (lo < hi) {
            const std::size_t mid = lo + (hi - lo) / 2;
            if (timeAt(mid) < t)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }

    // y of any instant: between the rows of the transmissions before and after it, proportionally.
    template <class TimeAt> double yForTime(std::int64_t t, std::size_t rows, TimeAt timeAt) const
    {
        if (rows == 0) return g_.top;
        const std::size_t j = firstAtOrAfter(t, rows, timeAt);
        if (j == 0) return rowY(0);
        if (j == rows) return rowY(rows - 1) + 0.8 * g_.rowHeight; // after the last transmission
        const std::int64_t t0 = timeAt(j - 1), t1 = timeAt(j);
        const double f = t1 > t0 ? double(t - t0) / double(t1 - t0) : 1.0;
        return rowY(j - 1) + f * g_.rowHeight;
    }

    // The inverse: the instant at content y.
    template <class TimeAt> std::int64_t timeForY(double y, std::size_t rows, TimeAt timeAt) const
    {
        if (rows == 0) return 0;
        const double r = (y - g_.top) / g_.rowHeight - 0.5;
        if (r <= 0) return timeAt(0);
        const auto i = std::size_t(std::floor(r));
        if (i + 1 >= rows) return timeAt(rows - 1);
        const double f = r - double(i);
        return timeAt(i) + std::int64_t(f * double(timeAt(i + 1) - timeAt(i)));
    }

    // Greedy label placement: keeps a label when it is at least minGap below the last kept one.
    static std::vector<bool> placeLabels(std::span<const double> ys, double minGap)
    {
        std::vector<bool> keep(ys.size(), false);
        double last = -1e300;
        for (std::size_t i = 0; i < ys.size(); ++i) {
            if (ys[i] - last >= minGap) {
                keep[i] = true;
                last = ys[i];
            }
        }
        return keep;
    }

    // Places labels in order, each in its request's band between x = left and x = right: as wide as
    // its text when there is room, else as wide as the widest free stretch (the text elided there)
    // down to minWidth, as near its centreX as possible. Every box keeps more than `gap` pixels
    // from every stroke (beyond its half width), from every fixed box and from every label placed
    // before it; a label with no such room is left out (placed == false).
    static std::vector<LabelSlot> placeClear(std::span<const LabelRequest> requests,
                                             std::span<const LabelStroke> strokes,
                                             std::span<const LabelBox> fixed, double left, double right,
                                             double gap);

private:
    SequenceGeometry g_;
};

} // namespace tcplab::gui
