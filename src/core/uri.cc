#include "core/uri.h"

#include "core/utf8.h"

namespace urbis {
namespace {

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool forbidden_in_iri(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u == 0x7f) return true;
  switch (c) {
    case '<':
    case '>':
    case '"':
    case '{':
    case '}':
    case '|':
    case '\\':
    case '^':
    case '`':
      return true;
    default:
      return false;
  }
}

}  // namespace

bool is_absolute_uri(std::string_view s) {
  if (s.empty() || !is_alpha(s[0])) return false;
  std::size_t i = 1;
  while (i < s.size() &&
         (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')) {
    ++i;
  }
  if (i >= s.size() || s[i] != ':' || i + 1 == s.size()) return false;
  for (char c : s) {
    if (forbidden_in_iri(c)) return false;
  }
  return is_valid_utf8(s);
}

bool is_valid_name(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return false;
    switch (c) {
      case '<':
      case '>':
      case '"':
      case '\'':
      case '=':
      case ';':
      case '(':
      case ')':
      case '\\':
        return false;
      default:
        break;
    }
  }
  return is_valid_utf8(s);
}

}  // namespace urbis
