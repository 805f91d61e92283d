// Integration-test environment.
#include "tests/support/test_env.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cppconn/connection.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>

#include "loyalty/common/hex.h"
#include "loyalty/crypto/openssl_crypto.h"
#include "loyalty/mysql/migrator.h"

namespace loyalty::testing {
namespace {

std::string RequiredEnv(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') {
    throw std::runtime_error(std::string(name) +
                             " is not set: run integration tests through scripts/test");
  }
  return v;
}

}  // namespace

std::string TestMysqlServerUrl() { return RequiredEnv("LOYALTY_TEST_MYSQL_URL"); }
std::string TestRedisUrl() { return RequiredEnv("LOYALTY_TEST_REDIS_URL"); }

FreshDatabase::FreshDatabase() {
  OpenSslRandom random;
  name_ = "t_" + random.NewId();
  std::string server = TestMysqlServerUrl();
  while (!server.empty() && server.back() == '/') server.pop_back();
  auto endpoint = ParseMysqlUrl(server);
  if (!endpoint) throw std::runtime_error(endpoint.error().message);
  MysqlPool admin(*endpoint);
  auto created = admin.Run([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::Statement> s(c.createStatement());
    s->execute("CREATE DATABASE " + name_ + " CHARACTER SET utf8mb4");
    return {};
  });
  if (!created) throw std::runtime_error("cannot create test database: " + created.error().message);
  url_ = server + "/" + name_;
  endpoint->database = name_;
  MysqlPoolOptions options;
  options.size = 40;  // concurrency tests run 32 threads
  pool_ = std::make_unique<MysqlPool>(*endpoint, options);
  auto migrated = Migrate(*pool_, EmbeddedMigrations());
  if (!migrated) throw std::runtime_error("migrations failed: " + migrated.error().message);
}

FreshDatabase::~FreshDatabase() {
  (void)pool_->Run([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::Statement> s(c.createStatement());
    s->execute("DROP DATABASE IF EXISTS " + name_);
    return {};
  });
}

void FreshDatabase::Execute(const std::string& statement) {
  auto ran = pool_->Run([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::Statement> s(c.createStatement());
    s->execute(statement);
    return {};
  });
  if (!ran) throw std::runtime_error(ran.error().message);
}

int FreePort() {
  // Bind port 0 and read back what the kernel chose; the socket closes before the caller binds,
  // which is racy in principle but fine on a test machine.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error("cannot find a free port");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

std::string RandomMasterKey() { return HexEncode(OpenSslRandom().Bytes(32)); }

}  // namespace loyalty::testing
