#pragma once

#include <QString>

namespace hubcap {
class NetworkConfig;
}

namespace hubcap::ui {

/// The GUI's persistent settings (QSettings), read by the dialog and applied to the core's
/// NetworkConfig. Empty strings and zeroes mean "as the environment says".
struct AppSettings
{
    QString
        hubDir; ///< explicit hub dir (like torch.hub.set_dir); empty: resolved as torch.hub does
    QString githubUrl;    ///< empty: $HUBCAP_GITHUB_URL or https://github.com
    QString githubApiUrl; ///< empty: $HUBCAP_GITHUB_API_URL or https://api.github.com
    int concurrency = 3;  ///< parallel downloads
    int connectTimeoutS = 0;
    int stallTimeoutS = 0;
    QString appearance;         ///< "system" (empty), "light" or "dark" (see common/theme.h)
    int hostIdleMinutes = 5;    ///< idle Python hosts stop after this long; 0: never
    int hostMemoryLimitMiB = 0; ///< per-host memory limit; 0: none

    static AppSettings load();
    void save() const;
    /// Overrides `config` with what is set here (token excluded: it lives in the keychain).
    void applyTo(NetworkConfig &config) const;
};

} // namespace hubcap::ui
