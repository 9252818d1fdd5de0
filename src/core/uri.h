// URI checks used for entity ids, relationship objects, datasetIds and IRIs.
#pragma once

#include <string_view>

namespace urbis {

// True when `s` is an absolute URI as NGSI-LD requires for ids (RFC 3986: a scheme of
// ALPHA *(ALPHA / DIGIT / "+" / "-" / ".") followed by ':' and a non-empty remainder) and holds no
// character RFC 3987 forbids in an IRI (controls, space, <>"{}|\^`). Non-ASCII must be valid UTF-8.
bool is_absolute_uri(std::string_view s);

// True when `s` may be used as an attribute or type name before expansion (GS CIM 009 clause
// 4.6.2): non-empty, no controls, no whitespace, none of the characters <>"'=;()\ which the
// query language and HTTP headers reserve; valid UTF-8.
bool is_valid_name(std::string_view s);

}  // namespace urbis
