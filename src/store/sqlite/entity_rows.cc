#include "store/sqlite/entity_rows.h"

#include <string>

namespace urbis::store::sqlite {

Result<std::optional<EntityRecord>> select_entity(Connection& db, std::int64_t tenant,
                                                  std::string_view id) {
  auto st =
      db.cached("SELECT doc, created_at, modified_at FROM entities WHERE tenant = ?1 AND id = ?2");
  if (!st.ok()) return st.error();
  Statement& s = *st.value();
  s.bind(1, tenant).bind(2, id);
  auto row = s.step();
  if (!row.ok()) {
    s.reset();
    return row.error();
  }
  std::optional<EntityRecord> out;
  if (row.value()) {
    out = EntityRecord{std::string(id), std::string(s.column_text(0)), s.column_int(1),
                       s.column_int(2)};
  }
  s.reset();
  return out;
}

}  // namespace urbis::store::sqlite
