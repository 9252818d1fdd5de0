// The one place where errors become HTTP responses: RFC 7807 ProblemDetails bodies with the
// NGSI-LD error type URIs (GS CIM 009 clause 5.5.2), Content-Type application/json.
#pragma once

#include "core/status.h"
#include "http/message.h"

namespace urbis::api {

http::Response problem_response(const Error& error);
http::Response problem_response(ErrorType type, std::string detail);

}  // namespace urbis::api
