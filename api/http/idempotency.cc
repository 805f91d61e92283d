// Idempotency-Key handling for mutating endpoints (IETF httpapi draft, GUIDE §4): same key and
// payload → the stored response; same key, other payload → 422; first still running → 409.
#include <algorithm>

#include "api/app_context.h"
#include "api/http/problem.h"
#include "loyalty/crypto/openssl_crypto.h"

namespace loyalty::api {
namespace {

constexpr std::chrono::seconds kAbandonAfter{60};  // an in-flight claim older than this is dead

bool UsableKey(const std::string& key) {
  return !key.empty() && key.size() <= 128 &&
         std::all_of(key.begin(), key.end(), [](char c) { return c > 0x20 && c < 0x7F; });
}

StoredResponse Store(const HttpResponse& r) {
  StoredResponse s{r.status, "Content-Type: " + r.content_type + "\n", r.body};
  for (const auto& [name, value] : r.headers) {
    if (name != "X-Request-Id") s.headers += name + ": " + value + "\n";
  }
  return s;
}

HttpResponse Replay(const StoredResponse& s) {
  HttpResponse r;
  r.status = s.status;
  r.body = s.body;
  size_t start = 0;
  while (start < s.headers.size()) {
    const size_t end = s.headers.find('\n', start);
    const std::string line = s.headers.substr(start, end - start);
    const size_t colon = line.find(": ");
    if (colon != std::string::npos) {
      if (line.compare(0, colon, "Content-Type") == 0) {
        r.content_type = line.substr(colon + 2);
      } else {
        r.headers.emplace_back(line.substr(0, colon), line.substr(colon + 2));
      }
    }
    start = end == std::string::npos ? s.headers.size() : end + 1;
  }
  r.headers.emplace_back("Idempotent-Replayed", "true");
  return r;
}

}  // namespace

Handler Idempotent(AppContext& app, Handler handler) {
  return [&app, handler = std::move(handler)](HttpRequest& req) -> HttpResponse {
    const std::string key = req.Header("idempotency-key");
    if (key.empty()) return handler(req);
    if (!UsableKey(key)) {
      return Problem(400, "invalid_idempotency_key",
                     "Idempotency-Key must be 1 to 128 visible ASCII characters, e.g. a UUID",
                     req.request_id);
    }
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    const std::string scope = actor->principal.staff_id;
    const std::string hash = Sha256Hex(req.method + " " + req.path + "\n" + req.body);
    auto claim = app.idempotency.Claim(scope, key, hash, app.clock.Now(), kAbandonAfter);
    if (!claim) return Problem(claim.error(), req.request_id);
    switch (claim->claim) {
      case IdempotencyClaim::kMismatch:
        return Problem(422, "idempotency_key_reused",
                       "this Idempotency-Key was already used for a different request; use a "
                       "new key for each operation",
                       req.request_id);
      case IdempotencyClaim::kInFlight: {
        HttpResponse r = Problem(409, "idempotency_key_in_flight",
                                 "the first request with this Idempotency-Key is still running; "
                                 "retry shortly",
                                 req.request_id);
        r.headers.emplace_back("Retry-After", "1");
        return r;
      }
      case IdempotencyClaim::kReplay:
        return Replay(claim->response);
      case IdempotencyClaim::kNew:
        break;
    }
    HttpResponse response;
    try {
      response = handler(req);
    } catch (...) {
      (void)app.idempotency.Release(scope, key);
      throw;
    }
    // Our failures (5xx) are not remembered: the retry the client will send should run again.
    if (response.status >= 500) {
      (void)app.idempotency.Release(scope, key);
    } else {
      (void)app.idempotency.Complete(scope, key, Store(response));
    }
    return response;
  };
}

}  // namespace loyalty::api
