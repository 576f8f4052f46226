#include "ui/browser/snippet.h"

#include <QJsonArray>
#include <QStringList>

namespace hubcap::ui {

namespace {
QString pythonString(const QString &s)
{
    QString out = s;
    out.replace(u'\\', QStringLiteral("\\\\"))
        .replace(u'\'', QStringLiteral("\\'"))
        .replace(u'\n', QStringLiteral("\\n"));
    return u'\'' + out + u'\'';
}
} // namespace

QString loadCallText(const QString &repoOrDir, const QString &entrypoint,
                     const QList<QPair<QString, QString>> &kwargs)
{
    QStringList args{pythonString(repoOrDir), pythonString(entrypoint)};
    for (const auto &[k, v] : kwargs)
        args << k + u'=' + v;
    return QStringLiteral("torch.hub.load(%1)").arg(args.join(QStringLiteral(", ")));
}

QString pythonLiteral(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("True") : QStringLiteral("False");
    case QJsonValue::Double: {
        const double d = v.toDouble();
        if (d == double(qint64(d)) && std::abs(d) < 1e15)
            return QString::number(qint64(d));
        return QString::number(d, 'g', 17);
    }
    case QJsonValue::String:
        return pythonString(v.toString());
    case QJsonValue::Array: {
        QStringList items;
        for (const QJsonValue &i : v.toArray())
            items << pythonLiteral(i);
        return u'[' + items.join(QStringLiteral(", ")) + u']';
    }
    case QJsonValue::Object: {
        QStringList items;
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            items << pythonString(it.key()) + QStringLiteral(": ") + pythonLiteral(it.value());
        return u'{' + items.join(QStringLiteral(", ")) + u'}';
    }
    default:
        return QStringLiteral("None");
    }
}

QString loadSnippet(const RepoEntry &repo, const QString &entrypoint, const QJsonObject &kwargs)
{
    QList<QPair<QString, QString>> kw;
    for (auto it = kwargs.begin(); it != kwargs.end(); ++it)
        kw.append({it.key(), pythonLiteral(it.value())});
    if (!repo.spec.isEmpty())
        return loadCallText(repo.spec, entrypoint, kw);
    kw.append({QStringLiteral("source"), QStringLiteral("'local'")});
    return loadCallText(repo.path, entrypoint, kw);
}

} // namespace hubcap::ui
