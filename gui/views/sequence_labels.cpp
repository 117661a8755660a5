#include "views/sequence_labels.h"

#include <QCoreApplication>
#include <algorithm>

#include "services/segment_summary.h"

namespace tcplab::gui {
namespace {

QString fieldValue(const Annotation &a, const char *key)
{
    for (const auto &[k, v] : a.fields)
        if (k == key) return QString::fromStdString(v);
    return {};
}

// Reads the notes of one record into the arrow's description.
void readNotes(const PacketView &p, ArrowInfo &info, QStringList &tips)
{
    for (const Annotation *a = p.firstNote; a; a = a->nextNote()) {
        switch (a->kind) {
        case AnnotationKind::Analysis:
            if (info.analysis.isEmpty()) info.analysis = QString::fromStdString(a->text);
            break;
        case AnnotationKind::RuleHit: {
            // The Recorder writes "rule NAME: field before→after; action".
            QString rule = fieldValue(*a, "rule");
            if (rule.isEmpty()) {
                rule = QString::fromStdString(a->text);
                if (rule.startsWith(QLatin1String("rule "))) rule = rule.mid(5);
                rule = rule.section(QLatin1Char(':'), 0, 0).section(QLatin1Char(';'), 0, 0).trimmed();
            }
            const QString action = fieldValue(*a, "action");
            if (!info.rules.contains(rule)) info.rules << rule;
            if (action.contains(QLatin1String("crafted"))) info.crafted = true;
            if (action.contains(QLatin1String("duplicate"))) info.duplicate = true;
            if (action.contains(QLatin1String("delay"))) info.delayed = true;
            QStringList changes;
            for (const auto &[k, v] : a->fields) {
                if (k == "rule" || k == "action") continue;
                changes << QStringLiteral("%1: %2").arg(QString::fromStdString(k), QString::fromStdString(v));
            }
            tips << QCoreApplication::translate("SequenceView", "Rule %1 (%2)").arg(rule, action) + (changes.isEmpty() ? QString() : QStringLiteral("\n  ") + changes.join(QStringLiteral("\n  ")));
            break;
        }
        case AnnotationKind::Timer:
            tips << QCoreApplication::translate("SequenceView", "Timer: %1").arg(QString::fromStdString(a->text));
            break;
        case AnnotationKind::StateChange:
            tips << QCoreApplication::translate("SequenceView", "State: %1").arg(QString::fromStdString(a->text));
            break;
        case AnnotationKind::Note:
            if (!a->text.empty()) tips << QString::fromStdString(a->text);
            break;
        }
    }
}

}  // namespace

RowColors wiresharkColors(std::uint8_t flags, bool badTcp)
{
    // Wireshark's default colorfilters: "Bad TCP", "TCP RST", "TCP SYN/FIN", "TCP".
    if (badTcp) return {QColor(0x12, 0x27, 0x2e), QColor(0xf7, 0x87, 0x87)};
    if (flags & kRst) return {QColor(0xa4, 0x00, 0x00), QColor(0xff, 0xfc, 0x9c)};
    if (flags & (kSyn | kFin)) return {QColor(0xa0, 0xa0, 0xa0), QColor(0, 0, 0)};
    return {QColor(0xe7, 0xe3, 0xff), QColor(0, 0, 0)};
}

ArrowInfo describeArrow(const PacketStore &store, const SessionData &session, std::size_t arrow, LabelOptions options)
{
    ArrowInfo info;
    const Arrow &a = session.arrows[arrow];
    const PacketView sent = store.packet(a.sent);
    const auto seg = summarizeFrame(sent.bytes, sent.originalLength);
    const Endpoint src{seg.src, seg.srcPort};
    info.fromLeft = src == session.left;
    info.sentNs = nanosOf(sent.time);
    info.seenOnlyOnArrival = sent.direction == Direction::Inbound;
    info.flags = seg.flags;
    QStringList tips;
    readNotes(sent, info, tips);
    if (a.received != Arrow::kNone && a.received != a.sent) {
        const PacketView got = store.packet(a.received);
        info.arrivedNs = nanosOf(got.time);
        info.consumed = got.fate == FrameFate::ConsumedByRule;
        info.dropped = got.fate == FrameFate::DroppedByRule;
        readNotes(got, info, tips);
    } else if (info.seenOnlyOnArrival) {
        info.arrivedNs = info.sentNs;
    }
    info.dropped |= sent.fate == FrameFate::DroppedByRule;
    info.crafted |= std::binary_search(session.crafted.begin(), session.crafted.end(), std::uint32_t(arrow));
    info.lost = sent.fate == FrameFate::LostOnWire;
    if (sent.direction == Direction::Inbound && sent.sentAs != Event::kNoPacket) info.duplicate = true;

    if (seg.isTcp) {
        const std::uint32_t isn = info.fromLeft ? session.isnLeft : session.isnRight;
        const std::uint32_t isnPeer = info.fromLeft ? session.isnRight : session.isnLeft;
        const bool rel = options.relativeSeq;
        const std::uint32_t seq = rel ? seg.seq - isn : seg.seq;
        info.label = QString::fromStdString(seg.flagText()) + QStringLiteral("  Seq=%1").arg(seq);
        if (seg.flags & kAck) info.label += QStringLiteral(" Ack=%1").arg(rel ? seg.ack - isnPeer : seg.ack);
        info.label += QStringLiteral(" Win=%1 Len=%2").arg(seg.window).arg(seg.payloadLength);
        info.options = QString::fromStdString(seg.optionText());
    } else {
        info.label = QCoreApplication::translate("SequenceView", "not TCP (%n bytes)", nullptr, int(sent.bytes.size()));
    }
    if (info.lost) tips << QCoreApplication::translate("SequenceView", "Lost on the wire");
    if (info.dropped) tips << QCoreApplication::translate("SequenceView", "Dropped by a rule");
    if (info.consumed) tips << QCoreApplication::translate("SequenceView", "Consumed by a rule: the stack never saw it");
    if (info.crafted) tips << QCoreApplication::translate("SequenceView", "Crafted by a rule");
    if (info.duplicate) tips << QCoreApplication::translate("SequenceView", "Duplicate");
    if (!info.analysis.isEmpty()) tips.prepend(QStringLiteral("[%1]").arg(info.analysis));
    info.tooltip = tips.join(QLatin1Char('\n'));
    info.colors = wiresharkColors(seg.flags, !info.analysis.isEmpty());
    return info;
}

}  // namespace tcplab::gui
