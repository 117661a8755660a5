// Offsets, hex bytes and ASCII of one frame, 16 bytes a line, with one highlighted byte range.
#pragma once

#include <QAbstractScrollArea>

#include "core/bytes.h"

namespace tcplab::gui {

class HexView : public QAbstractScrollArea {
    Q_OBJECT
public:
    explicit HexView(QWidget *parent = nullptr);
    void setBytes(Bytes bytes);
    void setHighlight(std::size_t offset, std::size_t length);
    std::size_t highlightOffset() const { return hiOffset_; }
    std::size_t highlightLength() const { return hiLength_; }

signals:
    void byteClicked(std::size_t offset);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

private:
    void updateRange();
    double lineHeight() const;
    double charWidth() const;
    Bytes bytes_;
    std::size_t hiOffset_ = 0, hiLength_ = 0;
};

}  // namespace tcplab::gui
