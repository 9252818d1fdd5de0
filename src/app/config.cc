#include "app/config.h"

#include <toml++/toml.h>
#include <cstdlib>

#include "core/strings.h"

extern char** environ;

namespace urbis::app {
namespace {

Setting text(std::string key, std::string description, std::string Config::*field) {
  return Setting{std::move(key), std::move(description), false,
                 [field](const Config& c) { return c.*field; },
                 [field](Config& c, const std::string& v) {
                   c.*field = v;
                   return Status();
                 }};
}

Status parse_number(const std::string& key, const std::string& v, std::uint64_t& out) {
  auto n = parse_u64(trim(v));
  if (!n) return invalid_request(key + ": \"" + v + "\" is not a non-negative integer");
  out = *n;
  return Status();
}

// Upper bounds: a day for timeouts, a century for retention, 1 GiB for sizes and counts. They
// keep every later unit conversion (ms, µs, 32-bit parser limits) from overflowing.
constexpr std::uint64_t kMaxTimeoutMs = 24ULL * 3600 * 1000;
constexpr std::uint64_t kMaxRetentionS = 100ULL * 366 * 24 * 3600;
constexpr std::uint64_t kMaxLimit = 1ULL << 30;

Status check_max(const std::string& key, std::uint64_t v, std::uint64_t max) {
  if (v <= max) return Status();
  return invalid_request(key + ": " + std::to_string(v) + " is above the largest accepted value (" +
                         std::to_string(max) + ")");
}

Setting number(std::string key, std::string description, std::uint64_t Config::*field,
               std::uint64_t max) {
  return Setting{std::move(key),
                 std::move(description),
                 true,
                 [field](const Config& c) { return std::to_string(c.*field); },
                 [key, field, max](Config& c, const std::string& v) {
                   std::uint64_t n = 0;
                   URBIS_RETURN_IF_ERROR(parse_number(key, v, n));
                   URBIS_RETURN_IF_ERROR(check_max(key, n, max));
                   c.*field = n;
                   return Status();
                 },
                 max};
}

std::vector<Setting> build_settings() {
  std::vector<Setting> s;
  s.push_back(text("server.listen", "address:port to listen on; loopback unless you mean otherwise",
                   &Config::listen));
  s.push_back(number("server.threads", "I/O threads; 0 means one per CPU", &Config::threads, 1024));
  s.push_back(number("server.header_timeout_ms",
                     "time for a request's line and headers to arrive once it has started",
                     &Config::header_timeout_ms, kMaxTimeoutMs));
  s.push_back(number("server.body_timeout_ms", "time for a request body to arrive",
                     &Config::body_timeout_ms, kMaxTimeoutMs));
  s.push_back(number("server.idle_timeout_ms", "time an idle keep-alive connection stays open",
                     &Config::idle_timeout_ms, kMaxTimeoutMs));
  s.push_back(number("server.write_timeout_ms", "time for a response to be taken by the client",
                     &Config::write_timeout_ms, kMaxTimeoutMs));
  s.push_back(number("server.shutdown_timeout_ms",
                     "on SIGTERM, time in-flight requests get before connections are cut",
                     &Config::shutdown_timeout_ms, kMaxTimeoutMs));
  s.push_back(text("store.data", "data directory of the embedded store", &Config::data));
  s.push_back(number("store.changelog_retention_s",
                     "change-log entries kept at least this long for transient followers",
                     &Config::changelog_retention_s, kMaxRetentionS));
  s.push_back(number("store.max_group_writes", "most writes committed in one group transaction",
                     &Config::max_group_writes, 1ULL << 20));
  s.push_back(text("log.level", "trace, debug, info, warn, error or off", &Config::log_level));
  s.push_back(text("log.format", "text, or json (one JSON object per line)", &Config::log_format));
  for (const LimitInfo& info : limit_table()) {
    const auto field = info.field;
    const std::string key = std::string("limits.") + info.name;
    s.push_back(Setting{key, info.why, true,
                        [field](const Config& c) { return std::to_string(c.limits.*field); },
                        [key, field](Config& c, const std::string& v) {
                          std::uint64_t n = 0;
                          URBIS_RETURN_IF_ERROR(parse_number(key, v, n));
                          URBIS_RETURN_IF_ERROR(check_max(key, n, kMaxLimit));
                          c.limits.*field = static_cast<std::size_t>(n);
                          return Status();
                        },
                        kMaxLimit});
  }
  return s;
}

const Setting* find_setting(std::string_view key) {
  for (const auto& s : settings()) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

Status apply(Config& c, const std::string& key, const std::string& value,
             const std::string& source) {
  const Setting* s = find_setting(key);
  if (!s) return invalid_request(source + ": unknown setting \"" + key + "\" (see `urbis config`)");
  Status r = s->set(c, value);
  if (!r.ok()) return invalid_request(source + ": " + r.detail());
  return Status();
}

Status apply_file(Config& c, const std::string& path) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    std::string where;
    if (e.source().begin.line) {
      where = ":" + std::to_string(e.source().begin.line) + ":" +
              std::to_string(e.source().begin.column);
    }
    return invalid_request("config " + path + where + ": " + std::string(e.description()));
  }
  for (const auto& [section, node] : root) {
    const auto* table = node.as_table();
    if (!table) {
      return invalid_request("config " + path + ": \"" + std::string(section.str()) +
                             "\" must be a [section]");
    }
    for (const auto& [name, value] : *table) {
      const std::string key = std::string(section.str()) + "." + std::string(name.str());
      std::string text;
      if (auto v = value.value<std::string>(); v && value.is_string()) {
        text = *v;
      } else if (auto i = value.value<std::int64_t>(); i && value.is_integer()) {
        if (*i < 0) return invalid_request("config " + path + ": " + key + " must not be negative");
        text = std::to_string(*i);
      } else {
        return invalid_request("config " + path + ": " + key + " must be a string or an integer");
      }
      URBIS_RETURN_IF_ERROR(apply(c, key, text, "config " + path));
    }
  }
  return Status();
}

}  // namespace

