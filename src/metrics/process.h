// Standard Prometheus process metrics (process_resident_memory_bytes, process_open_fds,
// process_start_time_seconds, process_cpu_seconds_total), read from /proc at scrape time.
#pragma once

namespace urbis::metrics {
class Registry;
void register_process_metrics(Registry& registry);
}  // namespace urbis::metrics
