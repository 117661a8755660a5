// Classroom stepping on the real demo network: Step visits the expected events one at a time
// (every transmission and reception of the handshake and the close, every state change), Back
// shows what was recorded and Step after Back replays it before the lab moves on; the lesson note
// follows the cursor both ways.
#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QTest>

#include "app/main_window.h"
#include "scenario/lesson.h"
#include "services/classroom_timeline.h"
#include "services/engine_bridge.h"
#include "services/engine_lab.h"
#include "services/lab_switch.h"
#include "services/segment_summary.h"
#include "views/explanation_panel.h"
#include "views/sequence_view.h"
#include "views/state_machine_view.h"

using namespace tcplab;
using namespace tcplab::gui;

namespace {

constexpr HostId kClient = 0, kServer = 1;

// A paused demo lab driven one engine poll per advance, its batches fed to a timeline.
struct SteppedLab {
    EngineLab lab;
    ClassroomTimeline timeline;
    std::vector<Event> events;
    int polls = 0;

    explicit SteppedLab(const std::string &scenario)
    {
        std::string error;
        if (!lab.loadScenario(scenario, &error)) qFatal("%s", error.c_str());
        lab.setPaused(true);
        lab.start();
        auto hosts = lab.scenarioHosts();
        std::vector<std::string> names;
        for (const auto &h : hosts)
            names.push_back(h.name);
        timeline.setLesson(lab.lesson(), names);
        timeline.setAdvance([this] {
            const Instant before = lab.status().now;
            const auto frames = lab.packets().size();
            lab.step();
            ++polls;
            events.clear();
            lab.drainEvents(events);
            timeline.ingest(lab.packets(), events);
            return lab.status().now != before || lab.packets().size() != frames || !events.empty();
        });
    }
};

struct Seen {
    HostId host;
    bool outbound;
    std::uint8_t flags;
    bool operator==(const Seen &) const = default;
};

QString describe(const std::vector<Seen> &v)
{
    QStringList out;
    for (const auto &s : v)
        out << QStringLiteral("%1 %2 %3")
                   .arg(s.host == kClient ? "client" : "server", s.outbound ? "sends" : "receives")
                   .arg(s.flags, 2, 16, QLatin1Char('0'));
    return out.join(QStringLiteral("; "));
}

} // namespace

class TestClassroom : public QObject {
    Q_OBJECT
private slots:
    void stepVisitsHandshakeAndCloseInOrder()
    {
        SteppedLab s("graceful-close");
        std::vector<Seen> packets;
        std::vector<std::size_t> cursors;
        while (packets.size() < 200 && s.timeline.stepForward(ClassroomTimeline::Unit::Packet)) {
            const TimelineItem *item = s.timeline.current();
            QVERIFY(item && item->kind == TimelineItem::Kind::Packet);
            QVERIFY(cursors.empty() || *s.timeline.cursor() > cursors.back());
            cursors.push_back(*s.timeline.cursor());
            packets.push_back({item->host, item->outbound, item->flags});
            if (item->host == kServer && !item->outbound && packets.size() > 10 && item->flags == kAck) {
                // the server receiving a bare ACK after both FINs ends the close
                int fins = 0;
                for (const auto &p : packets)
                    fins += p.outbound && (p.flags & kFin);
                if (fins == 2) break;
            }
        }
        // The three-way handshake, each segment sent and then received (RFC 9293 section 3.5).
        const std::vector<Seen> handshake{{kClient, true, kSyn},        {kServer, false, kSyn},
                                          {kServer, true, kSyn | kAck}, {kClient, false, kSyn | kAck},
                                          {kClient, true, kAck},        {kServer, false, kAck}};
        QVERIFY2(packets.size() > handshake.size(), qPrintable(describe(packets)));
        QVERIFY2(std::equal(handshake.begin(), handshake.end(), packets.begin(),
                            [](const Seen &a, const Seen &b) {
                                // the handshake ACK may carry the first data (PSH)
                                return a.host == b.host && a.outbound == b.outbound &&
                                       a.flags == (b.flags & ~kPsh);
                            }),
                 qPrintable(describe(packets)));
        // The close (RFC 9293 section 3.6): the client's FIN, then the server's, then the last ACK.
        std::vector<Seen> fins;
        for (const auto &p : packets)
            if (p.flags & kFin) fins.push_back(p);
        const std::vector<Seen> expectedFins{{kClient, true, kFin | kAck},
                                             {kServer, false, kFin | kAck},
                                             {kServer, true, kFin | kAck},
                                             {kClient, false, kFin | kAck}};
        QCOMPARE(describe(fins), describe(expectedFins));
        QCOMPARE(describe({packets.back()}), describe({{kServer, false, kAck}}));
        // Every transmission is visited before its reception.
        for (std::size_t i = 0; i + 1 < packets.size(); ++i)
            QVERIFY(packets[i] != packets[i + 1] || packets[i].outbound);
    }

