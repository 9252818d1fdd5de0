// Time for urbis: timestamps are microseconds since the Unix epoch, UTC. NGSI-LD DateTime values
// (ISO 8601, e.g. "2026-11-22T03:04:05.678Z") are parsed to and formatted from this form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace urbis {

using TimestampUs = std::int64_t;

// The wall clock now, in microseconds since the epoch.
TimestampUs now_us();

// Parses an ISO 8601 date-time: YYYY-MM-DDThh:mm:ss[.fraction][Z|+hh:mm|-hh:mm]. A value with no
// zone designator is taken as UTC (as Orion-LD does). Returns nullopt when malformed or out of
// range (years 0001-9999). Fractions beyond microseconds are truncated.
std::optional<TimestampUs> parse_datetime(std::string_view text);

// Formats as "YYYY-MM-DDThh:mm:ss.mmmZ" (millisecond precision, the NGSI-LD convention).
std::string format_datetime_ms(TimestampUs t);

// Days since 1970-01-01 for a proleptic Gregorian date, and back.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);
void civil_from_days(std::int64_t days, std::int64_t& y, unsigned& m, unsigned& d);

}  // namespace urbis
