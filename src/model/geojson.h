// GeoJSON geometry validation (RFC 7946) for GeoProperty values.
#pragma once

#include <optional>
#include <string>

#include "json/value.h"

namespace urbis::model {

// Checks that `v` is a GeoJSON geometry of a type NGSI-LD supports (Point, MultiPoint, LineString,
// MultiLineString, Polygon, MultiPolygon): positions of 2 or 3 finite numbers with longitude in
// [-180, 180] and latitude in [-90, 90], line strings of 2+ positions, closed linear rings of 4+
// positions. Returns nullopt when valid, otherwise what is wrong and where ("coordinates[0][2]").
std::optional<std::string> check_geometry(const json::Value& v);

}  // namespace urbis::model
