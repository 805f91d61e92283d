// Stores in MariaDB.
#include "loyalty/mysql/mysql_store_repository.h"

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <memory>

namespace loyalty {

Status MysqlStoreRepository::Upsert(const Store& store) {
  return pool_.Run([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(
        "INSERT INTO stores (store_id, name, time_zone, currency, created_at) "
        "VALUES (?,?,?,?,UTC_TIMESTAMP(6)) ON DUPLICATE KEY UPDATE name = VALUES(name), "
        "time_zone = VALUES(time_zone), currency = VALUES(currency)"));
    s->setString(1, store.store_id);
    s->setString(2, store.name);
    s->setString(3, store.time_zone);
    s->setString(4, store.currency);
    s->execute();
    return {};
  });
}

Result<std::vector<Store>> MysqlStoreRepository::List() {
  std::vector<Store> stores;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(
        "SELECT store_id, name, time_zone, currency FROM stores ORDER BY store_id"));
    std::unique_ptr<sql::ResultSet> rs(s->executeQuery());
    while (rs->next()) {
      stores.push_back(Store{rs->getString(1), rs->getString(2), rs->getString(3),
                             rs->getString(4)});
    }
    return {};
  });
  if (!ran) return Fail(ran.error());
  return stores;
}

Result<std::optional<Store>> MysqlStoreRepository::Find(const std::string& store_id) {
  std::optional<Store> out;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(
        "SELECT store_id, name, time_zone, currency FROM stores WHERE store_id = ?"));
    s->setString(1, store_id);
    std::unique_ptr<sql::ResultSet> rs(s->executeQuery());
    if (rs->next()) {
      out = Store{rs->getString(1), rs->getString(2), rs->getString(3), rs->getString(4)};
    }
    return {};
  });
  if (!ran) return Fail(ran.error());
  return out;
}

}  // namespace loyalty
