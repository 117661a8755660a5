// A small sorted set of disjoint sequence ranges [left, right): the receiver's out-of-order data
// (to build SACK blocks, RFC 2018 section 4) and the sender's SACK scoreboard (RFC 6675 section 3).
#pragma once

#include <vector>

#include "wire/seq.h"

namespace tcplab {

struct SeqRange {
    SeqNum left, right;
    std::uint32_t length() const { return static_cast<std::uint32_t>(right - left); }
};

class SeqRanges {
public:
    static constexpr std::size_t kMaxRanges = 64;  // bounded memory whatever the peer sends

    const std::vector<SeqRange> &ranges() const { return r_; }
    bool empty() const { return r_.empty(); }
    void clear() { r_.clear(); }

    // Merges [left, right) in; returns false (and changes nothing) when the set is full.
    bool add(SeqNum left, SeqNum right)
    {
        if (!(left < right)) return true;
        std::size_t i = 0;
        while (i < r_.size() && r_[i].right < left) ++i;
        std::size_t j = i;
        while (j < r_.size() && r_[j].left <= right) {
            left = seqMin(left, r_[j].left);
            right = seqMax(right, r_[j].right);
            ++j;
        }
        if (i == j && r_.size() >= kMaxRanges) return false;
        r_.erase(r_.begin() + i, r_.begin() + j);
        r_.insert(r_.begin() + i, {left, right});
        return true;
    }

    // Forgets everything below `point`.
    void trimBelow(SeqNum point)
    {
        std::size_t k = 0;
        while (k < r_.size() && r_[k].right <= point) ++k;
        r_.erase(r_.begin(), r_.begin() + k);
        if (!r_.empty() && r_[0].left < point) r_[0].left = point;
    }

    bool contains(SeqNum s) const
    {
        for (const auto &x : r_)
            if (s >= x.left && s < x.right) return true;
        return false;
    }
    // The range holding `s`, if any.
    const SeqRange *find(SeqNum s) const
    {
        for (const auto &x : r_)
            if (s >= x.left && s < x.right) return &x;
        return nullptr;
    }
    std::uint32_t totalBytes() const
    {
        std::uint32_t n = 0;
        for (const auto &x : r_) n += x.length();
        return n;
    }
    SeqNum highest() const { return r_.back().right; }

private:
    std::vector<SeqRange> r_;
};

}  // namespace tcplab
