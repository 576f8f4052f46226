#include "core/cache/repospec.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace hubcap {

namespace {

QString validSpecHint()
{
    return QCoreApplication::translate(
        "hubcap", "A repository is written OWNER/REPO or OWNER/REPO:REF, for example "
                  "pytorch/vision or pytorch/vision:v0.14.1.");
}

Result<RepoSpec> invalid(const QString &spec, const QString &why)
{
    return fail(Error::Code::InvalidArgument,
                QCoreApplication::translate("hubcap", "Invalid repository \"%1\": %2 %3")
                    .arg(spec, why, validSpecHint()));
}

// GitHub owner and repository names: letters, digits, '-', '_' and '.'.
bool isValidName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9._-]+$"));
    return re.match(name).hasMatch() && name != u"." && name != u"..";
}

// What git check-ref-format forbids and would break a URL or a folder name.
QString refProblem(const QString &ref)
{
    static const QRegularExpression bad(QStringLiteral("[\\s~^?*\\[\\\\\\x00-\\x1f\\x7f]"));
    if (bad.match(ref).hasMatch())
        return QCoreApplication::translate(
            "hubcap", "the ref contains a space or a character git does not allow in refs.");
    if (ref.contains(QStringLiteral("..")) || ref.startsWith(u'/') || ref.endsWith(u'/') ||
        ref.contains(QStringLiteral("//")))
        return QCoreApplication::translate("hubcap", "the ref is not a valid git ref name.");
    return {};
}

} // namespace

Result<RepoSpec> RepoSpec::parse(const QString &spec)
{
    // A pasted GitHub URL: torch.hub.load would fail on it too, so say what to type instead.
    static const QRegularExpression url(
        QStringLiteral("^\\s*(?:https?|git|ssh)://(?:[^/@]*@)?[^/]+/+([^/]+)/+([^/?#]+?)(?:\\.git)?"
                       "(?:/+tree/+([^?#]+?))?/*(?:[?#].*)?\\s*$"),
        QRegularExpression::CaseInsensitiveOption);
    if (const auto m = url.match(spec); m.hasMatch() || spec.contains(QStringLiteral("://"))) {
        QString suggestion;
        if (m.hasMatch()) {
            suggestion = m.captured(1) + u'/' + m.captured(2);
            if (!m.captured(3).isEmpty())
                suggestion += u':' + m.captured(3);
        }
        return fail(Error::Code::InvalidArgument,
                    suggestion.isEmpty()
                        ? QCoreApplication::translate(
                              "hubcap", "Invalid repository \"%1\": it is a URL; torch.hub takes "
                                        "owner/repo[:ref], for example pytorch/vision:v0.14.1.")
                              .arg(spec)
                        : QCoreApplication::translate(
                              "hubcap", "Invalid repository \"%1\": it is a URL; torch.hub takes "
                                        "owner/repo[:ref]: use %2")
                              .arg(spec, suggestion));
    }
    RepoSpec out;
    QString repoInfo = spec;
    if (spec.contains(u':')) {
        const QStringList parts = spec.split(u':');
        if (parts.size() != 2)
            return invalid(spec,
                           QCoreApplication::translate("hubcap", "it contains more than one ':'."));
        repoInfo = parts[0];
        out.ref = parts[1];
        out.hasRef = true;
    }
    const QStringList names = repoInfo.split(u'/');
    if (names.size() != 2)
        return invalid(
            spec, names.size() < 2
                      ? QCoreApplication::translate(
                            "hubcap", "the owner and the repository must be separated by '/'.")
                      : QCoreApplication::translate(
                            "hubcap",
                            "it has more than one '/' before the ref (put the ref after ':')."));
    out.owner = names[0];
    out.repo = names[1];
    if (out.owner.isEmpty() || out.repo.isEmpty())
        return invalid(spec, QCoreApplication::translate(
                                 "hubcap", "the owner or the repository name is empty."));
    if (!isValidName(out.owner) || !isValidName(out.repo))
        return invalid(
            spec,
            QCoreApplication::translate(
                "hubcap",
                "owner and repository names may contain only letters, digits, '-', '_' and '.'."));
    if (out.hasRef && !out.ref.isEmpty()) {
        if (const QString problem = refProblem(out.ref); !problem.isEmpty())
            return invalid(spec, problem);
    }
    return out;
}

QString RepoSpec::folderName() const
{
    QString r = ref;
    r.replace(u'/', u'_');
    return owner + u'_' + repo + u'_' + r;
}

QString RepoSpec::trustName() const
{
    return owner + u'_' + repo;
}

QString RepoSpec::zipName() const
{
    QString r = ref;
    r.replace(u'/', u'_');
    return r + QStringLiteral(".zip");
}

QString RepoSpec::toString() const
{
    return hasRef ? owner + u'/' + repo + u':' + ref : owner + u'/' + repo;
}

RepoSpec RepoSpec::withRef(const QString &newRef) const
{
    RepoSpec copy = *this;
    copy.ref = newRef;
    copy.hasRef = true;
    return copy;
}

bool isTrustedOwner(const QString &owner)
{
    static const QStringList owners{QStringLiteral("facebookresearch"),
                                    QStringLiteral("facebookincubator"), QStringLiteral("pytorch"),
                                    QStringLiteral("fairinternal")};
    return owners.contains(owner); // case-sensitive, like torch.hub
}

} // namespace hubcap
