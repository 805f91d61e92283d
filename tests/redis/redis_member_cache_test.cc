// RedisMemberCache and RedisClient against real Redis: round trip, invalidation, expiry, and what
// happens when Redis is unreachable, hangs, or comes back (the breaker).
#include "loyalty/redis/redis_member_cache.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "loyalty/common/hex.h"
#include "loyalty/crypto/openssl_crypto.h"
#include "loyalty/redis/redis_client.h"
#include "tests/redis/redis_test_util.h"

namespace loyalty {
namespace {

using redistest::TestRedis;
using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

std::string Bytes(size_t n) {
  const auto b = OpenSslRandom().Bytes(n);
  return std::string(b.begin(), b.end());
}

StoredMember SampleMember() {
  StoredMember m;
  Member& p = m.profile;
  p.member_id = OpenSslRandom().NewId();
  p.card_no = "8123456789012345";
  m.phone_cipher = std::string(1, '\0') + Bytes(40);  // binary ciphertext, NUL included
  m.phone_index = Bytes(32);
  m.email_cipher = Bytes(50);
  m.email_index = Bytes(32);
  m.name_cipher = Bytes(30);
  m.birthday_cipher = Bytes(38);
  p.home_store_id = "sh-001";
  p.consents.sms = true;
  p.consents.wechat = true;
  p.tier = "gold";
  p.created_at = Instant(std::chrono::microseconds(1772330400123456));
  p.updated_at = p.created_at + seconds(90);
  p.version = 7;
  return m;
}

void ExpectSameMember(const StoredMember& a, const StoredMember& e) {
  EXPECT_EQ(a.profile.member_id, e.profile.member_id);
  EXPECT_EQ(a.profile.card_no, e.profile.card_no);
  EXPECT_EQ(HexEncode(a.phone_cipher), HexEncode(e.phone_cipher));
  EXPECT_EQ(HexEncode(a.phone_index), HexEncode(e.phone_index));
  EXPECT_EQ(a.email_cipher, e.email_cipher);
  EXPECT_EQ(a.email_index, e.email_index);
  EXPECT_EQ(HexEncode(a.name_cipher), HexEncode(e.name_cipher));
  EXPECT_EQ(a.birthday_cipher, e.birthday_cipher);
  EXPECT_EQ(a.profile.home_store_id, e.profile.home_store_id);
  EXPECT_EQ(a.profile.consents.sms, e.profile.consents.sms);
  EXPECT_EQ(a.profile.consents.email, e.profile.consents.email);
  EXPECT_EQ(a.profile.consents.wechat, e.profile.consents.wechat);
  EXPECT_EQ(a.profile.tier, e.profile.tier);
  EXPECT_EQ(a.profile.status, e.profile.status);
  EXPECT_EQ(a.profile.created_at, e.profile.created_at);
  EXPECT_EQ(a.profile.updated_at, e.profile.updated_at);
  EXPECT_EQ(a.profile.version, e.profile.version);
}

std::string KeyOf(const StoredMember& m) { return "loyalty:member:" + m.profile.member_id; }

class RedisMemberCacheTest : public ::testing::Test {
 protected:
  void TearDown() override { cache_.Invalidate(member_.profile.member_id); }

