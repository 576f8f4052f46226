#include "util/sha256.h"

#include "testsupport.h"

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
