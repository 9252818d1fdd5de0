#include "http/server.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "metrics/registry.h"

namespace urbis::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {
class Session;
constexpr std::size_t kFirstReadBytes = 4096;
// After an error response, how long and how much of the rest of the request is read and
// discarded so that the client sees the response instead of a connection reset.
constexpr auto kLingerTime = std::chrono::milliseconds(500);
constexpr std::size_t kLingerBytes = 1 << 20;
}  // namespace

struct Server::Impl {
  ServerOptions options;
  Handler handler;
  ErrorRenderer errors;

  metrics::Gauge* open_connections = nullptr;
  metrics::Counter* accepted = nullptr;
  metrics::Counter* rejected = nullptr;
  metrics::Registry* registry = nullptr;

  std::mutex sessions_mu;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  std::atomic<std::size_t> active{0};
  std::atomic<bool> stopping{false};

  // One event loop per I/O thread, each connection owned by one of them: no cross-thread
  // wake-ups or locking on the request path (the nginx worker model, inside one process).
  // Declared after what sessions touch on destruction, so they are destroyed (with every
  // pending handler and the sessions those hold) while that state still exists.
  std::vector<std::unique_ptr<net::io_context>> loops;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running;
  std::size_t next_loop = 0;
  net::io_context& ioc;  // loops[0]: accepting, signals, shutdown
  tcp::acceptor acceptor{ioc};
  std::optional<net::signal_set> signals;
  net::steady_timer shutdown_timer{ioc};
  net::steady_timer accept_retry{ioc};
  std::chrono::steady_clock::time_point shutdown_deadline{};

  Impl(ServerOptions o, Handler h, ErrorRenderer e, metrics::Registry* m)
      : options(std::move(o)),
        handler(std::move(h)),
        errors(std::move(e)),
        registry(m),
        loops(make_loops(std::max(1u, options.threads))),
        ioc(*loops[0]) {
    for (auto& loop : loops)
      keep_running.push_back(net::make_work_guard(*loop));
    if (m) {
      open_connections = &m->gauge("urbis_http_connections_open", "Open client connections");
      accepted = &m->counter("urbis_http_connections_total", "Client connections accepted");
      rejected = &m->counter("urbis_http_connections_rejected_total",
                             "Connections refused because limits.max_connections were open");
    }
  }

  void count_protocol_error(std::string_view reason) {
    if (registry) {
      registry
          ->counter("urbis_http_protocol_errors_total",
                    "Requests rejected before routing (malformed, too large, too slow)",
                    {{"reason", std::string(reason)}})
          .inc();
    }
  }

  static std::vector<std::unique_ptr<net::io_context>> make_loops(unsigned n) {
    std::vector<std::unique_ptr<net::io_context>> out;
    for (unsigned i = 0; i < n; ++i)
      out.push_back(std::make_unique<net::io_context>(1));
    return out;
  }
  void stop_loops() {
    keep_running.clear();
    for (auto& loop : loops)
      loop->stop();
  }
  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
  void begin_shutdown();
  void check_shutdown();
  template <typename F>
  void for_each_session(F f);
};

