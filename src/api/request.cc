#include "api/request.h"

#include "api/media.h"
#include "core/uri.h"
#include "json/parse.h"
#include "json/write.h"
#include "jsonld/core_context.h"
#include "jsonld/resolve.h"

namespace urbis::api {
namespace {

// Tenant names are keys, never file names; still, keep them to printable ASCII.
constexpr std::size_t kMaxTenantBytes = 256;

}  // namespace

Result<RequestContext> request_context(const http::Request& request) {
  RequestContext ctx;
  if (request.headers.count("NGSILD-Tenant") > 1) {
    return bad_request_data("NGSILD-Tenant: given more than once");
  }
  if (auto tenant = request.headers.get("NGSILD-Tenant")) {
    if (tenant->empty() || tenant->size() > kMaxTenantBytes) {
      return bad_request_data("NGSILD-Tenant: must be 1 to 256 characters");
    }
    for (char c : *tenant) {
      if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
        return bad_request_data("NGSILD-Tenant: only printable ASCII without spaces is allowed");
      }
    }
    ctx.tenant = std::string(*tenant);
  }
  return ctx;
}

Result<std::string> entity_id_param(const http::Request& request, const Limits& limits) {
  const std::string_view id = request.param("entityId");
  if (id.size() > limits.max_id_bytes) {
    return bad_request_data("entityId: longer than limits.max_id_bytes (" +
                            std::to_string(limits.max_id_bytes) + ")");
  }
  if (!is_absolute_uri(id)) {
    return bad_request_data("entityId: \"" + std::string(id) + "\" is not a URI");
  }
  return std::string(id);
}

Result<JsonPayload> json_payload(const http::Request& request, const Limits& limits) {
  auto media = require_json_content_type(request);
  if (!media.ok()) return media.error();
  json::ParseLimits pl;
  pl.max_depth = limits.max_json_depth;
  pl.max_string_bytes = limits.max_string_bytes;
  auto body = json::parse(request.body, pl);
  if (!body.ok()) return body.error();
  auto link = context_link(request);
  if (!link.ok()) return link.error();

  JsonPayload out;
  const json::Value* inline_ctx = body->is_object() ? body->find("@context") : nullptr;
  json::Value local;
  if (media.value() == kJsonLd) {
    if (link.value()) {
      return bad_request_data(
          "Link: a JSON-LD context Link header is not allowed with "
          "Content-Type application/ld+json; put @context in the body");
    }
    if (!inline_ctx) {
      return bad_request_data(
          "@context: missing; with Content-Type application/ld+json the "
          "body must carry its @context");
    }
    local = *inline_ctx;
  } else {
    if (inline_ctx) {
      return bad_request_data(
          "@context: not allowed in the body with Content-Type "
          "application/json; use application/ld+json or a Link header");
    }
    if (link.value()) local = json::Value(*link.value());
  }
  auto ctx = jsonld::resolve_local_context(local);
  if (!ctx.ok()) return ctx.error();
  out.body = std::move(body.value());
  out.context = std::move(ctx.value());
  return out;
}

Result<ResponseContext> response_context(const http::Request& request) {
  auto link = context_link(request);
  if (!link.ok()) return link.error();
  ResponseContext rc;
  if (link.value()) {
    auto ctx = jsonld::resolve_local_context(json::Value(*link.value()));
    if (!ctx.ok()) return ctx.error();
    rc.context = std::move(ctx.value());
    rc.url = *link.value();
  } else {
    rc.context = jsonld::core_context();
    rc.url = std::string(jsonld::kCoreContextUrl);
  }
  return rc;
}

http::Response json_response(int status, json::Value body, const std::string& media,
                             const ResponseContext& rc) {
  http::Response r;
  r.status = status;
  r.headers.add("Content-Type", media);
  if (media == kJsonLd) {
    json::Object obj;
    obj.reserve(body.as_object().size() + 1);
    obj.push_back(json::Member{"@context", json::Value(rc.url)});
    for (auto& m : body.as_object())
      obj.push_back(std::move(m));
    body = json::Value(std::move(obj));
  } else {
    r.headers.add("Link", context_link_value(rc.url));
  }
  r.body = json::to_string(body);
  return r;
}

}  // namespace urbis::api
