// The embedded default Store: one SQLite database in WAL mode with synchronous=FULL in the data
// directory (<data>/urbis.db). One writer thread owns the only write connection and group-commits
// (writer.h); reads use a pool of their own connections and never wait for it; a checkpointer
// thread moves the WAL into the database in the background so commits never pay for it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "metrics/registry.h"
#include "store/data_dir.h"
#include "store/sqlite/connection.h"
#include "store/store.h"

namespace urbis::store::sqlite {

class Writer;

struct SqliteOptions {
  std::string data_dir = "./data";
  // SQLite VFS name; empty for the default. Tests register a fault-injecting VFS and name it here.
  std::string vfs;
  // Most writes in one group transaction. Larger groups amortise the fsync further but make the
  // first writer of a group wait longer.
  std::size_t max_group = 1024;
  // Past this many queued writes submit() answers ServiceUnavailable (limits.max_pending_writes).
  std::size_t max_pending_writes = 20000;
  // Change-log entries younger than this are kept even when no durable cursor needs them, so
  // transient followers (the live dashboard) can catch up after a short stall.
  std::chrono::seconds changelog_retention{300};
  // WAL size (in pages) at which the checkpointer runs.
  int checkpoint_pages = 4096;
  // Take the data-directory lock (tests that open a store twice in-process turn it off).
  bool lock_data_dir = true;
  metrics::Registry* metrics = nullptr;  // optional
};

// Shared between the writer (publishes) and followers (wait).
class CommitFeed {
 public:
  void publish(std::uint64_t seq);
  std::uint64_t last() const { return last_.load(std::memory_order_acquire); }
  std::uint64_t wait_after(std::uint64_t after, std::chrono::milliseconds timeout);

 private:
  std::atomic<std::uint64_t> last_{0};
  std::mutex mu_;
  std::condition_variable cv_;
};

class SqliteStore final : public Store {
 public:
  static Result<std::unique_ptr<SqliteStore>> open(const SqliteOptions& options);
  ~SqliteStore() override;

  void submit(WriteFn fn, WriteDone done) override;
  Result<std::optional<EntityRecord>> get_entity(std::string_view tenant,
                                                 std::string_view id) override;
  Result<bool> tenant_exists(std::string_view tenant) override;
  Result<std::uint64_t> count_entities(std::string_view tenant) override;
  Result<ChangeBatch> read_changes(std::uint64_t after_seq, std::size_t limit) override;
  std::uint64_t last_committed_seq() const override { return feed_.last(); }
  std::uint64_t wait_for_changes(std::uint64_t after_seq,
                                 std::chrono::milliseconds timeout) override;
  Result<std::optional<std::uint64_t>> cursor(std::string_view name) override;
  Result<std::uint64_t> prune_changes() override;
  StoreHealth health() const override;
  void close() override;

  // The path of the database file inside a data directory.
  static std::string database_path(const std::string& data_dir);
  // Called by the WAL hook on the writer thread after each commit.
  void note_wal_pages(int pages);

 private:
  explicit SqliteStore(const SqliteOptions& options);
  Status start();

  // A read connection borrowed from the pool for one operation.
  class Lease {
   public:
    Lease(SqliteStore& store, std::unique_ptr<Connection> conn)
        : store_(store), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    ~Lease();
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }

   private:
    SqliteStore& store_;
    std::unique_ptr<Connection> conn_;
  };
  Result<Lease> reader();
  Result<std::optional<std::int64_t>> tenant_id(Connection& conn, std::string_view tenant);
  Result<std::unique_ptr<Connection>> open_connection(bool writer);
  void checkpoint_loop();

  SqliteOptions options_;
  std::optional<DataDirLock> lock_;
  CommitFeed feed_;
  std::unique_ptr<Writer> writer_;
  std::atomic<bool> closed_{false};
  std::mutex close_mu_;

  std::mutex readers_mu_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;

  std::shared_mutex tenants_mu_;
  std::unordered_map<std::string, std::int64_t> tenant_ids_;  // read-side cache, positive only

  std::thread checkpointer_;
  std::unique_ptr<Connection> checkpoint_conn_;
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool checkpoint_stop_ = false;
  std::atomic<int> wal_pages_{0};
  metrics::Histogram* checkpoint_seconds_ = nullptr;
  metrics::Gauge* wal_pages_gauge_ = nullptr;

  friend class Writer;
};

}  // namespace urbis::store::sqlite