namespace {

class Session : public ResponseSink, public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Server::Impl& server)
      : stream_(std::move(socket)),
        server_(server),
        deadline_(stream_.get_executor()),
        idle_timer_(stream_.get_executor()) {
    beast::error_code ec;
    const auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string() + ":" + std::to_string(ep.port());
    // Responses go out in one write; do not let Nagle hold the last segment back.
    stream_.socket().set_option(tcp::no_delay(true), ec);
    // Synchronous writes return would_block instead of blocking (see write_response).
    stream_.socket().non_blocking(true, ec);
    server_.active.fetch_add(1);
    if (server_.open_connections) server_.open_connections->add(1);
  }

  ~Session() override {
    {
      std::lock_guard lock(server_.sessions_mu);
      server_.sessions.erase(this);
    }
    server_.active.fetch_sub(1);
    if (server_.open_connections) server_.open_connections->add(-1);
  }

  void start() {
    {
      std::lock_guard lock(server_.sessions_mu);
      server_.sessions.emplace(this, weak_from_this());
    }
    net::dispatch(stream_.get_executor(),
                  [self = shared_from_this()] { self->wait_for_request(); });
  }

  void deliver(Response&& response) override {
    net::dispatch(stream_.get_executor(),
                  [self = shared_from_this(), r = std::move(response)]() mutable {
                    self->write_response(std::move(r));
                  });
  }

  void deliver_error(ErrorType type, std::string detail) override {
    deliver(server_.errors(type, std::move(detail)));
  }

  // Shutdown: an idle keep-alive connection is closed at once; busy ones finish first.
  void close_if_idle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->phase_ == Phase::kIdle) self->close();
    });
  }

  void force_close() {
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->close(); });
  }

 private:
  enum class Phase { kIdle, kReading, kHandling, kWriting, kClosed };
  enum class TimeoutKind { kNone, kHeader, kBody };

  const ServerOptions& opts() const { return server_.options; }

  // One idle timer per connection, re-armed lazily: it fires at most once per idle_timeout and
  // then checks how long the connection has really been idle, so that requests on a busy
  // keep-alive connection never pay for arming and cancelling a timer.
  void watch_idle() {
    idle_timer_.expires_at(idle_since_ + opts().idle_timeout);
    idle_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->phase_ == Phase::kClosed) return;
      if (self->phase_ == Phase::kIdle &&
          std::chrono::steady_clock::now() - self->idle_since_ >= self->opts().idle_timeout) {
        return self->close();
      }
      if (self->phase_ != Phase::kIdle) self->idle_since_ = std::chrono::steady_clock::now();
      self->watch_idle();
    });
  }

  void wait_for_request() {
    if (server_.stopping.load()) return close();
    phase_ = Phase::kIdle;
    idle_since_ = std::chrono::steady_clock::now();
    if (buffer_.size() > 0) return read_header();  // a pipelined request is already here
    if (!idle_watched_) {
      idle_watched_ = true;
      watch_idle();
    }
    stream_.expires_never();
    stream_.async_read_some(buffer_.prepare(kFirstReadBytes),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec) return self->close();  // idle timeout, peer gone, shutdown
                              self->buffer_.commit(n);
                              self->read_header();
                            });
  }

  // Request deadlines use their own timer rather than the stream's expiry, because an expired
  // beast::tcp_stream is closed and could no longer carry the 408 answer.
  void arm_deadline(std::chrono::milliseconds after, TimeoutKind kind) {
    timed_out_ = TimeoutKind::kNone;
    deadline_.expires_after(after);
    deadline_.async_wait(
        [self = shared_from_this(), kind, gen = ++deadline_gen_](beast::error_code ec) {
          // Cancelled, or fired after its phase had already finished (the generation moved on).
          if (ec || gen != self->deadline_gen_) return;
          self->timed_out_ = kind;
          beast::error_code ignored;
          self->stream_.socket().cancel(ignored);
        });
  }

  void disarm_deadline() {
    ++deadline_gen_;
    deadline_.cancel();
  }

  // After a read failed: answers 408 if the deadline caused it. True when it did.
  bool answer_timeout() {
    if (timed_out_ == TimeoutKind::kHeader) {
      fail(ErrorType::kRequestTimeout, "header_timeout",
           "the request line and headers did not arrive within server.header_timeout_ms (" +
               std::to_string(opts().header_timeout.count()) + ")");
      return true;
    }
    if (timed_out_ == TimeoutKind::kBody) {
      fail(ErrorType::kRequestTimeout, "body_timeout",
           "the request body did not arrive within server.body_timeout_ms (" +
               std::to_string(opts().body_timeout.count()) + ")");
      return true;
    }
    return false;
  }

  void read_header() {
    phase_ = Phase::kReading;
    received_at_ = std::chrono::steady_clock::now();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(opts().max_header_bytes));
    parser_->body_limit(opts().max_body_bytes);
    parser_->eager(true);
    // Fast path: a request usually arrives whole in one segment. Parse it straight from the
    // buffer, with no asynchronous read and no deadline timer.
    if (parse_buffered()) return;
    stream_.expires_never();
    arm_deadline(opts().header_timeout, TimeoutKind::kHeader);
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  // Feeds the buffered bytes to the parser. True when that settled what happens next (the
  // request was dispatched, its body is being read, or it was rejected); false when the
  // headers are still incomplete.
  bool parse_buffered() {
    while (buffer_.size() > 0 && !parser_->is_done()) {
      beast::error_code ec;
      const std::size_t n = parser_->put(buffer_.data(), ec);
      buffer_.consume(n);
      if (ec == bhttp::error::need_more) break;
      if (ec) {
        header_error(ec);
        return true;
      }
      if (n == 0) break;
    }
    if (!parser_->is_header_done()) return false;
    header_complete();
    return true;
  }

  bool peer_gone(const beast::error_code& ec) {
    return ec == bhttp::error::end_of_stream || ec == net::error::eof ||
           ec == net::error::connection_reset || ec == net::error::operation_aborted ||
           ec == net::error::broken_pipe;
  }

  void on_header(beast::error_code ec) {
    disarm_deadline();
    if (ec) return header_error(ec);
    header_complete();
  }

  void header_error(beast::error_code ec) {
    if (answer_timeout()) return;
    if (peer_gone(ec)) return close();  // includes a request cut short by the client
    if (ec == bhttp::error::body_limit) {
      return fail(ErrorType::kPayloadTooLarge, "body_limit",
                  "the request body exceeds limits.max_body_bytes (" +
                      std::to_string(opts().max_body_bytes) + ")");
    }
    if (ec == bhttp::error::header_limit) {
      return fail(ErrorType::kHeadersTooLarge, "header_limit",
                  "the request line and headers exceed limits.max_header_bytes (" +
                      std::to_string(opts().max_header_bytes) + ")");
    }
    return fail(ErrorType::kInvalidRequest, "malformed", "malformed HTTP request: " + ec.message());
  }

  void header_complete() {
    const auto& req = parser_->get();
    if (req.target().size() > opts().max_target_bytes) {
      return fail(ErrorType::kUriTooLong, "target_limit",
                  "the request target exceeds limits.max_target_bytes (" +
                      std::to_string(opts().max_target_bytes) + ")");
    }
    if (const auto len = parser_->content_length(); len && *len > opts().max_body_bytes) {
      return fail(ErrorType::kPayloadTooLarge, "body_limit",
                  "the request body (" + std::to_string(*len) + " bytes) exceeds " +
                      "limits.max_body_bytes (" + std::to_string(opts().max_body_bytes) + ")");
    }
    if (parser_->is_done()) return dispatch();
    const auto expect = req[bhttp::field::expect];
    if (beast::iequals(expect, "100-continue")) {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      stream_.expires_after(opts().write_timeout);
      return net::async_write(stream_, net::buffer(kContinue),
                              [self = shared_from_this()](beast::error_code wec, std::size_t) {
                                if (wec) return self->close();
                                self->read_body();
                              });
    }
    read_body();
  }

  void read_body() {
    stream_.expires_never();
    arm_deadline(opts().body_timeout, TimeoutKind::kBody);
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
  }

  void on_body(beast::error_code ec) {
    disarm_deadline();
    if (!ec) return dispatch();
    if (answer_timeout()) return;
    if (ec == bhttp::error::body_limit) {
      return fail(ErrorType::kPayloadTooLarge, "body_limit",
                  "the request body exceeds limits.max_body_bytes (" +
                      std::to_string(opts().max_body_bytes) + ")");
    }
    if (ec == bhttp::error::partial_message || peer_gone(ec)) return close();
    return fail(ErrorType::kInvalidRequest, "malformed",
                "malformed HTTP request body: " + ec.message());
  }

  void dispatch() {
    phase_ = Phase::kHandling;
    stream_.expires_never();
    auto msg = parser_->release();
    parser_.reset();
    Request req;
    req.method_text = std::string(msg.method_string());
    req.method = parse_method(req.method_text);
    req.target = std::string(msg.target());
    for (const auto& field : msg) {
      req.headers.add(std::string(field.name_string()), std::string(field.value()));
    }
    req.body = std::move(msg.body());
    req.keep_alive = msg.keep_alive();
    head_request_ = req.method == Method::kHead;
    req.remote = remote_;
    req.received_at = received_at_;
    keep_alive_ = req.keep_alive;
    try {
      server_.handler(std::move(req), Responder(shared_from_this()));
    } catch (const std::exception& e) {
      // The Responder, destroyed by the unwinding, has already answered 500.
      spdlog::error("http: handler threw: {}", e.what());
    }
  }

  void write_response(Response&& r) {
    if (phase_ == Phase::kClosed || phase_ == Phase::kWriting) return;
    phase_ = Phase::kWriting;
    close_after_write_ = r.close || !keep_alive_ || server_.stopping.load();
    serialize(r);
    // Fast path: the response nearly always fits in the socket's send buffer. Write it now,
    // without an asynchronous operation or a timer; only a slow reader takes the async path.
    std::size_t sent = 0;
    while (sent < wire_.size()) {
      beast::error_code ec;
      const std::size_t n =
          stream_.socket().write_some(net::buffer(wire_.data() + sent, wire_.size() - sent), ec);
      if (ec == net::error::would_block || ec == net::error::try_again) break;
      if (ec) return close();
      sent += n;
    }
    if (sent == wire_.size()) return after_write();
    stream_.expires_after(opts().write_timeout);
    net::async_write(stream_, net::buffer(wire_.data() + sent, wire_.size() - sent),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return self->close();
                       self->after_write();
                     });
  }

  // The response as bytes: status line, headers, framing, body (RFC 9112).
  void serialize(const Response& r) {
    wire_.clear();
    wire_.reserve(256 + r.body.size());
    wire_.append("HTTP/1.1 ").append(std::to_string(r.status)).push_back(' ');
    wire_.append(reason_phrase(r.status)).append("\r\n");
    for (const auto& h : r.headers.all())
      wire_.append(h.name).append(": ").append(h.value).append("\r\n");
    // 1xx, 204 and 304 responses carry neither a body nor Content-Length (RFC 9110 8.6).
    if (r.status >= 200 && r.status != 204 && r.status != 304) {
      wire_.append("Content-Length: ").append(std::to_string(r.body.size())).append("\r\n");
    }
    if (close_after_write_) wire_.append("Connection: close\r\n");
    wire_.append("\r\n");
    // A response to HEAD has the headers of the GET answer and never a body (RFC 9110 9.3.2).
    if (r.status >= 200 && r.status != 204 && r.status != 304 && !head_request_) {
      wire_.append(r.body);
    }
  }

  void after_write() {
    if (close_after_write_) return linger_close();
    wait_for_request();
  }

  void fail(ErrorType type, std::string_view reason, std::string detail) {
    server_.count_protocol_error(reason);
    head_request_ = false;
    parser_.reset();
    keep_alive_ = false;
    Response r = server_.errors(type, std::move(detail));
    r.close = true;
    phase_ = Phase::kHandling;
    write_response(std::move(r));
  }

  // Half-closes, then discards what the client still sends for a moment, so that it reads our
  // response instead of a reset.
  void linger_close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close();
    phase_ = Phase::kClosed;
    stream_.expires_after(kLingerTime);
    drain();
  }

  void drain() {
    scratch_.resize(8192);
    stream_.async_read_some(net::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kLingerBytes) return self->close();
                              self->drain();
                            });
  }

  void close() {
    phase_ = Phase::kClosed;
    deadline_.cancel();
    idle_timer_.cancel();
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string wire_;  // the response being written
  std::string remote_;
  std::chrono::steady_clock::time_point received_at_{};
  Phase phase_ = Phase::kIdle;
  bool keep_alive_ = true;
  bool head_request_ = false;
  bool close_after_write_ = false;
  std::vector<char> scratch_;
  std::size_t drained_ = 0;
  net::steady_timer deadline_;
  net::steady_timer idle_timer_;
  std::chrono::steady_clock::time_point idle_since_{};
  bool idle_watched_ = false;
  TimeoutKind timed_out_ = TimeoutKind::kNone;
  std::uint64_t deadline_gen_ = 0;
};

}  // namespace

