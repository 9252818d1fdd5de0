// A plain TCP connection to the server for wire tests: send arbitrary bytes, read whatever
// comes back, see when the server closes.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace urbis::testing {

class RawSocket {
 public:
  explicit RawSocket(std::uint16_t port);
  ~RawSocket();
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  // Sends all bytes; false if the peer has closed.
  bool send(const std::string& bytes);
  // Half-closes our side.
  void shutdown_write();
  // Reads until the peer closes or `timeout` passes; returns what arrived.
  std::string read_until_close(std::chrono::milliseconds timeout);
  // Reads until `marker` has arrived (or close/timeout).
  std::string read_until(const std::string& marker, std::chrono::milliseconds timeout);
  // True when the peer closed the connection within `timeout`.
  bool closed_by_peer(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
  std::string pending_;
};

// The status code of the first HTTP response in `raw`, or 0.
int status_of(const std::string& raw);

}  // namespace urbis::testing
