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
    // Line structure is kept (as the CLI prints it).
    EXPECT_TRUE(html.contains(QStringLiteral("<p>First line<br>continues here.</p>")))
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

// Fixtures in the styles real hub repositories use.

// torchvision <= 0.12 / timm style: no "Args:" header, one "name (type): text" line each.
TEST(DocRenderer, PlainStyleKeepsLinesAndRecognisesParameterLines)
{
    const QString doc = QStringLiteral(
        "ResNet-50 model from\n"
        "`\"Deep Residual Learning\" <https://arxiv.org/pdf/1512.03385.pdf>`_.\n"
        "Weights: https://download.example.org/models/resnet50-0676ba61.pth, or none.\n"
        "pretrained (bool): If True, returns a model pre-trained on ImageNet\n"
        "progress (bool): If True, displays a progress bar of the download\n"
        "    to stderr\n");
    const QString html = docstringToHtml(doc);
    // The two prose lines stay two lines; the URLs are links without the trailing punctuation.
    EXPECT_TRUE(html.contains(QStringLiteral("<p>ResNet-50 model from<br>"))) << html.toStdString();
    EXPECT_TRUE(html.contains(QStringLiteral(
        "<a "
        "href=\"https://arxiv.org/pdf/1512.03385.pdf\">https://arxiv.org/pdf/1512.03385.pdf</a>")))
        << html.toStdString();
    EXPECT_TRUE(html.contains(
        QStringLiteral("<a href=\"https://download.example.org/models/resnet50-0676ba61.pth\">")))
        << html.toStdString();
    EXPECT_FALSE(html.contains(QStringLiteral("0676ba61.pth,\""))) << html.toStdString();
    EXPECT_TRUE(html.contains(QStringLiteral(
        "<dt><b>pretrained</b> <i>(bool)</i></dt><dd>If True, returns a model pre-trained on "
        "ImageNet</dd>")))
        << html.toStdString();
    EXPECT_TRUE(html.contains(QStringLiteral(
        "<dt><b>progress</b> <i>(bool)</i></dt><dd>If True, displays a progress bar of the "
        "download to stderr</dd>")))
        << html.toStdString();
    // The parameter lines are not part of the paragraph.
    EXPECT_FALSE(html.contains(QStringLiteral("<br>pretrained"))) << html.toStdString();
}

TEST(DocRenderer, RestFieldLists)
{
    const QString doc = QStringLiteral("Build a detector.\n\n"
                                       ":param backbone: name of the backbone, see\n"
                                       "    https://example.org/backbones\n"
                                       ":type backbone: str\n"
                                       ":param int num_classes: number of classes\n"
                                       ":returns: the model\n"
                                       ":rtype: torch.nn.Module\n"
                                       ":raises ValueError: for an unknown backbone\n");
    const QString html = docstringToHtml(doc);
    EXPECT_TRUE(html.contains(QStringLiteral("<p>Build a detector.</p>"))) << html.toStdString();
    EXPECT_TRUE(html.contains(QStringLiteral(
        "<dt><b>backbone</b></dt><dd>name of the backbone, see <a "
        "href=\"https://example.org/backbones\">https://example.org/backbones</a></dd>")))
        << html.toStdString();
    EXPECT_TRUE(html.contains(QStringLiteral("<dt><b>backbone</b> <i>type</i></dt><dd>str</dd>")))
        << html.toStdString();
    EXPECT_TRUE(html.contains(
        QStringLiteral("<dt><b>num_classes</b> <i>(int)</i></dt><dd>number of classes</dd>")))
        << html.toStdString();
    EXPECT_TRUE(html.contains(QStringLiteral("<dt><i>Returns</i></dt><dd>the model</dd>")))
        << html.toStdString();
    EXPECT_TRUE(
        html.contains(QStringLiteral("<dt><i>Return type</i></dt><dd>torch.nn.Module</dd>")))
        << html.toStdString();
    EXPECT_TRUE(html.contains(
        QStringLiteral("<dt><i>Raises</i> <b>ValueError</b></dt><dd>for an unknown backbone</dd>")))
        << html.toStdString();
    EXPECT_FALSE(html.contains(QStringLiteral(":param"))) << html.toStdString();
}

TEST(DocRenderer, GoogleSectionsWithReturnsAndExample)
{
    const QString doc =
        QStringLiteral("YOLO-style model.\n\n"
                       "Args:\n"
                       "    name (str): model name\n"
                       "    pretrained (bool, optional): load weights. Default: ``True``\n\n"
                       "Returns:\n"
                       "    nn.Module: the model\n\n"
                       "Example:\n"
                       "    >>> model = torch.hub.load('x/y', 'yolo')\n");
    const QString html = docstringToHtml(doc);
    EXPECT_TRUE(html.contains(QStringLiteral("<h4>Args</h4>")));
    EXPECT_TRUE(html.contains(QStringLiteral(
        "<dt><b>pretrained</b> <i>(bool, optional)</i></dt><dd>load weights. Default: "
        "<code>True</code></dd>")))
        << html.toStdString();
    EXPECT_TRUE(html.contains(QStringLiteral("<h4>Returns</h4>"))) << html.toStdString();
    EXPECT_TRUE(html.contains(QStringLiteral("<h4>Example</h4>"))) << html.toStdString();
    EXPECT_TRUE(html.contains(QStringLiteral("&gt;&gt;&gt; model = torch.hub.load(")))
        << html.toStdString();
}

TEST(DocRenderer, NumpySectionsKeepEachParameter)
{
    const QString doc = QStringLiteral(
        "MiDaS depth model.\n\n"
        "Parameters\n----------\n"
        "pretrained : bool\n    Load weights from\n    https://example.org/midas.pt\n"
        "optimize : bool, optional\n    Use channels-last.\n\n"
        "Returns\n-------\nmodel : torch.nn.Module\n");
    const QString html = docstringToHtml(doc);
    EXPECT_TRUE(html.contains(QStringLiteral("<h4>Parameters</h4>"))) << html.toStdString();
    EXPECT_TRUE(html.contains(QStringLiteral(
        "<dt><b>pretrained</b> : <i>bool</i></dt><dd>Load weights from <a "
        "href=\"https://example.org/midas.pt\">https://example.org/midas.pt</a></dd>")))
        << html.toStdString();
    EXPECT_TRUE(html.contains(QStringLiteral(
        "<dt><b>optimize</b> : <i>bool, optional</i></dt><dd>Use channels-last.</dd>")))
        << html.toStdString();
    EXPECT_TRUE(html.contains(QStringLiteral("<h4>Returns</h4>"))) << html.toStdString();
}

TEST(DocRenderer, HtmlInDocstringsAndUrlsIsEscaped)
{
    const QString html = docstringToHtml(
        QStringLiteral("See https://e.org/a?x=1&y=<b>2</b> and <script>x</script>"));
    EXPECT_FALSE(html.contains(QStringLiteral("<script>"))) << html.toStdString();
    EXPECT_FALSE(html.contains(QStringLiteral("<b>2"))) << html.toStdString();
    EXPECT_TRUE(html.contains(QStringLiteral(
                    "<a href=\"https://e.org/a?x=1&amp;y=&lt;b&gt;2&lt;/b&gt;\">")) ||
                html.contains(QStringLiteral("<a href=\"https://e.org/a?x=1&amp;y=\">")))
        << html.toStdString();
}
