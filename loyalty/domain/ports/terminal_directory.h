// Port: POS terminals and their signing keys (stored encrypted; see the MariaDB adapter).
#pragma once

#include <optional>
#include <string>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"

namespace loyalty {

struct TerminalRecord {
  std::string terminal_id;
  std::string store_id;
  std::string key_cipher;                          // the HMAC key, encrypted with the PII protector
  std::optional<std::string> previous_key_cipher;  // still accepted until previous_valid_until
  std::optional<Instant> previous_valid_until;
  bool active = true;
};

class TerminalDirectory {
 public:
  virtual ~TerminalDirectory() = default;
  virtual Result<std::optional<TerminalRecord>> Find(const std::string& terminal_id) = 0;
};

}  // namespace loyalty
