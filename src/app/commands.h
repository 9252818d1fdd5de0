// The subcommands of the urbis binary. Each returns the process exit code.
#pragma once

#include <string>

#include "app/config.h"

namespace urbis::app {

struct ServeFlags {
  // Where to write the bound port once listening (tests and scripts use port 0 and read it).
  std::string port_file;
};

// `urbis serve`: opens the store, serves HTTP until SIGINT/SIGTERM, then shuts down gracefully
// (stop accepting, finish in-flight requests, commit queued writes, checkpoint) and returns 0.
int serve(const Config& config, const ServeFlags& flags);

// `urbis backup --data D --out B`: an online, consistent copy of the store.
int backup(const std::string& data_dir, const std::string& out_dir);

// `urbis restore --from B --data D`: replaces a stopped store with a backup.
int restore(const std::string& from_dir, const std::string& data_dir);

// `urbis verify-backup --from B`: checks a backup without restoring it.
int verify_backup(const std::string& from_dir);

}  // namespace urbis::app
