#include "core/hosts/torchhost/server/json.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace hubcap::torchhost {

const Json &Json::operator[](const std::string &key) const
{
    static const Json null;
    for (const auto &[k, v] : m_members)
        if (k == key)
            return v;
    return null;
}

Json &Json::set(const std::string &key, Json value)
{
    m_type = Type::Object;
    for (auto &[k, v] : m_members) {
        if (k == key) {
            v = std::move(value);
            return *this;
        }
    }
    m_members.emplace_back(key, std::move(value));
    return *this;
}

Json &Json::push(Json value)
{
    m_type = Type::Array;
    m_items.push_back(std::move(value));
    return *this;
}

namespace {

void dumpString(std::string &out, const std::string &s)
{
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    out += '"';
}

void dumpTo(std::string &out, const Json &j)
{
    switch (j.type()) {
    case Json::Type::Null:
        out += "null";
        break;
    case Json::Type::Bool:
        out += j.boolean() ? "true" : "false";
        break;
    case Json::Type::Number: {
        const double n = j.number();
        if (!std::isfinite(n)) {
            out += "null";
        } else if (n == std::floor(n) && std::abs(n) < 9.0e15) {
            out += std::to_string(static_cast<long long>(n));
        } else {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.17g", n);
            out += buf;
        }
        break;
    }
    case Json::Type::String:
        dumpString(out, j.string());
        break;
    case Json::Type::Array: {
        out += '[';
        bool first = true;
        for (const auto &v : j.items()) {
            if (!first)
                out += ',';
            first = false;
            dumpTo(out, v);
        }
        out += ']';
        break;
    }
    case Json::Type::Object: {
        out += '{';
        bool first = true;
        for (const auto &[k, v] : j.members()) {
            if (!first)
                out += ',';
            first = false;
            dumpString(out, k);
            out += ':';
            dumpTo(out, v);
        }
        out += '}';
        break;
    }
    }
}

struct Parser
{
    const std::string &s;
    std::size_t p = 0;
    std::string error;
    int depth = 0;

    void ws()
    {
        while (p < s.size() && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\r'))
            ++p;
    }
    bool fail(const std::string &e)
    {
        if (error.empty())
            error = e + " at offset " + std::to_string(p);
        return false;
    }
    bool literal(const char *word)
    {
        const std::string w(word);
        if (s.compare(p, w.size(), w) != 0)
            return fail("invalid literal");
        p += w.size();
        return true;
    }
    static void utf8(std::string &out, unsigned cp)
    {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xc0 | cp >> 6);
            out += static_cast<char>(0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xe0 | cp >> 12);
            out += static_cast<char>(0x80 | (cp >> 6 & 0x3f));
            out += static_cast<char>(0x80 | (cp & 0x3f));
        } else {
            out += static_cast<char>(0xf0 | cp >> 18);
            out += static_cast<char>(0x80 | (cp >> 12 & 0x3f));
            out += static_cast<char>(0x80 | (cp >> 6 & 0x3f));
            out += static_cast<char>(0x80 | (cp & 0x3f));
        }
    }
    bool hex4(unsigned *cp)
    {
        if (p + 4 > s.size())
            return fail("truncated \\u escape");
        *cp = static_cast<unsigned>(std::strtoul(s.substr(p, 4).c_str(), nullptr, 16));
        p += 4;
        return true;
    }
    bool str(std::string &out)
    {
        ++p; // opening quote
        while (p < s.size() && s[p] != '"') {
            char c = s[p++];
            if (c != '\\') {
                out += c;
                continue;
            }
            if (p >= s.size())
                return fail("truncated escape");
            c = s[p++];
            switch (c) {
            case 'n':
                out += '\n';
                break;
            case 't':
                out += '\t';
                break;
            case 'r':
                out += '\r';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'u': {
                unsigned cp;
                if (!hex4(&cp))
                    return false;
                if (cp >= 0xd800 && cp < 0xdc00 && s.compare(p, 2, "\\u") == 0) {
                    p += 2;
                    unsigned lo;
                    if (!hex4(&lo))
                        return false;
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                }
                utf8(out, cp);
                break;
            }
            default:
                out += c;
            }
        }
        if (p >= s.size())
            return fail("unterminated string");
        ++p;
        return true;
    }
    bool value(Json &out)
    {
        if (++depth > 200)
            return fail("nesting too deep");
        ws();
        if (p >= s.size())
            return fail("unexpected end");
        const char c = s[p];
        bool ok = true;
        if (c == '{') {
            out = Json::object();
            ++p;
            ws();
            if (p < s.size() && s[p] == '}') {
                ++p;
            } else {
                for (;;) {
                    ws();
                    if (p >= s.size() || s[p] != '"')
                        return fail("expected a key");
                    std::string key;
                    if (!str(key))
                        return false;
                    ws();
                    if (p >= s.size() || s[p] != ':')
                        return fail("expected ':'");
                    ++p;
                    Json v;
                    if (!value(v))
                        return false;
                    out.set(key, std::move(v));
                    ws();
                    if (p < s.size() && s[p] == ',') {
                        ++p;
                        continue;
                    }
                    if (p < s.size() && s[p] == '}') {
                        ++p;
                        break;
                    }
                    return fail("expected ',' or '}'");
                }
            }
        } else if (c == '[') {
            out = Json::array();
            ++p;
            ws();
            if (p < s.size() && s[p] == ']') {
                ++p;
            } else {
                for (;;) {
                    Json v;
                    if (!value(v))
                        return false;
                    out.push(std::move(v));
                    ws();
                    if (p < s.size() && s[p] == ',') {
                        ++p;
                        continue;
                    }
                    if (p < s.size() && s[p] == ']') {
                        ++p;
                        break;
                    }
                    return fail("expected ',' or ']'");
                }
            }
        } else if (c == '"') {
            std::string v;
            ok = str(v);
            out = Json(std::move(v));
        } else if (c == 't') {
            ok = literal("true");
            out = Json(true);
        } else if (c == 'f') {
            ok = literal("false");
            out = Json(false);
        } else if (c == 'n') {
            ok = literal("null");
            out = Json();
        } else {
            char *end = nullptr;
            const double d = std::strtod(s.c_str() + p, &end);
            if (end == s.c_str() + p)
                return fail("invalid value");
            p = static_cast<std::size_t>(end - s.c_str());
            out = Json(d);
        }
        --depth;
        return ok;
    }
};

} // namespace

std::string Json::dump() const
{
    std::string out;
    dumpTo(out, *this);
    return out;
}

std::optional<Json> Json::parse(const std::string &text, std::string *error)
{
    Parser ps{text, 0, {}, 0};
    Json out;
    if (!ps.value(out)) {
        if (error)
            *error = ps.error;
        return std::nullopt;
    }
    ps.ws();
    if (ps.p != text.size()) {
        if (error)
            *error = "trailing characters after the JSON value";
        return std::nullopt;
    }
    return out;
}

} // namespace hubcap::torchhost
