#pragma once

#include <QObject>
#include <QString>

#include <functional>

class QSystemTrayIcon;

namespace hubcap::ui {

/// Desktop notifications for long work that ends while the window is not active: a system-tray
/// message when a tray is available, else the freedesktop notification service over D-Bus
/// (when Hubcap is built with Qt6::DBus and the service answers), else nothing.
class Notifier : public QObject
{
    Q_OBJECT
public:
    enum class Backend { None, Tray, FreeDesktop };
    struct Note
    {
        QString title;
        QString body;
        bool failed = false;
    };
    using Sink = std::function<void(const Note &)>;

    explicit Notifier(QObject *parent = nullptr);
    ~Notifier() override;

    /// Which way notify() reaches the desktop (decided once, at construction).
    Backend backend() const { return m_backend; }
    /// Replaces the desktop for tests: every notification goes to `sink`.
    void setSink(Sink sink) { m_sink = std::move(sink); }
    void notify(const QString &title, const QString &body, bool failed);

private:
    Backend m_backend = Backend::None;
    QSystemTrayIcon *m_tray = nullptr;
    Sink m_sink;
};

} // namespace hubcap::ui
