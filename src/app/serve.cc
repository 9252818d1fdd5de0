#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "api/problem.h"
#include "api/routes.h"
#include "app/commands.h"
#include "broker/entities.h"
#include "core/version.h"
#include "http/router.h"
#include "http/server.h"
#include "metrics/process.h"
#include "metrics/registry.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_store.h"

namespace urbis::app {
namespace {

Status write_port_file(const std::string& path, std::uint16_t port) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << "\n";
    if (!out) return invalid_request("cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);  // atomic: readers never see a partial file
  if (ec) return invalid_request("cannot rename " + tmp + ": " + ec.message());
  return Status();
}

http::ServerOptions server_options(const Config& c, const std::string& host, std::uint16_t port) {
  http::ServerOptions o;
  o.host = host;
  o.port = port;
  o.threads = c.threads ? static_cast<unsigned>(c.threads)
                        : std::max(1u, std::thread::hardware_concurrency());
  o.max_body_bytes = c.limits.max_body_bytes;
  o.max_header_bytes = c.limits.max_header_bytes;
  o.max_target_bytes = c.limits.max_target_bytes;
  o.max_connections = c.limits.max_connections;
  o.header_timeout = std::chrono::milliseconds(c.header_timeout_ms);
  o.body_timeout = std::chrono::milliseconds(c.body_timeout_ms);
  o.idle_timeout = std::chrono::milliseconds(c.idle_timeout_ms);
  o.write_timeout = std::chrono::milliseconds(c.write_timeout_ms);
  o.shutdown_timeout = std::chrono::milliseconds(c.shutdown_timeout_ms);
  return o;
}

}  // namespace

int serve(const Config& config, const ServeFlags& flags) {
  auto listen = parse_listen(config.listen);
  if (!listen.ok()) {
    spdlog::error("{}", listen.error().detail);
    return 2;
  }
  metrics::Registry registry;
  metrics::register_process_metrics(registry);
  registry
      .gauge("urbis_build_info", "Build of this urbis",
             {{"version", kVersion}, {"commit", kGitCommit}})
      .set(1);

  store::sqlite::SqliteOptions so;
  so.data_dir = config.data;
  so.max_group = config.max_group_writes;
  so.max_pending_writes = config.limits.max_pending_writes;
  so.changelog_retention = std::chrono::seconds(config.changelog_retention_s);
  so.metrics = &registry;
  const auto open_start = std::chrono::steady_clock::now();
  auto store = store::sqlite::SqliteStore::open(so);
  if (!store.ok()) {
    spdlog::error("cannot open the store in {}: {}", config.data, store.error().detail);
    return 1;
  }
  spdlog::info("store open: {} (schema v{}, change log at seq {}) in {} ms", config.data,
               store::sqlite::current_schema_version(), store.value()->last_committed_seq(),
               std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - open_start)
                   .count());

  broker::Entities entities(*store.value());
  const http::ErrorRenderer errors = [](ErrorType type, std::string detail) {
    return api::problem_response(type, std::move(detail));
  };
  http::Router router(errors, &registry);
  api::add_entity_routes(router, entities, config.limits);
  api::add_system_routes(router, *store.value(), registry);

  const auto options = server_options(config, listen->first, listen->second);
  http::Server server(
      options,
      [&router](http::Request&& req, http::Responder res) {
        // Access log: every answer at debug, 5xx answers with their detail at warn.
        res.observe([method = req.method_text, target = req.target,
                     start = req.received_at](const http::Response& r) {
          const double ms =
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                  .count();
          if (r.status >= 500) {
            spdlog::warn("{} {} -> {} in {:.2f} ms: {}", method, target, r.status, ms, r.body);
          } else {
            spdlog::debug("{} {} -> {} in {:.2f} ms", method, target, r.status, ms);
          }
        });
        router.dispatch(std::move(req), std::move(res));
      },
      errors, &registry);
  if (Status s = server.listen(); !s.ok()) {
    spdlog::error("{}", s.detail());
    store.value()->close();
    return 1;
  }
  if (!flags.port_file.empty()) {
    if (Status s = write_port_file(flags.port_file, server.port()); !s.ok()) {
      spdlog::error("{}", s.detail());
      store.value()->close();
      return 1;
    }
  }
  const std::string base =
      "http://" +
      (listen->first.find(':') != std::string::npos ? "[" + listen->first + "]" : listen->first) +
      ":" + std::to_string(server.port());
  spdlog::info("urbis {} ready on {} with {} I/O threads; data in {}", kVersion, base,
               options.threads, config.data);
  spdlog::info("NGSI-LD API {}/ngsi-ld/v1 | health {}/health | ready {}/ready | metrics {}/metrics",
               base, base, base, base);
  spdlog::info(
      "try: curl -s {}/ngsi-ld/v1/entities -H 'Content-Type: application/json' -d "
      "'{{\"id\":\"urn:ngsi-ld:Sensor:1\",\"type\":\"Sensor\",\"temperature\":"
      "{{\"type\":\"Property\",\"value\":21.5}}}}' && curl -s {}/ngsi-ld/v1/entities/"
      "urn:ngsi-ld:Sensor:1",
      base, base);

  server.run(/*handle_signals=*/true);

  // Every request has been answered or cut; commit what is queued and close cleanly.
  store.value()->close();
  spdlog::info("urbis stopped cleanly");
  return 0;
}

}  // namespace urbis::app
