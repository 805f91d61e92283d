// Coupon definitions in MariaDB, stored as their JSON document.
#include "loyalty/mysql/mysql_coupon_definition_store.h"

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <memory>

#include "loyalty/json/coupon_json.h"
#include "loyalty/mysql/mysql_audit_log.h"
#include "loyalty/mysql/sql_values.h"

namespace loyalty {

Status MysqlCouponDefinitionStore::Create(const CouponDefinition& definition,
                                          const AuditEntry& audit) {
  return pool_.Transaction([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(
        "INSERT INTO coupon_definitions (definition_id, definition, created_at, created_by) "
        "VALUES (?,?,?,?)"));
    s->setString(1, definition.id);
    s->setString(2, CouponDefinitionToJson(definition).dump());
    s->setString(3, ToSqlTime(audit.at));
    s->setString(4, audit.actor_staff_id.substr(0, 24));
    s->execute();
    InsertAudit(c, audit);
    return {};
  });
}

Result<std::optional<CouponDefinition>> MysqlCouponDefinitionStore::Find(const std::string& id) {
  std::optional<std::string> document;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::PreparedStatement> s(
        c.prepareStatement("SELECT definition FROM coupon_definitions WHERE definition_id = ?"));
    s->setString(1, id);
    std::unique_ptr<sql::ResultSet> rs(s->executeQuery());
    if (rs->next()) document = rs->getString(1);
    return {};
  });
  if (!ran) return Fail(ran.error());
  if (!document) return std::optional<CouponDefinition>{};
  auto json = nlohmann::json::parse(*document, nullptr, false);
  json.erase("id");  // stored documents carry their id; the mapper refuses client-sent ids
  auto definition = CouponDefinitionFromJson(json);
  if (!definition) {
    return Fail(Code::kInternal, "coupon_definition_corrupt",
                "stored coupon definition " + id + " cannot be read: " + definition.error().message);
  }
  definition->id = id;
  return std::optional<CouponDefinition>(std::move(*definition));
}

}  // namespace loyalty
