// A JSON-LD active context, restricted to what NGSI-LD uses: term definitions (IRI, type
// coercion, container), prefixes and @vocab. Contexts are layered: a request's context is its
// own terms on top of the built-in core context, which is protected and always wins (GS CIM 009
// clause 5.5.7: the core context is implicitly appended last).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"
#include "json/value.h"

namespace urbis::jsonld {

struct TermDefinition {
  std::string iri;        // absolute IRI or keyword ("@id", "@type")
  std::string type;       // "@id", "@vocab", "@json", an IRI such as ngsi-ld:DateTime, or ""
  std::string container;  // "@list", "@set", "@language", "@index" or ""
  bool operator==(const TermDefinition&) const = default;
};

class Context {
 public:
  // Builds a context from the value of an "@context" member (an object of term definitions),
  // layered on `base` (may be null). Terms defined by a protected base can be repeated only
  // with an identical definition.
  static Result<std::shared_ptr<const Context>> from_definitions(
      const json::Value& definitions, std::shared_ptr<const Context> base, bool protect);

  // Expands a term used as a property name or a type (vocabulary-relative IRI expansion):
  // a defined term -> its IRI; "prefix:suffix" with a defined prefix -> prefix IRI + suffix;
  // any other absolute IRI -> itself; anything else -> @vocab + term.
  std::string expand(std::string_view term) const;

  // Compacts an IRI for output: the shortest defined term for it, else a vocab-relative name,
  // else a compact IRI with the longest matching prefix, else the IRI itself.
  std::string compact(std::string_view iri) const;

  // The definition of a term, searching the protected base first.
  const TermDefinition* find(std::string_view term) const;

  const std::string& vocab() const;

 private:
  std::optional<std::string> compact_here(std::string_view iri) const;
  std::optional<std::string> expand_prefix(std::string_view term) const;

  std::shared_ptr<const Context> base_;
  bool protected_ = false;
  std::unordered_map<std::string, TermDefinition> terms_;
  std::unordered_map<std::string, std::string> inverse_;   // IRI -> shortest term
  std::unordered_map<std::string, std::string> prefixes_;  // prefix IRI -> term
  std::string vocab_;
};

}  // namespace urbis::jsonld
