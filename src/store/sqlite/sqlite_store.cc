#include "store/sqlite/sqlite_store.h"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include "store/sqlite/entity_rows.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/writer.h"

namespace urbis::store::sqlite {
namespace {

using Clock = std::chrono::steady_clock;

Error closed_error() {
  return Error{ErrorType::kServiceUnavailable, "the store is closed"};
}

// Called by SQLite on the writer thread after each commit with the WAL size in pages.
int on_wal_commit(void* arg, sqlite3*, const char*, int pages);

}  // namespace

void CommitFeed::publish(std::uint64_t seq) {
  {
    std::lock_guard lock(mu_);
    last_.store(seq, std::memory_order_release);
  }
  cv_.notify_all();
}

std::uint64_t CommitFeed::wait_after(std::uint64_t after, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return last_.load(std::memory_order_acquire) > after; });
  return last_.load(std::memory_order_acquire);
}

std::string SqliteStore::database_path(const std::string& data_dir) {
  return data_dir + "/urbis.db";
}

SqliteStore::SqliteStore(const SqliteOptions& options) : options_(options) {}

SqliteStore::~SqliteStore() {
  close();
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const SqliteOptions& options) {
  std::unique_ptr<SqliteStore> store(new SqliteStore(options));
  Status s = store->start();
  if (!s.ok()) {
    store->close();
    return s.error();
  }
  return store;
}

Result<std::unique_ptr<Connection>> SqliteStore::open_connection(bool writer) {
  auto conn = Connection::open(database_path(options_.data_dir), writer, false, options_.vfs);
  if (!conn.ok()) return conn.error();
  Connection& c = *conn.value();
  // Every connection waits (rather than failing) while another holds a lock briefly, e.g. a
  // checkpoint or an online backup.
  sqlite3_busy_timeout(c.raw(), 5000);
  if (writer) {
    // WAL: readers never block the writer nor the writer them. synchronous=FULL: COMMIT returns
    // only after the WAL is fsynced, so a 2xx answer means the data is on disk.
    URBIS_RETURN_IF_ERROR(c.exec("PRAGMA journal_mode = WAL"));
    URBIS_RETURN_IF_ERROR(c.exec("PRAGMA synchronous = FULL"));
    // Checkpoints run on their own thread (checkpoint_loop), never inside a commit.
    URBIS_RETURN_IF_ERROR(c.exec("PRAGMA wal_autocheckpoint = 0"));
    URBIS_RETURN_IF_ERROR(c.exec("PRAGMA journal_size_limit = 67108864"));
    URBIS_RETURN_IF_ERROR(c.exec("PRAGMA cache_size = -32768"));
  } else {
    URBIS_RETURN_IF_ERROR(c.exec("PRAGMA query_only = ON"));
    URBIS_RETURN_IF_ERROR(c.exec("PRAGMA cache_size = -8192"));
    URBIS_RETURN_IF_ERROR(c.exec("PRAGMA mmap_size = 1073741824"));
  }
  URBIS_RETURN_IF_ERROR(c.exec("PRAGMA temp_store = MEMORY"));
  return conn;
}

Status SqliteStore::start() {
  if (options_.lock_data_dir) {
    auto lock = DataDirLock::acquire(options_.data_dir);
    if (!lock.ok()) return lock.status();
    lock_.emplace(std::move(lock.value()));
  }
  auto wconn = open_connection(true);
  if (!wconn.ok()) return wconn.status();
  URBIS_RETURN_IF_ERROR(migrate(*wconn.value()));
  sqlite3_wal_hook(wconn.value()->raw(), on_wal_commit, this);

  if (auto* m = options_.metrics) {
    checkpoint_seconds_ =
        &m->histogram("urbis_store_checkpoint_seconds", "Duration of background WAL checkpoints",
                      metrics::latency_buckets_seconds());
    wal_pages_gauge_ =
        &m->gauge("urbis_store_wal_pages", "WAL size in pages after the last commit");
  }
  auto cconn = open_connection(false);
  if (!cconn.ok()) return cconn.status();
  checkpoint_conn_ = std::move(cconn.value());

  writer_ = std::make_unique<Writer>(std::move(wconn.value()), options_, feed_);
  URBIS_RETURN_IF_ERROR(writer_->start());
  checkpointer_ = std::thread([this] { checkpoint_loop(); });
  return Status();
}

namespace {
int on_wal_commit(void* arg, sqlite3*, const char*, int pages) {
  auto* store = static_cast<SqliteStore*>(arg);
  store->note_wal_pages(pages);
  return SQLITE_OK;
}
}  // namespace

