// Row-level access to the entities table, shared by the writer (inside its transaction) and
// the readers (on their own connections).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/status.h"
#include "store/sqlite/connection.h"
#include "store/store.h"

namespace urbis::store::sqlite {

// The entity `id` of tenant id `tenant`, or nullopt. Leaves the statement reset, so a reader's
// implicit read transaction ends here rather than at the connection's next use.
Result<std::optional<EntityRecord>> select_entity(Connection& db, std::int64_t tenant,
                                                  std::string_view id);

}  // namespace urbis::store::sqlite
