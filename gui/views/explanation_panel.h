// Classroom: a plain-language explanation of the selected packet (what it is and why it was sent),
// generated from its flags, its fate and the engine's annotations (rule hits, timers, analysis),
// in the UI language.
#pragma once

#include <QStringList>
#include <QTextBrowser>

#include "capture/packet_store.h"

namespace tcplab::gui {

class ExplanationPanel : public QTextBrowser {
    Q_OBJECT
public:
    explicit ExplanationPanel(QWidget *parent = nullptr);
    void setStore(const PacketStore *store)
    {
        store_ = store;
        showing_ = false;
    }
    void showPacket(std::uint64_t index);
    // Explains the shown packet again when its notes changed since: analysis labels computed off
    // the engine thread (the tap lab) reach a frame milliseconds after it was recorded.
    void refresh();
    // The lesson note current at the moment shown (classroom), above the packet's explanation;
    // `number` counts from 1; an empty text removes it.
    void setLessonNote(const QString &text, int number, int count);
    QString lessonNote() const { return note_; }
    // One sentence per fact, most important first.
    static QStringList explainPacket(const PacketStore &store, std::uint64_t index);

private:
    static QString explainTimer(const PacketStore &store, const PacketView &packet, const Annotation &note);
    void render();

    const PacketStore *store_ = nullptr;
    bool showing_ = false; // a packet is shown: shownIndex_, explained as shownLines_
    std::uint64_t shownIndex_ = 0;
    QStringList shownLines_;
    QString note_, noteHeading_, packetHtml_;
};

} // namespace tcplab::gui
