// Turns a request's "@context" (from the body or the Link header) into an active Context.
#pragma once

#include <memory>

#include "core/status.h"
#include "json/value.h"
#include "jsonld/context.h"

namespace urbis::jsonld {

// Resolves a local context: a URL string, an object of term definitions, or an array mixing
// both, applied in order on top of the core context. Core context URLs resolve to the built-in
// copy. Other URLs cannot be fetched yet and answer LdContextNotAvailable (remote contexts, their
// cache and the offline preload directory are the JSON-LD contexts issue). Null or an empty
// array means the core context alone.
Result<std::shared_ptr<const Context>> resolve_local_context(const json::Value& local);

}  // namespace urbis::jsonld
