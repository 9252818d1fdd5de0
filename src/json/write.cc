#include "json/write.h"

#include <charconv>
#include <cmath>

#include "core/utf8.h"

namespace urbis::json {

void write_string(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  // Parsed JSON is valid UTF-8 already; text from URLs and headers may not be. Rather than
  // emit invalid JSON, replace broken sequences (rare: checked once, fixed on a copy).
  std::string sanitized;
  bool ascii = true;
  for (char c : s)
    ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (!ascii && !is_valid_utf8(s)) {
    append_utf8_sanitized(s, sanitized);
    s = sanitized;
  }
  out.push_back('"');
  std::size_t run_start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run_start, i - run_start);
    run_start = i + 1;
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default:
        out.append("\\u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
  }
  out.append(s.data() + run_start, s.size() - run_start);
  out.push_back('"');
}

void write(const Value& v, std::string& out) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      out.append("null");
      return;
    case Value::Kind::kBool:
      out.append(v.as_bool() ? "true" : "false");
      return;
    case Value::Kind::kInt: {
      char buf[24];
      const auto r = std::to_chars(buf, buf + sizeof buf, v.as_int());
      out.append(buf, r.ptr);
      return;
    }
    case Value::Kind::kDouble: {
      const double d = v.as_double();
      if (!std::isfinite(d)) {
        out.append("null");
        return;
      }
      char buf[32];
      const auto r = std::to_chars(buf, buf + sizeof buf, d);  // shortest round-trip form
      out.append(buf, r.ptr);
      return;
    }
    case Value::Kind::kString:
      write_string(v.as_string(), out);
      return;
    case Value::Kind::kArray: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : v.as_array()) {
        if (!first) out.push_back(',');
        first = false;
        write(item, out);
      }
      out.push_back(']');
      return;
    }
    case Value::Kind::kObject: {
      out.push_back('{');
      bool first = true;
      for (const auto& m : v.as_object()) {
        if (!first) out.push_back(',');
        first = false;
        write_string(m.key, out);
        out.push_back(':');
        write(m.value, out);
      }
      out.push_back('}');
      return;
    }
  }
}

std::string to_string(const Value& v) {
  std::string out;
  write(v, out);
  return out;
}

}  // namespace urbis::json
