#include "app/translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

namespace tcplab::gui {

QString savedLanguageSetting() { return QSettings().value(QStringLiteral("ui/language"), QStringLiteral("system")).toString(); }

void saveLanguageSetting(const QString &value) { QSettings().setValue(QStringLiteral("ui/language"), value); }

QString chooseLanguage(const QString &commandLine)
{
    if (!commandLine.isEmpty()) return commandLine;
    const QString saved = savedLanguageSetting();
    if (saved == QLatin1String("ja") || saved == QLatin1String("en")) return saved;
    return QLocale::system().language() == QLocale::Japanese ? QStringLiteral("ja") : QStringLiteral("en");
}

bool installTranslations(QCoreApplication &app, const QString &language)
{
    if (language == QLatin1String("en")) return true;
    auto *ours = new QTranslator(&app);
    if (!ours->load(QStringLiteral(":/i18n/tcplab_%1.qm").arg(language))) {
        delete ours;
        return false;
    }
    app.installTranslator(ours);
    auto *qt = new QTranslator(&app);
    if (qt->load(QStringLiteral("qtbase_%1").arg(language), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        app.installTranslator(qt);
    else
        delete qt;
    return true;
}

}  // namespace tcplab::gui