    void stepByStateChangeVisitsEveryTransition()
    {
        SteppedLab s("graceful-close");
        std::vector<std::string> client, server;
        for (int i = 0; i < 40 && s.timeline.stepForward(ClassroomTimeline::Unit::StateChange); ++i) {
            const TimelineItem *item = s.timeline.current();
            QVERIFY(item && item->kind == TimelineItem::Kind::State);
            (item->host == kClient ? client : server).push_back(item->state);
            if (item->host == kServer && item->state == "CLOSED") break;
        }
        // RFC 9293 section 3.3.2, Figure 5: the active closer ends in TIME-WAIT, the passive one CLOSED.
        QCOMPARE(client, (std::vector<std::string>{"SYN-SENT", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2",
                                                   "TIME-WAIT"}));
        QCOMPARE(server, (std::vector<std::string>{"SYN-RECEIVED", "ESTABLISHED", "CLOSE-WAIT", "LAST-ACK",
                                                   "CLOSED"}));
    }

    void backThenStepReturnsToTheSameItemWithoutRunningTheLab()
    {
        SteppedLab s("handshake");
        QSignalSpy moved(&s.timeline, &ClassroomTimeline::moved);
        for (int i = 0; i < 5; ++i)
            QVERIFY(s.timeline.stepForward());
        const std::size_t at = *s.timeline.cursor();
        const TimelineItem here = *s.timeline.current();
        const auto frames = s.lab.packets().size();
        const int polls = s.polls;
        QVERIFY(s.timeline.stepBack());
        QVERIFY(s.timeline.stepBack());
        QVERIFY(*s.timeline.cursor() < at);
        QCOMPARE(s.timeline.current()->kind, TimelineItem::Kind::Packet);
        QVERIFY(s.timeline.stepForward());
        QVERIFY(s.timeline.stepForward());
        QCOMPARE(*s.timeline.cursor(), at);
        QCOMPARE(s.timeline.current()->storeIndex, here.storeIndex);
        QCOMPARE(s.polls, polls);                 // replayed from the record
        QCOMPARE(s.lab.packets().size(), frames); // the lab did not move
        QCOMPARE(moved.count(), 9);
        QVERIFY(s.timeline.stepForward()); // past the record: the lab runs again
        QVERIFY(s.polls > polls);
        // Back to the very first item and no further.
        while (s.timeline.stepBack()) {}
        QCOMPARE(s.timeline.current()->flags, std::uint8_t(kSyn));
        QCOMPARE(s.timeline.current()->host, kClient);
    }

    void lessonNoteFollowsTheCursor()
    {
        SteppedLab s("handshake");
        QCOMPARE(s.timeline.lesson().size(), std::size_t(4));
        QCOMPARE(s.timeline.currentNote(), LessonTracker::kNone); // no introduction in this lesson
        QVERIFY(s.timeline.stepForward());                        // the client's SYN
        QCOMPARE(s.timeline.currentNote(), 0);
        QVERIFY(s.timeline.stepForward()); // its reception
        QCOMPARE(s.timeline.currentNote(), 0);
        QVERIFY(s.timeline.stepForward()); // the server's SYN-ACK
        QCOMPARE(s.timeline.currentNote(), 1);
        QVERIFY(s.timeline.stepBack());
        QCOMPARE(s.timeline.currentNote(), 0); // back: the earlier note again
        const auto [state, from] =
            s.timeline.stateAt(s.timeline.current()->session, kClient, s.timeline.cursor());
        QCOMPARE(state, std::string("SYN-SENT"));
        QCOMPARE(from, std::string("CLOSED"));
    }

