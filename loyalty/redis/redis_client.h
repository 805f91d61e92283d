// Small hiredis 0.14 client: a few connections, short timeouts, and a breaker so a dead Redis
// costs a request at most one timeout per second instead of one per call.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/common/error.h"

struct redisContext;

namespace loyalty {

// "redis://host:port" (optionally "/db"); invalid_redis_url otherwise.
struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  int db = 0;
};
Result<RedisEndpoint> ParseRedisUrl(const std::string& url);

struct RedisOptions {
  std::chrono::milliseconds timeout{200};      // connect and per command
  std::chrono::milliseconds retry_after{1000};  // breaker open time after a failure
  size_t max_idle = 8;
  // Prepended to every key, so deployments (or test databases) sharing a Redis never see each
  // other's counters and cache entries.
  std::string key_prefix = "loyalty:";
};

// A reply reduced to what the adapters use.
struct RedisReply {
  std::optional<std::string> text;  // string/status replies; nullopt for nil
  int64_t integer = 0;
};

class RedisClient {
 public:
  explicit RedisClient(RedisEndpoint endpoint, RedisOptions options = {});
  ~RedisClient();

  // Runs one command (argv form, binary safe). nullopt when Redis is unreachable or answered
  // with an error; callers treat that as "no cache" and carry on.
  std::optional<RedisReply> Command(const std::vector<std::string>& argv);
  bool Ping();
  // `name` inside this client's key namespace.
  std::string Key(const std::string& name) const { return options_.key_prefix + name; }

 private:
  struct ContextFree {
    void operator()(redisContext* c) const;
  };
  using Context = std::unique_ptr<redisContext, ContextFree>;
  Context Connect();

  RedisEndpoint endpoint_;
  RedisOptions options_;
  std::mutex mutex_;
  std::vector<Context> idle_;
  std::chrono::steady_clock::time_point open_until_{};
};

}  // namespace loyalty
