// The data directory: where a store keeps its files, and the lock that keeps two urbis processes
// from opening the same one. The lock is an flock on <dir>/LOCK, released by the kernel when the
// process ends, even by SIGKILL, so a restart after a crash never finds a stale lock.
#pragma once

#include <string>

#include "core/status.h"

namespace urbis::store {

class DataDirLock {
 public:
  // Creates `dir` if needed and takes the lock. Fails with ServiceUnavailable naming the pid of
  // the holder when another process has it.
  static Result<DataDirLock> acquire(const std::string& dir);
  // True when some process holds the lock of `dir` (used by restore to refuse a live directory).
  static bool is_locked(const std::string& dir);

  DataDirLock(DataDirLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  DataDirLock& operator=(DataDirLock&& o) noexcept;
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;
  ~DataDirLock();

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// fsyncs a directory so that files created or renamed in it survive power loss.
Status sync_directory(const std::string& dir);

}  // namespace urbis::store
