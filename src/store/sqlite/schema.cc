#include "store/sqlite/schema.h"

#include <span>
#include <string>

namespace urbis::store::sqlite {
namespace {

struct Migration {
  int version;
  const char* what;
  const char* sql;
};

// Append only: a released migration is never edited. tests/data/ keeps a database made by each
// released version, and the upgrade test opens it.
constexpr Migration kMigrations[] = {
    {1, "tenants, entities, change log and its durable cursors", R"sql(
CREATE TABLE tenants(
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
INSERT INTO tenants(id, name, created_at) VALUES (1, '', 0);

-- One row per entity; doc is the stored form (model/entity.h). The rowid (eid) is the key that
-- later index tables reference.
CREATE TABLE entities(
  eid         INTEGER PRIMARY KEY,
  tenant      INTEGER NOT NULL,
  id          TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  modified_at INTEGER NOT NULL,
  doc         TEXT NOT NULL,
  UNIQUE(tenant, id)
);

-- The ordered change log, written in the same transaction as the change it records.
CREATE TABLE change_log(
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant    INTEGER NOT NULL,
  entity_id TEXT NOT NULL,
  op        INTEGER NOT NULL,
  at        INTEGER NOT NULL,
  before    TEXT,
  after     TEXT
);

-- Durable consumers of the change log and how far each has processed.
CREATE TABLE change_cursors(
  name       TEXT PRIMARY KEY,
  seq        INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
)sql"},
};

}  // namespace

int current_schema_version() {
  return std::span(kMigrations).back().version;
}

Status migrate(Connection& db) {
  auto version = db.query_int("PRAGMA user_version");
  if (!version.ok()) return version.status();
  const int latest = current_schema_version();
  if (version.value() > latest) {
    return Error{ErrorType::kInternalError,
                 "the database has schema version " + std::to_string(version.value()) +
                     ", newer than this urbis understands (" + std::to_string(latest) +
                     "): upgrade urbis, or restore a backup made by this version"};
  }
  if (version.value() == latest) return Status();
  URBIS_RETURN_IF_ERROR(db.exec("BEGIN IMMEDIATE"));
  for (const auto& m : kMigrations) {
    if (m.version <= version.value()) continue;
    Status s = db.exec(m.sql);
    if (s.ok()) {
      const std::string set_version = "PRAGMA user_version = " + std::to_string(m.version);
      s = db.exec(set_version.c_str());
    }
    if (!s.ok()) {
      (void)db.exec("ROLLBACK");
      return Error{s.type(), "migration to schema " + std::to_string(m.version) + " (" + m.what +
                                 ") failed: " + s.detail()};
    }
  }
  return db.exec("COMMIT");
}

}  // namespace urbis::store::sqlite
