#include "ui/settings/tokenstore.h"

#ifdef HUBCAP_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace hubcap::ui {

namespace {
const QString Service = QStringLiteral("hubcap");
const QString Key = QStringLiteral("github-token");
} // namespace

TokenStore::TokenStore(QObject *parent) : QObject(parent) {}

bool TokenStore::available()
{
#ifdef HUBCAP_HAVE_KEYCHAIN
    return true; // QtKeychain 0.13 cannot probe; a missing keychain shows up as a read error
#else
    return false;
#endif
}

void TokenStore::read(std::function<void(const QString &, const QString &)> done)
{
#ifdef HUBCAP_HAVE_KEYCHAIN
    auto *job = new QKeychain::ReadPasswordJob(Service, this);
    job->setKey(Key);
    connect(job, &QKeychain::Job::finished, this, [job, done] {
        if (job->error() == QKeychain::NoError)
            done(job->textData(), {});
        else if (job->error() == QKeychain::EntryNotFound)
            done({}, {});
        else
            done({}, job->errorString());
    });
    job->start();
#else
    done({}, tr("This build has no keychain support (QtKeychain)."));
#endif
}

void TokenStore::write(const QString &token, std::function<void(const QString &)> done)
{
#ifdef HUBCAP_HAVE_KEYCHAIN
    QKeychain::Job *job = nullptr;
    if (token.isEmpty()) {
        auto *del = new QKeychain::DeletePasswordJob(Service, this);
        del->setKey(Key);
        job = del;
    } else {
        auto *w = new QKeychain::WritePasswordJob(Service, this);
        w->setKey(Key);
        w->setTextData(token);
        job = w;
    }
    connect(job, &QKeychain::Job::finished, this, [job, done] {
        const bool ok =
            job->error() == QKeychain::NoError || job->error() == QKeychain::EntryNotFound;
        done(ok ? QString() : job->errorString());
    });
    job->start();
#else
    Q_UNUSED(token);
    done(tr(
        "This build has no keychain support (QtKeychain); set GITHUB_TOKEN in the environment."));
#endif
}

} // namespace hubcap::ui
