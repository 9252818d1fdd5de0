#include "jsonld/resolve.h"

#include "jsonld/core_context.h"

namespace urbis::jsonld {
namespace {

Result<std::shared_ptr<const Context>> apply(const json::Value& item,
                                             std::shared_ptr<const Context> active) {
  if (item.is_string()) {
    if (is_core_context_url(item.as_string())) return active;
    return Error{ErrorType::kLdContextNotAvailable,
                 "@context: \"" + item.as_string() +
                     "\" is not available: this server resolves the NGSI-LD core context and "
                     "inline term definitions only"};
  }
  if (item.is_object()) return Context::from_definitions(item, std::move(active), false);
  return bad_request_data("@context: expected a URL string, an object or an array of these, got " +
                          std::string(json::kind_name(item.kind())));
}

}  // namespace

Result<std::shared_ptr<const Context>> resolve_local_context(const json::Value& local) {
  std::shared_ptr<const Context> active = core_context();
  if (local.is_null()) return active;
  if (!local.is_array()) return apply(local, active);
  for (const auto& item : local.as_array()) {
    if (item.is_array()) return bad_request_data("@context: nested arrays are not allowed");
    auto next = apply(item, active);
    if (!next.ok()) return next;
    active = std::move(next.value());
  }
  return active;
}

}  // namespace urbis::jsonld
