// Program versions in MariaDB; the primary key on version makes concurrent saves conflict.
#include "loyalty/mysql/mysql_program_store.h"

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <memory>

#include "loyalty/json/program_json.h"
#include "loyalty/mysql/mysql_audit_log.h"
#include "loyalty/mysql/sql_values.h"

namespace loyalty {

Result<ProgramConfig> MysqlProgramStore::Current() {
  std::optional<std::string> document;
  int64_t version = 0;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(
        "SELECT version, config FROM program_versions ORDER BY version DESC LIMIT 1"));
    std::unique_ptr<sql::ResultSet> rs(s->executeQuery());
    if (rs->next()) {
      version = rs->getInt64(1);
      document = rs->getString(2);
    }
    return {};
  });
  if (!ran) return Fail(ran.error());
  if (!document) return DefaultProgram();
  const auto json = nlohmann::json::parse(*document, nullptr, false);
  auto program = ProgramFromJson(json);
  if (!program) {
    return Fail(Code::kInternal, "program_corrupt",
                "stored program version " + std::to_string(version) +
                    " cannot be read: " + program.error().message);
  }
  program->version = version;
  return program;
}

Result<ProgramConfig> MysqlProgramStore::Save(const ProgramConfig& program, const AuditEntry& audit) {
  ProgramConfig saved = program;
  saved.version = program.version + 1;
  auto ran = pool_.Transaction([&](sql::Connection& c) -> Status {
    {
      std::unique_ptr<sql::PreparedStatement> s(
          c.prepareStatement("SELECT COALESCE(MAX(version), 0) FROM program_versions FOR UPDATE"));
      std::unique_ptr<sql::ResultSet> rs(s->executeQuery());
      rs->next();
      if (rs->getInt64(1) != program.version) {
        Error e{Code::kAborted, "program_changed",
                "the program was changed meanwhile (now version " +
                    std::to_string(rs->getInt64(1)) + "); reload it and apply your change again",
                {}};
        return Fail(e.With("current_version", std::to_string(rs->getInt64(1))));
      }
    }
    try {
      std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(
          "INSERT INTO program_versions (version, config, created_at, created_by) VALUES (?,?,?,?)"));
      s->setInt64(1, saved.version);
      s->setString(2, ProgramToJson(saved).dump());
      s->setString(3, ToSqlTime(audit.at));
      s->setString(4, audit.actor_staff_id.substr(0, 24));
      s->execute();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != kErDupEntry) throw;
      return Fail(Code::kAborted, "program_changed",
                  "the program was changed meanwhile; reload it and apply your change again");
    }
    InsertAudit(c, audit);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return saved;
}

}  // namespace loyalty
