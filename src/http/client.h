// A small blocking HTTP/1.1 client with keep-alive and a per-request timeout. Used by the CLI
// tools and the test harness (the notifier and context fetcher of later issues get their own
// asynchronous clients).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "http/message.h"

namespace urbis::http {

class Client {
 public:
  Client(std::string host, std::uint16_t port,
         std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends one request and reads its response, reconnecting once if the kept-alive connection
  // was closed by the server. Fails with ServiceUnavailable on connection errors and
  // RequestTimeout when the timeout passes.
  Result<Response> request(std::string_view method, std::string_view target,
                           const Headers& headers = {}, std::string body = {});
  Result<Response> get(std::string_view target, const Headers& headers = {}) {
    return request("GET", target, headers);
  }
  Result<Response> post_json(std::string_view target, std::string body,
                             std::string_view content_type = "application/json");
  Result<Response> del(std::string_view target) { return request("DELETE", target); }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace urbis::http
