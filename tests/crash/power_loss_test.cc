// Durability against power loss: the store runs on a VFS that forgets every byte not yet
// fsynced when the "power" is cut (support/fault_vfs.h). Every write acknowledged before the
// cut must be there after recovery, and the entities and the change log must agree exactly
// (history and current state never disagree).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_store.h"
#include "support/fault_vfs.h"
#include "support/temp_dir.h"

namespace urbis::testing {
namespace {

using store::EntityRecord;
using store::WriteTxn;
using store::sqlite::SqliteOptions;
using store::sqlite::SqliteStore;

int rounds() {
  const char* r = std::getenv("CRASH_TEST_ROUNDS");
  return r ? std::atoi(r) : 12;
}

std::string doc_for(const std::string& id) {
  return R"({"id":")" + id + R"(","payload":")" + std::string(300, 'p') + "\"}";
}

TEST(PowerLoss, AcknowledgedWritesSurviveLosingUnsyncedData) {
  TempDir dir;
  auto& vfs = FaultInjectionVfs::install();
  std::mt19937 rng(7);
  std::set<std::string> acked;
  std::set<std::string> acked_deleted;
  int next = 0;

  for (int round = 0; round < rounds(); ++round) {
    vfs.reset();
    SqliteOptions o;
    o.data_dir = dir.path();
    o.vfs = FaultInjectionVfs::kName;
    o.checkpoint_pages = 64;  // checkpoint often so power cuts also hit checkpoints
    auto opened = SqliteStore::open(o);
    ASSERT_TRUE(opened.ok()) << opened.error().detail;
    auto store = std::move(opened.value());

    std::mutex mu;
    std::atomic<int> acks{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int t = 0; t < 4; ++t) {
      writers.emplace_back([&, t] {
        while (!stop.load()) {
          std::string id;
          {
            std::lock_guard lock(mu);
            id = "urn:p:" + std::to_string(next++);
          }
          Status s = store->write([id](WriteTxn& txn) {
            return txn.insert_entity("", EntityRecord{id, doc_for(id), 1, 1});
          });
          if (!s.ok()) continue;  // after the cut every commit fails
          std::lock_guard lock(mu);
          acked.insert(id);
          acks.fetch_add(1);
          if (t == 0 && acked.size() % 4 == 0) {
            Status d = store->write([id](WriteTxn& txn) { return txn.delete_entity("", id); });
            if (d.ok()) acked_deleted.insert(id);
          }
        }
      });
    }
    const int target = 50 + static_cast<int>(rng() % 400);
    while (acks.load() < target)
      std::this_thread::yield();
    vfs.power_cut();
    {
      std::lock_guard lock(mu);
      stop.store(true);
    }
    for (auto& w : writers)
      w.join();
    store->close();  // everything it tries to write now fails, as on a dead machine
    store.reset();
    vfs.drop_unsynced_data();
    vfs.reset();

    // Recover with the ordinary VFS and check.
    SqliteOptions plain;
    plain.data_dir = dir.path();
    auto reopened = SqliteStore::open(plain);
    ASSERT_TRUE(reopened.ok()) << "round " << round << ": " << reopened.error().detail;
    auto& s = *reopened.value();
    for (const auto& id : acked) {
      auto e = s.get_entity("", id);
      ASSERT_TRUE(e.ok());
      if (acked_deleted.count(id)) {
        EXPECT_FALSE(e.value()) << "round " << round << ": " << id << " was deleted";
      } else {
        ASSERT_TRUE(e.value()) << "round " << round << ": acknowledged " << id << " lost";
        EXPECT_EQ(e.value()->doc, doc_for(id));
      }
    }
    // Current state and change log agree: each present entity's last change is a create.
    auto log = s.read_changes(0, 10000000);
    ASSERT_TRUE(log.ok());
    std::set<std::string> from_log;
    for (const auto& c : log->changes) {
      if (c.op == store::ChangeOp::kCreate) from_log.insert(c.entity_id);
      if (c.op == store::ChangeOp::kDelete) from_log.erase(c.entity_id);
    }
    EXPECT_EQ(s.count_entities("").value(), from_log.size()) << "round " << round;
    for (std::size_t i = 1; i < log->changes.size(); ++i) {
      ASSERT_GT(log->changes[i].seq, log->changes[i - 1].seq);
    }
  }
  EXPECT_GT(acked.size(), static_cast<std::size_t>(rounds() * 50));
}

}  // namespace
}  // namespace urbis::testing
