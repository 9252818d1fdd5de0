// Every hard limit of urbis, in one place, each with a safe default and the reason it exists
// (the idea of SQLite's sqliteLimit.h). Each is overridable in the [limits] section of the
// configuration file, by URBIS_LIMITS_<NAME> or by --set limits.<name>=N. Exceeding a limit is
// answered with a precise error naming the limit; it never crashes or stalls the server.
#pragma once

#include <cstddef>
#include <span>

namespace urbis {

struct Limits {
  // Largest request body. Bounds the memory one connection can make the server hold.
  std::size_t max_body_bytes = 1024 * 1024;
  // Largest request line + headers. Headers are read before any check can run.
  std::size_t max_header_bytes = 16 * 1024;
  // Longest request target (path + query). Ids and queries travel there.
  std::size_t max_target_bytes = 8 * 1024;
  // Deepest JSON nesting. Deep documents cost stack and time in every later pass.
  std::size_t max_json_depth = 32;
  // Longest JSON string (a value, a key). One value should not be able to dwarf an entity.
  std::size_t max_string_bytes = 128 * 1024;
  // Longest entity id or other URI. Ids are keys in every index.
  std::size_t max_id_bytes = 2048;
  // Longest attribute or type name (after expansion to an IRI). Names are interned keys.
  std::size_t max_name_bytes = 1024;
  // Attributes on one entity. Every read and write touches all of them.
  std::size_t max_attributes_per_entity = 1000;
  // Instances (datasetIds) of one multi-attribute.
  std::size_t max_instances_per_attribute = 100;
  // Sub-attributes of one attribute instance (at each nesting level).
  std::size_t max_sub_attributes = 100;
  // Types of one entity (NGSI-LD allows several).
  std::size_t max_types_per_entity = 100;
  // Entities in one batch operation.
  std::size_t max_batch_entities = 1000;
  // Concurrent client connections. Each costs buffers and a file descriptor.
  std::size_t max_connections = 1024;
  // Writes waiting for the single writer. Past this, writes get 503 so readers keep their share.
  std::size_t max_pending_writes = 20000;
};

// Describes one limit for configuration, documentation and error messages.
struct LimitInfo {
  const char* name;  // configuration key within [limits], e.g. "max_body_bytes"
  std::size_t Limits::*field;
  const char* why;
};

// All limits, in declaration order.
std::span<const LimitInfo> limit_table();

}  // namespace urbis
