// HTTP content negotiation and the JSON-LD Link header, as NGSI-LD uses them
// (GS CIM 009 clauses 6.3.4 - 6.3.6).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "http/message.h"

namespace urbis::api {

inline constexpr std::string_view kJson = "application/json";
inline constexpr std::string_view kJsonLd = "application/ld+json";
inline constexpr std::string_view kJsonLdContextRel = "http://www.w3.org/ns/json-ld#context";

// The media type of a Content-Type value, lowercased and without parameters.
std::string media_type(std::string_view content_type);

// The body media types NGSI-LD accepts for JSON payloads. Checks the Content-Type of a request
// that carries a body: application/json or application/ld+json, else 415 naming what was sent.
Result<std::string> require_json_content_type(const http::Request& request);

// Picks the response media type among `offered` (most preferred first) for the request's
// Accept header (q-values honoured; absent Accept means */*). 406 when none is acceptable.
Result<std::string> negotiate(const http::Request& request,
                              std::initializer_list<std::string_view> offered);

// The URL of the JSON-LD context Link header (rel="http://www.w3.org/ns/json-ld#context"), if
// any. BadRequestData when more than one is given or the header is malformed.
Result<std::optional<std::string>> context_link(const http::Request& request);

// The Link header value that points a response at a context URL.
std::string context_link_value(std::string_view url);

}  // namespace urbis::api
