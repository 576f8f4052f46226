#pragma once

#include <protocol/entrypoint.h>

#include <QString>

namespace hubcap::ui {

/// The detail view's HTML for one entrypoint: its signature, the rendered docstring, where it
/// is defined, and the repository's dependencies with the missing ones marked.
QString entrypointDetailHtml(const Entrypoint &entrypoint, const EntrypointListing &listing);

/// The dependencies section alone (shown when no entrypoint is selected).
QString dependenciesHtml(const EntrypointListing &listing);

} // namespace hubcap::ui
