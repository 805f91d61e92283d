// Stores (id, name, IANA zone, currency): written by `loyalty admin add-store` and the demo seed.
#pragma once

#include <string>
#include <vector>

#include "loyalty/common/error.h"
#include "loyalty/mysql/mysql_pool.h"

namespace loyalty {

struct Store {
  std::string store_id;
  std::string name;
  std::string time_zone = "Asia/Shanghai";
  std::string currency = "CNY";
};

class MysqlStoreRepository {
 public:
  explicit MysqlStoreRepository(MysqlPool& pool) : pool_(pool) {}
  // Inserts or renames the store; idempotent.
  Status Upsert(const Store& store);
  Result<std::vector<Store>> List();

 private:
  MysqlPool& pool_;
};

}  // namespace loyalty
