#include "widgets/modelinfoview.h"

#include <QLocale>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace arlab {

ModelInfoView::ModelInfoView(QWidget* parent) : QWidget(parent), m_browser(new QTextBrowser(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_browser);
    m_browser->setOpenLinks(false);
    m_browser->setToolTip(tr("The model's architecture, parameter counts and where it came from (file metadata)"));
    clear(tr("No model loaded."));
}

void ModelInfoView::clear(const QString& message) {
    m_info = {};
    m_browser->setHtml("<p><i>" + message.toHtmlEscaped() + "</i></p>");
}

static QString rows(const QList<QPair<QString, QString>>& kv) {
    QString h;
    for (const auto& [k, v] : kv)
        h += "<tr><td style='padding-right:12px;color:#555'>" + k.toHtmlEscaped() + "</td><td>" + v.toHtmlEscaped() +
             "</td></tr>";
    return h;
}

void ModelInfoView::setModelInfo(const ModelInfo& info) {
    m_info = info;
    const QLocale loc(QLocale::English);
    QString h = "<h3 style='margin:2px'>" + info.title.toHtmlEscaped() + " <span style='color:#666'>(" +
                info.kind.toHtmlEscaped() + ")</span></h3>";
    h += "<p style='color:#666;margin:2px'>" + info.source.toHtmlEscaped() + "</p>";
    for (const QString& s : info.summary) h += "<p style='margin:4px 2px'>" + s.toHtmlEscaped() + "</p>";
    if (!info.provenance.isEmpty()) h += "<h4 style='margin:6px 0 2px'>" + tr("Provenance").toHtmlEscaped() + "</h4><table>" + rows(info.provenance) + "</table>";
    if (!info.architecture.isEmpty()) h += "<h4 style='margin:6px 0 2px'>" + tr("Architecture").toHtmlEscaped() + "</h4><table>" + rows(info.architecture) + "</table>";
    if (!info.config.isEmpty() && info.config != info.architecture)
        h += "<h4 style='margin:6px 0 2px'>" + tr("Config (as arlab stores it)").toHtmlEscaped() + "</h4><table>" + rows(info.config) + "</table>";
    h += "<h4 style='margin:6px 0 2px'>" + tr("Parameters: %1").arg(loc.toString(info.totalParameters)).toHtmlEscaped() + "</h4><table>";
    for (const auto& [name, n] : info.parameters)
        h += "<tr><td style='padding-right:12px;font-family:monospace'>" + name.toHtmlEscaped() +
             "</td><td align='right'>" + loc.toString(n) + "</td></tr>";
    h += "</table>";
    if (!info.vocabulary.isEmpty())
        h += "<h4 style='margin:6px 0 2px'>" + tr("Vocabulary").toHtmlEscaped() + "</h4><p style='margin:2px'>" + info.vocabulary.toHtmlEscaped() + "</p>";
    m_browser->setHtml(h);
}

QString ModelInfoView::html() const { return m_browser->toHtml(); }

}  // namespace arlab
