// The edits a rule makes to one packet's bytes (fields, flags, options, payload), each recorded as
// "field: before→after" for the rule-hit event. Lengths and checksums are fixed once at the end by
// the caller (RuleEngine), so several edits cost one checksum pass.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/expected.h"
#include "rules/rule.h"
#include "wire/tcp.h"

namespace tcplab {

using FieldChanges = std::vector<std::pair<std::string, std::string>>;

// The segment facts expressions read, taken from the packet as it arrived at the hook (before any
// edit), so that `seg.seq + 1` means the same in every action of a rule.
ExprContext exprContextOf(ByteView ip, const TcpLocation &loc, const TcbSnapshot &tcb, Rng *rng);

class PacketEditor {
public:
    PacketEditor(Bytes &ip, TcpLocation &loc, const ExprContext &ctx) : ip_(ip), loc_(loc), ctx_(ctx) {}

    // Each returns an error (the edit is then skipped) or records its changes.
    Status setField(const SetFieldAction &a, FieldChanges &changes);
    Status flags(const FlagsAction &a, FieldChanges &changes);
    Status options(const OptionsAction &a, FieldChanges &changes);
    Status payload(const PayloadAction &a, FieldChanges &changes);

private:
    void resizeSegment(std::size_t at, std::size_t removed, ByteView inserted);

    Bytes &ip_;
    TcpLocation &loc_;
    const ExprContext &ctx_;
};

// Applies OptionValues over parsed options (add or change every option they name).
void applyOptionValues(const OptionValues &values, TcpOptions &options);

// A crafted segment from `src` to `dst` (with their ports), wrapped in a minimal IP header.
struct CraftedSegment {
    Endpoint src, dst;
    std::uint32_t seq = 0, ack = 0;
    std::uint16_t window = 0;
    std::uint8_t flags = 0;
    OptionValues options;
    Bytes payload;
};
Bytes buildCraftedPacket(const CraftedSegment &segment);

}  // namespace tcplab
