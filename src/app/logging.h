// Process-wide logging on spdlog: to stderr, as text or as one JSON object per line (for log
// shippers), timestamps in UTC.
#pragma once

#include <string>

namespace urbis::app {

void setup_logging(const std::string& level, const std::string& format);

}  // namespace urbis::app