void SqliteStore::note_wal_pages(int pages) {
  wal_pages_.store(pages, std::memory_order_relaxed);
  if (wal_pages_gauge_) wal_pages_gauge_->set(pages);
  if (pages >= options_.checkpoint_pages) checkpoint_cv_.notify_one();
}

void SqliteStore::checkpoint_loop() {
  std::unique_lock lock(checkpoint_mu_);
  while (!checkpoint_stop_) {
    checkpoint_cv_.wait_for(lock, std::chrono::seconds(1), [&] {
      return checkpoint_stop_ ||
             wal_pages_.load(std::memory_order_relaxed) >= options_.checkpoint_pages;
    });
    if (checkpoint_stop_) break;
    if (wal_pages_.load(std::memory_order_relaxed) < options_.checkpoint_pages) continue;
    lock.unlock();
    const auto start = Clock::now();
    int log = 0, done = 0;
    // PASSIVE: copies what it can without waiting for readers or blocking the writer.
    const int rc = sqlite3_wal_checkpoint_v2(checkpoint_conn_->raw(), nullptr,
                                             SQLITE_CHECKPOINT_PASSIVE, &log, &done);
    if (checkpoint_seconds_) {
      checkpoint_seconds_->observe(std::chrono::duration<double>(Clock::now() - start).count());
    }
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      spdlog::warn("store: checkpoint failed: {}", sqlite3_errstr(rc));
    }
    // The WAL restarts from its beginning on the next commit once fully checkpointed; until
    // then the hook reports its old size, so do not spin on it.
    wal_pages_.store(0, std::memory_order_relaxed);
    lock.lock();
  }
}

void SqliteStore::submit(WriteFn fn, WriteDone done) {
  if (closed_.load(std::memory_order_acquire) || !writer_) {
    done(closed_error());
    return;
  }
  writer_->submit(std::move(fn), std::move(done));
}

SqliteStore::Lease::~Lease() {
  if (!conn_) return;
  std::lock_guard lock(store_.readers_mu_);
  store_.idle_readers_.push_back(std::move(conn_));
}

Result<SqliteStore::Lease> SqliteStore::reader() {
  if (closed_.load(std::memory_order_acquire)) return closed_error();
  {
    std::lock_guard lock(readers_mu_);
    if (!idle_readers_.empty()) {
      auto conn = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return Lease(*this, std::move(conn));
    }
  }
  // Pool grows to the number of threads reading at once (I/O threads plus tools).
  auto conn = open_connection(false);
  if (!conn.ok()) return conn.error();
  return Lease(*this, std::move(conn.value()));
}

Result<std::optional<std::int64_t>> SqliteStore::tenant_id(Connection& conn,
                                                           std::string_view tenant) {
  {
    std::shared_lock lock(tenants_mu_);
    if (auto it = tenant_ids_.find(std::string(tenant)); it != tenant_ids_.end()) {
      return std::optional<std::int64_t>(it->second);
    }
  }
  auto st = conn.cached("SELECT id FROM tenants WHERE name = ?1");
  if (!st.ok()) return st.error();
  Statement& s = *st.value();
  s.bind(1, tenant);
  auto row = s.step();
  if (!row.ok()) return row.error();
  if (!row.value()) return std::optional<std::int64_t>();
  const std::int64_t id = s.column_int(0);
  s.reset();
  std::unique_lock lock(tenants_mu_);
  tenant_ids_.emplace(std::string(tenant), id);  // tenants are never renamed or reused
  return std::optional<std::int64_t>(id);
}

Result<std::optional<EntityRecord>> SqliteStore::get_entity(std::string_view tenant,
                                                            std::string_view id) {
  auto lease = reader();
  if (!lease.ok()) return lease.error();
  Connection& conn = *lease.value();
  auto tid = tenant_id(conn, tenant);
  if (!tid.ok()) return tid.error();
  if (!tid.value()) return std::optional<EntityRecord>();
  return select_entity(conn, *tid.value(), id);
}

Result<bool> SqliteStore::tenant_exists(std::string_view tenant) {
  auto lease = reader();
  if (!lease.ok()) return lease.error();
  auto tid = tenant_id(*lease.value(), tenant);
  if (!tid.ok()) return tid.error();
  return tid.value().has_value();
}

Result<std::uint64_t> SqliteStore::count_entities(std::string_view tenant) {
  auto lease = reader();
  if (!lease.ok()) return lease.error();
  Connection& conn = *lease.value();
  auto tid = tenant_id(conn, tenant);
  if (!tid.ok()) return tid.error();
  if (!tid.value()) return std::uint64_t{0};
  auto st = conn.cached("SELECT count(*) FROM entities WHERE tenant = ?1");
  if (!st.ok()) return st.error();
  Statement& s = *st.value();
  s.bind(1, *tid.value());
  auto row = s.step();
  if (!row.ok()) return row.error();
  const auto n = static_cast<std::uint64_t>(s.column_int(0));
  s.reset();
  return n;
}

