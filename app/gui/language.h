#pragma once
// The language of the user interface: English (the source text) or Simplified Chinese
// (resources/translations/arlab_zh_CN.ts, compiled into the program). Chosen, in order, by `--lang`, by
// View -> Language (remembered: QSettings ui/language), or by the system locale (any Chinese locale -> zh_CN).
//
// Switching at run time installs the translators and then retranslates what is already on screen: every
// text of the window (menus, actions, dock titles, buttons, labels, tooltips, combo items, plot labels) is
// looked up in the translation table as the current language shows it, including texts built from a
// pattern ("Show the %1 lesson", whose argument is translated too), and replaced by the new language's
// version. Views that rebuild their text later call tr() and get the new language directly.
#include <QHash>
#include <QList>
#include <QObject>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QTranslator>

#include <memory>

class QMenu;

class QWidget;

namespace arlab {

class Language : public QObject {
    Q_OBJECT
public:
    static Language& instance();

    static QStringList codes() { return {QStringLiteral("en"), QStringLiteral("zh_CN")}; }
    static QString displayName(const QString& code);       // "English", "简体中文"
    // "en", "zh_CN", "" (= follow the system locale): the code to use, or "" when `requested` is unknown.
    static QString resolve(const QString& requested);
    // The language for this start: `commandLine` if given, else the saved choice, else the system locale.
    static QString startupChoice(const QString& commandLine);

    QString current() const { return m_current; }
    // Installs the translators for `code` ("en" removes them) and retranslates every top-level widget.
    // Returns false for an unknown code (nothing changes).
    bool apply(const QString& code);
    // View -> Language: one checkable entry per language plus "System language"; the choice is saved.
    void addMenu(QMenu* viewMenu);
    // Retranslates the texts of `root` and everything in it from the previous language to the current one.
    void retranslate(QWidget* root, const QString& from) const;
    // `text` as shown in language `from`, in the current language ("" when it is not a known text).
    QString translateText(const QString& text, const QString& from) const;

signals:
    void changed(const QString& code);

private:
    Language() = default;
    struct Entry {
        QString context, source, translation;
        QRegularExpression sourcePattern, translationPattern;   // texts with %1..%9 (else invalid)
    };
    void loadTable();
    QString shown(const Entry& e, const QString& code) const { return code == QLatin1String("en") ? e.source : e.translation; }

    QString m_current = QStringLiteral("en");
    std::unique_ptr<QTranslator> m_app, m_qt;
    QList<Entry> m_entries;
    QHash<QString, int> m_bySource, m_byTranslation;   // exact texts -> entry
    QList<int> m_patterns;                             // entries with %N
    bool m_loaded = false;
};

}  // namespace arlab
