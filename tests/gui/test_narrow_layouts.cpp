// Nothing cut on a small screen: the main window laid out at 1024x640 and 1280x800, in classroom
// mode (the state machine beside the explanation, as the classroom screenshot shows them) and in
// the normal layout (the state machine in its tab), in English and in Japanese. The state machine
// draws every state's name whole inside its box (the geometry its paint code uses, measured in the
// type it paints with), also alone at its minimum size and in presentation mode; the sequence
// diagram's state badges show their state names whole (an "(inferred)" note may give way, the dashed
// border still says it). The classroom window is rendered and must not be blank.
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QFontMetrics>
#include <QImage>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QTest>

#include "app/main_window.h"
#include "app/screenshot.h"
#include "app/translations.h"
#include "services/engine_bridge.h"
#include "services/lab_switch.h"
#include "views/sequence_view.h"
#include "views/state_machine_view.h"
#include "views/tap_settings_dialog.h"

using namespace tcplab;
using namespace tcplab::gui;

namespace {

// Every box shows its whole state name, and the name, measured in the type the painter uses, fits
// inside the box (width and height).
void checkStateBoxes(const StateMachineView &view, QSizeF size, const QString &where)
{
    const StateMachineView::Layout l = view.layoutFor(size);
    QCOMPARE(l.boxes.size(), 12);
    QCOMPARE(l.texts.size(), 12);
    const QFontMetrics fm(l.boxFont);
    const QRectF inside(QPointF(0, 0), size);
    QVERIFY2(l.boxFont.pointSizeF() >= StateMachineView::kMinBoxPointSize,
             qPrintable(where + QStringLiteral(": box type %1 pt").arg(l.boxFont.pointSizeF())));
    for (int n = 0; n < l.boxes.size(); ++n) {
        const QRectF &r = l.boxes[n];
        const QString what = QStringLiteral("%1: box %2 \"%3\" shows \"%4\" in %5 x %6 (text %7 x %8, %9 pt)")
                                 .arg(where)
                                 .arg(n)
                                 .arg(l.names[n], l.texts[n])
                                 .arg(r.width())
                                 .arg(r.height())
                                 .arg(fm.horizontalAdvance(l.texts[n]))
                                 .arg(fm.height())
                                 .arg(l.boxFont.pointSizeF());
        QVERIFY2(l.texts[n] == l.names[n], qPrintable(what + QStringLiteral(": elided")));
        QVERIFY2(fm.horizontalAdvance(l.texts[n]) <= r.width(),
                 qPrintable(what + QStringLiteral(": too wide")));
        QVERIFY2(fm.height() <= r.height(), qPrintable(what + QStringLiteral(": too low")));
        QVERIFY2(inside.contains(r), qPrintable(what + QStringLiteral(": leaves the view")));
        for (int m = n + 1; m < l.boxes.size(); ++m)
            QVERIFY2(!r.intersects(l.boxes[m]),
                     qPrintable(what + QStringLiteral(": overlaps box %1").arg(m)));
    }
}

// The state badges of the shown session: whole names, each inside its box and its column.
void checkBadges(const SequenceView &view, const QString &where, int *count)
{
    const QSizeF size = view.viewport()->size();
    const auto plan = view.stateBadges(size, view.verticalScrollBar()->value());
    const QFontMetrics fm(plan.font);
    QFont italic = plan.font;
    italic.setItalic(true);
    const QFontMetrics fmItalic(italic);
    const SequenceLayout l = view.layout(size.width());
    for (const auto &b : plan.badges) {
        const QFontMetrics &m = b.inferred ? fmItalic : fm;
        const QString what =
            QStringLiteral("%1: badge \"%2\" shows \"%3\" in %4 px (text %5 px, %6 pt, state column %7)")
                .arg(where, b.fullText, b.text)
                .arg(b.box.width())
                .arg(m.horizontalAdvance(b.text))
                .arg(plan.font.pointSizeF())
                .arg(l.geometry().stateColumn);
        QVERIFY2(!b.text.contains(QChar(0x2026)), qPrintable(what + QStringLiteral(": elided")));
        QVERIFY2(b.fullText.startsWith(b.text), qPrintable(what));
        QVERIFY2(m.horizontalAdvance(b.text) <= b.box.width(),
                 qPrintable(what + QStringLiteral(": too wide")));
        QVERIFY2(b.box.left() >= 0 && b.box.right() <= size.width(),
                 qPrintable(what + QStringLiteral(": outside")));
        if (b.left)
            QVERIFY2(b.box.right() <= l.leftX(), qPrintable(what + QStringLiteral(": crosses the lifeline")));
        else
            QVERIFY2(b.box.left() >= l.rightX(), qPrintable(what + QStringLiteral(": crosses the lifeline")));
    }
    *count = int(plan.badges.size());
}

bool notBlank(const QImage &image, QString *why)
{
    QHash<QRgb, int> counts;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2)
            ++counts[image.pixel(x, y)];
    int total = 0, top = 0;
    for (int c : counts) {
        total += c;
        top = std::max(top, c);
    }
    *why = QStringLiteral("%1 colours, the commonest %2 % of the pixels")
               .arg(counts.size())
               .arg(total ? 100.0 * top / total : 100.0);
    // Classroom shows two diagrams on the palette's base colour (the sequence and the state machine):
    // well over half of a real window can be that colour; a blank one is almost all of it.
    return counts.size() > 200 && total && double(top) / total < 0.7;
}

