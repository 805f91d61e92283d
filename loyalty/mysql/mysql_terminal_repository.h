// Terminals in MariaDB: created by `loyalty admin add-terminal` and the demo seed. Signature
// checking (RFC 9421) that reads them comes with the POS adapter.
#pragma once

#include <string>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"
#include "loyalty/mysql/mysql_pool.h"

namespace loyalty {

struct TerminalRecord {
  std::string terminal_id;
  std::string store_id;
  std::string key_cipher;  // the HMAC key, encrypted with the PII protector
};

class MysqlTerminalRepository {
 public:
  explicit MysqlTerminalRepository(MysqlPool& pool) : pool_(pool) {}
  // kAlreadyExists (duplicate_terminal) if the id is taken; kNotFound (store_not_found) when
  // the store does not exist.
  Status Insert(const TerminalRecord& terminal, Instant at);

 private:
  MysqlPool& pool_;
};

}  // namespace loyalty
