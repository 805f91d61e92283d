// Migration runner.
#include "loyalty/mysql/migrator.h"

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include <map>
#include <memory>
#include <sstream>

#include "loyalty/crypto/openssl_crypto.h"

namespace loyalty {

std::vector<std::string> SplitSqlStatements(const std::string& sql) {
  std::vector<std::string> statements;
  std::string current, line;
  std::istringstream in(sql);
  while (std::getline(in, line)) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line.compare(first, 2, "--") == 0) continue;
    current += line + "\n";
    const auto last = line.find_last_not_of(" \t\r");
    if (line[last] == ';') {
      current.erase(current.find_last_of(';'));
      statements.push_back(current);
      current.clear();
    }
  }
  if (current.find_first_not_of(" \t\r\n") != std::string::npos) statements.push_back(current);
  return statements;
}

Result<MigrationReport> Migrate(MysqlPool& pool,
                                const std::vector<EmbeddedMigration>& migrations) {
  MigrationReport report;
  std::map<std::string, std::string> recorded;  // file name -> checksum
  auto read = pool.Run([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::Statement> s(c.createStatement());
    s->execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " file_name VARCHAR(128) NOT NULL PRIMARY KEY,"
        " checksum CHAR(64) NOT NULL,"
        " applied_at DATETIME(6) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
    std::unique_ptr<sql::ResultSet> rs(s->executeQuery("SELECT file_name, checksum FROM schema_migrations"));
    while (rs->next()) recorded[rs->getString(1)] = rs->getString(2);
    return {};
  });
  if (!read) return Fail(read.error());

  for (const auto& [name, checksum] : recorded) {
    auto it = std::find_if(migrations.begin(), migrations.end(),
                           [&](const EmbeddedMigration& m) { return m.file_name == name; });
    if (it == migrations.end()) {
      return Fail(Code::kFailedPrecondition, "database_newer",
                  "the database has migration " + name +
                      " which this binary does not know; run a newer loyalty binary");
    }
    if (Sha256Hex(it->sql) != checksum) {
      return Fail(Code::kFailedPrecondition, "migration_edited",
                  "migration " + name +
                      " was edited after it was applied; restore it and add a new migration "
                      "file instead");
    }
  }
  for (const auto& m : migrations) {
    if (recorded.count(m.file_name)) {
      ++report.already_applied;
      continue;
    }
    auto applied = pool.Run([&](sql::Connection& c) -> Status {
      std::unique_ptr<sql::Statement> s(c.createStatement());
      // DDL commits implicitly in MariaDB, so a migration is not atomic: keep each file small.
      for (const auto& statement : SplitSqlStatements(m.sql)) s->execute(statement);
      std::unique_ptr<sql::PreparedStatement> record(c.prepareStatement(
          "INSERT INTO schema_migrations (file_name, checksum, applied_at) "
          "VALUES (?, ?, UTC_TIMESTAMP(6))"));
      record->setString(1, m.file_name);
      record->setString(2, Sha256Hex(m.sql));
      record->execute();
      return {};
    });
    if (!applied) {
      Error e = applied.error();
      e.message = "migration " + m.file_name + " failed: " + e.message;
      return Fail(std::move(e));
    }
    report.applied.push_back(m.file_name);
  }
  return report;
}

}  // namespace loyalty
