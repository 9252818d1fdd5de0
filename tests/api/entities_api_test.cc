// NGSI-LD entity API slice through the real binary. Test suites are named after the
// ETSI GS CIM 009 (v1.8) clause they check.
#include <gtest/gtest.h>

#include "core/time.h"
#include "json/write.h"
#include "support/api_fixture.h"

namespace urbis::testing {
namespace {

constexpr const char* kEntities = "/ngsi-ld/v1/entities";
constexpr const char* kCoreLink =
    R"(<https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json")";

const std::string kStreetlight = R"({
  "id": "urn:ngsi-ld:Streetlight:1", "type": "Streetlight",
  "powerState": {"type": "Property", "value": "on", "observedAt": "2026-11-22T10:00:00Z"},
  "illuminanceLevel": {"type": "Property", "value": 0.8, "unitCode": "C62"},
  "refStreetlightGroup": {"type": "Relationship", "object": "urn:ngsi-ld:StreetlightGroup:7"},
  "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [-3.7, 40.4]}}
})";

using Clause5_6_1_CreateEntity = ApiTest;
using Clause5_7_1_RetrieveEntity = ApiTest;
using Clause5_6_6_DeleteEntity = ApiTest;
using Clause6_3_ContentNegotiation = ApiTest;
using Clause5_5_2_ProblemDetails = ApiTest;
using Clause4_9_Tenants = ApiTest;

TEST_F(Clause5_6_1_CreateEntity, Returns201WithLocationAndTheEntityReadsBack) {
  auto r = post(kEntities, kStreetlight);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.headers.get("Location").value_or(""),
            "/ngsi-ld/v1/entities/urn:ngsi-ld:Streetlight:1");
  EXPECT_TRUE(r.body.empty());
  auto g = get(std::string(kEntities) + "/urn:ngsi-ld:Streetlight:1");
  ASSERT_EQ(g.status, 200);
  auto sent = json::parse(kStreetlight).value();
  EXPECT_EQ(body_of(g), sent) << g.body;
}

TEST_F(Clause5_6_1_CreateEntity, DuplicateIdIs409AlreadyExistsAndChangesNothing) {
  ASSERT_EQ(post(kEntities, kStreetlight).status, 201);
  auto r = post(kEntities, R"({"id":"urn:ngsi-ld:Streetlight:1","type":"Other"})");
  expect_problem(r, 409, "AlreadyExists", "urn:ngsi-ld:Streetlight:1");
  EXPECT_EQ(
      body_of(get(std::string(kEntities) + "/urn:ngsi-ld:Streetlight:1")).find("type")->as_string(),
      "Streetlight");
}

TEST_F(Clause5_6_1_CreateEntity, InvalidEntitiesAre400NamingTheFieldAndStoreNothing) {
  struct Case {
    const char* body;
    const char* type;
    const char* needle;
  };
  const Case cases[] = {
      {R"({"type":"T"})", "BadRequestData", "id"},
      {R"({"id":"not-a-uri","type":"T"})", "BadRequestData", "id"},
      {R"({"id":"urn:x:1"})", "BadRequestData", "type"},
      {R"({"id":"urn:x:1","type":"T","speed":{"type":"Property"}})", "BadRequestData", "speed"},
      {R"({"id":"urn:x:1","type":"T","owner":{"type":"Relationship","object":"bob"}})",
       "BadRequestData", "owner"},
      {R"({"id":"urn:x:1","type":"T","location":{"type":"GeoProperty","value":{"type":"Point","coordinates":[1]}}})",
       "BadRequestData", "location"},
      {R"({"id":"urn:x:1","type":"T","t":{"type":"Property","value":1,"observedAt":"noon"}})",
       "BadRequestData", "observedAt"},
      {R"({"id":"urn:x:1","type":"T","t":{"type":"Property","value":1},)", "InvalidRequest",
       "JSON"},
      {R"({"id":"urn:x:1","type":"T","id":"urn:x:2"})", "InvalidRequest", "duplicate key"},
      {R"([{"id":"urn:x:1","type":"T"}])", "BadRequestData", "JSON object"},
      {R"({"id":"urn:x:1","type":"T","@context":"https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"})",
       "BadRequestData", "@context"},
  };
  for (const auto& c : cases) {
    expect_problem(post(kEntities, c.body), 400, c.type, c.needle);
  }
  expect_problem(get(std::string(kEntities) + "/urn:x:1"), 404, "ResourceNotFound", "urn:x:1");
}

