// UTF-8 validity (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
#pragma once

#include <string>
#include <string_view>

namespace urbis {

bool is_valid_utf8(std::string_view s);

// Appends `s` to `out`, replacing each invalid byte sequence with U+FFFD, so that text taken
// from URLs or headers can be echoed in a JSON error body.
void append_utf8_sanitized(std::string_view s, std::string& out);

}  // namespace urbis
