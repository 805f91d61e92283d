// Cache-aside copy of stored members in Redis (ciphertext only; PII stays encrypted there too).
#pragma once

#include <chrono>

#include "loyalty/domain/ports/member_cache.h"
#include "loyalty/redis/redis_client.h"

namespace loyalty {

class RedisMemberCache final : public MemberCache {
 public:
  explicit RedisMemberCache(RedisClient& redis, std::chrono::seconds ttl = std::chrono::seconds(300))
      : redis_(redis), ttl_(ttl) {}
  std::optional<StoredMember> Get(const std::string& member_id) override;
  void Put(const StoredMember& member) override;
  void Invalidate(const std::string& member_id) override;

 private:
  RedisClient& redis_;
  std::chrono::seconds ttl_;
};

// Serialisation, public for its unit test.
std::string EncodeStoredMember(const StoredMember& m);
std::optional<StoredMember> DecodeStoredMember(const std::string& json);

}  // namespace loyalty
