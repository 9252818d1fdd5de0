// HTTP messages as plain values: what the server hands to handlers and what they give back.
// No Beast types here, so that modules using HTTP do not compile Beast's headers.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace urbis::http {

struct Header {
  std::string name;
  std::string value;
};

// Header fields in arrival order; lookups ignore the case of names (RFC 9110).
class Headers {
 public:
  void add(std::string name, std::string value);
  // Replaces every field of that name with one.
  void set(std::string name, std::string value);
  // The first field of that name.
  std::optional<std::string_view> get(std::string_view name) const;
  std::size_t count(std::string_view name) const;
  const std::vector<Header>& all() const { return items_; }

 private:
  std::vector<Header> items_;
};

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };
Method parse_method(std::string_view m);
std::string_view method_name(Method m);

using QueryParams = std::vector<std::pair<std::string, std::string>>;

struct Request {
  Method method = Method::kGet;
  std::string method_text;
  std::string target;  // path and query, as received
  Headers headers;
  std::string body;
  bool keep_alive = true;
  std::string remote;  // peer address, for logs
  std::chrono::steady_clock::time_point received_at{};

  // Set by the router: the matched route's pattern and its decoded path parameters.
  std::string_view route;
  std::vector<std::pair<std::string, std::string>> path_params;

  std::string_view path() const;
  std::string_view query() const;
  // A decoded path parameter ("" when absent).
  std::string_view param(std::string_view name) const;
};

// Parses "a=1&b=x%20y" (RFC 3986 percent-decoding; '+' is kept). A key may repeat. Fails with
// BadRequestData naming the parameter when an escape is malformed.
Result<QueryParams> parse_query(std::string_view query);

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // Close the connection after this response.
  bool close = false;
};

// "OK", "Not Found"...
std::string_view reason_phrase(int status);

}  // namespace urbis::http