TEST_F(Clause5_6_1_CreateEntity, JsonLdBodiesCarryTheirContext) {
  auto r = post(
      kEntities,
      R"({"id":"urn:x:1","type":"T","@context":["https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"]})",
      "application/ld+json");
  EXPECT_EQ(r.status, 201) << r.body;
  expect_problem(post(kEntities, R"({"id":"urn:x:2","type":"T"})", "application/ld+json"), 400,
                 "BadRequestData", "@context");
  http::Headers link;
  link.add("Link", kCoreLink);
  expect_problem(
      post(kEntities, R"({"id":"urn:x:3","type":"T","@context":{}})", "application/ld+json", link),
      400, "BadRequestData", "Link");
  // Inline term definitions expand names; the core context renders them back in full.
  r = post(kEntities, R"({"id":"urn:x:4","type":"Store","name":{"type":"Property","value":"Shop"},
                          "@context":{"name":"https://schema.org/name","Store":"https://schema.org/Store"}})",
           "application/ld+json");
  ASSERT_EQ(r.status, 201) << r.body;
  auto g = body_of(get(std::string(kEntities) + "/urn:x:4"));
  EXPECT_EQ(g.find("type")->as_string(), "https://schema.org/Store");
  EXPECT_TRUE(g.find("https://schema.org/name"));
}

TEST_F(Clause5_6_1_CreateEntity, UnfetchableContextIs503AndUnsupportedMediaIs415) {
  http::Headers link;
  link.add("Link",
           R"(<https://example.org/ctx.jsonld>; rel="http://www.w3.org/ns/json-ld#context")");
  expect_problem(post(kEntities, R"({"id":"urn:x:1","type":"T"})", "application/json", link), 503,
                 "LdContextNotAvailable", "https://example.org/ctx.jsonld");
  expect_problem(post(kEntities, R"({"id":"urn:x:1","type":"T"})", "text/plain"), 415,
                 "about:blank", "Content-Type");
  expect_problem(post(kEntities, R"(<xml/>)", "application/xml"), 415, "about:blank",
                 "application/xml");
}

TEST_F(Clause5_6_1_CreateEntity, MultiAttributesAndSubAttributesRoundTrip) {
  const std::string e = R"({"id":"urn:x:m","type":"T",
    "temperature":[{"type":"Property","value":20,"datasetId":"urn:ds:a","accuracy":{"type":"Property","value":0.5}},
                   {"type":"Property","value":21}],
    "name":{"type":"LanguageProperty","languageMap":{"en":"Main street","fr":"Rue principale"}},
    "category":{"type":"VocabProperty","vocab":"streetlight"},
    "config":{"type":"JsonProperty","json":{"a":[1,2]}},
    "readings":{"type":"ListProperty","valueList":[1,2,3]},
    "neighbours":{"type":"ListRelationship","objectList":[{"object":"urn:x:n1"}]}})";
  ASSERT_EQ(post(kEntities, e).status, 201);
  EXPECT_EQ(body_of(get(std::string(kEntities) + "/urn:x:m")), json::parse(e).value());
}

TEST_F(Clause5_7_1_RetrieveEntity, LinkHeaderForJsonAndInlineContextForJsonLd) {
  ASSERT_EQ(post(kEntities, kStreetlight).status, 201);
  auto r = get(std::string(kEntities) + "/urn:ngsi-ld:Streetlight:1");
  EXPECT_EQ(r.headers.get("Content-Type").value_or(""), "application/json");
  EXPECT_EQ(r.headers.get("Link").value_or(""), kCoreLink);
  http::Headers accept;
  accept.add("Accept", "application/ld+json");
  r = get(std::string(kEntities) + "/urn:ngsi-ld:Streetlight:1", accept);
  EXPECT_EQ(r.headers.get("Content-Type").value_or(""), "application/ld+json");
  EXPECT_FALSE(r.headers.get("Link"));
  auto v = body_of(r);
  EXPECT_EQ(v.as_object()[0].key, "@context");
  EXPECT_EQ(v.find("@context")->as_string(),
            "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld");
}

TEST_F(Clause5_7_1_RetrieveEntity, SysAttrsAddsTimestamps) {
  ASSERT_EQ(post(kEntities, kStreetlight).status, 201);
  auto plain = body_of(get(std::string(kEntities) + "/urn:ngsi-ld:Streetlight:1"));
  EXPECT_FALSE(plain.find("createdAt"));
  auto sys = body_of(get(std::string(kEntities) + "/urn:ngsi-ld:Streetlight:1?options=sysAttrs"));
  ASSERT_TRUE(sys.find("createdAt"));
  EXPECT_TRUE(parse_datetime(sys.find("modifiedAt")->as_string()));
  EXPECT_TRUE(sys.find("powerState")->find("createdAt"));
}

