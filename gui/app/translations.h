// Loading the user-interface translation: --lang, else the saved setting, else the system locale.
#pragma once

#include <QString>

class QCoreApplication;

namespace tcplab::gui {

// "ja" or "en": the language the UI will use.
QString chooseLanguage(const QString &commandLine);
// Installs TCP Lab's and Qt's own translators for `language` ("en" installs none). Returns false
// when the translation for a non-English language could not be loaded.
bool installTranslations(QCoreApplication &app, const QString &language);
// The saved choice: "system", "ja" or "en".
QString savedLanguageSetting();
void saveLanguageSetting(const QString &value);

}  // namespace tcplab::gui
