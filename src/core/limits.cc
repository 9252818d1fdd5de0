#include "core/limits.h"

namespace urbis {
namespace {

constexpr LimitInfo kLimits[] = {
    {"max_body_bytes", &Limits::max_body_bytes,
     "largest request body; bounds the memory one connection can make the server hold"},
    {"max_header_bytes", &Limits::max_header_bytes,
     "largest request line plus headers, read before any check can run"},
    {"max_target_bytes", &Limits::max_target_bytes, "longest request target (path and query)"},
    {"max_json_depth", &Limits::max_json_depth,
     "deepest JSON nesting; deep documents cost stack and time in every later pass"},
    {"max_string_bytes", &Limits::max_string_bytes, "longest JSON string value or key"},
    {"max_id_bytes", &Limits::max_id_bytes, "longest entity id or other URI"},
    {"max_name_bytes", &Limits::max_name_bytes,
     "longest attribute or entity type name, after expansion to an IRI"},
    {"max_attributes_per_entity", &Limits::max_attributes_per_entity,
     "attributes on one entity; every read and write touches all of them"},
    {"max_instances_per_attribute", &Limits::max_instances_per_attribute,
     "instances (datasetIds) of one multi-attribute"},
    {"max_sub_attributes", &Limits::max_sub_attributes,
     "sub-attributes of one attribute instance, at each nesting level"},
    {"max_types_per_entity", &Limits::max_types_per_entity, "types of one entity"},
    {"max_batch_entities", &Limits::max_batch_entities, "entities in one batch operation"},
    {"max_connections", &Limits::max_connections,
     "concurrent client connections; each costs buffers and a file descriptor"},
    {"max_pending_writes", &Limits::max_pending_writes,
     "writes queued for the single writer; past it writes get 503 so readers keep their share"},
};

}  // namespace

std::span<const LimitInfo> limit_table() {
  return kLimits;
}

}  // namespace urbis
