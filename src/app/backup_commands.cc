#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "store/sqlite/backup.h"

namespace urbis::app {
namespace {

void print(const store::sqlite::BackupInfo& info) {
  spdlog::info("backup {}: schema v{}, {} entities, change log at seq {}, {} bytes, taken {}",
               info.directory, info.schema_version, info.entities, info.last_change_seq, info.bytes,
               format_datetime_ms(info.taken_at));
}

}  // namespace

int backup(const std::string& data_dir, const std::string& out_dir) {
  auto info = store::sqlite::backup_data_dir(data_dir, out_dir);
  if (!info.ok()) {
    spdlog::error("backup failed: {}", info.error().detail);
    return 1;
  }
  print(info.value());
  return 0;
}

int restore(const std::string& from_dir, const std::string& data_dir) {
  Status s = store::sqlite::restore_data_dir(from_dir, data_dir);
  if (!s.ok()) {
    spdlog::error("restore failed: {}", s.detail());
    return 1;
  }
  spdlog::info("restored {} into {}; start urbis on it", from_dir, data_dir);
  return 0;
}

int verify_backup(const std::string& from_dir) {
  auto info = store::sqlite::verify_backup(from_dir);
  if (!info.ok()) {
    spdlog::error("not a usable backup: {}", info.error().detail);
    return 1;
  }
  print(info.value());
  return 0;
}

}  // namespace urbis::app