    // RFC 9293 Figure 5: eleven states, transitions labelled as the RFC labels them.
    void stateDiagramIsFigure5()
    {
        QCOMPARE(StateMachineView::stateNames().size(), 11);
        QCOMPARE(StateMachineView::transitionLabel("LISTEN", "SYN-RECEIVED"),
                 QStringLiteral("rcv SYN / snd SYN,ACK"));
        QCOMPARE(StateMachineView::transitionLabel("SYN-SENT", "ESTABLISHED"),
                 QStringLiteral("rcv SYN,ACK / snd ACK"));
        QCOMPARE(StateMachineView::transitionLabel("FIN-WAIT-1", "FIN-WAIT-2"),
                 QStringLiteral("rcv ACK of FIN / x"));
        QCOMPARE(StateMachineView::transitionLabel("TIME-WAIT", "CLOSED"),
                 QStringLiteral("Timeout=2MSL / delete TCB"));
        QCOMPARE(StateMachineView::transitionLabel("CLOSED", "ESTABLISHED"), QString()); // no such edge
    }

    // Each end highlighted in its own colour, in light and dark palettes; a transition of Figure 5
    // animates, a jump that is not one of its edges does not.
    void stateViewHighlightsEachEndAndAnimatesTransitions()
    {
        StateMachineView view;
        view.resize(520, 620);
        view.setState(StateMachineView::End::Client, "SYN-SENT");
        view.setState(StateMachineView::End::Server, "LISTEN");
        QVERIFY(!view.animating()); // from nothing: no edge to animate
        view.setState(StateMachineView::End::Server, "SYN-RECEIVED");
        QVERIFY(view.animating());
        QTRY_VERIFY_WITH_TIMEOUT(!view.animating(), 3000);
        view.setState(StateMachineView::End::Client, "TIME-WAIT"); // not an edge from SYN-SENT
        QVERIFY(!view.animating());
        for (const bool dark : {false, true}) {
            QPalette pal = view.palette();
            pal.setColor(QPalette::Base, dark ? QColor(20, 20, 20) : Qt::white);
            pal.setColor(QPalette::Text, dark ? Qt::white : Qt::black);
            view.setPalette(pal);
            QImage image(view.size(), QImage::Format_RGB32);
            view.render(&image);
            int client = 0, server = 0, background = 0;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x) {
                    const QRgb c = image.pixel(x, y) & 0xffffff;
                    client += c == 0x1f77d4;
                    server += c == 0xe06c10;
                    background += c == (pal.color(QPalette::Base).rgb() & 0xffffff);
                }
            QVERIFY2(client > 500 && server > 500,
                     qPrintable(QStringLiteral("%1 %2").arg(client).arg(server)));
            QVERIFY(background >
                    image.width() * image.height() / 3); // the palette's base, not a fixed colour
        }
    }

    // No transition label covers another label or a state box, and none leaves the view: at the
    // preferred size, a larger one and in presentation mode's larger type.
    void stateViewLabelsDoNotCollide()
    {
        StateMachineView view;
        view.setState(StateMachineView::End::Client, "ESTABLISHED");
        view.setState(StateMachineView::End::Server, "ESTABLISHED");
        struct Case {
            QSize size;
            double pointSize;
            bool presentation;
        };
        const double base = view.font().pointSizeF();
        for (const Case &c : {Case{{520, 620}, base, false}, Case{{700, 820}, base, false},
                              Case{{620, 720}, base * 1.6, true}}) {
            QFont f = view.font();
            f.setPointSizeF(c.pointSize);
            view.setFont(f);
            view.setPresentation(c.presentation);
            view.resize(c.size);
            const QList<QRectF> labels = view.labelRects(), boxes = view.boxRects();
            const QRectF inside(QPointF(0, 0), QSizeF(c.size));
            QCOMPARE(labels.size(), 20);
            const QString where =
                QStringLiteral("%1x%2 %3pt").arg(c.size.width()).arg(c.size.height()).arg(c.pointSize);
            for (int i = 0; i < labels.size(); ++i) {
                QVERIFY2(inside.contains(labels[i]),
                         qPrintable(where + QStringLiteral(": label %1 leaves the view").arg(i)));
                for (int j = i + 1; j < labels.size(); ++j)
                    QVERIFY2(!labels[i].intersects(labels[j]),
                             qPrintable(where + QStringLiteral(": labels %1 and %2 overlap").arg(i).arg(j)));
                for (int b = 0; b < boxes.size(); ++b)
                    QVERIFY2(!labels[i].intersects(boxes[b]),
                             qPrintable(where + QStringLiteral(": label %1 covers box %2").arg(i).arg(b)));
            }
        }
    }

    // The loss lesson's last loss is repaired by the retransmission timer: the retransmitted
    // segment is explained as a retransmission by timeout with the RTO it waited (one RTO after
    // its first copy), fast retransmissions as such, and the lesson has a note for the timeout.
    void explanationShowsALabelThatArrivesAfterItsPacket()
    {
        // The tap lab labels frames on a LabelWorker thread: the label may reach the packet after
        // the user selected it. The next batch brings it into the explanation.
        PacketStore store;
        SegmentSpec spec;
        spec.src = Ip4Addr{0xc6120001};
        spec.dst = Ip4Addr{0xc6120002};
        spec.srcPort = 40000;
        spec.dstPort = 80;
        spec.flags = kAck;
        spec.window = 64240;
        const Bytes frame = buildSegmentFrame(spec);
        FrameInfo info;
        info.direction = Direction::Outbound;
        QCOMPARE(store.append(info, frame), std::uint64_t(0));
        ExplanationPanel panel;
        panel.setStore(&store);
        panel.showPacket(0);
        const QString before = panel.toPlainText();
        panel.refresh(); // nothing new: nothing changes
        QCOMPARE(panel.toPlainText(), before);
        store.addAnnotation(0, AnnotationKind::Analysis, "TCP Dup ACK 3#1");
        QVERIFY(!panel.toPlainText().contains(QStringLiteral("TCP Dup ACK 3#1")));
        panel.refresh();
        QVERIFY2(panel.toPlainText().contains(QStringLiteral("TCP Dup ACK 3#1")),
                 qPrintable(panel.toPlainText()));
    }

    void lossLessonExplainsTheRtoRetransmission()
    {
        EngineLab lab;
        std::string error;
        QVERIFY2(lab.loadScenario("loss-and-retransmission", &error), error.c_str());
        lab.start();
        lab.runFor(std::chrono::seconds(30));
        const PacketStore &store = lab.packets();
        int timeouts = 0, fast = 0;
        QString rtoText;
        for (std::uint64_t i = 0; i < store.size(); ++i) {
            const PacketView p = store.packet(i);
            for (const Annotation *a = p.firstNote; a; a = a->nextNote()) {
                if (a->kind != AnnotationKind::Timer) continue;
                std::string cause;
                for (const auto &[k, v] : a->fields)
                    if (k == "cause") cause = v;
                const QStringList lines = ExplanationPanel::explainPacket(store, i);
                if (cause.rfind("rto", 0) == 0) {
                    ++timeouts;
                    QVERIFY2(
                        lines.join(QLatin1Char('\n')).contains(QStringLiteral("Retransmission by timeout")),
                        qPrintable(lines.join(QLatin1Char('\n'))));
                    if (summarizeFrame(p.bytes).payloadLength ==
                        std::string_view("last message: one segment, nothing after it").size())
                        rtoText = lines.join(QLatin1Char('\n'));
                } else if (cause == "fast retransmit") {
                    ++fast;
                    QVERIFY(lines.join(QLatin1Char('\n')).contains(QStringLiteral("Fast retransmission")));
                }
            }
        }
        QVERIFY(fast >= 2);
        QVERIFY(timeouts >= 1);
        // The last message waited exactly one RTO (200 ms: the floor, the RTT being 20 ms).
        QVERIFY2(rtoText.contains(QStringLiteral("RTO = 200 ms")), qPrintable(rtoText));
        bool note = false;
        for (const LessonStep &step : lab.lesson())
            note = note || (step.trigger.kind == LessonTrigger::Kind::Retransmit &&
                            step.trigger.retransmit == LessonTrigger::RetransmitKind::Timeout &&
                            !step.text.ja.empty());
        QVERIFY(note);
    }

    // Presentation mode is full screen with only the diagram and the state machine; leaving it
    // (F11 again, or Esc) puts back the window state, the geometry and the dock layout exactly,
    // hidden, floating and tabbed docks included.
    void presentationRestoresTheLayout()
    {
        MainWindow window(std::make_unique<LabSwitch>(makeDefaultLab(LabMode::Demo)));
        window.resize(1100, 700);
        window.move(30, 40);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // A layout of the user's own: the log hidden, the inspector floating, the state machine raised.
        auto *log = window.findChild<QDockWidget *>(QStringLiteral("LogDock"));
        auto *inspector = window.findChild<QDockWidget *>(QStringLiteral("InspectorDock"));
        auto *state = window.findChild<QDockWidget *>(QStringLiteral("StateMachineDock"));
        QVERIFY(log && inspector && state);
        log->hide();
        inspector->setFloating(true);
        inspector->setGeometry(120, 100, 300, 240); // on the screen: Qt moves a restored one that is not
        state->raise();
        QApplication::processEvents();
        auto visibility = [&] {
            QStringList shown;
            for (auto *d : window.findChildren<QDockWidget *>())
                shown << QStringLiteral("%1:%2:%3")
                             .arg(d->objectName())
                             .arg(d->isVisible())
                             .arg(d->isFloating());
            shown.sort();
            return shown;
        };
        const QByteArray stateBefore = window.saveState();
        const QRect geometryBefore = window.geometry();
        const QStringList docksBefore = visibility();
        const Qt::WindowStates windowBefore = window.windowState();

        auto *action = window.findChild<QAction *>(QStringLiteral("presentationAction"));
        auto *leave = window.findChild<QAction *>(QStringLiteral("leavePresentationAction"));
        QVERIFY(action && leave);
        QVERIFY(!leave->isEnabled());
        QVERIFY(action->shortcuts().contains(QKeySequence(Qt::Key_F11)));
        QCOMPARE(leave->shortcut(), QKeySequence(Qt::Key_Escape));
        for (int round = 0; round < 2; ++round) {
            action->trigger();
            QApplication::processEvents();
            QVERIFY(window.presentation());
            QVERIFY(window.windowState() & Qt::WindowFullScreen);
            QVERIFY(leave->isEnabled());
            for (auto *d : window.findChildren<QDockWidget *>())
                QCOMPARE(d->isVisible(), d == state);
            // Leave by F11 the first time, by Esc (its action) the second.
            if (round == 0)
                action->trigger();
            else
                leave->trigger();
            QApplication::processEvents();
            QVERIFY(!window.presentation());
            QVERIFY(!action->isChecked());
            QVERIFY(!leave->isEnabled());
            QCOMPARE(window.windowState(), windowBefore);
            QCOMPARE(window.geometry(), geometryBefore);
            QCOMPARE(visibility(), docksBefore);
            QCOMPARE(window.saveState(), stateBefore);
        }
        // From a maximized window, back to maximized.
        window.showMaximized();
        QApplication::processEvents();
        window.setPresentation(true);
        QApplication::processEvents();
        window.setPresentation(false);
        QApplication::processEvents();
        QVERIFY(window.windowState() & Qt::WindowMaximized);
        QVERIFY(!(window.windowState() & Qt::WindowFullScreen));
    }

    // The sequence diagram's time and state columns follow the font: presentation's larger type
    // widens them so a time stamp and the widest state badge are not cut.
    void sequenceColumnsFollowTheFont()
    {
        SequenceView view;
        for (const double scale : {1.0, 1.8}) {
            QFont f = QApplication::font();
            f.setPointSizeF(f.pointSizeF() * scale);
            view.setFont(f);
            const SequenceGeometry g = view.layout(1000).geometry();
            QFont rowFont = f;
            rowFont.setPointSizeF(f.pointSizeF() * 0.92);
            QVERIFY(g.timeColumn - 6 >= QFontMetricsF(rowFont).horizontalAdvance(QStringLiteral("0.000000")));
            QFont badge = f;
            badge.setPointSizeF(f.pointSizeF() * 0.85);
            const double established =
                QFontMetricsF(badge).horizontalAdvance(QStringLiteral("SYN-RECEIVED")) + 10;
            QVERIFY(view.badgeWidth() >= established);
            QVERIFY(g.stateColumn - 8 >= view.badgeWidth());
            const SequenceLayout l = view.layout(1000);
            QVERIFY(l.leftX() - 6 - view.badgeWidth() >= g.timeColumn); // a badge clears the time column
            QVERIFY(l.rightX() + 6 + view.badgeWidth() <= 1000);        // and the right edge
        }
    }
};

QTEST_MAIN(TestClassroom)
#include "test_classroom.moc"
