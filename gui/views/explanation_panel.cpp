#include "views/explanation_panel.h"

#include <QCoreApplication>

#include "services/segment_summary.h"

namespace tcplab::gui {

QStringList ExplanationPanel::explainPacket(const PacketStore &store, std::uint64_t index)
{
    QStringList out;
    if (index >= store.size()) return out;
    const PacketView p = store.packet(index);
    const SegmentSummary s = summarizeFrame(p.bytes);
    if (!s.isTcp) return {tr("Not a TCP segment.")};
    const std::uint8_t f = s.flags;
    // RFC 9293 section 3.5 (the three-way handshake), 3.6 (closing), 3.5.2 (reset).
    if (f & kRst)
        out << tr("RST: the sender aborts the connection (or refuses a segment that belongs to no connection it knows).");
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
        case AnnotationKind::Timer:
            out << tr("Retransmission: no ACK arrived within the retransmission timeout (%1).").arg(text);
            break;
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
    QString html = QStringLiteral("<ul>");
    for (const QString &line : explainPacket(*store_, index)) html += QStringLiteral("<li>") + line.toHtmlEscaped() + QStringLiteral("</li>");
    packetHtml_ = html + QStringLiteral("</ul>");
    render();
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
                    .arg(palette().color(QPalette::AlternateBase).name(), noteHeading_.toHtmlEscaped(), note_.toHtmlEscaped());
    }
    setHtml(html + packetHtml_);
}

}  // namespace tcplab::gui
