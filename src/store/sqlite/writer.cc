#include "store/sqlite/writer.h"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>
#include <future>

#include "store/sqlite/entity_rows.h"

namespace urbis::store::sqlite {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

bool is_constraint(const Error& e) {
  return e.detail.find("constraint failed") != std::string::npos ||
         e.detail.find("UNIQUE") != std::string::npos;
}

// Rows pruned per pass: bounds how long pruning holds the writer.
constexpr std::int64_t kPruneChunk = 10000;
constexpr auto kPruneInterval = std::chrono::seconds(1);

}  // namespace

// The WriteTxn handed to one WriteFn. It records what must be undone in the writer's caches if
// its savepoint is rolled back.
class Writer::Txn final : public WriteTxn {
 public:
  Txn(Writer& w, TimestampUs now) : w_(w), now_(now) {}

  TimestampUs now() const override { return now_; }

  Result<std::optional<EntityRecord>> find_entity(std::string_view tenant,
                                                  std::string_view id) override {
    auto tid = w_.find_tenant(tenant);
    if (!tid.ok()) return tid.error();
    if (!tid.value()) return std::optional<EntityRecord>();
    return select_entity(*w_.db_, *tid.value(), id);
  }

  Status insert_entity(std::string_view tenant, const EntityRecord& rec) override {
    auto tid = w_.tenant_for_write(tenant, *this);
    if (!tid.ok()) return tid.status();
    auto st = w_.db_->cached(
        "INSERT INTO entities(tenant, id, created_at, modified_at, doc) VALUES (?1, ?2, ?3, ?4, "
        "?5)");
    if (!st.ok()) return st.status();
    Statement& s = *st.value();
    s.bind(1, tid.value())
        .bind(2, rec.id)
        .bind(3, rec.created_at)
        .bind(4, rec.modified_at)
        .bind(5, rec.doc);
    Status r = s.run();
    s.reset();
    if (!r.ok()) {
      if (is_constraint(r.error())) {
        return Error{ErrorType::kAlreadyExists, "entity " + rec.id + " already exists"};
      }
      return r;
    }
    return w_.log_change(tid.value(), rec.id, ChangeOp::kCreate, now_, std::nullopt,
                         std::string_view(rec.doc), *this);
  }

  Status update_entity(std::string_view tenant, const EntityRecord& rec, ChangeOp op) override {
    auto before = find_entity(tenant, rec.id);
    if (!before.ok()) return before.status();
    if (!before.value()) return not_found("entity " + rec.id + " does not exist");
    auto tid = w_.tenant_for_write(tenant, *this);
    if (!tid.ok()) return tid.status();
    auto st = w_.db_->cached(
        "UPDATE entities SET doc = ?3, modified_at = ?4 WHERE tenant = ?1 AND id = ?2");
    if (!st.ok()) return st.status();
    Statement& s = *st.value();
    s.bind(1, tid.value()).bind(2, rec.id).bind(3, rec.doc).bind(4, rec.modified_at);
    Status r = s.run();
    s.reset();
    if (!r.ok()) return r;
    return w_.log_change(tid.value(), rec.id, op, now_, std::string_view(before.value()->doc),
                         std::string_view(rec.doc), *this);
  }

  Status delete_entity(std::string_view tenant, std::string_view id) override {
    auto tid = w_.find_tenant(tenant);
    if (!tid.ok()) return tid.status();
    if (!tid.value()) return not_found("entity " + std::string(id) + " does not exist");
    auto st = w_.db_->cached("DELETE FROM entities WHERE tenant = ?1 AND id = ?2 RETURNING doc");
    if (!st.ok()) return st.status();
    Statement& s = *st.value();
    s.bind(1, *tid.value()).bind(2, id);
    auto row = s.step();
    if (!row.ok()) return row.status();
    if (!row.value()) {
      s.reset();
      return not_found("entity " + std::string(id) + " does not exist");
    }
    std::string before(s.column_text(0));
    Status done = s.run();  // finish the statement so the delete is complete
    s.reset();
    if (!done.ok()) return done;
    return w_.log_change(*tid.value(), id, ChangeOp::kDelete, now_, std::string_view(before),
                         std::nullopt, *this);
  }

  Status set_cursor(std::string_view name, std::uint64_t seq) override {
    auto st = w_.db_->cached(
        "INSERT INTO change_cursors(name, seq, updated_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT(name) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at");
    if (!st.ok()) return st.status();
    Statement& s = *st.value();
    s.bind(1, name).bind(2, static_cast<std::int64_t>(seq)).bind(3, now_);
    Status r = s.run();
    s.reset();
    return r;
  }

