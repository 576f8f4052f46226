#include "tests/support/fakeserver.h"

#include "tests/support/testsupport.h"

#include <QFile>
#include <QJsonDocument>

namespace hubcap::test {

FakeServer::FakeServer()
{
    m_proc.setProgram(QStringLiteral(HUBCAP_PYTHON));
    m_proc.setArguments({sourceDir() + QStringLiteral("/tests/support/fakegithub/server.py"),
                         QStringLiteral("--root"), m_root.path()});
    m_proc.start();
    if (!m_proc.waitForStarted(10000))
        return;
    QByteArray line;
    while (!line.contains('\n') && m_proc.waitForReadyRead(15000))
        line += m_proc.readAllStandardOutput();
    if (line.startsWith("PORT "))
        m_port = line.mid(5).trimmed().toInt();
}

FakeServer::~FakeServer()
{
    m_proc.kill();
    m_proc.waitForFinished(5000);
}

QList<QJsonObject> FakeServer::requests() const
{
    QList<QJsonObject> out;
    QFile f(root() + QStringLiteral("/requests.log"));
    if (!f.open(QIODevice::ReadOnly))
        return out;
    for (const QByteArray &l : f.readAll().split('\n'))
        if (!l.isEmpty())
            out << QJsonDocument::fromJson(l).object();
    return out;
}

void FakeServer::clearRequests() const
{
    QFile::remove(root() + QStringLiteral("/requests.log"));
}

void FakeServer::setConfig(const QJsonObject &config) const
{
    writeFile(root() + QStringLiteral("/config.json"), QJsonDocument(config).toJson());
}

QByteArray FakeServer::serverErrors()
{
    return m_proc.readAllStandardError();
}

} // namespace hubcap::test
