// Registration of every HTTP route urbis serves. Each add_* function owns one family of routes;
// handlers translate between the wire and the broker and never touch the store directly for
// writes.
#pragma once

#include "core/limits.h"
#include "http/router.h"

namespace urbis::broker {
class Entities;
}
namespace urbis::store {
class Store;
}
namespace urbis::metrics {
class Registry;
}

namespace urbis::api {

// NGSI-LD entity routes under /ngsi-ld/v1 (this milestone's first slice: create, retrieve,
// delete; GS CIM 009 clauses 5.6.1, 5.7.1, 5.6.6).
void add_entity_routes(http::Router& router, broker::Entities& entities, const Limits& limits);

// /health (liveness), /ready (store open and writable), /version, /metrics (Prometheus).
void add_system_routes(http::Router& router, store::Store& store, metrics::Registry& metrics);

}  // namespace urbis::api
