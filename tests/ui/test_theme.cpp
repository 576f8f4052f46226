// Light and dark palettes and high-DPI: colours with meaning stay readable (WCAG AA contrast) in
// both, icons follow a palette switch and are rendered at device-pixel size, the window paints
// dark in the dark appearance, and the inline message shows, expands and dismisses.
#include "tests/ui/uifixtures.h"

#include <gtest/gtest.h>

#include "ui/common/corebridge.h"
#include "ui/common/icons.h"
#include "ui/common/inlinemessage.h"
#include "ui/common/theme.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QImage>
#include <QPushButton>
#include <QStyle>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace hubcap;
using namespace hubcap::ui;

namespace {

/// Mean relative luminance (0..1) of the pixels that are mostly opaque.
double meanLuminance(const QImage &image)
{
    double sum = 0;
    qint64 n = 0;
    const QImage img = image.convertToFormat(QImage::Format_ARGB32);
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x) {
            const QColor c = QColor::fromRgba(img.pixel(x, y));
            if (c.alpha() < 200)
                continue;
            sum += (0.2126 * c.redF() + 0.7152 * c.greenF() + 0.0722 * c.blueF());
            ++n;
        }
    return n ? sum / double(n) : -1;
}

/// Restores the platform's appearance after a test that switched it.
struct AppearanceGuard
{
    ~AppearanceGuard() { applyAppearance(Appearance::System); }
};

} // namespace

TEST(Theme, ToneColoursAreReadableInLightAndDarkPalettes)
{
    const QList<QPair<const char *, QPalette>> palettes{
        {"light", lightPalette()},
        {"dark", darkPalette()},
        {"platform", QApplication::style()->standardPalette()}};
    for (const auto &[name, pal] : palettes) {
        for (Tone tone : {Tone::Error, Tone::Warning, Tone::Success, Tone::Info}) {
            const QColor text = toneText(tone, pal);
            EXPECT_GE(contrastRatio(text, pal.color(QPalette::Window)), 4.5)
                << name << " tone " << int(tone) << " " << text.name().toStdString();
            EXPECT_GE(contrastRatio(text, pal.color(QPalette::Base)), 4.5)
                << name << " tone " << int(tone);
            EXPECT_GE(contrastRatio(toneForeground(tone, pal), toneBackground(tone, pal)), 4.5)
                << name << " banner tone " << int(tone);
        }
    }
    EXPECT_FALSE(isDark(lightPalette()));
    EXPECT_TRUE(isDark(darkPalette()));
    // A dark theme gets a lighter red than a light one (the same red would be unreadable).
    EXPECT_GT(toneText(Tone::Error, darkPalette()).lightness(),
              toneText(Tone::Error, lightPalette()).lightness());
    EXPECT_NEAR(contrastRatio(Qt::black, Qt::white), 21.0, 0.01);
}

TEST(Theme, IconsFollowThePaletteAndRenderAtDevicePixels)
{
    AppearanceGuard guard;
    applyAppearance(Appearance::Light);
    const QIcon reload = icon(QStringLiteral("reload"));
    ASSERT_FALSE(reload.isNull());
    const double onLight = meanLuminance(reload.pixmap(24, 24).toImage());
    applyAppearance(Appearance::Dark);
    // The same QIcon, painted again: now in the dark palette's (light) text colour.
    const double onDark = meanLuminance(reload.pixmap(24, 24).toImage());
    EXPECT_LT(onLight, 0.2);
    EXPECT_GT(onDark, 0.7);

    // High DPI: a 24 px icon at scale 2 and 1.5 is rendered at 48 and 36 device pixels, not
    // scaled up from a smaller bitmap.
    for (const qreal dpr : {2.0, 1.5}) {
        const QPixmap hi = reload.pixmap(QSize(24, 24), dpr);
        const int px = qRound(24 * dpr);
        EXPECT_EQ(hi.size(), QSize(px, px)) << dpr;
        EXPECT_EQ(hi.deviceIndependentSize().toSize(), QSize(24, 24)) << dpr;
        const QImage direct = reload.pixmap(QSize(px, px), 1.0)
                                  .toImage()
                                  .convertToFormat(QImage::Format_ARGB32_Premultiplied);
        EXPECT_EQ(hi.toImage().convertToFormat(QImage::Format_ARGB32_Premultiplied), direct)
            << "rendered for the device, not scaled " << dpr;
    }
    // Disabled icons are dimmer than normal ones in either palette.
    EXPECT_LT(meanLuminance(reload.pixmap(QSize(24, 24), QIcon::Disabled).toImage()), onDark);
}

TEST(Theme, TheWindowPaintsDarkInTheDarkAppearance)
{
    AppearanceGuard guard;
    QTemporaryDir tmp;
    CoreBridge bridge(tmp.filePath(QStringLiteral("hub")));
    MainWindow window(&bridge);
    window.resize(900, 600);
    window.show();
    applyAppearance(Appearance::Light);
    QCoreApplication::processEvents();
    const double light = meanLuminance(window.grab().toImage());
    applyAppearance(Appearance::Dark);
    QCoreApplication::processEvents();
    window.messageBar()->showMessage(Tone::Error, QStringLiteral("Open repository"),
                                     QStringLiteral("Something failed."));
    QCoreApplication::processEvents();
    const double dark = meanLuminance(window.grab().toImage());
    EXPECT_GT(light, 0.6);
    EXPECT_LT(dark, 0.25) << "a widget kept light colours in the dark appearance";
    // The inline error uses the dark banner colours, not the light ones.
    EXPECT_EQ(window.messageBar()->palette().color(QPalette::Window),
              toneBackground(Tone::Error, darkPalette()));
    applyAppearance(Appearance::Light);
    QCoreApplication::processEvents();
    EXPECT_EQ(window.messageBar()->palette().color(QPalette::Window),
              toneBackground(Tone::Error, lightPalette()))
        << "the message follows a palette switch while shown";
}

TEST(InlineMessage, ShowsDetailsOnRequestRunsItsActionAndDismisses)
{
    InlineMessage bar;
    bar.resize(600, 200);
    bar.showMessage(Tone::Error, QStringLiteral("Fetch someone/tool"),
                    QStringLiteral("Cannot find dev."), QStringLiteral("HTTP 404 from /refs"));
    EXPECT_TRUE(bar.isVisible());
    EXPECT_EQ(bar.text(), QStringLiteral("Cannot find dev."));
    EXPECT_EQ(bar.details(), QStringLiteral("HTTP 404 from /refs"));
    EXPECT_FALSE(bar.detailsVisible()) << "details are collapsed until asked for";
    auto *toggle = bar.findChild<QToolButton *>(QStringLiteral("inlineMessageDetailsButton"));
    ASSERT_NE(toggle, nullptr);
    ASSERT_EQ(toggle->text(), QStringLiteral("Details"));
    toggle->click();
    EXPECT_TRUE(bar.detailsVisible());

    int retried = 0;
    bar.addAction(QStringLiteral("Retry"), [&] { ++retried; });
    ASSERT_EQ(bar.actionButtons().size(), 1);
    bar.actionButtons().first()->click();
    EXPECT_EQ(retried, 1);
    EXPECT_TRUE(bar.isHidden());

    // A new message replaces the old one and its actions; Esc dismisses it.
    bar.showMessage(Tone::Warning, {}, QStringLiteral("Second"));
    EXPECT_TRUE(bar.actionButtons().isEmpty());
    EXPECT_FALSE(bar.detailsVisible());
    QTest::keyClick(&bar, Qt::Key_Escape);
    EXPECT_TRUE(bar.isHidden());
}
