#include "app/cli/clicontext.h"
#include "app/cli/cli.h"

#include <cstdio>
#include <unistd.h>

namespace hubcap::cli {

CliContext::CliContext() : out(stdout), err(stderr)
{
    stdinIsTerminal = isatty(STDIN_FILENO) == 1;
    stderrIsTerminal = isatty(STDERR_FILENO) == 1;
}

void CliContext::printJson(const QJsonObject &doc)
{
    out << QJsonDocument(doc).toJson(QJsonDocument::Indented);
    out.flush();
}

int CliContext::fail(const Error &error)
{
    if (json) {
        QJsonObject e{{QStringLiteral("type"), error.codeName()},
                      {QStringLiteral("message"), error.message}};
        if (!error.details.isEmpty())
            e.insert(QStringLiteral("details"), error.details);
        printJson(QJsonObject{{QStringLiteral("error"), e}});
    } else {
        err << "hubcap-cli: " << error.message << '\n';
        if (!error.details.isEmpty())
            err << error.details << '\n';
        err.flush();
    }
    return Exit::Failure;
}

int CliContext::usage(const QString &message, const QString &usageText)
{
    err << "hubcap-cli: " << message << '\n';
    if (!usageText.isEmpty())
        err << "usage: " << usageText << '\n';
    // Point at the command's own help when the usage names one ("list REPO ...").
    const QString command = usageText.section(u' ', 0, 0);
    if (!command.isEmpty() && command.at(0).isLower())
        err << "Try 'hubcap-cli " << command << " --help'.\n";
    else
        err << "Try 'hubcap-cli --help'.\n";
    err.flush();
    return Exit::Usage;
}

std::optional<QString> CliContext::ask(const QString &prompt)
{
    if (!stdinIsTerminal)
        return std::nullopt;
    err << prompt;
    err.flush();
    QTextStream in(stdin);
    QString line = in.readLine();
    if (line.isNull())
        return std::nullopt;
    return line;
}

Result<std::optional<TrustAnswer>> CliContext::askTrust(const TrustQuestion &question)
{
    const auto typed = ask(question.prompt() + u' ');
    if (!typed)
        return std::optional<TrustAnswer>();
    auto answer = parseTrustAnswer(*typed); // not stripped, as torch.hub's input()
    if (!answer)
        return std::unexpected(answer.error());
    return std::optional<TrustAnswer>(*answer);
}

std::optional<bool> CliContext::confirm(const QString &question, bool defaultYes)
{
    const auto answer =
        ask(question + (defaultYes ? QStringLiteral(" [Y/n] ") : QStringLiteral(" [y/N] ")));
    if (!answer)
        return std::nullopt;
    const QString a = answer->trimmed().toLower();
    if (a.isEmpty())
        return defaultYes;
    return a == u"y" || a == u"yes";
}

} // namespace hubcap::cli