const std::vector<Setting>& settings() {
  static const std::vector<Setting> all = build_settings();
  return all;
}

std::string env_name(const std::string& key) {
  std::string out = "URBIS_";
  for (char ch : key) {
    out.push_back(ch == '.' ? '_'
                            : static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
  }
  return out;
}

Result<Config> load_config(const std::string& file, const std::vector<std::string>& overrides) {
  Config c;
  if (!file.empty()) URBIS_RETURN_IF_ERROR(apply_file(c, file));
  for (const auto& s : settings()) {
    const std::string name = env_name(s.key);
    if (const char* v = std::getenv(name.c_str())) {
      URBIS_RETURN_IF_ERROR(apply(c, s.key, v, "environment " + name));
    }
  }
  // A URBIS_ variable that names no setting is most likely a typo: refuse it.
  for (char** e = environ; e && *e; ++e) {
    const std::string_view entry(*e);
    if (entry.substr(0, 6) != "URBIS_") continue;
    const std::string name(entry.substr(0, entry.find('=')));
    bool known = false;
    for (const auto& s : settings())
      known = known || env_name(s.key) == name;
    if (!known)
      return invalid_request("environment " + name + ": names no setting (see `urbis config`)");
  }
  for (const auto& o : overrides) {
    const auto eq = o.find('=');
    if (eq == std::string::npos) return invalid_request("--set " + o + ": expected key=value");
    URBIS_RETURN_IF_ERROR(apply(c, std::string(trim(o.substr(0, eq))), o.substr(eq + 1), "--set"));
  }
  URBIS_RETURN_IF_ERROR(validate(c));
  return c;
}

Result<std::pair<std::string, std::uint16_t>> parse_listen(const std::string& listen) {
  std::string host;
  std::string port;
  if (!listen.empty() && listen.front() == '[') {
    const auto close = listen.find(']');
    if (close == std::string::npos || close + 1 >= listen.size() || listen[close + 1] != ':') {
      return invalid_request("server.listen: \"" + listen + "\" is not [address]:port");
    }
    host = listen.substr(1, close - 1);
    port = listen.substr(close + 2);
  } else {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) {
      return invalid_request("server.listen: \"" + listen + "\" is not address:port");
    }
    host = listen.substr(0, colon);
    port = listen.substr(colon + 1);
  }
  const auto p = parse_u64(port);
  if (host.empty() || !p || *p > 65535) {
    return invalid_request("server.listen: \"" + listen + "\" is not address:port");
  }
  return std::make_pair(host, static_cast<std::uint16_t>(*p));
}

Status validate(const Config& c) {
  URBIS_RETURN_IF_ERROR(parse_listen(c.listen));
  static constexpr std::string_view kLevels[] = {"trace", "debug", "info", "warn", "error", "off"};
  bool level_ok = false;
  for (auto l : kLevels)
    level_ok = level_ok || c.log_level == l;
  if (!level_ok)
    return invalid_request("log.level: \"" + c.log_level +
                           "\" is not one of trace, debug, info, warn, error, off");
  if (c.log_format != "text" && c.log_format != "json") {
    return invalid_request("log.format: \"" + c.log_format + "\" is not text or json");
  }
  if (c.data.empty()) return invalid_request("store.data: must not be empty");
  for (const LimitInfo& info : limit_table()) {
    if (c.limits.*(info.field) == 0) {
      return invalid_request(std::string("limits.") + info.name + ": must be at least 1");
    }
  }
  if (c.max_group_writes == 0) return invalid_request("store.max_group_writes: must be at least 1");
  return Status();
}

std::string to_toml(const Config& c) {
  std::string out;
  std::string section;
  for (const auto& s : settings()) {
    const auto dot = s.key.find('.');
    const std::string sec = s.key.substr(0, dot);
    if (sec != section) {
      out += (section.empty() ? "" : "\n") + std::string("[") + sec + "]\n";
      section = sec;
    }
    out += "# " + s.description + " (" + env_name(s.key) + ")\n";
    const std::string value = s.get(c);
    std::string quoted = "\"";
    for (char ch : value) {
      if (ch == '"' || ch == '\\') quoted.push_back('\\');
      quoted.push_back(ch);
    }
    quoted.push_back('"');
    out += s.key.substr(dot + 1) + " = " + (s.is_number ? value : quoted) + "\n";
  }
  return out;
}

}  // namespace urbis::app
