#include "core/inspect/checkpoint.h"

#include "core/inspect/pickle.h"
#include "core/inspect/tensordata.h"
#include "core/inspect/torchzip.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>

#include <fstream>
#include <limits>

#include <map>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>
#include <zlib.h>

namespace hubcap::inspect {

namespace {

constexpr std::uint64_t kMaxPickleBytes = 1ull << 30; // data.pkl larger than this is refused
constexpr std::uint64_t kMaxStatsSpan = 4ull << 30;   // one tensor's data read for --stats
constexpr qint64 kMaxStatsElements = 1ll << 31;       // elements visited (stride-0 expansions)
constexpr int kStorage = 1, kTensor = 2;
// What one file may add to the report: entries (tensors and values) are at most a multiple of
// the values the pickle built (sharing through the memo lets a 300-byte pickle name a tensor
// under 2^64 paths), and never more than kMaxEntries.
constexpr qint64 kMaxEntries = 20'000'000;
constexpr qint64 kEntriesBase = 100'000, kEntriesPerValue = 4;

// Overflow-checked arithmetic on sizes, offsets, strides and element counts: a result that does
// not fit (or a negative operand where none is allowed) is a corrupt file, never a wrapped value.
qint64 checkedMul(qint64 a, qint64 b, const char *what)
{
    qint64 r = 0;
    if (a < 0 || b < 0 || __builtin_mul_overflow(a, b, &r))
        throw PickleError{std::string("a tensor's ") + what + " overflows 64 bits (corrupt file)"};
    return r;
}
qint64 checkedAdd(qint64 a, qint64 b, const char *what)
{
    qint64 r = 0;
    if (a < 0 || b < 0 || __builtin_add_overflow(a, b, &r))
        throw PickleError{std::string("a tensor's ") + what + " overflows 64 bits (corrupt file)"};
    return r;
}
qint64 numelOf(const std::vector<qint64> &shape)
{
    qint64 n = 1;
    for (qint64 d : shape)
        n = checkedMul(n, d, "element count");
    return n;
}
/// One past the last element a strided tensor touches, in elements from the storage start;
/// `offset` when it has no elements.
qint64 extentOf(qint64 offset, const std::vector<qint64> &shape, const std::vector<qint64> &stride)
{
    if (numelOf(shape) == 0)
        return offset;
    qint64 last = 0;
    for (std::size_t d = 0; d < shape.size(); ++d)
        last = checkedAdd(last, checkedMul(shape[d] - 1, stride[d], "extent"), "extent");
    return checkedAdd(checkedAdd(offset, last, "storage offset"), 1, "storage offset");
}

struct StorageRef
{
    std::string key;
    QString dtype;
    qint64 numel = 0;      ///< elements of the (root) storage
    qint64 viewOffset = 0; ///< legacy storage views: element offset into the root storage
    int uses = 0;
};

struct TensorRec
{
    std::shared_ptr<StorageRef> storage;
    qint64 offset = 0;
    std::vector<qint64> shape, stride;
    bool requiresGrad = false;
    bool parameter = false;
};

QString dtypeOfStorage(const std::string &global)
{
    static const std::map<std::string, QString> names{
        {"FloatStorage", QStringLiteral("float32")},
        {"DoubleStorage", QStringLiteral("float64")},
        {"HalfStorage", QStringLiteral("float16")},
        {"BFloat16Storage", QStringLiteral("bfloat16")},
        {"LongStorage", QStringLiteral("int64")},
        {"IntStorage", QStringLiteral("int32")},
        {"ShortStorage", QStringLiteral("int16")},
        {"CharStorage", QStringLiteral("int8")},
        {"ByteStorage", QStringLiteral("uint8")},
        {"BoolStorage", QStringLiteral("bool")},
        {"ComplexFloatStorage", QStringLiteral("complex64")},
        {"ComplexDoubleStorage", QStringLiteral("complex128")},
        {"QInt8Storage", QStringLiteral("qint8")},
        {"QUInt8Storage", QStringLiteral("quint8")},
        {"QInt32Storage", QStringLiteral("qint32")},
        {"QUInt4x2Storage", QStringLiteral("quint4x2")},
        {"QUInt2x4Storage", QStringLiteral("quint2x4")},
        {"UntypedStorage", QStringLiteral("uint8")},
    };
    const auto dot = global.rfind('.');
    if (global.rfind("torch.", 0) != 0 || dot == std::string::npos)
        return {};
    auto it = names.find(global.substr(dot + 1));
    return it == names.end() ? QString() : it->second;
}

bool isDtypeGlobal(const std::string &g)
{
    static const std::set<std::string> dtypes{"torch.float32",       "torch.float",
                                              "torch.float64",       "torch.double",
                                              "torch.float16",       "torch.half",
                                              "torch.bfloat16",      "torch.int64",
                                              "torch.long",          "torch.int32",
                                              "torch.int",           "torch.int16",
                                              "torch.short",         "torch.int8",
                                              "torch.uint8",         "torch.bool",
                                              "torch.complex64",     "torch.complex128",
                                              "torch.cfloat",        "torch.cdouble",
                                              "torch.qint8",         "torch.quint8",
                                              "torch.qint32",        "torch.contiguous_format",
                                              "torch.channels_last", "torch.preserve_format",
                                              "torch.strided"};
    return dtypes.contains(g);
}

std::vector<qint64> intsOf(const ValuePtr &v)
{
    std::vector<qint64> out;
    if (!v || !v->isSequence())
        throw PickleError{"expected a tuple of ints for a tensor's size or stride"};
    for (const auto &x : v->items) {
        if (x->kind != Value::Kind::Int || x->i < 0)
            throw PickleError{"a tensor size or stride that is not a non-negative int"};
        out.push_back(x->i);
    }
    return out;
}

std::shared_ptr<TensorRec> tensorOf(const ValuePtr &v)
{
    if (v && v->kind == Value::Kind::Custom && v->customType == kTensor)
        return std::static_pointer_cast<TensorRec>(v->custom);
    return nullptr;
}

std::shared_ptr<StorageRef> storageOf(const ValuePtr &v)
{
    if (v && v->kind == Value::Kind::Custom && v->customType == kStorage)
        return std::static_pointer_cast<StorageRef>(v->custom);
    return nullptr;
}

ValuePtr makeTensor(std::shared_ptr<TensorRec> t)
{
    auto v = Value::make(Value::Kind::Custom);
    v->customType = kTensor;
    v->s = "tensor";
    v->custom = std::move(t);
    return v;
}

std::string latin1ToBytes(const std::string &utf8)
{
    // _codecs.encode(text, 'latin1'): protocol 2's spelling of bytes. Code points < 256 → bytes.
    std::string out;
    for (std::size_t k = 0; k < utf8.size(); ++k) {
        const auto c = static_cast<unsigned char>(utf8[k]);
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if ((c & 0xe0) == 0xc0 && k + 1 < utf8.size()) {
            out += static_cast<char>(((c & 0x1f) << 6) |
                                     (static_cast<unsigned char>(utf8[k + 1]) & 0x3f));
            ++k;
        }
    }
    return out;
}

/// The interpretation of the globals torch.save uses; everything else stays opaque.
class TorchHooks
{
public:
    bool torchScript = false;
    std::unordered_map<std::string, ValuePtr> storagesByKey;
    std::set<std::string> interpreted;

