#pragma once

#include "core/protocol/entrypoint.h"

#include <QHash>
#include <QString>

namespace hubcap::ui {

/// The detail view's HTML for one entrypoint: its signature, the rendered docstring, where it
/// is defined, and the repository's dependencies with the missing ones marked.
QString entrypointDetailHtml(const Entrypoint &entrypoint, const EntrypointListing &listing);

/// The "Weights" section: each checkpoint the entrypoint can download (static analysis) with
/// its file name, whether it is in <hub>/checkpoints, the URL, its size once asked
/// (`sizes`: url -> text) and the actions as "hubcap:download?i=N" / "hubcap:size?i=N" links.
QString weightsHtml(const QList<WeightRef> &weights, bool pending,
                    const QHash<QString, QString> &sizes);

/// The dependencies section alone (shown when no entrypoint is selected).
QString dependenciesHtml(const EntrypointListing &listing);

} // namespace hubcap::ui
