// Helpers for the redis-labelled tests.
#include "tests/redis/redis_test_util.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "loyalty/crypto/openssl_crypto.h"
#include "tests/support/test_env.h"

namespace loyalty::redistest {
namespace {

bool Services(const std::string& args) {
  const std::string command =
      std::string(LOYALTY_SOURCE_DIR) + "/scripts/services " + args + " >/dev/null";
  return std::system(command.c_str()) == 0;
}

}  // namespace

RedisEndpoint TestRedis() {
  auto endpoint = ParseRedisUrl(testing::TestRedisUrl());
  if (!endpoint) throw std::runtime_error(endpoint.error().message);
  return *endpoint;
}

std::string UniqueId() { return "t" + OpenSslRandom().NewId(); }

RedisEndpoint Nowhere() { return {"127.0.0.1", testing::FreePort(), 0}; }

TempDir::TempDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "loyalty-redistest-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

PrivateRedis::PrivateRedis() : port_(testing::FreePort()) {}

PrivateRedis::~PrivateRedis() { Stop(); }

bool PrivateRedis::Start() {
  return Services("redis start " + dir_.path() + "/redis " + std::to_string(port_));
}

bool PrivateRedis::Stop() { return Services("redis stop " + dir_.path() + "/redis"); }

SilentListener::SilentListener() {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(fd_, 64) != 0 || getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error("cannot listen on a loopback port");
  }
  port_ = ntohs(addr.sin_port);
}

SilentListener::~SilentListener() {
  if (fd_ >= 0) close(fd_);
}

int SilentListener::DrainConnections() {
  fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) | O_NONBLOCK);
  int n = 0;
  for (int c; (c = accept(fd_, nullptr, nullptr)) >= 0; ++n) close(c);
  return n;
}

}  // namespace loyalty::redistest
