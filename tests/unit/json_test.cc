#include <gtest/gtest.h>

#include "json/parse.h"
#include "json/write.h"

namespace urbis::json {
namespace {

TEST(Json, RoundTripsEveryKind) {
  const std::string text =
      R"({"n":null,"t":true,"f":false,"i":-42,"d":1.5,"s":"a\"b\\c\n\u0001é","a":[1,[2,{}]],"o":{"x":[]}})";
  auto v = parse(text);
  ASSERT_TRUE(v.ok()) << v.error().detail;
  EXPECT_EQ(
      to_string(v.value()),
      R"({"n":null,"t":true,"f":false,"i":-42,"d":1.5,"s":"a\"b\\c\n\u0001é","a":[1,[2,{}]],"o":{"x":[]}})");
  auto again = parse(to_string(v.value()));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value(), v.value());
}

TEST(Json, KeepsMemberOrderAndIntegers) {
  auto v = parse(R"({"z":1,"a":2,"big":9007199254740993})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->as_object()[0].key, "z");
  EXPECT_EQ(v->find("big")->as_int(), 9007199254740993LL);
}

TEST(Json, InvalidJsonIsInvalidRequest) {
  for (const char* bad :
       {"", "{", "{\"a\":}", "[1,]", "{'a':1}", "nul", "{\"a\":1}}", "\xff\xfe"}) {
    auto v = parse(bad);
    ASSERT_FALSE(v.ok()) << bad;
    EXPECT_EQ(v.error().type, ErrorType::kInvalidRequest) << bad;
    EXPECT_NE(v.error().detail.find("JSON"), std::string::npos);
  }
}

TEST(Json, RejectsInvalidUtf8) {
  auto v = parse("{\"a\":\"\xc3\x28\"}");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().type, ErrorType::kInvalidRequest);
}

TEST(Json, DepthLimitNamesTheLimit) {
  ParseLimits limits;
  limits.max_depth = 4;
  EXPECT_TRUE(parse("[[[[1]]]]", limits).ok());
  auto v = parse("[[[[[1]]]]]", limits);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().type, ErrorType::kBadRequestData);
  EXPECT_NE(v.error().detail.find("limits.max_json_depth"), std::string::npos);
  // A hostile depth far beyond any limit costs nothing and does not recurse.
  std::string deep(100000, '[');
  EXPECT_FALSE(parse(deep, limits).ok());
}

TEST(Json, StringLimitNamesThePlace) {
  ParseLimits limits;
  limits.max_string_bytes = 8;
  auto v = parse(R"({"a":{"b/c":["123456789"]}})", limits);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.error().detail.find("limits.max_string_bytes"), std::string::npos);
  EXPECT_NE(v.error().detail.find("/a/b~1c/0"), std::string::npos) << v.error().detail;
}

TEST(Json, DuplicateKeysAreRejected) {
  auto v = parse(R"({"a":1,"b":2,"a":3})");
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.error().detail.find("\"a\""), std::string::npos);
  std::string big = "{";
  for (int i = 0; i < 40; ++i)
    big += "\"k" + std::to_string(i) + "\":1,";
  big += "\"k7\":2}";
  EXPECT_FALSE(parse(big).ok());
}

TEST(Json, WritingInvalidUtf8ReplacesItSoTheOutputStaysJson) {
  const std::string out =
      to_string(Value(std::string("a\xff"
                                  "b\xc3\xa9\xed\xa0\x80")));
  EXPECT_EQ(out,
            "\"a\xef\xbf\xbd"
            "b\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
  EXPECT_TRUE(parse(out).ok());
}

TEST(Json, ValueEditing) {
  Value o = Value::object();
  o.set("a", 1);
  o.set("b", "x");
  o.set("a", 2);
  EXPECT_EQ(o.as_object().size(), 2u);
  EXPECT_EQ(o.find("a")->as_int(), 2);
  EXPECT_TRUE(o.erase("a"));
  EXPECT_FALSE(o.erase("a"));
  EXPECT_EQ(Value(1), Value(1.0));
  EXPECT_EQ(to_string(Value(0.1)), "0.1");
  EXPECT_EQ(to_string(Value(1e300 * 1e300)), "null");
}

}  // namespace
}  // namespace urbis::json
