#include "metrics/process.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "metrics/registry.h"

namespace urbis::metrics {

void register_process_metrics(Registry& registry) {
  Gauge& rss = registry.gauge("process_resident_memory_bytes", "Resident memory size in bytes");
  Gauge& fds = registry.gauge("process_open_fds", "Open file descriptors");
  Gauge& cpu = registry.gauge("process_cpu_seconds_total", "User and system CPU time in seconds");
  Gauge& start = registry.gauge("process_start_time_seconds", "Start time since the epoch");
  start.set(
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count());
  registry.on_scrape([&rss, &fds, &cpu] {
    const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    std::ifstream statm("/proc/self/statm");
    double size = 0, resident = 0;
    if (statm >> size >> resident) rss.set(resident * page);
    std::error_code ec;
    double n = 0;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
      ++n;
    }
    fds.set(n);
    std::ifstream stat("/proc/self/stat");
    std::string line;
    if (std::getline(stat, line)) {
      // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
      std::istringstream rest(line.substr(line.rfind(')') + 2));
      std::string field;
      double utime = 0, stime = 0;
      for (int i = 1; i <= 13 && rest >> field; ++i) {
        if (i == 12) utime = std::stod(field);
        if (i == 13) stime = std::stod(field);
      }
      cpu.set((utime + stime) / ticks);
    }
  });
}

}  // namespace urbis::metrics
