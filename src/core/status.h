// Error values for urbis. Regular failures (bad input, missing entity, full disk) travel as values
// up to the API edge, which renders them as RFC 7807 / NGSI-LD ProblemDetails. Exceptions are
// reserved for programmer errors and out-of-memory; see docs/ERRORS.md for the whole policy.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace urbis {

// The NGSI-LD error types of ETSI GS CIM 009 (clause 5.5.2) plus the plain HTTP conditions a
// server must be able to answer. Each maps to one HTTP status and one ProblemDetails "type".
enum class ErrorType {
  kInvalidRequest,         // 400: the request itself is malformed (syntax, parameters)
  kBadRequestData,         // 400: the request is well-formed but its data is not acceptable
  kUnauthorized,           // 401
  kForbidden,              // 403
  kTooComplexQuery,        // 403
  kTooManyResults,         // 403
  kResourceNotFound,       // 404
  kNonexistentTenant,      // 404
  kMethodNotAllowed,       // 405
  kNotAcceptable,          // 406
  kRequestTimeout,         // 408
  kAlreadyExists,          // 409
  kLengthRequired,         // 411
  kPayloadTooLarge,        // 413
  kUriTooLong,             // 414
  kUnsupportedMediaType,   // 415
  kOperationNotSupported,  // 422
  kHeadersTooLarge,        // 431
  kInternalError,          // 500
  kNotImplemented,         // 501
  kNoMultiTenantSupport,   // 501
  kLdContextNotAvailable,  // 503
  kServiceUnavailable,     // 503
};

// HTTP status code for an error type.
int http_status(ErrorType type);
// ProblemDetails "type" member: an ETSI URI for NGSI-LD error types, "about:blank" otherwise.
std::string_view problem_type_uri(ErrorType type);
// Short human title, e.g. "Bad request data".
std::string_view problem_title(ErrorType type);
// The identifier used in logs and metrics, e.g. "BadRequestData".
std::string_view error_name(ErrorType type);

// One failure: what kind, and a detail that names the offending field, parameter or resource.
struct Error {
  ErrorType type = ErrorType::kInternalError;
  std::string detail;
};

// Status: success or one Error. Success is a null pointer, so the common path costs nothing.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::make_unique<Error>(std::move(error))) {}  // NOLINT: implicit
  Status(const Status& other)
      : error_(other.error_ ? std::make_unique<Error>(*other.error_) : nullptr) {}
  Status& operator=(const Status& other) {
    if (this != &other) error_ = other.error_ ? std::make_unique<Error>(*other.error_) : nullptr;
    return *this;
  }
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  bool ok() const { return error_ == nullptr; }
  // Only valid when !ok().
  const Error& error() const { return *error_; }
  ErrorType type() const { return error_->type; }
  const std::string& detail() const { return error_->detail; }
  // Lets URBIS_RETURN_IF_ERROR treat Status and Result alike.
  const Status& status() const { return *this; }

 private:
  std::unique_ptr<Error> error_;
};

// Result<T>: a value or an Error. Accessing value() of a failed Result is a programmer error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT
  Result(Status status) : v_(status.error()) {}  // NOLINT: only from a failed Status

  bool ok() const { return v_.index() == 0; }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const { return std::get<1>(v_); }
  Status status() const { return ok() ? Status() : Status(error()); }

 private:
  std::variant<T, Error> v_;
};

// Shorthands for the common constructors; detail should name the field or parameter at fault.
inline Error bad_request_data(std::string detail) {
  return {ErrorType::kBadRequestData, std::move(detail)};
}
inline Error invalid_request(std::string detail) {
  return {ErrorType::kInvalidRequest, std::move(detail)};
}
inline Error not_found(std::string detail) {
  return {ErrorType::kResourceNotFound, std::move(detail)};
}
inline Error internal_error(std::string detail) {
  return {ErrorType::kInternalError, std::move(detail)};
}

}  // namespace urbis

// Propagates a failed Status/Result from the current function.
#define URBIS_RETURN_IF_ERROR(expr)                         \
  do {                                                      \
    auto urbis_status_ = (expr);                            \
    if (!urbis_status_.ok()) return urbis_status_.status(); \
  } while (0)
