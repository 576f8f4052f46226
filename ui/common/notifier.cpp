#include "ui/common/notifier.h"

#include "ui/common/icons.h"

#include <QApplication>
#include <QSystemTrayIcon>

#ifdef HUBCAP_HAVE_DBUS
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QVariantMap>
#endif

namespace hubcap::ui {

namespace {
#ifdef HUBCAP_HAVE_DBUS
const QString Service = QStringLiteral("org.freedesktop.Notifications");

bool freeDesktopAvailable()
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected() || !bus.interface())
        return false;
    const auto reply = bus.interface()->isServiceRegistered(Service);
    return reply.isValid() && reply.value();
}
#endif
} // namespace

Notifier::Notifier(QObject *parent) : QObject(parent)
{
    if (QSystemTrayIcon::isSystemTrayAvailable() && QSystemTrayIcon::supportsMessages()) {
        m_tray = new QSystemTrayIcon(appIcon(), this);
        m_tray->setToolTip(QApplication::applicationDisplayName());
        m_backend = Backend::Tray;
        return;
    }
#ifdef HUBCAP_HAVE_DBUS
    if (freeDesktopAvailable())
        m_backend = Backend::FreeDesktop;
#endif
}

Notifier::~Notifier() = default;

void Notifier::notify(const QString &title, const QString &body, bool failed)
{
    if (m_sink) {
        m_sink({title, body, failed});
        return;
    }
    switch (m_backend) {
    case Backend::None:
        return; // no tray, no notification service: the window's own status says it
    case Backend::Tray:
        // The icon only shows while a message is up, so no permanent tray entry appears.
        m_tray->show();
        m_tray->showMessage(title, body,
                            failed ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information, 8000);
        return;
    case Backend::FreeDesktop: {
#ifdef HUBCAP_HAVE_DBUS
        QDBusMessage m = QDBusMessage::createMethodCall(
            Service, QStringLiteral("/org/freedesktop/Notifications"), Service,
            QStringLiteral("Notify"));
        QVariantMap hints;
        hints.insert(QStringLiteral("urgency"), QVariant::fromValue(uchar(failed ? 2 : 1)));
        hints.insert(QStringLiteral("desktop-entry"), QStringLiteral("hubcap"));
        m << QApplication::applicationDisplayName() << uint(0) << QStringLiteral("hubcap") << title
          << body << QStringList() << hints << int(-1);
        QDBusConnection::sessionBus().asyncCall(m); // fire and forget: never blocks the GUI
#endif
        return;
    }
    }
}

} // namespace hubcap::ui
