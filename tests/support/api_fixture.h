// Base fixture of the API tests: a real `urbis serve` on its own port and data directory, a
// client, and assertions for NGSI-LD ProblemDetails.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "http/client.h"
#include "json/parse.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace urbis::testing {

class ApiTest : public ::testing::Test {
 protected:
  // Extra command-line arguments for the server (override in a subclass constructor).
  std::vector<std::string> server_args;

  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_.sub("data"), server_args);
    client_ = server_->client();
  }

  http::Response get(const std::string& target, http::Headers h = {}) {
    auto r = client_->get(target, h);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().detail);
    return r.ok() ? r.value() : http::Response{0, {}, {}, true};
  }
  http::Response post(const std::string& target, const std::string& body,
                      const std::string& content_type = "application/json", http::Headers h = {}) {
    h.set("Content-Type", content_type);
    auto r = client_->request("POST", target, h, body);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().detail);
    return r.ok() ? r.value() : http::Response{0, {}, {}, true};
  }
  http::Response del(const std::string& target, http::Headers h = {}) {
    auto r = client_->request("DELETE", target, h);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().detail);
    return r.ok() ? r.value() : http::Response{0, {}, {}, true};
  }
  static json::Value body_of(const http::Response& r) {
    auto v = json::parse(r.body);
    EXPECT_TRUE(v.ok()) << r.body;
    return v.ok() ? v.value() : json::Value();
  }
  // Asserts an RFC 7807 / NGSI-LD ProblemDetails answer whose detail names `needle`.
  static void expect_problem(const http::Response& r, int status, const std::string& type,
                             const std::string& needle) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.headers.get("Content-Type").value_or(""), "application/json");
    auto v = json::parse(r.body);
    ASSERT_TRUE(v.ok()) << r.body;
    ASSERT_TRUE(v->find("type") && v->find("title") && v->find("detail")) << r.body;
    EXPECT_NE(v->find("type")->as_string().find(type), std::string::npos) << r.body;
    EXPECT_EQ(v->find("status")->as_int(), status);
    EXPECT_NE(v->find("detail")->as_string().find(needle), std::string::npos) << r.body;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<http::Client> client_;
};

}  // namespace urbis::testing
