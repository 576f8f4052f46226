#include "core/cache/trustpolicy.h"

#include <QCoreApplication>

namespace hubcap {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("hubcap::TrustPolicy", text);
}

} // namespace

std::optional<TrustMode> parseTrustMode(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == u"check")
        return TrustMode::Check;
    if (t == u"yes" || t == u"true" || t == u"y")
        return TrustMode::Yes;
    if (t == u"no" || t == u"false" || t == u"n")
        return TrustMode::No;
    return std::nullopt;
}

Result<TrustMode> parseTrustOption(const QString &text, const QString &option)
{
    if (const auto mode = parseTrustMode(text))
        return *mode;
    return fail(Error::Code::InvalidArgument,
                tr("%1 must be check, yes or no (got '%2')").arg(option, text));
}

Result<TrustAnswer> parseTrustAnswer(const QString &typed)
{
    // torch.hub: response = input(...); if response.lower() in ("y", "yes") ... elif in
    // ("n", "no", ""): raise Exception("Untrusted repository.") else ValueError.
    const QString a = typed.toLower();
    if (a == u"y" || a == u"yes")
        return TrustAnswer::TrustAndRecord;
    if (a == u"n" || a == u"no" || a.isEmpty())
        return TrustAnswer::Refuse;
    return fail(Error::Code::Untrusted, tr("Unrecognized response %1.").arg(typed));
}

QString TrustQuestion::prompt() const
{
    return QStringLiteral("The repository %1 does not belong to the list of trusted repositories "
                          "and as such cannot be downloaded. Do you trust this repository and "
                          "wish to add it to the trusted list of repositories (y/N)?")
        .arg(trustName.isEmpty() ? repo : trustName);
}

QString TrustVerdict::reason() const
{
    if (action == Action::Record)
        return decision.trusted() ? trustReasonText(decision.reason) : tr("--trust-repo yes");
    if (action == Action::Proceed)
        return trustReasonText(decision.reason);
    if (mode == TrustMode::No)
        return tr("--trust-repo no asks every time");
    return trustReasonText(TrustReason::NotTrusted);
}

TrustPolicy::TrustPolicy(QString hubDir, TrustMode mode) : m_list(hubDir), m_mode(mode) {}

Result<TrustVerdict> TrustPolicy::decide(const RepoSpec &spec) const
{
    auto decision = m_list.check(spec);
    if (!decision)
        return std::unexpected(decision.error());
    TrustVerdict v;
    v.mode = m_mode;
    v.decision = *decision;
    if (m_mode == TrustMode::Yes)
        v.action = TrustVerdict::Action::Record;
    else if (m_mode == TrustMode::Check && decision->trusted())
        v.action = TrustVerdict::Action::Proceed;
    else
        v.action = TrustVerdict::Action::Ask;
    return v;
}

Result<TrustOutcome> TrustPolicy::applyWithoutQuestion(const TrustVerdict &verdict,
                                                       const QString &trustName) const
{
    TrustOutcome out;
    out.reason = verdict.reason();
    if (verdict.action == TrustVerdict::Action::Record && !verdict.decision.trusted()) {
        auto added = m_list.add(trustName);
        if (!added)
            return std::unexpected(added.error());
        out.recorded = *added;
    }
    return out;
}

Result<TrustOutcome> TrustPolicy::apply(const TrustVerdict &verdict, const TrustQuestion &question,
                                        TrustAnswer answer) const
{
    TrustOutcome out;
    switch (answer) {
    case TrustAnswer::Refuse:
        return fail(Error::Code::Untrusted, tr("Untrusted repository."));
    case TrustAnswer::RunOnce:
        if (question.allowRunOnce || !question.canRecord()) {
            out.runOnce = true;
            out.reason = tr("trusted this once");
            return out;
        }
        [[fallthrough]]; // a fetch cannot be trusted "once": torch.hub records the yes
    case TrustAnswer::TrustAndRecord:
        out.reason = tr("trusted by the user");
        if (!question.canRecord()) { // unknown identity: nothing to write
            out.runOnce = true;
            return out;
        }
        if (!verdict.decision.trusted()) {
            auto added = m_list.add(question.trustName);
            if (!added)
                return std::unexpected(added.error());
            out.recorded = *added;
        }
        return out;
    }
    return fail(Error::Code::Untrusted, tr("Untrusted repository."));
}

Result<TrustOutcome> TrustPolicy::resolve(const RepoSpec &spec, const TrustQuestion &question,
                                          const Asker &ask, const QString &noAskerMessage) const
{
    auto verdict = decide(spec);
    if (!verdict)
        return std::unexpected(verdict.error());
    if (verdict->action != TrustVerdict::Action::Ask)
        return applyWithoutQuestion(*verdict, question.trustName);
    auto answer = ask ? ask(question) : Result<std::optional<TrustAnswer>>(std::nullopt);
    if (!answer)
        return std::unexpected(answer.error());
    if (!*answer)
        return fail(Error::Code::Untrusted, noAskerMessage);
    return apply(*verdict, question, **answer);
}

} // namespace hubcap
