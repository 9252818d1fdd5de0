#include "jsonld/core_context.h"

#include <cstdlib>

#include "json/parse.h"
#include "jsonld/core_context_text.h"

namespace urbis::jsonld {

std::string_view core_context_document() {
  return kCoreContextText;
}

std::shared_ptr<const Context> core_context() {
  // Parsed once; the text is part of the binary, so a failure is a build defect, not input.
  static const std::shared_ptr<const Context> ctx = [] {
    json::ParseLimits limits;
    auto doc = json::parse(kCoreContextText, limits);
    if (!doc.ok() || !doc->find("@context")) std::abort();
    auto parsed = Context::from_definitions(*doc->find("@context"), nullptr, /*protect=*/true);
    if (!parsed.ok()) std::abort();
    return parsed.value();
  }();
  return ctx;
}

bool is_core_context_url(std::string_view url) {
  constexpr std::string_view kHttps = "https://uri.etsi.org/ngsi-ld/";
  constexpr std::string_view kHttp = "http://uri.etsi.org/ngsi-ld/";
  std::string_view rest;
  if (url.substr(0, kHttps.size()) == kHttps) {
    rest = url.substr(kHttps.size());
  } else if (url.substr(0, kHttp.size()) == kHttp) {
    rest = url.substr(kHttp.size());
  } else {
    return false;
  }
  // "v1/ngsi-ld-core-context.jsonld", "v1/ngsi-ld-core-context-v1.8.jsonld",
  // "ngsi-ld-core-context.jsonld"
  if (rest.substr(0, 3) == "v1/") rest.remove_prefix(3);
  constexpr std::string_view kStem = "ngsi-ld-core-context";
  if (rest.substr(0, kStem.size()) != kStem) return false;
  rest.remove_prefix(kStem.size());
  if (rest == ".jsonld") return true;
  if (rest.substr(0, 3) != "-v1" || rest.size() < 3 + 7) return false;
  rest.remove_prefix(3);
  if (rest[0] != '.') return false;
  rest.remove_prefix(1);
  std::size_t digits = 0;
  while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9')
    ++digits;
  return digits > 0 && rest.substr(digits) == ".jsonld";
}

}  // namespace urbis::jsonld
