// NGSI-LD entity routes: POST /entities (clause 5.6.1), GET /entities/{id} (5.7.1),
// DELETE /entities/{id} (5.6.6).
#include <memory>

#include "api/media.h"
#include "api/problem.h"
#include "api/request.h"
#include "api/routes.h"
#include "broker/entities.h"
#include "core/strings.h"
#include "model/entity.h"

namespace urbis::api {
namespace {

constexpr const char* kEntities = "/ngsi-ld/v1/entities";

// The retrieve options this slice renders. Representations other than normalized are answered
// 501 until the full entity API lands (issue: the complete NGSI-LD entity API).
struct RetrieveOptions {
  model::RenderOptions render;
};

Result<RetrieveOptions> retrieve_options(const http::Request& request) {
  auto params = http::parse_query(request.query());
  if (!params.ok()) return params.error();
  RetrieveOptions out;
  auto representation = [](std::string_view v, std::string_view param) -> Status {
    if (v == "normalized") return Status();
    if (v == "keyValues" || v == "simplified" || v == "concise") {
      return Error{ErrorType::kNotImplemented,
                   std::string(param) + "=" + std::string(v) +
                       ": only the normalized representation is implemented so far"};
    }
    return bad_request_data(std::string(param) + ": unknown value \"" + std::string(v) + "\"");
  };
  for (const auto& [key, value] : params.value()) {
    if (key == "options") {
      for (std::string_view v : split(value, ',')) {
        if (v == "sysAttrs") {
          out.render.sys_attrs = true;
        } else {
          URBIS_RETURN_IF_ERROR(representation(v, "options"));
        }
      }
    } else if (key == "format") {
      URBIS_RETURN_IF_ERROR(representation(value, "format"));
    } else if (key == "attrs" || key == "pick" || key == "omit" || key == "geometryProperty" ||
               key == "lang" || key == "local" || key == "via" || key == "datasetId" ||
               key == "containedBy" || key == "join" || key == "joinLevel" || key == "entityMap") {
      return Error{ErrorType::kNotImplemented,
                   "query parameter \"" + key + "\" is not implemented yet for this operation"};
    } else {
      return bad_request_data("unknown query parameter \"" + key + "\"");
    }
  }
  return out;
}

void reply_error(http::Responder& responder, const Error& e) {
  responder.send(problem_response(e));
}

}  // namespace

void add_entity_routes(http::Router& router, broker::Entities& entities, const Limits& limits) {
  router.add(http::Method::kPost, kEntities,
             [&entities, &limits](http::Request& req, http::Responder res) {
               auto ctx = request_context(req);
               if (!ctx.ok()) return reply_error(res, ctx.error());
               auto payload = json_payload(req, limits);
               if (!payload.ok()) return reply_error(res, payload.error());
               auto expanded = model::expand_entity(payload->body, *payload->context, limits);
               if (!expanded.ok()) return reply_error(res, expanded.error());
               std::string location =
                   std::string(kEntities) + "/" +
                   percent_encode_path_segment(model::stored_id(expanded.value()));
               auto shared = std::make_shared<http::Responder>(std::move(res));
               entities.create(ctx.value(), std::move(expanded.value()),
                               [shared, location = std::move(location)](const Status& s) {
                                 if (!s.ok()) return shared->send(problem_response(s.error()));
                                 http::Response r;
                                 r.status = 201;
                                 r.headers.add("Location", location);
                                 shared->send(std::move(r));
                               });
             });

  router.add(
      http::Method::kGet, std::string(kEntities) + "/{entityId}",
      [&entities, &limits](http::Request& req, http::Responder res) {
        auto ctx = request_context(req);
        if (!ctx.ok()) return reply_error(res, ctx.error());
        auto id = entity_id_param(req, limits);
        if (!id.ok()) return reply_error(res, id.error());
        auto media = negotiate(req, {kJson, kJsonLd});
        if (!media.ok()) return reply_error(res, media.error());
        auto options = retrieve_options(req);
        if (!options.ok()) return reply_error(res, options.error());
        auto rc = response_context(req);
        if (!rc.ok()) return reply_error(res, rc.error());
        auto stored = entities.retrieve(ctx.value(), id.value());
        if (!stored.ok()) return reply_error(res, stored.error());
        res.send(json_response(
            200, model::render_normalized(std::move(stored.value()), *rc->context, options->render),
            media.value(), rc.value()));
      });

  router.add(http::Method::kDelete, std::string(kEntities) + "/{entityId}",
             [&entities, &limits](http::Request& req, http::Responder res) {
               auto ctx = request_context(req);
               if (!ctx.ok()) return reply_error(res, ctx.error());
               auto id = entity_id_param(req, limits);
               if (!id.ok()) return reply_error(res, id.error());
               auto shared = std::make_shared<http::Responder>(std::move(res));
               entities.remove(ctx.value(), std::move(id.value()), [shared](const Status& s) {
                 if (!s.ok()) return shared->send(problem_response(s.error()));
                 http::Response r;
                 r.status = 204;
                 shared->send(std::move(r));
               });
             });
}

}  // namespace urbis::api
