#include "tests/ui/uifixtures.h"

#include "tests/support/testsupport.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>

namespace hubcap::test {

void writeBytes(const QString &path, qint64 size)
{
    writeFile(path, QByteArray(size, 'x'));
}

void writeFixtureRepo(const QString &dir)
{
    writeFile(dir + QStringLiteral("/hubconf.py"),
              R"PY(dependencies = ['torch', 'surely_missing_pkg']


def small_mlp(pretrained: bool = True, hidden: int = 32, name="mlp", **kwargs):
    """A small multi-layer perceptron.

    It maps 784 inputs to 10 classes.

    Args:
        pretrained (bool): load the stored weights.
        hidden (int): width of the hidden layer.

    Example::

        model = torch.hub.load(repo, 'small_mlp', source='local')
    """
    raise RuntimeError("must never run in static browsing")


class WordTokenizer:
    """Splits text on whitespace."""

    def __init__(self, lower=True):
        pass


def _private_helper():
    pass
)PY");
}

bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 50);
    return done();
}

} // namespace hubcap::test