    ValuePtr call(const std::string &name, const std::vector<ValuePtr> &args)
    {
        auto arg = [&](std::size_t k) -> ValuePtr {
            if (k >= args.size())
                throw PickleError{name + " called with too few arguments"};
            return args[k];
        };
        if (name == "collections.OrderedDict") {
            interpreted.insert(name);
            return Value::make(Value::Kind::Dict);
        }
        if (name == "torch._utils._rebuild_tensor_v2" || name == "torch._utils._rebuild_tensor") {
            interpreted.insert(name);
            auto storage = storageOf(arg(0));
            if (!storage)
                throw PickleError{name + " without a storage"};
            auto t = std::make_shared<TensorRec>();
            t->storage = storage;
            const ValuePtr off = arg(1);
            if (off->kind != Value::Kind::Int || off->i < 0)
                throw PickleError{"a tensor storage offset that is not a non-negative int"};
            t->offset = checkedAdd(off->i, storage->viewOffset, "storage offset");
            t->shape = intsOf(arg(2));
            t->stride = intsOf(arg(3));
            if (t->shape.size() != t->stride.size())
                throw PickleError{"a tensor whose size and stride differ in length"};
            // torch.load refuses a tensor that reaches past its storage; so do we (and no
            // later size or offset computation can overflow).
            const qint64 end = extentOf(t->offset, t->shape, t->stride);
            checkedMul(storage->numel, 16, "storage size");
            checkedMul(end, 16, "storage offset");
            if (end > storage->numel)
                throw PickleError{"a tensor (storage offset " + std::to_string(t->offset) +
                                  ", shape of " + std::to_string(t->shape.size()) +
                                  " dimensions) reaches past the end of its storage of " +
                                  std::to_string(storage->numel) + " elements"};
            if (args.size() > 4 && args[4]->kind == Value::Kind::Bool)
                t->requiresGrad = args[4]->b;
            ++storage->uses;
            return makeTensor(t);
        }
        if (name == "torch._utils._rebuild_parameter" ||
            name == "torch._utils._rebuild_parameter_with_state") {
            interpreted.insert(name);
            auto inner = tensorOf(arg(0));
            if (!inner)
                return nullptr;
            auto t = std::make_shared<TensorRec>(*inner);
            t->parameter = true;
            t->requiresGrad = arg(1)->kind == Value::Kind::Bool && arg(1)->b;
            return makeTensor(t);
        }
        if (name == "torch._tensor._rebuild_from_type_v2" ||
            name == "torch._tensor._rebuild_from_type") {
            // (func, type, args, state): func is one of the rebuild functions above.
            interpreted.insert(name);
            const ValuePtr func = arg(0);
            const ValuePtr fargs = arg(2);
            if (func->kind == Value::Kind::Global && fargs->kind == Value::Kind::Tuple)
                return call(func->s, fargs->items);
            return nullptr;
        }
        if (name == "torch.Size") {
            interpreted.insert(name);
            auto t = Value::make(Value::Kind::Tuple);
            if (!args.empty() && args[0]->isSequence())
                t->items = args[0]->items;
            return t;
        }
        if (name == "builtins.set" || name == "builtins.frozenset" || name == "__builtin__.set" ||
            name == "__builtin__.frozenset") {
            interpreted.insert(name);
            auto s = Value::make(Value::Kind::Set);
            if (!args.empty() && (args[0]->isSequence() || args[0]->kind == Value::Kind::Set))
                s->items = args[0]->items;
            return s;
        }
        if (name == "_codecs.encode") {
            interpreted.insert(name);
            if (!args.empty() && args[0]->isString())
                return Value::makeString(latin1ToBytes(args[0]->s), Value::Kind::Bytes);
            return nullptr;
        }
        if (name == "builtins.bytearray" || name == "__builtin__.bytearray") {
            interpreted.insert(name);
            if (!args.empty() && (args[0]->kind == Value::Kind::Bytes || args[0]->isString()))
                return Value::makeString(args[0]->s, Value::Kind::Bytes);
            return Value::make(Value::Kind::Bytes);
        }
        if (name == "torch.device") {
            interpreted.insert(name);
            std::string d;
            for (const auto &a : args)
                d += (d.empty() ? "" : ":") + (a->isString() ? a->s : repr(a));
            return Value::makeString(d);
        }
        if (torchScript && name.rfind("torch.jit._pickle.", 0) == 0) {
            // build_intlist, build_tensorlist, restore_type_tag...: identity on their first arg.
            interpreted.insert(name);
            return args.empty() ? Value::make(Value::Kind::None) : args[0];
        }
        return nullptr;
    }

    /// torch.save's zip format: ('storage', storage_type, key, location, numel).
    ValuePtr zipPersistent(const ValuePtr &pid)
    {
        if (!pid->isSequence() || pid->items.size() < 5 || !pid->items[0]->isString() ||
            pid->items[0]->s != "storage")
            throw PickleError{"unsupported persistent id " + repr(pid)};
        return storage(pid->items[1], pid->items[2], pid->items[4], 0);
    }

