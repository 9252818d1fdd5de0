// JSON parser: any bytes -> a Value or an error; a Value written and parsed again is the same.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "json/parse.h"
#include "json/write.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  urbis::json::ParseLimits limits;
  limits.max_depth = 16;
  limits.max_string_bytes = 4096;
  auto v = urbis::json::parse(text, limits);
  if (!v.ok()) return 0;
  const std::string out = urbis::json::to_string(v.value());
  auto again = urbis::json::parse(out, limits);
  if (!again.ok() || !(again.value() == v.value())) std::abort();
  return 0;
}
