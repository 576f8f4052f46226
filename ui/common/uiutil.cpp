#include "ui/common/uiutil.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QEvent>
#include <QLayout>
#include <QPointer>
#include <QRegularExpression>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace hubcap::ui {

ElidedLabel::ElidedLabel(Qt::TextElideMode mode, QWidget *parent) : QLabel(parent), m_mode(mode)
{
    setTextFormat(Qt::PlainText);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

void ElidedLabel::setText(const QString &text)
{
    m_full = text;
    updateGeometry();
    updateShown();
}

QSize ElidedLabel::minimumSizeHint() const
{
    const QSize full = QLabel::minimumSizeHint();
    // Room for a few characters and the ellipsis: the rest is what the window has to spare.
    return {std::min(full.width(), fontMetrics().horizontalAdvance(QStringLiteral("MMMMMM…"))),
            full.height()};
}

QSize ElidedLabel::sizeHint() const
{
    const QMargins m = contentsMargins();
    return {fontMetrics().horizontalAdvance(m_full) + m.left() + m.right() + 2 * margin() + 2,
            QLabel::sizeHint().height()};
}

void ElidedLabel::resizeEvent(QResizeEvent *event)
{
    QLabel::resizeEvent(event);
    updateShown();
}

void ElidedLabel::showEvent(QShowEvent *event)
{
    QLabel::showEvent(event);
    updateShown();
}

void ElidedLabel::changeEvent(QEvent *event)
{
    QLabel::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        updateShown();
}

void ElidedLabel::updateShown()
{
    // Until it is on screen its width means nothing: it holds the whole text.
    const int room = contentsRect().width() - 2 * margin();
    const QString shown =
        isVisible() && room > 0 ? fontMetrics().elidedText(m_full, m_mode, room) : m_full;
    QLabel::setText(shown);
    setToolTip(shown == m_full ? QString() : m_full);
}

QString humanSeconds(double s)
{
    if (!std::isfinite(s) || s < 0)
        return QObject::tr("unknown");
    const double ms = s * 1000.0;
    if (ms < 1.0)
        return QObject::tr("%1 µs").arg(QString::number(ms * 1000.0, 'g', 3));
    if (ms < 1000.0)
        return QObject::tr("%1 ms").arg(QString::number(ms, 'g', 3));
    if (s < 10.0)
        return QObject::tr("%1 s").arg(QString::number(s, 'g', 3));
    if (s < 60.0)
        return QObject::tr("%1 s").arg(qRound(s));
    const qint64 whole = qRound64(s);
    if (whole < 3600)
        return whole % 60 ? QObject::tr("%1 min %2 s").arg(whole / 60).arg(whole % 60)
                          : QObject::tr("%1 min").arg(whole / 60);
    return QObject::tr("%1 h %2 min").arg(whole / 3600).arg((whole % 3600) / 60);
}

namespace {

class PaletteWatcher : public QObject
{
public:
    PaletteWatcher(QObject *owner, std::function<void()> fn) : QObject(owner), m_fn(std::move(fn))
    {
        // The owner (a widget without a palette of its own) gets PaletteChange once the new
        // application palette has reached it; QApplication also tells itself while it runs.
        owner->installEventFilter(this);
        qApp->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        const bool ownerChanged = watched == parent() && (event->type() == QEvent::PaletteChange ||
                                                          event->type() == QEvent::StyleChange);
        const bool appChanged =
            watched == qApp && event->type() == QEvent::ApplicationPaletteChange;
        if ((ownerChanged || appChanged) && !m_pending) {
            m_pending = true; // one refresh per switch, after the palette has propagated
            QTimer::singleShot(0, this, [this] {
                m_pending = false;
                m_fn();
            });
        }
        return false;
    }

private:
    std::function<void()> m_fn;
    bool m_pending = false;
};

} // namespace

void onAppearanceChanged(QObject *owner, std::function<void()> fn)
{
    new PaletteWatcher(owner, std::move(fn));
}

QString forGui(const QString &message)
{
    QString m = message;
    struct Rule
    {
        const char *pattern;
        const char *replacement;
    };
    static const Rule rules[] = {
        // export.py: no example input
        {R"(an export needs an example input: pass --input-shape \(for example 1,3,224,224\); the model has no example_input_shape attribute)",
         QT_TRANSLATE_NOOP(
             "hubcap::ui",
             "This model does not say what input it takes (it has no example_input_shape): enter "
             "an Input shape in the Export dialog, for example 1,3,224,224, and export again.")},
        // GitHub ref validation
        {R"( If it's a commit from a forked repo, please call hub\.load\(\) with forked repo directly\.)",
         QT_TRANSLATE_NOOP(
             "hubcap::ui",
             " If it is a commit of a fork, open the fork instead (fork-owner/repo:commit).")},
        {R"( For any other commit of ([^ ]+), pass --skip-validation \(skip_validation=True in Python\) to download it by its SHA without this check\.)",
         ""},
        {R"( Or pass --skip-validation \(skip_validation=True in Python\) to skip the ref validation, which is what calls GitHub's API\.)",
         ""},
        {R"(Set GITHUB_TOKEN to a personal access token for a higher limit\.)",
         QT_TRANSLATE_NOOP("hubcap::ui", "Enter a GitHub token in Settings for a higher limit.")},
        {R"(; fetch it first: hubcap-cli fetch (\S+))",
         QT_TRANSLATE_NOOP("hubcap::ui",
                           "; open it first (type \\1 in the Open repository field).")},
        {R"(fetch it with --force-reload to record it)",
         QT_TRANSLATE_NOOP("hubcap::ui", "use Force Reload to record it")},
        {R"( Use `hubcap-cli inspect` to see its tensors\.)",
         QT_TRANSLATE_NOOP("hubcap::ui", " Inspect it on the Cache page to see its tensors.")},
    };
    for (const Rule &r : rules) {
        const QRegularExpression re(QString::fromUtf8(r.pattern));
        m.replace(re, QCoreApplication::translate("hubcap::ui", r.replacement));
    }
    return m;
}

QString repositoryFrames(const QString &traceback, const QString &repoDir, int *hidden)
{
    static const QRegularExpression frameRe(QStringLiteral(R"re(^\s*File "([^"]*)", line \d+)re"));
    const QString root = repoDir.isEmpty() ? QString() : QDir::cleanPath(repoDir) + u'/';
    auto ours = [&](const QString &file) {
        if (!root.isEmpty())
            return QDir::cleanPath(file).startsWith(root);
        return !file.contains(QStringLiteral("/hubcap_host/")) &&
               !file.contains(QStringLiteral("/lib/python")) && !file.startsWith(u'<');
    };
    const QStringList lines = traceback.split(u'\n');
    QStringList out;
    int dropped = 0;
    bool keep = true; // the lines after a frame header (its source line) follow its fate
    for (const QString &line : lines) {
        const auto m = frameRe.match(line);
        if (m.hasMatch()) {
            keep = ours(m.captured(1));
            if (!keep)
                ++dropped;
        } else if (!line.startsWith(u' ')) {
            keep = true; // "Traceback (most recent call last):", the exception, chained text
        }
        if (keep)
            out << line;
    }
    if (hidden)
        *hidden = dropped;
    return out.join(u'\n');
}

void fitHeightToWidth(QWidget *dialog)
{
    QLayout *layout = dialog->layout();
    if (!layout)
        return;
    layout->activate();
    const int needed = layout->hasHeightForWidth() ? layout->totalHeightForWidth(dialog->width())
                                                   : layout->totalSizeHint().height();
    if (needed > dialog->height())
        dialog->resize(dialog->width(), needed);
}

} // namespace hubcap::ui
