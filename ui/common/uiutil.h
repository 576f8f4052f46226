#pragma once

#include <QLabel>
#include <QString>

#include <functional>

class QWidget;

namespace hubcap::ui {

/// A one-line label that never asks its layout for the width of its whole text: it shows as
/// much as fits, elided (in the middle by default, so both ends of a path or a repository name
/// stay readable), with the whole text in the tooltip. Use it wherever a long text (a path, a
/// title, a total) must not widen the window.
class ElidedLabel : public QLabel
{
    Q_OBJECT
public:
    explicit ElidedLabel(Qt::TextElideMode mode = Qt::ElideMiddle, QWidget *parent = nullptr);
    /// Hides QLabel::setText: the label keeps the whole text and shows the elided form.
    void setText(const QString &text);
    QString fullText() const { return m_full; }
    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

protected:
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateShown();
    QString m_full;
    Qt::TextElideMode m_mode;
};

/// A duration for people: "420 µs", "3.2 ms", "1.79 s", "53 s", "2 min 5 s".
QString humanSeconds(double seconds);

/// Runs `fn` whenever the application's palette changes (a live switch of the appearance),
/// after the new palette has reached the widgets, for as long as `owner` lives. Widgets that
/// colour text from the palette (theme.h tones) re-colour themselves with it.
void onAppearanceChanged(QObject *owner, std::function<void()> fn);

/// The core's and the Python host's messages are written for the command line and Python
/// ("pass --input-shape", "call hub.load()"); this says the same in the GUI's terms.
QString forGui(const QString &message);

/// A Python traceback with only the frames of files under `repoDir` (and the exception at the
/// end); `hidden` receives how many frames (Hubcap's host, torch, the standard library) were
/// left out. With an empty `repoDir`, frames of hubcap_host and of Python's lib folders go.
QString repositoryFrames(const QString &traceback, const QString &repoDir, int *hidden = nullptr);

/// Gives a dialog whose layout holds word-wrapped labels the height they need at its width
/// (Qt sizes top-level windows without height-for-width, which clips wrapped text).
void fitHeightToWidth(QWidget *dialog);

} // namespace hubcap::ui