// The tap dialog at its own size fits a 1024x640 screen, and no label or choice in it is cut.
void checkTapDialog(const QString &where)
{
    TapSettingsDialog d({"handshake", "syn-answered-by-ack"});
    d.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d));
    QApplication::processEvents();
    QVERIFY2(d.width() <= 1024 && d.height() <= 640,
             qPrintable(where + QStringLiteral(": the tap dialog is %1x%2").arg(d.width()).arg(d.height())));
    for (auto *label : d.findChildren<QLabel *>())
        if (label->isVisible() && !label->wordWrap())
            QVERIFY2(label->width() >= label->sizeHint().width(),
                     qPrintable(where + QStringLiteral(": \"%1\" is %2 px wide, needs %3")
                                            .arg(label->text())
                                            .arg(label->width())
                                            .arg(label->sizeHint().width())));
    for (auto *combo : d.findChildren<QComboBox *>())
        QVERIFY2(combo->width() >= combo->minimumSizeHint().width(),
                 qPrintable(where + QStringLiteral(": choice %1 is cut").arg(combo->objectName())));
}

} // namespace

class TestNarrowLayouts : public QObject {
    Q_OBJECT
private slots:
    // The view alone: at its minimum size, at its preferred size, in presentation's larger type
    // at the minimum size, and with a much larger type than the view can hold at full size.
    void stateMachineAloneFits()
    {
        StateMachineView view;
        view.setState(StateMachineView::End::Client, QStringLiteral("SYN-SENT"));
        view.setState(StateMachineView::End::Server, QStringLiteral("SYN-RECEIVED"));
        checkStateBoxes(view, view.minimumSizeHint(), QStringLiteral("minimum size"));
        checkStateBoxes(view, view.sizeHint(), QStringLiteral("preferred size"));
        checkStateBoxes(view, QSizeF(340, 560), QStringLiteral("tall and narrow"));
        checkStateBoxes(view, QSizeF(700, 330), QStringLiteral("wide and low"));
        const double base = view.font().pointSizeF();
        QFont big = view.font();
        big.setPointSizeF(base * 1.6);
        view.setFont(big);
        view.setPresentation(true);
        checkStateBoxes(view, view.minimumSizeHint(), QStringLiteral("presentation, minimum size"));
        checkStateBoxes(view, view.sizeHint(), QStringLiteral("presentation, preferred size"));
        // At the preferred size the nominal type fits: nothing shrinks without need.
        view.setFont(QFont());
        view.setPresentation(false);
        QCOMPARE(view.layoutFor(view.sizeHint()).boxFont.pointSizeF(), view.font().pointSizeF());
        // Below the minimum size the type stops at the readable minimum and the names elide, with
        // the whole name in the box's tooltip.
        const StateMachineView::Layout tiny = view.layoutFor(QSizeF(150, 200));
        QCOMPARE(tiny.boxFont.pointSizeF(), StateMachineView::kMinBoxPointSize);
        QVERIFY(tiny.texts.join(QString()).contains(QChar(0x2026)));
        for (int n = 0; n < tiny.boxes.size(); ++n)
            QVERIFY(QFontMetrics(tiny.boxFont).horizontalAdvance(tiny.texts[n]) <= tiny.boxes[n].width());
    }

    void tapDialogFitsInEnglish() { checkTapDialog(QStringLiteral("en")); }

