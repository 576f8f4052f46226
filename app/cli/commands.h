#pragma once

#include <QString>
#include <QStringList>

namespace hubcap::cli {

class CliContext;

/// One subcommand of hubcap-cli. `run` gets the arguments after the command name (global
/// options already removed) and returns an exit status (see cli.h).
struct Command
{
    QString name;
    QString summary; ///< one line for --help
    QString usage;   ///< "cache ls | cache rm TARGET... [--dry-run] [--yes] | ..."
    int (*run)(CliContext &ctx, const QStringList &args);
    QString details = {}; ///< extra lines for `hubcap-cli COMMAND --help` (optional)
};

/// The text `hubcap-cli COMMAND --help` (or -h) prints: usage, summary, options.
QString commandHelp(const Command &command);

/// Every command, in --help order. Defined in cli.cpp; each command lives in cmd_<name>.cpp.
const QList<Command> &commands();

} // namespace hubcap::cli
