// The HTTP layer in-process: router matching and the server with a real client on loopback.
#include <gtest/gtest.h>

#include <thread>

#include "api/media.h"
#include "api/problem.h"
#include "http/client.h"
#include "http/router.h"
#include "http/server.h"
#include "metrics/registry.h"

namespace urbis::http {
namespace {

Response problem(ErrorType t, std::string d) {
  return api::problem_response(t, std::move(d));
}

class ServerFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    router_ = std::make_unique<Router>(problem, &metrics_);
    router_->add(Method::kGet, "/items/{id}", [](Request& req, Responder res) {
      Response r;
      r.body = std::string(req.param("id"));
      res.send(std::move(r));
    });
    router_->add(Method::kPost, "/items", [](Request& req, Responder res) {
      Response r;
      r.status = 201;
      r.body = std::to_string(req.body.size());
      // Answer from another thread, as the store's writer does.
      std::thread([res = std::move(res), r = std::move(r)]() mutable {
        res.send(std::move(r));
      }).detach();
    });
    router_->add(Method::kGet, "/forgets", [](Request&, Responder) {});
    ServerOptions o;
    o.port = 0;
    o.threads = 2;
    o.max_body_bytes = 1000;
    server_ = std::make_unique<Server>(
        o, [this](Request&& r, Responder res) { router_->dispatch(std::move(r), std::move(res)); },
        problem, &metrics_);
    ASSERT_TRUE(server_->listen().ok());
    thread_ = std::thread([this] { server_->run(false); });
  }
  void TearDown() override {
    server_->stop();
    thread_.join();
  }
  metrics::Registry metrics_;
  std::unique_ptr<Router> router_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

TEST_F(ServerFixture, RoutesDecodeParametersOnceAndAcceptATrailingSlash) {
  Client c("127.0.0.1", server_->port());
  auto r = c.get("/items/urn%3Ax%252F1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "urn:x%2F1");
  EXPECT_EQ(c.get("/items/a/")->body, "a");
  EXPECT_EQ(c.get("/items/a%2Fb")->body, "a/b");
  EXPECT_EQ(c.get("/items/%zz")->status, 400);
}

TEST_F(ServerFixture, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  Client c("127.0.0.1", server_->port());
  auto r = c.get("/nothing");
  EXPECT_EQ(r->status, 404);
  EXPECT_NE(r->body.find("ResourceNotFound"), std::string::npos);
  r = c.request("PUT", "/items/1");
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->headers.get("Allow").value_or(""), "GET");
}

TEST_F(ServerFixture, KeepAliveAndAnswersFromOtherThreads) {
  Client c("127.0.0.1", server_->port());
  for (int i = 0; i < 50; ++i) {
    auto r = c.post_json("/items", std::string(static_cast<std::size_t>(i), 'x'));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 201);
    EXPECT_EQ(r->body, std::to_string(i));
  }
  EXPECT_EQ(metrics_.gauge("urbis_http_connections_open", "").value(), 1);
}

TEST_F(ServerFixture, ABodyOverTheLimitIs413) {
  Client c("127.0.0.1", server_->port());
  auto r = c.post_json("/items", std::string(1001, 'x'));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 413);
  EXPECT_NE(r->body.find("limits.max_body_bytes"), std::string::npos);
}

TEST_F(ServerFixture, AHandlerThatNeverAnswersStillProducesA500) {
  Client c("127.0.0.1", server_->port());
  auto r = c.get("/forgets");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 500);
}

TEST_F(ServerFixture, RequestsAreCountedByRouteAndStatus) {
  Client c("127.0.0.1", server_->port());
  (void)c.get("/items/1");
  (void)c.get("/items/2");
  (void)c.get("/zzz");
  const std::string text = metrics_.render();
  EXPECT_NE(
      text.find(R"(urbis_http_requests_total{route="/items/{id}",method="GET",status="200"} 2)"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find(R"(urbis_http_requests_total{route="unmatched",method="any",status="404"} 1)"),
      std::string::npos);
  EXPECT_NE(
      text.find(R"(urbis_http_request_duration_seconds_count{route="/items/{id}",method="GET"} 2)"),
      std::string::npos);
}

Request with_header(const std::string& name, const std::string& value) {
  Request r;
  r.headers.add(name, value);
  return r;
}

TEST(Media, NegotiatesWithQValuesAndWildcards) {
  using api::negotiate;
  EXPECT_EQ(negotiate(Request{}, {api::kJson, api::kJsonLd}).value(), "application/json");
  EXPECT_EQ(negotiate(with_header("Accept", "*/*"), {api::kJson, api::kJsonLd}).value(),
            "application/json");
  EXPECT_EQ(
      negotiate(with_header("Accept", "application/ld+json"), {api::kJson, api::kJsonLd}).value(),
      "application/ld+json");
  EXPECT_EQ(negotiate(with_header("Accept", "application/json;q=0.5, application/ld+json"),
                      {api::kJson, api::kJsonLd})
                .value(),
            "application/ld+json");
  EXPECT_EQ(negotiate(with_header("Accept", "*/*;q=0.1, application/ld+json;q=0.9"),
                      {api::kJson, api::kJsonLd})
                .value(),
            "application/ld+json");
  EXPECT_EQ(negotiate(with_header("Accept", "application/*"), {api::kJson, api::kJsonLd}).value(),
            "application/json");
  auto bad = negotiate(with_header("Accept", "text/html"), {api::kJson, api::kJsonLd});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().type, ErrorType::kNotAcceptable);
  EXPECT_FALSE(negotiate(with_header("Accept", "application/json;q=0"), {api::kJson}).ok());
}

TEST(Media, ContextLinkHeader) {
  auto r = with_header(
      "Link",
      R"(<https://example.org/c.jsonld>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json")");
  EXPECT_EQ(api::context_link(r).value().value(), "https://example.org/c.jsonld");
  auto other = with_header("Link", R"(<https://example.org/next>; rel="next")");
  EXPECT_FALSE(api::context_link(other).value());
  r.headers.add("Link",
                R"(<https://example.org/d.jsonld>; rel="http://www.w3.org/ns/json-ld#context")");
  EXPECT_FALSE(api::context_link(r).ok());
  EXPECT_FALSE(api::context_link(with_header("Link", "garbage")).ok());
}

TEST(Query, ParsesAndDecodes) {
  auto q = parse_query("options=sysAttrs&q=a%3D%3D1&flag&x=1+2");
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->size(), 4u);
  EXPECT_EQ((*q)[1].second, "a==1");
  EXPECT_EQ((*q)[2].first, "flag");
  EXPECT_EQ((*q)[3].second, "1+2");
  EXPECT_FALSE(parse_query("a=%G1").ok());
}

}  // namespace
}  // namespace urbis::http
