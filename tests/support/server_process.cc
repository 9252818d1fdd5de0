#include "support/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace urbis::testing {

std::string urbis_binary() {
  return URBIS_BINARY;
}

namespace {

pid_t spawn(const std::vector<std::string>& args, const std::string& log_file) {
  std::vector<char*> argv;
  std::string bin = urbis_binary();
  argv.push_back(bin.data());
  std::vector<std::string> copy = args;
  for (auto& a : copy)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

int run_urbis(const std::vector<std::string>& args, std::string* output) {
  const std::string log =
      std::filesystem::temp_directory_path() /
      ("urbis-run-" + std::to_string(getpid()) + "-" +
       std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  const int code = wait_exit(spawn(args, log));
  if (output) *output = slurp(log);
  std::filesystem::remove(log);
  return code;
}

ServerProcess::ServerProcess(std::string data_dir, std::vector<std::string> extra_args)
    : data_dir_(std::move(data_dir)), extra_args_(std::move(extra_args)) {
  port_file_ = data_dir_ + ".port";
  log_file_ = data_dir_ + ".log";
  start();
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) kill9();
}

void ServerProcess::start() {
  std::filesystem::remove(port_file_);
  std::vector<std::string> args = {"serve",       "--listen", "127.0.0.1:0", "--data", data_dir_,
                                   "--port-file", port_file_, "--threads",   "2"};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  pid_ = spawn(args, log_file_);
  // Wait on conditions: the port file appears, then /health answers.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (true) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("urbis serve exited during start-up:\n" + log());
    }
    std::ifstream in(port_file_);
    unsigned port = 0;
    if (in >> port && port > 0) {
      port_ = static_cast<std::uint16_t>(port);
      break;
    }
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("urbis did not start:\n" + log());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  auto c = client(std::chrono::seconds(5));
  while (true) {
    auto r = c->get("/health");
    if (r.ok() && r->status == 200) return;
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("urbis /health never answered:\n" + log());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::unique_ptr<http::Client> ServerProcess::client(std::chrono::milliseconds timeout) const {
  return std::make_unique<http::Client>("127.0.0.1", port_, timeout);
}

void ServerProcess::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  wait_exit(pid_);
  pid_ = -1;
}

int ServerProcess::terminate(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill9();
  return -1;
}

void ServerProcess::restart() {
  if (pid_ > 0) kill9();
  start();
}

std::string ServerProcess::log() const {
  return slurp(log_file_);
}

}  // namespace urbis::testing
