// The NGSI-LD core @context (v1.8), built into the binary: no network is ever needed for it.
#pragma once

#include <memory>
#include <string_view>

#include "jsonld/context.h"

namespace urbis::jsonld {

// The URL urbis puts in Link headers and "@context" members for the core context.
inline constexpr std::string_view kCoreContextUrl =
    "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld";

// The ETSI IRI namespace of NGSI-LD core terms and the default vocabulary of the core context.
inline constexpr std::string_view kNgsiLdNamespace = "https://uri.etsi.org/ngsi-ld/";
inline constexpr std::string_view kDefaultVocab = "https://uri.etsi.org/ngsi-ld/default-context/";

// The parsed core context (parsed once, shared, immutable).
std::shared_ptr<const Context> core_context();

// The text of the built-in core context document, as served to clients.
std::string_view core_context_document();

// True for every URL clients use for the core context: the unversioned and v1.x versioned
// forms, over https or http (e.g. .../ngsi-ld-core-context.jsonld, ...-v1.6.jsonld).
bool is_core_context_url(std::string_view url);

}  // namespace urbis::jsonld
