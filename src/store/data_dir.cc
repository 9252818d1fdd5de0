#include "store/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

namespace urbis::store {
namespace {

std::string lock_path(const std::string& dir) {
  return dir + "/LOCK";
}

std::string read_holder(int fd) {
  char buf[32] = {};
  const ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return "unknown";
  std::string s(buf, static_cast<std::size_t>(n));
  while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
    s.pop_back();
  return s.empty() ? "unknown" : s;
}

}  // namespace

Result<DataDirLock> DataDirLock::acquire(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Error{ErrorType::kServiceUnavailable,
                 "cannot create data directory " + dir + ": " + ec.message()};
  }
  const int fd = ::open(lock_path(dir).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Error{ErrorType::kServiceUnavailable,
                 "cannot open " + lock_path(dir) + ": " + std::strerror(errno)};
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const std::string holder = read_holder(fd);
    ::close(fd);
    return Error{
        ErrorType::kServiceUnavailable,
        "data directory " + dir + " is in use by another urbis process (pid " + holder + ")"};
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // The pid is informational only; the flock is what protects the directory.
  }
  return DataDirLock(fd);
}

bool DataDirLock::is_locked(const std::string& dir) {
  const int fd = ::open(lock_path(dir).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool locked = ::flock(fd, LOCK_EX | LOCK_NB) != 0;
  ::close(fd);  // closing releases our probe lock if we took it
  return locked;
}

DataDirLock& DataDirLock::operator=(DataDirLock&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) ::close(fd_);
}

Status sync_directory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return Error{ErrorType::kServiceUnavailable,
                 "cannot open " + dir + ": " + std::strerror(errno)};
  }
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) {
    return Error{ErrorType::kServiceUnavailable,
                 "cannot fsync " + dir + ": " + std::strerror(errno)};
  }
  return Status();
}

}  // namespace urbis::store
