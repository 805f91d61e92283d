// Nonces in Redis (SET NX EX, shared by every server) with an in-process fallback, so a replay
// to the same server is still refused while Redis is down.
#pragma once

#include <map>
#include <mutex>

#include "loyalty/common/clock.h"
#include "loyalty/domain/ports/nonce_store.h"
#include "loyalty/redis/redis_client.h"

namespace loyalty {

class InMemoryNonceStore final : public NonceStore {
 public:
  explicit InMemoryNonceStore(const Clock& clock) : clock_(clock) {}
  bool FirstUse(const std::string& nonce, std::chrono::seconds ttl) override;

 private:
  const Clock& clock_;
  std::mutex mutex_;
  std::map<std::string, Instant> seen_until_;
  std::multimap<Instant, std::string> lapse_order_;
};

class RedisNonceStore final : public NonceStore {
 public:
  RedisNonceStore(RedisClient& redis, const Clock& clock) : redis_(redis), fallback_(clock) {}
  bool FirstUse(const std::string& nonce, std::chrono::seconds ttl) override;

 private:
  RedisClient& redis_;
  InMemoryNonceStore fallback_;
};

}  // namespace loyalty
