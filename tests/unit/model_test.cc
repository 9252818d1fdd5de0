#include <gtest/gtest.h>

#include "json/parse.h"
#include "json/write.h"
#include "jsonld/core_context.h"
#include "model/entity.h"
#include "model/geojson.h"

namespace urbis::model {
namespace {

json::Value j(const std::string& text) {
  auto v = json::parse(text);
  EXPECT_TRUE(v.ok()) << text;
  return v.ok() ? v.value() : json::Value();
}

Result<json::Value> expand(const std::string& text, const Limits& limits = Limits{}) {
  return expand_entity(j(text), *jsonld::core_context(), limits);
}

// Expects a BadRequestData whose detail mentions `needle`.
void expect_rejected(const std::string& text, const std::string& needle) {
  auto r = expand(text);
  ASSERT_FALSE(r.ok()) << text;
  EXPECT_EQ(r.error().type, ErrorType::kBadRequestData) << text;
  EXPECT_NE(r.error().detail.find(needle), std::string::npos) << r.error().detail;
}

TEST(ExpandEntity, StoredFormExpandsNamesAndWrapsInstances) {
  auto r = expand(R"({"id":"urn:ngsi-ld:Parking:1","type":"ParkingSpot",
    "status":{"type":"Property","value":"free","observedAt":"2026-01-01T00:00:00Z"},
    "refParkingSite":{"type":"Relationship","object":"urn:ngsi-ld:Site:9"},
    "location":{"type":"GeoProperty","value":{"type":"Point","coordinates":[2.1,41.3]}},
    "createdAt":"1999-01-01T00:00:00Z"})");
  ASSERT_TRUE(r.ok()) << r.error().detail;
  const json::Value& v = r.value();
  EXPECT_EQ(json::to_string(*v.find("type")),
            R"(["https://uri.etsi.org/ngsi-ld/default-context/ParkingSpot"])");
  const json::Value* attrs = v.find("attrs");
  ASSERT_TRUE(attrs);
  // "status" is a core term: it expands into the ngsi-ld namespace, not the default vocabulary.
  ASSERT_TRUE(attrs->find("https://uri.etsi.org/ngsi-ld/status"));
  ASSERT_TRUE(attrs->find("https://uri.etsi.org/ngsi-ld/default-context/refParkingSite"));
  ASSERT_TRUE(attrs->find("https://uri.etsi.org/ngsi-ld/location"));
  EXPECT_TRUE(attrs->find("https://uri.etsi.org/ngsi-ld/status")->is_array());
  EXPECT_FALSE(v.find("createdAt"));  // client system attributes are dropped
}

TEST(ExpandEntity, EveryAttributeKindIsAccepted) {
  auto r = expand(R"({"id":"urn:x:1","type":["A","B"],
    "p":{"type":"Property","value":{"nested":[1,2]},"unitCode":"CEL","accuracy":{"type":"Property","value":0.1}},
    "r":{"type":"Relationship","object":"urn:x:2","objectType":"Thing"},
    "g":{"type":"GeoProperty","value":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},
    "l":{"type":"LanguageProperty","languageMap":{"en":"street","es":"calle"}},
    "v":{"type":"VocabProperty","vocab":"Open"},
    "jp":{"type":"JsonProperty","json":{"any":{"@thing":1}}},
    "lp":{"type":"ListProperty","valueList":[1,"a",true]},
    "lr":{"type":"ListRelationship","objectList":["urn:x:3",{"object":"urn:x:4"}]},
    "m":[{"type":"Property","value":1,"datasetId":"urn:ds:1"},{"type":"Property","value":2}]})");
  ASSERT_TRUE(r.ok()) << r.error().detail;
  const json::Value* attrs = r->find("attrs");
  EXPECT_EQ(attrs->find("https://uri.etsi.org/ngsi-ld/default-context/m")->as_array().size(), 2u);
  const json::Value& v =
      attrs->find("https://uri.etsi.org/ngsi-ld/default-context/v")->as_array()[0];
  EXPECT_EQ(v.find("vocab")->as_string(), "https://uri.etsi.org/ngsi-ld/default-context/Open");
  const json::Value& p =
      attrs->find("https://uri.etsi.org/ngsi-ld/default-context/p")->as_array()[0];
  EXPECT_TRUE(p.find("https://uri.etsi.org/ngsi-ld/default-context/accuracy"));
}

TEST(ExpandEntity, ErrorsNameTheField) {
  expect_rejected(R"([1])", "JSON object");
  expect_rejected(R"({"type":"T"})", "id");
  expect_rejected(R"({"id":"not a uri","type":"T"})", "id");
  expect_rejected(R"({"id":"Building1","type":"T"})", "not a URI");
  expect_rejected(R"({"id":"urn:x:1"})", "type");
  expect_rejected(R"({"id":"urn:x:1","type":[]})", "type");
  expect_rejected(R"({"id":"urn:x:1","type":"a b"})", "type");
  expect_rejected(R"({"id":"urn:x:1","type":"T","speed":{"value":1}})",
                  "attribute \"speed\": missing \"type\"");
  expect_rejected(R"({"id":"urn:x:1","type":"T","speed":{"type":"Prop","value":1}})", "speed");
  expect_rejected(R"({"id":"urn:x:1","type":"T","speed":{"type":"Property"}})", "needs \"value\"");
  expect_rejected(R"({"id":"urn:x:1","type":"T","speed":{"type":"Property","value":null}})",
                  "null");
  expect_rejected(R"({"id":"urn:x:1","type":"T","speed":12})", "speed");
  expect_rejected(R"({"id":"urn:x:1","type":"T","owner":{"type":"Relationship","object":"bob"}})",
                  "owner");
  expect_rejected(
      R"({"id":"urn:x:1","type":"T","s":{"type":"Property","value":1,"observedAt":"yesterday"}})",
      "observedAt");
  expect_rejected(
      R"({"id":"urn:x:1","type":"T","s":{"type":"Property","value":1,"datasetId":"x"}})",
      "datasetId");
  expect_rejected(
      R"({"id":"urn:x:1","type":"T","s":{"type":"Property","value":1,"object":"urn:a:b"}})",
      "no member \"object\"");
  expect_rejected(R"({"id":"urn:x:1","type":"T","location":{"type":"Property","value":1}})",
                  "GeoProperty");
  expect_rejected(
      R"({"id":"urn:x:1","type":"T","g":{"type":"GeoProperty","value":{"type":"Point","coordinates":[200,0]}}})",
      "longitude");
  expect_rejected(
      R"({"id":"urn:x:1","type":"T","l":{"type":"LanguageProperty","languageMap":{"en":1}}})",
      "languageMap");
  expect_rejected(
      R"({"id":"urn:x:1","type":"T","m":[{"type":"Property","value":1},{"type":"Property","value":2}]})",
      "default instance");
  expect_rejected(
      R"({"id":"urn:x:1","type":"T","m":[{"type":"Property","value":1,"datasetId":"urn:d:1"},{"type":"Property","value":2,"datasetId":"urn:d:1"}]})",
      "used twice");
  expect_rejected(R"({"id":"urn:x:1","type":"T","value":{"type":"Property","value":1}})",
                  "reserved");
  expect_rejected(R"({"id":"urn:x:1","type":"T","a=b":{"type":"Property","value":1}})", "a=b");
  expect_rejected(
      R"({"id":"urn:x:1","type":"T","p":{"type":"Property","value":1,"sub":{"type":"Property"}}})",
      "sub-attribute \"sub\"");
  expect_rejected(
      R"({"id":"urn:x:1","type":"T","temperature":{"type":"Property","value":1},"https://uri.etsi.org/ngsi-ld/default-context/temperature":{"type":"Property","value":2}})",
      "given twice");
}

TEST(ExpandEntity, LimitsAreEnforcedAndNamed) {
  Limits limits;
  limits.max_attributes_per_entity = 2;
  auto r = expand(
      R"({"id":"urn:x:1","type":"T","a":{"type":"Property","value":1},"b":{"type":"Property","value":1},"c":{"type":"Property","value":1}})",
      limits);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().detail.find("limits.max_attributes_per_entity"), std::string::npos);
  limits = Limits{};
  limits.max_id_bytes = 10;
  r = expand(R"({"id":"urn:x:12345678","type":"T"})", limits);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().detail.find("limits.max_id_bytes"), std::string::npos);
}

