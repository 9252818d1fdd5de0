// Small string helpers shared by every module.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace urbis {

// ASCII case-insensitive equality (HTTP header names, media types).
bool iequals(std::string_view a, std::string_view b);
// Lowercases ASCII letters.
std::string ascii_lower(std::string_view s);
// Strips spaces and tabs at both ends.
std::string_view trim(std::string_view s);
// Splits on `sep`, keeping empty pieces.
std::vector<std::string_view> split(std::string_view s, char sep);
// Decodes %XX escapes once (RFC 3986). '+' stays '+'. Returns nullopt on a malformed escape or
// when the decoded text holds a NUL byte.
std::optional<std::string> percent_decode(std::string_view s);
// Escapes everything outside RFC 3986 unreserved characters and the sub-delims safe in a path
// segment; used to build Location headers from ids.
std::string percent_encode_path_segment(std::string_view s);
// Parses a non-negative decimal integer that fits in 64 bits; nullopt otherwise.
std::optional<unsigned long long> parse_u64(std::string_view s);

}  // namespace urbis
