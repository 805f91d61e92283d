// Port: one-time nonces of signed terminal requests, so a captured request cannot be replayed.
#pragma once

#include <chrono>
#include <string>

namespace loyalty {

class NonceStore {
 public:
  virtual ~NonceStore() = default;
  // True the first time `nonce` is seen within `ttl` (the signature's validity window); false
  // for a replay.
  virtual bool FirstUse(const std::string& nonce, std::chrono::seconds ttl) = 0;
};

}  // namespace loyalty
