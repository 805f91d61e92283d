// RedisRateLimiter against real Redis: the login throttle counts failures per key across servers,
// and keeps throttling on its own when Redis is down or hangs.
#include "loyalty/redis/redis_rate_limiter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "loyalty/redis/redis_client.h"
#include "tests/redis/redis_test_util.h"

namespace loyalty {
namespace {

using redistest::TestRedis;
using redistest::UniqueId;
using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

constexpr int kWindowSeconds = 15 * 60;

class RedisRateLimiterTest : public ::testing::Test {
 protected:
  void TearDown() override { limiter_.Reset(key_); }

  RedisClient redis_{TestRedis()};
  SystemClock clock_;
  RedisRateLimiter limiter_{redis_, clock_};
  const std::string key_ = "login:" + UniqueId();
};

TEST_F(RedisRateLimiterTest, FiveFailuresAreAllowedAndTheSixthAttemptMustWait) {
  for (int attempt = 1; attempt <= 5; ++attempt) {
    EXPECT_EQ(limiter_.RetryAfterSeconds(key_), 0) << "attempt " << attempt << " may try";
    limiter_.RecordFailure(key_);
  }

  const int retry_after = limiter_.RetryAfterSeconds(key_);
  EXPECT_GT(retry_after, 0);
  EXPECT_LE(retry_after, kWindowSeconds);
  // Counted in Redis, under the limiter's key, with the window as its lifetime.
  auto count = redis_.Command({"GET", "loyalty:ratelimit:" + key_});
  ASSERT_TRUE(count.has_value());
  EXPECT_EQ(count->text, "5");
  auto ttl = redis_.Command({"TTL", "loyalty:ratelimit:" + key_});
  ASSERT_TRUE(ttl.has_value());
  EXPECT_GT(ttl->integer, 0);
  EXPECT_LE(ttl->integer, kWindowSeconds);
}

TEST_F(RedisRateLimiterTest, OtherKeysAreNotThrottled) {
  for (int i = 0; i < 6; ++i) limiter_.RecordFailure(key_);
  const std::string other = "login:" + UniqueId();
  EXPECT_GT(limiter_.RetryAfterSeconds(key_), 0);
  EXPECT_EQ(limiter_.RetryAfterSeconds(other), 0);
}

TEST_F(RedisRateLimiterTest, ResetClearsTheCount) {
  for (int i = 0; i < 5; ++i) limiter_.RecordFailure(key_);
  ASSERT_GT(limiter_.RetryAfterSeconds(key_), 0);

  limiter_.Reset(key_);

  EXPECT_EQ(limiter_.RetryAfterSeconds(key_), 0);
  auto exists = redis_.Command({"EXISTS", "loyalty:ratelimit:" + key_});
  ASSERT_TRUE(exists.has_value());
  EXPECT_EQ(exists->integer, 0);
  // Counting starts again from zero: four more failures still leave the door open.
  for (int i = 0; i < 4; ++i) limiter_.RecordFailure(key_);
  EXPECT_EQ(limiter_.RetryAfterSeconds(key_), 0);
}

TEST_F(RedisRateLimiterTest, TheCountIsSharedByEveryServer) {
  // A second API server: its own client and limiter (and in-process fallback), same Redis.
  RedisClient other_redis(TestRedis());
  RedisRateLimiter other_server(other_redis, clock_);

  for (int i = 0; i < 3; ++i) limiter_.RecordFailure(key_);
  for (int i = 0; i < 2; ++i) other_server.RecordFailure(key_);

  // Neither server saw five failures itself, but together they did.
  EXPECT_GT(other_server.RetryAfterSeconds(key_), 0);
  EXPECT_GT(limiter_.RetryAfterSeconds(key_), 0);

  // A successful login on one server clears the throttle on the other as well.
  other_server.Reset(key_);
  EXPECT_EQ(limiter_.RetryAfterSeconds(key_), 0);
}

TEST_F(RedisRateLimiterTest, TheWindowEnds) {
  RateLimitOptions options;
  options.window = seconds(1);
  RedisRateLimiter short_window(redis_, clock_, options);
  for (int i = 0; i < 5; ++i) short_window.RecordFailure(key_);
  const int during = short_window.RetryAfterSeconds(key_);
  EXPECT_GT(during, 0);
  EXPECT_LE(during, 1);

  // Poll (not a timing assertion): the key expires after about a second.
  int after = during;
  for (const auto deadline = steady_clock::now() + seconds(10);
       after != 0 && steady_clock::now() < deadline;) {
    std::this_thread::sleep_for(milliseconds(100));
    after = short_window.RetryAfterSeconds(key_);
  }
  EXPECT_EQ(after, 0);
}

TEST(RedisRateLimiterOutage, AnUnreachableRedisStillThrottlesOnThisServerPromptly) {
  RedisClient redis(redistest::Nowhere());
  SystemClock clock;
  RedisRateLimiter limiter(redis, clock);
  const std::string key = "login:" + UniqueId();

  const auto start = steady_clock::now();
  for (int attempt = 1; attempt <= 5; ++attempt) {
    EXPECT_EQ(limiter.RetryAfterSeconds(key), 0) << "attempt " << attempt;
    limiter.RecordFailure(key);
  }
  const int retry_after = limiter.RetryAfterSeconds(key);
  limiter.Reset(key);
  const int after_reset = limiter.RetryAfterSeconds(key);
  const auto elapsed = steady_clock::now() - start;

  EXPECT_GT(retry_after, 0);
  EXPECT_LE(retry_after, kWindowSeconds);
  EXPECT_EQ(after_reset, 0);
  EXPECT_LT(elapsed, seconds(3));  // hang bound for the whole sequence
}

TEST(RedisRateLimiterOutage, AHungRedisStillThrottlesAndCostsAtMostATimeoutPerSecond) {
  redistest::SilentListener hung;
  RedisOptions options;
  options.timeout = milliseconds(200);
  options.retry_after = milliseconds(1000);
  RedisClient redis(hung.endpoint(), options);
  SystemClock clock;
  RedisRateLimiter limiter(redis, clock);
  const std::string key = "login:" + UniqueId();

  const auto start = steady_clock::now();
  for (int attempt = 1; attempt <= 5; ++attempt) {
    EXPECT_EQ(limiter.RetryAfterSeconds(key), 0) << "attempt " << attempt;
    limiter.RecordFailure(key);
  }
  const int retry_after = limiter.RetryAfterSeconds(key);
  const auto elapsed = steady_clock::now() - start;

  EXPECT_GT(retry_after, 0);
  EXPECT_LE(retry_after, kWindowSeconds);
  // Eleven Redis calls; without the breaker each would wait 200 ms. Hang bound, not speed.
  EXPECT_LT(elapsed, seconds(3));
}

TEST(RedisRateLimiterOutage, FailuresBeforeAnOutageStillCountDuringIt) {
  redistest::PrivateRedis server;
  ASSERT_TRUE(server.Start()) << "scripts/services could not start a private Redis";
  RedisOptions options;
  options.retry_after = milliseconds(100);
  RedisClient redis(server.endpoint(), options);
  SystemClock clock;
  RedisRateLimiter limiter(redis, clock);
  const std::string key = "login:" + UniqueId();
  for (int i = 0; i < 3; ++i) limiter.RecordFailure(key);
  ASSERT_TRUE(redis.Ping()) << "the first failures went to Redis";

  ASSERT_TRUE(server.Stop());
  EXPECT_EQ(limiter.RetryAfterSeconds(key), 0);  // three failures: still allowed
  for (int i = 0; i < 2; ++i) limiter.RecordFailure(key);

  EXPECT_GT(limiter.RetryAfterSeconds(key), 0);
}

}  // namespace
}  // namespace loyalty
