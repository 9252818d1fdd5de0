#include "model/geojson.h"

#include <cmath>

namespace urbis::model {
namespace {

using json::Value;

std::optional<std::string> check_position(const Value& p, const std::string& where) {
  if (!p.is_array()) return where + ": a position must be an array of numbers";
  const auto& a = p.as_array();
  if (a.size() < 2 || a.size() > 3) {
    return where + ": a position has 2 or 3 numbers (longitude, latitude[, altitude])";
  }
  for (const auto& n : a) {
    if (!n.is_number() || !std::isfinite(n.as_double())) {
      return where + ": position members must be finite numbers";
    }
  }
  const double lon = a[0].as_double();
  const double lat = a[1].as_double();
  if (lon < -180 || lon > 180) return where + ": longitude out of range [-180, 180]";
  if (lat < -90 || lat > 90) return where + ": latitude out of range [-90, 90]";
  return std::nullopt;
}

std::optional<std::string> check_positions(const Value& v, const std::string& where,
                                           std::size_t min_count) {
  if (!v.is_array()) return where + ": expected an array of positions";
  const auto& a = v.as_array();
  if (a.size() < min_count) {
    return where + ": needs at least " + std::to_string(min_count) + " positions";
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (auto e = check_position(a[i], where + "[" + std::to_string(i) + "]")) return e;
  }
  return std::nullopt;
}

std::optional<std::string> check_polygon(const Value& v, const std::string& where) {
  if (!v.is_array() || v.as_array().empty()) {
    return where + ": a polygon is a non-empty array of linear rings";
  }
  const auto& rings = v.as_array();
  for (std::size_t i = 0; i < rings.size(); ++i) {
    const std::string ring_where = where + "[" + std::to_string(i) + "]";
    if (auto e = check_positions(rings[i], ring_where, 4)) return e;
    const auto& ring = rings[i].as_array();
    if (!(ring.front() == ring.back())) {
      return ring_where + ": a linear ring must be closed (first and last positions equal)";
    }
  }
  return std::nullopt;
}

template <typename Check>
std::optional<std::string> check_each(const Value& v, const std::string& where, Check check) {
  if (!v.is_array() || v.as_array().empty()) return where + ": expected a non-empty array";
  const auto& a = v.as_array();
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (auto e = check(a[i], where + "[" + std::to_string(i) + "]")) return e;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_geometry(const Value& v) {
  if (!v.is_object()) return std::string("a GeoJSON geometry must be an object");
  const Value* type = v.find("type");
  if (!type || !type->is_string()) return std::string("a GeoJSON geometry needs a string \"type\"");
  const Value* coords = v.find("coordinates");
  const std::string& t = type->as_string();
  if (!coords) return "a GeoJSON " + t + " needs \"coordinates\"";
  const std::string where = "coordinates";
  if (t == "Point") return check_position(*coords, where);
  if (t == "MultiPoint") return check_positions(*coords, where, 1);
  if (t == "LineString") return check_positions(*coords, where, 2);
  if (t == "MultiLineString") {
    return check_each(*coords, where, [](const Value& x, const std::string& w) {
      return check_positions(x, w, 2);
    });
  }
  if (t == "Polygon") return check_polygon(*coords, where);
  if (t == "MultiPolygon") return check_each(*coords, where, check_polygon);
  return "unsupported GeoJSON geometry type \"" + t +
         "\" (Point, MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon)";
}

}  // namespace urbis::model
