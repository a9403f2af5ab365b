#include "app/gui/language.h"

#include "app/gui/menuaction.h"

#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QSettings>
#include <QSpinBox>
#include <QTabBar>
#include <QTableWidget>
#include <QTranslator>
#include <QXmlStreamReader>
#include <qcustomplot.h>

namespace arlab {

Language& Language::instance() {
    static Language* language = new Language;   // lives as long as the application (translators installed)
    return *language;
}

QString Language::displayName(const QString& code) {
    if (code == QLatin1String("zh_CN")) return QStringLiteral("简体中文");
    return QStringLiteral("English");
}

QString Language::resolve(const QString& requested) {
    const QString r = requested.trimmed();
    if (r.isEmpty() || r == QLatin1String("system")) {
        const QLocale sys = QLocale::system();
        return sys.language() == QLocale::Chinese ? QStringLiteral("zh_CN") : QStringLiteral("en");
    }
    for (const QString& c : codes())
        if (!r.compare(c, Qt::CaseInsensitive) || !QString(r).replace(QLatin1Char('-'), QLatin1Char('_')).compare(c, Qt::CaseInsensitive))
            return c;
    if (!r.compare(QLatin1String("zh"), Qt::CaseInsensitive)) return QStringLiteral("zh_CN");
    return {};
}

QString Language::startupChoice(const QString& commandLine) {
    if (!commandLine.isEmpty()) return resolve(commandLine);
    const QString saved = QSettings().value(QStringLiteral("ui/language"), QStringLiteral("system")).toString();
    const QString code = resolve(saved);
    return code.isEmpty() ? resolve(QString()) : code;
}

void Language::loadTable() {
    if (m_loaded) return;
    m_loaded = true;
    // The table is the .ts itself (compiled in next to the .qm): source and translation of every message.
    QFile f(QStringLiteral(":/translations/arlab_zh_CN.ts"));
    if (!f.open(QIODevice::ReadOnly)) return;
    QXmlStreamReader xml(&f);
    QString context;
    Entry e;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement()) continue;
        const auto name = xml.name();
        if (name == QLatin1String("name")) context = xml.readElementText();
        else if (name == QLatin1String("message")) e = Entry{context, {}, {}, {}, {}};
        else if (name == QLatin1String("source")) e.source = xml.readElementText();
        else if (name == QLatin1String("translation")) {
            e.translation = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            if (e.source.isEmpty() || e.translation.isEmpty()) continue;
            static const QRegularExpression arg(QStringLiteral("%([1-9])"));
            auto pattern = [](const QString& text) {
                // Literal pieces escaped, each %N a named group (a placeholder used twice makes the pattern
                // invalid: such texts are matched exactly only).
                QString re;
                int from = 0;
                for (auto it = arg.globalMatch(text); it.hasNext();) {
                    const QRegularExpressionMatch m = it.next();
                    re += QRegularExpression::escape(text.mid(from, m.capturedStart() - from));
                    re += QStringLiteral("(?<a%1>.+?)").arg(m.captured(1));
                    from = int(m.capturedEnd());
                }
                re += QRegularExpression::escape(text.mid(from));
                return QRegularExpression(QLatin1Char('^') + re + QLatin1Char('$'), QRegularExpression::DotMatchesEverythingOption);
            };
            if (e.source.contains(arg)) {
                e.sourcePattern = pattern(e.source);
                e.translationPattern = pattern(e.translation);
                if (e.sourcePattern.isValid() && e.translationPattern.isValid()) m_patterns << int(m_entries.size());
            }
            m_bySource.insert(e.source, int(m_entries.size()));
            m_byTranslation.insert(e.translation, int(m_entries.size()));
            m_entries << e;
        }
    }
}

QString Language::translateText(const QString& text, const QString& from) const {
    if (text.isEmpty() || from == m_current) return text;
    const auto& exact = from == QLatin1String("en") ? m_bySource : m_byTranslation;
    if (auto it = exact.constFind(text); it != exact.constEnd()) return shown(m_entries[*it], m_current);
    // Several patterns may match one text ("Show the %1 lesson" matches "Show the docks of the X lesson" too):
    // the one whose placeholders take the least of it, the most literal, is the text's own.
    const Entry* best = nullptr;
    QRegularExpressionMatch bestMatch;
    qsizetype bestArgs = 0;
    for (int i : m_patterns) {
        const Entry& e = m_entries[i];
        const QRegularExpressionMatch m = (from == QLatin1String("en") ? e.sourcePattern : e.translationPattern).match(text);
        if (!m.hasMatch()) continue;
        qsizetype args = 0;
        for (int g = 1; g <= m.lastCapturedIndex(); ++g) args += m.capturedLength(g);
        if (!best || args < bestArgs) {
            best = &e;
            bestMatch = m;
            bestArgs = args;
        }
    }
    if (!best) return {};
    QString out = shown(*best, m_current);
    for (int n = 1; n <= 9; ++n) {
        const QString group = QStringLiteral("a%1").arg(n);
        if (!bestMatch.regularExpression().namedCaptureGroups().contains(group)) continue;
        const QString value = bestMatch.captured(group);
        const QString translated = translateText(value, from);
        out.replace(QStringLiteral("%%1").arg(n), translated.isEmpty() ? value : translated);
    }
    return out;
}

