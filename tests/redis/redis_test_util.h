// Helpers for the redis-labelled tests: the test Redis, unique keys, a private Redis for outage
// tests, and a port that accepts connections but never answers (a hung Redis).
#pragma once

#include <string>

#include "loyalty/redis/redis_client.h"

namespace loyalty::redistest {

// The Redis named by LOYALTY_TEST_REDIS_URL.
RedisEndpoint TestRedis();
// A key part no other test run uses ("t<24 hex>"), so reruns and parallel runs never collide.
std::string UniqueId();
// A RedisEndpoint on 127.0.0.1 where nothing listens.
RedisEndpoint Nowhere();

// A temporary directory (mkdtemp), removed with its contents in the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A redis-server of our own in a temporary directory, stopped in the destructor.
class PrivateRedis {
 public:
  PrivateRedis();  // picks a free port; does not start
  ~PrivateRedis();
  bool Start();
  bool Stop();
  RedisEndpoint endpoint() const { return {"127.0.0.1", port_, 0}; }

 private:
  TempDir dir_;
  int port_;
};

// Listens on a free loopback port and never accepts: TCP connects succeed (the kernel queues
// them) but no command is ever answered, like a Redis that hangs.
class SilentListener {
 public:
  SilentListener();
  ~SilentListener();
  RedisEndpoint endpoint() const { return {"127.0.0.1", port_, 0}; }
  // Accepts (and closes) every connection queued so far; returns how many there were.
  int DrainConnections();

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace loyalty::redistest
