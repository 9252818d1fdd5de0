// The versioned SQLite schema and its forward migrations (docs/STORAGE.md describes each table).
// The version lives in PRAGMA user_version. Opening a database runs every pending migration in
// one transaction; a database from a newer urbis is refused rather than misread.
#pragma once

#include "core/status.h"
#include "store/sqlite/connection.h"

namespace urbis::store::sqlite {

// The schema version this build writes.
int current_schema_version();

// Brings the database up to current_schema_version(). Idempotent.
Status migrate(Connection& db);

}  // namespace urbis::store::sqlite
