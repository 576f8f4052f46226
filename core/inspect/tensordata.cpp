#include "core/inspect/tensordata.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace hubcap::inspect {

float halfToFloat(std::uint16_t h)
{
    const std::uint32_t sign = (h & 0x8000u) << 16;
    std::uint32_t exp = (h >> 10) & 0x1f;
    std::uint32_t mant = h & 0x3ffu;
    std::uint32_t bits;
    if (exp == 0) {
        if (mant == 0) {
            bits = sign;
        } else { // subnormal: normalise
            exp = 127 - 15 + 1;
            while (!(mant & 0x400u)) {
                mant <<= 1;
                --exp;
            }
            mant &= 0x3ffu;
            bits = sign | exp << 23 | mant << 13;
        }
    } else if (exp == 0x1f) {
        bits = sign | 0x7f800000u | mant << 13; // inf or nan
    } else {
        bits = sign | (exp + 127 - 15) << 23 | mant << 13;
    }
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

float bfloat16ToFloat(std::uint16_t b)
{
    const std::uint32_t bits = std::uint32_t(b) << 16;
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

namespace {

template <typename T> T load(const char *p, bool swap)
{
    char buf[sizeof(T)];
    std::memcpy(buf, p, sizeof(T));
    if (swap)
        std::reverse(buf, buf + sizeof(T));
    T v;
    std::memcpy(&v, buf, sizeof(T));
    return v;
}

using Decoder = double (*)(const char *, bool);

Decoder decoderFor(const QString &dtype)
{
    if (dtype == u"float32")
        return [](const char *p, bool s) { return double(load<float>(p, s)); };
    if (dtype == u"float64")
        return [](const char *p, bool s) { return load<double>(p, s); };
    if (dtype == u"float16")
        return [](const char *p, bool s) { return double(halfToFloat(load<std::uint16_t>(p, s))); };
    if (dtype == u"bfloat16")
        return [](const char *p, bool s) {
            return double(bfloat16ToFloat(load<std::uint16_t>(p, s)));
        };
    if (dtype == u"int8")
        return [](const char *p, bool) { return double(static_cast<std::int8_t>(*p)); };
    if (dtype == u"uint8")
        return [](const char *p, bool) { return double(static_cast<std::uint8_t>(*p)); };
    if (dtype == u"bool")
        return [](const char *p, bool) { return *p ? 1.0 : 0.0; };
    if (dtype == u"int16")
        return [](const char *p, bool s) { return double(load<std::int16_t>(p, s)); };
    if (dtype == u"int32")
        return [](const char *p, bool s) { return double(load<std::int32_t>(p, s)); };
    if (dtype == u"int64")
        return [](const char *p, bool s) { return double(load<std::int64_t>(p, s)); };
    return nullptr;
}

} // namespace

bool computeStats(const std::string &span, const QString &dtype, const std::vector<qint64> &shape,
                  const std::vector<qint64> &stride, bool swapBytes, TensorStats *out, QString *why)
{
    const Decoder decode = decoderFor(dtype);
    const int es = elementSize(dtype);
    if (!decode || es == 0) {
        *why = QStringLiteral("no statistics for dtype %1").arg(dtype);
        return false;
    }
    if (shape.size() != stride.size()) {
        *why = QStringLiteral("tensor size and stride differ in length");
        return false;
    }
    qint64 numel = 1;
    for (std::size_t k = 0; k < shape.size(); ++k) {
        if (shape[k] < 0 || stride[k] < 0 || __builtin_mul_overflow(numel, shape[k], &numel)) {
            *why = QStringLiteral("tensor shape is out of range");
            return false;
        }
    }
    const auto maxElement = static_cast<qint64>(span.size() / static_cast<std::size_t>(es));
    // Every offset the odometer below reaches is at most the last element's: check that one
    // (overflow-safe) and no step can wrap.
    if (numel > 0) {
        qint64 last = 0, term = 0;
        for (std::size_t k = 0; k < shape.size(); ++k) {
            if (__builtin_mul_overflow(shape[k] - 1, stride[k], &term) ||
                __builtin_add_overflow(last, term, &last) || last >= maxElement) {
                *why = QStringLiteral("tensor data is shorter than its shape needs");
                return false;
            }
        }
    }
    TensorStats st;
    st.min = std::numeric_limits<double>::infinity();
    st.max = -std::numeric_limits<double>::infinity();
    // Welford's running mean and variance: stable for long tensors.
    double mean = 0, m2 = 0;
    qint64 finite = 0;
    std::vector<qint64> idx(shape.size(), 0);
    qint64 offset = 0; // in elements, relative to the span start
    for (qint64 n = 0; n < numel; ++n) {
        // Checked before the multiplication, so a huge offset cannot wrap into the span.
        if (offset < 0 || offset >= maxElement) {
            *why = QStringLiteral("tensor data is shorter than its shape needs");
            return false;
        }
        const auto byteOff = static_cast<std::size_t>(offset) * static_cast<std::size_t>(es);
        const double x = decode(span.data() + byteOff, swapBytes);
        ++st.count;
        if (std::isnan(x)) {
            ++st.nanCount;
        } else if (std::isinf(x)) {
            ++st.infCount;
        } else {
            ++finite;
            st.min = std::min(st.min, x);
            st.max = std::max(st.max, x);
            const double d = x - mean;
            mean += d / double(finite);
            m2 += d * (x - mean);
        }
        // Odometer over the shape, last dimension fastest.
        for (std::size_t k = shape.size(); k-- > 0;) {
            if (++idx[k] < shape[k]) {
                offset += stride[k];
                break;
            }
            offset -= stride[k] * (shape[k] - 1);
            idx[k] = 0;
        }
    }
    if (finite == 0) {
        st.min = st.max = std::numeric_limits<double>::quiet_NaN();
        st.mean = st.std = std::numeric_limits<double>::quiet_NaN();
    } else {
        st.mean = mean;
        st.std = std::sqrt(m2 / double(finite));
    }
    *out = st;
    return true;
}

} // namespace hubcap::inspect
