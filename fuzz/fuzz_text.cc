// Small text parsers: ISO 8601 date-times, URIs and names, percent-decoding, query strings,
// media ranges and Link headers.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/media.h"
#include "core/strings.h"
#include "core/time.h"
#include "core/uri.h"
#include "http/message.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (auto t = urbis::parse_datetime(text)) {
    // Whatever parses formats, and the formatted form parses to the same millisecond.
    const auto again = urbis::parse_datetime(urbis::format_datetime_ms(*t));
    if (!again || *again / 1000 != (*t >= 0 ? *t / 1000 : (*t - 999) / 1000)) std::abort();
  }
  (void)urbis::is_absolute_uri(text);
  (void)urbis::is_valid_name(text);
  if (auto d = urbis::percent_decode(text)) {
    if (urbis::percent_decode(urbis::percent_encode_path_segment(*d)) != *d) std::abort();
  }
  (void)urbis::http::parse_query(text);
  urbis::http::Request req;
  req.headers.add("Accept", text);
  req.headers.add("Link", text);
  req.headers.add("Content-Type", text);
  (void)urbis::api::negotiate(req, {urbis::api::kJson, urbis::api::kJsonLd});
  (void)urbis::api::context_link(req);
  (void)urbis::api::require_json_content_type(req);
  return 0;
}
