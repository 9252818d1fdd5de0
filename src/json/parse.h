// JSON text -> json::Value, on simdjson (full UTF-8 validation, bounded depth). Limits are
// checked while the tree is built, so no document can exceed them in memory.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/status.h"
#include "json/value.h"

namespace urbis::json {

struct ParseLimits {
  std::size_t max_depth = 32;
  std::size_t max_string_bytes = 128 * 1024;
  // Reject objects that repeat a key (RFC 8259 leaves them undefined; clients mean one of them).
  bool reject_duplicate_keys = true;
};

// Parses one JSON document. Errors:
//  - InvalidRequest "invalid JSON: ..." for syntax or encoding errors;
//  - BadRequestData naming the limit (limits.max_json_depth, limits.max_string_bytes) and the
//    JSON pointer of the offending place;
//  - InvalidRequest for a duplicate key, naming it and its place.
// Thread-safe: each thread reuses its own parser buffers.
Result<Value> parse(std::string_view text, const ParseLimits& limits = {});

}  // namespace urbis::json
