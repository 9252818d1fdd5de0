// Online backup, verification and restore of a data directory, and schema upgrades.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "store/data_dir.h"
#include "store/sqlite/backup.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_store.h"
#include "support/temp_dir.h"

namespace urbis::store::sqlite {
namespace {

using urbis::testing::TempDir;

std::unique_ptr<SqliteStore> open_store(const std::string& dir) {
  SqliteOptions o;
  o.data_dir = dir;
  auto s = SqliteStore::open(o);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().detail);
  return s.ok() ? std::move(s.value()) : nullptr;
}

Status insert(Store& store, const std::string& id) {
  return store.write([id](WriteTxn& t) {
    return t.insert_entity("", EntityRecord{id, "{\"id\":\"" + id + "\"}", 1, 1});
  });
}

TEST(Backup, OnlineBackupIsOneConsistentPointWhileWritesContinue) {
  TempDir dir;
  auto store = open_store(dir.sub("data"));
  for (int i = 0; i < 500; ++i)
    ASSERT_TRUE(insert(*store, "urn:pre:" + std::to_string(i)).ok());
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop.load(); ++i)
      (void)insert(*store, "urn:live:" + std::to_string(i));
  });
  auto info = backup_data_dir(dir.sub("data"), dir.sub("backup"));
  stop.store(true);
  writer.join();
  ASSERT_TRUE(info.ok()) << info.error().detail;
  EXPECT_GE(info->entities, 500u);
  EXPECT_EQ(info->schema_version, current_schema_version());

  // The copy is a data directory: every entity it holds has its change-log entry and vice versa.
  auto copy = open_store(dir.sub("backup"));
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->count_entities("").value(), info->entities);
  auto log = copy->read_changes(0, 1000000);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->changes.size(), info->entities);
  EXPECT_EQ(copy->last_committed_seq(), info->last_change_seq);
}

TEST(Backup, RefusesANonEmptyDestinationAndAMissingSource) {
  TempDir dir;
  auto store = open_store(dir.sub("data"));
  std::filesystem::create_directories(dir.sub("b"));
  std::ofstream(dir.sub("b/x")) << "x";
  EXPECT_EQ(backup_data_dir(dir.sub("data"), dir.sub("b")).error().type, ErrorType::kAlreadyExists);
  EXPECT_EQ(backup_data_dir(dir.sub("nothing"), dir.sub("c")).error().type,
            ErrorType::kResourceNotFound);
}

TEST(Backup, RestoreReplacesAStoppedStoreAndKeepsTheOldFiles) {
  TempDir dir;
  {
    auto store = open_store(dir.sub("data"));
    ASSERT_TRUE(insert(*store, "urn:a:1").ok());
    ASSERT_TRUE(backup_data_dir(dir.sub("data"), dir.sub("backup")).ok());
    ASSERT_TRUE(insert(*store, "urn:a:2").ok());
    // A running store refuses the restore.
    Status busy = restore_data_dir(dir.sub("backup"), dir.sub("data"));
    EXPECT_EQ(busy.type(), ErrorType::kServiceUnavailable);
  }
  ASSERT_TRUE(restore_data_dir(dir.sub("backup"), dir.sub("data")).ok());
  auto store = open_store(dir.sub("data"));
  EXPECT_TRUE(store->get_entity("", "urn:a:1").value());
  EXPECT_FALSE(store->get_entity("", "urn:a:2").value());
  bool kept = false;
  for (const auto& e : std::filesystem::directory_iterator(dir.sub("data"))) {
    kept = kept || e.path().filename().string().rfind("pre-restore-", 0) == 0;
  }
  EXPECT_TRUE(kept);
}

TEST(Backup, VerifyDetectsDamage) {
  TempDir dir;
  {
    auto store = open_store(dir.sub("data"));
    for (int i = 0; i < 2000; ++i)
      ASSERT_TRUE(insert(*store, "urn:v:" + std::to_string(i)).ok());
  }
  ASSERT_TRUE(backup_data_dir(dir.sub("data"), dir.sub("backup")).ok());
  ASSERT_TRUE(verify_backup(dir.sub("backup")).ok());
  {
    std::fstream f(dir.sub("backup/urbis.db"), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096 * 3);
    const std::string junk(4096, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  EXPECT_FALSE(verify_backup(dir.sub("backup")).ok());
  EXPECT_FALSE(restore_data_dir(dir.sub("backup"), dir.sub("data")).ok());
  std::filesystem::remove(dir.sub("backup/urbis-backup.json"));
  EXPECT_EQ(verify_backup(dir.sub("backup")).error().type, ErrorType::kResourceNotFound);
}

// Databases made by earlier schema versions are kept in tests/data and must open.
TEST(SchemaUpgrade, OpensADatabaseMadeBySchemaV1) {
  TempDir dir;
  std::filesystem::create_directories(dir.sub("data"));
  std::ifstream in(std::string(URBIS_TEST_DATA) + "/schema-v1.sql");
  ASSERT_TRUE(in) << "missing fixture";
  std::stringstream sql;
  sql << in.rdbuf();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(SqliteStore::database_path(dir.sub("data")).c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql.str().c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);

  auto store = open_store(dir.sub("data"));
  ASSERT_TRUE(store);
  auto e = store->get_entity("", "urn:ngsi-ld:Streetlight:v1");
  ASSERT_TRUE(e.ok());
  ASSERT_TRUE(e.value());
  EXPECT_NE(e.value()->doc.find("powerState"), std::string::npos);
  const auto seq = store->last_committed_seq();
  EXPECT_GT(seq, 0u);
  ASSERT_TRUE(insert(*store, "urn:after:upgrade").ok());
  EXPECT_EQ(store->last_committed_seq(), seq + 1);
}

TEST(SchemaUpgrade, RefusesADatabaseFromANewerUrbis) {
  TempDir dir;
  { auto store = open_store(dir.sub("data")); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(SqliteStore::database_path(dir.sub("data")).c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 999", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  SqliteOptions o;
  o.data_dir = dir.sub("data");
  auto s = SqliteStore::open(o);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().detail.find("newer"), std::string::npos) << s.error().detail;
}

TEST(DataDirLock, IsExclusiveAndReleasedOnDestruction) {
  TempDir dir;
  {
    auto lock = DataDirLock::acquire(dir.path());
    ASSERT_TRUE(lock.ok());
    EXPECT_TRUE(DataDirLock::is_locked(dir.path()));
    EXPECT_FALSE(DataDirLock::acquire(dir.path()).ok());
  }
  EXPECT_FALSE(DataDirLock::is_locked(dir.path()));
}

}  // namespace
}  // namespace urbis::store::sqlite
