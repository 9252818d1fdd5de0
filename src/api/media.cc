#include "api/media.h"

#include <vector>

#include "core/strings.h"

namespace urbis::api {

std::string media_type(std::string_view content_type) {
  const auto semi = content_type.find(';');
  return ascii_lower(trim(content_type.substr(0, semi)));
}

Result<std::string> require_json_content_type(const http::Request& request) {
  const auto ct = request.headers.get("Content-Type");
  if (!ct) {
    return Error{ErrorType::kUnsupportedMediaType,
                 "Content-Type: missing; send application/json or application/ld+json"};
  }
  std::string type = media_type(*ct);
  if (type != kJson && type != kJsonLd) {
    return Error{ErrorType::kUnsupportedMediaType,
                 "Content-Type: \"" + std::string(*ct) +
                     "\" is not supported; send application/json or application/ld+json"};
  }
  return type;
}

namespace {

struct MediaRange {
  std::string type;  // e.g. "application/json", "application/*", "*/*"
  double q = 1.0;
};

std::vector<MediaRange> parse_accept(std::string_view accept) {
  std::vector<MediaRange> out;
  for (std::string_view item : split(accept, ',')) {
    item = trim(item);
    if (item.empty()) continue;
    auto parts = split(item, ';');
    MediaRange range;
    range.type = ascii_lower(trim(parts[0]));
    for (std::size_t i = 1; i < parts.size(); ++i) {
      const std::string_view p = trim(parts[i]);
      if (p.size() > 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
        try {
          range.q = std::stod(std::string(p.substr(2)));
        } catch (...) {
          range.q = 0;  // a malformed weight makes the range unusable rather than preferred
        }
      }
    }
    out.push_back(std::move(range));
  }
  return out;
}

bool covers(const std::string& range, std::string_view type) {
  if (range == "*/*") return true;
  if (range.size() > 2 && range.compare(range.size() - 2, 2, "/*") == 0) {
    return type.substr(0, range.size() - 1) == std::string_view(range).substr(0, range.size() - 1);
  }
  return range == type;
}

}  // namespace

Result<std::string> negotiate(const http::Request& request,
                              std::initializer_list<std::string_view> offered) {
  const auto accept = request.headers.get("Accept");
  if (!accept || trim(*accept).empty()) return std::string(*offered.begin());
  const auto ranges = parse_accept(*accept);
  std::string best;
  double best_q = 0;
  int best_specificity = -1;
  for (std::string_view type : offered) {
    // The most specific matching range decides a type's weight (RFC 9110 section 12.5.1).
    double q = -1;
    int specificity = -1;
    for (const auto& r : ranges) {
      if (!covers(r.type, type)) continue;
      const int s = r.type == "*/*" ? 0 : (r.type.back() == '*' ? 1 : 2);
      if (s > specificity) {
        specificity = s;
        q = r.q;
      }
    }
    // Ties go to the earlier offer, except that an exact mention beats a wildcard.
    if (q > best_q || (q == best_q && q > 0 && specificity > best_specificity)) {
      best = std::string(type);
      best_q = q;
      best_specificity = specificity;
    }
  }
  if (best.empty()) {
    std::string list;
    for (std::string_view t : offered)
      list += (list.empty() ? "" : ", ") + std::string(t);
    return Error{ErrorType::kNotAcceptable,
                 "Accept: \"" + std::string(*accept) + "\" matches none of " + list};
  }
  return best;
}

Result<std::optional<std::string>> context_link(const http::Request& request) {
  std::optional<std::string> found;
  for (const auto& h : request.headers.all()) {
    if (!iequals(h.name, "Link")) continue;
    for (std::string_view link : split(h.value, ',')) {
      link = trim(link);
      if (link.empty()) continue;
      if (link.front() != '<')
        return bad_request_data("Link: malformed header value \"" + std::string(link) + "\"");
      const auto close = link.find('>');
      if (close == std::string_view::npos) return bad_request_data("Link: missing '>'");
      const std::string_view url = link.substr(1, close - 1);
      bool is_context = false;
      for (std::string_view param : split(link.substr(close + 1), ';')) {
        param = trim(param);
        if (param.substr(0, 4) != "rel=") continue;
        std::string_view rel = param.substr(4);
        if (rel.size() >= 2 && rel.front() == '"' && rel.back() == '"')
          rel = rel.substr(1, rel.size() - 2);
        is_context = rel == kJsonLdContextRel;
      }
      if (!is_context) continue;
      if (found) return bad_request_data("Link: more than one JSON-LD context link");
      if (url.empty()) return bad_request_data("Link: the context URL is empty");
      found = std::string(url);
    }
  }
  return found;
}

std::string context_link_value(std::string_view url) {
  return "<" + std::string(url) + ">; rel=\"" + std::string(kJsonLdContextRel) +
         "\"; type=\"application/ld+json\"";
}

}  // namespace urbis::api
