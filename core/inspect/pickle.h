#pragma once

// A restricted reader of Python pickles, for inspecting torch.save files without Python.
// It interprets the opcodes torch.save emits (protocols 0-5 as far as data goes) and builds a
// tree of Values. It never calls anything: a GLOBAL becomes a Global value, REDUCE/NEWOBJ on it
// become an Object value that records the callable and its arguments. Which globals mean tensors,
// storages and ordered dicts is decided by the caller (checkpoint.cpp), through the hooks below.
// Malformed input is an error (PickleError), never undefined behaviour: every length is checked
// against the input, memo and stack accesses are bounds-checked.

#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace hubcap::inspect {

struct Value;
using ValuePtr = std::shared_ptr<Value>;

/// One unpickled value. Containers hold shared pointers because the memo shares them.
struct Value
{
    enum class Kind {
        None,
        Bool,
        Int,    ///< fits in int64: `i`
        BigInt, ///< larger: little-endian two's complement bytes in `s`
        Float,  ///< `f`
        String, ///< UTF-8 in `s`
        Bytes,  ///< raw in `s`
        List,   ///< `items`
        Tuple,  ///< `items`
        Set,    ///< `items` (set and frozenset)
        Dict,   ///< `pairs`, in insertion order (dict and OrderedDict)
        Global, ///< a module.name reference in `s`; never resolved
        Object, ///< the result of calling a Global that was not interpreted: callable name in
                ///< `s`, arguments in `items`, BUILD state in `state`
        Custom, ///< produced by a hook (tensor, storage); `custom` is the hook's payload
    };

    Kind kind = Kind::None;
    bool b = false;
    std::int64_t i = 0;
    double f = 0;
    std::string s;
    std::vector<ValuePtr> items;
    std::vector<std::pair<ValuePtr, ValuePtr>> pairs;
    ValuePtr state;
    std::shared_ptr<void> custom;
    int customType = 0; ///< hook-defined tag for `custom`

    static ValuePtr make(Kind k)
    {
        auto v = std::make_shared<Value>();
        v->kind = k;
        return v;
    }
    static ValuePtr makeInt(std::int64_t x)
    {
        auto v = make(Kind::Int);
        v->i = x;
        return v;
    }
    static ValuePtr makeString(std::string x, Kind k = Kind::String)
    {
        auto v = make(k);
        v->s = std::move(x);
        return v;
    }
    bool isString() const { return kind == Kind::String; }
    bool isSequence() const { return kind == Kind::List || kind == Kind::Tuple; }
};

/// Thrown by Unpickler on malformed input.
struct PickleError
{
    std::string message;
};

/// A bounded reader over an istream (data.pkl in memory, or a range of a legacy file).
class ByteInput
{
public:
    ByteInput(std::istream &in, std::uint64_t start, std::uint64_t end);
    std::uint64_t pos() const { return m_pos; }
    std::uint64_t remaining() const { return m_end - m_pos; }
    std::uint8_t byte();
    std::string bytes(std::uint64_t n);
    std::string line(); ///< up to '\n' (text opcodes of protocol 0)
    void seek(std::uint64_t pos);

private:
    std::istream &m_in;
    std::uint64_t m_pos, m_end;
};

class Unpickler
{
public:
    /// Called for REDUCE and NEWOBJ on a Global named `name` ("module.name"). Returns a value to
    /// replace the call, or nullptr to record an opaque Object instead.
    using CallHook =
        std::function<ValuePtr(const std::string &name, const std::vector<ValuePtr> &args)>;
    /// Called for BINPERSID/PERSID with the persistent id.
    using PersistentHook = std::function<ValuePtr(const ValuePtr &pid)>;

    CallHook onCall;
    PersistentHook onPersistentId;
    /// Every GLOBAL/STACK_GLOBAL seen, in order of first appearance ("module.name").
    std::vector<std::string> globals;

    /// Reads one pickle (up to STOP) from `in`; throws PickleError.
    ValuePtr load(ByteInput &in);
};

/// Python-like repr of a value, shortened past `maxChars`.
std::string repr(const ValuePtr &v, std::size_t maxChars = 200);

} // namespace hubcap::inspect