Responder& Responder::operator=(Responder&& other) noexcept {
  if (this != &other) {
    if (sink_) {
      sink_->deliver_error(ErrorType::kInternalError, "the request was dropped without an answer");
      sink_.reset();
    }
    sink_ = std::move(other.sink_);
    observer_ = std::move(other.observer_);
  }
  return *this;
}

Responder::~Responder() {
  if (!sink_) return;
  auto sink = std::move(sink_);
  sink_.reset();
  sink->deliver_error(ErrorType::kInternalError, "the request was dropped without an answer");
}

void Responder::send(Response response) {
  if (!sink_) return;
  auto sink = std::move(sink_);
  sink_.reset();
  if (observer_) observer_(response);
  sink->deliver(std::move(response));
}

void Responder::observe(Observer observer) {
  if (!observer_) {
    observer_ = std::move(observer);
    return;
  }
  observer_ = [first = std::move(observer_), second = std::move(observer)](const Response& r) {
    first(r);
    second(r);
  };
}

template <typename F>
void Server::Impl::for_each_session(F f) {
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(sessions_mu);
    for (auto& [ptr, weak] : sessions) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live)
    f(*s);
}

void Server::Impl::do_accept() {
  // Connections are dealt to the event loops in turn.
  net::io_context& loop = *loops[next_loop++ % loops.size()];
  acceptor.async_accept(
      loop, [this](beast::error_code ec, tcp::socket socket) { on_accept(ec, std::move(socket)); });
}

