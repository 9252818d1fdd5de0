// Online backup and restore of a data directory.
//
// backup_data_dir copies every database file of the store (today: urbis.db) with SQLite's online
// backup API inside one read transaction, so the copy is one consistent point in time even while
// the server keeps writing; it then checks the copy (PRAGMA quick_check) and writes a manifest.
// A backup directory is itself a valid data directory.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "core/time.h"

namespace urbis::store::sqlite {

struct BackupInfo {
  std::string directory;
  int schema_version = 0;
  std::uint64_t last_change_seq = 0;  // the change-log position the backup reflects
  std::uint64_t entities = 0;
  std::uint64_t bytes = 0;
  TimestampUs taken_at = 0;
};

// Copies `data_dir` into `dest_dir`, which must not exist yet or be empty. Safe while a server
// is running on `data_dir`.
Result<BackupInfo> backup_data_dir(const std::string& data_dir, const std::string& dest_dir);

// Checks a backup directory: manifest present, database intact, schema not newer than this build.
Result<BackupInfo> verify_backup(const std::string& backup_dir);

// Replaces the store in `data_dir` with the backup. Refuses while a server holds `data_dir`.
// The files it replaces are kept in <data_dir>/pre-restore-<time>/, never deleted.
Status restore_data_dir(const std::string& backup_dir, const std::string& data_dir);

}  // namespace urbis::store::sqlite
