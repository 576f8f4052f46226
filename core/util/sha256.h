#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

namespace hubcap {

/// Incremental SHA-256 through OpenSSL's libcrypto. Same calls as QCryptographicHash, but Qt 6.4
/// hashes SHA-256 in portable C at ~100 MB/s on these machines while OpenSSL uses the CPU's SHA
/// instructions (~1.7 GB/s): with Qt's, hashing while streaming capped downloads at ~94 MB/s.
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;

    void reset();
    void addData(QByteArrayView data);
    /// The 32-byte digest of everything added since the last reset().
    QByteArray result() const;

private:
    struct Ctx;
    std::unique_ptr<Ctx> m_ctx;
};

} // namespace hubcap