TEST_F(Clause5_7_1_RetrieveEntity, ErrorsAreTyped) {
  expect_problem(get(std::string(kEntities) + "/not-a-uri"), 400, "BadRequestData", "entityId");
  expect_problem(get(std::string(kEntities) + "/urn:x:missing"), 404, "ResourceNotFound",
                 "urn:x:missing");
  expect_problem(get(std::string(kEntities) + "/urn:x:1?options=bogus"), 400, "BadRequestData",
                 "bogus");
  expect_problem(get(std::string(kEntities) + "/urn:x:1?colour=red"), 400, "BadRequestData",
                 "colour");
  expect_problem(get(std::string(kEntities) + "/urn:x:1?format=keyValues"), 501, "about:blank",
                 "keyValues");
}

TEST_F(Clause5_7_1_RetrieveEntity, PercentEncodedIdsAreDecodedOnce) {
  ASSERT_EQ(post(kEntities, R"({"id":"urn:x:a%2Fb","type":"T"})").status, 201);
  auto r = get(std::string(kEntities) + "/urn%3Ax%3Aa%252Fb");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body_of(r).find("id")->as_string(), "urn:x:a%2Fb");
  EXPECT_EQ(get(std::string(kEntities) + "/urn:x:a%252Fb/").status, 200);  // trailing slash
}

TEST_F(Clause6_3_ContentNegotiation, UnacceptableAcceptIs406) {
  ASSERT_EQ(post(kEntities, kStreetlight).status, 201);
  http::Headers accept;
  accept.add("Accept", "text/html");
  expect_problem(get(std::string(kEntities) + "/urn:ngsi-ld:Streetlight:1", accept), 406,
                 "about:blank", "text/html");
  accept.set("Accept", "application/json;q=0.2, application/ld+json;q=0.8");
  EXPECT_EQ(get(std::string(kEntities) + "/urn:ngsi-ld:Streetlight:1", accept)
                .headers.get("Content-Type")
                .value_or(""),
            "application/ld+json");
}

TEST_F(Clause5_6_6_DeleteEntity, Returns204ThenTheEntityIsGone) {
  ASSERT_EQ(post(kEntities, kStreetlight).status, 201);
  auto r = del(std::string(kEntities) + "/urn:ngsi-ld:Streetlight:1");
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.body.empty());
  EXPECT_FALSE(r.headers.get("Content-Length"));
  expect_problem(get(std::string(kEntities) + "/urn:ngsi-ld:Streetlight:1"), 404,
                 "ResourceNotFound", "Streetlight");
  expect_problem(del(std::string(kEntities) + "/urn:ngsi-ld:Streetlight:1"), 404,
                 "ResourceNotFound", "Streetlight");
  expect_problem(del(std::string(kEntities) + "/bad%20id"), 400, "BadRequestData", "entityId");
  // The id can be used again.
  EXPECT_EQ(post(kEntities, kStreetlight).status, 201);
}

TEST_F(Clause5_5_2_ProblemDetails, MethodsAndPathsOutsideTheApi) {
  auto r = client_->request("PUT", kEntities);
  ASSERT_TRUE(r.ok());
  expect_problem(r.value(), 405, "about:blank", "PUT");
  EXPECT_EQ(r->headers.get("Allow").value_or(""), "POST");
  expect_problem(get("/ngsi-ld/v1/nothing"), 404, "ResourceNotFound", "/ngsi-ld/v1/nothing");
}

TEST_F(Clause4_9_Tenants, TenantsAreIsolatedAndUnknownOnesAre404) {
  http::Headers t1, t2;
  t1.add("NGSILD-Tenant", "city1");
  t2.add("NGSILD-Tenant", "city2");
  ASSERT_EQ(post(kEntities, kStreetlight, "application/json", t1).status, 201);
  expect_problem(get(std::string(kEntities) + "/urn:ngsi-ld:Streetlight:1", t2), 404,
                 "NonexistentTenant", "city2");
  expect_problem(get(std::string(kEntities) + "/urn:ngsi-ld:Streetlight:1"), 404,
                 "ResourceNotFound", "Streetlight");
  EXPECT_EQ(get(std::string(kEntities) + "/urn:ngsi-ld:Streetlight:1", t1).status, 200);
  ASSERT_EQ(
      post(kEntities, R"({"id":"urn:ngsi-ld:Streetlight:1","type":"Lamp"})", "application/json", t2)
          .status,
      201);
  EXPECT_EQ(body_of(get(std::string(kEntities) + "/urn:ngsi-ld:Streetlight:1", t1))
                .find("type")
                ->as_string(),
            "Streetlight");
  expect_problem(del(std::string(kEntities) + "/urn:ngsi-ld:Streetlight:1",
                     [] {
                       http::Headers h;
                       h.add("NGSILD-Tenant", "city3");
                       return h;
                     }()),
                 404, "NonexistentTenant", "city3");
  http::Headers bad;
  bad.add("NGSILD-Tenant", "a b");
  expect_problem(get(std::string(kEntities) + "/urn:x:1", bad), 400, "BadRequestData",
                 "NGSILD-Tenant");
}

}  // namespace
}  // namespace urbis::testing
