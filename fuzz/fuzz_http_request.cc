// The HTTP request parser as the server configures it (Beast, with urbis' header and body
// limits), followed by the conversions the server applies to a parsed request.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <string_view>

#include "http/message.h"

namespace bhttp = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(64 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  std::size_t offset = 0;
  // Feed in two pieces to exercise the incremental paths.
  const std::size_t split = size / 2;
  offset += parser.put(boost::asio::buffer(data, split), ec);
  // Beast, like the server, never feeds a parser that has completed its message.
  if ((!ec || ec == bhttp::error::need_more) && !parser.is_done()) {
    ec = {};
    parser.put(boost::asio::buffer(data + offset, size - offset), ec);
  }
  if (ec || !parser.is_done()) return 0;
  auto msg = parser.release();
  urbis::http::Request req;
  req.method = urbis::http::parse_method(std::string_view(msg.method_string()));
  req.target = std::string(msg.target());
  for (const auto& f : msg)
    req.headers.add(std::string(f.name_string()), std::string(f.value()));
  (void)urbis::http::parse_query(req.query());
  (void)req.path();
  return 0;
}
