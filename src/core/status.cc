#include "core/status.h"

namespace urbis {
namespace {

struct ErrorInfo {
  int status;
  std::string_view name;
  std::string_view title;
  bool ngsi_ld;  // true when GS CIM 009 defines a problem type URI for it
};

ErrorInfo info(ErrorType type) {
  switch (type) {
    case ErrorType::kInvalidRequest:
      return {400, "InvalidRequest", "Invalid request", true};
    case ErrorType::kBadRequestData:
      return {400, "BadRequestData", "Bad request data", true};
    case ErrorType::kUnauthorized:
      return {401, "Unauthorized", "Unauthorized", false};
    case ErrorType::kForbidden:
      return {403, "Forbidden", "Forbidden", false};
    case ErrorType::kTooComplexQuery:
      return {403, "TooComplexQuery", "Too complex query", true};
    case ErrorType::kTooManyResults:
      return {403, "TooManyResults", "Too many results", true};
    case ErrorType::kResourceNotFound:
      return {404, "ResourceNotFound", "Resource not found", true};
    case ErrorType::kNonexistentTenant:
      return {404, "NonexistentTenant", "Nonexistent tenant", true};
    case ErrorType::kMethodNotAllowed:
      return {405, "MethodNotAllowed", "Method not allowed", false};
    case ErrorType::kNotAcceptable:
      return {406, "NotAcceptable", "Not acceptable", false};
    case ErrorType::kRequestTimeout:
      return {408, "RequestTimeout", "Request timeout", false};
    case ErrorType::kAlreadyExists:
      return {409, "AlreadyExists", "Already exists", true};
    case ErrorType::kLengthRequired:
      return {411, "LengthRequired", "Length required", false};
    case ErrorType::kPayloadTooLarge:
      return {413, "PayloadTooLarge", "Payload too large", false};
    case ErrorType::kUriTooLong:
      return {414, "UriTooLong", "URI too long", false};
    case ErrorType::kUnsupportedMediaType:
      return {415, "UnsupportedMediaType", "Unsupported media type", false};
    case ErrorType::kOperationNotSupported:
      return {422, "OperationNotSupported", "Operation not supported", true};
    case ErrorType::kHeadersTooLarge:
      return {431, "RequestHeaderFieldsTooLarge", "Request header fields too large", false};
    case ErrorType::kInternalError:
      return {500, "InternalError", "Internal error", true};
    case ErrorType::kNotImplemented:
      return {501, "NotImplemented", "Not implemented", false};
    case ErrorType::kNoMultiTenantSupport:
      return {501, "NoMultiTenantSupport", "No multi-tenant support", true};
    case ErrorType::kLdContextNotAvailable:
      return {503, "LdContextNotAvailable", "LD context not available", true};
    case ErrorType::kServiceUnavailable:
      return {503, "ServiceUnavailable", "Service unavailable", false};
  }
  return {500, "InternalError", "Internal error", true};
}

// Problem type URIs must outlive every caller, so they are spelled out as literals.
std::string_view ngsi_ld_uri(ErrorType type) {
  switch (type) {
    case ErrorType::kInvalidRequest:
      return "https://uri.etsi.org/ngsi-ld/errors/InvalidRequest";
    case ErrorType::kBadRequestData:
      return "https://uri.etsi.org/ngsi-ld/errors/BadRequestData";
    case ErrorType::kTooComplexQuery:
      return "https://uri.etsi.org/ngsi-ld/errors/TooComplexQuery";
    case ErrorType::kTooManyResults:
      return "https://uri.etsi.org/ngsi-ld/errors/TooManyResults";
    case ErrorType::kResourceNotFound:
      return "https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound";
    case ErrorType::kNonexistentTenant:
      return "https://uri.etsi.org/ngsi-ld/errors/NonexistentTenant";
    case ErrorType::kAlreadyExists:
      return "https://uri.etsi.org/ngsi-ld/errors/AlreadyExists";
    case ErrorType::kOperationNotSupported:
      return "https://uri.etsi.org/ngsi-ld/errors/OperationNotSupported";
    case ErrorType::kInternalError:
      return "https://uri.etsi.org/ngsi-ld/errors/InternalError";
    case ErrorType::kNoMultiTenantSupport:
      return "https://uri.etsi.org/ngsi-ld/errors/NoMultiTenantSupport";
    case ErrorType::kLdContextNotAvailable:
      return "https://uri.etsi.org/ngsi-ld/errors/LdContextNotAvailable";
    default:
      return "about:blank";
  }
}

}  // namespace

int http_status(ErrorType type) {
  return info(type).status;
}
std::string_view problem_type_uri(ErrorType type) {
  return ngsi_ld_uri(type);
}
std::string_view problem_title(ErrorType type) {
  return info(type).title;
}
std::string_view error_name(ErrorType type) {
  return info(type).name;
}

}  // namespace urbis
