// urbis-loadgen: an HTTP/1.1 load generator for the benchmark runner.
//
// Closed loop (default): N keep-alive connections, each sends its next request as soon as the
// previous answer arrives; reports throughput. Open loop (--rate R): requests are scheduled at a
// fixed rate whatever the server does, and each latency is measured from the request's
// scheduled time, not from when a connection became free, so a stalled server shows up in the
// percentiles instead of hiding (no coordinated omission).
//
// Templates: in --path and the body file, {n} is replaced by a sequence number (from --start,
// one per request) and {r} by a uniform random integer in [0, --range).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string name = "load";
  std::string host = "127.0.0.1";
  std::uint16_t port = 1026;
  std::string method = "GET";
  std::string path = "/";
  std::string body_file;
  std::vector<std::string> headers;
  int connections = 64;
  int threads = 2;
  double duration = 10;
  std::uint64_t requests = 0;  // stop after this many (0: by duration)
  double rate = 0;             // open loop when > 0
  std::uint64_t start = 0;
  std::uint64_t range = 1;
  double warmup = 1;
};

std::string expand(const std::string& tmpl, std::uint64_t n, std::uint64_t r) {
  std::string out;
  out.reserve(tmpl.size() + 16);
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '{' && i + 2 < tmpl.size() && tmpl[i + 2] == '}' &&
        (tmpl[i + 1] == 'n' || tmpl[i + 1] == 'r')) {
      out += std::to_string(tmpl[i + 1] == 'n' ? n : r);
      i += 2;
    } else {
      out.push_back(tmpl[i]);
    }
  }
  return out;
}

struct Shared {
  Options opt;
  std::string body_tmpl;
  std::atomic<std::uint64_t> seq{0};
  std::atomic<std::uint64_t> issued{0};
  std::atomic<bool> stop{false};
  Clock::time_point measure_from;
  // Open loop: scheduled send times waiting for a free connection.
  std::mutex q_mu;
  std::deque<Clock::time_point> due;
  std::atomic<std::uint64_t> errors{0};
  std::atomic<std::uint64_t> non2xx{0};
  std::mutex lat_mu;
  std::vector<double> latencies_ms;  // measured phase only
  std::atomic<std::uint64_t> measured_ok{0};
};

class Conn : public std::enable_shared_from_this<Conn> {
 public:
  Conn(net::io_context& ioc, Shared& s, std::uint64_t seed)
      : socket_(net::make_strand(ioc)), s_(s), rng_(seed), idle_timer_(socket_.get_executor()) {}

  void start(const tcp::resolver::results_type& ep) {
    net::async_connect(socket_, ep,
                       [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
                         if (ec) {
                           self->s_.errors.fetch_add(1);
                           return;
                         }
                         self->socket_.set_option(tcp::no_delay(true));
                         self->next();
                       });
  }

  void next() {
    if (s_.stop.load()) return;
    if (s_.opt.requests && s_.issued.fetch_add(1) >= s_.opt.requests) {
      s_.stop.store(true);
      return;
    }
    Clock::time_point intended = Clock::now();
    if (s_.opt.rate > 0) {
      std::unique_lock lock(s_.q_mu);
      if (s_.due.empty()) {
        lock.unlock();
        idle_timer_.expires_after(std::chrono::microseconds(200));
        idle_timer_.async_wait([self = shared_from_this()](beast::error_code) { self->next(); });
        return;
      }
      intended = s_.due.front();
      s_.due.pop_front();
    }
    const std::uint64_t n = s_.opt.start + s_.seq.fetch_add(1);
    const std::uint64_t r = s_.opt.range > 1 ? dist_(rng_) % s_.opt.range : 0;
    req_ = {};
    req_.method_string(s_.opt.method);
    req_.target(expand(s_.opt.path, n, r));
    req_.version(11);
    req_.set(bhttp::field::host, s_.opt.host);
    for (const auto& h : s_.opt.headers) {
      const auto colon = h.find(':');
      if (colon != std::string::npos)
        req_.set(h.substr(0, colon), h.substr(h.find_first_not_of(' ', colon + 1)));
    }
    if (!s_.body_tmpl.empty()) {
      req_.body() = expand(s_.body_tmpl, n, r);
      req_.prepare_payload();
    }
    intended_ = intended;
    bhttp::async_write(socket_, req_,
                       [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         if (ec) return self->fail();
                         self->read();
                       });
  }

