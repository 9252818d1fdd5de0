// Entity validation and expansion: any JSON document is either rejected with BadRequestData or
// becomes a stored form that renders without failing.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "json/parse.h"
#include "json/write.h"
#include "jsonld/core_context.h"
#include "model/entity.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = urbis::json::parse(text);
  if (!doc.ok()) return 0;
  static const urbis::Limits limits;
  const auto ctx = urbis::jsonld::core_context();
  auto stored = urbis::model::expand_entity(doc.value(), *ctx, limits);
  if (!stored.ok()) {
    if (stored.error().type != urbis::ErrorType::kBadRequestData || stored.error().detail.empty())
      std::abort();
    return 0;
  }
  urbis::model::stamp_new_entity(stored.value(), "2026-01-01T00:00:00.000Z");
  const auto text_form = urbis::json::to_string(stored.value());
  auto reparsed = urbis::json::parse(text_form);
  if (!reparsed.ok()) std::abort();
  (void)urbis::model::render_normalized(reparsed.value(), *ctx, urbis::model::RenderOptions{true});
  return 0;
}
