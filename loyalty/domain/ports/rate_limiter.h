// Port: counting failures per key in a time window (login throttling). Adapter: redis/.
#pragma once

#include <chrono>
#include <string>

namespace loyalty {

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Seconds until `key` may try again; 0 when it may try now.
  virtual int RetryAfterSeconds(const std::string& key) = 0;
  // Counts one failure against `key`.
  virtual void RecordFailure(const std::string& key) = 0;
  virtual void Reset(const std::string& key) = 0;
};

}  // namespace loyalty
