#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "app/config.h"
#include "support/temp_dir.h"

namespace urbis::app {
namespace {

using urbis::testing::TempDir;

class ConfigTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const auto& s : settings())
      unsetenv(env_name(s.key).c_str());
    unsetenv("URBIS_SERVER_LISTN");
  }
  std::string file(const std::string& text) {
    const std::string path = dir_.sub("urbis.toml");
    std::ofstream(path) << text;
    return path;
  }
  TempDir dir_;
};

TEST_F(ConfigTest, DefaultsAreSafe) {
  auto c = load_config("", {});
  ASSERT_TRUE(c.ok()) << c.error().detail;
  EXPECT_EQ(c->listen, "127.0.0.1:1026");  // loopback unless told otherwise
  EXPECT_EQ(c->data, "./data");
  EXPECT_EQ(c->limits.max_body_bytes, 1024u * 1024u);
}

TEST_F(ConfigTest, PrecedenceIsDefaultFileEnvironmentFlag) {
  const std::string path =
      file("[server]\nlisten = \"0.0.0.0:9000\"\nthreads = 3\n[limits]\nmax_body_bytes = 5000\n");
  auto c = load_config(path, {});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->listen, "0.0.0.0:9000");
  EXPECT_EQ(c->threads, 3u);
  EXPECT_EQ(c->limits.max_body_bytes, 5000u);
  setenv("URBIS_SERVER_LISTEN", "127.0.0.1:9001", 1);
  setenv("URBIS_LIMITS_MAX_BODY_BYTES", "6000", 1);
  c = load_config(path, {});
  EXPECT_EQ(c->listen, "127.0.0.1:9001");
  EXPECT_EQ(c->limits.max_body_bytes, 6000u);
  EXPECT_EQ(c->threads, 3u);
  c = load_config(path, {"server.listen=127.0.0.1:9002", "limits.max_body_bytes=7000"});
  EXPECT_EQ(c->listen, "127.0.0.1:9002");
  EXPECT_EQ(c->limits.max_body_bytes, 7000u);
}

TEST_F(ConfigTest, TyposAndBadValuesAreErrorsNamingTheKey) {
  auto c = load_config(file("[server]\nlistn = \"x\"\n"), {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().detail.find("server.listn"), std::string::npos);
  c = load_config(file("[limits]\nmax_body_bytes = \"big\"\n"), {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().detail.find("limits.max_body_bytes"), std::string::npos);
  c = load_config(file("[limits]\nmax_body_bytes = -1\n"), {});
  EXPECT_FALSE(c.ok());
  c = load_config(file("[server\n"), {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().detail.find(":1:"), std::string::npos) << c.error().detail;
  EXPECT_FALSE(load_config("", {"limits.max_connections=0"}).ok());
  EXPECT_FALSE(load_config("", {"log.level=loud"}).ok());
  EXPECT_FALSE(load_config("", {"server.listen=nohost"}).ok());
  EXPECT_FALSE(load_config("", {"nokey"}).ok());
  // Values that would overflow a later unit conversion are refused, naming the bound.
  auto big = load_config("", {"store.changelog_retention_s=18446744073709551615"});
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().detail.find("largest accepted value"), std::string::npos);
  EXPECT_FALSE(load_config("", {"limits.max_header_bytes=4294967296"}).ok());
  EXPECT_FALSE(load_config("", {"server.idle_timeout_ms=99999999999"}).ok());
  setenv("URBIS_SERVER_LISTN", "x", 1);
  c = load_config("", {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().detail.find("URBIS_SERVER_LISTN"), std::string::npos);
}

TEST_F(ConfigTest, ListenForms) {
  EXPECT_EQ(parse_listen("127.0.0.1:1026")->second, 1026);
  EXPECT_EQ(parse_listen("[::1]:80")->first, "::1");
  EXPECT_FALSE(parse_listen("1.2.3.4:70000").ok());
  EXPECT_FALSE(parse_listen(":80").ok());
}

TEST_F(ConfigTest, TomlOutputReadsBackAndDocumentsEverySetting) {
  Config c;
  c.data = "/var/lib/urbis \"x\"";
  const std::string text = to_toml(c);
  for (const auto& s : settings()) {
    EXPECT_NE(text.find(env_name(s.key)), std::string::npos) << s.key;
  }
  auto back = load_config(file(text), {});
  ASSERT_TRUE(back.ok()) << back.error().detail;
  EXPECT_EQ(back->data, c.data);
}

}  // namespace
}  // namespace urbis::app
