#pragma once

#include "ui/browser/repolistmodel.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QString>

namespace hubcap::ui {

/// `torch.hub.load('repo_or_dir', 'entrypoint', k=v, ...)`: `kwargs` values are Python source.
QString loadCallText(const QString &repoOrDir, const QString &entrypoint,
                     const QList<QPair<QString, QString>> &kwargs);

/// A JSON value as Python source: true → True, null → None, strings single-quoted, lists and
/// dicts recursively.
QString pythonLiteral(const QJsonValue &value);

/// The snippet the Browse page copies for an entrypoint of `repo`: owner/repo:ref for cached
/// GitHub repositories, the folder and source='local' otherwise, with `kwargs` (the load
/// form's values, when it was used) as keyword arguments.
QString loadSnippet(const RepoEntry &repo, const QString &entrypoint,
                    const QJsonObject &kwargs = {});

} // namespace hubcap::ui
