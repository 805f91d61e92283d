// Helpers for the db-labelled tests.
#include "tests/db/db_test_util.h"

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <date/date.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <stdexcept>

#include "loyalty/common/hex.h"
#include "loyalty/crypto/openssl_crypto.h"

namespace loyalty::dbtest {
namespace {

// Owns the shared database so it is dropped before main() returns (static destructors would
// run after the MariaDB driver's own statics are gone).
class SharedDatabaseEnvironment final : public ::testing::Environment {
 public:
  void TearDown() override {
    std::lock_guard lock(mutex);
    db.reset();
  }
  std::mutex mutex;
  std::unique_ptr<testing::FreshDatabase> db;
};

SharedDatabaseEnvironment* const g_environment = static_cast<SharedDatabaseEnvironment*>(
    ::testing::AddGlobalTestEnvironment(new SharedDatabaseEnvironment));

std::unique_ptr<sql::PreparedStatement> Prepare(sql::Connection& c, const std::string& sql,
                                                const std::vector<std::string>& args) {
  std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(sql));
  for (size_t i = 0; i < args.size(); ++i) s->setString(static_cast<int>(i + 1), args[i]);
  return s;
}

}  // namespace

testing::FreshDatabase& Db() {
  std::lock_guard lock(g_environment->mutex);
  if (!g_environment->db) g_environment->db = std::make_unique<testing::FreshDatabase>();
  return *g_environment->db;
}

int64_t QueryInt(MysqlPool& pool, const std::string& sql, const std::vector<std::string>& args) {
  int64_t value = -1;
  auto ran = pool.Run([&](sql::Connection& c) -> Status {
    auto s = Prepare(c, sql, args);
    std::unique_ptr<sql::ResultSet> rs(s->executeQuery());
    if (rs->next()) value = rs->getInt64(1);
    while (rs->next()) {
    }
    return {};
  });
  EXPECT_TRUE(ran.has_value()) << sql << ": " << (ran ? "" : ran.error().message);
  return value;
}

std::optional<std::string> QueryString(MysqlPool& pool, const std::string& sql,
                                       const std::vector<std::string>& args) {
  std::optional<std::string> value;
  auto ran = pool.Run([&](sql::Connection& c) -> Status {
    auto s = Prepare(c, sql, args);
    std::unique_ptr<sql::ResultSet> rs(s->executeQuery());
    if (rs->next() && !rs->isNull(1)) value = std::string(rs->getString(1));
    while (rs->next()) {
    }
    return {};
  });
  EXPECT_TRUE(ran.has_value()) << sql << ": " << (ran ? "" : ran.error().message);
  return value;
}

void Exec(MysqlPool& pool, const std::string& sql, const std::vector<std::string>& args) {
  auto ran = pool.Run([&](sql::Connection& c) -> Status {
    Prepare(c, sql, args)->execute();
    return {};
  });
  ASSERT_TRUE(ran.has_value()) << sql << ": " << ran.error().message;
}

MysqlEndpoint TestServerEndpoint() {
  std::string server = testing::TestMysqlServerUrl();
  while (!server.empty() && server.back() == '/') server.pop_back();
  auto endpoint = ParseMysqlUrl(server);
  if (!endpoint) throw std::runtime_error(endpoint.error().message);
  return *endpoint;
}

ScratchDatabase::ScratchDatabase() {
  name_ = "t_" + NewId();
  MysqlEndpoint endpoint = TestServerEndpoint();
  admin_ = std::make_unique<MysqlPool>(endpoint);
  auto created = admin_->Run([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::Statement> s(c.createStatement());
    s->execute("CREATE DATABASE " + name_ + " CHARACTER SET utf8mb4");
    return {};
  });
  if (!created)
    throw std::runtime_error("cannot create scratch database: " + created.error().message);
  endpoint.database = name_;
  pool_ = std::make_unique<MysqlPool>(endpoint);
}

ScratchDatabase::~ScratchDatabase() {
  pool_.reset();
  (void)admin_->Run([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::Statement> s(c.createStatement());
    s->execute("DROP DATABASE IF EXISTS " + name_);
    return {};
  });
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "loyalty-dbtest-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

bool Services(const std::string& args) {
  const std::string command =
      std::string(LOYALTY_SOURCE_DIR) + "/scripts/services " + args + " >/dev/null";
  return std::system(command.c_str()) == 0;
}

std::string RandomBytes(size_t n) {
  const auto bytes = OpenSslRandom().Bytes(n);
  return std::string(bytes.begin(), bytes.end());
}

std::string NewId() { return OpenSslRandom().NewId(); }

std::string RandomDigits(size_t n) {
  std::string out;
  for (uint8_t b : OpenSslRandom().Bytes(n)) out += static_cast<char>('0' + b % 10);
  if (!out.empty() && out[0] == '0') out[0] = '1';
  return out;
}

Instant SampleTime() {
  using namespace std::chrono;
  return Instant(date::sys_days(date::year{2026} / 3 / 1) + hours(2) + microseconds(123456));
}

StoredMember SampleMember(Instant at) {
  StoredMember m;
  Member& p = m.profile;
  p.member_id = NewId();
  p.card_no = RandomDigits(16);
  // Ciphertexts start with a NUL byte on purpose: binary values must survive the round trip.
  m.phone_cipher = std::string(1, '\0') + RandomBytes(40);
  m.phone_index = RandomBytes(32);
  m.email_cipher = std::string(1, '\0') + RandomBytes(48);
  m.email_index = RandomBytes(32);
  m.name_cipher = RandomBytes(30);
  m.birthday_cipher = RandomBytes(38);
  p.home_store_id = "S-" + NewId().substr(0, 8);
  p.consents.sms = true;
  p.consents.email = false;
  p.consents.wechat = true;
  p.tier = "base";
  p.status = MemberStatus::kActive;
  p.created_at = at;
  p.updated_at = at;
  p.version = 1;
  return m;
}

AuditEntry SampleAudit(const std::string& target_id, Instant at,
                       std::optional<std::string> store_id, std::string action) {
  AuditEntry e;
  e.audit_id = NewId();
  e.at = at;
  e.actor_staff_id = "staff-" + NewId().substr(0, 8);
  e.actor_role = "cashier";
  e.store_id = std::move(store_id);
  e.action = std::move(action);
  e.target_type = "member";
  e.target_id = target_id;
  e.detail_json = "{\"fields\":[\"name\"]}";
  e.request_id = "req-" + NewId();
  return e;
}

}  // namespace loyalty::dbtest
