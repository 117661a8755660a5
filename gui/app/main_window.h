// The window users live in: the sequence diagram in the centre, docks around it (sessions,
// inspector, plots, log, demo network; the rule editor and setup panel plug in with addPanel),
// menus and a toolbar for the lab, a status bar with the link and the counters.
#pragma once

#include <memory>

#include <QMainWindow>

#include "services/lab_driver.h"

class QAction;
class QActionGroup;
class QComboBox;
class QDockWidget;
class QLabel;
class QLineEdit;
class QTableView;
class QDoubleSpinBox;
class QSpinBox;

namespace tcplab::gui {

struct MainWindowActions;
class EngineBridge;
class SessionListModel;
class SessionFilterModel;
class LogModel;
class SequenceView;
class PacketInspector;
class TcpPlots;
class RuleEditor;
class ExplanationPanel;
class ClassroomTimeline;
class StateMachineView;
class HostLab;
class LabSwitch;
class SetupPanel;
struct TapSettings;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(std::unique_ptr<LabDriver> lab, QWidget *parent = nullptr);
    ~MainWindow() override;

    EngineBridge &bridge() { return *bridge_; }
    SequenceView *sequenceView() const { return view_; }
    SessionListModel *sessionModel() const { return sessionModel_; }
    LogModel *logModel() const { return logModel_; }
    RuleEditor *ruleEditor() const { return ruleEditor_; }
    ClassroomTimeline *timeline() const { return timeline_; }
    StateMachineView *stateView() const { return stateView_; }
    // Classroom (main_window_classroom.cpp): Step and Back through what the lab did, presentation mode.
    void classroomStep();
    void classroomBack();
    void setPresentation(bool on);
    bool presentation() const { return presentation_; }

    // Adds a dock (rule editor, setup panel, classroom views) with its toggle in View > Panels.
    QDockWidget *addPanel(QWidget *panel, const QString &title, const QString &objectName,
                          Qt::DockWidgetArea area = Qt::RightDockWidgetArea);

    bool loadScenario(const QString &nameOrPath);
    // Tap mode (main_window_tap.cpp): attach the lab to a tap with these settings (errors shown in
    // words with a way to the Setup panel; false then), or go back to the demo network.
    bool attachTap(const TapSettings &settings);
    void useDemo();
    void openFiles(const QStringList &paths);
    // Selects the first session (if none is selected) and shows the diagram from its start.
    void showFirstSession();
    void restoreSettings();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    // main_window.cpp
    void buildDocks();
    void buildStatusBar();
    void wire();
    void onBatch();
    void onStatus(const LabStatus &status);
    void onSessionActivated(const QModelIndex &index);
    void onArrowSelected(SessionId session, std::size_t arrow, quint64 storeIndex);
    QDockWidget *dock(QWidget *w, const QString &title, const QString &objectName, Qt::DockWidgetArea area);
    QWidget *buildWirePanel();

    // main_window_tap.cpp
    LabSwitch *labSwitch() const;
    void chooseTap();
    void showTapError(const QString &tap, const QString &message);
    bool reserveCaptureMemory(HostLab &lab, const QString &tap);
    void openSetupPanel();
    void connectSetupPanel(SetupPanel *panel);
    void updateModeUi();

    // main_window_actions.cpp
    void buildActions();
    void buildMenus();
    void buildToolBar();
    void startStop();
    void setSpeed(double factor);
    void openCaptureDialog();
    void openScenarioDialog();
    void exportPcapng(bool selectedOnly);
    bool writePcapng(const QString &path, bool selectedOnly);
    void exportDiagram(bool svg);
    void openInWireshark();
    void setLanguage(const QString &code);
    void about();

    EngineBridge *bridge_;
    SequenceView *view_;
    SessionListModel *sessionModel_;
    SessionFilterModel *sessionFilter_;
    LogModel *logModel_;
    PacketInspector *inspector_;
    TcpPlots *plots_;
    RuleEditor *ruleEditor_ = nullptr;
    ExplanationPanel *explanation_ = nullptr;
    QTableView *sessionTable_ = nullptr;
    QLineEdit *sessionFilterEdit_ = nullptr;
    QLabel *linkLabel_ = nullptr, *countersLabel_ = nullptr, *timeLabel_ = nullptr, *captureLabel_ = nullptr;
    QComboBox *speedCombo_ = nullptr, *scenarioCombo_ = nullptr, *modeCombo_ = nullptr;
    QSpinBox *latencySpin_ = nullptr, *bandwidthSpin_ = nullptr;
    QDoubleSpinBox *lossSpin_ = nullptr;
    QMenu *panelsMenu_ = nullptr;
    std::unique_ptr<MainWindowActions> actions_;

    // main_window_classroom.cpp
    void buildClassroom();
    void showMoment();
    void updateClassroom();
    ClassroomTimeline *timeline_ = nullptr;
    StateMachineView *stateView_ = nullptr;
    QAction *backAction_ = nullptr, *stepByStateAction_ = nullptr, *presentationAction_ = nullptr;
    QAction *leavePresentationAction_ = nullptr; // Esc, only while presenting
    QByteArray presentationState_, presentationGeometry_;
    Qt::WindowStates presentationWindowState_;
    double presentationRowHeight_ = 40;
    bool presentation_ = false;
};

} // namespace tcplab::gui
