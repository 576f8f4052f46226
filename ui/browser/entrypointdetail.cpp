#include "entrypointdetail.h"

#include "common/theme.h"

#include "common/docrenderer.h"

#include <QApplication>
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

QString entrypointDetailHtml(const Entrypoint &e, const EntrypointListing &listing)
{
    QString html;
    html += QStringLiteral("<h2 style=\"margin-bottom:2px\"><code>%1</code></h2>")
                .arg(e.name.toHtmlEscaped());
    QStringList meta;
    if (!e.kind.isEmpty())
        meta << e.kind.toHtmlEscaped();
    if (!e.location().isEmpty())
        meta << QObject::tr("defined in <code>%1</code>").arg(e.location().toHtmlEscaped());
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