  Status drop_cursor(std::string_view name) override {
    auto st = w_.db_->cached("DELETE FROM change_cursors WHERE name = ?1");
    if (!st.ok()) return st.status();
    Statement& s = *st.value();
    s.bind(1, name);
    Status r = s.run();
    s.reset();
    return r;
  }

  std::vector<std::string> created_tenants;
  std::uint64_t last_seq = 0;

 private:
  Writer& w_;
  TimestampUs now_;
};

Writer::Writer(std::unique_ptr<Connection> db, const SqliteOptions& options, CommitFeed& feed)
    : db_(std::move(db)), options_(options), feed_(feed) {
  if (auto* m = options_.metrics) {
    group_size_ = &m->histogram("urbis_store_commit_group_size",
                                "Writes committed together in one transaction (group commit)",
                                metrics::size_buckets());
    commit_seconds_ =
        &m->histogram("urbis_store_commit_seconds", "Duration of COMMIT, including the fsync",
                      metrics::latency_buckets_seconds());
    group_seconds_ = &m->histogram("urbis_store_group_seconds",
                                   "Duration of one group transaction from BEGIN to durable COMMIT",
                                   metrics::latency_buckets_seconds());
    wait_seconds_ = &m->histogram("urbis_store_write_seconds",
                                  "Time from submitting a write to its durable commit",
                                  metrics::latency_buckets_seconds());
    commits_ = &m->counter("urbis_store_commits_total", "Group transactions committed");
    commit_failures_ =
        &m->counter("urbis_store_commit_failures_total",
                    "Group transactions that failed; none of their writes persisted");
    rejected_ = &m->counter("urbis_store_writes_rejected_total",
                            "Writes refused because limits.max_pending_writes were queued");
    pruned_ = &m->counter("urbis_changelog_pruned_total", "Change-log entries pruned");
    pending_ = &m->gauge("urbis_store_pending_writes", "Writes queued for the writer");
    last_seq_gauge_ = &m->gauge("urbis_changelog_last_seq", "Newest committed change-log sequence");
  }
}

Writer::~Writer() {
  stop();
}

Status Writer::start() {
  auto seq = db_->query_int(
      "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'change_log'), 0), "
      "coalesce((SELECT max(seq) FROM change_log), 0))");
  if (!seq.ok()) return seq.status();
  last_seq_ = static_cast<std::uint64_t>(seq.value());
  feed_.publish(last_seq_);
  if (last_seq_gauge_) last_seq_gauge_->set(static_cast<double>(last_seq_));
  auto st = db_->prepare("SELECT name, id FROM tenants");
  if (!st.ok()) return st.status();
  while (true) {
    auto row = st->step();
    if (!row.ok()) return row.status();
    if (!row.value()) break;
    tenants_.emplace(std::string(st->column_text(0)), st->column_int(1));
  }
  last_now_ = now_us();
  marks_.emplace_back(last_seq_, last_now_);
  last_prune_ = Clock::now();
  thread_ = std::thread([this] { loop(); });
  return Status();
}

void Writer::submit(WriteFn fn, WriteDone done) {
  bool stopping = false;
  {
    std::lock_guard lock(mu_);
    stopping = stopping_;
    if (!stopping && queue_.size() < options_.max_pending_writes) {
      queue_.push_back(Item{std::move(fn), std::move(done), Clock::now()});
      if (pending_) pending_->set(static_cast<double>(queue_.size()));
      cv_.notify_one();
      return;
    }
  }
  if (rejected_) rejected_->inc();
  done(Error{ErrorType::kServiceUnavailable,
             stopping ? std::string("the store is shutting down")
                      : "the write queue is full (limits.max_pending_writes = " +
                            std::to_string(options_.max_pending_writes) + "); retry later"});
}

Result<std::uint64_t> Writer::prune_now() {
  auto promise = std::make_shared<std::promise<Result<std::uint64_t>>>();
  auto future = promise->get_future();
  {
    std::lock_guard lock(mu_);
    if (stopping_) return Error{ErrorType::kServiceUnavailable, "the store is shutting down"};
    maintenance_.push_back([this, promise] { promise->set_value(prune()); });
    cv_.notify_one();
  }
  return future.get();
}

void Writer::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

StoreHealth Writer::health() const {
  std::lock_guard lock(mu_);
  return StoreHealth{true, writable_ && !stopping_, last_error_};
}

