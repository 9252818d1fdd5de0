// The NGSI-LD entity in urbis' stored form, and the conversions between it and the wire.
//
// Stored form (docs/STORAGE.md): one JSON object per entity, names expanded to IRIs, every
// attribute an array of instances (one per datasetId), system timestamps included:
//   {"id": "<uri>", "type": ["<type IRI>", ...], "scope": ["/a/b"]?,
//    "createdAt": "<DateTime>", "modifiedAt": "<DateTime>",
//    "attrs": {"<attribute IRI>": [{"type": "Property", "value": ..., "observedAt": ...,
//                                   "datasetId": ..., "<sub-attribute IRI>": {...}}, ...]}}
// An instance carries createdAt/modifiedAt only when they differ from the entity's createdAt;
// without them it was created with the entity and has not been modified since.
// Member names of instances (type, value, object, observedAt...) are NGSI-LD core terms and
// never IRIs; sub-attribute names are always IRIs, so the two can never collide.
#pragma once

#include <string>
#include <string_view>

#include "core/limits.h"
#include "core/status.h"
#include "json/value.h"
#include "jsonld/context.h"

namespace urbis::model {

// Validates an entity in NGSI-LD normalized form (GS CIM 009 clauses 4.5 and 5.2.4) and returns
// its stored form without system timestamps. Names are expanded with `ctx`. Errors are
// BadRequestData naming the member at fault, e.g. `attribute "speed": a Property needs "value"`.
// "@context" members are ignored here (the API layer resolves them); client-supplied
// createdAt/modifiedAt are dropped, as the spec makes them system-generated.
Result<json::Value> expand_entity(const json::Value& input, const jsonld::Context& ctx,
                                  const Limits& limits);

// Sets createdAt and modifiedAt of a new entity (and so, implicitly, of its instances) to `now`.
void stamp_new_entity(json::Value& stored, std::string_view now);

// The entity id of a stored document (always present).
const std::string& stored_id(const json::Value& stored);

struct RenderOptions {
  bool sys_attrs = false;  // include createdAt/modifiedAt (options=sysAttrs)
};

// The normalized representation of a stored entity, names compacted with `ctx`, without
// "@context" (the API layer adds it or a Link header, as the Accept header asks).
// The rvalue form consumes the stored document (no copies); the other copies it first.
json::Value render_normalized(json::Value&& stored, const jsonld::Context& ctx,
                              const RenderOptions& options);
json::Value render_normalized(const json::Value& stored, const jsonld::Context& ctx,
                              const RenderOptions& options);

}  // namespace urbis::model
