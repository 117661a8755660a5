#include "views/explanation_panel.h"

#include <QCoreApplication>

#include "services/segment_summary.h"

namespace tcplab::gui {

namespace {

QString fieldOf(const Annotation &a, const char *key)
{
    for (const auto &[k, v] : a.fields)
        if (k == key) return QString::fromStdString(v);
    return {};
}

// "200 ms", "1 s", "1.5 s".
QString duration(std::int64_t ns)
{
    if (ns < 1'000'000'000) return ExplanationPanel::tr("%1 ms").arg(double(ns) / 1e6, 0, 'g', 4);
    return ExplanationPanel::tr("%1 s").arg(double(ns) / 1e9, 0, 'g', 4);
}

// When `p` (a retransmission) was last sent before: the latest earlier frame from the same host
// with the same ports and sequence number. Negative when there is none in the store.
std::int64_t sinceLastSent(const PacketStore &store, const PacketView &p, const SegmentSummary &s)
{
    for (std::uint64_t i = p.index; i-- > 0;) {
        const PacketView q = store.packet(i);
        if (q.host != p.host || q.direction != p.direction) continue;
        const SegmentSummary t = summarizeFrame(q.bytes, q.originalLength);
        if (t.isTcp && t.seq == s.seq && t.srcPort == s.srcPort && t.dstPort == s.dstPort)
            return nanosOf(p.time) - nanosOf(q.time);
    }
    return -1;
}

} // namespace

// A timer or retransmission note, by its cause: RFC 6298 section 5 (the retransmission timer) or
// RFC 5681 section 3.2 (fast retransmit).
QString ExplanationPanel::explainTimer(const PacketStore &store, const PacketView &p, const Annotation &a)
{
    const QString cause = fieldOf(a, "cause");
    if (cause.startsWith(QLatin1String("rto"))) {
        const std::int64_t waited = sinceLastSent(store, p, summarizeFrame(p.bytes, p.originalLength));
        const QString rto = waited > 0 ? tr("RTO = %1").arg(duration(waited)) : tr("the RTO");
        return tr("Retransmission by timeout: no ACK arrived within %1, so the sender sent its oldest "
                  "unacknowledged segment again and doubled the RTO (RFC 6298 section 5). Too few duplicate "
                  "ACKs came for a fast retransmit: little or nothing sent after the lost segment reached "
                  "the receiver.")
            .arg(rto);
    }
    if (cause == QLatin1String("fast retransmit"))
        return tr("Fast retransmission: duplicate ACKs reported this segment missing, so it was sent again "
                  "without waiting for the retransmission timer (RFC 5681 section 3.2).");
    if (!cause.isEmpty()) return tr("Retransmission (%1).").arg(cause);
    return tr("Timer: %1").arg(QString::fromStdString(a.text));
}

QStringList ExplanationPanel::explainPacket(const PacketStore &store, std::uint64_t index)
{
    QStringList out;
    if (index >= store.size()) return out;
    const PacketView p = store.packet(index);
    const SegmentSummary s = summarizeFrame(p.bytes, p.originalLength);
    if (!s.isTcp) return {tr("Not a TCP segment.")};
    const std::uint8_t f = s.flags;
    // RFC 9293 section 3.5 (the three-way handshake), 3.6 (closing), 3.5.2 (reset).
    if (f & kRst)
        out << tr("RST: the sender aborts the connection (or refuses a segment that belongs to no connection "
                  "it knows).");
    else if ((f & kSyn) && !(f & kAck))
        out << tr("SYN: the client opens a connection and offers its initial sequence number (ISN).");
    else if ((f & kSyn) && (f & kAck))
        out << tr("SYN-ACK: the server acknowledges the client's ISN + 1 and offers its own ISN.");
    else if (f & kFin)
        out << tr("FIN: the sender has no more data to send and starts closing its direction.");
    else if (s.payloadLength == 0 && (f & kAck))
        out << tr("Bare ACK: no data; it acknowledges everything before sequence number %1.").arg(s.ack);
    else if (s.payloadLength > 0)
        out << tr("Data: %1 bytes.").arg(s.payloadLength);
    for (const Annotation *a = p.firstNote; a; a = a->nextNote()) {
        const QString text = QString::fromStdString(a->text);
        switch (a->kind) {
        case AnnotationKind::Timer: out << explainTimer(store, p, *a); break;
        case AnnotationKind::RuleHit: out << tr("A rule acted on this packet: %1").arg(text); break;
        case AnnotationKind::StateChange: out << tr("State change: %1").arg(text); break;
        case AnnotationKind::Analysis: out << tr("Analysis: %1").arg(text); break;
        case AnnotationKind::Note: out << text; break;
        }
    }
    switch (p.fate) {
    case FrameFate::DroppedByRule: out << tr("Dropped by a rule: it never reached its destination."); break;
    case FrameFate::ConsumedByRule: out << tr("Answered by a rule instead of the TCP stack."); break;
    case FrameFate::LostOnWire: out << tr("Lost on the wire."); break;
    default: break;
    }
    return out;
}

ExplanationPanel::ExplanationPanel(QWidget *parent) : QTextBrowser(parent)
{
    setObjectName(QStringLiteral("ExplanationPanel"));
    setPlaceholderText(tr("Select a packet in the diagram to have it explained."));
}

void ExplanationPanel::showPacket(std::uint64_t index)
{
    if (!store_) return;
    showing_ = true;
    shownIndex_ = index;
    shownLines_ = explainPacket(*store_, index);
    QString html = QStringLiteral("<ul>");
    for (const QString &line : shownLines_)
        html += QStringLiteral("<li>") + line.toHtmlEscaped() + QStringLiteral("</li>");
    packetHtml_ = html + QStringLiteral("</ul>");
    render();
}

void ExplanationPanel::refresh()
{
    if (!store_ || !showing_ || explainPacket(*store_, shownIndex_) == shownLines_) return;
    showPacket(shownIndex_);
}

void ExplanationPanel::setLessonNote(const QString &text, int number, int count)
{
    const QString heading = text.isEmpty() ? QString() : tr("Lesson, step %1 of %2").arg(number).arg(count);
    if (text == note_ && heading == noteHeading_) return;
    note_ = text;
    noteHeading_ = heading;
    render();
}

void ExplanationPanel::render()
{
    QString html;
    if (!note_.isEmpty()) {
        // The note in a framed block, so it stands apart from the packet's facts below it.
        html += QStringLiteral("<table width=\"100%\" cellpadding=\"6\" bgcolor=\"%1\"><tr><td>"
                               "<b>%2</b><br/>%3</td></tr></table>")
                    .arg(palette().color(QPalette::AlternateBase).name(), noteHeading_.toHtmlEscaped(),
                         note_.toHtmlEscaped());
    }
    setHtml(html + packetHtml_);
}

} // namespace tcplab::gui
