#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace hubcap::ui {

/// The GitHub token in the system keychain (QtKeychain: Secret Service, KWallet, ...), never in
/// the settings file. Without QtKeychain at build time, or without a keychain at run time,
/// available() is false and the token comes from $GITHUB_TOKEN only.
class TokenStore : public QObject
{
    Q_OBJECT
public:
    explicit TokenStore(QObject *parent = nullptr);

    static bool available();
    /// Reads the token; `done(token, error)` (token empty when none is stored).
    void read(std::function<void(const QString &token, const QString &error)> done);
    /// Stores `token` (empty: deletes it); `done(error)` with an empty error on success.
    void write(const QString &token, std::function<void(const QString &error)> done);
};

} // namespace hubcap::ui
