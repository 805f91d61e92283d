// Forward-only schema migrations, embedded in the binary from sql/migrations/ and checksummed.
#pragma once

#include <string>
#include <vector>

#include "loyalty/common/error.h"
#include "loyalty/mysql/mysql_pool.h"

namespace loyalty {

struct EmbeddedMigration {
  std::string file_name;  // "0001_foundation.sql"
  std::string sql;
};
const std::vector<EmbeddedMigration>& EmbeddedMigrations();

struct MigrationReport {
  std::vector<std::string> applied;  // file names applied by this run
  size_t already_applied = 0;
};

// Applies the migrations not yet recorded in schema_migrations, in file order. Refuses
// (failed_precondition, migration_edited) when a recorded file's SHA-256 differs from the one
// in this binary, and (database_newer) when the database has a migration this binary lacks.
Result<MigrationReport> Migrate(MysqlPool& pool,
                                const std::vector<EmbeddedMigration>& migrations);

// Splits a migration into statements at ';' that ends a line; '--' comment lines are dropped.
std::vector<std::string> SplitSqlStatements(const std::string& sql);

}  // namespace loyalty