    /// The legacy format: ('storage', storage_type, root_key, location, numel, view_metadata).
    ValuePtr legacyPersistent(const ValuePtr &pid)
    {
        if (!pid->isSequence() || pid->items.empty() || !pid->items[0]->isString())
            throw PickleError{"unsupported persistent id " + repr(pid)};
        if (pid->items[0]->s == "module") {
            // (type, source file, source): a whole nn.Module class with its source; opaque.
            auto obj = Value::make(Value::Kind::Object);
            obj->s = "module source";
            return obj;
        }
        if (pid->items[0]->s != "storage" || pid->items.size() < 6)
            throw PickleError{"unsupported persistent id " + repr(pid)};
        qint64 viewOffset = 0;
        const ValuePtr view = pid->items[5];
        if (view->isSequence() && view->items.size() >= 2 &&
            view->items[1]->kind == Value::Kind::Int)
            viewOffset = view->items[1]->i;
        if (viewOffset < 0)
            throw PickleError{"a negative storage view offset"};
        return storage(pid->items[1], pid->items[2], pid->items[4], viewOffset);
    }

private:
    ValuePtr storage(const ValuePtr &type, const ValuePtr &key, const ValuePtr &numel,
                     qint64 viewOffset)
    {
        if (type->kind != Value::Kind::Global || !key->isString() ||
            numel->kind != Value::Kind::Int || numel->i < 0)
            throw PickleError{"malformed storage reference in the pickle"};
        const QString dtype = dtypeOfStorage(type->s);
        if (dtype.isEmpty())
            throw PickleError{"unknown storage type " + type->s};
        interpreted.insert(type->s);
        const std::string cacheKey = key->s + "@" + std::to_string(viewOffset);
        if (auto it = storagesByKey.find(cacheKey); it != storagesByKey.end())
            return it->second;
        auto ref = std::make_shared<StorageRef>();
        ref->key = key->s;
        ref->dtype = dtype;
        ref->numel = numel->i;
        ref->viewOffset = viewOffset;
        auto v = Value::make(Value::Kind::Custom);
        v->customType = kStorage;
        v->s = "storage " + key->s;
        v->custom = ref;
        storagesByKey.emplace(cacheKey, v);
        return v;
    }
};

/// Flattens the unpickled tree into tensors and values.
class Walker
{
public:
    CheckpointInfo &info;
    std::vector<std::shared_ptr<TensorRec>> recs; // parallel to info.tensors

    Walker(CheckpointInfo &i, Unpickler &up)
        : info(i), m_up(up),
          m_maxEntries(std::min<qint64>(
              kMaxEntries, kEntriesBase + kEntriesPerValue * qint64(std::min<std::uint64_t>(
                                                                 up.valuesCreated(), kMaxEntries))))
    {}

    /// Throws PickleError (too complex) past the depth, work and entry bounds.
    void walk(const ValuePtr &v, const QString &key, std::uint32_t depth)
    {
        m_up.charge(1);
        checkDepth(depth);
        if (!v)
            return;
        if (auto t = tensorOf(v)) {
            addTensor(t, key);
            return;
        }
        const bool container = v->kind == Value::Kind::Dict || v->isSequence() ||
                               v->kind == Value::Kind::Set || v->kind == Value::Kind::Object;
        if (!container || !hasTensors(v, depth)) {
            addValue(v, key);
            return;
        }
        if (!m_onPath.insert(v.get()).second)
            return; // a cycle
        switch (v->kind) {
        case Value::Kind::Dict:
            for (const auto &[k, x] : v->pairs)
                walk(x, join(key, keyText(k)), depth + 1);
            break;
        case Value::Kind::List:
        case Value::Kind::Tuple:
        case Value::Kind::Set:
            for (std::size_t k = 0; k < v->items.size(); ++k)
                walk(v->items[k], join(key, QString::number(k)), depth + 1);
            break;
        case Value::Kind::Object:
            // A pickled nn.Module: its state holds _parameters/_buffers/_modules dicts. Those
            // names are left out of the path so keys read like a state_dict's.
            if (v->state && v->state->kind == Value::Kind::Dict) {
                for (const auto &[k, x] : v->state->pairs) {
                    const QString name = keyText(k);
                    const bool transparent =
                        name == u"_parameters" || name == u"_buffers" || name == u"_modules";
                    if (hasTensors(x, depth + 1))
                        walk(x, transparent ? key : join(key, name), depth + 1);
                }
            } else if (v->state && hasTensors(v->state, depth + 1)) {
                walk(v->state, key, depth + 1);
            }
            for (std::size_t k = 0; k < v->items.size(); ++k)
                if (hasTensors(v->items[k], depth + 1))
                    walk(v->items[k], join(key, QStringLiteral("<arg%1>").arg(k)), depth + 1);
            for (const auto &[k, x] : v->pairs)
                if (hasTensors(x, depth + 1))
                    walk(x, join(key, k ? keyText(k) : QStringLiteral("<item>")), depth + 1);
            break;
        default:
            break;
        }
        m_onPath.erase(v.get());
    }

private:
    Unpickler &m_up;
    const qint64 m_maxEntries;
    std::unordered_map<const Value *, bool> m_hasTensors;
    std::unordered_set<const Value *> m_onPath;

    // Both walks recurse once per level of the tree, so the depth bound is also their stack
    // bound (values built deeper than that are refused by the Unpickler; a deeper chain made by
    // appending through the memo is refused here).
    void checkDepth(std::uint32_t depth) const
    {
        if (depth > m_up.limits.maxDepth)
            tooComplex("values nested more than " + std::to_string(m_up.limits.maxDepth) +
                       " levels deep");
    }

    void addEntry()
    {
        if (info.tensors.size() + info.values.size() >= m_maxEntries)
            tooComplex("the pickle names more than " + std::to_string(m_maxEntries) +
                       " tensors and values (shared values repeated under many keys)");
    }

    static QString join(const QString &a, const QString &b)
    {
        return a.isEmpty() ? b : a + u'.' + b;
    }

    static QString keyText(const ValuePtr &k)
    {
        if (!k)
            return QStringLiteral("None");
        if (k->isString())
            return QString::fromStdString(k->s);
        return QString::fromStdString(repr(k, 80));
    }

    bool hasTensors(const ValuePtr &v, std::uint32_t depth)
    {
        if (!v)
            return false;
        if (tensorOf(v))
            return true;
        if (auto it = m_hasTensors.find(v.get()); it != m_hasTensors.end())
            return it->second;
        checkDepth(depth);
        m_up.charge(1 + v->items.size() + v->pairs.size());
        m_hasTensors[v.get()] = false; // cycle guard
        bool any = false;
        for (const auto &x : v->items)
            any = any || hasTensors(x, depth + 1);
        for (const auto &[k, x] : v->pairs)
            any = any || hasTensors(x, depth + 1);
        any = any || hasTensors(v->state, depth + 1);
        m_hasTensors[v.get()] = any;
        return any;
    }

