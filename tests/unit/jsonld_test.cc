#include <gtest/gtest.h>

#include "json/parse.h"
#include "jsonld/core_context.h"
#include "jsonld/resolve.h"

namespace urbis::jsonld {
namespace {

TEST(CoreContext, ExpandsAndCompactsCoreTerms) {
  auto ctx = core_context();
  EXPECT_EQ(ctx->expand("location"), "https://uri.etsi.org/ngsi-ld/location");
  EXPECT_EQ(ctx->expand("temperature"), "https://uri.etsi.org/ngsi-ld/default-context/temperature");
  EXPECT_EQ(ctx->expand("https://schema.org/name"), "https://schema.org/name");
  EXPECT_EQ(ctx->expand("ngsi-ld:Property"), "https://uri.etsi.org/ngsi-ld/Property");
  EXPECT_EQ(ctx->compact("https://uri.etsi.org/ngsi-ld/location"), "location");
  EXPECT_EQ(ctx->compact("https://uri.etsi.org/ngsi-ld/default-context/temperature"),
            "temperature");
  EXPECT_EQ(ctx->compact("https://schema.org/name"), "https://schema.org/name");
  EXPECT_EQ(ctx->compact("https://uri.etsi.org/ngsi-ld/somethingElse"), "ngsi-ld:somethingElse");
  EXPECT_EQ(ctx->find("observedAt")->type, "https://uri.etsi.org/ngsi-ld/DateTime");
  EXPECT_EQ(ctx->find("coordinates")->container, "@list");
}

TEST(CoreContext, KnowsTheUrlsClientsSend) {
  for (const char* url : {"https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld",
                          "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld",
                          "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.6.jsonld",
                          "http://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"}) {
    EXPECT_TRUE(is_core_context_url(url)) << url;
  }
  for (const char* url : {"https://example.org/ctx.jsonld",
                          "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.jsonld",
                          "https://uri.etsi.org/ngsi-ld/v1/other.jsonld"}) {
    EXPECT_FALSE(is_core_context_url(url)) << url;
  }
  EXPECT_NE(core_context_document().find("\"@vocab\""), std::string_view::npos);
}

TEST(Resolve, InlineTermsLayerOnTheCore) {
  auto local = json::parse(
      R"([{"schema":"https://schema.org/","name":"schema:name","T":"https://example.org/T"},
                               "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"])");
  ASSERT_TRUE(local.ok());
  auto ctx = resolve_local_context(local.value());
  ASSERT_TRUE(ctx.ok()) << ctx.error().detail;
  EXPECT_EQ(ctx.value()->expand("name"), "https://schema.org/name");
  EXPECT_EQ(ctx.value()->expand("T"), "https://example.org/T");
  EXPECT_EQ(ctx.value()->compact("https://schema.org/name"), "name");
  EXPECT_EQ(ctx.value()->compact("https://schema.org/other"), "schema:other");
  EXPECT_EQ(ctx.value()->expand("location"), "https://uri.etsi.org/ngsi-ld/location");
}

TEST(Resolve, ProtectedCoreTermsCannotBeRedefined) {
  auto local = json::parse(R"({"location":"https://example.org/myLocation"})");
  auto ctx = resolve_local_context(local.value());
  ASSERT_FALSE(ctx.ok());
  EXPECT_EQ(ctx.error().type, ErrorType::kBadRequestData);
  EXPECT_NE(ctx.error().detail.find("location"), std::string::npos);
  // Repeating the identical definition is allowed (JSON-LD 1.1 protected terms).
  auto same = json::parse(R"({"location":"ngsi-ld:location"})");
  EXPECT_TRUE(resolve_local_context(same.value()).ok());
}

TEST(Resolve, CyclicTermDefinitionsAreRejected) {
  auto local = json::parse(R"({"a":"b","b":"a"})");
  auto ctx = resolve_local_context(local.value());
  ASSERT_FALSE(ctx.ok());
  EXPECT_EQ(ctx.error().type, ErrorType::kBadRequestData);
  EXPECT_NE(ctx.error().detail.find("cyclic"), std::string::npos);
}

TEST(Resolve, RemoteContextsAreNotFetched) {
  auto ctx = resolve_local_context(json::Value("https://example.org/context.jsonld"));
  ASSERT_FALSE(ctx.ok());
  EXPECT_EQ(ctx.error().type, ErrorType::kLdContextNotAvailable);
  EXPECT_FALSE(resolve_local_context(json::Value(42)).ok());
}

}  // namespace
}  // namespace urbis::jsonld
