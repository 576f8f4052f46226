#pragma once

#include <QString>

namespace hubcap::ui {

/// Renders a (cleaned) Python docstring as simple HTML for a QTextBrowser: paragraphs, code
/// blocks (indented blocks, ``` fences and `>>>` examples) in monospace, section headers
/// ("Args:", numpy-style underlined headers) and parameter lists ("name (type): text",
/// "name : type") as definition lists with the names in bold, and "- " bullets. Plain text
/// is escaped; nothing in the docstring is interpreted as HTML.
QString docstringToHtml(const QString &doc);

} // namespace hubcap::ui
