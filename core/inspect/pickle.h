#pragma once

// A restricted reader of Python pickles, for inspecting torch.save files without Python.
// It interprets the opcodes torch.save emits (protocols 0-5 as far as data goes) and builds a
// tree of Values. It never calls anything: a GLOBAL becomes a Global value, REDUCE/NEWOBJ on it
// become an Object value that records the callable and its arguments. Which globals mean tensors,
// storages and ordered dicts is decided by the caller (checkpoint.cpp), through the hooks below.
// Malformed input is an error (PickleError), never undefined behaviour: every length is checked
// against the input, memo and stack accesses are bounds-checked.
//
// Hostile input is bounded (PickleLimits): nesting depth, items per container, memo entries,
// the memory the value tree may take and the total work per pickle. Nothing here recurses on
// the input's structure: parsing is a stack machine, a Value's destructor takes its children
// apart iteratively (a 300,000-deep tuple is freed without 300,000 nested destructor calls), and
// repr() stops at a fixed depth. The reference cycles a pickle can build through the memo
// (a list appended to itself) are broken when the Unpickler is destroyed.

#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace hubcap::inspect {

struct Value;
using ValuePtr = std::shared_ptr<Value>;

/// One unpickled value. Containers hold shared pointers because the memo shares them.
struct Value
{
    Value() = default;
    Value(const Value &) = delete;
    Value &operator=(const Value &) = delete;
    /// Frees the children without recursion (see the file comment).
    ~Value();

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
    /// Nesting height as built (1 for a leaf); checked against PickleLimits::maxDepth.
    std::uint32_t height = 1;
    bool mutated = false; ///< target of APPEND/SETITEM/BUILD: may be part of a cycle

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

/// Thrown by Unpickler on malformed input. `tooComplex`: the input is well-formed as far as
/// read but exceeds a PickleLimits bound (reported as "too complex to inspect safely").
struct PickleError
{
    std::string message;
    bool tooComplex = false;
};

/// Bounds on one pickle. The defaults are generous for real checkpoints (a torch.save state
/// dict costs about 11 values, 8 memo entries, 18 container items, 32 opcodes and ~1.7 KB of
/// tree per tensor, so about 2 million tensors fit) and keep a hostile file to a few GB at most
/// and a few seconds of work.
struct PickleLimits
{
    std::uint32_t maxDepth = 1000;       ///< nesting of containers (and of MARKs)
    std::uint64_t maxItems = 10'000'000; ///< items in one container (and on the stack)
    std::uint64_t maxMemo = 32'000'000;  ///< memo entries
    std::uint64_t maxBytes = 4ull << 30; ///< estimated memory of the value tree
    std::uint64_t maxWork = 300'000'000; ///< opcodes plus items copied and visited
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

    Unpickler() = default;
    Unpickler(const Unpickler &) = delete;
    Unpickler &operator=(const Unpickler &) = delete;
    /// Breaks the reference cycles of the values it built: values returned by load() must not
    /// be used after the Unpickler is gone.
    ~Unpickler();

    CallHook onCall;
    PersistentHook onPersistentId;
    /// Every GLOBAL/STACK_GLOBAL seen, in order of first appearance ("module.name").
    std::vector<std::string> globals;
    PickleLimits limits;

    /// Reads one pickle (up to STOP) from `in`; throws PickleError. The work and memory
    /// budgets of `limits` are shared by every load() on this Unpickler (one file).
    ValuePtr load(ByteInput &in);

    /// Values created so far (small ints, None and bools are shared and not counted).
    std::uint64_t valuesCreated() const { return m_values; }
    /// Charges `units` of work to the budget; throws PickleError (tooComplex) past it.
    void charge(std::uint64_t units);

private:
    std::vector<ValuePtr> m_mutated; ///< containers that may be part of a cycle
    std::unordered_set<std::string> m_globalSet;
    std::uint64_t m_values = 0, m_work = 0, m_bytes = 0;
};

/// Throws the PickleError for a bound that was exceeded ("too complex to inspect safely").
[[noreturn]] void tooComplex(const std::string &what);

/// Python-like repr of a value, shortened past `maxChars`.
std::string repr(const ValuePtr &v, std::size_t maxChars = 200);

} // namespace hubcap::inspect
