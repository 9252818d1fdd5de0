#include "store/sqlite/connection.h"

#include <sqlite3.h>

namespace urbis::store::sqlite {

Error sqlite_error(int code, std::string_view what, sqlite3* db) {
  std::string detail = std::string(what) + ": " + sqlite3_errstr(code);
  if (db != nullptr) {
    const char* msg = sqlite3_errmsg(db);
    if (msg && std::string_view(msg) != sqlite3_errstr(code))
      detail += std::string(" (") + msg + ")";
  }
  switch (code & 0xff) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
      return {ErrorType::kServiceUnavailable, "storage unavailable: " + detail};
    default:
      return {ErrorType::kInternalError, "storage error: " + detail};
  }
}

Statement::Statement(Statement&& o) noexcept : db_(o.db_), stmt_(o.stmt_) {
  o.stmt_ = nullptr;
}

Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(stmt_);
    db_ = o.db_;
    stmt_ = o.stmt_;
    o.stmt_ = nullptr;
  }
  return *this;
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, std::int64_t v) {
  sqlite3_bind_int64(stmt_, index, v);
  return *this;
}

Statement& Statement::bind(int index, std::string_view v) {
  // SQLITE_STATIC: callers keep the text alive until the statement is stepped and reset.
  sqlite3_bind_text(stmt_, index, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqlite_error(rc, sqlite3_sql(stmt_), db_);
}

Status Statement::run() {
  while (true) {
    auto r = step();
    if (!r.ok()) return r.status();
    if (!r.value()) return Status();
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::column_int(int col) const {
  return sqlite3_column_int64(stmt_, col);
}

std::string_view Statement::column_text(int col) const {
  // column_blob, not column_text: the bytes are the same (UTF-8 in, UTF-8 out), but text must
  // be NUL-terminated, which makes SQLite copy a value that it could hand out in place.
  const void* p = sqlite3_column_blob(stmt_, col);
  const int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string_view(static_cast<const char*>(p), static_cast<std::size_t>(n))
           : std::string_view();
}

bool Statement::column_is_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& path, bool create,
                                                     bool read_only, const std::string& vfs) {
  sqlite3* db = nullptr;
  // NOMUTEX: each connection is used by one thread at a time; urbis serialises access itself.
  int flags = SQLITE_OPEN_NOMUTEX;
  flags |= read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (create && !read_only) flags |= SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, vfs.empty() ? nullptr : vfs.c_str());
  if (rc != SQLITE_OK) {
    Error e = sqlite_error(rc, "opening " + path, db);
    sqlite3_close(db);
    return e;
  }
  sqlite3_extended_result_codes(db, 1);
  return std::unique_ptr<Connection>(new Connection(db));
}

Connection::~Connection() {
  cache_.clear();  // statements must be finalized before the connection closes
  sqlite3_close(db_);
}

Status Connection::exec(const char* sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    sqlite3_free(err);
    return sqlite_error(rc, sql, db_);
  }
  return Status();
}

Status Connection::run_cached(const char* sql) {
  auto st = cached(sql);
  if (!st.ok()) return st.status();
  Status r = st.value()->run();
  st.value()->reset();
  return r;
}

Result<Statement*> Connection::cached(const char* sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    it->second->reset();
    return it->second.get();
  }
  auto st = prepare(sql);
  if (!st.ok()) return st.error();
  auto owned = std::make_unique<Statement>(std::move(st.value()));
  Statement* raw_stmt = owned.get();
  cache_.emplace(sql, std::move(owned));
  return raw_stmt;
}

Result<Statement> Connection::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return sqlite_error(rc, sql, db_);
  return Statement(db_, stmt);
}

Result<std::int64_t> Connection::query_int(const char* sql) {
  auto st = prepare(sql);
  if (!st.ok()) return st.error();
  auto row = st->step();
  if (!row.ok()) return row.error();
  return row.value() ? st->column_int(0) : 0;
}

}  // namespace urbis::store::sqlite