// Found in review: with no bound on types or sub-attributes and quadratic duplicate checks, one
// 800 KB entity kept an event loop busy for 40 s.
TEST(ExpandEntity, TypeAndSubAttributeCountsAreBoundedAndChecksAreLinear) {
  std::string types = R"({"id":"urn:x:1","type":[)";
  for (int i = 0; i < 101; ++i)
    types += (i ? "," : "") + std::string("\"T") + std::to_string(i) + "\"";
  types += "]}";
  expect_rejected(types, "limits.max_types_per_entity");
  std::string subs = R"({"id":"urn:x:1","type":"T","p":{"type":"Property","value":1)";
  for (int i = 0; i < 101; ++i) {
    subs += R"(,"s)" + std::to_string(i) + R"(":{"type":"Property","value":1})";
  }
  subs += "}}";
  expect_rejected(subs, "limits.max_sub_attributes");
  Limits generous;
  generous.max_types_per_entity = 50000;
  generous.max_sub_attributes = 50000;
  std::string many = R"({"id":"urn:x:1","type":[)";
  for (int i = 0; i < 50000; ++i)
    many += (i ? "," : "") + std::string("\"T") + std::to_string(i % 25000) + "\"";
  many += "]}";
  auto r = expand(many, generous);  // would take minutes with a quadratic check
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(r->find("type")->as_array().size(), 25000u);
}

