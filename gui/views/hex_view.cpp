#include "views/hex_view.h"

#include <QFontDatabase>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>

namespace tcplab::gui {

HexView::HexView(QWidget *parent) : QAbstractScrollArea(parent)
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
}

void HexView::setBytes(Bytes bytes)
{
    bytes_ = std::move(bytes);
    hiOffset_ = hiLength_ = 0;
    updateRange();
    viewport()->update();
}

void HexView::setHighlight(std::size_t offset, std::size_t length)
{
    hiOffset_ = offset;
    hiLength_ = length;
    const int line = int(offset / 16);
    const int first = verticalScrollBar()->value();
    const int visible = int(viewport()->height() / lineHeight());
    if (line < first || line >= first + visible) verticalScrollBar()->setValue(line);
    viewport()->update();
}

double HexView::lineHeight() const { return QFontMetricsF(font()).height() + 1; }
double HexView::charWidth() const { return QFontMetricsF(font()).horizontalAdvance(QLatin1Char('0')); }

void HexView::updateRange()
{
    const int lines = int((bytes_.size() + 15) / 16);
    const int visible = std::max(1, int(viewport()->height() / lineHeight()));
    verticalScrollBar()->setRange(0, std::max(0, lines - visible));
    verticalScrollBar()->setPageStep(visible);
    horizontalScrollBar()->setRange(0, std::max(0, int(76 * charWidth()) - viewport()->width()));
}

void HexView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateRange();
}

void HexView::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    const QPalette &pal = palette();
    p.fillRect(viewport()->rect(), pal.base());
    const double lh = lineHeight(), cw = charWidth();
    const double x0 = -horizontalScrollBar()->value() + 4;
    const QFontMetricsF fm(font());
    const std::size_t firstLine = std::size_t(verticalScrollBar()->value());
    const std::size_t lines = std::size_t(viewport()->height() / lh) + 1;
    for (std::size_t line = firstLine; line < firstLine + lines && line * 16 < bytes_.size(); ++line) {
        const double y = double(line - firstLine) * lh;
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QPointF(x0, y + fm.ascent()), QStringLiteral("%1").arg(line * 16, 4, 16, QLatin1Char('0')));
        for (std::size_t i = 0; i < 16 && line * 16 + i < bytes_.size(); ++i) {
            const std::size_t at = line * 16 + i;
            const bool hi = at >= hiOffset_ && at < hiOffset_ + hiLength_;
            const double hx = x0 + (6 + i * 3 + (i >= 8 ? 1 : 0)) * cw;
            const double ax = x0 + (57 + i) * cw;
            if (hi) {
                p.fillRect(QRectF(hx - cw * 0.25, y, cw * 2.5, lh), pal.highlight());
                p.fillRect(QRectF(ax, y, cw, lh), pal.highlight());
            }
            p.setPen(hi ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::Text));
            const std::uint8_t b = bytes_[at];
            p.drawText(QPointF(hx, y + fm.ascent()), QStringLiteral("%1").arg(b, 2, 16, QLatin1Char('0')));
            p.drawText(QPointF(ax, y + fm.ascent()), QString(QChar(b >= 32 && b < 127 ? char16_t(b) : u'·')));
        }
    }
}

void HexView::mousePressEvent(QMouseEvent *event)
{
    const double cw = charWidth();
    const double x = event->position().x() + horizontalScrollBar()->value() - 4;
    const std::size_t line = std::size_t(event->position().y() / lineHeight()) + std::size_t(verticalScrollBar()->value());
    long col = -1;
    if (x >= 57 * cw) col = long((x - 57 * cw) / cw);
    else if (x >= 6 * cw) {
        const double c = (x - 6 * cw) / cw;
        col = long((c - (c >= 25 ? 1 : 0)) / 3);
    }
    if (col >= 0 && col < 16 && line * 16 + std::size_t(col) < bytes_.size()) emit byteClicked(line * 16 + std::size_t(col));
}

}  // namespace tcplab::gui
