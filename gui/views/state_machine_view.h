// Classroom: the TCP state diagram of RFC 9293 section 3.3.2 (Figure 5), custom-painted: the
// eleven states and every transition labelled "event / action" as in the RFC, each endpoint's
// current state highlighted in its own colour (client, server; a legend says which), and the last
// transition of each endpoint animated along its edge. Follows the palette (dark mode) and scales
// with the widget and the font (high-DPI, presentation mode).
#pragma once

#include <QList>
#include <QRectF>
#include <QString>
#include <QVariantAnimation>
#include <QWidget>

namespace tcplab::gui {

class StateMachineView : public QWidget {
    Q_OBJECT
public:
    enum class End { Client, Server };
    explicit StateMachineView(QWidget *parent = nullptr);

    // The RFC spelling ("SYN-SENT"); empty or unknown: not shown. A change from a known state
    // animates the transition between the two when Figure 5 has one.
    void setState(End end, const QString &state);
    QString state(End end) const { return ends_[int(end)].state; }
    // The endpoints' names in the legend ("client 198.18.0.1:50000").
    void setEndNames(const QString &client, const QString &server);
    // Thick lines and large type for presentation mode.
    void setPresentation(bool on);
    bool animating() const;

    // The diagram's states and transitions (tests; the painter uses the same tables).
    static QStringList stateNames();
    // "rcv SYN / snd SYN,ACK" for from → to, empty when Figure 5 has no such edge.
    static QString transitionLabel(const QString &from, const QString &to);

    // Where the transition labels and the state boxes are painted at the current size and font
    // (tests: no label covers another, a box, or leaves the view).
    QList<QRectF> labelRects() const;
    QList<QRectF> boxRects() const;

    // What the painter draws at `size`: the state boxes (Figure 5's order, CLOSED twice), the type of
    // their names and the text each shows. The type shrinks to fit the boxes, down to
    // kMinBoxPointSize; only a view smaller than that allows elides a name (its box's tooltip then
    // gives it whole). Tests check that every text fits its box.
    struct Layout {
        QFont boxFont;
        QList<QRectF> boxes;
        QStringList names, texts; // the state's name, and what its box shows
        QFont labelFont;
        QList<QRectF> labels;
    };
    Layout layoutFor(QSizeF size) const;
    static constexpr double kMinBoxPointSize = 7.0;

    QSize sizeHint() const override { return {520, 620}; }
    QSize minimumSizeHint() const override { return {260, 250}; }

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    QString legendText(End end) const;
    struct EndState {
        QString state, from;
        QVariantAnimation *animation = nullptr;
        double progress = 1.0; // along the last transition, 0 → 1
    };
    EndState ends_[2];
    QString names_[2];
    bool presentation_ = false;
};

} // namespace tcplab::gui
