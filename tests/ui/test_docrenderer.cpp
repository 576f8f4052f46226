// Docstrings render readably: paragraphs, code in monospace, parameter lists.
#include "tests/support/testsupport.h"

#include "ui/common/docrenderer.h"

using hubcap::ui::docstringToHtml;

TEST(DocRenderer, ParagraphsParametersAndCode)
{
    const QString doc = QStringLiteral("First line\ncontinues here.\n\nSecond <para>.\n\n"
                                       "Args:\n    pretrained (bool): load weights.\n"
                                       "    depth: how deep, with a\n        long description.\n\n"
                                       "Example::\n\n    model = load('x')\n\n>>> 1 + 1\n2\n");
    const QString html = docstringToHtml(doc);
    EXPECT_TRUE(html.contains(QStringLiteral("<p>First line continues here.</p>")))
        << html.toStdString();
    EXPECT_TRUE(html.contains(QStringLiteral("<p>Second &lt;para&gt;.</p>"))) << html.toStdString();
    EXPECT_TRUE(html.contains(QStringLiteral("<h4>Args</h4>")));
    EXPECT_TRUE(html.contains(
        QStringLiteral("<dt><b>pretrained</b> <i>(bool)</i></dt><dd>load weights.</dd>")))
        << html.toStdString();
    EXPECT_TRUE(html.contains(
        QStringLiteral("<dt><b>depth</b></dt><dd>how deep, with a long description.</dd>")))
        << html.toStdString();
    EXPECT_TRUE(html.contains(QStringLiteral(
                    "<pre style=\"white-space:pre-wrap\">model = load(&#x27;x&#x27;)</pre>")) ||
                html.contains(
                    QStringLiteral("<pre style=\"white-space:pre-wrap\">model = load('x')</pre>")))
        << html.toStdString();
    EXPECT_TRUE(html.contains(
        QStringLiteral("<pre style=\"white-space:pre-wrap\">&gt;&gt;&gt; 1 + 1\n2</pre>")))
        << html.toStdString();
}

TEST(DocRenderer, NumpyStyleAndEmpty)
{
    const QString html = docstringToHtml(
        QStringLiteral("Summary.\n\nParameters\n----------\nx : int\n    The x.\n"));
    EXPECT_TRUE(html.contains(QStringLiteral("<h4>Parameters</h4>"))) << html.toStdString();
    EXPECT_TRUE(html.contains(QStringLiteral("<b>x</b> : <i>int</i>"))) << html.toStdString();
    EXPECT_TRUE(docstringToHtml({}).contains(QStringLiteral("No docstring")));
}
