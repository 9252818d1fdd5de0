#include "store/sqlite/backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "json/parse.h"
#include "json/write.h"
#include "store/data_dir.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_store.h"

namespace urbis::store::sqlite {
namespace fs = std::filesystem;
namespace {

constexpr const char* kManifest = "urbis-backup.json";
// Every file of a store that a backup must carry. Later stores add theirs here.
constexpr const char* kDatabaseFile = "urbis.db";

Status fsync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{ErrorType::kServiceUnavailable, "cannot open " + path};
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Error{ErrorType::kServiceUnavailable, "cannot fsync " + path};
  return Status();
}

Status quick_check(Connection& db, const std::string& what) {
  auto st = db.prepare("PRAGMA quick_check");
  if (!st.ok()) return st.status();
  auto row = st->step();
  if (!row.ok()) return row.status();
  if (!row.value() || st->column_text(0) != "ok") {
    return Error{ErrorType::kInternalError, what + " failed its integrity check: " +
                                                std::string(row.value() ? st->column_text(0) : "")};
  }
  return Status();
}

Result<BackupInfo> describe(Connection& db, const std::string& dir) {
  BackupInfo info;
  info.directory = dir;
  auto v = db.query_int("PRAGMA user_version");
  if (!v.ok()) return v.error();
  info.schema_version = static_cast<int>(v.value());
  auto seq = db.query_int(
      "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'change_log'), 0)");
  if (!seq.ok()) return seq.error();
  info.last_change_seq = static_cast<std::uint64_t>(seq.value());
  auto n = db.query_int("SELECT count(*) FROM entities");
  if (!n.ok()) return n.error();
  info.entities = static_cast<std::uint64_t>(n.value());
  return info;
}

Status write_manifest(const BackupInfo& info) {
  json::Value m = json::Value::object();
  m.set("format", "urbis-backup/1");
  m.set("takenAt", format_datetime_ms(info.taken_at));
  m.set("schemaVersion", info.schema_version);
  m.set("lastChangeSeq", static_cast<std::int64_t>(info.last_change_seq));
  m.set("entities", static_cast<std::int64_t>(info.entities));
  json::Value files = json::Value::array();
  files.push_back(kDatabaseFile);
  m.set("files", std::move(files));
  const std::string tmp = info.directory + "/" + kManifest + ".partial";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << json::to_string(m) << "\n";
    if (!out) return Error{ErrorType::kServiceUnavailable, "cannot write " + tmp};
  }
  URBIS_RETURN_IF_ERROR(fsync_file(tmp));
  std::error_code ec;
  fs::rename(tmp, info.directory + "/" + kManifest, ec);
  if (ec)
    return Error{ErrorType::kServiceUnavailable, "cannot rename " + tmp + ": " + ec.message()};
  return sync_directory(info.directory);
}

}  // namespace

Result<BackupInfo> backup_data_dir(const std::string& data_dir, const std::string& dest_dir) {
  const std::string src_path = SqliteStore::database_path(data_dir);
  if (!fs::exists(src_path)) {
    return Error{ErrorType::kResourceNotFound, "no urbis database in " + data_dir};
  }
  std::error_code ec;
  if (fs::exists(dest_dir) && !fs::is_empty(dest_dir, ec)) {
    return Error{ErrorType::kAlreadyExists, "backup destination " + dest_dir + " is not empty"};
  }
  fs::create_directories(dest_dir, ec);
  if (ec)
    return Error{ErrorType::kServiceUnavailable, "cannot create " + dest_dir + ": " + ec.message()};

  auto src = Connection::open(src_path, false, false);
  if (!src.ok()) return src.error();
  sqlite3_busy_timeout(src.value()->raw(), 10000);
  const std::string partial = dest_dir + "/" + kDatabaseFile + ".partial";
  auto dst = Connection::open(partial, true, false);
  if (!dst.ok()) return dst.error();

  const TimestampUs taken_at = now_us();
  sqlite3_backup* b = sqlite3_backup_init(dst.value()->raw(), "main", src.value()->raw(), "main");
  if (!b) return sqlite_error(sqlite3_errcode(dst.value()->raw()), "backup", dst.value()->raw());
  // -1: every page in one step, under one read transaction of the source: one consistent point.
  int rc = sqlite3_backup_step(b, -1);
  const int finish = sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) return sqlite_error(rc, "backup", dst.value()->raw());
  if (finish != SQLITE_OK) return sqlite_error(finish, "backup", dst.value()->raw());

  URBIS_RETURN_IF_ERROR(quick_check(*dst.value(), "the backup copy"));
  auto info = describe(*dst.value(), dest_dir);
  if (!info.ok()) return info;
  dst.value().reset();
  src.value().reset();
  URBIS_RETURN_IF_ERROR(fsync_file(partial));
  fs::rename(partial, dest_dir + "/" + kDatabaseFile, ec);
  if (ec)
    return Error{ErrorType::kServiceUnavailable, "cannot rename " + partial + ": " + ec.message()};
  info->taken_at = taken_at;
  info->bytes = fs::file_size(dest_dir + "/" + kDatabaseFile, ec);
  URBIS_RETURN_IF_ERROR(write_manifest(info.value()));
  return info;
}