    void addTensor(const std::shared_ptr<TensorRec> &t, const QString &key)
    {
        addEntry();
        TensorInfo ti;
        ti.key = key;
        ti.shape = t->shape;
        ti.stride = t->stride;
        ti.storageOffset = t->offset;
        ti.dtype = t->storage->dtype;
        ti.numel = numelOf(t->shape);
        const int es = elementSize(ti.dtype);
        ti.bytes = checkedMul(ti.numel, es, "size in bytes");
        ti.storageKey = QString::fromStdString(t->storage->key);
        ti.storageBytes = checkedMul(t->storage->numel, es, "storage size");
        ti.parameter = t->parameter;
        ti.requiresGrad = t->requiresGrad;
        ti.isView = t->offset != 0 || ti.numel != t->storage->numel;
        info.tensors.append(ti);
        recs.push_back(t);
    }

    void addValue(const ValuePtr &v, const QString &key)
    {
        addEntry();
        ValueInfo vi;
        vi.key = key;
        switch (v->kind) {
        case Value::Kind::None:
            vi.type = QStringLiteral("None");
            break;
        case Value::Kind::Bool:
            vi.type = QStringLiteral("bool");
            break;
        case Value::Kind::Int:
        case Value::Kind::BigInt:
            vi.type = QStringLiteral("int");
            break;
        case Value::Kind::Float:
            vi.type = QStringLiteral("float");
            break;
        case Value::Kind::String:
            vi.type = QStringLiteral("str");
            break;
        case Value::Kind::Bytes:
            vi.type = QStringLiteral("bytes");
            break;
        case Value::Kind::List:
            vi.type = QStringLiteral("list");
            break;
        case Value::Kind::Tuple:
            vi.type = QStringLiteral("tuple");
            break;
        case Value::Kind::Set:
            vi.type = QStringLiteral("set");
            break;
        case Value::Kind::Dict:
            vi.type = QStringLiteral("dict");
            break;
        case Value::Kind::Global:
            vi.type = QStringLiteral("global");
            break;
        case Value::Kind::Object:
            vi.type = QStringLiteral("object");
            break;
        case Value::Kind::Custom:
            vi.type = QString::fromStdString(v->s);
            break;
        }
        vi.repr = QString::fromStdString(repr(v, 200));
        info.values.append(vi);
    }
};

Error corrupt(const QString &path, const QString &what)
{
    return Error::make(
        Error::Code::Integrity,
        QStringLiteral("Cannot inspect %1: the file is truncated or corrupt.").arg(path), what);
}

/// A PickleError as the user sees it: a corrupt file, or one past the inspector's bounds.
Error pickleFailure(const QString &path, const PickleError &e, const QString &where = {})
{
    QString what = QString::fromStdString(e.message);
    if (!where.isEmpty())
        what = where + QStringLiteral(": ") + what;
    if (!e.tooComplex)
        return corrupt(path, what);
    return Error::make(Error::Code::Integrity,
                       QStringLiteral("Cannot inspect %1: the file is too complex to inspect "
                                      "safely. It exceeds the inspector's limits on nesting, "
                                      "size or work, which no ordinary checkpoint reaches; it "
                                      "may be crafted to exhaust memory. Do not load it unless "
                                      "you trust its source.")
                           .arg(path),
                       what);
}

/// The zip side of a checkpoint: entries from the central directory (torchzip.h); stored
/// entries are read in place, deflated ones inflated with zlib.
class ZipAccess
{
public:
    std::filesystem::path file;
    std::vector<TorchZipEntry> entries;

    void index()
    {
        for (const auto &e : entries)
            if (!e.isDirectory)
                m_index.emplace(e.path, &e);
    }

    const TorchZipEntry *find(const std::string &path) const
    {
        auto it = m_index.find(path);
        return it == m_index.end() ? nullptr : it->second;
    }

    /// Bytes [offset, offset+len) of an entry's uncompressed data.
    std::optional<std::string> read(const TorchZipEntry &e, std::uint64_t offset, std::uint64_t len,
                                    std::string *error) const
    {
        if (offset + len > e.size) {
            *error = e.path + " is shorter than expected";
            return std::nullopt;
        }
        if (e.stored) {
            std::ifstream in(file, std::ios::binary);
            in.seekg(static_cast<std::streamoff>(e.dataOffset + offset));
            std::string out(len, '\0');
            in.read(out.data(), static_cast<std::streamsize>(len));
            if (static_cast<std::uint64_t>(in.gcount()) != len) {
                *error = e.path + " runs past the end of the file";
                return std::nullopt;
            }
            return out;
        }
        if (e.method != 8) {
            *error =
                e.path + " uses an unsupported zip compression method " + std::to_string(e.method);
            return std::nullopt;
        }
        // Deflate (a user-zipped legacy checkpoint): inflate from the start up to what is needed.
        std::ifstream in(file, std::ios::binary);
        in.seekg(static_cast<std::streamoff>(e.dataOffset));
        z_stream zs{};
        if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) {
            *error = "cannot initialise zlib";
            return std::nullopt;
        }
        std::string out;
        std::uint64_t produced = 0, consumed = 0;
        std::vector<char> inBuf(1 << 16), outBuf(1 << 16);
        int rc = Z_OK;
        while (produced < offset + len && rc != Z_STREAM_END) {
            if (zs.avail_in == 0) {
                const auto want =
                    std::min<std::uint64_t>(inBuf.size(), e.compressedSize - consumed);
                in.read(inBuf.data(), static_cast<std::streamsize>(want));
                const auto got = static_cast<std::uint64_t>(in.gcount());
                if (got == 0)
                    break;
                consumed += got;
                zs.next_in = reinterpret_cast<Bytef *>(inBuf.data());
                zs.avail_in = static_cast<uInt>(got);
            }
            zs.next_out = reinterpret_cast<Bytef *>(outBuf.data());
            zs.avail_out = static_cast<uInt>(outBuf.size());
            rc = inflate(&zs, Z_NO_FLUSH);
            if (rc != Z_OK && rc != Z_STREAM_END)
                break;
            const std::uint64_t n = outBuf.size() - zs.avail_out;
            const std::uint64_t lo = std::max(produced, offset),
                                hi = std::min(produced + n, offset + len);
            if (lo < hi)
                out.append(outBuf.data() + (lo - produced), hi - lo);
            produced += n;
        }
        inflateEnd(&zs);
        if (out.size() != len) {
            *error = "corrupt compressed data in " + e.path;
            return std::nullopt;
        }
        return out;
    }

private:
    std::unordered_map<std::string, const TorchZipEntry *> m_index;
};

/// Reads byte ranges of storages for --stats.
struct DataSource
{
    // zip formats
    const ZipAccess *zip = nullptr;
    QString prefix;
    // legacy: absolute offsets of each storage's data in `file` (or in `memory`)
    std::map<std::string, std::uint64_t> legacyOffsets;
    std::string memory; // a compressed legacy-zip member, inflated
    bool useMemory = false;
    std::uint64_t base = 0; // legacy data inside a stored zip member
    std::filesystem::path file;

