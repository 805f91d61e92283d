// RFC 9457 problem+json responses and the one table mapping error codes to HTTP statuses.
#pragma once

#include "api/http/http_types.h"
#include "loyalty/common/error.h"

namespace loyalty::api {

int HttpStatusFor(Code code);

// A problem response for a domain error; details become extension members, and
// retry_after also becomes a Retry-After header.
HttpResponse Problem(const Error& error, const std::string& request_id);
// The same with a status the code table does not give (422 for a reused idempotency key).
HttpResponse Problem(int status, const Error& error, const std::string& request_id);
// A problem raised by the HTTP layer itself (404 route, 405, 413, 415).
HttpResponse Problem(int status, const std::string& slug, const std::string& detail,
                     const std::string& request_id);

}  // namespace loyalty::api
