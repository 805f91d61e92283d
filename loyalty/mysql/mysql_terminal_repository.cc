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

Result<std::optional<TerminalRecord>> MysqlTerminalRepository::Find(const std::string& id) {
  std::optional<TerminalRecord> out;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(
        "SELECT terminal_id, store_id, key_cipher, previous_key_cipher, previous_valid_until, "
        "active FROM terminals WHERE terminal_id = ?"));
    s->setString(1, id);
    std::unique_ptr<sql::ResultSet> rs(s->executeQuery());
    if (!rs->next()) return {};
    TerminalRecord t;
    t.terminal_id = rs->getString("terminal_id");
    t.store_id = rs->getString("store_id");
    t.key_cipher = HexDecode(std::string(rs->getString("key_cipher"))).value_or("");
    if (auto previous = GetOptional(*rs, "previous_key_cipher")) {
      t.previous_key_cipher = HexDecode(*previous).value_or("");
    }
    t.previous_valid_until = GetOptionalTime(*rs, "previous_valid_until");
    t.active = rs->getBoolean("active");
    out = std::move(t);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return out;
}

Status MysqlTerminalRepository::Rotate(const std::string& terminal_id,
                                       const std::string& new_key_cipher,
                                       Instant previous_valid_until) {
  return pool_.Transaction([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(
        "UPDATE terminals SET previous_key_cipher = key_cipher, previous_valid_until = ?, "
        "key_cipher = ? WHERE terminal_id = ?"));
    s->setString(1, ToSqlTime(previous_valid_until));
    s->setString(2, HexEncode(new_key_cipher));
    s->setString(3, terminal_id);
    if (s->executeUpdate() == 0) {
      return Fail(Code::kNotFound, "terminal_not_found", "no terminal " + terminal_id);
    }
    return {};
  });
}

}  // namespace loyalty
