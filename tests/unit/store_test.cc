// The SQLite store and its single write path: group commit, per-write rollback, the change log,
// durable cursors and pruning, tenants, back-pressure.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

#include "metrics/registry.h"
#include "store/sqlite/sqlite_store.h"
#include "support/fault_vfs.h"
#include "support/temp_dir.h"

namespace urbis::store {
namespace {

using sqlite::SqliteOptions;
using sqlite::SqliteStore;
using urbis::testing::TempDir;

EntityRecord rec(const std::string& id, const std::string& doc = "{}") {
  return EntityRecord{id, doc, 1, 1};
}

WriteFn insert(std::string tenant, EntityRecord r) {
  return [tenant = std::move(tenant), r = std::move(r)](WriteTxn& txn) {
    return txn.insert_entity(tenant, r);
  };
}

class StoreTest : public ::testing::Test {
 protected:
  void open(SqliteOptions o = {}) {
    o.data_dir = dir_.path();
    o.metrics = &metrics_;
    auto s = SqliteStore::open(o);
    ASSERT_TRUE(s.ok()) << s.error().detail;
    store_ = std::move(s.value());
  }
  void reopen(SqliteOptions o = {}) {
    store_.reset();
    open(o);
  }
  TempDir dir_;
  metrics::Registry metrics_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(StoreTest, InsertGetDelete) {
  open();
  ASSERT_TRUE(store_->write(insert("", rec("urn:a:1", R"({"x":1})"))).ok());
  auto got = store_->get_entity("", "urn:a:1");
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got.value());
  EXPECT_EQ(got.value()->doc, R"({"x":1})");
  Status dup = store_->write(insert("", rec("urn:a:1")));
  EXPECT_EQ(dup.type(), ErrorType::kAlreadyExists);
  EXPECT_TRUE(store_->write([](WriteTxn& t) { return t.delete_entity("", "urn:a:1"); }).ok());
  Status again = store_->write([](WriteTxn& t) { return t.delete_entity("", "urn:a:1"); });
  EXPECT_EQ(again.type(), ErrorType::kResourceNotFound);
  EXPECT_FALSE(store_->get_entity("", "urn:a:1").value());
}

TEST_F(StoreTest, DataSurvivesReopen) {
  open();
  ASSERT_TRUE(store_->write(insert("", rec("urn:a:1", "doc"))).ok());
  reopen();
  EXPECT_EQ(store_->get_entity("", "urn:a:1").value()->doc, "doc");
  EXPECT_EQ(store_->last_committed_seq(), 1u);
}

TEST_F(StoreTest, TenantsAreIsolatedAndCreatedOnFirstWrite) {
  open();
  EXPECT_TRUE(store_->tenant_exists("").value());
  EXPECT_FALSE(store_->tenant_exists("city2").value());
  ASSERT_TRUE(store_->write(insert("city2", rec("urn:a:1", "two"))).ok());
  ASSERT_TRUE(store_->write(insert("", rec("urn:a:1", "default"))).ok());
  EXPECT_TRUE(store_->tenant_exists("city2").value());
  EXPECT_EQ(store_->get_entity("city2", "urn:a:1").value()->doc, "two");
  EXPECT_EQ(store_->get_entity("", "urn:a:1").value()->doc, "default");
  EXPECT_FALSE(store_->get_entity("city3", "urn:a:1").value());
  EXPECT_EQ(store_->count_entities("city2").value(), 1u);
}

TEST_F(StoreTest, AFailedWriteIsRolledBackAloneAndLeavesNoTenantBehind) {
  open();
  std::promise<void> gate;
  auto gate_future = gate.get_future().share();
  // Hold the writer so that the next writes are committed as one group.
  store_->submit(
      [gate_future](WriteTxn&) {
        gate_future.wait();
        return Status();
      },
      [](const Status&) {});
  std::vector<std::future<Status>> results;
  auto submit = [&](WriteFn fn) {
    auto p = std::make_shared<std::promise<Status>>();
    results.push_back(p->get_future());
    store_->submit(std::move(fn), [p](const Status& s) { p->set_value(s); });
  };
  submit(insert("", rec("urn:a:1")));
  submit([](WriteTxn& t) {
    // Writes, then fails: everything it did must vanish, including the tenant it created.
    Status s = t.insert_entity("ghost", rec("urn:a:2"));
    if (!s.ok()) return s;
    return Status(bad_request_data("changed my mind"));
  });
  submit(insert("", rec("urn:a:3")));
  gate.set_value();
  EXPECT_TRUE(results[0].get().ok());
  EXPECT_EQ(results[1].get().type(), ErrorType::kBadRequestData);
  EXPECT_TRUE(results[2].get().ok());
  EXPECT_TRUE(store_->get_entity("", "urn:a:1").value());
  EXPECT_TRUE(store_->get_entity("", "urn:a:3").value());
  EXPECT_FALSE(store_->tenant_exists("ghost").value());
  auto log = store_->read_changes(0, 100);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->changes.size(), 2u);
  EXPECT_EQ(log->changes[0].entity_id, "urn:a:1");
  EXPECT_EQ(log->changes[1].entity_id, "urn:a:3");
  EXPECT_EQ(log->changes[1].seq, log->changes[0].seq + 1);  // no hole where the failed write was
  // The ghost tenant can still be created later: the writer forgot its rolled-back id.
  EXPECT_TRUE(store_->write(insert("ghost", rec("urn:a:2"))).ok());
  EXPECT_TRUE(store_->get_entity("ghost", "urn:a:2").value());
}

TEST_F(StoreTest, ConcurrentWritesShareCommits) {
  open();
  constexpr int kThreads = 8, kEach = 200;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        Status s =
            store_->write(insert("", rec("urn:e:" + std::to_string(t) + ":" + std::to_string(i))));
        if (s.ok()) ok.fetch_add(1);
      }
    });
  }
  for (auto& th : threads)
    th.join();
  EXPECT_EQ(ok.load(), kThreads * kEach);
  EXPECT_EQ(store_->count_entities("").value(), static_cast<std::uint64_t>(kThreads * kEach));
  const auto commits = metrics_.counter("urbis_store_commits_total", "").value();
  EXPECT_LT(commits, static_cast<std::uint64_t>(kThreads * kEach)) << "no write shared a commit";
  EXPECT_NE(metrics_.render().find("urbis_store_commit_group_size_bucket"), std::string::npos);
}

