#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "metrics/registry.h"

namespace urbis::metrics {
namespace {

TEST(Metrics, RendersPrometheusTextFormat) {
  Registry r;
  r.counter("t_requests_total", "Requests", {{"route", "/a\"b"}, {"status", "200"}}).inc(3);
  r.gauge("t_open", "Open").set(2);
  auto& h = r.histogram("t_seconds", "Latency", {0.1, 1});
  h.observe(0.05);
  h.observe(0.5);
  h.observe(5);
  const std::string text = r.render();
  EXPECT_NE(text.find("# TYPE t_requests_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("t_requests_total{route=\"/a\\\"b\",status=\"200\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("t_open 2\n"), std::string::npos);
  EXPECT_NE(text.find("t_seconds_bucket{le=\"0.1\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("t_seconds_bucket{le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("t_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("t_seconds_count 3\n"), std::string::npos);
}

TEST(Metrics, SameNameAndLabelsIsTheSameMetric) {
  Registry r;
  Counter& a = r.counter("x_total", "X", {{"k", "v"}});
  Counter& b = r.counter("x_total", "X", {{"k", "v"}});
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &r.counter("x_total", "X", {{"k", "w"}}));
}

TEST(Metrics, ConcurrentUpdatesAreNotLost) {
  Registry r;
  Counter& c = r.counter("c_total", "C");
  Histogram& h = r.histogram("h", "H", size_buckets());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c.inc();
        h.observe(3);
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(c.value(), 40000u);
  EXPECT_EQ(h.snapshot().count, 40000u);
}

}  // namespace
}  // namespace urbis::metrics
