#pragma once

#include <QStringList>

namespace hubcap::cli {

class CliContext;

/// `hubcap-cli list REPO [--source github|local] [--mode static|import] ...`: the entrypoints
/// of a repository, read statically (default: no repository code runs) or by executing
/// hubconf.py in a Python host as torch.hub.list does.
int runList(CliContext &ctx, const QStringList &args);
/// `hubcap-cli help REPO ENTRYPOINT [...]`: one entrypoint's signature and docstring.
int runHelp(CliContext &ctx, const QStringList &args);
/// `hubcap-cli load REPO ENTRYPOINT [ARG...] [--kwarg K=V]... [--export FORMAT --output PATH
/// [--input-shape S] [--dtype D]]`: runs the entrypoint in a Python host, describes the result
/// and optionally exports it.
int runLoad(CliContext &ctx, const QStringList &args);

} // namespace hubcap::cli
