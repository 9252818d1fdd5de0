// Entity operations of the broker, free of HTTP and of JSON-LD: they take a RequestContext and
// entities in stored form (model/entity.h), and go through the store's single write path.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/request_context.h"
#include "core/status.h"
#include "json/value.h"
#include "store/store.h"

namespace urbis::broker {

using Done = std::function<void(const Status&)>;

class Entities {
 public:
  explicit Entities(store::Store& store) : store_(store) {}

  // Creates an entity (GS CIM 009 clause 5.6.1) from its stored form without timestamps.
  // `done` runs after the commit: OK, AlreadyExists when the id is taken in the tenant, or a
  // storage error. The tenant is created by its first entity.
  void create(const RequestContext& ctx, json::Value entity, Done done);

  // The stored form of an entity (clause 5.7.1). ResourceNotFound when absent,
  // NonexistentTenant when the tenant has never been written.
  Result<json::Value> retrieve(const RequestContext& ctx, std::string_view id);

  // Deletes an entity (clause 5.6.6). `done` as for create; ResourceNotFound when absent.
  void remove(const RequestContext& ctx, std::string id, Done done);

 private:
  Status check_tenant(const RequestContext& ctx);

  store::Store& store_;
};

}  // namespace urbis::broker
