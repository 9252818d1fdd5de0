#include "http/client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>

namespace urbis::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

struct Client::Impl {
  std::string host;
  std::uint16_t port;
  std::chrono::milliseconds timeout;
  net::io_context ioc;
  std::optional<tcp::socket> socket;
  beast::flat_buffer buffer;

  // Runs the io_context until `done` or the timeout; cancels what is left on timeout.
  bool run_until(const bool& done) {
    ioc.restart();
    ioc.run_for(timeout);
    if (!done && socket) {
      beast::error_code ec;
      socket->cancel(ec);
      ioc.restart();
      ioc.run();
    }
    return done;
  }

  Status connect() {
    beast::error_code ec;
    tcp::resolver resolver(ioc);
    const auto results = resolver.resolve(host, std::to_string(port), ec);
    if (ec)
      return Error{ErrorType::kServiceUnavailable, "cannot resolve " + host + ": " + ec.message()};
    socket.emplace(ioc);
    bool done = false;
    net::async_connect(*socket, results, [&](beast::error_code e, const tcp::endpoint&) {
      ec = e;
      done = true;
    });
    if (!run_until(done)) {
      socket.reset();
      return Error{ErrorType::kRequestTimeout,
                   "connecting to " + host + ":" + std::to_string(port) + " timed out"};
    }
    if (ec) {
      socket.reset();
      return Error{ErrorType::kServiceUnavailable,
                   "cannot connect to " + host + ":" + std::to_string(port) + ": " + ec.message()};
    }
    socket->set_option(tcp::no_delay(true), ec);
    buffer.clear();
    return Status();
  }

  // One exchange on the current connection. `retryable` is set when the failure means the
  // server had closed the kept-alive connection before we wrote.
  Result<Response> exchange(bhttp::request<bhttp::string_body>& req, bool& retryable) {
    retryable = false;
    beast::error_code ec;
    bool done = false;
    bhttp::async_write(*socket, req, [&](beast::error_code e, std::size_t) {
      ec = e;
      done = true;
    });
    if (!run_until(done)) return Error{ErrorType::kRequestTimeout, "writing the request timed out"};
    if (ec) {
      retryable = true;
      return Error{ErrorType::kServiceUnavailable, "write failed: " + ec.message()};
    }
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(std::uint64_t{1} << 32);
    parser.skip(req.method() == bhttp::verb::head);
    done = false;
    bhttp::async_read(*socket, buffer, parser, [&](beast::error_code e, std::size_t) {
      ec = e;
      done = true;
    });
    if (!run_until(done))
      return Error{ErrorType::kRequestTimeout, "reading the response timed out"};
    if (ec) {
      retryable = ec == bhttp::error::end_of_stream || ec == net::error::connection_reset ||
                  ec == net::error::eof;
      return Error{ErrorType::kServiceUnavailable, "read failed: " + ec.message()};
    }
    auto msg = parser.release();
    Response out;
    out.status = static_cast<int>(msg.result_int());
    for (const auto& f : msg)
      out.headers.add(std::string(f.name_string()), std::string(f.value()));
    out.body = std::move(msg.body());
    out.close = !msg.keep_alive();
    if (out.close) socket.reset();
    return out;
  }
};

Client::Client(std::string host, std::uint16_t port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
  impl_->timeout = timeout;
}

Client::~Client() = default;

Result<Response> Client::request(std::string_view method, std::string_view target,
                                 const Headers& headers, std::string body) {
  bhttp::request<bhttp::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(bhttp::field::host, impl_->host + ":" + std::to_string(impl_->port));
  for (const auto& h : headers.all())
    req.set(h.name, h.value);
  const bool has_body = !body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
  req.body() = std::move(body);
  if (has_body) req.prepare_payload();

  const bool reused = impl_->socket.has_value();
  if (!reused) URBIS_RETURN_IF_ERROR(impl_->connect());
  bool retryable = false;
  auto r = impl_->exchange(req, retryable);
  if (!r.ok() && retryable && reused) {
    // The server closed the idle connection between our requests: one fresh attempt.
    impl_->socket.reset();
    URBIS_RETURN_IF_ERROR(impl_->connect());
    r = impl_->exchange(req, retryable);
  }
  if (!r.ok()) impl_->socket.reset();
  return r;
}

Result<Response> Client::post_json(std::string_view target, std::string body,
                                   std::string_view content_type) {
  Headers h;
  h.add("Content-Type", std::string(content_type));
  return request("POST", target, h, std::move(body));
}

}  // namespace urbis::http
