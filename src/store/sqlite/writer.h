// The single writer of a SqliteStore: one thread, one write connection, group commit.
//
// Loop: take every queued write (up to max_group), BEGIN IMMEDIATE, run each WriteFn inside its
// own SAVEPOINT (a failed write is rolled back alone), COMMIT (one fsync for the whole group),
// publish the newest change-log seq, then call every `done`. While one group commits, the next
// one queues up, so the group size grows with the load and the fsync cost per write falls.
// Between groups it prunes the change log in small steps.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "metrics/registry.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace urbis::store::sqlite {

class Writer {
 public:
  Writer(std::unique_ptr<Connection> db, const SqliteOptions& options, CommitFeed& feed);
  ~Writer();

  // Loads the writer's state (last seq, tenants) and starts the thread.
  Status start();
  void submit(WriteFn fn, WriteDone done);
  // Runs one pruning pass on the writer thread and waits for it.
  Result<std::uint64_t> prune_now();
  // Stops taking writes, runs the queued ones, joins the thread. Idempotent.
  void stop();
  StoreHealth health() const;
  // The write connection; only valid to use after stop().
  Connection& connection() { return *db_; }

 private:
  struct Item {
    WriteFn fn;
    WriteDone done;
    std::chrono::steady_clock::time_point enqueued;
  };
  class Txn;
  friend class Txn;

  void loop();
  void run_group(std::vector<Item>& group);
  Result<std::uint64_t> prune();
  void fail_group(std::vector<Item>& group, const Status& why);
  // After a failed commit, tries a harmless write once a second until one succeeds.
  void probe_if_failing();

  Result<std::optional<std::int64_t>> find_tenant(std::string_view name);
  Result<std::int64_t> tenant_for_write(std::string_view name, Txn& txn);
  Status log_change(std::int64_t tenant, std::string_view entity_id, ChangeOp op, TimestampUs at,
                    const std::optional<std::string_view>& before,
                    const std::optional<std::string_view>& after, Txn& txn);

  std::unique_ptr<Connection> db_;
  SqliteOptions options_;
  CommitFeed& feed_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  std::vector<std::function<void()>> maintenance_;
  bool stopping_ = false;
  std::thread thread_;

  // Writer-thread state.
  std::unordered_map<std::string, std::int64_t> tenants_;
  std::uint64_t last_seq_ = 0;
  TimestampUs last_now_ = 0;
  std::chrono::steady_clock::time_point last_prune_{};
  // (seq, time) marks, one per second at most, to find what the retention window covers.
  std::deque<std::pair<std::uint64_t, TimestampUs>> marks_;
  // Every change up to this seq is older than the retention window.
  std::uint64_t prunable_by_time_ = 0;

  // Health, read by other threads.
  bool writable_ = true;
  std::string last_error_;

  // Metrics (null when the store has no registry).
  metrics::Histogram* group_size_ = nullptr;
  metrics::Histogram* commit_seconds_ = nullptr;
  metrics::Histogram* group_seconds_ = nullptr;
  metrics::Histogram* wait_seconds_ = nullptr;
  metrics::Counter* commits_ = nullptr;
  metrics::Counter* commit_failures_ = nullptr;
  metrics::Counter* rejected_ = nullptr;
  metrics::Counter* pruned_ = nullptr;
  metrics::Gauge* pending_ = nullptr;
  metrics::Gauge* last_seq_gauge_ = nullptr;
};

}  // namespace urbis::store::sqlite
