#pragma once

#include <QProcessEnvironment>
#include <QString>

#include <optional>

namespace hubcap {

/// Where the hub dir comes from, resolved exactly as torch.hub's get_dir() does:
/// explicit setting (set_dir / --hub-dir) > $TORCH_HOME/hub > $XDG_CACHE_HOME/torch/hub >
/// ~/.cache/torch/hub. An empty variable counts as set (os.getenv returns ""), which yields a
/// relative path, as in Python.
struct HubDirResolution
{
    QString path;   ///< as Python would compute it (may be relative)
    QString origin; ///< "--hub-dir", "TORCH_HOME", "XDG_CACHE_HOME" or "default"

    /// The path made absolute against the current directory, for file operations.
    QString absolutePath() const;
};

HubDirResolution
resolveHubDir(const std::optional<QString> &explicitDir,
              const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());

/// os.path.expanduser: a leading "~" or "~user" becomes the home directory.
QString expandUser(const QString &path,
                   const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());

/// os.path.join for two POSIX components (an absolute second part wins; "" + "x" is "x").
QString joinPath(const QString &a, const QString &b);

} // namespace hubcap
