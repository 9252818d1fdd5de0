// The one object that describes who asks what, passed explicitly from the API edge down to the
// broker and the store. Later issues add authentication (principal, scopes) here; the broker
// enforces them.
#pragma once

#include <chrono>
#include <string>

namespace urbis {

struct RequestContext {
  // NGSI-LD tenant (the NGSILD-Tenant header); empty means the default tenant.
  std::string tenant;
  // Authenticated subject; empty for anonymous access (the only kind in this milestone's core).
  std::string principal;
  // When the request must be finished by; work past it may be abandoned.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

}  // namespace urbis