void Language::retranslate(QWidget* root, const QString& from) const {
    if (from == m_current) return;
    auto tr = [&](const QString& text) {
        const QString t = translateText(text, from);
        return t.isEmpty() ? text : t;
    };
    QList<QWidget*> widgets = root->findChildren<QWidget*>();
    widgets.prepend(root);
    for (QWidget* w : widgets) {
        if (!w->windowTitle().isEmpty()) w->setWindowTitle(tr(w->windowTitle()));
        if (!w->toolTip().isEmpty()) w->setToolTip(tr(w->toolTip()));
        if (!w->statusTip().isEmpty()) w->setStatusTip(tr(w->statusTip()));
        if (auto* b = qobject_cast<QAbstractButton*>(w)) b->setText(tr(b->text()));
        else if (auto* l = qobject_cast<QLabel*>(w)) {
            if (!l->text().isEmpty()) l->setText(tr(l->text()));
        } else if (auto* g = qobject_cast<QGroupBox*>(w)) g->setTitle(tr(g->title()));
        else if (auto* c = qobject_cast<QComboBox*>(w)) {
            for (int i = 0; i < c->count(); ++i) c->setItemText(i, tr(c->itemText(i)));
        } else if (auto* e = qobject_cast<QLineEdit*>(w)) e->setPlaceholderText(tr(e->placeholderText()));
        else if (auto* m = qobject_cast<QMenu*>(w)) m->setTitle(tr(m->title()));
        else if (auto* t = qobject_cast<QTabBar*>(w)) {
            for (int i = 0; i < t->count(); ++i) t->setTabText(i, tr(t->tabText(i)));
        } else if (auto* t = qobject_cast<QTableWidget*>(w)) {
            for (int i = 0; i < t->columnCount(); ++i)
                if (QTableWidgetItem* h = t->horizontalHeaderItem(i)) h->setText(tr(h->text()));
        } else if (auto* plot = qobject_cast<QCustomPlot*>(w)) {
            for (QCPAxisRect* rect : plot->axisRects())
                for (QCPAxis* axis : rect->axes()) axis->setLabel(tr(axis->label()));
            for (int i = 0; i < plot->plottableCount(); ++i) plot->plottable(i)->setName(tr(plot->plottable(i)->name()));
            for (int i = 0; i < plot->itemCount(); ++i)
                if (auto* text = qobject_cast<QCPItemText*>(plot->item(i))) text->setText(tr(text->text()));
            plot->replot();
        }
        if (auto* s = qobject_cast<QAbstractSpinBox*>(w)) s->setSpecialValueText(tr(s->specialValueText()));
        if (auto* s = qobject_cast<QSpinBox*>(w)) s->setSuffix(tr(s->suffix()));
        if (auto* s = qobject_cast<QDoubleSpinBox*>(w)) s->setSuffix(tr(s->suffix()));
    }
    QList<QAction*> actions = root->findChildren<QAction*>();
    for (QWidget* w : widgets) actions += w->actions();
    for (QDockWidget* d : root->findChildren<QDockWidget*>()) actions << d->toggleViewAction();
    QSet<QAction*> done;
    for (QAction* a : actions) {
        if (!a || done.contains(a)) continue;
        done.insert(a);
        if (a->menu()) a->menu()->setTitle(tr(a->menu()->title()));
        a->setText(tr(a->text()));
        if (!a->toolTip().isEmpty()) a->setToolTip(tr(a->toolTip()));
        if (!a->statusTip().isEmpty()) a->setStatusTip(tr(a->statusTip()));
    }
}

bool Language::apply(const QString& code) {
    if (!codes().contains(code)) return false;
    loadTable();
    const QString from = m_current;
    if (m_app) QCoreApplication::removeTranslator(m_app.get());
    if (m_qt) QCoreApplication::removeTranslator(m_qt.get());
    m_app.reset();
    m_qt.reset();
    if (code != QLatin1String("en")) {
        m_app = std::make_unique<QTranslator>();
        if (m_app->load(QStringLiteral(":/translations/arlab_%1.qm").arg(code))) QCoreApplication::installTranslator(m_app.get());
        m_qt = std::make_unique<QTranslator>();   // Qt's own dialogs (qt6-translations-l10n, when installed)
        if (m_qt->load(QStringLiteral("qtbase_%1").arg(code), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QCoreApplication::installTranslator(m_qt.get());
    }
    m_current = code;
    for (QWidget* w : QApplication::topLevelWidgets()) retranslate(w, from);
    emit changed(code);
    return true;
}

void Language::addMenu(QMenu* viewMenu) {
    QMenu* menu = viewMenu->addMenu(tr("&Language"));
    auto* group = new QActionGroup(menu);
    const QString saved = QSettings().value(QStringLiteral("ui/language"), QStringLiteral("system")).toString();
    auto add = [&](const QString& text, const QString& tip, const QString& choice) {
        QAction* a = setTip(menu->addAction(text), tip);
        a->setCheckable(true);
        a->setChecked(saved == choice);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, choice] {
            QSettings().setValue(QStringLiteral("ui/language"), choice);
            apply(resolve(choice));
        });
    };
    for (const QString& c : codes()) add(displayName(c), tr("Show the window in %1 (remembered)").arg(displayName(c)), c);
    menu->addSeparator();
    add(tr("System language"), tr("Show the window in the system's language (remembered)"), QStringLiteral("system"));
}

}  // namespace arlab
