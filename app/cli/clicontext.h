#pragma once

#include "core/cache/hubdir.h"
#include "core/cache/trustpolicy.h"
#include "core/error.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <optional>

namespace hubcap::cli {

/// What every command gets: global options, the streams, and the ways to talk to the user.
class CliContext
{
public:
    CliContext();

    HubDirResolution hubDir;
    bool json = false;
    QTextStream out; ///< stdout
    QTextStream err; ///< stderr
    bool stdinIsTerminal = false;
    bool stderrIsTerminal = false;

    /// Prints one JSON document on stdout.
    void printJson(const QJsonObject &doc);
    /// Reports an error: a JSON error object on stdout with --json, else "hubcap-cli: message" on
    /// stderr. Returns Exit::Failure so commands can `return ctx.fail(e);`.
    int fail(const Error &error);
    /// A usage error: message plus the command's usage on stderr; returns Exit::Usage.
    int usage(const QString &message, const QString &usageText);
    /// Asks a yes/no question on the terminal. nullopt when stdin is not a terminal (the caller
    /// then refuses and says which flag to pass). Empty answer means `defaultYes`.
    std::optional<bool> confirm(const QString &question, bool defaultYes = false);
    /// Reads one line from the terminal after printing `prompt` (nullopt without a terminal).
    std::optional<QString> ask(const QString &prompt);
    /// The CLI's answer to a trust question (TrustPolicy::Asker): torch.hub's prompt on the
    /// terminal, read as torch.hub reads it (parseTrustAnswer). nullopt without a terminal;
    /// an Untrusted error for an unrecognized answer.
    Result<std::optional<TrustAnswer>> askTrust(const TrustQuestion &question);
};

} // namespace hubcap::cli
