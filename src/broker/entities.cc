#include "broker/entities.h"

#include "json/parse.h"
#include "json/write.h"
#include "model/entity.h"

namespace urbis::broker {
namespace {

// Stored documents were validated on the way in; these limits only guard against corruption.
json::ParseLimits stored_doc_limits() {
  json::ParseLimits l;
  l.max_depth = 512;
  l.max_string_bytes = std::size_t{1} << 30;
  l.reject_duplicate_keys = false;
  return l;
}

}  // namespace

Status Entities::check_tenant(const RequestContext& ctx) {
  if (ctx.tenant.empty()) return Status();
  auto exists = store_.tenant_exists(ctx.tenant);
  if (!exists.ok()) return exists.status();
  if (!exists.value()) {
    return Error{ErrorType::kNonexistentTenant, "tenant \"" + ctx.tenant + "\" does not exist"};
  }
  return Status();
}

void Entities::create(const RequestContext& ctx, json::Value entity, Done done) {
  // Timestamps and serialisation happen here, on the caller's thread, so that the single
  // writer only inserts.
  const TimestampUs now = now_us();
  model::stamp_new_entity(entity, format_datetime_ms(now));
  store::EntityRecord rec;
  rec.id = model::stored_id(entity);
  rec.doc = json::to_string(entity);
  rec.created_at = now;
  rec.modified_at = now;
  store_.submit([tenant = ctx.tenant, rec = std::move(rec)](
                    store::WriteTxn& txn) { return txn.insert_entity(tenant, rec); },
                std::move(done));
}

Result<json::Value> Entities::retrieve(const RequestContext& ctx, std::string_view id) {
  URBIS_RETURN_IF_ERROR(check_tenant(ctx));
  auto rec = store_.get_entity(ctx.tenant, id);
  if (!rec.ok()) return rec.error();
  if (!rec.value()) return not_found("entity " + std::string(id) + " was not found");
  auto doc = json::parse(rec.value()->doc, stored_doc_limits());
  if (!doc.ok()) {
    return internal_error("the stored form of entity " + std::string(id) +
                          " is unreadable: " + doc.error().detail);
  }
  return std::move(doc.value());
}

void Entities::remove(const RequestContext& ctx, std::string id, Done done) {
  if (Status t = check_tenant(ctx); !t.ok()) {
    done(t);
    return;
  }
  store_.submit(
      [tenant = ctx.tenant, id = std::move(id)](store::WriteTxn& txn) {
        Status s = txn.delete_entity(tenant, id);
        if (!s.ok() && s.type() == ErrorType::kResourceNotFound) {
          return Status(not_found("entity " + id + " was not found"));
        }
        return s;
      },
      std::move(done));
}

}  // namespace urbis::broker
