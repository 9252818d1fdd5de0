#include "model/entity.h"

#include <algorithm>
#include <array>
#include <unordered_set>

#include "core/time.h"
#include "core/uri.h"
#include "jsonld/core_context.h"
#include "model/geojson.h"

namespace urbis::model {
namespace {

using json::Member;
using json::Object;
using json::Value;

// Members of an attribute instance that are not sub-attributes.
constexpr std::array<std::string_view, 17> kInstanceMembers = {
    "type",      "value",      "object",     "objectType", "languageMap", "vocab",
    "json",      "valueList",  "objectList", "observedAt", "unitCode",    "datasetId",
    "createdAt", "modifiedAt", "deletedAt",  "instanceId", "lang"};

bool is_instance_member(std::string_view key) {
  for (auto m : kInstanceMembers) {
    if (m == key) return true;
  }
  return false;
}

// Members of an entity that are not attributes.
bool is_entity_member(std::string_view key) {
  return key == "id" || key == "type" || key == "scope" || key == "@context" ||
         key == "createdAt" || key == "modifiedAt" || key == "deletedAt";
}

// The IRIs that the names of entity and instance members expand to under the core context
// (ngsi-ld:hasValue for "value", ngsi-ld:createdAt...). An attribute named by one of them would
// be rendered under that member's short name and collide with it.
const std::unordered_set<std::string>& reserved_iris() {
  static const std::unordered_set<std::string> iris = [] {
    std::unordered_set<std::string> out;
    const auto core = jsonld::core_context();
    auto add = [&](std::string_view name) {
      const jsonld::TermDefinition* def = core->find(name);
      if (def && !def->iri.empty() && def->iri[0] != '@') out.insert(def->iri);
    };
    for (auto m : kInstanceMembers)
      add(m);
    for (auto m : {"scope", "createdAt", "modifiedAt", "deletedAt"})
      add(m);
    return out;
  }();
  return iris;
}

// Attributes the core context defines as geometries: they must be GeoProperties.
bool is_core_geoproperty(std::string_view iri) {
  return iri == "https://uri.etsi.org/ngsi-ld/location" ||
         iri == "https://uri.etsi.org/ngsi-ld/observationSpace" ||
         iri == "https://uri.etsi.org/ngsi-ld/operationSpace";
}

enum class Kind {
  kProperty,
  kRelationship,
  kGeoProperty,
  kLanguageProperty,
  kVocabProperty,
  kJsonProperty,
  kListProperty,
  kListRelationship
};

struct KindInfo {
  std::string_view name;
  Kind kind;
  std::string_view content;  // the member holding the attribute's content
};

constexpr std::array<KindInfo, 8> kKinds = {{
    {"Property", Kind::kProperty, "value"},
    {"Relationship", Kind::kRelationship, "object"},
    {"GeoProperty", Kind::kGeoProperty, "value"},
    {"LanguageProperty", Kind::kLanguageProperty, "languageMap"},
    {"VocabProperty", Kind::kVocabProperty, "vocab"},
    {"JsonProperty", Kind::kJsonProperty, "json"},
    {"ListProperty", Kind::kListProperty, "valueList"},
    {"ListRelationship", Kind::kListRelationship, "objectList"},
}};

const KindInfo* find_kind(std::string_view name) {
  for (const auto& k : kKinds) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

class Expander {
 public:
  Expander(const jsonld::Context& ctx, const Limits& limits) : ctx_(ctx), limits_(limits) {}

  Result<Value> entity(const Value& in) {
    if (!in.is_object()) {
      return bad_request_data("the entity must be a JSON object, got " +
                              std::string(json::kind_name(in.kind())));
    }
    Value out = Value::object();
    const Value* id = in.find("id");
    if (!id) id = in.find("@id");
    if (!id) return bad_request_data("id: the entity has no \"id\"");
    if (!id->is_string()) return bad_request_data("id: must be a string");
    if (id->as_string().size() > limits_.max_id_bytes) {
      return bad_request_data("id: longer than limits.max_id_bytes (" +
                              std::to_string(limits_.max_id_bytes) + ")");
    }
    if (!is_absolute_uri(id->as_string())) {
      return bad_request_data("id: \"" + id->as_string() + "\" is not a URI");
    }
    out.set("id", *id);

    const Value* type = in.find("type");
    if (!type) type = in.find("@type");
    if (!type) return bad_request_data("type: the entity has no \"type\"");
    auto types = expand_types(*type);
    if (!types.ok()) return types.error();
    out.set("type", std::move(types.value()));

    if (const Value* scope = in.find("scope")) {
      auto scopes = check_scope(*scope);
      if (!scopes.ok()) return scopes.error();
      out.set("scope", std::move(scopes.value()));
    }

    Value attrs = Value::object();
    std::unordered_set<std::string> seen;  // expanded names: duplicates by another spelling
    std::size_t count = 0;
    for (const auto& m : in.as_object()) {
      if (is_entity_member(m.key) || m.key == "@id" || m.key == "@type") continue;
      if (++count > limits_.max_attributes_per_entity) {
        return bad_request_data(
            "the entity has more attributes than "
            "limits.max_attributes_per_entity (" +
            std::to_string(limits_.max_attributes_per_entity) + ")");
      }
      if (is_instance_member(m.key)) {
        return bad_request_data("attribute \"" + m.key +
                                "\": this name is reserved by NGSI-LD and cannot be an attribute");
      }
      auto iri = expand_name(m.key, "attribute");
      if (!iri.ok()) return iri.error();
      if (!seen.insert(iri.value()).second) {
        return bad_request_data("attribute \"" + m.key + "\": given twice (as \"" + m.key +
                                "\" and by another name expanding to " + iri.value() + ")");
      }
      auto instances = attribute(m.value, m.key, iri.value());
      if (!instances.ok()) return instances.error();
      attrs.as_object().push_back(Member{std::move(iri.value()), std::move(instances.value())});
    }
    out.set("attrs", std::move(attrs));
    return out;
  }

 private:
  Result<std::string> expand_name(const std::string& name, std::string_view what) {
    if (!is_valid_name(name)) {
      return bad_request_data(std::string(what) + " \"" + name +
                              "\": not a valid name (no whitespace, controls or <>\"'=;()\\)");
    }
    std::string iri = ctx_.expand(name);
    if (iri.size() > limits_.max_name_bytes) {
      return bad_request_data(std::string(what) + " \"" + name +
                              "\": longer than limits.max_name_bytes (" +
                              std::to_string(limits_.max_name_bytes) + ") once expanded");
    }
    if (!is_absolute_uri(iri)) {
      return bad_request_data(std::string(what) + " \"" + name + "\": expands to \"" + iri +
                              "\", which is not an absolute IRI (check the @context)");
    }
    if (what != "type" && reserved_iris().count(iri)) {
      return bad_request_data(std::string(what) + " \"" + name + "\": expands to " + iri +
                              ", which NGSI-LD reserves for its own members");
    }
    return iri;
  }

  Result<Value> expand_types(const Value& type) {
    Value out = Value::array();
    std::unordered_set<std::string> seen;
    auto add = [&](const Value& t) -> Status {
      if (!t.is_string() || t.as_string().empty()) {
        return bad_request_data("type: entity types must be non-empty strings");
      }
      auto iri = expand_name(t.as_string(), "type");
      if (!iri.ok()) return iri.status();
      // Duplicates collapse, as JSON-LD @type sets do.
      if (seen.insert(iri.value()).second) out.push_back(Value(std::move(iri.value())));
      return Status();
    };
    if (type.is_array()) {
      if (type.as_array().empty()) return bad_request_data("type: must not be an empty array");
      if (type.as_array().size() > limits_.max_types_per_entity) {
        return bad_request_data("type: more types than limits.max_types_per_entity (" +
                                std::to_string(limits_.max_types_per_entity) + ")");
      }
      for (const auto& t : type.as_array())
        URBIS_RETURN_IF_ERROR(add(t));
    } else {
      URBIS_RETURN_IF_ERROR(add(type));
    }
    return out;
  }

  Result<Value> check_scope(const Value& scope) {
    Value out = Value::array();
    auto add = [&](const Value& s) -> Status {
      if (!s.is_string() || s.as_string().empty() || s.as_string()[0] != '/') {
        return bad_request_data("scope: each scope is a string starting with '/'");
      }
      out.push_back(s);
      return Status();
    };
    if (scope.is_array()) {
      for (const auto& s : scope.as_array())
        URBIS_RETURN_IF_ERROR(add(s));
    } else {
      URBIS_RETURN_IF_ERROR(add(scope));
    }
    return out;
  }

  // An attribute: one instance object, or an array of instances with distinct datasetIds.
  Result<Value> attribute(const Value& in, const std::string& name, const std::string& iri) {
    Value instances = Value::array();
    const std::string where = "attribute \"" + name + "\"";
    if (in.is_array()) {
      const auto& arr = in.as_array();
      if (arr.empty()) return bad_request_data(where + ": an empty array is not an attribute");
      if (arr.size() > limits_.max_instances_per_attribute) {
        return bad_request_data(where +
                                ": more instances than "
                                "limits.max_instances_per_attribute (" +
                                std::to_string(limits_.max_instances_per_attribute) + ")");
      }
      std::unordered_set<std::string> dataset_ids;
      for (std::size_t i = 0; i < arr.size(); ++i) {
        const std::string iwhere = where + "[" + std::to_string(i) + "]";
        auto inst = instance(arr[i], iwhere, iri, 0);
        if (!inst.ok()) return inst.error();
        const Value* ds = inst->find("datasetId");
        const std::string key = ds ? ds->as_string() : std::string();
        if (!dataset_ids.insert(key).second) {
          return bad_request_data(iwhere + (ds ? ": datasetId \"" + key + "\" is used twice"
                                               : std::string(": only one instance may have no "
                                                             "datasetId (the default instance)")));
        }
        instances.push_back(std::move(inst.value()));
      }
      return instances;
    }
    auto inst = instance(in, where, iri, 0);
    if (!inst.ok()) return inst.error();
    instances.push_back(std::move(inst.value()));
    return instances;
  }

  Result<Value> instance(const Value& in, const std::string& where, const std::string& iri,
                         int depth) {
    if (!in.is_object()) {
      return bad_request_data(where +
                              ": expected an attribute object with a \"type\" member, got " +
                              std::string(json::kind_name(in.kind())));
    }
    const Value* type = in.find("type");
    if (!type) {
      return bad_request_data(where +
                              ": missing \"type\" (Property, Relationship, GeoProperty, "
                              "LanguageProperty, VocabProperty, JsonProperty, ListProperty or "
                              "ListRelationship)");
    }
    const KindInfo* kind = type->is_string() ? find_kind(type->as_string()) : nullptr;
    if (!kind) {
      return bad_request_data(where +
                              ": \"type\" must be one of Property, Relationship, "
                              "GeoProperty, LanguageProperty, VocabProperty, JsonProperty, "
                              "ListProperty, ListRelationship");
    }
    if (is_core_geoproperty(iri) && depth == 0 && kind->kind != Kind::kGeoProperty) {
      return bad_request_data(where + ": must be a GeoProperty");
    }
    Value out = Value::object();
    out.set("type", Value(kind->name));
    const Value* content = in.find(kind->content);
    if (!content) {
      return bad_request_data(where + ": a " + std::string(kind->name) + " needs \"" +
                              std::string(kind->content) + "\"");
    }
    auto checked = check_content(*kind, *content, where);
    if (!checked.ok()) return checked.error();
    out.set(std::string(kind->content), std::move(checked.value()));

    std::unordered_set<std::string> seen_subs;
    std::size_t sub_count = 0;
    for (const auto& m : in.as_object()) {
      if (m.key == "type" || m.key == kind->content) continue;
      if (m.key == "createdAt" || m.key == "modifiedAt" || m.key == "deletedAt" ||
          m.key == "instanceId") {
        continue;  // system-generated: client values are ignored (GS CIM 009 clause 4.8)
      }
      if (m.key == "observedAt") {
        if (!m.value.is_string() || !parse_datetime(m.value.as_string())) {
          return bad_request_data(where + ": observedAt must be an ISO 8601 DateTime string");
        }
        out.set("observedAt", m.value);
      } else if (m.key == "unitCode") {
        if (!m.value.is_string() || m.value.as_string().empty()) {
          return bad_request_data(where + ": unitCode must be a non-empty string");
        }
        out.set("unitCode", m.value);
      } else if (m.key == "datasetId") {
        if (!m.value.is_string() || !is_absolute_uri(m.value.as_string())) {
          return bad_request_data(where + ": datasetId must be a URI");
        }
        out.set("datasetId", m.value);
      } else if (m.key == "objectType" &&
                 (kind->kind == Kind::kRelationship || kind->kind == Kind::kListRelationship)) {
        auto ot = expand_vocab_values(m.value, where + ": objectType");
        if (!ot.ok()) return ot.error();
        out.set("objectType", std::move(ot.value()));
      } else if (m.key == "lang" && kind->kind == Kind::kProperty) {
        if (!m.value.is_string()) return bad_request_data(where + ": lang must be a string");
        out.set("lang", m.value);
      } else if (is_instance_member(m.key)) {
        return bad_request_data(where + ": a " + std::string(kind->name) + " has no member \"" +
                                m.key + "\"");
      } else {
        // A sub-attribute (property of a property, relationship of a relationship...).
        if (depth + 1 >= static_cast<int>(limits_.max_json_depth)) {
          return bad_request_data(where +
                                  ": sub-attributes nest deeper than limits.max_json_depth");
        }
        if (++sub_count > limits_.max_sub_attributes) {
          return bad_request_data(where + ": more sub-attributes than limits.max_sub_attributes (" +
                                  std::to_string(limits_.max_sub_attributes) + ")");
        }
        auto sub_iri = expand_name(m.key, "sub-attribute");
        if (!sub_iri.ok()) return bad_request_data(where + ": " + sub_iri.error().detail);
        if (!seen_subs.insert(sub_iri.value()).second) {
          return bad_request_data(where + ": sub-attribute \"" + m.key + "\" given twice");
        }
        auto sub = instance(m.value, where + " sub-attribute \"" + m.key + "\"", sub_iri.value(),
                            depth + 1);
        if (!sub.ok()) return sub.error();
        out.as_object().push_back(Member{std::move(sub_iri.value()), std::move(sub.value())});
      }
    }
    return out;
  }

  Result<Value> check_content(const KindInfo& kind, const Value& v, const std::string& where) {
    switch (kind.kind) {
      case Kind::kProperty:
        if (v.is_null()) return bad_request_data(where + ": a Property value cannot be null");
        return v;
      case Kind::kRelationship: {
        auto check_uri = [&](const Value& o) {
          return o.is_string() && is_absolute_uri(o.as_string()) &&
                 o.as_string().size() <= limits_.max_id_bytes;
        };
        if (v.is_array()) {
          if (v.as_array().empty()) return bad_request_data(where + ": object must not be empty");
          for (const auto& o : v.as_array()) {
            if (!check_uri(o)) return bad_request_data(where + ": object must hold URIs");
          }
          return v;
        }
        if (!check_uri(v)) return bad_request_data(where + ": object must be a URI");
        return v;
      }
      case Kind::kGeoProperty:
        if (auto err = check_geometry(v)) return bad_request_data(where + ": " + *err);
        return v;
      case Kind::kLanguageProperty: {
        if (!v.is_object() || v.as_object().empty()) {
          return bad_request_data(where +
                                  ": languageMap must be a non-empty object of "
                                  "language tag -> string");
        }
        for (const auto& m : v.as_object()) {
          const bool ok_value = m.value.is_string() ||
                                (m.value.is_array() && !m.value.as_array().empty() &&
                                 std::all_of(m.value.as_array().begin(), m.value.as_array().end(),
                                             [](const Value& s) { return s.is_string(); }));
          if (m.key.empty() || !ok_value) {
            return bad_request_data(where + ": languageMap entry \"" + m.key +
                                    "\" must map a language tag to a string");
          }
        }
        return v;
      }
      case Kind::kVocabProperty:
        return expand_vocab_values(v, where + ": vocab");
      case Kind::kJsonProperty:
        if (!v.is_object() && !v.is_array()) {
          return bad_request_data(where + ": json must be a JSON object or array");
        }
        return v;
      case Kind::kListProperty:
        if (!v.is_array()) return bad_request_data(where + ": valueList must be an array");
        return v;
      case Kind::kListRelationship: {
        if (!v.is_array()) return bad_request_data(where + ": objectList must be an array");
        for (const auto& o : v.as_array()) {
          const Value* inner = o.is_object() ? o.find("object") : &o;
          if (!inner || !inner->is_string() || !is_absolute_uri(inner->as_string())) {
            return bad_request_data(where + ": objectList items must be URIs or {\"object\": URI}");
          }
        }
        return v;
      }
    }
    return v;
  }

  // vocab and objectType values are IRIs in vocabulary space: expanded like type names.
  Result<Value> expand_vocab_values(const Value& v, const std::string& where) {
    auto one = [&](const Value& s) -> Result<Value> {
      if (!s.is_string() || s.as_string().empty() || !is_valid_name(s.as_string())) {
        return bad_request_data(where + " must hold non-empty names");
      }
      return Value(ctx_.expand(s.as_string()));
    };
    if (!v.is_array()) return one(v);
    if (v.as_array().empty()) return bad_request_data(where + " must not be empty");
    Value out = Value::array();
    for (const auto& s : v.as_array()) {
      auto e = one(s);
      if (!e.ok()) return e;
      out.push_back(std::move(e.value()));
    }
    return out;
  }

  const jsonld::Context& ctx_;
  const Limits& limits_;
};

bool is_iri_key(std::string_view key) {
  return key.find(':') != std::string_view::npos;
}

// Vocabulary-space values (types, vocab, objectType) compacted in place.
void compact_vocab(Value& v, const jsonld::Context& ctx) {
  if (v.is_string()) {
    v = Value(ctx.compact(v.as_string()));
  } else if (v.is_array()) {
    for (auto& s : v.as_array())
      compact_vocab(s, ctx);
  }
}

// Renders one instance, consuming it: the stored document is a temporary, so its members are
// moved, not copied. Member names are unique in the stored form and compaction keeps them
// apart, so members are appended without a lookup. `entity_created` is the entity's
// createdAt: an instance stored without timestamps was created with the entity and not
// modified since.
Value render_instance(Value&& inst, const jsonld::Context& ctx, const RenderOptions& opts,
                      const Value* entity_created) {
  Object& in = inst.as_object();
  Object out;
  out.reserve(in.size() + 2);
  const bool vocab_kind = [&] {
    const Value* t = inst.find("type");
    return t && t->is_string() && t->as_string() == "VocabProperty";
  }();
  bool has_created = false;
  bool has_modified = false;
  for (auto& m : in) {
    if (is_iri_key(m.key)) {
      out.push_back(
          Member{ctx.compact(m.key), render_instance(std::move(m.value), ctx, opts, nullptr)});
    } else if (m.key == "createdAt" || m.key == "modifiedAt") {
      (m.key == "createdAt" ? has_created : has_modified) = true;
      if (opts.sys_attrs) out.push_back(std::move(m));
    } else {
      if (m.key == "objectType" || (m.key == "vocab" && vocab_kind)) compact_vocab(m.value, ctx);
      out.push_back(std::move(m));
    }
  }
  if (opts.sys_attrs && entity_created) {
    if (!has_created) out.push_back(Member{"createdAt", *entity_created});
    if (!has_modified) out.push_back(Member{"modifiedAt", *entity_created});
  }
  return Value(std::move(out));
}

}  // namespace

Result<json::Value> expand_entity(const json::Value& input, const jsonld::Context& ctx,
                                  const Limits& limits) {
  return Expander(ctx, limits).entity(input);
}

void stamp_new_entity(json::Value& stored, std::string_view now) {
  // Instances get no timestamps of their own: equal to the entity's, they would be a third of
  // the bytes of a typical new entity (docs/STORAGE.md).
  stored.set("createdAt", Value(now));
  stored.set("modifiedAt", Value(now));
}

const std::string& stored_id(const json::Value& stored) {
  return stored.find("id")->as_string();
}

json::Value render_normalized(json::Value&& stored, const jsonld::Context& ctx,
                              const RenderOptions& opts) {
  Object out;
  Value* attrs = stored.find("attrs");
  out.reserve((attrs ? attrs->as_object().size() : 0) + 5);
  out.push_back(Member{"id", std::move(*stored.find("id"))});
  if (Value* types = stored.find("type")) {
    compact_vocab(*types, ctx);
    auto& arr = types->as_array();
    out.push_back(Member{"type", arr.size() == 1 ? std::move(arr[0]) : std::move(*types)});
  }
  if (Value* scope = stored.find("scope")) {
    auto& arr = scope->as_array();
    out.push_back(Member{"scope", arr.size() == 1 ? std::move(arr[0]) : std::move(*scope)});
  }
  const Value* created = stored.find("createdAt");
  if (attrs) {
    for (auto& m : attrs->as_object()) {
      auto& instances = m.value.as_array();
      std::string name = ctx.compact(m.key);
      if (instances.size() == 1) {
        out.push_back(
            Member{std::move(name), render_instance(std::move(instances[0]), ctx, opts, created)});
      } else {
        Value arr = Value::array();
        arr.as_array().reserve(instances.size());
        for (auto& inst : instances) {
          arr.push_back(render_instance(std::move(inst), ctx, opts, created));
        }
        out.push_back(Member{std::move(name), std::move(arr)});
      }
    }
  }
  if (opts.sys_attrs) {
    if (const Value* c = stored.find("createdAt")) out.push_back(Member{"createdAt", *c});
    if (const Value* mo = stored.find("modifiedAt")) out.push_back(Member{"modifiedAt", *mo});
  }
  return Value(std::move(out));
}

json::Value render_normalized(const json::Value& stored, const jsonld::Context& ctx,
                              const RenderOptions& opts) {
  return render_normalized(Value(stored), ctx, opts);
}

}  // namespace urbis::model