void Server::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
  if (stopping.load() || !acceptor.is_open()) return;
  if (ec) {
    // Typically EMFILE: back off instead of spinning, keep serving the connections we have.
    spdlog::warn("http: accept failed: {}", ec.message());
    accept_retry.expires_after(std::chrono::milliseconds(50));
    accept_retry.async_wait([this](beast::error_code) {
      net::post(acceptor.get_executor(), [this] {
        if (!stopping.load()) do_accept();
      });
    });
    return;
  }
  if (accepted) accepted->inc();
  if (active.load() >= options.max_connections) {
    if (rejected) rejected->inc();
    Response r =
        errors(ErrorType::kServiceUnavailable, "too many connections (limits.max_connections = " +
                                                   std::to_string(options.max_connections) + ")");
    std::string wire = "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: " +
                       std::to_string(r.body.size()) + "\r\n";
    for (const auto& h : r.headers.all())
      wire += h.name + ": " + h.value + "\r\n";
    wire += "\r\n" + r.body;
    beast::error_code wec;
    net::write(socket, net::buffer(wire), wec);  // small, into an empty send buffer: no blocking
    socket.shutdown(tcp::socket::shutdown_both, wec);
    socket.close(wec);
  } else {
    std::make_shared<Session>(std::move(socket), *this)->start();
  }
  do_accept();
}

