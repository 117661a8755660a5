#include "views/packet_inspector.h"

#include <QCoreApplication>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>

#include "models/field_tree_model.h"
#include "views/hex_view.h"

namespace tcplab::gui {
namespace {

// "tcp.window_size_value" -> "509→64", from the rule-hit annotations of a record.
std::map<std::string, std::string> ruleChanges(const PacketView &p)
{
    std::map<std::string, std::string> out;
    for (const Annotation *a = p.firstNote; a; a = a->nextNote()) {
        if (a->kind != AnnotationKind::RuleHit) continue;
        for (const auto &[k, v] : a->fields)
            if (k.find('.') != std::string::npos) out[k] = v;
    }
    return out;
}

const char *fateText(FrameFate fate)
{
    switch (fate) {
    case FrameFate::Delivered: return QT_TRANSLATE_NOOP("PacketInspector", "delivered");
    case FrameFate::DroppedByRule: return QT_TRANSLATE_NOOP("PacketInspector", "dropped by a rule");
    case FrameFate::ConsumedByRule: return QT_TRANSLATE_NOOP("PacketInspector", "consumed by a rule");
    case FrameFate::LostOnWire: return QT_TRANSLATE_NOOP("PacketInspector", "lost on the wire");
    case FrameFate::Malformed: return QT_TRANSLATE_NOOP("PacketInspector", "malformed");
    }
    return "";
}

}  // namespace

PacketInspector::PacketInspector(QWidget *parent)
    : QWidget(parent), title_(new QLabel(this)), tree_(new QTreeView(this)), model_(new FieldTreeModel(this)),
      hex_(new HexView(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    title_->setText(tr("No packet selected"));
    title_->setWordWrap(true);
    layout->addWidget(title_);
    auto *split = new QSplitter(Qt::Vertical, this);
    tree_->setModel(model_);
    tree_->setUniformRowHeights(true);
    tree_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    tree_->header()->setStretchLastSection(false);
    split->addWidget(tree_);
    split->addWidget(hex_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);
    connect(tree_->selectionModel(), &QItemSelectionModel::currentChanged, this, &PacketInspector::onFieldSelected);
    connect(hex_, &HexView::byteClicked, this, &PacketInspector::onByteClicked);
}

void PacketInspector::setStore(const PacketStore *store)
{
    store_ = store;
    clear();
}

void PacketInspector::clear()
{
    model_->clear();
    hex_->setBytes({});
    title_->setText(tr("No packet selected"));
}

void PacketInspector::showPacket(quint64 storeIndex)
{
    if (!store_ || storeIndex >= store_->size()) return clear();
    const PacketView p = store_->packet(storeIndex);
    model_->setFrame(p.bytes, ruleChanges(p));
    hex_->setBytes(Bytes(p.bytes.begin(), p.bytes.end()));
    title_->setText(tr("Packet %1 · %2 bytes · %3 on host %4 · %5")
                        .arg(storeIndex)
                        .arg(p.bytes.size())
                        .arg(p.direction == Direction::Outbound ? tr("sent") : tr("received"))
                        .arg(p.host)
                        .arg(QCoreApplication::translate("PacketInspector", fateText(p.fate))));
    tree_->expandAll();
}

void PacketInspector::onFieldSelected()
{
    const QModelIndex i = tree_->currentIndex();
    if (!i.isValid()) return;
    hex_->setHighlight(std::size_t(i.data(FieldTreeModel::OffsetRole).toULongLong()),
                       std::size_t(i.data(FieldTreeModel::LengthRole).toULongLong()));
}

void PacketInspector::onByteClicked(std::size_t offset)
{
    // The innermost (last, smallest) row covering the byte.
    QModelIndex best;
    qulonglong bestLength = ~0ull;
    std::function<void(const QModelIndex &)> visit = [&](const QModelIndex &parent) {
        for (int r = 0; r < model_->rowCount(parent); ++r) {
            const QModelIndex i = model_->index(r, 0, parent);
            const auto off = i.data(FieldTreeModel::OffsetRole).toULongLong();
            const auto len = i.data(FieldTreeModel::LengthRole).toULongLong();
            if (offset >= off && offset < off + len && len <= bestLength) {
                best = i;
                bestLength = len;
            }
            visit(i);
        }
    };
    visit({});
    if (best.isValid()) tree_->setCurrentIndex(best);
}

}  // namespace tcplab::gui