TEST_F(StoreTest, ChangeLogRecordsBeforeAndAfter) {
  open();
  ASSERT_TRUE(store_->write(insert("t", rec("urn:a:1", "v1"))).ok());
  ASSERT_TRUE(
      store_
          ->write([](WriteTxn& t) {
            return t.update_entity("t", EntityRecord{"urn:a:1", "v2", 1, 2}, ChangeOp::kReplace);
          })
          .ok());
  ASSERT_TRUE(store_->write([](WriteTxn& t) { return t.delete_entity("t", "urn:a:1"); }).ok());
  auto log = store_->read_changes(0, 10);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->changes.size(), 3u);
  EXPECT_EQ(log->oldest_retained, 1u);
  const auto& c = log->changes;
  EXPECT_EQ(c[0].op, ChangeOp::kCreate);
  EXPECT_EQ(c[0].tenant, "t");
  EXPECT_FALSE(c[0].before);
  EXPECT_EQ(*c[0].after, "v1");
  EXPECT_EQ(c[1].op, ChangeOp::kReplace);
  EXPECT_EQ(*c[1].before, "v1");
  EXPECT_EQ(*c[1].after, "v2");
  EXPECT_EQ(c[2].op, ChangeOp::kDelete);
  EXPECT_EQ(*c[2].before, "v2");
  EXPECT_FALSE(c[2].after);
  EXPECT_LE(c[0].at, c[1].at);
  EXPECT_EQ(store_->read_changes(2, 10)->changes.size(), 1u);
  EXPECT_EQ(store_->read_changes(0, 1)->changes.size(), 1u);
}

TEST_F(StoreTest, FollowersWakeOnCommit) {
  open();
  const auto start = store_->last_committed_seq();
  std::thread writer([&] { ASSERT_TRUE(store_->write(insert("", rec("urn:a:1"))).ok()); });
  const auto seen = store_->wait_for_changes(start, std::chrono::seconds(30));
  writer.join();
  EXPECT_GT(seen, start);
  // Nothing new: returns at the timeout with the same seq.
  EXPECT_EQ(store_->wait_for_changes(seen, std::chrono::milliseconds(20)), seen);
}

