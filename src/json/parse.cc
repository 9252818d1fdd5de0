#include "json/parse.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

namespace urbis::json {
namespace {

// One simdjson parser and one padded input buffer per thread: simdjson reads up to
// SIMDJSON_PADDING bytes past the end, and reusing both keeps parsing allocation-free.
struct ThreadParser {
  simdjson::dom::parser parser;
  std::unique_ptr<char[]> buffer;
  std::size_t buffer_capacity = 0;
  std::size_t depth = 0;
  std::size_t doc_capacity = 0;
};

ThreadParser& thread_parser() {
  thread_local ThreadParser tp;
  return tp;
}

// Builds the tree; on failure records the error and the path (innermost segment first).
class Converter {
 public:
  explicit Converter(const ParseLimits& limits) : limits_(limits) {}

  bool convert(simdjson::dom::element el, Value& out) {
    using simdjson::dom::element_type;
    switch (el.type()) {
      case element_type::NULL_VALUE:
        out = Value(nullptr);
        return true;
      case element_type::BOOL:
        out = Value(el.get_bool().value_unsafe());
        return true;
      case element_type::INT64:
        out = Value(el.get_int64().value_unsafe());
        return true;
      case element_type::UINT64: {
        // Beyond int64: kept as the nearest double rather than rejected.
        out = Value(static_cast<double>(el.get_uint64().value_unsafe()));
        return true;
      }
      case element_type::DOUBLE:
        out = Value(el.get_double().value_unsafe());
        return true;
      case element_type::STRING: {
        const std::string_view s = el.get_string().value_unsafe();
        if (!check_string(s)) return false;
        out = Value(s);
        return true;
      }
      case element_type::ARRAY: {
        Array arr;
        const auto a = el.get_array().value_unsafe();
        arr.reserve(a.size());
        std::size_t index = 0;
        for (auto item : a) {
          arr.emplace_back();
          if (!convert(item, arr.back())) {
            path_.push_back(std::to_string(index));
            return false;
          }
          ++index;
        }
        out = Value(std::move(arr));
        return true;
      }
      case element_type::OBJECT: {
        Object obj;
        const auto o = el.get_object().value_unsafe();
        obj.reserve(o.size());
        for (auto field : o) {
          if (!check_string(field.key)) return false;
          obj.push_back(Member{std::string(field.key), Value()});
          if (!convert(field.value, obj.back().value)) {
            path_.emplace_back(field.key);
            return false;
          }
        }
        if (limits_.reject_duplicate_keys && !check_unique(obj)) return false;
        out = Value(std::move(obj));
        return true;
      }
    }
    error_ = invalid_request("invalid JSON: unknown element");
    return false;
  }

  // The JSON pointer (RFC 6901) of the failing place.
  std::string pointer() const {
    std::string p;
    for (auto it = path_.rbegin(); it != path_.rend(); ++it) {
      p.push_back('/');
      for (char c : *it) {
        if (c == '~')
          p.append("~0");
        else if (c == '/')
          p.append("~1");
        else
          p.push_back(c);
      }
    }
    return p.empty() ? "/" : p;
  }

  Error take_error() {
    error_.detail += " at " + pointer();
    return std::move(error_);
  }

 private:
  bool check_string(std::string_view s) {
    if (s.size() <= limits_.max_string_bytes) return true;
    error_ = bad_request_data("a JSON string of " + std::to_string(s.size()) +
                              " bytes exceeds limits.max_string_bytes (" +
                              std::to_string(limits_.max_string_bytes) + ")");
    return false;
  }

  bool check_unique(const Object& obj) {
    const auto fail = [&](const std::string& key) {
      error_ = invalid_request("duplicate key \"" + key + "\" in a JSON object");
      return false;
    };
    if (obj.size() <= 16) {
      for (std::size_t i = 1; i < obj.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
          if (obj[i].key == obj[j].key) return fail(obj[i].key);
        }
      }
      return true;
    }
    std::vector<std::string_view> keys;
    keys.reserve(obj.size());
    for (const auto& m : obj)
      keys.push_back(m.key);
    std::sort(keys.begin(), keys.end());
    const auto dup = std::adjacent_find(keys.begin(), keys.end());
    if (dup != keys.end()) return fail(std::string(*dup));
    return true;
  }

  const ParseLimits& limits_;
  std::vector<std::string> path_;
  Error error_;
};

}  // namespace

Result<Value> parse(std::string_view text, const ParseLimits& limits) {
  ThreadParser& tp = thread_parser();
  const std::size_t needed = text.size() + simdjson::SIMDJSON_PADDING;
  if (tp.buffer_capacity < needed) {
    tp.buffer_capacity = std::max<std::size_t>(needed, 4096);
    tp.buffer = std::make_unique<char[]>(tp.buffer_capacity);
  }
  std::memcpy(tp.buffer.get(), text.data(), text.size());
  std::memset(tp.buffer.get() + text.size(), 0, simdjson::SIMDJSON_PADDING);

  // simdjson counts the root as one level; our limit counts nesting of containers the same way.
  const std::size_t depth = limits.max_depth + 1;
  if (tp.depth != depth || tp.doc_capacity < text.size()) {
    const std::size_t capacity = std::max<std::size_t>(text.size(), 64 * 1024);
    if (tp.parser.allocate(capacity, depth) != simdjson::SUCCESS) {
      return internal_error("cannot allocate the JSON parser");
    }
    tp.depth = depth;
    tp.doc_capacity = capacity;
  }

  simdjson::dom::element root;
  const auto err = tp.parser.parse(tp.buffer.get(), text.size(), false).get(root);
  if (err == simdjson::DEPTH_ERROR) {
    return bad_request_data("JSON nesting is deeper than limits.max_json_depth (" +
                            std::to_string(limits.max_depth) + ")");
  }
  if (err != simdjson::SUCCESS) {
    if (text.empty() || err == simdjson::EMPTY) return invalid_request("invalid JSON: empty body");
    return invalid_request(std::string("invalid JSON: ") + simdjson::error_message(err));
  }
  Converter conv(limits);
  Value out;
  if (!conv.convert(root, out)) return conv.take_error();
  return out;
}

}  // namespace urbis::json