    Result<std::string> read(const QString &path, const std::string &key, std::uint64_t offset,
                             std::uint64_t len) const
    {
        std::uint64_t start = 0;
        if (zip) {
            const std::string entryPath = (prefix + QStringLiteral("/data/")).toStdString() + key;
            const TorchZipEntry *e = zip->find(entryPath);
            if (!e)
                return std::unexpected(corrupt(path, QStringLiteral("storage %1 is missing")
                                                         .arg(QString::fromStdString(entryPath))));
            std::string err;
            auto data = zip->read(*e, offset, len, &err);
            if (!data)
                return std::unexpected(corrupt(path, QString::fromStdString(err)));
            return *data;
        } else {
            auto it = legacyOffsets.find(key);
            if (it == legacyOffsets.end())
                return std::unexpected(corrupt(
                    path,
                    QStringLiteral("storage %1 is missing").arg(QString::fromStdString(key))));
            if (useMemory) {
                if (it->second + offset + len > memory.size())
                    return std::unexpected(
                        corrupt(path, QStringLiteral("storage data runs past the end")));
                return memory.substr(it->second + offset, len);
            }
            start = base + it->second + offset;
        }
        std::ifstream in(file, std::ios::binary);
        in.seekg(static_cast<std::streamoff>(start));
        std::string out(len, '\0');
        in.read(out.data(), static_cast<std::streamsize>(len));
        if (static_cast<std::uint64_t>(in.gcount()) != len)
            return std::unexpected(
                corrupt(path, QStringLiteral("tensor data runs past the end of the file")));
        return out;
    }
};

const std::string kLegacyMagic("\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19", 10);

/// Parses a legacy checkpoint from `in` in [start, end). Fills offsets relative to `start`.
Result<ValuePtr> parseLegacy(const QString &path, std::istream &in, std::uint64_t start,
                             std::uint64_t end, Unpickler &up, TorchHooks &hooks, DataSource &src,
                             bool *littleEndian)
{
    try {
        ByteInput bi(in, start, end);
        ValuePtr magic = up.load(bi);
        if (magic->kind != Value::Kind::BigInt || magic->s != kLegacyMagic)
            return fail(Error::Code::Integrity,
                        QStringLiteral("%1 is not a PyTorch checkpoint (neither the zip format of "
                                       "torch.save nor its legacy format).")
                            .arg(path),
                        QStringLiteral("invalid magic number"));
        ValuePtr protocol = up.load(bi);
        if (protocol->kind != Value::Kind::Int || protocol->i != 1001)
            return fail(Error::Code::Integrity,
                        QStringLiteral("%1 uses an unsupported legacy protocol.").arg(path),
                        QString::fromStdString(repr(protocol)));
        ValuePtr sysInfo = up.load(bi);
        if (sysInfo->kind == Value::Kind::Dict) {
            for (const auto &[k, v] : sysInfo->pairs)
                if (k->isString() && k->s == "little_endian" && v->kind == Value::Kind::Bool)
                    *littleEndian = v->b;
        }
        up.globals.clear();
        up.onPersistentId = [&](const ValuePtr &pid) { return hooks.legacyPersistent(pid); };
        ValuePtr root = up.load(bi);
        up.onPersistentId = nullptr;
        ValuePtr keys = up.load(bi);
        if (keys->kind != Value::Kind::List)
            throw PickleError{"the storage key list is missing"};
        // Each storage: an int64 element count, then the raw elements. Only the counts are read.
        std::unordered_map<std::string, std::shared_ptr<StorageRef>> byKey;
        for (const auto &[ck, v] : hooks.storagesByKey)
            if (auto s = storageOf(v))
                byKey[s->key] = s;
        for (const auto &k : keys->items) {
            if (!k->isString())
                throw PickleError{"a storage key that is not a string"};
            const std::shared_ptr<StorageRef> ref = byKey[k->s];
            if (!ref)
                throw PickleError{"storage " + k->s + " is listed but never used"};
            const std::string countBytes = bi.bytes(8);
            std::uint64_t count = 0;
            for (std::size_t b = 8; b-- > 0;)
                count = count << 8 | static_cast<unsigned char>(countBytes[b]);
            // The file's element count must cover what the pickle promised its tensors.
            if (count < static_cast<std::uint64_t>(ref->numel))
                throw PickleError{"storage " + k->s +
                                  " holds fewer elements than its tensors need"};
            if (count > (std::uint64_t(1) << 59))
                throw PickleError{"storage " + k->s + " has an implausible element count"};
            const std::uint64_t bytes = count * static_cast<std::uint64_t>(elementSize(ref->dtype));
            src.legacyOffsets[k->s] = bi.pos() - start;
            if (bytes > bi.remaining())
                throw PickleError{"storage " + k->s +
                                  " runs past the end of the file (truncated file?)"};
            bi.seek(bi.pos() + bytes);
        }
        return root;
    } catch (const PickleError &e) {
        return std::unexpected(pickleFailure(path, e));
    }
}

bool isLegacyStart(const std::string &head)
{
    // PROTO n, LONG1 10, magic
    return head.size() >= 14 && static_cast<unsigned char>(head[0]) == 0x80 &&
           static_cast<unsigned char>(head[2]) == 0x8a && head[3] == 10 &&
           head.substr(4, 10) == kLegacyMagic;
}

} // namespace

