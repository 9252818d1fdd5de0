#include "jsonld/context.h"

#include <functional>
#include <string>

namespace urbis::jsonld {
namespace {

bool is_keyword(std::string_view s) {
  return !s.empty() && s[0] == '@';
}

// Characters after which an IRI may be split into prefix and suffix (RFC 3986 gen-delims).
bool ends_with_gen_delim(std::string_view iri) {
  if (iri.empty()) return false;
  switch (iri.back()) {
    case ':':
    case '/':
    case '?':
    case '#':
    case '[':
    case ']':
    case '@':
      return true;
    default:
      return false;
  }
}

bool has_scheme(std::string_view s) {
  const auto colon = s.find(':');
  if (colon == 0 || colon == std::string_view::npos) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    const char c = s[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
    if (!ok) return false;
  }
  return true;
}

bool shorter(std::string_view a, std::string_view b) {
  return a.size() < b.size() || (a.size() == b.size() && a < b);
}

}  // namespace

Result<std::shared_ptr<const Context>> Context::from_definitions(
    const json::Value& defs, std::shared_ptr<const Context> base, bool protect) {
  if (!defs.is_object()) {
    return bad_request_data(
        "@context: a local context must be an object of term definitions, got " +
        std::string(json::kind_name(defs.kind())));
  }
  auto ctx = std::make_shared<Context>();
  ctx->base_ = std::move(base);
  ctx->protected_ = protect;

  // Raw IRI strings first, so that prefixes defined in the same context can be used by others.
  std::unordered_map<std::string, std::string> raw;
  for (const auto& m : defs.as_object()) {
    if (m.key == "@vocab") {
      if (!m.value.is_string()) return bad_request_data("@context: @vocab must be a string");
      ctx->vocab_ = m.value.as_string();
      continue;
    }
    if (is_keyword(m.key)) continue;  // @version, @protected, @language...: no effect on names
    if (m.key.empty()) return bad_request_data("@context: a term must not be empty");
    if (m.value.is_string()) {
      raw[m.key] = m.value.as_string();
    } else if (m.value.is_object()) {
      const json::Value* id = m.value.find("@id");
      if (id && !id->is_string()) {
        return bad_request_data("@context: the @id of term \"" + m.key + "\" must be a string");
      }
      raw[m.key] = id ? id->as_string() : m.key;
    } else if (!m.value.is_null()) {
      return bad_request_data("@context: the definition of term \"" + m.key +
                              "\" must be a string, an object or null");
    }
  }

  // Expands a definition's IRI value: terms and compact IRIs through this context or the base.
  // `depth` bounds chains of terms defined by other terms (and cycles).
  bool cyclic = false;
  std::function<std::string(const std::string&, int)> expand_value = [&](const std::string& value,
                                                                         int depth) -> std::string {
    if (is_keyword(value)) return value;
    if (depth > 8) {
      cyclic = true;  // JSON-LD: a cyclic IRI mapping is an error
      return value;
    }
    const auto colon = value.find(':');
    if (colon != std::string::npos && value.compare(colon + 1, 2, "//") != 0) {
      const std::string prefix = value.substr(0, colon);
      if (auto it = raw.find(prefix); it != raw.end() && it->second != value) {
        return it->second + value.substr(colon + 1);
      }
      if (ctx->base_) {
        if (const auto* def = ctx->base_->find(prefix)) return def->iri + value.substr(colon + 1);
      }
      return value;
    }
    if (has_scheme(value)) return value;
    if (auto it = raw.find(value); it != raw.end() && it->second != value) {
      return expand_value(it->second, depth + 1);
    }
    if (ctx->base_) {
      if (const auto* def = ctx->base_->find(value)) return def->iri;
    }
    const std::string& vocab =
        ctx->vocab_.empty() && ctx->base_ ? ctx->base_->vocab() : ctx->vocab_;
    return vocab + value;
  };

  for (const auto& m : defs.as_object()) {
    if (is_keyword(m.key)) continue;
    if (m.value.is_null()) {
      if (ctx->base_ && ctx->base_->protected_ && ctx->base_->find(m.key)) {
        return bad_request_data("@context: the protected core term \"" + m.key +
                                "\" cannot be undefined");
      }
      continue;
    }
    TermDefinition def;
    def.iri = expand_value(raw[m.key], 0);
    if (cyclic) {
      return bad_request_data("@context: the definition of term \"" + m.key +
                              "\" is cyclic or nested too deeply");
    }
    if (m.value.is_object()) {
      if (const json::Value* t = m.value.find("@type"); t && t->is_string()) {
        def.type =
            t->as_string() == "@id" || t->as_string() == "@vocab" || t->as_string() == "@json"
                ? t->as_string()
                : expand_value(t->as_string(), 0);
      }
      if (const json::Value* c = m.value.find("@container"); c && c->is_string()) {
        def.container = c->as_string();
      }
    }
    if (ctx->base_ && ctx->base_->protected_) {
      if (const TermDefinition* existing = ctx->base_->find(m.key);
          existing && !(*existing == def)) {
        return bad_request_data("@context: the protected core term \"" + m.key +
                                "\" cannot be redefined");
      }
    }
    if (!is_keyword(def.iri)) {
      auto [it, inserted] = ctx->inverse_.emplace(def.iri, m.key);
      if (!inserted && shorter(m.key, it->second)) it->second = m.key;
      if (m.value.is_string() && ends_with_gen_delim(def.iri)) {
        auto [pit, pinserted] = ctx->prefixes_.emplace(def.iri, m.key);
        if (!pinserted && shorter(m.key, pit->second)) pit->second = m.key;
      }
    }
    ctx->terms_[m.key] = std::move(def);
  }
  return std::shared_ptr<const Context>(std::move(ctx));
}

const TermDefinition* Context::find(std::string_view term) const {
  // The protected base (the core context) is applied last by NGSI-LD, so its terms win.
  if (base_ && base_->protected_) {
    if (const auto* def = base_->find(term)) return def;
  }
  if (auto it = terms_.find(std::string(term)); it != terms_.end()) return &it->second;
  if (base_ && !base_->protected_) return base_->find(term);
  return nullptr;
}

const std::string& Context::vocab() const {
  if (base_ && (base_->protected_ || vocab_.empty())) {
    const std::string& v = base_->vocab();
    if (!v.empty() || vocab_.empty()) return v;
  }
  return vocab_;
}

std::optional<std::string> Context::expand_prefix(std::string_view term) const {
  const auto colon = term.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view suffix = term.substr(colon + 1);
  if (suffix.substr(0, 2) == "//") return std::string(term);  // already an absolute IRI
  if (const auto* def = find(term.substr(0, colon)); def && !is_keyword(def->iri)) {
    return def->iri + std::string(suffix);
  }
  if (has_scheme(term)) return std::string(term);
  return std::nullopt;
}

std::string Context::expand(std::string_view term) const {
  if (const auto* def = find(term); def && !is_keyword(def->iri)) return def->iri;
  if (auto iri = expand_prefix(term)) return *iri;
  return vocab() + std::string(term);
}

std::optional<std::string> Context::compact_here(std::string_view iri) const {
  std::optional<std::string> best;
  for (const Context* c = this; c; c = c->base_.get()) {
    if (auto it = c->inverse_.find(std::string(iri)); it != c->inverse_.end()) {
      if (!best || shorter(it->second, *best)) best = it->second;
    }
  }
  return best;
}

std::string Context::compact(std::string_view iri) const {
  if (auto term = compact_here(iri)) return *term;
  const std::string& v = vocab();
  if (!v.empty() && iri.size() > v.size() && iri.substr(0, v.size()) == v) {
    const std::string_view suffix = iri.substr(v.size());
    // The short form must expand back to the same IRI: no colon, and not a defined term.
    if (suffix.find(':') == std::string_view::npos && !find(suffix)) return std::string(suffix);
  }
  std::string best;
  std::size_t best_len = 0;
  for (const Context* c = this; c; c = c->base_.get()) {
    for (const auto& [prefix_iri, term] : c->prefixes_) {
      if (prefix_iri.size() > best_len && iri.size() > prefix_iri.size() &&
          iri.substr(0, prefix_iri.size()) == prefix_iri) {
        std::string candidate = term + ":" + std::string(iri.substr(prefix_iri.size()));
        if (!find(candidate)) {
          best = std::move(candidate);
          best_len = prefix_iri.size();
        }
      }
    }
  }
  if (!best.empty()) return best;
  return std::string(iri);
}

}  // namespace urbis::jsonld
