// Pieces every NGSI-LD handler needs from a request: its RequestContext (tenant), the entity id
// in the path, the JSON body with its @context, and the JSON-LD context to render with.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/limits.h"
#include "core/request_context.h"
#include "core/status.h"
#include "http/message.h"
#include "json/value.h"
#include "jsonld/context.h"

namespace urbis::api {

// The RequestContext of a request: the NGSILD-Tenant header (validated) selects the tenant.
Result<RequestContext> request_context(const http::Request& request);

// The {entityId} path parameter, checked to be a URI within limits.max_id_bytes.
Result<std::string> entity_id_param(const http::Request& request, const Limits& limits);

// A request body parsed as an NGSI-LD JSON payload with its active @context: checks the
// Content-Type (415), parses within the limits, and applies GS CIM 009 clause 6.3.5: with
// application/ld+json the context is the body's "@context" (required; a Link header is an
// error), with application/json it comes from the Link header and the body must not have one.
struct JsonPayload {
  json::Value body;
  std::shared_ptr<const jsonld::Context> context;
};
Result<JsonPayload> json_payload(const http::Request& request, const Limits& limits);

// The context used to render a response: the Link header's, or the core context. `url` is what
// the response names as its @context.
struct ResponseContext {
  std::shared_ptr<const jsonld::Context> context;
  std::string url;
};
Result<ResponseContext> response_context(const http::Request& request);

// A JSON response in the negotiated media type: application/ld+json carries "@context" in the
// body; application/json carries a Link header to the context instead.
http::Response json_response(int status, json::Value body, const std::string& media,
                             const ResponseContext& rc);

}  // namespace urbis::api
