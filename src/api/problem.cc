#include "api/problem.h"

#include "json/value.h"
#include "json/write.h"

namespace urbis::api {

http::Response problem_response(const Error& error) {
  json::Value body = json::Value::object();
  body.set("type", json::Value(problem_type_uri(error.type)));
  body.set("title", json::Value(problem_title(error.type)));
  body.set("status", http_status(error.type));
  body.set("detail", error.detail);
  http::Response r;
  r.status = http_status(error.type);
  r.headers.add("Content-Type", "application/json");
  r.body = json::to_string(body);
  return r;
}

http::Response problem_response(ErrorType type, std::string detail) {
  return problem_response(Error{type, std::move(detail)});
}

}  // namespace urbis::api
