// The Store: every durable byte of urbis goes through this interface. One implementation per
// backend (sqlite/ now; PostgreSQL later) behind the same contract and the same test suite.
//
// THE WRITE PATH. All mutations, whatever door they came in by, are WriteFns submitted to
// submit(). The store runs them one after another on its single writer, many of them inside one
// transaction (group commit: one fsync for all), each inside its own savepoint so that a failing
// mutation is rolled back alone. Every entity change made through WriteTxn is appended to the
// ordered change log in the same transaction. `done` is called only after the transaction is
// durable on disk, so an API may answer 2xx from it. There is no other way to write.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace urbis::store {

// One entity as stored: its id, its stored-form document (JSON text, see model/entity.h) and the
// system timestamps the store indexes.
struct EntityRecord {
  std::string id;
  std::string doc;
  TimestampUs created_at = 0;
  TimestampUs modified_at = 0;
};

// What a change did to an entity.
enum class ChangeOp : int { kCreate = 1, kUpdate = 2, kReplace = 3, kDelete = 4 };
std::string_view change_op_name(ChangeOp op);

// One entry of the change log.
struct Change {
  std::uint64_t seq = 0;  // strictly increasing, never reused
  std::string tenant;     // "" for the default tenant
  std::string entity_id;
  ChangeOp op = ChangeOp::kCreate;
  TimestampUs at = 0;                 // when the writer applied it
  std::optional<std::string> before;  // stored document before (update, replace, delete)
  std::optional<std::string> after;   // stored document after (create, update, replace)
};

struct ChangeBatch {
  std::vector<Change> changes;
  // The oldest sequence number still in the log; when the log is empty, the next one to be
  // written. A reader whose next wanted seq is below it has missed pruned changes and must
  // resynchronise from current state.
  std::uint64_t oldest_retained = 0;
};

// The view of the store a mutation gets inside the group transaction. Valid only during the
// WriteFn call, on the writer thread.
class WriteTxn {
 public:
  virtual ~WriteTxn() = default;
  // The time this mutation runs; never earlier than any mutation committed before it.
  virtual TimestampUs now() const = 0;
  // The current record, or nullopt when absent.
  virtual Result<std::optional<EntityRecord>> find_entity(std::string_view tenant,
                                                          std::string_view id) = 0;
  // Inserts a new entity; AlreadyExists when the id is taken in that tenant. The tenant is created
  // on its first write. Logs a kCreate change.
  virtual Status insert_entity(std::string_view tenant, const EntityRecord& record) = 0;
  // Replaces the document of an existing entity; ResourceNotFound when absent. Logs `op`
  // (kUpdate or kReplace) with the document before and after.
  virtual Status update_entity(std::string_view tenant, const EntityRecord& record,
                               ChangeOp op) = 0;
  // Deletes an entity; ResourceNotFound when absent. Logs a kDelete change.
  virtual Status delete_entity(std::string_view tenant, std::string_view id) = 0;
  // Durable change-log cursors: a named consumer records how far it has processed. The log is
  // pruned only below the slowest cursor.
  virtual Status set_cursor(std::string_view name, std::uint64_t seq) = 0;
  virtual Status drop_cursor(std::string_view name) = 0;
};

using WriteFn = std::function<Status(WriteTxn&)>;
using WriteDone = std::function<void(const Status&)>;

struct StoreHealth {
  bool open = false;
  bool writable = false;  // false after a failed commit until the next successful one
  std::string last_error;
};

class Store {
 public:
  virtual ~Store() = default;

  // Queues `fn` on the write path. `done` runs exactly once: after the commit that made fn's
  // effects durable (with fn's own status), or with an error when the commit failed (nothing
  // of fn persisted), or at once on the caller's thread with ServiceUnavailable when
  // limits.max_pending_writes writes are already queued or the store is closing.
  // `done` runs on the writer thread: keep it short (post the response and return).
  virtual void submit(WriteFn fn, WriteDone done) = 0;

  // submit() and wait for `done`. For tools and tests; servers use submit().
  Status write(WriteFn fn);

  // Reads run on their own connections and never wait for the writer.
  virtual Result<std::optional<EntityRecord>> get_entity(std::string_view tenant,
                                                         std::string_view id) = 0;
  virtual Result<bool> tenant_exists(std::string_view tenant) = 0;
  virtual Result<std::uint64_t> count_entities(std::string_view tenant) = 0;

  // The change log: entries with seq > after_seq, oldest first, at most `limit`.
  virtual Result<ChangeBatch> read_changes(std::uint64_t after_seq, std::size_t limit) = 0;
  // The newest committed sequence number (0 before the first change).
  virtual std::uint64_t last_committed_seq() const = 0;
  // Waits until a change with seq > after_seq is committed or `timeout` passes; returns the
  // newest committed seq. For transient followers (they never hold pruning back).
  virtual std::uint64_t wait_for_changes(std::uint64_t after_seq,
                                         std::chrono::milliseconds timeout) = 0;
  // A durable cursor's position, nullopt when no such cursor.
  virtual Result<std::optional<std::uint64_t>> cursor(std::string_view name) = 0;
  // Removes change-log entries no consumer needs any more; normally run by the store itself.
  // Returns how many were removed.
  virtual Result<std::uint64_t> prune_changes() = 0;

  virtual StoreHealth health() const = 0;

  // Stops accepting writes, runs every queued write, commits, checkpoints and closes.
  // Idempotent. Reads after close fail.
  virtual void close() = 0;
};

}  // namespace urbis::store
