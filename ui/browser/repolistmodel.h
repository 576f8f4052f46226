#pragma once

#include <QAbstractItemModel>
#include <QList>
#include <QString>

#include <array>

namespace hubcap::ui {

/// A repository the sidebar offers.
struct RepoEntry
{
    enum class Source { Demo, Local, Cache };
    Source source = Source::Local;
    QString title; ///< "owner/repo:ref", or the folder's name
    QString path;  ///< absolute folder on disk
    QString spec;  ///< "owner/repo:ref" for cached GitHub repositories; empty for folders
    QString commit;
    bool trusted = false; ///< torch.hub's trust check (local folders need none)
    bool updateAvailable = false;
    qint64 bytes = -1;
    bool missing = false; ///< a remembered folder that is gone (or has no hubconf.py now)
};

/// The sidebar: three groups (demo, local folders, hub cache), each with its repositories.
class RepoListModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Role {
        SourceRole = Qt::UserRole + 1,
        PathRole,
        SpecRole,
        CommitRole,
        TrustedRole,
        UpdateAvailableRole,
        MissingRole,
        IsGroupRole,
    };

    explicit RepoListModel(QObject *parent = nullptr);

    void setEntries(RepoEntry::Source source, const QList<RepoEntry> &entries);
    const QList<RepoEntry> &entries(RepoEntry::Source source) const;
    const RepoEntry *entry(const QModelIndex &index) const;
    QModelIndex indexOf(RepoEntry::Source source, int row) const;
    /// The first entry whose path (or spec) equals `key`.
    QModelIndex find(const QString &key) const;
    void setUpdateAvailable(const QString &spec, bool available);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    /// A cached ref listed right under another ref of the same repository (shown as "↳ :ref").
    bool isFurtherRef(const QModelIndex &index) const;

private:
    static QString repoKey(const RepoEntry &e);
    static constexpr int GroupCount = 3;
    std::array<QList<RepoEntry>, GroupCount> m_groups;
};

} // namespace hubcap::ui