Result<ChangeBatch> SqliteStore::read_changes(std::uint64_t after_seq, std::size_t limit) {
  auto lease = reader();
  if (!lease.ok()) return lease.error();
  Connection& conn = *lease.value();
  // One read transaction so that "oldest" and the rows come from the same snapshot.
  URBIS_RETURN_IF_ERROR(conn.exec("BEGIN"));
  ChangeBatch batch;
  // An empty log (everything pruned) reports the next seq to come, so that a follower behind
  // it still sees that it missed changes.
  auto oldest = conn.query_int(
      "SELECT coalesce((SELECT min(seq) FROM change_log), "
      "(SELECT seq + 1 FROM sqlite_sequence WHERE name = 'change_log'), 1)");
  if (!oldest.ok()) {
    (void)conn.exec("ROLLBACK");
    return oldest.error();
  }
  batch.oldest_retained = static_cast<std::uint64_t>(oldest.value());
  auto st = conn.cached(
      "SELECT c.seq, t.name, c.entity_id, c.op, c.at, c.before, c.after "
      "FROM change_log c JOIN tenants t ON t.id = c.tenant WHERE c.seq > ?1 ORDER BY c.seq LIMIT "
      "?2");
  if (!st.ok()) {
    (void)conn.exec("ROLLBACK");
    return st.error();
  }
  Statement& s = *st.value();
  s.bind(1, static_cast<std::int64_t>(after_seq)).bind(2, static_cast<std::int64_t>(limit));
  while (true) {
    auto row = s.step();
    if (!row.ok()) {
      s.reset();
      (void)conn.exec("ROLLBACK");
      return row.error();
    }
    if (!row.value()) break;
    Change c;
    c.seq = static_cast<std::uint64_t>(s.column_int(0));
    c.tenant = std::string(s.column_text(1));
    c.entity_id = std::string(s.column_text(2));
    c.op = static_cast<ChangeOp>(s.column_int(3));
    c.at = s.column_int(4);
    if (!s.column_is_null(5)) c.before = std::string(s.column_text(5));
    if (!s.column_is_null(6)) c.after = std::string(s.column_text(6));
    batch.changes.push_back(std::move(c));
  }
  s.reset();
  URBIS_RETURN_IF_ERROR(conn.exec("COMMIT"));
  return batch;
}

std::uint64_t SqliteStore::wait_for_changes(std::uint64_t after_seq,
                                            std::chrono::milliseconds timeout) {
  return feed_.wait_after(after_seq, timeout);
}

Result<std::optional<std::uint64_t>> SqliteStore::cursor(std::string_view name) {
  auto lease = reader();
  if (!lease.ok()) return lease.error();
  auto st = lease.value()->cached("SELECT seq FROM change_cursors WHERE name = ?1");
  if (!st.ok()) return st.error();
  Statement& s = *st.value();
  s.bind(1, name);
  auto row = s.step();
  if (!row.ok()) return row.error();
  std::optional<std::uint64_t> out;
  if (row.value()) out = static_cast<std::uint64_t>(s.column_int(0));
  s.reset();
  return out;
}

Result<std::uint64_t> SqliteStore::prune_changes() {
  if (closed_.load(std::memory_order_acquire) || !writer_) return closed_error();
  return writer_->prune_now();
}

StoreHealth SqliteStore::health() const {
  if (closed_.load(std::memory_order_acquire) || !writer_)
    return StoreHealth{false, false, "closed"};
  return writer_->health();
}

void SqliteStore::close() {
  std::lock_guard close_lock(close_mu_);
  if (closed_.exchange(true)) return;
  if (writer_) writer_->stop();  // runs every queued write first
  {
    std::lock_guard lock(checkpoint_mu_);
    checkpoint_stop_ = true;
  }
  checkpoint_cv_.notify_all();
  if (checkpointer_.joinable()) checkpointer_.join();
  checkpoint_conn_.reset();
  {
    std::lock_guard lock(readers_mu_);
    idle_readers_.clear();
  }
  if (writer_) {
    // Leave a small WAL behind so the next start has nothing to recover.
    Status s = writer_->connection().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    if (!s.ok()) spdlog::warn("store: final checkpoint failed: {}", s.detail());
    writer_.reset();
  }
  lock_.reset();
}

}  // namespace urbis::store::sqlite