int elementSize(const QString &dtype)
{
    static const QMap<QString, int> sizes{
        {QStringLiteral("float32"), 4},   {QStringLiteral("float64"), 8},
        {QStringLiteral("float16"), 2},   {QStringLiteral("bfloat16"), 2},
        {QStringLiteral("int64"), 8},     {QStringLiteral("int32"), 4},
        {QStringLiteral("int16"), 2},     {QStringLiteral("int8"), 1},
        {QStringLiteral("uint8"), 1},     {QStringLiteral("bool"), 1},
        {QStringLiteral("complex64"), 8}, {QStringLiteral("complex128"), 16},
        {QStringLiteral("qint8"), 1},     {QStringLiteral("quint8"), 1},
        {QStringLiteral("qint32"), 4},    {QStringLiteral("quint4x2"), 1},
        {QStringLiteral("quint2x4"), 1},
    };
    return sizes.value(dtype, 0);
}

Result<CheckpointInfo> inspectCheckpoint(const QString &path, const InspectOptions &options)
{
    CheckpointInfo info;
    info.path = path;
    info.byteorder = QStringLiteral("little");
    const QFileInfo fi(path);
    if (!fi.exists())
        return fail(Error::Code::NotFound, QStringLiteral("No such file: %1").arg(path));
    if (!fi.isFile())
        return fail(Error::Code::InvalidArgument, QStringLiteral("%1 is not a file.").arg(path));
    info.fileSize = fi.size();
    const std::filesystem::path fsPath(path.toStdString());

    std::ifstream file(fsPath, std::ios::binary);
    if (!file)
        return fail(Error::Code::Io, QStringLiteral("Cannot open %1 for reading.").arg(path));
    std::string head(16, '\0');
    file.read(head.data(), 16);
    head.resize(static_cast<std::size_t>(file.gcount()));
    file.clear();

    Unpickler up;
    up.limits = options.limits;
    TorchHooks hooks;
    up.onCall = [&](const std::string &n, const std::vector<ValuePtr> &a) {
        return hooks.call(n, a);
    };
    DataSource src;
    src.file = fsPath;
    ValuePtr root;
    bool littleEndian = true;
    std::unique_ptr<ZipAccess> zip;

    if (head.rfind("PK", 0) == 0) {
        std::string err;
        auto entries = readZipDirectory(fsPath, &err);
        if (!entries)
            return std::unexpected(corrupt(path, QString::fromStdString(err)));
        zip = std::make_unique<ZipAccess>();
        zip->file = fsPath;
        zip->entries = std::move(*entries);
        zip->index();
        // Find <prefix>/data.pkl; the prefix is the archive name torch.save chose.
        const TorchZipEntry *pkl = nullptr;
        std::vector<const TorchZipEntry *> files;
        for (const auto &e : zip->entries) {
            if (e.isDirectory)
                continue;
            files.push_back(&e);
            const auto slash = e.path.find('/');
            if (slash != std::string::npos && e.path.substr(slash) == "/data.pkl" &&
                (!pkl || e.path.size() < pkl->path.size()))
                pkl = &e;
        }
        if (pkl) {
            info.archivePrefix = QString::fromStdString(pkl->path.substr(0, pkl->path.find('/')));
            const std::string p = info.archivePrefix.toStdString();
            hooks.torchScript = zip->find(p + "/constants.pkl") != nullptr;
            info.format = hooks.torchScript ? QStringLiteral("torchscript") : QStringLiteral("zip");
            auto small = [&](const std::string &name) {
                const TorchZipEntry *e = zip->find(p + "/" + name);
                std::string ignored;
                auto d = e && e->size < 64 ? zip->read(*e, 0, e->size, &ignored) : std::nullopt;
                return d ? QString::fromStdString(*d).trimmed() : QString();
            };
            if (const QString bo = small("byteorder"); !bo.isEmpty())
                info.byteorder = bo;
            info.version = small("version");
            if (pkl->size > kMaxPickleBytes)
                return std::unexpected(
                    corrupt(path, QStringLiteral("data.pkl is implausibly large")));
            auto data = zip->read(*pkl, 0, pkl->size, &err);
            if (!data)
                return std::unexpected(corrupt(path, QString::fromStdString(err)));
            std::istringstream in(std::move(*data));
            try {
                ByteInput bi(in, 0, pkl->size);
                up.onPersistentId = [&](const ValuePtr &pid) { return hooks.zipPersistent(pid); };
                root = up.load(bi);
            } catch (const PickleError &e) {
                return std::unexpected(pickleFailure(path, e, QString::fromStdString(pkl->path)));
            }
            // The storages must be there with the sizes the pickle promises (sizes only).
            for (const auto &[ck, v] : hooks.storagesByKey) {
                auto s = storageOf(v);
                const std::string entryPath = p + "/data/" + s->key;
                const TorchZipEntry *e = zip->find(entryPath);
                // numel * element size fits: the tensor hook checked numel * 16.
                const auto need = static_cast<std::uint64_t>(s->numel) *
                                  static_cast<std::uint64_t>(elementSize(s->dtype));
                if (!e)
                    return std::unexpected(
                        corrupt(path, QStringLiteral("storage %1 is missing")
                                          .arg(QString::fromStdString(entryPath))));
                if (e->size < need)
                    return std::unexpected(corrupt(
                        path, QStringLiteral("storage %1 holds %2 bytes, its tensors need %3")
                                  .arg(QString::fromStdString(entryPath))
                                  .arg(e->size)
                                  .arg(need)));
                if (e->stored &&
                    (e->dataOffset > static_cast<std::uint64_t>(info.fileSize) ||
                     e->size > static_cast<std::uint64_t>(info.fileSize) - e->dataOffset))
                    return std::unexpected(
                        corrupt(path, QStringLiteral("storage %1 runs past the end of the file")
                                          .arg(QString::fromStdString(entryPath))));
                info.storageBytes += static_cast<qint64>(e->size);
            }
            src.zip = zip.get();
            src.prefix = info.archivePrefix;
        } else if (files.size() == 1) {
            // torch.hub's legacy single-file zip: one member holding a legacy checkpoint.
            const TorchZipEntry *member = files.front();
            info.format = QStringLiteral("legacy-zip");
            info.archivePrefix = QString::fromStdString(member->path);
            std::uint64_t start = 0, end = 0;
            std::unique_ptr<std::istringstream> mem;
            std::istream *stream = &file;
            if (member->stored) {
                start = member->dataOffset;
                end = member->dataOffset + member->size;
                if (start > static_cast<std::uint64_t>(info.fileSize) ||
                    member->size > static_cast<std::uint64_t>(info.fileSize) - start)
                    return std::unexpected(
                        corrupt(path, QStringLiteral("%1 runs past the end of the file")
                                          .arg(info.archivePrefix)));
                src.base = start;
            } else {
                auto data = zip->read(*member, 0, member->size, &err);
                if (!data)
                    return std::unexpected(corrupt(path, QString::fromStdString(err)));
                src.memory = *data;
                src.useMemory = true;
                mem = std::make_unique<std::istringstream>(std::move(*data));
                stream = mem.get();
                end = member->size;
            }
            auto r = parseLegacy(path, *stream, start, end, up, hooks, src, &littleEndian);
            if (!r)
                return std::unexpected(r.error());
            root = *r;
        } else {
            return fail(Error::Code::Integrity,
                        QStringLiteral("%1 is a zip archive but not a PyTorch checkpoint (no "
                                       "data.pkl, and not a single-file legacy zip).")
                            .arg(path));
        }
    } else if (isLegacyStart(head) ||
               (!head.empty() && static_cast<unsigned char>(head[0]) == 0x80)) {
        info.format = QStringLiteral("legacy");
        auto r = parseLegacy(path, file, 0, static_cast<std::uint64_t>(info.fileSize), up, hooks,
                             src, &littleEndian);
        if (!r)
            return std::unexpected(r.error());
        root = *r;
    } else {
        return fail(Error::Code::Integrity,
                    QStringLiteral("%1 is not a PyTorch checkpoint (neither the zip format of "
                                   "torch.save nor its legacy format).")
                        .arg(path));
    }
    if (!littleEndian)
        info.byteorder = QStringLiteral("big");

    for (const auto &g : up.globals) {
        const QString name = QString::fromStdString(g);
        info.globals << name;
        const bool safe = hooks.interpreted.contains(g) || isDtypeGlobal(g) ||
                          !dtypeOfStorage(g).isEmpty() || g == "torch.nn.parameter.Parameter" ||
                          g == "torch.Tensor" ||
                          (hooks.torchScript && g.rfind("__torch__.", 0) == 0);
        if (!safe)
            info.unsafeGlobals << name;
    }

    Walker walker(info, up);
    try {
        walker.walk(root, QString(), 0);

        // Sharing, totals.
        std::map<std::string, int> users;
        for (const auto &r : walker.recs)
            ++users[r->storage->key];
        std::set<std::string> legacyKeysSeen;
        for (qsizetype k = 0; k < info.tensors.size(); ++k) {
            TensorInfo &t = info.tensors[k];
            const auto &rec = walker.recs[static_cast<std::size_t>(k)];
            // Shared: another tensor (or another view) refers to the same storage key.
            t.sharedStorage = users[rec->storage->key] > 1;
            info.totalParams = checkedAdd(info.totalParams, t.numel, "total element count");
            info.totalBytes = checkedAdd(info.totalBytes, t.bytes, "total size");
            info.bytesPerDtype[t.dtype] =
                checkedAdd(info.bytesPerDtype[t.dtype], t.bytes, "total size");
            info.paramsPerDtype[t.dtype] =
                checkedAdd(info.paramsPerDtype[t.dtype], t.numel, "total element count");
            if (!zip || info.format == u"legacy-zip") {
                if (legacyKeysSeen.insert(rec->storage->key).second)
                    info.storageBytes =
                        checkedAdd(info.storageBytes, t.storageBytes, "total storage size");
            }
        }
    } catch (const PickleError &e) {
        return std::unexpected(pickleFailure(path, e));
    }

    if (options.stats) {
        QList<QRegularExpression> patterns;
        for (const QString &p : options.statsKeys)
            patterns << QRegularExpression(QRegularExpression::wildcardToRegularExpression(
                p, QRegularExpression::UnanchoredWildcardConversion));
        auto selected = [&](const QString &key) {
            if (patterns.isEmpty())
                return true;
            for (const auto &re : patterns)
                if (re.match(key).hasMatch())
                    return true;
            return false;
        };
        qint64 total = 0, done = 0;
        for (const TensorInfo &t : info.tensors)
            total += selected(t.key) ? t.bytes : 0;
        for (qsizetype k = 0; k < info.tensors.size(); ++k) {
            TensorInfo &t = info.tensors[k];
            if (!selected(t.key))
                continue;
            if (options.cancelled && options.cancelled())
                return fail(Error::Code::Cancelled, QStringLiteral("Cancelled."));
            const int es = elementSize(t.dtype);
            if (es == 0) {
                t.statsError = QStringLiteral("no statistics for dtype %1").arg(t.dtype);
                continue;
            }
            // The tensor hook checked that offset + extent fits in its storage and that its
            // byte counts fit in 64 bits, so nothing here can wrap.
            qint64 extent = 0;
            try {
                extent = extentOf(t.storageOffset, t.shape, t.stride) - t.storageOffset;
                checkedMul(t.storageOffset, es, "storage offset");
            } catch (const PickleError &e) {
                return std::unexpected(pickleFailure(path, e));
            }
            const std::uint64_t len =
                static_cast<std::uint64_t>(extent) * static_cast<std::uint64_t>(es);
            if (len > kMaxStatsSpan || t.numel > kMaxStatsElements) {
                t.statsError = QStringLiteral("tensor too large for statistics");
                continue;
            }
            auto data = src.read(
                path, walker.recs[static_cast<std::size_t>(k)]->storage->key,
                static_cast<std::uint64_t>(t.storageOffset) * static_cast<std::uint64_t>(es), len);
            if (!data)
                return std::unexpected(data.error());
            TensorStats st;
            QString why;
            if (computeStats(*data, t.dtype, t.shape, t.stride, info.byteorder == u"big", &st,
                             &why))
                t.stats = st;
            else
                t.statsError = why;
            done += t.bytes;
            if (options.progress)
                options.progress(done, total);
        }
    }
    return info;
}

