#include "ui/browser/entrypointdetail.h"

#include "ui/common/theme.h"

#include "ui/common/docrenderer.h"

#include <QApplication>
#include <QJsonObject>
#include <QObject>

namespace hubcap::ui {

QString dependenciesHtml(const EntrypointListing &listing)
{
    QString html = QStringLiteral("<h3>%1</h3>").arg(QObject::tr("Dependencies"));
    if (listing.declaredDependencies().isEmpty())
        return html + QStringLiteral("<p><i>%1</i></p>").arg(QObject::tr("None declared."));
    html += QStringLiteral("<ul>");
    for (const QString &dep : listing.declaredDependencies()) {
        if (listing.missingDependencies.contains(dep))
            html += QStringLiteral("<li><code>%1</code> &mdash; <span "
                                   "style=\"color:%3\"><b>%2</b></span></li>")
                        .arg(dep.toHtmlEscaped(), QObject::tr("missing in this Python"),
                             toneText(Tone::Error, QApplication::palette()).name());
        else
            html += QStringLiteral("<li><code>%1</code></li>").arg(dep.toHtmlEscaped());
    }
    html += QStringLiteral("</ul>");
    if (!listing.missingDependencies.isEmpty())
        html += QStringLiteral("<p>%1</p>")
                    .arg(QObject::tr("Loading needs the missing packages installed first.")
                             .toHtmlEscaped());
    return html;
}

QString weightsHtml(const QList<WeightRef> &weights, bool pending,
                    const QHash<QString, QString> &sizes)
{
    QString html = QStringLiteral("<h3>%1</h3>").arg(QObject::tr("Weights"));
    if (pending && weights.isEmpty())
        return html + QStringLiteral("<p><i>%1</i></p>")
                          .arg(QObject::tr("Looking for checkpoint URLs…").toHtmlEscaped());
    if (weights.isEmpty())
        return html + QStringLiteral("<p><i>%1</i></p>")
                          .arg(QObject::tr("No checkpoint URL found in the source (weights built "
                                           "at run time do not show here).")
                                   .toHtmlEscaped());
    const QPalette pal = QApplication::palette();
    html += QStringLiteral("<table cellspacing=\"0\" cellpadding=\"3\" width=\"100%\">");
    for (qsizetype i = 0; i < weights.size(); ++i) {
        const WeightRef &w = weights.at(i);
        const QString &url = w.url;
        const bool cached = w.cached;
        QString state = cached ? QStringLiteral("<span style=\"color:%1\">%2</span>")
                                     .arg(toneText(Tone::Success, pal).name(),
                                          QObject::tr("downloaded").toHtmlEscaped())
                               : QObject::tr("not downloaded").toHtmlEscaped();
        QStringList actions;
        if (!cached)
            actions << QStringLiteral("<a href=\"hubcap:download?i=%1\">%2</a>")
                           .arg(i)
                           .arg(QObject::tr("Download").toHtmlEscaped());
        if (sizes.contains(url))
            state += QStringLiteral(" &middot; %1").arg(sizes.value(url).toHtmlEscaped());
        else
            actions << QStringLiteral("<a href=\"hubcap:size?i=%1\">%2</a>")
                           .arg(i)
                           .arg(QObject::tr("Size").toHtmlEscaped());
        const QString &hash = w.hashPrefix;
        html +=
            QStringLiteral("<tr><td><code><b>%1</b></code><br><span style=\"color:gray\">%2%3"
                           "</span><br><a href=\"%4\">%4</a></td>"
                           "<td align=\"right\" valign=\"top\">%5</td></tr>")
                .arg(w.fileName.toHtmlEscaped(), state,
                     hash.isEmpty() ? QString()
                                    : QStringLiteral(" &middot; ") +
                                          QObject::tr("hash prefix %1").arg(hash).toHtmlEscaped(),
                     url.toHtmlEscaped(), actions.join(QStringLiteral(" &middot; ")));
    }
    html += QStringLiteral("</table>");
    return html;
}

QString entrypointDetailHtml(const Entrypoint &e, const EntrypointListing &listing)
{
    QString html;
    html += QStringLiteral("<h2 style=\"margin-bottom:2px\"><code>%1</code></h2>")
                .arg(e.name.toHtmlEscaped());
    QStringList meta;
    // An imported name says where it comes from once ("imported from <code>x</code>"), not
    // "imported · defined in imported from x".
    const QString importedPrefix = QObject::tr("imported from %1").arg(QString());
    const QString where = e.location();
    const bool imported = where.startsWith(importedPrefix);
    if (!e.kind.isEmpty() && !(imported && e.kind == QStringLiteral("imported")))
        meta << e.kind.toHtmlEscaped();
    if (imported)
        meta << QObject::tr("imported from <code>%1</code>")
                    .arg(where.mid(importedPrefix.size()).toHtmlEscaped());
    else if (!where.isEmpty())
        meta << QObject::tr("defined in <code>%1</code>").arg(where.toHtmlEscaped());
    if (!meta.isEmpty())
        html += QStringLiteral("<p style=\"color:gray\">%1</p>")
                    .arg(meta.join(QStringLiteral(" &middot; ")));
    const QString signature =
        e.signature.startsWith(e.name + u'(') ? e.signature : e.name + e.signature;
    html += QStringLiteral("<pre style=\"font-weight:bold; white-space:pre-wrap\">%1</pre>")
                .arg(signature.toHtmlEscaped());
    html += docstringToHtml(e.docText());
    html += dependenciesHtml(listing);
    return html;
}

} // namespace hubcap::ui
