#include <gtest/gtest.h>

#include "core/limits.h"
#include "core/status.h"
#include "core/strings.h"
#include "core/time.h"
#include "core/uri.h"

namespace urbis {
namespace {

TEST(Time, ParsesNgsiLdDateTimes) {
  EXPECT_EQ(parse_datetime("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_datetime("1970-01-01T00:00:01.5Z"), 1500000);
  EXPECT_EQ(parse_datetime("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(parse_datetime("1970-01-01T00:00:00-0130"), 5400LL * 1000000);
  EXPECT_EQ(parse_datetime("1970-01-01T00:00:00"), 0);  // no zone: UTC
  EXPECT_EQ(parse_datetime("2024-02-29T12:00:00.123456789Z"),
            parse_datetime("2024-02-29T12:00:00.123456Z"));
}

TEST(Time, RejectsMalformedDateTimes) {
  for (const char* bad :
       {"", "2024", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2024-01-01 00:00:00Z",
        "2024-01-01T24:00:00Z", "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00Zjunk",
        "2024-01-01T00:00:00+25:00", "0000-01-01T00:00:00Z", "2024-01-01T00:60:00Z"}) {
    EXPECT_FALSE(parse_datetime(bad).has_value()) << bad;
  }
}

TEST(Time, FormatsMillisecondsAndRoundTrips) {
  EXPECT_EQ(format_datetime_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_datetime_ms(1500000), "1970-01-01T00:00:01.500Z");
  EXPECT_EQ(format_datetime_ms(-1000), "1969-12-31T23:59:59.999Z");
  for (TimestampUs t : {TimestampUs{951782400000000}, TimestampUs{253402300799000000},
                        TimestampUs{-62135596800000000}}) {
    EXPECT_EQ(parse_datetime(format_datetime_ms(t)), t);
  }
}

TEST(Time, CivilCalendarIsExactOverCenturies) {
  for (std::int64_t days = -800000; days < 800000; days += 997) {
    std::int64_t y = 0;
    unsigned m = 0, d = 0;
    civil_from_days(days, y, m, d);
    EXPECT_EQ(days_from_civil(y, m, d), days);
  }
}

TEST(Uri, AcceptsAbsoluteUris) {
  for (const char* ok :
       {"urn:ngsi-ld:Building:1", "https://example.org/a?b=c#d", "urn:x:ñ", "a+b.c-d:x"}) {
    EXPECT_TRUE(is_absolute_uri(ok)) << ok;
  }
  for (const char* bad : {"", "Building1", ":x", "1abc:x", "urn:", "urn:a b", "urn:a<b", "urn:\x01",
                          "urn:a\"b", "urn:{x}"}) {
    EXPECT_FALSE(is_absolute_uri(bad)) << bad;
  }
}

TEST(Uri, NamesRejectReservedCharacters) {
  EXPECT_TRUE(is_valid_name("temperature"));
  EXPECT_TRUE(is_valid_name("https://schema.org/name"));
  for (const char* bad : {"", "a b", "a=b", "a;b", "a(b", "a'b", "a\"b", "a<b", "a\\b", "a\tb"}) {
    EXPECT_FALSE(is_valid_name(bad)) << bad;
  }
}

TEST(Strings, PercentDecodeOnceAndRejectMalformed) {
  EXPECT_EQ(percent_decode("urn%3Angsi-ld%3AX%253A1"), "urn:ngsi-ld:X%3A1");
  EXPECT_EQ(percent_decode("a+b"), "a+b");
  EXPECT_FALSE(percent_decode("%"));
  EXPECT_FALSE(percent_decode("%4"));
  EXPECT_FALSE(percent_decode("%zz"));
  EXPECT_FALSE(percent_decode("%00"));
}

TEST(Strings, PercentEncodePathSegmentRoundTrips) {
  const std::string id = "urn:ngsi-ld:Thing:a/b c%d?e#f";
  const std::string enc = percent_encode_path_segment(id);
  EXPECT_EQ(enc.find('/'), std::string::npos);
  EXPECT_EQ(enc.find('?'), std::string::npos);
  EXPECT_EQ(percent_decode(enc), id);
}

TEST(Strings, SplitTrimLower) {
  EXPECT_EQ(split("a,,b", ',').size(), 3u);
  EXPECT_EQ(trim("  x \t"), "x");
  EXPECT_TRUE(iequals("Content-Type", "content-type"));
  EXPECT_EQ(parse_u64("18446744073709551615"), 18446744073709551615ULL);
  EXPECT_FALSE(parse_u64("18446744073709551616"));
  EXPECT_FALSE(parse_u64("-1"));
  EXPECT_FALSE(parse_u64("1x"));
}

TEST(Status, CarriesTypeAndDetail) {
  Status ok;
  EXPECT_TRUE(ok.ok());
  Status bad = bad_request_data("id: missing");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.type(), ErrorType::kBadRequestData);
  EXPECT_EQ(http_status(bad.type()), 400);
  EXPECT_EQ(problem_type_uri(bad.type()), "https://uri.etsi.org/ngsi-ld/errors/BadRequestData");
  Status copy = bad;
  EXPECT_EQ(copy.detail(), "id: missing");
  Result<int> r = 5;
  EXPECT_TRUE(r.ok());
  Result<int> e = Error{ErrorType::kAlreadyExists, "x"};
  EXPECT_EQ(http_status(e.error().type), 409);
}

TEST(Status, EveryErrorTypeHasAStatusAndAName) {
  for (int t = 0; t <= static_cast<int>(ErrorType::kServiceUnavailable); ++t) {
    const auto type = static_cast<ErrorType>(t);
    EXPECT_GE(http_status(type), 400);
    EXPECT_FALSE(error_name(type).empty());
    EXPECT_FALSE(problem_type_uri(type).empty());
  }
  EXPECT_EQ(problem_type_uri(ErrorType::kPayloadTooLarge), "about:blank");
}

TEST(Limits, TableCoversEveryLimitWithAReason) {
  Limits l;
  for (const auto& info : limit_table()) {
    EXPECT_GT(l.*(info.field), 0u) << info.name;
    EXPECT_GT(std::string(info.why).size(), 10u) << info.name;
  }
  EXPECT_EQ(limit_table().size(), sizeof(Limits) / sizeof(std::size_t));
}

}  // namespace
}  // namespace urbis
