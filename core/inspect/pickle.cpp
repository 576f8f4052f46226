#include "core/inspect/pickle.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <unordered_map>

namespace hubcap::inspect {

namespace {

[[noreturn]] void bad(const std::string &msg)
{
    throw PickleError{msg};
}

constexpr std::size_t kMaxLine = 1 << 16;
constexpr std::uint64_t kMaxBytesValue = 1ull << 30; // one str/bytes value
// Estimated heap bytes, for PickleLimits::maxBytes: a Value with its control block, one
// container slot, one pair, a memo entry in the dense table or in the sparse map.
constexpr std::uint64_t kValueBytes = sizeof(Value) + 32;
constexpr std::uint64_t kSlotBytes = sizeof(ValuePtr);
constexpr std::uint64_t kDenseMemoBytes = sizeof(ValuePtr);
constexpr std::uint64_t kSparseMemoBytes = 64;

std::uint64_t le(const std::string &b)
{
    std::uint64_t v = 0;
    for (std::size_t k = b.size(); k-- > 0;)
        v = v << 8 | static_cast<unsigned char>(b[k]);
    return v;
}

ValuePtr longFromBytes(const std::string &b)
{
    if (b.empty())
        return Value::makeInt(0);
    if (b.size() <= 8) {
        std::uint64_t u = le(b);
        // Sign-extend from the top byte.
        if (b.size() < 8 && (static_cast<unsigned char>(b.back()) & 0x80))
            u |= ~std::uint64_t(0) << (8 * b.size());
        return Value::makeInt(static_cast<std::int64_t>(u));
    }
    return Value::makeString(b, Value::Kind::BigInt);
}

ValuePtr intFromText(std::string t)
{
    while (!t.empty() && (t.back() == 'L' || t.back() == '\r'))
        t.pop_back();
    if (t == "01") {
        auto v = Value::make(Value::Kind::Bool);
        v->b = true;
        return v;
    }
    if (t == "00")
        return Value::make(Value::Kind::Bool);
    std::int64_t x = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
    if (ec == std::errc() && p == t.data() + t.size())
        return Value::makeInt(x);
    // Too large for int64: keep the digits as text.
    return Value::makeString(t, Value::Kind::BigInt);
}

} // namespace

ByteInput::ByteInput(std::istream &in, std::uint64_t start, std::uint64_t end)
    : m_in(in), m_pos(start), m_end(end)
{
    m_in.clear();
    m_in.seekg(static_cast<std::streamoff>(start));
}

void ByteInput::seek(std::uint64_t pos)
{
    if (pos > m_end)
        bad("seek past the end of the data");
    m_pos = pos;
    m_in.clear();
    m_in.seekg(static_cast<std::streamoff>(pos));
}

std::uint8_t ByteInput::byte()
{
    if (m_pos >= m_end)
        bad("unexpected end of data (truncated file?)");
    const int c = m_in.get();
    if (c == std::char_traits<char>::eof())
        bad("unexpected end of file (truncated file?)");
    ++m_pos;
    return static_cast<std::uint8_t>(c);
}

std::string ByteInput::bytes(std::uint64_t n)
{
    if (n > remaining())
        bad("a length of " + std::to_string(n) +
            " bytes runs past the end of the data (truncated or corrupt file?)");
    if (n > kMaxBytesValue)
        tooComplex("a string of " + std::to_string(n) + " bytes");
    std::string out(static_cast<std::size_t>(n), '\0');
    m_in.read(out.data(), static_cast<std::streamsize>(n));
    if (static_cast<std::uint64_t>(m_in.gcount()) != n)
        bad("unexpected end of file (truncated file?)");
    m_pos += n;
    return out;
}

std::string ByteInput::line()
{
    std::string out;
    for (;;) {
        const auto c = static_cast<char>(byte());
        if (c == '\n')
            return out;
        out += c;
        if (out.size() > kMaxLine)
            bad("text line too long in pickle");
    }
}

Value::~Value()
{
    // Children whose last owner is this value are taken apart here, in a loop, before they are
    // released: their own destructors then find nothing to free. A deep tree costs a vector of
    // pointers instead of one stack frame per level.
    std::vector<ValuePtr> pending;
    auto takeChildren = [&pending](Value &v) {
        for (auto &x : v.items)
            pending.push_back(std::move(x));
        v.items.clear();
        for (auto &[k, x] : v.pairs) {
            pending.push_back(std::move(k));
            pending.push_back(std::move(x));
        }
        v.pairs.clear();
        if (v.state)
            pending.push_back(std::move(v.state));
    };
    takeChildren(*this);
    while (!pending.empty()) {
        ValuePtr v = std::move(pending.back());
        pending.pop_back();
        if (v && v.use_count() == 1)
            takeChildren(*v);
    }
}

void tooComplex(const std::string &what)
{
    throw PickleError{"too complex to inspect safely: " + what, true};
}

Unpickler::~Unpickler()
{
    // A cycle needs a container that was changed after it was built; emptying those frees
    // every cycle (the values are then destroyed iteratively, see ~Value).
    std::vector<ValuePtr> loose;
    for (auto &v : m_mutated) {
        for (auto &x : v->items)
            loose.push_back(std::move(x));
        v->items.clear();
        for (auto &[k, x] : v->pairs) {
            loose.push_back(std::move(k));
            loose.push_back(std::move(x));
        }
        v->pairs.clear();
        if (v->state)
            loose.push_back(std::move(v->state));
    }
    m_mutated.clear();
}

void Unpickler::charge(std::uint64_t units)
{
    m_work += units;
    if (m_work > limits.maxWork)
        tooComplex("the pickle needs more than " + std::to_string(limits.maxWork) +
                   " steps to read");
}

ValuePtr Unpickler::load(ByteInput &in)
{
    std::vector<ValuePtr> stack;
    std::vector<std::size_t> marks;
    // The memo: torch.save numbers its entries 0, 1, 2, ..., so a dense table holds them; other
    // keys go to a map.
    std::vector<ValuePtr> memoDense;
    std::unordered_map<std::uint64_t, ValuePtr> memoSparse;
    std::uint64_t memoCount = 0;
    // Shared immutable leaves: a list of 24 million small ints costs one pointer per item.
    ValuePtr smallInts[256];
    ValuePtr none, yes, no;

    auto useBytes = [&](std::uint64_t n) {
        m_bytes += n;
        if (m_bytes > limits.maxBytes)
            tooComplex("its values would take more than " + std::to_string(limits.maxBytes >> 20) +
                       " MB of memory");
    };
    auto checkItems = [&](std::uint64_t n, const char *what) {
        if (n > limits.maxItems)
            tooComplex(std::string(what) + " with more than " + std::to_string(limits.maxItems) +
                       " items");
    };
    auto checkHeight = [&](std::uint64_t h) {
        if (h > limits.maxDepth)
            tooComplex("values nested more than " + std::to_string(limits.maxDepth) +
                       " levels deep");
    };
    // A new container's height from its children.
    auto heightFrom = [&](const ValuePtr &c) {
        std::uint32_t h = 0;
        for (const auto &x : c->items)
            h = std::max(h, x ? x->height : 0u);
        for (const auto &[k, x] : c->pairs)
            h = std::max({h, k ? k->height : 0u, x ? x->height : 0u});
        if (c->state)
            h = std::max(h, c->state->height);
        checkHeight(std::uint64_t(h) + 1);
        c->height = std::max(c->height, h + 1);
        charge(c->items.size() + c->pairs.size());
    };
    // `target` gets a child (APPEND, SETITEM, BUILD): it may now be part of a cycle.
    auto grow = [&](const ValuePtr &target, const ValuePtr &child) {
        if (child) {
            checkHeight(std::uint64_t(child->height) + 1);
            target->height = std::max(target->height, child->height + 1);
        }
        if (!target->mutated) {
            target->mutated = true;
            m_mutated.push_back(target);
        }
    };

    auto pop = [&]() -> ValuePtr {
        if (stack.empty() || (!marks.empty() && stack.size() <= marks.back()))
            bad("pickle stack underflow (corrupt data)");
        ValuePtr v = std::move(stack.back());
        stack.pop_back();
        return v;
    };
    auto top = [&]() -> ValuePtr & {
        if (stack.empty())
            bad("pickle stack underflow (corrupt data)");
        return stack.back();
    };
    auto push = [&](ValuePtr v) {
        checkItems(stack.size() + 1, "a pickle stack");
        if (v.use_count() == 1) { // a new value: count what it costs
            ++m_values;
            useBytes(kValueBytes + v->s.size() +
                     kSlotBytes * (v->items.size() + 2 * v->pairs.size()));
        }
        stack.push_back(std::move(v));
    };
    auto popMark = [&]() -> std::vector<ValuePtr> {
        if (marks.empty())
            bad("pickle MARK missing (corrupt data)");
        const std::size_t m = marks.back();
        marks.pop_back();
        if (m > stack.size())
            bad("pickle MARK beyond the stack (corrupt data)");
        charge(stack.size() - m);
        std::vector<ValuePtr> items(
            std::make_move_iterator(stack.begin() + static_cast<std::ptrdiff_t>(m)),
            std::make_move_iterator(stack.end()));
        stack.resize(m);
        return items;
    };
    auto memoGet = [&](std::uint64_t k) {
        if (k < memoDense.size() && memoDense[k]) {
            push(memoDense[k]);
            return;
        }
        auto it = memoSparse.find(k);
        if (it == memoSparse.end())
            bad("pickle memo key " + std::to_string(k) + " not found (corrupt data)");
        push(it->second);
    };
    auto memoPut = [&](std::uint64_t k) {
        const ValuePtr &v = top();
        if (k < memoDense.size()) {
            if (!memoDense[k]) {
                ++memoCount;
                useBytes(kDenseMemoBytes);
            }
            memoDense[k] = v;
            return;
        }
        auto it = memoSparse.find(k);
        if (it != memoSparse.end()) {
            it->second = v;
            return;
        }
        if (memoCount >= limits.maxMemo)
            tooComplex("more than " + std::to_string(limits.maxMemo) + " memo entries");
        ++memoCount;
        if (k == memoDense.size()) {
            useBytes(kDenseMemoBytes);
            memoDense.push_back(v);
        } else {
            useBytes(kSparseMemoBytes);
            memoSparse.emplace(k, v);
        }
    };
    auto global = [&](std::string module, std::string name) {
        // Protocol 2 spells builtins as Python 2 did; name them as Python 3 resolves them.
        if (module == "__builtin__")
            module = "builtins";
        else if (module == "copy_reg")
            module = "copyreg";
        std::string full = module + "." + name;
        if (m_globalSet.insert(full).second) {
            useBytes(2 * full.size() + 64);
            globals.push_back(full);
        }
        push(Value::makeString(std::move(full), Value::Kind::Global));
    };
    // `args` is copied only after its size is charged: a big tuple called many times is
    // refused before the copies add up.
    auto call = [&](const ValuePtr &callable, const std::vector<ValuePtr> &args) -> ValuePtr {
        // Copied, scanned for the height and freed again: three steps per argument. Hooks
        // may copy their first argument's items (torch.Size, set): charged too.
        charge(3 * args.size() + (args.empty() || !args[0] ? 0 : args[0]->items.size()));
        auto opaque = [&](std::string name) {
            auto obj = Value::make(Value::Kind::Object);
            obj->s = std::move(name);
            obj->items = args;
            heightFrom(obj);
            return obj;
        };
        if (callable->kind == Value::Kind::Global) {
            if (onCall) {
                if (ValuePtr r = onCall(callable->s, args)) {
                    heightFrom(r); // a hook may copy the arguments' items into a new value
                    return r;
                }
            }
            return opaque(callable->s);
        }
        // Calling something that is not a global (an object, a tensor): opaque.
        return opaque(callable->kind == Value::Kind::Object ? callable->s + "()" : "<call>");
    };
    auto setItem = [&](const ValuePtr &target, ValuePtr k, ValuePtr v) {
        if (target->kind == Value::Kind::Dict || target->kind == Value::Kind::Object) {
            checkItems(target->pairs.size() + 1, "a dict");
            useBytes(2 * kSlotBytes);
            grow(target, k);
            grow(target, v);
            target->pairs.emplace_back(std::move(k), std::move(v));
        } else {
            bad("SETITEM on a value that is not a dict (corrupt data)");
        }
    };
    auto append = [&](const ValuePtr &target, ValuePtr v) {
        if (target->kind == Value::Kind::List || target->kind == Value::Kind::Set) {
            checkItems(target->items.size() + 1, "a list");
            useBytes(kSlotBytes);
            grow(target, v);
            target->items.push_back(std::move(v));
        } else if (target->kind == Value::Kind::Object) {
            checkItems(target->pairs.size() + 1, "an object");
            useBytes(2 * kSlotBytes);
            grow(target, v);
            target->pairs.emplace_back(nullptr, std::move(v));
        } else {
            bad("APPEND on a value that is not a list (corrupt data)");
        }
    };
    auto container = [&](Value::Kind kind, std::vector<ValuePtr> items) {
        checkItems(items.size(), kind == Value::Kind::Tuple ? "a tuple" : "a list");
        auto t = Value::make(kind);
        t->items = std::move(items);
        heightFrom(t);
        return t;
    };
    auto tupleOf = [&](std::vector<ValuePtr> items) {
        return container(Value::Kind::Tuple, std::move(items));
    };
    auto persistent = [&](ValuePtr pid) {
        if (!onPersistentId)
            bad("persistent id in a pickle that should not have one");
        ValuePtr v = onPersistentId(pid);
        if (!v)
            bad("unsupported persistent id " + repr(pid));
        push(std::move(v));
    };
    auto smallInt = [&](std::uint8_t x) -> ValuePtr {
        if (!smallInts[x])
            smallInts[x] = Value::makeInt(x);
        return smallInts[x];
    };
    auto boolean = [&](bool b) -> ValuePtr {
        ValuePtr &slot = b ? yes : no;
        if (!slot) {
            slot = Value::make(Value::Kind::Bool);
            slot->b = b;
        }
        return slot;
    };

    for (;;) {
        charge(1);
        const std::uint64_t at = in.pos();
        const std::uint8_t op = in.byte();
        switch (op) {
        case 0x80: { // PROTO
            const auto proto = in.byte();
            if (proto > 5)
                bad("unsupported pickle protocol " + std::to_string(proto));
            break;
        }
        case 0x95: // FRAME: just a length prefix; the data follows inline
            in.bytes(8);
            break;
        case '.': // STOP
            if (stack.empty())
                bad("empty pickle");
            return stack.back();
        case '(':
            if (marks.size() >= limits.maxDepth)
                tooComplex("MARKs nested more than " + std::to_string(limits.maxDepth) +
                           " levels deep");
            marks.push_back(stack.size());
            break;
        case '0':
            pop();
            break;
        case '1':
            popMark();
            break;
        case '2':
            push(top());
            break;
        case 'N':
            if (!none)
                none = Value::make(Value::Kind::None);
            push(none);
            break;
        case 0x88:
        case 0x89:
            push(boolean(op == 0x88));
            break;
        case 'J':
            push(Value::makeInt(static_cast<std::int32_t>(le(in.bytes(4)))));
            break;
        case 'K':
            push(smallInt(in.byte()));
            break;
        case 'M':
            push(Value::makeInt(static_cast<std::int64_t>(le(in.bytes(2)))));
            break;
        case 'I':
        case 'L':
            push(intFromText(in.line()));
            break;
        case 0x8a:
            push(longFromBytes(in.bytes(in.byte())));
            break;
        case 0x8b: {
            const auto n = static_cast<std::int32_t>(le(in.bytes(4)));
            if (n < 0)
                bad("negative LONG4 length");
            push(longFromBytes(in.bytes(static_cast<std::uint64_t>(n))));
            break;
        }
        case 'G': {
            const std::string b = in.bytes(8);
            std::uint64_t u = 0;
            for (unsigned char c : b)
                u = u << 8 | c; // big-endian
            double d;
            std::memcpy(&d, &u, sizeof d);
            auto v = Value::make(Value::Kind::Float);
            v->f = d;
            push(v);
            break;
        }
        case 'F': {
            auto v = Value::make(Value::Kind::Float);
            const std::string t = in.line();
            v->f = std::strtod(t.c_str(), nullptr);
            push(v);
            break;
        }
        case 'X':
            push(Value::makeString(in.bytes(le(in.bytes(4)))));
            break;
        case 0x8c:
            push(Value::makeString(in.bytes(in.byte())));
            break;
        case 0x8d:
            push(Value::makeString(in.bytes(le(in.bytes(8)))));
            break;
        case 'V':
            push(Value::makeString(in.line()));
            break;
        case 'B':
            push(Value::makeString(in.bytes(le(in.bytes(4))), Value::Kind::Bytes));
            break;
        case 'C':
            push(Value::makeString(in.bytes(in.byte()), Value::Kind::Bytes));
            break;
        case 0x8e:
        case 0x96:
            push(Value::makeString(in.bytes(le(in.bytes(8))), Value::Kind::Bytes));
            break;
        case 'T':
            push(Value::makeString(in.bytes(le(in.bytes(4)))));
            break;
        case 'U':
            push(Value::makeString(in.bytes(in.byte())));
            break;
        case 'S': {
            std::string t = in.line();
            if (t.size() >= 2 && (t.front() == '\'' || t.front() == '"'))
                t = t.substr(1, t.size() - 2);
            push(Value::makeString(std::move(t)));
            break;
        }
        case '}':
            push(Value::make(Value::Kind::Dict));
            break;
        case ']':
            push(Value::make(Value::Kind::List));
            break;
        case ')':
            push(Value::make(Value::Kind::Tuple));
            break;
        case 0x8f:
            push(Value::make(Value::Kind::Set));
            break;
        case 0x85:
            push(tupleOf({pop()}));
            break;
        case 0x86: {
            auto b = pop();
            auto a = pop();
            push(tupleOf({a, b}));
            break;
        }
        case 0x87: {
            auto c = pop();
            auto b = pop();
            auto a = pop();
            push(tupleOf({a, b, c}));
            break;
        }
        case 't':
            push(tupleOf(popMark()));
            break;
        case 'l':
            push(container(Value::Kind::List, popMark()));
            break;
        case 0x91:
            push(container(Value::Kind::Set, popMark()));
            break;
        case 'd': {
            auto items = popMark();
            if (items.size() % 2)
                bad("DICT with an odd number of items (corrupt data)");
            checkItems(items.size() / 2, "a dict");
            auto d = Value::make(Value::Kind::Dict);
            for (std::size_t k = 0; k < items.size(); k += 2)
                d->pairs.emplace_back(items[k], items[k + 1]);
            heightFrom(d);
            push(d);
            break;
        }
        case 's': {
            auto v = pop();
            auto k = pop();
            setItem(top(), std::move(k), std::move(v));
            break;
        }
        case 'u': {
            auto items = popMark();
            if (items.size() % 2)
                bad("SETITEMS with an odd number of items (corrupt data)");
            auto &target = top();
            for (std::size_t k = 0; k < items.size(); k += 2)
                setItem(target, items[k], items[k + 1]);
            break;
        }
        case 'a': {
            auto v = pop();
            append(top(), std::move(v));
            break;
        }
        case 'e':
        case 0x90: {
            auto items = popMark();
            auto &target = top();
            for (auto &v : items)
                append(target, std::move(v));
            break;
        }
        case 'c': {
            std::string module = in.line();
            std::string name = in.line();
            global(std::move(module), std::move(name));
            break;
        }
        case 0x93: { // STACK_GLOBAL
            auto name = pop();
            auto module = pop();
            if (!module->isString() || !name->isString())
                bad("STACK_GLOBAL with non-string names (corrupt data)");
            global(module->s, name->s);
            break;
        }
        case 'R': {
            auto args = pop();
            auto callable = pop();
            if (args->kind != Value::Kind::Tuple)
                bad("REDUCE with arguments that are not a tuple (corrupt data)");
            push(call(callable, args->items));
            break;
        }
        case 0x81: { // NEWOBJ: cls.__new__(cls, *args)
            auto args = pop();
            auto cls = pop();
            if (args->kind != Value::Kind::Tuple)
                bad("NEWOBJ with arguments that are not a tuple (corrupt data)");
            push(call(cls, args->items));
            break;
        }
        case 0x92: { // NEWOBJ_EX
            auto kwargs = pop();
            auto args = pop();
            auto cls = pop();
            if (args->kind != Value::Kind::Tuple)
                bad("NEWOBJ_EX with arguments that are not a tuple (corrupt data)");
            charge(args->items.size());
            auto items = args->items;
            items.push_back(kwargs);
            push(call(cls, std::move(items)));
            break;
        }
        case 'i': { // INST module\nname\n with MARKed args
            std::string module = in.line();
            std::string name = in.line();
            auto args = popMark();
            global(std::move(module), std::move(name));
            auto cls = pop();
            push(call(cls, std::move(args)));
            break;
        }
        case 'o': { // OBJ: MARK cls args...
            auto items = popMark();
            if (items.empty())
                bad("OBJ without a class (corrupt data)");
            auto cls = items.front();
            items.erase(items.begin());
            push(call(cls, std::move(items)));
            break;
        }
        case 'b': { // BUILD
            auto state = pop();
            auto &target = top();
            if (target->kind == Value::Kind::Object || target->kind == Value::Kind::Custom) {
                grow(target, state);
                target->state = std::move(state);
            }
            // BUILD on plain containers (state for a dict subclass) is ignored.
            break;
        }
        case 'Q':
            persistent(pop());
            break;
        case 'P':
            persistent(Value::makeString(in.line()));
            break;
        case 'q':
            memoPut(in.byte());
            break;
        case 'r':
            memoPut(le(in.bytes(4)));
            break;
        case 'p': {
            const std::string t = in.line();
            memoPut(std::strtoull(t.c_str(), nullptr, 10));
            break;
        }
        case 0x94:
            memoPut(memoCount);
            break;
        case 'h':
            memoGet(in.byte());
            break;
        case 'j':
            memoGet(le(in.bytes(4)));
            break;
        case 'g': {
            const std::string t = in.line();
            memoGet(std::strtoull(t.c_str(), nullptr, 10));
            break;
        }
        default: {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02x", op);
            bad(std::string("unsupported or invalid pickle opcode ") + hex + " at offset " +
                std::to_string(at) + " (corrupt data?)");
        }
        }
    }
}

namespace {

void appendRepr(std::string &out, const ValuePtr &v, std::size_t maxChars, int depth)
{
    if (out.size() > maxChars)
        return;
    if (!v) {
        out += "None";
        return;
    }
    if (depth > 20) {
        out += "...";
        return;
    }
    auto seq = [&](const std::vector<ValuePtr> &items, const char *open, const char *close) {
        out += open;
        for (std::size_t k = 0; k < items.size(); ++k) {
            if (k)
                out += ", ";
            if (out.size() > maxChars)
                break;
            appendRepr(out, items[k], maxChars, depth + 1);
        }
        if (items.size() == 1 && std::strcmp(open, "(") == 0)
            out += ",";
        out += close;
    };
    switch (v->kind) {
    case Value::Kind::None:
        out += "None";
        break;
    case Value::Kind::Bool:
        out += v->b ? "True" : "False";
        break;
    case Value::Kind::Int:
        out += std::to_string(v->i);
        break;
    case Value::Kind::BigInt: {
        out += "<big int>";
        break;
    }
    case Value::Kind::Float: {
        if (std::isnan(v->f)) {
            out += "nan";
        } else if (std::isinf(v->f)) {
            out += v->f < 0 ? "-inf" : "inf";
        } else {
            char buf[64];
            auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v->f);
            std::string t(buf, ec == std::errc() ? p : buf);
            if (t.find_first_of(".e") == std::string::npos)
                t += ".0";
            out += t;
        }
        break;
    }
    case Value::Kind::String:
    case Value::Kind::Bytes: {
        if (v->kind == Value::Kind::Bytes)
            out += 'b';
        out += '\'';
        for (char c : v->s) {
            if (out.size() > maxChars)
                break;
            if (c == '\'' || c == '\\') {
                out += '\\';
                out += c;
            } else if (c == '\n') {
                out += "\\n";
            } else if (static_cast<unsigned char>(c) < 0x20) {
                char hex[8];
                std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned char>(c));
                out += hex;
            } else {
                out += c;
            }
        }
        out += '\'';
        break;
    }
    case Value::Kind::List:
        seq(v->items, "[", "]");
        break;
    case Value::Kind::Tuple:
        seq(v->items, "(", ")");
        break;
    case Value::Kind::Set:
        seq(v->items, "{", "}");
        break;
    case Value::Kind::Dict: {
        out += '{';
        for (std::size_t k = 0; k < v->pairs.size(); ++k) {
            if (k)
                out += ", ";
            if (out.size() > maxChars)
                break;
            appendRepr(out, v->pairs[k].first, maxChars, depth + 1);
            out += ": ";
            appendRepr(out, v->pairs[k].second, maxChars, depth + 1);
        }
        out += '}';
        break;
    }
    case Value::Kind::Global:
        out += "<global " + v->s.substr(0, maxChars) + ">";
        break;
    case Value::Kind::Object:
        out += "<" + v->s.substr(0, maxChars);
        seq(v->items, "(", ")");
        out += ">";
        break;
    case Value::Kind::Custom:
        out += "<" + v->s.substr(0, maxChars) + ">";
        break;
    }
}

} // namespace

std::string repr(const ValuePtr &v, std::size_t maxChars)
{
    std::string out;
    appendRepr(out, v, maxChars, 0);
    if (out.size() > maxChars) {
        out.resize(maxChars);
        out += "...";
    }
    return out;
}

} // namespace hubcap::inspect
