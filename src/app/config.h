// urbis configuration: every setting has a default, and may be set by the TOML file (--config),
// by an environment variable URBIS_<SECTION>_<NAME>, or on the command line (dedicated flags or
// --set section.name=value). Precedence, lowest to highest: default < file < environment < flag.
// Unknown keys are errors, so a typo never silently leaves a default in place.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/limits.h"
#include "core/status.h"

namespace urbis::app {

struct Config {
  // [server]
  std::string listen = "127.0.0.1:1026";
  std::uint64_t threads = 0;  // 0: one per CPU
  std::uint64_t header_timeout_ms = 10000;
  std::uint64_t body_timeout_ms = 30000;
  std::uint64_t idle_timeout_ms = 60000;
  std::uint64_t write_timeout_ms = 30000;
  std::uint64_t shutdown_timeout_ms = 10000;
  // [store]
  std::string data = "./data";
  std::uint64_t changelog_retention_s = 300;
  std::uint64_t max_group_writes = 1024;
  // [log]
  std::string log_level = "info";
  std::string log_format = "text";
  // [limits]
  Limits limits;
};

// One setting, for the loaders and for `urbis config`.
struct Setting {
  std::string key;  // "server.listen", "limits.max_body_bytes"
  std::string description;
  bool is_number;
  std::function<std::string(const Config&)> get;
  std::function<Status(Config&, const std::string&)> set;
  std::uint64_t max = 0;  // numbers: the largest accepted value
};

// Every setting, in documentation order.
const std::vector<Setting>& settings();

// The environment variable of a setting: "server.listen" -> "URBIS_SERVER_LISTEN".
std::string env_name(const std::string& key);

// Applies, in order: the TOML file (if `file` is not empty), URBIS_* variables from `environ`,
// then the `overrides` ("key=value", from flags). Errors name the key and the source.
Result<Config> load_config(const std::string& file, const std::vector<std::string>& overrides);

// Checks cross-field rules (listen address form, log level names, non-zero limits).
Status validate(const Config& config);

// The configuration as a TOML document with a comment per setting.
std::string to_toml(const Config& config);

// "host:port" or "[v6]:port" -> host and port.
Result<std::pair<std::string, std::uint16_t>> parse_listen(const std::string& listen);

}  // namespace urbis::app