QJsonObject toJson(const CheckpointInfo &info)
{
    auto ints = [](const std::vector<qint64> &v) {
        QJsonArray a;
        for (qint64 x : v)
            a.append(x);
        return a;
    };
    auto num = [](double d) { return std::isfinite(d) ? QJsonValue(d) : QJsonValue(); };
    QJsonArray tensors;
    for (const TensorInfo &t : info.tensors) {
        QJsonObject o{{QStringLiteral("key"), t.key},
                      {QStringLiteral("shape"), ints(t.shape)},
                      {QStringLiteral("stride"), ints(t.stride)},
                      {QStringLiteral("storage_offset"), t.storageOffset},
                      {QStringLiteral("dtype"), t.dtype},
                      {QStringLiteral("numel"), t.numel},
                      {QStringLiteral("bytes"), t.bytes},
                      {QStringLiteral("storage"), t.storageKey},
                      {QStringLiteral("storage_bytes"), t.storageBytes},
                      {QStringLiteral("shared_storage"), t.sharedStorage},
                      {QStringLiteral("view"), t.isView},
                      {QStringLiteral("parameter"), t.parameter},
                      {QStringLiteral("requires_grad"), t.requiresGrad}};
        if (t.stats) {
            o.insert(QStringLiteral("stats"),
                     QJsonObject{{QStringLiteral("count"), t.stats->count},
                                 {QStringLiteral("min"), num(t.stats->min)},
                                 {QStringLiteral("max"), num(t.stats->max)},
                                 {QStringLiteral("mean"), num(t.stats->mean)},
                                 {QStringLiteral("std"), num(t.stats->std)},
                                 {QStringLiteral("nan"), t.stats->nanCount},
                                 {QStringLiteral("inf"), t.stats->infCount}});
        } else if (!t.statsError.isEmpty()) {
            o.insert(QStringLiteral("stats_error"), t.statsError);
        }
        tensors.append(o);
    }
    QJsonArray values;
    for (const ValueInfo &v : info.values)
        values.append(QJsonObject{{QStringLiteral("key"), v.key},
                                  {QStringLiteral("type"), v.type},
                                  {QStringLiteral("repr"), v.repr}});
    QJsonObject perDtype;
    for (auto it = info.bytesPerDtype.begin(); it != info.bytesPerDtype.end(); ++it)
        perDtype.insert(
            it.key(), QJsonObject{{QStringLiteral("bytes"), it.value()},
                                  {QStringLiteral("params"), info.paramsPerDtype.value(it.key())}});
    return QJsonObject{
        {QStringLiteral("path"), info.path},
        {QStringLiteral("format"), info.format},
        {QStringLiteral("file_size"), info.fileSize},
        {QStringLiteral("archive_prefix"), info.archivePrefix},
        {QStringLiteral("byteorder"), info.byteorder},
        {QStringLiteral("version"), info.version},
        {QStringLiteral("tensors"), tensors},
        {QStringLiteral("values"), values},
        {QStringLiteral("total_params"), info.totalParams},
        {QStringLiteral("total_bytes"), info.totalBytes},
        {QStringLiteral("storage_bytes"), info.storageBytes},
        {QStringLiteral("dtypes"), perDtype},
        {QStringLiteral("globals"), QJsonArray::fromStringList(info.globals)},
        {QStringLiteral("unsafe_globals"), QJsonArray::fromStringList(info.unsafeGlobals)},
        {QStringLiteral("warnings"), QJsonArray::fromStringList(info.warnings)}};
}