void Server::Impl::begin_shutdown() {
  if (stopping.exchange(true)) return;
  spdlog::info("http: shutting down: no new connections, finishing in-flight requests");
  net::post(acceptor.get_executor(), [this] {
    beast::error_code ec;
    acceptor.close(ec);
  });
  accept_retry.cancel();
  if (signals) signals->cancel();
  for_each_session([](Session& s) { s.close_if_idle(); });
  shutdown_deadline = std::chrono::steady_clock::now() + options.shutdown_timeout;
  check_shutdown();
}

void Server::Impl::check_shutdown() {
  if (active.load() == 0) {
    stop_loops();
    return;
  }
  if (std::chrono::steady_clock::now() >= shutdown_deadline) {
    spdlog::warn("http: {} connections still busy after server.shutdown_timeout_ms; closing them",
                 active.load());
    for_each_session([](Session& s) { s.force_close(); });
    shutdown_deadline = std::chrono::steady_clock::time_point::max();
  }
  shutdown_timer.expires_after(std::chrono::milliseconds(10));
  shutdown_timer.async_wait([this](beast::error_code) { check_shutdown(); });
}

Server::Server(ServerOptions options, Handler handler, ErrorRenderer errors,
               metrics::Registry* metrics)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(errors),
                                   metrics)) {}

Server::~Server() = default;

Status Server::listen() {
  beast::error_code ec;
  const auto address = net::ip::make_address(impl_->options.host, ec);
  if (ec)
    return invalid_request("server.listen: \"" + impl_->options.host + "\" is not an IP address");
  const tcp::endpoint ep(address, impl_->options.port);
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error{ErrorType::kServiceUnavailable, "cannot listen on " + impl_->options.host + ":" +
                                                     std::to_string(impl_->options.port) + ": " +
                                                     ec.message()};
  }
  return Status();
}

std::uint16_t Server::port() const {
  beast::error_code ec;
  const auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void Server::run(bool handle_signals) {
  auto& impl = *impl_;
  if (handle_signals) {
    impl.signals.emplace(impl.ioc, SIGINT, SIGTERM);
    impl.signals->async_wait([&impl](beast::error_code ec, int signo) {
      if (ec) return;
      spdlog::info("received signal {}", signo);
      impl.begin_shutdown();
    });
  }
  net::post(impl.acceptor.get_executor(), [&impl] { impl.do_accept(); });
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < impl.loops.size(); ++i) {
    threads.emplace_back([&impl, i] { impl.loops[i]->run(); });
  }
  impl.ioc.run();
  for (auto& t : threads)
    t.join();
}

void Server::stop() {
  net::post(impl_->ioc, [impl = impl_.get()] { impl->begin_shutdown(); });
}

}  // namespace urbis::http
