#include "util/sha256.h"

#include <openssl/evp.h>

namespace hubcap {

struct Sha256::Ctx
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    ~Ctx() { EVP_MD_CTX_free(md); }
};

Sha256::Sha256() : m_ctx(std::make_unique<Ctx>())
{
    reset();
}

Sha256::~Sha256() = default;

void Sha256::reset()
{
    EVP_DigestInit_ex(m_ctx->md, EVP_sha256(), nullptr);
}

void Sha256::addData(QByteArrayView data)
{
    EVP_DigestUpdate(m_ctx->md, data.data(), static_cast<size_t>(data.size()));
}

QByteArray Sha256::result() const
{
    // Finalise a copy so result() can be called more than once, like QCryptographicHash.
    EVP_MD_CTX *copy = EVP_MD_CTX_new();
    EVP_MD_CTX_copy_ex(copy, m_ctx->md);
    QByteArray out(EVP_MAX_MD_SIZE, '\0');
    unsigned int len = 0;
    EVP_DigestFinal_ex(copy, reinterpret_cast<unsigned char *>(out.data()), &len);
    EVP_MD_CTX_free(copy);
    out.resize(static_cast<qsizetype>(len));
    return out;
}

} // namespace hubcap
