// Port: cryptographically strong randomness (ids, card numbers, tokens). Adapter: crypto/.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace loyalty {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // n unpredictable bytes; aborts the process if the system cannot provide them.
  virtual std::vector<uint8_t> Bytes(size_t n) = 0;
  // A new non-sequential id: 24 lower-case hex characters (96 bits).
  std::string NewId();
};

}  // namespace loyalty
