#include "json/value.h"

namespace urbis::json {

Value::Value() : v_(nullptr) {}
Value::Value(std::nullptr_t) : v_(nullptr) {}
Value::Value(bool b) : v_(b) {}
Value::Value(int i) : v_(static_cast<std::int64_t>(i)) {}
Value::Value(std::int64_t i) : v_(i) {}
Value::Value(double d) : v_(d) {}
Value::Value(std::string s) : v_(std::move(s)) {}
Value::Value(std::string_view s) : v_(std::string(s)) {}
Value::Value(const char* s) : v_(std::string(s)) {}
Value::Value(Array a) : v_(std::move(a)) {}
Value::Value(Object o) : v_(std::move(o)) {}
Value::Value(const Value&) = default;
Value::Value(Value&&) noexcept = default;
Value& Value::operator=(const Value&) = default;
Value& Value::operator=(Value&&) noexcept = default;
Value::~Value() = default;

double Value::as_double() const {
  if (is_int()) return static_cast<double>(as_int());
  return std::get<double>(v_);
}

const Value* Value::find(std::string_view key) const {
  if (!is_object()) return nullptr;
  for (const auto& m : as_object()) {
    if (m.key == key) return &m.value;
  }
  return nullptr;
}

Value* Value::find(std::string_view key) {
  return const_cast<Value*>(static_cast<const Value*>(this)->find(key));  // NOLINT
}

Value& Value::set(std::string key, Value value) {
  auto& obj = as_object();
  for (auto& m : obj) {
    if (m.key == key) {
      m.value = std::move(value);
      return m.value;
    }
  }
  obj.push_back(Member{std::move(key), std::move(value)});
  return obj.back().value;
}

bool Value::erase(std::string_view key) {
  auto& obj = as_object();
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (it->key == key) {
      obj.erase(it);
      return true;
    }
  }
  return false;
}

bool operator==(const Value& a, const Value& b) {
  // 1 and 1.0 are the same JSON number.
  if (a.is_number() && b.is_number() && a.kind() != b.kind()) {
    return a.as_double() == b.as_double();
  }
  return a.v_ == b.v_;
}

std::string_view kind_name(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::kNull:
      return "null";
    case Value::Kind::kBool:
      return "a boolean";
    case Value::Kind::kInt:
    case Value::Kind::kDouble:
      return "a number";
    case Value::Kind::kString:
      return "a string";
    case Value::Kind::kArray:
      return "an array";
    case Value::Kind::kObject:
      return "an object";
  }
  return "?";
}

}  // namespace urbis::json
