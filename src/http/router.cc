#include "http/router.h"

#include <array>
#include <atomic>

#include "core/strings.h"
#include "metrics/registry.h"

namespace urbis::http {

struct Router::Route {
  Method method;
  std::string pattern;
  std::vector<std::string> segments;  // "{x}" marks a parameter
  RouteHandler handler;
  metrics::Histogram* latency = nullptr;
  // Request counters by status, created on first use; statuses are 100..599.
  std::array<std::atomic<metrics::Counter*>, 600> by_status{};
};

namespace {

std::vector<std::string_view> path_segments(std::string_view path) {
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);  // trailing slash tolerated
  if (path.empty()) return {};
  return split(path, '/');
}

bool is_param(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

Router::Router(ErrorRenderer errors, metrics::Registry* metrics)
    : errors_(std::move(errors)), metrics_(metrics) {}

Router::~Router() = default;

void Router::add(Method method, std::string pattern, RouteHandler handler) {
  auto route = std::make_unique<Route>();
  route->method = method;
  for (auto seg : path_segments(pattern))
    route->segments.emplace_back(seg);
  route->pattern = std::move(pattern);
  route->handler = std::move(handler);
  if (metrics_) {
    route->latency = &metrics_->histogram(
        "urbis_http_request_duration_seconds", "Time from a request's first byte to its response",
        metrics::latency_buckets_seconds(),
        {{"route", route->pattern}, {"method", std::string(method_name(method))}});
  }
  routes_.push_back(std::move(route));
}

void Router::dispatch(Request&& request, Responder responder) {
  const auto segments = path_segments(request.path());
  Route* match = nullptr;
  bool path_known = false;
  std::string allow;
  for (auto& route : routes_) {
    if (route->segments.size() != segments.size()) continue;
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      const std::string& want = route->segments[i];
      ok = is_param(want) ? !segments[i].empty() : want == segments[i];
    }
    if (!ok) continue;
    path_known = true;
    if (!allow.empty()) allow += ", ";
    allow += method_name(route->method);
    if (route->method == request.method) {
      match = route.get();
      break;
    }
  }

  if (!match) {
    const std::string_view route_label = path_known ? "method_not_allowed" : "unmatched";
    if (metrics_) {
      responder.observe([this, route_label](const Response& r) {
        metrics_
            ->counter("urbis_http_requests_total", "HTTP requests answered",
                      {{"route", std::string(route_label)},
                       {"method", "any"},
                       {"status", std::to_string(r.status)}})
            .inc();
      });
    }
    if (path_known) {
      Response r = errors_(
          ErrorType::kMethodNotAllowed,
          "method " + request.method_text + " is not supported on " + std::string(request.path()));
      r.headers.set("Allow", allow);
      responder.send(std::move(r));
    } else {
      responder.send(
          errors_(ErrorType::kResourceNotFound, "no resource at " + std::string(request.path())));
    }
    return;
  }

  if (metrics_) {
    responder.observe([this, match, start = request.received_at](const Response& r) {
      const int status = r.status >= 100 && r.status < 600 ? r.status : 500;
      auto* counter =
          match->by_status[static_cast<std::size_t>(status)].load(std::memory_order_acquire);
      if (!counter) {
        counter = &metrics_->counter("urbis_http_requests_total", "HTTP requests answered",
                                     {{"route", match->pattern},
                                      {"method", std::string(method_name(match->method))},
                                      {"status", std::to_string(status)}});
        match->by_status[static_cast<std::size_t>(status)].store(counter,
                                                                 std::memory_order_release);
      }
      counter->inc();
      match->latency->observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    });
  }

  request.route = match->pattern;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& want = match->segments[i];
    if (!is_param(want)) continue;
    auto decoded = percent_decode(segments[i]);
    const std::string name = want.substr(1, want.size() - 2);
    if (!decoded) {
      responder.send(errors_(ErrorType::kBadRequestData,
                             "path parameter " + name + ": malformed percent-encoding"));
      return;
    }
    request.path_params.emplace_back(name, std::move(*decoded));
  }
  match->handler(request, std::move(responder));
}

}  // namespace urbis::http
