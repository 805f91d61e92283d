// Stores (id, name, IANA zone, currency): written by `loyalty admin add-store` and the demo seed.
#pragma once

#include <string>
#include <vector>

#include "loyalty/common/error.h"
#include "loyalty/domain/ports/store_directory.h"
#include "loyalty/mysql/mysql_pool.h"

namespace loyalty {

class MysqlStoreRepository final : public StoreDirectory {
 public:
  explicit MysqlStoreRepository(MysqlPool& pool) : pool_(pool) {}
  // Inserts or renames the store; idempotent.
  Status Upsert(const Store& store);
  Result<std::vector<Store>> List();
  Result<std::optional<Store>> Find(const std::string& store_id) override;

 private:
  MysqlPool& pool_;
};

}  // namespace loyalty
