// A JSON value: the in-memory form of every document urbis reads or writes. Objects keep their
// members in insertion order (NGSI-LD output is read by people as well as programs); lookups are
// linear, which is the fast choice for the few dozen members an entity has.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace urbis::json {

class Value;
struct Member;
using Array = std::vector<Value>;
using Object = std::vector<Member>;

class Value {
 public:
  enum class Kind { kNull, kBool, kInt, kDouble, kString, kArray, kObject };

  Value();
  Value(std::nullptr_t);      // NOLINT: implicit by design, like JSON literals
  Value(bool b);              // NOLINT
  Value(int i);               // NOLINT
  Value(std::int64_t i);      // NOLINT
  Value(double d);            // NOLINT
  Value(std::string s);       // NOLINT
  Value(std::string_view s);  // NOLINT
  Value(const char* s);       // NOLINT
  Value(Array a);             // NOLINT
  Value(Object o);            // NOLINT
  Value(const Value&);
  Value(Value&&) noexcept;
  Value& operator=(const Value&);
  Value& operator=(Value&&) noexcept;
  ~Value();

  static Value object();
  static Value array();

  Kind kind() const { return static_cast<Kind>(v_.index()); }
  bool is_null() const { return kind() == Kind::kNull; }
  bool is_bool() const { return kind() == Kind::kBool; }
  bool is_int() const { return kind() == Kind::kInt; }
  bool is_double() const { return kind() == Kind::kDouble; }
  bool is_number() const { return is_int() || is_double(); }
  bool is_string() const { return kind() == Kind::kString; }
  bool is_array() const { return kind() == Kind::kArray; }
  bool is_object() const { return kind() == Kind::kObject; }

  // Accessors: calling one for the wrong kind is a programmer error (std::bad_variant_access).
  bool as_bool() const { return std::get<bool>(v_); }
  std::int64_t as_int() const { return std::get<std::int64_t>(v_); }
  // Any number as a double.
  double as_double() const;
  const std::string& as_string() const { return std::get<std::string>(v_); }
  std::string& as_string() { return std::get<std::string>(v_); }
  const Array& as_array() const { return std::get<Array>(v_); }
  Array& as_array() { return std::get<Array>(v_); }
  const Object& as_object() const { return std::get<Object>(v_); }
  Object& as_object() { return std::get<Object>(v_); }

  // Object member lookup; nullptr when this is not an object or has no such key.
  const Value* find(std::string_view key) const;
  Value* find(std::string_view key);
  // Sets a member of an object, replacing an existing one in place; returns the stored value.
  Value& set(std::string key, Value value);
  // Removes a member of an object; false when absent.
  bool erase(std::string_view key);
  // Appends to an array.
  void push_back(Value value) { as_array().push_back(std::move(value)); }

  friend bool operator==(const Value& a, const Value& b);

 private:
  std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, Array, Object> v_;
};

struct Member {
  std::string key;
  Value value;
  friend bool operator==(const Member& a, const Member& b) {
    return a.key == b.key && a.value == b.value;
  }
};

// Defined here, where Member is complete (clang instantiates vector<Member> eagerly).
inline Value Value::object() {
  return Value(Object{});
}
inline Value Value::array() {
  return Value(Array{});
}

// The name of a kind, for error messages ("expected a string, got an array").
std::string_view kind_name(Value::Kind kind);

}  // namespace urbis::json
