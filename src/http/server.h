// The HTTP/1.1 server (Boost.Beast/Asio behind this header): keep-alive, a fixed pool of I/O
// threads, limits on body, headers, target and connections, and timeouts for every phase of a
// request, so that no client can hold resources indefinitely. Knows nothing of NGSI-LD: requests
// go to one Handler; errors the server detects itself go through an ErrorRenderer.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/status.h"
#include "http/message.h"

namespace urbis::metrics {
class Registry;
}

namespace urbis::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 1026;  // 0 picks a free port (see Server::port())
  unsigned threads = 2;
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_target_bytes = 8 * 1024;
  std::size_t max_connections = 1024;
  // Time for the request line and headers to arrive once the first byte has.
  std::chrono::milliseconds header_timeout{10000};
  // Time for the body to arrive once the headers have.
  std::chrono::milliseconds body_timeout{30000};
  // Time an idle keep-alive connection is kept open.
  std::chrono::milliseconds idle_timeout{60000};
  // Time for a response to be written to a slow reader.
  std::chrono::milliseconds write_timeout{30000};
  // On shutdown, time granted to in-flight requests before connections are cut.
  std::chrono::milliseconds shutdown_timeout{10000};
};

// Where a response goes. Implemented by the server's connections.
class ResponseSink {
 public:
  virtual ~ResponseSink() = default;
  virtual void deliver(Response&& response) = 0;
  // Answers with an error rendered by the server's ErrorRenderer.
  virtual void deliver_error(ErrorType type, std::string detail) = 0;
};

// The one-shot channel a handler answers through. May be moved to and used from any thread
// (e.g. the store's writer after a commit). A Responder dropped without an answer sends a 500,
// so a handler bug cannot leave a client hanging.
class Responder {
 public:
  using Observer = std::function<void(const Response&)>;

  Responder() = default;
  explicit Responder(std::shared_ptr<ResponseSink> sink) : sink_(std::move(sink)) {}
  Responder(Responder&&) noexcept = default;
  Responder& operator=(Responder&&) noexcept;
  Responder(const Responder&) = delete;
  Responder& operator=(const Responder&) = delete;
  ~Responder();

  void send(Response response);
  // Called with the response just before it is delivered (metrics, access logs). Chained.
  void observe(Observer observer);

 private:
  std::shared_ptr<ResponseSink> sink_;
  Observer observer_;
};

using Handler = std::function<void(Request&&, Responder)>;
// Renders errors found by the server itself (malformed HTTP, limits, timeouts, overload).
using ErrorRenderer = std::function<Response(ErrorType, std::string detail)>;

// Lifetime: a Server must outlive every Responder it handed out; a process closes its store
// (which answers every queued write) before destroying its Server.
class Server {
 public:
  Server(ServerOptions options, Handler handler, ErrorRenderer errors, metrics::Registry* metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. After it, port() is the bound port.
  Status listen();
  std::uint16_t port() const;

  // Serves on options.threads threads (the caller's included) until stop() is called or, when
  // `handle_signals`, SIGINT/SIGTERM arrives; then shuts down gracefully: stops accepting, closes
  // idle connections, lets in-flight requests finish (up to shutdown_timeout), and returns.
  void run(bool handle_signals);

  // Starts the graceful shutdown. Thread-safe; returns at once.
  void stop();

  struct Impl;  // opaque; public only so that the connection code in server.cc can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace urbis::http
