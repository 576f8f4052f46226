#pragma once

#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace hubcap::test {

/// The fake GitHub (tests/support/fakegithub/server.py) on a free loopback port, for one test.
/// Fixture data lives in root(); every request the server saw is in requests().
class FakeServer
{
public:
    FakeServer();
    ~FakeServer();

    bool isRunning() const { return m_port > 0; }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    int port() const { return m_port; }
    QString root() const { return m_root.path(); }
    /// Requests so far, oldest first: {"method","path","headers":{...},"client"}.
    QList<QJsonObject> requests() const;
    void clearRequests() const;
    /// Writes root()/config.json (behaviour switches the route modules read per request).
    void setConfig(const QJsonObject &config) const;
    /// Server stderr so far (for failure messages).
    QByteArray serverErrors();

private:
    QTemporaryDir m_root;
    QProcess m_proc;
    int m_port = 0;
};

} // namespace hubcap::test
