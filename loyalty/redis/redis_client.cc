// hiredis client with pooling and a failure breaker.
#include "loyalty/redis/redis_client.h"

#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include <regex>

namespace loyalty {

Result<RedisEndpoint> ParseRedisUrl(const std::string& url) {
  static const std::regex kUrl(R"(^redis://([^:/]+)(?::(\d{1,5}))?(?:/(\d{1,2}))?/?$)");
  std::smatch m;
  if (!std::regex_match(url, m, kUrl)) {
    return Fail(Code::kInvalidArgument, "invalid_redis_url",
                "LOYALTY_REDIS_URL must look like redis://127.0.0.1:6379");
  }
  RedisEndpoint e;
  e.host = m[1];
  if (m[2].matched) e.port = std::stoi(m[2]);
  if (m[3].matched) e.db = std::stoi(m[3]);
  return e;
}

void RedisClient::ContextFree::operator()(redisContext* c) const { redisFree(c); }

RedisClient::RedisClient(RedisEndpoint endpoint, RedisOptions options)
    : endpoint_(std::move(endpoint)), options_(options) {}

RedisClient::~RedisClient() = default;

RedisClient::Context RedisClient::Connect() {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(options_.timeout).count();
  const timeval tv{static_cast<time_t>(us / 1000000), static_cast<suseconds_t>(us % 1000000)};
  Context c(redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, tv));
  if (!c || c->err) return nullptr;
  if (redisSetTimeout(c.get(), tv) != REDIS_OK) return nullptr;
  if (endpoint_.db != 0) {
    auto* r = static_cast<redisReply*>(redisCommand(c.get(), "SELECT %d", endpoint_.db));
    const bool ok = r && r->type != REDIS_REPLY_ERROR;
    if (r) freeReplyObject(r);
    if (!ok) return nullptr;
  }
  return c;
}

std::optional<RedisReply> RedisClient::Command(const std::vector<std::string>& argv) {
  Context c;
  {
    std::lock_guard lock(mutex_);
    if (std::chrono::steady_clock::now() < open_until_) return std::nullopt;
    if (!idle_.empty()) {
      c = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!c) c = Connect();
  redisReply* reply = nullptr;
  if (c) {
    std::vector<const char*> args;
    std::vector<size_t> lengths;
    for (const auto& a : argv) {
      args.push_back(a.data());
      lengths.push_back(a.size());
    }
    reply = static_cast<redisReply*>(
        redisCommandArgv(c.get(), static_cast<int>(args.size()), args.data(), lengths.data()));
  }
  if (!reply) {
    // hiredis 0.14: a context is unusable after an error, so drop it and open the breaker.
    std::lock_guard lock(mutex_);
    open_until_ = std::chrono::steady_clock::now() + options_.retry_after;
    idle_.clear();
    spdlog::warn("redis unreachable at {}:{}; serving without it", endpoint_.host, endpoint_.port);
    return std::nullopt;
  }
  std::optional<RedisReply> result;
  if (reply->type != REDIS_REPLY_ERROR) {
    result = RedisReply{};
    if (reply->type == REDIS_REPLY_STRING || reply->type == REDIS_REPLY_STATUS) {
      result->text = std::string(reply->str, reply->len);
    }
    if (reply->type == REDIS_REPLY_INTEGER) result->integer = reply->integer;
  }
  freeReplyObject(reply);
  std::lock_guard lock(mutex_);
  if (idle_.size() < options_.max_idle) idle_.push_back(std::move(c));
  return result;
}

bool RedisClient::Ping() {
  auto r = Command({"PING"});
  return r && r->text == "PONG";
}

}  // namespace loyalty
