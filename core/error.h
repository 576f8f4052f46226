#pragma once

#include <QString>

#include <expected>

namespace hubcap {

/// What went wrong, in words a user can act on. `message` says what failed and what to do;
/// `details` holds the technical part (paths, HTTP status, tracebacks) for a "details" view.
/// Neither ever contains credentials.
struct Error
{
    enum class Code {
        Generic,
        InvalidArgument, ///< malformed input from the user (repo spec, option value)
        NotFound,        ///< a file, ref, entrypoint or repository that does not exist
        Io,              ///< the file system refused (permissions, disk full)
        Network,         ///< connection, TLS, timeout
        Http,            ///< the server answered with an error status
        RateLimited,     ///< GitHub's API rate limit
        Offline,         ///< no network and nothing usable in the cache
        Untrusted,       ///< the user did not trust the repository
        Integrity,       ///< hash mismatch, corrupt archive, unsafe archive entry
        HostFailed,      ///< a host process crashed, hung or exited
        Cancelled,       ///< the user cancelled
        Busy,            ///< another process holds the lock
    };

    Code code = Code::Generic;
    QString message;
    QString details;

    static Error make(Code code, QString message, QString details = {})
    {
        return Error{code, std::move(message), std::move(details)};
    }
    /// "message" or "message\ndetails" for terminals and logs.
    QString text() const { return details.isEmpty() ? message : message + u'\n' + details; }
    /// A short stable identifier for JSON output ("not_found", "rate_limited", ...).
    QString codeName() const;
};

template <typename T> using Result = std::expected<T, Error>;

/// Shorthand for returning an error from a function that returns Result<T>.
inline std::unexpected<Error> fail(Error::Code code, QString message, QString details = {})
{
    return std::unexpected(Error::make(code, std::move(message), std::move(details)));
}

} // namespace hubcap