CheckpointInfo checkpointInfoFromJson(const QJsonObject &doc)
{
    auto ints = [](const QJsonValue &v) {
        std::vector<qint64> out;
        for (const QJsonValue &x : v.toArray())
            out.push_back(x.toInteger());
        return out;
    };
    auto num = [](const QJsonValue &v) {
        return v.isDouble() ? v.toDouble() : std::numeric_limits<double>::quiet_NaN();
    };
    auto strings = [](const QJsonValue &v) {
        QStringList out;
        for (const QJsonValue &x : v.toArray())
            out << x.toString();
        return out;
    };
    CheckpointInfo info;
    info.path = doc[u"path"].toString();
    info.format = doc[u"format"].toString();
    info.fileSize = doc[u"file_size"].toInteger();
    info.archivePrefix = doc[u"archive_prefix"].toString();
    info.byteorder = doc[u"byteorder"].toString();
    info.version = doc[u"version"].toString();
    for (const QJsonValue &tv : doc[u"tensors"].toArray()) {
        const QJsonObject o = tv.toObject();
        TensorInfo t;
        t.key = o[u"key"].toString();
        t.shape = ints(o[u"shape"]);
        t.stride = ints(o[u"stride"]);
        t.storageOffset = o[u"storage_offset"].toInteger();
        t.dtype = o[u"dtype"].toString();
        t.numel = o[u"numel"].toInteger();
        t.bytes = o[u"bytes"].toInteger();
        t.storageKey = o[u"storage"].toString();
        t.storageBytes = o[u"storage_bytes"].toInteger();
        t.sharedStorage = o[u"shared_storage"].toBool();
        t.isView = o[u"view"].toBool();
        t.parameter = o[u"parameter"].toBool();
        t.requiresGrad = o[u"requires_grad"].toBool();
        if (o.contains(u"stats")) {
            const QJsonObject so = o[u"stats"].toObject();
            TensorStats st;
            st.count = so[u"count"].toInteger();
            st.min = num(so[u"min"]);
            st.max = num(so[u"max"]);
            st.mean = num(so[u"mean"]);
            st.std = num(so[u"std"]);
            st.nanCount = so[u"nan"].toInteger();
            st.infCount = so[u"inf"].toInteger();
            t.stats = st;
        }
        t.statsError = o[u"stats_error"].toString();
        info.tensors.append(std::move(t));
    }
    for (const QJsonValue &vv : doc[u"values"].toArray()) {
        const QJsonObject o = vv.toObject();
        info.values.append(
            ValueInfo{o[u"key"].toString(), o[u"type"].toString(), o[u"repr"].toString()});
    }
    info.totalParams = doc[u"total_params"].toInteger();
    info.totalBytes = doc[u"total_bytes"].toInteger();
    info.storageBytes = doc[u"storage_bytes"].toInteger();
    const QJsonObject perDtype = doc[u"dtypes"].toObject();
    for (auto it = perDtype.begin(); it != perDtype.end(); ++it) {
        info.bytesPerDtype.insert(it.key(), it.value()[u"bytes"].toInteger());
        info.paramsPerDtype.insert(it.key(), it.value()[u"params"].toInteger());
    }
    info.globals = strings(doc[u"globals"]);
    info.unsafeGlobals = strings(doc[u"unsafe_globals"]);
    info.warnings = strings(doc[u"warnings"]);
    return info;
}

} // namespace hubcap::inspect
