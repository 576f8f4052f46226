#include "core/util/sha256.h"

#include "tests/support/testsupport.h"

#include <QCryptographicHash>

// The OpenSSL-backed hash must give exactly what QCryptographicHash (and torch.hub's hashlib) give.
TEST(Sha256, MatchesQtAndKnownVectors)
{
    hubcap::Sha256 h;
    EXPECT_EQ(h.result().toHex(),
              QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    h.addData("ab");
    h.addData("c");
    EXPECT_EQ(h.result().toHex(),
              QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    EXPECT_EQ(h.result(), h.result()); // result() can be asked twice
    QByteArray big(3 * 1024 * 1024 + 17, 'q');
    h.reset();
    h.addData(QByteArrayView(big).first(1000));
    h.addData(QByteArrayView(big).sliced(1000));
    EXPECT_EQ(h.result(), QCryptographicHash::hash(big, QCryptographicHash::Sha256));
}

// The worker-thread hash gives the same digest as hashing inline, in order, for many chunks of
// odd sizes, with a queue smaller than the data (addData waits) and across reset() and stop().
TEST(Sha256Worker, SameDigestAsInlineAcrossResetAndStop)
{
    QByteArray data(5 * 1024 * 1024 + 3, Qt::Uninitialized);
    for (qsizetype i = 0; i < data.size(); ++i)
        data[i] = char((i * 2654435761u) >> 13);
    const QByteArray expected = QCryptographicHash::hash(data, QCryptographicHash::Sha256);
    const int before = hubcap::Sha256Worker::liveThreads();
    {
        hubcap::Sha256Worker w(256 * 1024); // far smaller than the data: the queue must block
        EXPECT_FALSE(w.isRunning());
        w.addData(QByteArray("garbage that reset() drops"));
        EXPECT_TRUE(w.isRunning());
        EXPECT_EQ(hubcap::Sha256Worker::liveThreads(), before + 1);
        w.reset();
        qsizetype pos = 0;
        for (qsizetype n = 1; pos < data.size(); n = (n * 7 + 4093) % 300000 + 1) {
            const qsizetype len = qMin(n, data.size() - pos);
            w.addData(data.mid(pos, len));
            pos += len;
        }
        EXPECT_EQ(w.result(), expected);
        EXPECT_EQ(w.result(), expected); // asked twice
        w.stop();
        EXPECT_FALSE(w.isRunning());
        EXPECT_EQ(hubcap::Sha256Worker::liveThreads(), before);
        EXPECT_EQ(w.result(), expected); // the state survives stop()
        w.addData(QByteArray("x"));      // a new thread continues the same hash
        EXPECT_EQ(w.result(), QCryptographicHash::hash(data + "x", QCryptographicHash::Sha256));
        // The destructor ends the thread.
    }
    EXPECT_EQ(hubcap::Sha256Worker::liveThreads(), before);
}
