// Migrate() against MariaDB (idempotence, refusing edited and unknown migrations, failed files)
// and the statement splitter it uses.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "loyalty/crypto/openssl_crypto.h"
#include "loyalty/mysql/migrator.h"
#include "tests/db/db_test_util.h"

namespace loyalty {
namespace {

using dbtest::QueryInt;
using dbtest::ScratchDatabase;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> FileNames(const std::vector<EmbeddedMigration>& migrations) {
  std::vector<std::string> names;
  for (const auto& m : migrations) names.push_back(m.file_name);
  return names;
}

int64_t TableCount(MysqlPool& pool, const std::string& db, const std::string& table) {
  return QueryInt(pool,
                  "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ? AND "
                  "table_name = ?",
                  {db, table});
}

TEST(Migrate, EmbeddedMigrationsAreInFileOrder) {
  const auto names = FileNames(EmbeddedMigrations());
  ASSERT_FALSE(names.empty());
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(names.front(), "0001_foundation.sql");
}

TEST(Migrate, AnEmptyDatabaseGetsEveryMigrationAndASecondRunAppliesNothing) {
  ScratchDatabase db;
  const auto& migrations = EmbeddedMigrations();

  auto first = Migrate(db.pool(), migrations);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ(first->applied, FileNames(migrations));
  EXPECT_EQ(first->already_applied, 0u);
  EXPECT_EQ(TableCount(db.pool(), db.name(), "members"), 1);
  EXPECT_EQ(QueryInt(db.pool(), "SELECT COUNT(*) FROM schema_migrations"),
            static_cast<int64_t>(migrations.size()));
  EXPECT_EQ(QueryInt(db.pool(), "SELECT COUNT(*) FROM schema_migrations WHERE checksum = ?",
                     {Sha256Hex(migrations.front().sql)}),
            1);

  auto second = Migrate(db.pool(), migrations);
  ASSERT_TRUE(second.has_value()) << second.error().message;
  EXPECT_TRUE(second->applied.empty());
  EXPECT_EQ(second->already_applied, migrations.size());
  EXPECT_EQ(QueryInt(db.pool(), "SELECT COUNT(*) FROM schema_migrations"),
            static_cast<int64_t>(migrations.size()));
}

TEST(Migrate, TheFreshTestDatabaseIsFullyMigrated) {
  auto again = Migrate(dbtest::Db().pool(), EmbeddedMigrations());
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_TRUE(again->applied.empty());
  EXPECT_EQ(again->already_applied, EmbeddedMigrations().size());
}

TEST(Migrate, ANewFileIsAppliedAloneAfterTheOthers) {
  ScratchDatabase db;
  ASSERT_TRUE(Migrate(db.pool(), EmbeddedMigrations()).has_value());
  auto extended = EmbeddedMigrations();
  extended.push_back({"9990_test_extra.sql",
                      "-- a later release adds a table\n"
                      "CREATE TABLE extra_t (\n"
                      "  id INT NOT NULL PRIMARY KEY\n"
                      ");\n"
                      "INSERT INTO extra_t VALUES (1), (2);\n"});

  auto report = Migrate(db.pool(), extended);

  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_THAT(report->applied, ElementsAre("9990_test_extra.sql"));
  EXPECT_EQ(report->already_applied, EmbeddedMigrations().size());
  EXPECT_EQ(QueryInt(db.pool(), "SELECT COUNT(*) FROM extra_t"), 2);
}

TEST(Migrate, AnEditedMigrationIsRefusedAndNothingIsApplied) {
  ScratchDatabase db;
  ASSERT_TRUE(Migrate(db.pool(), EmbeddedMigrations()).has_value());
  auto edited = EmbeddedMigrations();
  edited.front().sql += "\nALTER TABLE members ADD COLUMN sneaky INT NULL;\n";
  edited.push_back({"9991_after_edit.sql", "CREATE TABLE after_edit (id INT PRIMARY KEY);\n"});

  auto report = Migrate(db.pool(), edited);

  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(report.error().slug, "migration_edited");
  EXPECT_THAT(report.error().message, HasSubstr(edited.front().file_name));
  EXPECT_EQ(TableCount(db.pool(), db.name(), "after_edit"), 0);
  EXPECT_EQ(QueryInt(db.pool(),
                     "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = ? AND "
                     "table_name = 'members' AND column_name = 'sneaky'",
                     {db.name()}),
            0);
}

TEST(Migrate, ADatabaseWithAMigrationThisBinaryLacksIsRefused) {
  ScratchDatabase db;
  ASSERT_TRUE(Migrate(db.pool(), EmbeddedMigrations()).has_value());
  // A newer release migrated this database already.
  dbtest::Exec(db.pool(),
               "INSERT INTO schema_migrations (file_name, checksum, applied_at) "
               "VALUES ('9999_from_the_future.sql', ?, UTC_TIMESTAMP(6))",
               {Sha256Hex("CREATE TABLE future (id INT);")});

  auto report = Migrate(db.pool(), EmbeddedMigrations());

  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(report.error().slug, "database_newer");
  EXPECT_THAT(report.error().message, HasSubstr("9999_from_the_future.sql"));
}

TEST(Migrate, AFailingFileIsNamedAndNotRecordedSoAFixedOneCanRun) {
  ScratchDatabase db;
  auto migrations = EmbeddedMigrations();
  migrations.push_back({"9992_broken.sql", "CREATE TABLE broken (id INT PRIMARY KEY,);\n"});

  auto report = Migrate(db.pool(), migrations);

  ASSERT_FALSE(report.has_value());
  EXPECT_THAT(report.error().message, HasSubstr("9992_broken.sql"));
  EXPECT_EQ(QueryInt(db.pool(), "SELECT COUNT(*) FROM schema_migrations WHERE file_name = ?",
                     {"9992_broken.sql"}),
            0);
  // The files before it were applied and recorded.
  EXPECT_EQ(QueryInt(db.pool(), "SELECT COUNT(*) FROM schema_migrations"),
            static_cast<int64_t>(EmbeddedMigrations().size()));

  migrations.back().sql = "CREATE TABLE broken (id INT PRIMARY KEY);\n";
  auto fixed = Migrate(db.pool(), migrations);
  ASSERT_TRUE(fixed.has_value()) << fixed.error().message;
  EXPECT_THAT(fixed->applied, ElementsAre("9992_broken.sql"));
}

TEST(Migrate, UnreachableDatabaseIsUnavailable) {
  MysqlEndpoint nowhere = dbtest::TestServerEndpoint();
  nowhere.port = testing::FreePort();
  MysqlPool pool(nowhere);
  auto report = Migrate(pool, EmbeddedMigrations());
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code, Code::kUnavailable);
}

// --- SplitSqlStatements --------------------------------------------------------------------

std::string Trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

std::vector<std::string> Split(const std::string& sql) {
  std::vector<std::string> out;
  for (const auto& s : SplitSqlStatements(sql)) out.push_back(Trim(s));
  return out;
}

TEST(SplitSqlStatements, DropsCommentLinesAndKeepsMultiLineStatementsWhole) {
  const std::string sql =
      "-- Header comment; with a semicolon;\n"
      "\n"
      "CREATE TABLE a (\n"
      "  -- a comment inside the statement;\n"
      "  id INT NOT NULL,\n"
      "  name VARCHAR(10)\n"
      ");\n"
      "   -- indented comment\n"
      "INSERT INTO a VALUES (1, 'x');\n";
  EXPECT_THAT(Split(sql), ElementsAre("CREATE TABLE a (\n  id INT NOT NULL,\n  name VARCHAR(10)\n)",
                                      "INSERT INTO a VALUES (1, 'x')"));
}

TEST(SplitSqlStatements, KeepsATrailingStatementWithoutSemicolon) {
  EXPECT_THAT(Split("SELECT 1;\nSELECT 2"), ElementsAre("SELECT 1", "SELECT 2"));
  EXPECT_THAT(Split("SELECT 1;\nSELECT\n  2\n\n"), ElementsAre("SELECT 1", "SELECT\n  2"));
}

TEST(SplitSqlStatements, SplitsOnlyAtASemicolonThatEndsALine) {
  EXPECT_THAT(Split("INSERT INTO t VALUES ('a;b');\nINSERT INTO t VALUES ('c');"),
              ElementsAre("INSERT INTO t VALUES ('a;b')", "INSERT INTO t VALUES ('c')"));
  // Trailing blanks and Windows line ends after the ';' still end the statement.
  EXPECT_THAT(Split("SELECT 1;   \r\nSELECT 2;\t\r\n"), ElementsAre("SELECT 1", "SELECT 2"));
}

TEST(SplitSqlStatements, CommentsAndBlankLinesAloneGiveNoStatements) {
  EXPECT_TRUE(SplitSqlStatements("").empty());
  EXPECT_TRUE(SplitSqlStatements("-- only a comment\n\n   \n-- another;\n").empty());
}

TEST(SplitSqlStatements, EveryEmbeddedMigrationSplitsIntoNonEmptyStatements) {
  for (const auto& m : EmbeddedMigrations()) {
    const auto statements = SplitSqlStatements(m.sql);
    EXPECT_FALSE(statements.empty()) << m.file_name;
    for (const auto& s : statements) {
      EXPECT_FALSE(Trim(s).empty()) << m.file_name;
      EXPECT_NE(Trim(s).back(), ';') << m.file_name << ": " << s;
    }
  }
}

}  // namespace
}  // namespace loyalty
