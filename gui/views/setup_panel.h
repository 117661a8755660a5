// The Setup panel: builds the network the lab attaches to (a tap, optionally a bridge, host
// addresses and routes) through tcplab-netsetup and pkexec, shows each step as it runs and the live
// state of the managed interfaces, tears down exactly what it built, and remembers the last layout.
// When pkexec or polkit is missing it says so and shows the equivalent commands instead.
#pragma once

#include <QJsonArray>
#include <QWidget>

#include "services/helper_client.h"
#include "services/setup_plan.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTreeWidget;

namespace tcplab::gui {

class SetupPanel : public QWidget {
    Q_OBJECT
public:
    explicit SetupPanel(QWidget *parent = nullptr);

    HelperClient &client() { return *client_; }
    NetLayout layout() const;               // what the fields say now
    void setLayout(const NetLayout &layout); // fills the fields (and picks the matching preset)
    // What Apply built and Tear down will undo (survives restarts through QSettings).
    QList<HelperStep> created() const { return created_; }

public slots:
    void apply();
    void tearDown();
    void refreshStatus();

signals:
    // The layout is in place: the lab may attach to layout.tap without privileges.
    void attachRequested(const tcplab::gui::NetLayout &layout);
    // Tear down is about to delete the tap: the lab should let go of it first.
    void detachRequested(const QString &tap);
    void busyChanged(bool busy);

private:
    void buildUi();
    void choosePreset(int index);
    void onStepStarted(int index);
    void onStepFinished(int index, const HelperResult &result);
    void onStepsFinished(bool ok, int succeeded);
    void onStatus(const QJsonArray &interfaces, const QString &error);
    void runPlan(const QList<HelperStep> &plan, bool teardown);
    void updateAvailability();
    void saveSettings() const;
    void loadSettings();

    HelperClient *client_;
    QComboBox *preset_;
    QLineEdit *tap_, *bridge_, *hostAddresses_, *routes_, *engineV4_, *engineV6_, *engineMac_;
    QSpinBox *mtu_;
    QPushButton *applyButton_, *teardownButton_, *refreshButton_;
    QLabel *notice_;
    QProgressBar *progress_;
    QListWidget *steps_;
    QTreeWidget *status_;
    QPlainTextEdit *manual_;
    QList<HelperStep> plan_;
    QList<HelperStep> created_;
    bool tearingDown_ = false;
    bool filling_ = false;
};

} // namespace tcplab::gui
