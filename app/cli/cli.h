#pragma once

namespace hubcap::cli {

/// Exit statuses of hubcap-cli.
enum Exit { Ok = 0, Failure = 1, Usage = 2 };

/// The whole CLI: creates the QCoreApplication, parses global options, runs one command.
int main(int argc, char **argv);

} // namespace hubcap::cli