Result<BackupInfo> verify_backup(const std::string& backup_dir) {
  const std::string manifest_path = backup_dir + "/" + kManifest;
  std::ifstream in(manifest_path);
  if (!in)
    return Error{ErrorType::kResourceNotFound,
                 "no " + std::string(kManifest) + " in " + backup_dir};
  std::stringstream text;
  text << in.rdbuf();
  auto manifest = json::parse(text.str());
  if (!manifest.ok() || !manifest->find("format") || !manifest->find("takenAt")) {
    return Error{ErrorType::kBadRequestData, manifest_path + " is not an urbis backup manifest"};
  }
  const std::string db_path = backup_dir + "/" + kDatabaseFile;
  if (!fs::exists(db_path)) return Error{ErrorType::kResourceNotFound, db_path + " is missing"};
  auto db = Connection::open(db_path, false, true);
  if (!db.ok()) return db.error();
  URBIS_RETURN_IF_ERROR(quick_check(*db.value(), db_path));
  auto info = describe(*db.value(), backup_dir);
  if (!info.ok()) return info;
  if (info->schema_version > current_schema_version()) {
    return Error{ErrorType::kBadRequestData,
                 "the backup has schema version " + std::to_string(info->schema_version) +
                     ", newer than this urbis (" + std::to_string(current_schema_version()) + ")"};
  }
  if (auto t = parse_datetime(manifest->find("takenAt")->as_string())) info->taken_at = *t;
  std::error_code ec;
  info->bytes = fs::file_size(db_path, ec);
  return info;
}

Status restore_data_dir(const std::string& backup_dir, const std::string& data_dir) {
  auto info = verify_backup(backup_dir);
  if (!info.ok()) return info.status();
  if (DataDirLock::is_locked(data_dir)) {
    return Error{ErrorType::kServiceUnavailable,
                 "data directory " + data_dir + " is in use: stop urbis before restoring"};
  }
  // Holding the lock keeps a server from starting on a half-restored directory.
  auto lock = DataDirLock::acquire(data_dir);
  if (!lock.ok()) return lock.status();

  std::error_code ec;
  const std::string db = SqliteStore::database_path(data_dir);
  if (fs::exists(db)) {
    const std::string keep = data_dir + "/pre-restore-" + std::to_string(now_us() / 1000000);
    fs::create_directories(keep, ec);
    if (ec)
      return Error{ErrorType::kServiceUnavailable, "cannot create " + keep + ": " + ec.message()};
    for (const char* suffix : {"", "-wal", "-shm"}) {
      const std::string f = db + suffix;
      if (!fs::exists(f)) continue;
      fs::rename(f, keep + "/" + fs::path(f).filename().string(), ec);
      if (ec)
        return Error{ErrorType::kServiceUnavailable, "cannot move " + f + ": " + ec.message()};
    }
  }
  const std::string partial = db + ".partial";
  fs::copy_file(backup_dir + "/" + kDatabaseFile, partial, fs::copy_options::overwrite_existing,
                ec);
  if (ec) return Error{ErrorType::kServiceUnavailable, "cannot copy the backup: " + ec.message()};
  URBIS_RETURN_IF_ERROR(fsync_file(partial));
  fs::rename(partial, db, ec);
  if (ec)
    return Error{ErrorType::kServiceUnavailable, "cannot rename " + partial + ": " + ec.message()};
  return sync_directory(data_dir);
}

}  // namespace urbis::store::sqlite
