// Replay protection for terminal signatures.
#include "loyalty/redis/redis_nonce_store.h"

namespace loyalty {

bool InMemoryNonceStore::FirstUse(const std::string& nonce, std::chrono::seconds ttl) {
  const Instant now = clock_.Now();
  std::lock_guard lock(mutex_);
  // Forget what has lapsed (oldest first), so memory holds only the current window's nonces.
  while (!lapse_order_.empty() && lapse_order_.begin()->first <= now) {
    seen_until_.erase(lapse_order_.begin()->second);
    lapse_order_.erase(lapse_order_.begin());
  }
  if (!seen_until_.emplace(nonce, now + ttl).second) return false;
  lapse_order_.emplace(now + ttl, nonce);
  return true;
}

bool RedisNonceStore::FirstUse(const std::string& nonce, std::chrono::seconds ttl) {
  // The local record is kept either way: a replay sent while Redis is down, or just after it
  // comes back, is still caught on this server.
  const bool local = fallback_.FirstUse(nonce, ttl);
  auto reply = redis_.Command(
      {"SET", redis_.Key("nonce:" + nonce), "1", "NX", "EX", std::to_string(ttl.count())});
  if (!reply) return local;
  return local && reply->text.has_value();  // nil: another server saw it first
}

}  // namespace loyalty
