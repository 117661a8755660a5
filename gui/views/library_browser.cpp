#include "views/library_browser.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

#include "models/rule_list_model.h"

namespace tcplab::gui {

LibraryBrowser::LibraryBrowser(const QString &language, QWidget *parent)
    : QDialog(parent), list_(new QListWidget(this)), description_(new QLabel(this)),
      tapNote_(new QLabel(this)), preview_(new QPlainTextEdit(this)),
      demo_(new QPushButton(tr("Load into demo network"), this)),
      tap_(new QPushButton(tr("Load into tap lab"), this))
{
    setObjectName(QStringLiteral("LibraryBrowser"));
    setWindowTitle(tr("Scenario library"));
    // The translation says which language it is, so the descriptions follow the UI.
    language_ = !language.isEmpty() ? language : tr("en", "language code of this translation: ja or en");
    for (const auto &b : builtinScenarios()) {
        auto s = loadScenario(b.text, b.name);
        if (!s) {
            // A broken library entry is a build defect; list it with the reason rather than hide it.
            Scenario broken;
            broken.name = std::string(b.name);
            broken.title = s.error().message;
            scenarios_.push_back(std::move(broken));
            continue;
        }
        scenarios_.push_back(std::move(s.value()));
    }
    for (const auto &s : scenarios_) {
        auto *item = new QListWidgetItem(QString::fromStdString(s.name), list_);
        item->setToolTip(QString::fromStdString(s.title));
    }
    description_->setObjectName(QStringLiteral("libraryDescription"));
    description_->setWordWrap(true);
    description_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    description_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    preview_->setObjectName(QStringLiteral("libraryPreview"));
    preview_->setReadOnly(true);
    preview_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(description_);
    rightLayout->addWidget(new QLabel(tr("Rules"), right));
    rightLayout->addWidget(preview_, 1);
    auto *split = new QSplitter(this);
    split->addWidget(list_);
    split->addWidget(right);
    split->setStretchFactor(1, 3);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(demo_, QDialogButtonBox::ActionRole);
    buttons->addButton(tap_, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(demo_, &QPushButton::clicked, this, [this] { emit loadRequested(selectedName(), Target::Demo); });
    connect(tap_, &QPushButton::clicked, this, [this] { emit loadRequested(selectedName(), Target::Tap); });
    connect(list_, &QListWidget::currentRowChanged, this, &LibraryBrowser::showSelected);
    auto *layout = new QVBoxLayout(this);
    tapNote_->setObjectName(QStringLiteral("libraryTapNote"));
    tapNote_->setWordWrap(true);
    tapNote_->setVisible(false);
    layout->addWidget(split, 1);
    layout->addWidget(tapNote_);
    layout->addWidget(buttons);
    setTapAvailable(false, tr("No tap lab is running"));
    resize(820, 480);
    select(0);
}

void LibraryBrowser::setTapAvailable(bool available, const QString &reason)
{
    tapReason_ = available ? QString() : reason;
    tap_->setToolTip(tapReason_);
    showSelected();
}

void LibraryBrowser::setTapNote(const QString &text)
{
    tapNote_->setText(text);
    tapNote_->setVisible(!text.isEmpty());
}

QString LibraryBrowser::tapNote() const
{
    return tapNote_->text();
}

int LibraryBrowser::count() const
{
    return list_->count();
}

void LibraryBrowser::select(int row)
{
    list_->setCurrentRow(row);
}

QString LibraryBrowser::selectedName() const
{
    const int row = list_->currentRow();
    return row >= 0 ? QString::fromStdString(scenarios_[std::size_t(row)].name) : QString();
}

QString LibraryBrowser::description() const
{
    return description_->text();
}
QString LibraryBrowser::preview() const
{
    return preview_->toPlainText();
}

void LibraryBrowser::showSelected()
{
    const int row = list_->currentRow();
    const bool have = row >= 0 && row < int(scenarios_.size());
    demo_->setEnabled(have);
    tap_->setEnabled(have && tapReason_.isEmpty());
    if (!have) {
        description_->clear();
        preview_->clear();
        return;
    }
    const Scenario &s = scenarios_[std::size_t(row)];
    const std::string &text =
        language_ == QLatin1String("ja") && !s.description.ja.empty() ? s.description.ja : s.description.en;
    description_->setText(QStringLiteral("<b>%1</b><br>%2")
                              .arg(QString::fromStdString(s.title).toHtmlEscaped(),
                                   QString::fromStdString(text).toHtmlEscaped()));
    QString rules;
    for (const auto &r : s.rules)
        rules += QStringLiteral("# %1\n%2\n").arg(ruleSummary(r.rule), QString::fromStdString(ruleToml(r)));
    preview_->setPlainText(rules.isEmpty() ? tr("(no rules: the stacks behave as the RFCs say)") : rules);
}

} // namespace tcplab::gui