void Writer::loop() {
  std::vector<Item> group;
  while (true) {
    std::vector<std::function<void()>> maintenance;
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, kPruneInterval,
                   [&] { return stopping_ || !queue_.empty() || !maintenance_.empty(); });
      const std::size_t n = std::min(queue_.size(), options_.max_group);
      for (std::size_t i = 0; i < n; ++i) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      maintenance.swap(maintenance_);
      if (pending_) pending_->set(static_cast<double>(queue_.size()));
      if (group.empty() && maintenance.empty() && stopping_) break;
    }
    if (!group.empty()) {
      run_group(group);
      group.clear();
    }
    for (auto& task : maintenance)
      task();
    if (Clock::now() - last_prune_ >= kPruneInterval) {
      last_prune_ = Clock::now();
      probe_if_failing();
      auto pruned = prune();
      if (!pruned.ok()) spdlog::warn("change-log pruning failed: {}", pruned.error().detail);
    }
  }
}

void Writer::probe_if_failing() {
  {
    std::lock_guard lock(mu_);
    if (writable_) return;
  }
  // A real write (page 1 changes, the WAL is appended and fsynced) that changes nothing: once
  // the disk is back (space freed, device remounted), readiness comes back without waiting for
  // a client write that a load balancer would no longer send.
  Status s = db_->exec("BEGIN IMMEDIATE");
  if (s.ok()) {
    auto v = db_->query_int("PRAGMA user_version");
    s = v.ok() ? db_->exec(("PRAGMA user_version = " + std::to_string(v.value())).c_str())
               : v.status();
  }
  if (s.ok()) s = db_->exec("COMMIT");
  if (!s.ok()) {
    (void)db_->exec("ROLLBACK");
    return;
  }
  spdlog::info("store: writable again");
  std::lock_guard lock(mu_);
  writable_ = true;
  last_error_.clear();
}

void Writer::fail_group(std::vector<Item>& group, const Status& why) {
  (void)db_->exec("ROLLBACK");
  if (commit_failures_) commit_failures_->inc();
  {
    // Health first: whoever learns of the failure from `done` must also see it in health().
    std::lock_guard lock(mu_);
    writable_ = false;
    last_error_ = why.detail();
  }
  for (auto& item : group)
    item.done(why);
}

void Writer::run_group(std::vector<Item>& group) {
  const auto group_start = Clock::now();
  std::vector<std::string> group_tenants;  // created by this group: forgotten if it fails
  const std::uint64_t saved_seq = last_seq_;
  const auto forget_group = [&] {
    for (const auto& t : group_tenants)
      tenants_.erase(t);
    last_seq_ = saved_seq;
  };
  Status begin = db_->run_cached("BEGIN IMMEDIATE");
  if (!begin.ok()) {
    spdlog::error("store: cannot begin a write transaction: {}", begin.detail());
    fail_group(group, begin);
    return;
  }
  std::vector<Status> results;
  results.reserve(group.size());
  for (auto& item : group) {
    TimestampUs now = std::max(now_us(), last_now_);
    last_now_ = now;
    Txn txn(*this, now);
    Status sp = db_->run_cached("SAVEPOINT w");
    Status s = sp.ok() ? item.fn(txn) : sp;
    if (sqlite3_get_autocommit(db_->raw()) != 0) {
      // SQLite rolled the whole transaction back (I/O error, full disk): nothing of the group
      // survives, so none of it may be acknowledged.
      for (const auto& t : txn.created_tenants)
        tenants_.erase(t);
      forget_group();
      spdlog::error("store: the group transaction was aborted: {}",
                    s.ok() ? "unknown" : s.detail());
      fail_group(group, s.ok() ? Status(internal_error("transaction aborted")) : s);
      return;
    }
    if (s.ok()) {
      s = db_->run_cached("RELEASE w");
      if (txn.last_seq) last_seq_ = txn.last_seq;
      group_tenants.insert(group_tenants.end(), txn.created_tenants.begin(),
                           txn.created_tenants.end());
    } else {
      Status rb = db_->run_cached("ROLLBACK TO w");
      if (rb.ok()) rb = db_->run_cached("RELEASE w");
      for (const auto& t : txn.created_tenants)
        tenants_.erase(t);
      if (!rb.ok()) {
        forget_group();
        fail_group(group, rb);
        return;
      }
    }
    results.push_back(std::move(s));
  }
  const auto commit_start = Clock::now();
  Status commit = db_->run_cached("COMMIT");
  if (!commit.ok()) {
    forget_group();
    spdlog::error("store: commit failed, {} writes not persisted: {}", group.size(),
                  commit.detail());
    fail_group(group, commit);
    return;
  }
  if (commit_seconds_) commit_seconds_->observe(seconds_since(commit_start));
  if (group_seconds_) group_seconds_->observe(seconds_since(group_start));
  if (group_size_) group_size_->observe(static_cast<double>(group.size()));
  if (commits_) commits_->inc();
  if (last_seq_ != saved_seq) {
    feed_.publish(last_seq_);
    if (last_seq_gauge_) last_seq_gauge_->set(static_cast<double>(last_seq_));
    if (marks_.empty() || last_now_ - marks_.back().second >= 1000000) {
      marks_.emplace_back(last_seq_, last_now_);
    }
  }
  {
    std::lock_guard lock(mu_);
    writable_ = true;
  }
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (wait_seconds_) wait_seconds_->observe(seconds_since(group[i].enqueued));
    group[i].done(results[i]);
  }
}

