// Failure counting for login throttling: in Redis (shared by every server), with an in-process
// fallback so throttling still holds on this server while Redis is down.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "loyalty/common/clock.h"
#include "loyalty/domain/ports/rate_limiter.h"
#include "loyalty/redis/redis_client.h"

namespace loyalty {

struct RateLimitOptions {
  int max_failures = 5;                  // the 6th attempt within the window is refused
  std::chrono::seconds window{15 * 60};  // counted from the first failure
};

// Fixed window per key in this process; also the fallback of the Redis limiter.
class InMemoryRateLimiter final : public RateLimiter {
 public:
  InMemoryRateLimiter(const Clock& clock, RateLimitOptions options) : clock_(clock), options_(options) {}
  int RetryAfterSeconds(const std::string& key) override;
  void RecordFailure(const std::string& key) override;
  void Reset(const std::string& key) override;

 private:
  struct Window {
    int failures = 0;
    Instant ends{};
  };
  const Clock& clock_;
  RateLimitOptions options_;
  std::mutex mutex_;
  std::map<std::string, Window> windows_;
};

class RedisRateLimiter final : public RateLimiter {
 public:
  RedisRateLimiter(RedisClient& redis, const Clock& clock, RateLimitOptions options = {})
      : redis_(redis), options_(options), fallback_(clock, options) {}
  int RetryAfterSeconds(const std::string& key) override;
  void RecordFailure(const std::string& key) override;
  void Reset(const std::string& key) override;

 private:
  RedisClient& redis_;
  RateLimitOptions options_;
  InMemoryRateLimiter fallback_;
};

}  // namespace loyalty
