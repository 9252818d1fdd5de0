// @context handling: any JSON given as a local context resolves or fails with a typed error;
// resolved contexts expand and compact without failing.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "json/parse.h"
#include "jsonld/resolve.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = urbis::json::parse(text);
  if (!doc.ok()) return 0;
  auto ctx = urbis::jsonld::resolve_local_context(doc.value());
  if (!ctx.ok()) return 0;
  for (const char* term : {"name", "location", "a:b", "https://x.org/y", "Thing", ""}) {
    const std::string iri = ctx.value()->expand(term);
    (void)ctx.value()->compact(iri);
  }
  return 0;
}