TEST_F(StoreTest, PruningWaitsForTheSlowestDurableCursor) {
  SqliteOptions o;
  o.changelog_retention = std::chrono::seconds(0);
  open(o);
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(store_->write(insert("", rec("urn:a:" + std::to_string(i)))).ok());
  }
  ASSERT_TRUE(store_->write([](WriteTxn& t) { return t.set_cursor("notifier", 4); }).ok());
  ASSERT_TRUE(store_->write([](WriteTxn& t) { return t.set_cursor("dashboard", 7); }).ok());
  EXPECT_EQ(store_->cursor("notifier").value(), 4u);
  EXPECT_EQ(store_->prune_changes().value(), 4u);
  auto log = store_->read_changes(0, 100);
  EXPECT_EQ(log->oldest_retained, 5u);
  EXPECT_EQ(log->changes.front().seq, 5u);
  // Cursors survive a restart.
  reopen(o);
  EXPECT_EQ(store_->cursor("dashboard").value(), 7u);
  ASSERT_TRUE(store_->write([](WriteTxn& t) { return t.drop_cursor("notifier"); }).ok());
  EXPECT_EQ(store_->prune_changes().value(), 3u);
  ASSERT_TRUE(store_->write([](WriteTxn& t) { return t.drop_cursor("dashboard"); }).ok());
  // No durable consumer left: everything may go; seqs still never go back.
  EXPECT_EQ(store_->prune_changes().value(), 3u);
  EXPECT_EQ(store_->read_changes(0, 100)->changes.size(), 0u);
  // An empty log still tells a follower at seq 3 that it missed changes up to 10.
  EXPECT_EQ(store_->read_changes(3, 100)->oldest_retained, 11u);
  reopen(o);
  ASSERT_TRUE(store_->write(insert("", rec("urn:b:1"))).ok());
  EXPECT_EQ(store_->read_changes(0, 100)->changes.front().seq, 11u);
}

TEST_F(StoreTest, RetentionWindowKeepsRecentChangesForTransientFollowers) {
  SqliteOptions o;
  o.changelog_retention = std::chrono::seconds(3600);
  open(o);
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(store_->write(insert("", rec("urn:a:" + std::to_string(i)))).ok());
  EXPECT_EQ(store_->prune_changes().value(), 0u);
  EXPECT_EQ(store_->read_changes(0, 100)->changes.size(), 5u);
}

TEST_F(StoreTest, FullQueueAnswersServiceUnavailable) {
  SqliteOptions o;
  o.max_pending_writes = 1;
  open(o);
  std::promise<void> gate;
  auto gate_future = gate.get_future().share();
  std::promise<void> started;
  store_->submit(
      [&started, gate_future](WriteTxn&) {
        started.set_value();
        gate_future.wait();
        return Status();
      },
      [](const Status&) {});
  started.get_future().wait();  // the writer holds the first write; the queue is empty again
  std::promise<Status> queued;
  store_->submit(insert("", rec("urn:q:1")), [&](const Status& s) { queued.set_value(s); });
  Status rejected;
  store_->submit(insert("", rec("urn:q:2")), [&](const Status& s) { rejected = s; });
  EXPECT_EQ(rejected.type(), ErrorType::kServiceUnavailable);
  EXPECT_NE(rejected.detail().find("limits.max_pending_writes"), std::string::npos);
  gate.set_value();
  EXPECT_TRUE(queued.get_future().get().ok());
}

TEST_F(StoreTest, CloseRunsQueuedWritesThenRefuses) {
  open();
  std::atomic<int> done{0};
  for (int i = 0; i < 100; ++i) {
    store_->submit(insert("", rec("urn:c:" + std::to_string(i))), [&](const Status& s) {
      if (s.ok()) done.fetch_add(1);
    });
  }
  store_->close();
  EXPECT_EQ(done.load(), 100);
  EXPECT_FALSE(store_->health().open);
  Status after;
  store_->submit(insert("", rec("urn:c:x")), [&](const Status& s) { after = s; });
  EXPECT_EQ(after.type(), ErrorType::kServiceUnavailable);
  reopen();
  EXPECT_EQ(store_->count_entities("").value(), 100u);
}

TEST_F(StoreTest, ReadinessComesBackWhenTheDiskDoes) {
  auto& vfs = urbis::testing::FaultInjectionVfs::install();
  vfs.reset();
  SqliteOptions o;
  o.vfs = urbis::testing::FaultInjectionVfs::kName;
  open(o);
  ASSERT_TRUE(store_->write(insert("", rec("urn:d:1"))).ok());
  EXPECT_TRUE(store_->health().writable);
  vfs.power_cut();  // every write now fails, as on a full or failed disk
  Status failed = store_->write(insert("", rec("urn:d:2")));
  EXPECT_FALSE(failed.ok());
  EXPECT_FALSE(store_->health().writable);
  EXPECT_FALSE(store_->health().last_error.empty());
  vfs.reset();  // the disk is back; no client writes arrive
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!store_->health().writable && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(store_->health().writable);
  EXPECT_TRUE(store_->write(insert("", rec("urn:d:3"))).ok());
  EXPECT_FALSE(store_->get_entity("", "urn:d:2").value());
  EXPECT_TRUE(store_->get_entity("", "urn:d:1").value());
}

TEST_F(StoreTest, SecondProcessOnTheSameDirectoryIsRefused) {
  open();
  SqliteOptions o;
  o.data_dir = dir_.path();
  auto second = SqliteStore::open(o);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().detail.find("in use"), std::string::npos);
}

}  // namespace
}  // namespace urbis::store
