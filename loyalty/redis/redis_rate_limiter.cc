// Login throttling in Redis (INCR + EXPIRE window) with an in-process fallback.
#include "loyalty/redis/redis_rate_limiter.h"

#include <algorithm>

namespace loyalty {
int InMemoryRateLimiter::RetryAfterSeconds(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = windows_.find(key);
  const Instant now = clock_.Now();
  if (it == windows_.end() || it->second.ends <= now) return 0;
  if (it->second.failures < options_.max_failures) return 0;
  return static_cast<int>(
      std::chrono::ceil<std::chrono::seconds>(it->second.ends - now).count());
}

void InMemoryRateLimiter::RecordFailure(const std::string& key) {
  std::lock_guard lock(mutex_);
  const Instant now = clock_.Now();
  if (windows_.size() > 100000) std::erase_if(windows_, [&](auto& w) { return w.second.ends <= now; });
  Window& w = windows_[key];
  if (w.ends <= now) w = Window{0, now + options_.window};
  ++w.failures;
}

void InMemoryRateLimiter::Reset(const std::string& key) {
  std::lock_guard lock(mutex_);
  windows_.erase(key);
}

int RedisRateLimiter::RetryAfterSeconds(const std::string& key) {
  // The in-process count also holds failures seen while Redis was down; the stricter answer wins.
  const int local = fallback_.RetryAfterSeconds(key);
  auto count = redis_.Command({"GET", redis_.Key("ratelimit:" + key)});
  if (!count || !count->text || std::atoll(count->text->c_str()) < options_.max_failures) {
    return local;
  }
  auto ttl = redis_.Command({"TTL", redis_.Key("ratelimit:" + key)});
  if (!ttl) return local;
  return std::max(local, ttl->integer > 0 ? static_cast<int>(ttl->integer) : 1);
}

void RedisRateLimiter::RecordFailure(const std::string& key) {
  // The fallback always counts too, so a Redis outage does not reset anyone's window.
  fallback_.RecordFailure(key);
  auto count = redis_.Command({"INCR", redis_.Key("ratelimit:" + key)});
  if (!count) return;
  // The window starts with the first failure. If that EXPIRE was lost the key would never
  // expire and lock the user out for good, so a key without a TTL gets one on the next failure.
  const bool first = count->integer == 1;
  auto ttl = first ? std::nullopt : redis_.Command({"TTL", redis_.Key("ratelimit:" + key)});
  if (first || (ttl && ttl->integer == -1)) {
    redis_.Command({"EXPIRE", redis_.Key("ratelimit:" + key), std::to_string(options_.window.count())});
  }
}

void RedisRateLimiter::Reset(const std::string& key) {
  fallback_.Reset(key);
  redis_.Command({"DEL", redis_.Key("ratelimit:" + key)});
}

}  // namespace loyalty
