// Terminals in MariaDB: created by `loyalty admin add-terminal` and the demo seed, read by the
// signature check of every POS request (RFC 9421), keys rotated with an overlap.
#pragma once

#include <optional>
#include <string>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"
#include "loyalty/domain/ports/terminal_directory.h"
#include "loyalty/mysql/mysql_pool.h"

namespace loyalty {

class MysqlTerminalRepository final : public TerminalDirectory {
 public:
  explicit MysqlTerminalRepository(MysqlPool& pool) : pool_(pool) {}
  // kAlreadyExists (duplicate_terminal) if the id is taken; kNotFound (store_not_found) when
  // the store does not exist.
  Status Insert(const TerminalRecord& terminal, Instant at);
  Result<std::optional<TerminalRecord>> Find(const std::string& terminal_id) override;
  // The current key becomes the previous one, accepted until `previous_valid_until`, and
  // `new_key_cipher` the current one. kNotFound (terminal_not_found).
  Status Rotate(const std::string& terminal_id, const std::string& new_key_cipher,
                Instant previous_valid_until);

 private:
  MysqlPool& pool_;
};

}  // namespace loyalty
