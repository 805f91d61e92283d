// Cache-aside copy of stored members in Redis (ciphertext only; PII stays encrypted there too).
#pragma once

#include <chrono>
#include <mutex>
#include <set>

#include "loyalty/domain/ports/member_cache.h"
#include "loyalty/redis/redis_client.h"

namespace loyalty {

// An invalidation Redis did not take (down, slow) is remembered and retried; until it is done
// this server neither reads nor fills the cache, so it never serves what it changed. Other
// servers may still read such an entry until its TTL (60 s) ends.
class RedisMemberCache final : public MemberCache {
 public:
  explicit RedisMemberCache(RedisClient& redis, std::chrono::seconds ttl = std::chrono::seconds(60))
      : redis_(redis), ttl_(ttl) {}
  std::optional<StoredMember> Get(const std::string& member_id) override;
  void Put(const StoredMember& member) override;
  void Invalidate(const std::string& member_id) override;

 private:
  // Retries the remembered invalidations; true when none is left.
  bool Flush();

  RedisClient& redis_;
  std::chrono::seconds ttl_;
  std::mutex mutex_;
  std::set<std::string> unflushed_;
};

// Serialisation, public for its unit test.
std::string EncodeStoredMember(const StoredMember& m);
std::optional<StoredMember> DecodeStoredMember(const std::string& json);

}  // namespace loyalty
