// Lab > Lab mode > Tap device: which tap the lab attaches to, the engine's own addresses, MAC and
// gateway, the services it listens on, the scenario whose rules it plays and the capture's snap length
// and memory. Remembered in QSettings
// ("tap/..."); checked with parseTapSettings() before the dialog closes.
#pragma once

#include <vector>

#include <QDialog>

#include "services/host_lab.h"

class QComboBox;
class QLabel;
class QLineEdit;

namespace tcplab::gui {

class TapSettingsDialog : public QDialog {
    Q_OBJECT
public:
    TapSettingsDialog(const std::vector<std::string> &scenarios, QWidget *parent = nullptr);

    TapSettings settings() const;
    void setSettings(const TapSettings &settings);

    // The last settings used (defaults on a first run).
    static TapSettings saved();
    static void save(const TapSettings &settings);

    void accept() override;

private:
    QLineEdit *tap_, *ip4_, *ip6_, *mac_, *gateway_, *services_, *snapLength_, *captureMemory_,
        *captureReserve_, *captureSpillDirectory_;
    QComboBox *scenario_, *captureWhenFull_;
    QLabel *error_;
};

} // namespace tcplab::gui
