// json::Value -> compact JSON text (no insignificant whitespace), UTF-8 passed through,
// control characters escaped. Non-finite doubles, which JSON cannot carry, are written as null.
#pragma once

#include <string>
#include <string_view>

#include "json/value.h"

namespace urbis::json {

// Appends the JSON text of `v` to `out`.
void write(const Value& v, std::string& out);
std::string to_string(const Value& v);
// Appends `s` as a quoted, escaped JSON string.
void write_string(std::string_view s, std::string& out);

}  // namespace urbis::json
