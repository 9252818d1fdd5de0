// Operations through the real binary: health, readiness, version, metrics, graceful shutdown,
// configuration, backup and restore from the command line.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "support/api_fixture.h"

namespace urbis::testing {
namespace {

using SystemApi = ApiTest;

std::string entity(const std::string& id) {
  return R"({"id":")" + id + R"(","type":"Sensor","n":{"type":"Property","value":1}})";
}

TEST_F(SystemApi, HealthReadyVersion) {
  auto h = get("/health");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(body_of(h).find("status")->as_string(), "ok");
  auto r = get("/ready");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(body_of(r).find("store")->as_string(), "writable");
  auto v = body_of(get("/version"));
  EXPECT_TRUE(v.find("urbis") && v.find("schemaVersion"));
}

TEST_F(SystemApi, MetricsExposeRequestsLatencyCommitsAndConnections) {
  ASSERT_EQ(post("/ngsi-ld/v1/entities", entity("urn:x:1")).status, 201);
  ASSERT_EQ(get("/ngsi-ld/v1/entities/urn:x:1").status, 200);
  auto m = get("/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(m.headers.get("Content-Type").value_or("").find("text/plain; version=0.0.4"),
            std::string::npos);
  for (
      const char* needle :
      {R"(urbis_http_requests_total{route="/ngsi-ld/v1/entities",method="POST",status="201"} 1)",
       R"(urbis_http_request_duration_seconds_bucket{route="/ngsi-ld/v1/entities/{entityId}",method="GET",le=")",
       "urbis_store_commit_group_size_bucket", "urbis_store_commit_seconds_count",
       "urbis_http_connections_open 1", "urbis_changelog_last_seq 1",
       "process_resident_memory_bytes"}) {
    EXPECT_NE(m.body.find(needle), std::string::npos) << needle;
  }
}

TEST_F(SystemApi, SigtermFinishesInFlightWritesCommitsAndExitsZero) {
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  std::vector<std::vector<std::string>> acked(4);
  std::atomic<int> acked_total{0};
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      auto c = server_->client();
      for (int i = 0; !stop.load(); ++i) {
        const std::string id = "urn:x:" + std::to_string(t) + ":" + std::to_string(i);
        auto r = c->post_json("/ngsi-ld/v1/entities", entity(id));
        if (!r.ok()) break;
        if (r->status == 201) {
          acked[static_cast<std::size_t>(t)].push_back(id);
          acked_total.fetch_add(1);
        }
      }
    });
  }
  // Wait for some writes, then ask the server to stop while the writers keep going.
  while (acked_total.load() < 40)
    std::this_thread::yield();
  EXPECT_EQ(server_->terminate(), 0) << server_->log();
  stop.store(true);
  for (auto& w : writers)
    w.join();
  EXPECT_NE(server_->log().find("stopped cleanly"), std::string::npos);
  server_->restart();
  auto c = server_->client();
  for (const auto& ids : acked) {
    for (const auto& id : ids)
      EXPECT_EQ(c->get("/ngsi-ld/v1/entities/" + id)->status, 200) << id;
  }
}

TEST_F(SystemApi, IdleKeepAliveConnectionsDoNotDelayShutdown) {
  std::vector<std::unique_ptr<http::Client>> idle;
  for (int i = 0; i < 10; ++i) {
    idle.push_back(server_->client());
    ASSERT_EQ(idle.back()->get("/health")->status, 200);
  }
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(server_->terminate(), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_F(SystemApi, BackupWhileServingThenRestore) {
  for (int i = 0; i < 50; ++i)
    ASSERT_EQ(post("/ngsi-ld/v1/entities", entity("urn:b:" + std::to_string(i))).status, 201);
  std::string out;
  ASSERT_EQ(run_urbis({"backup", "--data", dir_.sub("data"), "--out", dir_.sub("backup")}, &out), 0)
      << out;
  EXPECT_NE(out.find("50 entities"), std::string::npos) << out;
  ASSERT_EQ(del("/ngsi-ld/v1/entities/urn:b:0").status, 204);
  // Restoring under a running server is refused.
  EXPECT_NE(run_urbis({"restore", "--from", dir_.sub("backup"), "--data", dir_.sub("data")}, &out),
            0);
  EXPECT_NE(out.find("stop urbis"), std::string::npos) << out;
  ASSERT_EQ(server_->terminate(), 0);
  ASSERT_EQ(run_urbis({"verify-backup", "--from", dir_.sub("backup")}, &out), 0) << out;
  ASSERT_EQ(run_urbis({"restore", "--from", dir_.sub("backup"), "--data", dir_.sub("data")}, &out),
            0)
      << out;
  server_->restart();
  EXPECT_EQ(server_->client()->get("/ngsi-ld/v1/entities/urn:b:0")->status, 200);
}

TEST_F(SystemApi, ASecondServerOnTheSameDataDirectoryRefusesToStart) {
  std::string out;
  const int code =
      run_urbis({"serve", "--listen", "127.0.0.1:0", "--data", dir_.sub("data")}, &out);
  EXPECT_EQ(code, 1);
  EXPECT_NE(out.find("in use"), std::string::npos) << out;
}

TEST(Cli, ConfigPrintsEveryLimitAndRejectsTypos) {
  std::string out;
  ASSERT_EQ(run_urbis({"config", "--set", "limits.max_body_bytes=4096"}, &out), 0) << out;
  EXPECT_NE(out.find("max_body_bytes = 4096"), std::string::npos);
  EXPECT_NE(out.find("URBIS_LIMITS_MAX_CONNECTIONS"), std::string::npos);
  EXPECT_EQ(run_urbis({"config", "--set", "limits.max_bodybytes=1"}, &out), 2);
  EXPECT_NE(out.find("limits.max_bodybytes"), std::string::npos);
  ASSERT_EQ(run_urbis({"version"}, &out), 0);
  EXPECT_NE(out.find("urbis "), std::string::npos);
}

class SmallLimits : public ApiTest {
 protected:
  SmallLimits() {
    server_args = {"--set", "limits.max_json_depth=5",
                   "--set", "limits.max_string_bytes=64",
                   "--set", "limits.max_attributes_per_entity=3"};
  }
};

TEST_F(SmallLimits, ExceedingALimitNamesIt) {
  expect_problem(post("/ngsi-ld/v1/entities",
                      R"({"id":"urn:x:1","type":"T","a":{"type":"Property","value":[[[[[1]]]]]}})"),
                 400, "BadRequestData", "limits.max_json_depth");
  expect_problem(post("/ngsi-ld/v1/entities",
                      R"({"id":"urn:x:1","type":"T","a":{"type":"Property","value":")" +
                          std::string(100, 'x') + "\"}}"),
                 400, "BadRequestData", "limits.max_string_bytes");
  expect_problem(
      post(
          "/ngsi-ld/v1/entities",
          R"({"id":"urn:x:1","type":"T","a":{"type":"Property","value":1},"b":{"type":"Property","value":1},"c":{"type":"Property","value":1},"d":{"type":"Property","value":1}})"),
      400, "BadRequestData", "limits.max_attributes_per_entity");
  expect_problem(get("/ngsi-ld/v1/entities/urn:x:1"), 404, "ResourceNotFound", "urn:x:1");
}

}  // namespace
}  // namespace urbis::testing