    void mainWindow_data()
    {
        QTest::addColumn<QString>("lang");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<bool>("classroom");
        // English first: the Japanese rows install the translation for the rest of the run.
        for (const char *lang : {"en", "ja"})
            for (const QSize size : {QSize(1024, 640), QSize(1280, 800)})
                for (const bool classroom : {true, false})
                    QTest::addRow("%s %dx%d %s", lang, size.width(), size.height(),
                                  classroom ? "classroom" : "normal")
                        << QString::fromLatin1(lang) << size << classroom;
    }
    void mainWindow()
    {
        QFETCH(QString, lang);
        QFETCH(QSize, size);
        QFETCH(bool, classroom);
        if (lang == QLatin1String("ja") && !japanese_) {
            QVERIFY(installTranslations(*qApp, lang));
            japanese_ = true;
        }
        QVERIFY(!japanese_ || lang == QLatin1String("ja"));
        MainWindow window(std::make_unique<LabSwitch>(makeDefaultLab(LabMode::Demo)));
        QVERIFY(window.loadScenario(QStringLiteral("handshake")));
        window.resize(size);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QString where = QStringLiteral("%1 %2x%3 %4")
                                  .arg(lang)
                                  .arg(size.width())
                                  .arg(size.height())
                                  .arg(classroom ? QStringLiteral("classroom") : QStringLiteral("normal"));
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("shot.png"));
        if (classroom) {
            // The classroom screenshot's own layout: stepped into the handshake, the state machine
            // above the explanation on the right.
            QCOMPARE(takeScreenshot(window, file, 0, QStringLiteral("classroom")), 0);
        } else {
            window.bridge().lab().start();
            window.bridge().runFor(Duration(std::int64_t(2'000'000'000)));
            QApplication::processEvents();
            window.showFirstSession();
            auto *state = window.findChild<QDockWidget *>(QStringLiteral("StateMachineDock"));
            QVERIFY(state);
            state->show();
            state->raise(); // its tab, where it sits by default
        }
        for (int i = 0; i < 5; ++i)
            QApplication::processEvents();
        if (window.size() != size) {
            // Which docks' minimum sizes did not fit.
            QStringList docks;
            for (auto *d : window.findChildren<QDockWidget *>())
                if (d->isVisible())
                    docks << QStringLiteral("%1 %2x%3 (min %4x%5)")
                                 .arg(d->objectName())
                                 .arg(d->width())
                                 .arg(d->height())
                                 .arg(d->minimumSizeHint().width())
                                 .arg(d->minimumSizeHint().height());
            QFAIL(qPrintable(
                where + QStringLiteral(": the window is %1x%2: ").arg(window.width()).arg(window.height()) +
                docks.join(QStringLiteral(", "))));
        }
        StateMachineView *stateView = window.stateView();
        QVERIFY(stateView->isVisible());
        QVERIFY2(stateView->width() >= stateView->minimumSizeHint().width() &&
                     stateView->height() >= stateView->minimumSizeHint().height(),
                 qPrintable(where + QStringLiteral(": the state machine has %1 x %2")
                                        .arg(stateView->width())
                                        .arg(stateView->height())));
        checkStateBoxes(*stateView, stateView->size(), where + QStringLiteral(" state machine"));
        SequenceView *view = window.sequenceView();
        QVERIFY(view->session() != kNoSession);
        int badges = 0;
        checkBadges(*view, where + QStringLiteral(" sequence"), &badges);
        QVERIFY2(badges >= 2, qPrintable(where + QStringLiteral(": %1 state badges shown").arg(badges)));
        if (classroom) {
            const QImage image(file);
            QVERIFY(!image.isNull());
            QCOMPARE(image.size(), size);
            QString why;
            QVERIFY2(notBlank(image, &why), qPrintable(where + QStringLiteral(": blank? ") + why));
        }
    }

    // After mainWindow's Japanese rows (which install the translation), or installing it here.
    void tapDialogFitsInJapanese()
    {
        if (!japanese_) {
            QVERIFY(installTranslations(*qApp, QStringLiteral("ja")));
            japanese_ = true;
        }
        checkTapDialog(QStringLiteral("ja"));
        // Qt's own buttons speak Japanese too (qtbase_ja from qt6-translations-l10n, which
        // installer/dev installs and the package recommends).
        TapSettingsDialog d({});
        QStringList english;
        for (auto *b : d.findChildren<QPushButton *>())
            if (b->text() == QLatin1String("Cancel") || b->text() == QLatin1String("&Cancel"))
                english << b->text();
        QVERIFY2(english.isEmpty(),
                 "the tap dialog's Cancel button is in English: Qt's translation is missing");
    }

private:
    bool japanese_ = false;
};

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    Q_INIT_RESOURCE(tcplab);
    QApplication app(argc, argv);
    TestNarrowLayouts t;
    return QTest::qExec(&t, argc, argv);
}

#include "test_narrow_layouts.moc"