  RedisClient redis_{TestRedis()};
  RedisMemberCache cache_{redis_, seconds(120)};
  const StoredMember member_ = SampleMember();
};

TEST_F(RedisMemberCacheTest, PutThenGetReturnsTheSameMember) {
  cache_.Put(member_);

  auto got = cache_.Get(member_.profile.member_id);

  ASSERT_TRUE(got.has_value());
  ExpectSameMember(*got, member_);
}

TEST_F(RedisMemberCacheTest, AMemberWithoutOptionalFieldsRoundTrips) {
  StoredMember m = member_;
  m.email_cipher.reset();
  m.email_index.reset();
  m.birthday_cipher.reset();
  m.profile.home_store_id.reset();
  m.profile.status = MemberStatus::kErased;
  cache_.Put(m);

  auto got = cache_.Get(m.profile.member_id);

  ASSERT_TRUE(got.has_value());
  ExpectSameMember(*got, m);
}

TEST_F(RedisMemberCacheTest, UnknownMemberIsAMiss) {
  EXPECT_FALSE(cache_.Get(OpenSslRandom().NewId()).has_value());
}

TEST_F(RedisMemberCacheTest, InvalidateRemovesTheEntry) {
  cache_.Put(member_);
  ASSERT_TRUE(cache_.Get(member_.profile.member_id).has_value());

  cache_.Invalidate(member_.profile.member_id);

  EXPECT_FALSE(cache_.Get(member_.profile.member_id).has_value());
  auto exists = redis_.Command({"EXISTS", KeyOf(member_)});
  ASSERT_TRUE(exists.has_value());
  EXPECT_EQ(exists->integer, 0);
}

TEST_F(RedisMemberCacheTest, EntriesExpireAfterTheConfiguredTtl) {
  cache_.Put(member_);

  auto ttl = redis_.Command({"TTL", KeyOf(member_)});

  ASSERT_TRUE(ttl.has_value());
  EXPECT_GT(ttl->integer, 0);  // -1 would mean the entry never expires
  EXPECT_LE(ttl->integer, 120);
}

TEST_F(RedisMemberCacheTest, EntriesHoldNoPlainPersonalData) {
  // The entry carries ciphertext only: what is in Redis is what is in MariaDB.
  StoredMember m = member_;
  m.name_cipher = "not-the-name";  // a marker to find in the stored text
  cache_.Put(m);
  auto raw = redis_.Command({"GET", KeyOf(m)});
  ASSERT_TRUE(raw.has_value());
  ASSERT_TRUE(raw->text.has_value());
  EXPECT_EQ(raw->text->find("not-the-name"), std::string::npos);
  EXPECT_NE(raw->text->find(HexEncode(std::string("not-the-name"))), std::string::npos);
}

TEST_F(RedisMemberCacheTest, ACorruptEntryIsAMiss) {
  ASSERT_TRUE(redis_.Command({"SET", KeyOf(member_), "{not json", "EX", "60"}).has_value());
  EXPECT_FALSE(cache_.Get(member_.profile.member_id).has_value());
  ASSERT_TRUE(redis_.Command({"SET", KeyOf(member_), R"({"v":99,"member_id":"x"})", "EX", "60"})
                  .has_value());
  EXPECT_FALSE(cache_.Get(member_.profile.member_id).has_value());
}

TEST(RedisMemberCacheOutage, AnUnreachableRedisIsAQuickMissAndWritesAreDropped) {
  RedisClient redis(redistest::Nowhere());
  RedisMemberCache cache(redis);
  const StoredMember m = SampleMember();

  const auto start = steady_clock::now();
  EXPECT_NO_THROW(cache.Put(m));
  std::optional<StoredMember> got = SampleMember();
  EXPECT_NO_THROW(got = cache.Get(m.profile.member_id));
  EXPECT_NO_THROW(cache.Invalidate(m.profile.member_id));
  const auto elapsed = steady_clock::now() - start;

  EXPECT_FALSE(got.has_value());
  EXPECT_FALSE(redis.Ping());
  EXPECT_LT(elapsed, seconds(3));  // hang bound
}

TEST(RedisClientBreaker, AfterOneFailureCommandsFailWithoutTryingUntilRetryAfter) {
  redistest::SilentListener hung;  // accepts connections, never answers
  RedisOptions options;
  options.timeout = milliseconds(200);
  options.retry_after = seconds(30);
  RedisClient redis(hung.endpoint(), options);
  RedisMemberCache cache(redis);

  EXPECT_FALSE(redis.Command({"PING"}).has_value());  // waits one timeout, opens the breaker
  const auto start = steady_clock::now();
  for (int i = 0; i < 20; ++i) {
    EXPECT_FALSE(redis.Command({"GET", "k"}).has_value());
    EXPECT_FALSE(cache.Get("m").has_value());
  }
  const auto elapsed = steady_clock::now() - start;

  // Trying would have cost 40 x 200 ms; the breaker answers at once. Hang bound, not speed.
  EXPECT_LT(elapsed, seconds(2));
  // And it really did not try: only the first command ever connected.
  EXPECT_EQ(hung.DrainConnections(), 1);
}

TEST(RedisClientBreaker, TheClientWorksAgainAfterRetryAfterWhenRedisIsBack) {
  redistest::PrivateRedis server;
  ASSERT_TRUE(server.Start()) << "scripts/services could not start a private Redis";
  RedisOptions options;
  options.retry_after = milliseconds(500);
  RedisClient redis(server.endpoint(), options);
  RedisMemberCache cache(redis);
  const StoredMember m = SampleMember();
  cache.Put(m);
  ASSERT_TRUE(cache.Get(m.profile.member_id).has_value());

  ASSERT_TRUE(server.Stop());
  EXPECT_FALSE(cache.Get(m.profile.member_id).has_value());  // the pooled connection is dead
  EXPECT_FALSE(redis.Ping());

  ASSERT_TRUE(server.Start());
  bool back = false;
  int attempts = 0;
  for (const auto deadline = steady_clock::now() + seconds(15);
       !back && steady_clock::now() < deadline;) {
    ++attempts;
    back = redis.Ping();
    if (!back) std::this_thread::sleep_for(milliseconds(100));  // polling interval
  }
  EXPECT_TRUE(back) << "no answer after " << attempts << " attempts";
  // The restarted Redis has no data (no persistence): a miss, then the cache fills again.
  EXPECT_FALSE(cache.Get(m.profile.member_id).has_value());
  cache.Put(m);
  auto got = cache.Get(m.profile.member_id);
  ASSERT_TRUE(got.has_value());
  ExpectSameMember(*got, m);
}

}  // namespace
}  // namespace loyalty
