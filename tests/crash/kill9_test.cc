// Durability through the real binary: clients write continuously, the server is killed with
// SIGKILL at a random moment and restarted, many times. Every write that was answered 2xx must
// be there afterwards, byte for byte, and none may be half-applied.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "json/parse.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace urbis::testing {
namespace {

int rounds() {
  const char* r = std::getenv("CRASH_TEST_ROUNDS");
  return r ? std::atoi(r) : 12;
}

std::string entity(const std::string& id, int n) {
  // Several attributes so that a half-applied write would show.
  return R"({"id":")" + id + R"(","type":"Meter","reading":{"type":"Property","value":)" +
         std::to_string(n) + R"(},"serial":{"type":"Property","value":"s-)" + std::to_string(n) +
         R"("},"site":{"type":"Relationship","object":"urn:site:)" + std::to_string(n % 7) +
         R"("},"location":{"type":"GeoProperty","value":{"type":"Point","coordinates":[2.)" +
         std::to_string(n % 10) + R"(,41.3]}}})";
}

TEST(Kill9, AcknowledgedWritesSurviveSigkill) {
  TempDir dir;
  ServerProcess server(dir.sub("data"));
  std::mt19937 rng(20261122);
  std::vector<std::pair<std::string, int>> acked_creates;
  std::vector<std::string> acked_deletes;
  std::vector<std::string> attempted_deletes;  // answered or not: these may be gone
  std::mutex mu;
  int next = 0;

  for (int round = 0; round < rounds(); ++round) {
    std::atomic<bool> stop{false};
    std::atomic<int> acks{0};
    std::vector<std::thread> clients;
    for (int t = 0; t < 6; ++t) {
      clients.emplace_back([&, t] {
        auto c = server.client(std::chrono::seconds(5));
        while (!stop.load()) {
          int n;
          {
            std::lock_guard lock(mu);
            n = next++;
          }
          const std::string id = "urn:ngsi-ld:Meter:" + std::to_string(n);
          auto r = c->post_json("/ngsi-ld/v1/entities", entity(id, n));
          if (!r.ok()) return;  // the server is gone
          if (r->status == 201) {
            std::lock_guard lock(mu);
            acked_creates.emplace_back(id, n);
            acks.fetch_add(1);
          }
          if (t == 0 && n % 5 == 0) {  // one client also deletes what it just made
            {
              std::lock_guard lock(mu);
              attempted_deletes.push_back(id);
            }
            auto d = c->del("/ngsi-ld/v1/entities/" + id);
            if (!d.ok()) return;
            if (d->status == 204) {
              std::lock_guard lock(mu);
              acked_deletes.push_back(id);
            }
          }
        }
      });
    }
    const int target = 20 + static_cast<int>(rng() % 200);
    while (acks.load() < target)
      std::this_thread::yield();
    server.kill9();
    stop.store(true);
    for (auto& c : clients)
      c.join();
    server.restart();
  }

  auto c = server.client();
  std::sort(acked_deletes.begin(), acked_deletes.end());
  std::sort(attempted_deletes.begin(), attempted_deletes.end());
  for (const auto& [id, n] : acked_creates) {
    auto r = c->get("/ngsi-ld/v1/entities/" + id);
    ASSERT_TRUE(r.ok());
    if (std::binary_search(acked_deletes.begin(), acked_deletes.end(), id)) {
      EXPECT_EQ(r->status, 404) << id << " was deleted with a 204";
      continue;
    }
    if (r->status == 404 &&
        std::binary_search(attempted_deletes.begin(), attempted_deletes.end(), id)) {
      continue;  // a delete sent before the kill may have committed without its answer
    }
    ASSERT_EQ(r->status, 200) << id << " was acknowledged but is gone\n" << server.log();
    EXPECT_EQ(json::parse(r->body).value(), json::parse(entity(id, n)).value()) << id;
  }
  // Writes that were never acknowledged may or may not be there, but never in part.
  for (int n = 0; n < next; n += 3) {
    const std::string id = "urn:ngsi-ld:Meter:" + std::to_string(n);
    auto r = c->get("/ngsi-ld/v1/entities/" + id);
    ASSERT_TRUE(r.ok());
    if (r->status == 200) {
      EXPECT_EQ(json::parse(r->body).value(), json::parse(entity(id, n)).value());
    }
  }
  EXPECT_GT(acked_creates.size(), static_cast<std::size_t>(rounds() * 20));
}

}  // namespace
}  // namespace urbis::testing
