// Thin RAII wrappers over the SQLite C API: a connection, prepared statements, and conversion of
// SQLite result codes into urbis Status values. Nothing here knows the schema.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace urbis::store::sqlite {

// Maps a SQLite result code to an error type: full disk, I/O errors and corruption are
// ServiceUnavailable/InternalError; constraint violations are the caller's to interpret.
Error sqlite_error(int code, std::string_view what, sqlite3* db);

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& o) noexcept;
  Statement& operator=(Statement&& o) noexcept;
  ~Statement();

  // Binding (1-based indexes). Text and blobs are copied only when SQLite needs to keep them.
  Statement& bind(int index, std::int64_t v);
  Statement& bind(int index, std::string_view v);
  Statement& bind_null(int index);

  // Steps once: true when a row is available, false when done. Errors come back as Status.
  Result<bool> step();
  // Steps to completion, ignoring rows.
  Status run();
  // Resets for reuse and clears bindings.
  void reset();

  std::int64_t column_int(int col) const;
  std::string_view column_text(int col) const;
  bool column_is_null(int col) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class Connection {
 public:
  // Opens `path` (creating it when `create`), with the given VFS (empty: the default).
  static Result<std::unique_ptr<Connection>> open(const std::string& path, bool create,
                                                  bool read_only, const std::string& vfs = {});
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Status exec(const char* sql);
  // Runs a statement without results through the statement cache: for the transaction control
  // statements a writer issues for every write (SAVEPOINT, RELEASE...), where exec() would
  // parse the SQL text each time. `sql` must be a string literal (the cache key is its address).
  Status run_cached(const char* sql);
  // A prepared statement, prepared once per connection and cached by the address of `sql`,
  // which must therefore be a string literal. The returned statement is reset and ready to
  // bind; use it for one execution and do not keep it.
  Result<Statement*> cached(const char* sql);
  // A one-off statement.
  Result<Statement> prepare(std::string_view sql);
  // Reads a single integer (e.g. "PRAGMA user_version").
  Result<std::int64_t> query_int(const char* sql);

  sqlite3* raw() const { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<const char*, std::unique_ptr<Statement>> cache_;
};

}  // namespace urbis::store::sqlite
