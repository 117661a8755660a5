#include "views/sequence_layout.h"

namespace tcplab::gui {
namespace {

struct Span {
    double from, to; // a label's [left, right] must not meet (from, to)
};

// The x stretch that a stroke occupies within [top, bottom] grown by r on every side: a label box
// [L, R] x [top, bottom] keeps more than r from the stroke's centre line when [L - r, R + r] misses
// the centre line's part inside [top - r, bottom + r] (the box grown by a square contains the box
// grown by a disc, so this errs on the safe side).
bool strokeSpan(const LabelStroke &s, double top, double bottom, double r, Span &out)
{
    const double lo = top - r, hi = bottom + r;
    double ax = s.x0, ay = s.y0, bx = s.x1, by = s.y1;
    if (ay > by) {
        std::swap(ax, bx);
        std::swap(ay, by);
    }
    if (by < lo || ay > hi) return false;
    double xa = ax, xb = bx;
    if (by > ay) {
        const double slope = (bx - ax) / (by - ay);
        if (ay < lo) xa = ax + slope * (lo - ay);
        if (by > hi) xb = ax + slope * (hi - ay);
    }
    if (xa > xb) std::swap(xa, xb);
    out = {xa - r, xb + r};
    return true;
}

} // namespace

std::vector<LabelSlot> SequenceLayout::placeClear(std::span<const LabelRequest> requests,
                                                  std::span<const LabelStroke> strokes,
                                                  std::span<const LabelBox> fixed, double left, double right,
                                                  double gap)
{
    std::vector<LabelSlot> result(requests.size());
    std::vector<LabelBox> placed;
    std::vector<Span> blocked;
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const LabelRequest &q = requests[i];
        const double top = q.bottom - q.height, bottom = q.bottom;
        blocked.clear();
        Span sp{};
        for (const LabelStroke &s : strokes)
            if (strokeSpan(s, top, bottom, s.halfWidth + gap, sp)) blocked.push_back(sp);
        auto blockBox = [&](const LabelBox &b) {
            if (b.bottom + gap >= top && b.top - gap <= bottom)
                blocked.push_back({b.left - gap, b.right + gap});
        };
        for (const LabelBox &b : fixed)
            blockBox(b);
        for (const LabelBox &b : placed)
            blockBox(b);
        std::sort(blocked.begin(), blocked.end(),
                  [](const Span &a, const Span &b) { return a.from < b.from; });

        // Walk the free stretches between the blocked spans; keep the one that fits the most text,
        // then the one nearest the wished centre.
        double bestW = 0, bestL = 0, bestDist = 0;
        auto consider = [&](double a, double b) {
            const double room = b - a;
            if (room <= 0) return;
            const double w = std::min(room, q.width);
            const double l = std::clamp(q.centreX - w / 2, a, b - w);
            const double dist = std::abs(l + w / 2 - q.centreX);
            if (w > bestW + 0.5 || (w > bestW - 0.5 && dist < bestDist)) {
                bestW = w;
                bestL = l;
                bestDist = dist;
            }
        };
        double cursor = left;
        for (const Span &s : blocked) {
            if (s.from > cursor) consider(cursor, std::min(s.from, right));
            cursor = std::max(cursor, s.to);
            if (cursor >= right) break;
        }
        if (cursor < right) consider(cursor, right);
        if (bestW < q.minWidth || bestW <= 0) continue;
        result[i].placed = true;
        result[i].box = {bestL, top, bestL + bestW, bottom};
        placed.push_back(result[i].box);
    }
    return result;
}

} // namespace tcplab::gui
