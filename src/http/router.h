// Routes requests by method and path pattern ("/ngsi-ld/v1/entities/{entityId}") to handlers,
// decoding path parameters exactly once, and counts every request by route, method and status
// with its latency (urbis_http_requests_total, urbis_http_request_duration_seconds).
// A trailing slash is accepted for every route, as clients send one.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"
#include "http/server.h"

namespace urbis::metrics {
class Registry;
class Counter;
class Histogram;
}  // namespace urbis::metrics

namespace urbis::http {

using RouteHandler = std::function<void(Request&, Responder)>;

class Router {
 public:
  Router(ErrorRenderer errors, metrics::Registry* metrics);
  ~Router();

  // Registers a route. Segments written {name} match one non-empty path segment.
  void add(Method method, std::string pattern, RouteHandler handler);

  // Finds the route and calls it; 404 for an unknown path, 405 (with Allow) for a known path
  // and another method, 400 for a path parameter with a malformed escape.
  void dispatch(Request&& request, Responder responder);

 private:
  struct Route;
  std::vector<std::unique_ptr<Route>> routes_;
  ErrorRenderer errors_;
  metrics::Registry* metrics_;
};

}  // namespace urbis::http
