// Problem responses.
#include "api/http/problem.h"

#include <nlohmann/json.hpp>

namespace loyalty::api {
namespace {

const char* Title(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
  }
}

}  // namespace

int HttpStatusFor(Code code) {
  switch (code) {
    case Code::kInvalidArgument: return 400;
    case Code::kUnauthenticated: return 401;
    case Code::kPermissionDenied: return 403;
    case Code::kNotFound: return 404;
    case Code::kAlreadyExists: return 409;
    case Code::kFailedPrecondition: return 409;
    case Code::kAborted: return 409;
    case Code::kResourceExhausted: return 429;
    case Code::kUnavailable: return 503;
    case Code::kInternal: return 500;
  }
  return 500;
}

HttpResponse Problem(const Error& error, const std::string& request_id) {
  return Problem(HttpStatusFor(error.code), error, request_id);
}

HttpResponse Problem(int status, const Error& error, const std::string& request_id) {
  HttpResponse r = Problem(status, error.slug, error.message, request_id);
  auto body = nlohmann::json::parse(r.body);
  for (const auto& [key, value] : error.details) {
    if (body.contains(key)) continue;  // a detail never hides type, status, code, ...
    body[key] = value;
    if (key == "retry_after") r.headers.emplace_back("Retry-After", value);
  }
  if (error.code == Code::kUnavailable && !error.Detail("retry_after")) {
    r.headers.emplace_back("Retry-After", "1");
  }
  if (error.code == Code::kUnauthenticated) r.headers.emplace_back("WWW-Authenticate", "Bearer");
  r.body = body.dump();
  return r;
}

HttpResponse Problem(int status, const std::string& slug, const std::string& detail,
                     const std::string& request_id) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = nlohmann::json{{"type", "urn:loyalty:problem:" + slug},
                          {"title", Title(status)},
                          {"status", status},
                          {"detail", detail},
                          {"code", slug},
                          {"request_id", request_id}}
               .dump();
  return r;
}

}  // namespace loyalty::api