TEST(ExpandEntity, NamesExpandingToReservedMembersAreRejected) {
  expect_rejected(
      R"({"id":"urn:x:1","type":"T","p":{"type":"Property","value":1,"https://uri.etsi.org/ngsi-ld/hasValue":{"type":"Property","value":2}}})",
      "reserves");
  expect_rejected(
      R"({"id":"urn:x:1","type":"T","https://uri.etsi.org/ngsi-ld/createdAt":{"type":"Property","value":2}})",
      "reserves");
  expect_rejected(R"({"id":"urn:x:1","type":"T","ngsi-ld:scope":{"type":"Property","value":2}})",
                  "reserves");
}

TEST(ExpandEntity, NamesMustBeValidUtf8) {
  json::Value v = j(R"({"id":"urn:x:1","type":"T"})");
  v.set("id", std::string("urn:x:\xff"));
  auto r = expand_entity(v, *jsonld::core_context(), Limits{});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().detail.find("id"), std::string::npos);
}

TEST(RenderNormalized, CompactsAndHidesSystemAttributesUnlessAsked) {
  auto r = expand(R"({"id":"urn:x:1","type":"T","temperature":{"type":"Property","value":21},
    "v":{"type":"VocabProperty","vocab":["Open","https://schema.org/Closed"]},
    "m":[{"type":"Property","value":1,"datasetId":"urn:ds:1"},{"type":"Property","value":2}]})");
  ASSERT_TRUE(r.ok());
  stamp_new_entity(r.value(), "2026-11-22T00:00:00.000Z");
  const auto ctx = jsonld::core_context();
  const json::Value plain = render_normalized(r.value(), *ctx, RenderOptions{});
  EXPECT_EQ(
      json::to_string(plain),
      R"({"id":"urn:x:1","type":"T","temperature":{"type":"Property","value":21},)"
      R"("v":{"type":"VocabProperty","vocab":["Open","https://schema.org/Closed"]},)"
      R"("m":[{"type":"Property","value":1,"datasetId":"urn:ds:1"},{"type":"Property","value":2}]})");
  const json::Value sys = render_normalized(r.value(), *ctx, RenderOptions{true});
  EXPECT_EQ(sys.find("createdAt")->as_string(), "2026-11-22T00:00:00.000Z");
  EXPECT_EQ(sys.find("temperature")->find("modifiedAt")->as_string(), "2026-11-22T00:00:00.000Z");
}

TEST(GeoJson, ValidatesEveryGeometryType) {
  for (
      const char* ok :
      {R"({"type":"Point","coordinates":[1,2,3]})",
       R"({"type":"MultiPoint","coordinates":[[1,2]]})",
       R"({"type":"LineString","coordinates":[[1,2],[3,4]]})",
       R"({"type":"MultiLineString","coordinates":[[[1,2],[3,4]]]})",
       R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]],[[0.1,0.1],[0.2,0.1],[0.2,0.2],[0.1,0.1]]]})",
       R"({"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]})"}) {
    EXPECT_FALSE(check_geometry(j(ok))) << ok;
  }
  for (const char* bad :
       {R"({"type":"Point"})", R"({"type":"Point","coordinates":[1]})",
        R"({"type":"Point","coordinates":[1,"2"]})", R"({"type":"Point","coordinates":[1,91]})",
        R"({"type":"LineString","coordinates":[[1,2]]})",
        R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]})",
        R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]})",
        R"({"type":"Circle","coordinates":[1,2]})",
        R"({"type":"GeometryCollection","geometries":[]})", R"([1,2])"}) {
    EXPECT_TRUE(check_geometry(j(bad))) << bad;
  }
}

}  // namespace
}  // namespace urbis::model
