// Operational routes: liveness, readiness, version and Prometheus metrics.
#include "api/problem.h"
#include "api/routes.h"
#include "core/version.h"
#include "json/value.h"
#include "json/write.h"
#include "metrics/registry.h"
#include "store/sqlite/schema.h"
#include "store/store.h"

namespace urbis::api {
namespace {

http::Response json_ok(int status, const json::Value& body) {
  http::Response r;
  r.status = status;
  r.headers.add("Content-Type", "application/json");
  r.headers.add("Cache-Control", "no-store");
  r.body = json::to_string(body);
  return r;
}

}  // namespace

void add_system_routes(http::Router& router, store::Store& store, metrics::Registry& metrics) {
  // Liveness: the process answers HTTP. Orchestrators restart it when this fails.
  router.add(http::Method::kGet, "/health", [](http::Request&, http::Responder res) {
    json::Value body = json::Value::object();
    body.set("status", "ok");
    res.send(json_ok(200, body));
  });

  // Readiness: the store is open and its last commit succeeded. Load balancers route on this.
  router.add(http::Method::kGet, "/ready", [&store](http::Request&, http::Responder res) {
    const store::StoreHealth h = store.health();
    json::Value body = json::Value::object();
    const bool ready = h.open && h.writable;
    body.set("status", ready ? "ready" : "unavailable");
    body.set("store", json::Value(h.open ? (h.writable ? "writable" : "failing") : "closed"));
    if (!h.last_error.empty()) body.set("detail", h.last_error);
    res.send(json_ok(ready ? 200 : 503, body));
  });

  router.add(http::Method::kGet, "/version", [](http::Request&, http::Responder res) {
    json::Value body = json::Value::object();
    body.set("urbis", kVersion);
    body.set("commit", kGitCommit);
    body.set("build", kBuildType);
    body.set("ngsiLd", "1.8");
    body.set("schemaVersion", store::sqlite::current_schema_version());
    res.send(json_ok(200, body));
  });

  router.add(http::Method::kGet, "/metrics", [&metrics](http::Request&, http::Responder res) {
    http::Response r;
    r.headers.add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    r.body = metrics.render();
    res.send(std::move(r));
  });
}

}  // namespace urbis::api
