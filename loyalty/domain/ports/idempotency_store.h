// Port: remembered responses for the Idempotency-Key header (IETF httpapi draft), so a client
// that retries a write after a timeout gets the first answer instead of a second effect.
#pragma once

#include <string>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"

namespace loyalty {

struct StoredResponse {
  int status = 0;
  std::string headers;  // "Name: value\n" lines
  std::string body;
};

enum class IdempotencyClaim {
  kNew,       // first time: run the request, then Complete or Release
  kReplay,    // done before with the same payload: `response` holds the first answer
  kMismatch,  // the key was used for a different payload (422)
  kInFlight,  // the first request with this key is still running (409)
};

struct ClaimResult {
  IdempotencyClaim claim = IdempotencyClaim::kNew;
  StoredResponse response;
};

class IdempotencyStore {
 public:
  virtual ~IdempotencyStore() = default;
  // Claims (scope, key) for a request whose payload digest is `request_hash`. A claim left in
  // flight longer than `abandon_after` (its server died) may be taken over.
  virtual Result<ClaimResult> Claim(const std::string& scope, const std::string& key,
                                    const std::string& request_hash, Instant now,
                                    std::chrono::seconds abandon_after) = 0;
  // Records the answer; later claims with the same key and payload replay it.
  virtual Status Complete(const std::string& scope, const std::string& key,
                          const StoredResponse& response) = 0;
  // Forgets an unfinished claim (the request failed on our side), so a retry runs again.
  virtual Status Release(const std::string& scope, const std::string& key) = 0;
};

}  // namespace loyalty
