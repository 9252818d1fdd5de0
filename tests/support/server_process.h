// Starts the real `urbis serve` binary on a free loopback port with its own data directory, the
// way a user runs it, and stops it: gracefully (SIGTERM) or brutally (SIGKILL).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "http/client.h"

namespace urbis::testing {

// Path of the urbis binary under test (set by CMake).
std::string urbis_binary();

// Runs `urbis <args>` to completion; returns the exit code and fills `output` (stdout+stderr).
int run_urbis(const std::vector<std::string>& args, std::string* output = nullptr);

class ServerProcess {
 public:
  // Starts urbis serve on `data_dir` with extra arguments (e.g. {"--set", "x=y"}) and waits
  // until /health answers.
  ServerProcess(std::string data_dir, std::vector<std::string> extra_args = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::unique_ptr<http::Client> client(
      std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;

  // SIGKILL, then reap.
  void kill9();
  // SIGTERM, then wait up to `timeout`; returns the exit status (-1 if it had to be killed).
  int terminate(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Starts it again on the same data directory and arguments.
  void restart();
  bool running() const { return pid_ > 0; }
  // What the server wrote to stderr/stdout so far.
  std::string log() const;

 private:
  void start();
  std::string data_dir_;
  std::vector<std::string> extra_args_;
  std::string port_file_;
  std::string log_file_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace urbis::testing
