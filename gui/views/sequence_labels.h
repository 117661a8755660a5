// What one arrow of the sequence diagram says: its label, Wireshark's analysis label and row
// colours, and the rule effects to draw (badge, cross, crafted, duplicate), read from the packet
// store's records and annotations of the arrow's transmission and reception.
#pragma once

#include <QColor>
#include <QString>
#include <QStringList>

#include "capture/packet_store.h"
#include "models/session_index.h"

namespace tcplab::gui {

struct RowColors {
    QColor background, foreground;
};

struct ArrowInfo {
    bool fromLeft = true;
    std::int64_t sentNs = 0;
    std::int64_t arrivedNs = -1;  // -1: never arrived
    bool seenOnlyOnArrival = false;  // sent by a peer outside the lab (tap mode)
    std::uint8_t flags = 0;
    QString label;       // "SYN, ACK  Seq=0 Ack=1 Win=65160 Len=0"
    QString options;     // "mss 1460, ws 7, sackOK, ts"
    QString analysis;    // "TCP Retransmission"
    RowColors colors;
    bool dropped = false, lost = false, consumed = false, crafted = false, duplicate = false, delayed = false;
    QStringList rules;   // names of the rules that touched it
    QString tooltip;     // rule effects before→after, analysis, fate
};

struct LabelOptions {
    bool relativeSeq = true;
};

// Wireshark's default colouring rules for TCP, in their order of precedence.
RowColors wiresharkColors(std::uint8_t flags, bool badTcp);

ArrowInfo describeArrow(const PacketStore &store, const SessionData &session, std::size_t arrow,
                        LabelOptions options = {});

}  // namespace tcplab::gui
