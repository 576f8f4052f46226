#pragma once

// A small JSON value for the torch host's protocol. The host links libtorch and no Qt (Debian's
// libtorch already loads Qt 5 through OpenCV), so it cannot use QJsonDocument.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hubcap::torchhost {

class Json
{
public:
    enum class Type { Null, Bool, Number, String, Array, Object };

    Json() = default;
    Json(std::nullptr_t) {}
    Json(bool b) : m_type(Type::Bool), m_bool(b) {}
    Json(int n) : m_type(Type::Number), m_number(n) {}
    Json(std::int64_t n) : m_type(Type::Number), m_number(static_cast<double>(n)) {}
    Json(double n) : m_type(Type::Number), m_number(n) {}
    Json(const char *s) : m_type(Type::String), m_string(s) {}
    Json(std::string s) : m_type(Type::String), m_string(std::move(s)) {}

    static Json array()
    {
        Json j;
        j.m_type = Type::Array;
        return j;
    }
    static Json object()
    {
        Json j;
        j.m_type = Type::Object;
        return j;
    }

    Type type() const { return m_type; }
    bool isNull() const { return m_type == Type::Null; }
    bool isObject() const { return m_type == Type::Object; }
    bool isString() const { return m_type == Type::String; }
    bool isNumber() const { return m_type == Type::Number; }

    double number(double fallback = 0) const
    {
        return m_type == Type::Number ? m_number : fallback;
    }
    const std::string &string() const { return m_string; }
    bool boolean(bool fallback = false) const { return m_type == Type::Bool ? m_bool : fallback; }
    const std::vector<Json> &items() const { return m_items; }
    const std::vector<std::pair<std::string, Json>> &members() const { return m_members; }

    /// Object member or a Null value.
    const Json &operator[](const std::string &key) const;
    /// Sets (or replaces) an object member.
    Json &set(const std::string &key, Json value);
    Json &push(Json value);

    std::string dump() const;
    /// Parses one JSON text; nullopt and *error on malformed input.
    static std::optional<Json> parse(const std::string &text, std::string *error);

private:
    Type m_type = Type::Null;
    bool m_bool = false;
    double m_number = 0;
    std::string m_string;
    std::vector<Json> m_items;
    std::vector<std::pair<std::string, Json>> m_members;
};

} // namespace hubcap::torchhost
