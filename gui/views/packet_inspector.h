// The packet inspector: the decoded field tree of the selected packet over its hex dump; selecting
// a field highlights its bytes, clicking a byte selects the innermost field that covers it.
#pragma once

#include <QWidget>

#include "capture/packet_store.h"

class QTreeView;
class QLabel;

namespace tcplab::gui {

class FieldTreeModel;
class HexView;

class PacketInspector : public QWidget {
    Q_OBJECT
public:
    explicit PacketInspector(QWidget *parent = nullptr);
    void setStore(const PacketStore *store);
    FieldTreeModel *model() const { return model_; }
    HexView *hexView() const { return hex_; }

public slots:
    void showPacket(quint64 storeIndex);
    void clear();

private:
    void onFieldSelected();
    void onByteClicked(std::size_t offset);

    const PacketStore *store_ = nullptr;
    QLabel *title_;
    QTreeView *tree_;
    FieldTreeModel *model_;
    HexView *hex_;
};

}  // namespace tcplab::gui
