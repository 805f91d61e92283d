// Terminal rows.
#include "loyalty/mysql/mysql_terminal_repository.h"

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <memory>

#include "loyalty/common/hex.h"
#include "loyalty/mysql/sql_values.h"

namespace loyalty {

Status MysqlTerminalRepository::Insert(const TerminalRecord& t, Instant at) {
  return pool_.Transaction([&](sql::Connection& c) -> Status {
    {
      std::unique_ptr<sql::PreparedStatement> s(
          c.prepareStatement("SELECT 1 FROM stores WHERE store_id = ?"));
      s->setString(1, t.store_id);
      std::unique_ptr<sql::ResultSet> rs(s->executeQuery());
      if (!rs->next()) {
        return Fail(Code::kNotFound, "store_not_found",
                    "no store " + t.store_id + "; add it first with `loyalty admin add-store`");
      }
    }
    try {
      std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(
          "INSERT INTO terminals (terminal_id, store_id, key_cipher, created_at) VALUES (?,?,?,?)"));
      s->setString(1, t.terminal_id);
      s->setString(2, t.store_id);
      s->setString(3, HexEncode(t.key_cipher));
      s->setString(4, ToSqlTime(at));
      s->execute();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != kErDupEntry) throw;
      return Fail(Code::kAlreadyExists, "duplicate_terminal", "terminal " + t.terminal_id + " exists");
    }
    return {};
  });
}

}  // namespace loyalty