 private:
  void read() {
    res_.emplace();
    res_->body_limit(64 * 1024 * 1024);
    bhttp::async_read(
        socket_, buf_, *res_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
          if (ec) return self->fail();
          const auto now = Clock::now();
          const int status = static_cast<int>(self->res_->get().result_int());
          if (now >= self->s_.measure_from && self->intended_ >= self->s_.measure_from) {
            if (status < 200 || status >= 300) self->s_.non2xx.fetch_add(1);
            self->lat_.push_back(
                std::chrono::duration<double, std::milli>(now - self->intended_).count());
          }
          if (!self->res_->get().keep_alive()) return self->fail();
          self->next();
        });
  }

  void fail() {
    if (!s_.stop.load()) s_.errors.fetch_add(1);
    flush();
  }

 public:
  void flush() {
    std::lock_guard lock(s_.lat_mu);
    s_.latencies_ms.insert(s_.latencies_ms.end(), lat_.begin(), lat_.end());
    lat_.clear();
  }
  void close() {
    beast::error_code ec;
    socket_.close(ec);
  }

 private:
  tcp::socket socket_;
  Shared& s_;
  std::mt19937_64 rng_;
  std::uniform_int_distribution<std::uint64_t> dist_;
  net::steady_timer idle_timer_;
  beast::flat_buffer buf_;
  bhttp::request<bhttp::string_body> req_;
  std::optional<bhttp::response_parser<bhttp::string_body>> res_;
  Clock::time_point intended_;
  std::vector<double> lat_;
};

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto idx = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1));
  return sorted[idx];
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"urbis-loadgen: closed- and open-loop HTTP load"};
  app.add_option("--name", o.name, "workload name printed in the result");
  app.add_option("--host", o.host);
  app.add_option("--port", o.port)->required();
  app.add_option("--method", o.method);
  app.add_option("--path", o.path, "request target template ({n}, {r})");
  app.add_option("--body-file", o.body_file, "request body template file ({n}, {r})");
  app.add_option("-H,--header", o.headers, "extra header 'Name: value'");
  app.add_option("-c,--connections", o.connections);
  app.add_option("-t,--threads", o.threads);
  app.add_option("-d,--duration", o.duration, "seconds of measurement (after warm-up)");
  app.add_option("-n,--requests", o.requests, "stop after this many requests (no warm-up)");
  app.add_option("--rate", o.rate, "open loop: requests per second");
  app.add_option("--start", o.start, "first {n}");
  app.add_option("--range", o.range, "{r} is uniform in [0, range)");
  app.add_option("--warmup", o.warmup, "seconds before measuring");
  CLI11_PARSE(app, argc, argv);

  Shared s;
  s.opt = o;
  if (!o.body_file.empty()) {
    std::ifstream in(o.body_file);
    std::stringstream ss;
    ss << in.rdbuf();
    s.body_tmpl = ss.str();
    while (!s.body_tmpl.empty() && (s.body_tmpl.back() == '\n'))
      s.body_tmpl.pop_back();
  }
  const double warmup = o.requests ? 0 : o.warmup;
  const auto begin = Clock::now();
  s.measure_from =
      begin + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(warmup));
  const auto end = s.measure_from + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(o.duration));

  net::io_context ioc(o.threads);
  tcp::resolver resolver(ioc);
  const auto ep = resolver.resolve(o.host, std::to_string(o.port));
  std::vector<std::shared_ptr<Conn>> conns;
  for (int i = 0; i < o.connections; ++i) {
    conns.push_back(std::make_shared<Conn>(ioc, s, 1234567u + static_cast<std::uint64_t>(i)));
    conns.back()->start(ep);
  }
  // Open-loop scheduler: releases due send times at the fixed rate.
  std::thread scheduler;
  if (o.rate > 0) {
    scheduler = std::thread([&] {
      const auto interval = std::chrono::duration<double>(1.0 / o.rate);
      auto t = begin;
      std::uint64_t k = 0;
      while (!s.stop.load() && Clock::now() < end) {
        const auto now = Clock::now();
        std::vector<Clock::time_point> batch;
        while (t <= now) {
          batch.push_back(t);
          ++k;
          t = begin +
              std::chrono::duration_cast<Clock::duration>(interval * static_cast<double>(k));
        }
        if (!batch.empty()) {
          std::lock_guard lock(s.q_mu);
          s.due.insert(s.due.end(), batch.begin(), batch.end());
        }
        std::this_thread::sleep_for(std::chrono::microseconds(100));
      }
    });
  }
  std::thread stopper([&] {
    while (!s.stop.load() && (o.requests || Clock::now() < end))
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    s.stop.store(true);
  });
  std::vector<std::thread> workers;
  for (int i = 0; i < o.threads; ++i) {
    workers.emplace_back([&] {
      while (!s.stop.load())
        ioc.run_for(std::chrono::milliseconds(20));
    });
  }
  stopper.join();
  if (scheduler.joinable()) scheduler.join();
  for (auto& w : workers)
    w.join();
  const auto finished = Clock::now();
  for (auto& c : conns) {
    c->flush();
    c->close();
  }
  ioc.run_for(std::chrono::milliseconds(50));

  std::sort(s.latencies_ms.begin(), s.latencies_ms.end());
  const double seconds = std::chrono::duration<double>(
                             (o.requests ? finished : std::min(finished, end)) - s.measure_from)
                             .count();
  const double ops = static_cast<double>(s.latencies_ms.size()) / seconds;
  std::size_t backlog = 0;
  {
    std::lock_guard lock(s.q_mu);
    backlog = s.due.size();
  }
  std::printf(
      "RESULT name=%s ops=%.0f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f requests=%zu "
      "errors=%llu non2xx=%llu seconds=%.2f connections=%d rate=%.0f unsent=%zu\n",
      o.name.c_str(), ops, percentile(s.latencies_ms, 0.5), percentile(s.latencies_ms, 0.99),
      percentile(s.latencies_ms, 0.999), s.latencies_ms.empty() ? 0.0 : s.latencies_ms.back(),
      s.latencies_ms.size(), static_cast<unsigned long long>(s.errors.load()),
      static_cast<unsigned long long>(s.non2xx.load()), seconds, o.connections, o.rate, backlog);
  return 0;
}