Result<std::optional<std::int64_t>> Writer::find_tenant(std::string_view name) {
  if (auto it = tenants_.find(std::string(name)); it != tenants_.end()) {
    return std::optional<std::int64_t>(it->second);
  }
  return std::optional<std::int64_t>();
}

Result<std::int64_t> Writer::tenant_for_write(std::string_view name, Txn& txn) {
  if (auto it = tenants_.find(std::string(name)); it != tenants_.end()) return it->second;
  auto st = db_->cached("INSERT INTO tenants(name, created_at) VALUES (?1, ?2)");
  if (!st.ok()) return st.error();
  Statement& s = *st.value();
  s.bind(1, name).bind(2, txn.now());
  Status r = s.run();
  s.reset();
  if (!r.ok()) return r.error();
  const std::int64_t id = sqlite3_last_insert_rowid(db_->raw());
  tenants_.emplace(std::string(name), id);
  txn.created_tenants.emplace_back(name);
  return id;
}

Status Writer::log_change(std::int64_t tenant, std::string_view entity_id, ChangeOp op,
                          TimestampUs at, const std::optional<std::string_view>& before,
                          const std::optional<std::string_view>& after, Txn& txn) {
  auto st = db_->cached(
      "INSERT INTO change_log(tenant, entity_id, op, at, before, after) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!st.ok()) return st.status();
  Statement& s = *st.value();
  s.bind(1, tenant).bind(2, entity_id).bind(3, static_cast<std::int64_t>(op)).bind(4, at);
  if (before)
    s.bind(5, *before);
  else
    s.bind_null(5);
  if (after)
    s.bind(6, *after);
  else
    s.bind_null(6);
  Status r = s.run();
  s.reset();
  if (!r.ok()) return r;
  txn.last_seq = static_cast<std::uint64_t>(sqlite3_last_insert_rowid(db_->raw()));
  return Status();
}

Result<std::uint64_t> Writer::prune() {
  // What the retention window still protects: the newest mark older than the window.
  const TimestampUs cutoff =
      now_us() -
      std::chrono::duration_cast<std::chrono::microseconds>(options_.changelog_retention).count();
  while (!marks_.empty() && marks_.front().second <= cutoff) {
    prunable_by_time_ = std::max(prunable_by_time_, marks_.front().first);
    marks_.pop_front();
  }
  const std::uint64_t time_bound =
      options_.changelog_retention.count() == 0 ? last_seq_ : prunable_by_time_;
  if (time_bound == 0) return std::uint64_t{0};

  auto min_cursor = db_->query_int("SELECT coalesce(min(seq), -1) FROM change_cursors");
  if (!min_cursor.ok()) return min_cursor.error();
  std::uint64_t upper = time_bound;
  if (min_cursor.value() >= 0) {
    upper = std::min<std::uint64_t>(upper, static_cast<std::uint64_t>(min_cursor.value()));
  }
  auto oldest = db_->query_int("SELECT coalesce(min(seq), 0) FROM change_log");
  if (!oldest.ok()) return oldest.error();
  if (oldest.value() == 0 || static_cast<std::uint64_t>(oldest.value()) > upper) {
    return std::uint64_t{0};
  }
  upper =
      std::min<std::uint64_t>(upper, static_cast<std::uint64_t>(oldest.value() + kPruneChunk - 1));

  URBIS_RETURN_IF_ERROR(db_->run_cached("BEGIN IMMEDIATE"));
  auto st = db_->cached("DELETE FROM change_log WHERE seq <= ?1");
  if (!st.ok()) {
    (void)db_->exec("ROLLBACK");
    return st.error();
  }
  st.value()->bind(1, static_cast<std::int64_t>(upper));
  Status r = st.value()->run();
  st.value()->reset();
  if (!r.ok()) {
    (void)db_->exec("ROLLBACK");
    return r.error();
  }
  const auto removed = static_cast<std::uint64_t>(sqlite3_changes64(db_->raw()));
  if (Status c = db_->run_cached("COMMIT"); !c.ok()) {
    (void)db_->exec("ROLLBACK");  // never leave the writer inside a transaction
    return c.error();
  }
  if (pruned_) pruned_->inc(removed);
  return removed;
}

}  // namespace urbis::store::sqlite
