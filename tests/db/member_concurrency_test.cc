// MemberService on the real adapters (MariaDB repository and audit log, AES-GCM, OpenSSL random)
// under concurrent enrolment, and what a database dump reveals about members (nothing personal).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdio.h>

#include <array>
#include <cstdio>
#include <latch>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "loyalty/common/hex.h"
#include "loyalty/crypto/openssl_crypto.h"
#include "loyalty/mysql/mysql_audit_log.h"
#include "loyalty/mysql/mysql_member_repository.h"
#include "loyalty/service/member_service.h"
#include "tests/db/db_test_util.h"

namespace loyalty {
namespace {

using dbtest::Db;
using dbtest::QueryInt;
using ::testing::HasSubstr;
using ::testing::Not;

// A member cache that is always empty (Redis down); thread-safe, unlike a counting fake.
class NoCache final : public MemberCache {
 public:
  std::optional<StoredMember> Get(const std::string&) override { return std::nullopt; }
  void Put(const StoredMember&) override {}
  void Invalidate(const std::string&) override {}
};

class MemberConcurrencyTest : public ::testing::Test {
 protected:
  MemberConcurrencyTest()
      : pii_(*ParseMasterKey(testing::RandomMasterKey())),
        repository_(Db().pool()),
        audit_(Db().pool()),
        service_(MemberPorts{repository_, pii_, random_, clock_, cache_, audit_}) {}

  static Actor Cashier(int till) {
    return Actor{Principal{"staff-till" + std::to_string(till),
                           "till" + std::to_string(till),
                           Role::kCashier,
                           {"sh-001"}},
                 "req-" + dbtest::NewId()};
  }

  int64_t Count(const std::string& sql, const std::vector<std::string>& args = {}) {
    return QueryInt(Db().pool(), sql, args);
  }

  AesGcmPiiProtector pii_;
  OpenSslRandom random_;
  SystemClock clock_;
  NoCache cache_;
  MysqlMemberRepository repository_;
  MysqlAuditLog audit_;
  MemberService service_;
};

TEST_F(MemberConcurrencyTest, TwentyTillsEnrollingOnePhoneAtOnceGiveOneMember) {
  // The same shopper at 20 tills, typed 20 ways.
  const std::vector<std::string> formats = {
      "13912345678",         "139 1234 5678",      "+86 139 1234 5678", "+8613912345678",
      "8613912345678",       "0086 139 1234 5678", "139-1234-5678",     "+86-139-1234-5678",
      "(+86) 139-1234-5678", "+86 13912345678",    " 13912345678 ",     "139 12345678",
      "1391234 5678",        "+86 139-1234-5678",  "0086 13912345678",  "+86 (139) 1234 5678",
      "13912 345678",        "139-12345678",       "86 139 1234 5678",  "+86 1391 234 5678"};
  ASSERT_EQ(formats.size(), 20u);
  const int64_t members_before = Count("SELECT COUNT(*) FROM members");
  std::latch start(static_cast<ptrdiff_t>(formats.size()));
  std::vector<Result<Member>> results(formats.size(), Fail(Code::kInternal, "not_run", ""));
  std::vector<std::thread> tills;
  for (size_t i = 0; i < formats.size(); ++i) {
    tills.emplace_back([&, i] {
      EnrolRequest r;
      r.phone = formats[i];
      r.name = "Till " + std::to_string(i);
      const Actor actor = Cashier(static_cast<int>(i));
      start.arrive_and_wait();
      results[i] = service_.Enrol(actor, r);
    });
  }
  for (auto& t : tills) t.join();

  std::vector<std::string> winners;
  for (const auto& r : results) {
    if (r) winners.push_back(r->member_id);
  }
  ASSERT_EQ(winners.size(), 1u) << "exactly one till enrols the shopper";
  const std::string& winner = winners.front();
  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i]) continue;
    const Error& e = results[i].error();
    EXPECT_EQ(e.code, Code::kAlreadyExists) << formats[i] << ": " << e.slug << " " << e.message;
    EXPECT_EQ(e.slug, "duplicate_phone") << formats[i];
    ASSERT_NE(e.Detail("existing_member_id"), nullptr) << formats[i];
    EXPECT_EQ(*e.Detail("existing_member_id"), winner) << formats[i];
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM members"), members_before + 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE target_id = ? AND action = 'member.enrol'",
                  {winner}),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM member_consent_events WHERE member_id = ?", {winner}), 3);
  auto found = service_.FindByPhone(Cashier(99), "+8613912345678");
  ASSERT_TRUE(found.has_value()) << found.error().message;
  EXPECT_EQ(found->member_id, winner);
}

TEST_F(MemberConcurrencyTest, ThirtyTwoDifferentShoppersAtOnceAreAllEnrolled) {
  constexpr int kShoppers = 32;
  const int64_t members_before = Count("SELECT COUNT(*) FROM members");
  const int64_t enrol_audits_before =
      Count("SELECT COUNT(*) FROM audit_log WHERE action = 'member.enrol'");
  std::latch start(kShoppers);
  std::vector<Result<Member>> results(kShoppers, Fail(Code::kInternal, "not_run", ""));
  std::vector<std::thread> tills;
  for (int i = 0; i < kShoppers; ++i) {
    tills.emplace_back([&, i] {
      EnrolRequest r;
      char phone[16];
      std::snprintf(phone, sizeof phone, "1370000%04d", i);
      r.phone = phone;
      r.email = "shopper" + std::to_string(i) + "@example.com";
      r.name = "Shopper " + std::to_string(i);
      r.consents.sms = i % 2 == 0;
      const Actor actor = Cashier(i);
      start.arrive_and_wait();
      results[i] = service_.Enrol(actor, r);
    });
  }
  for (auto& t : tills) t.join();

  std::set<std::string> ids, cards;
  for (int i = 0; i < kShoppers; ++i) {
    ASSERT_TRUE(results[i].has_value())
        << "shopper " << i << ": " << results[i].error().slug << " " << results[i].error().message;
    ids.insert(results[i]->member_id);
    cards.insert(results[i]->card_no);
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(kShoppers));
  EXPECT_EQ(cards.size(), static_cast<size_t>(kShoppers));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM members"), members_before + kShoppers);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'member.enrol'"),
            enrol_audits_before + kShoppers);
  for (const auto& id : ids) {
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE target_id = ?", {id}), 1) << id;
    EXPECT_EQ(Count("SELECT COUNT(*) FROM member_consent_events WHERE member_id = ?", {id}), 3)
        << id;
  }
  // Every shopper is found again by card and by e-mail, decrypted correctly.
  for (int i = 0; i < kShoppers; ++i) {
    auto by_card = service_.FindByCard(Cashier(0), results[i]->card_no);
    ASSERT_TRUE(by_card.has_value()) << by_card.error().message;
    EXPECT_EQ(by_card->member_id, results[i]->member_id);
    EXPECT_EQ(by_card->name, "Shopper " + std::to_string(i));
    auto by_email =
        service_.FindByEmail(Cashier(0), "Shopper" + std::to_string(i) + "@Example.com");
    ASSERT_TRUE(by_email.has_value()) << by_email.error().message;
    EXPECT_EQ(by_email->member_id, results[i]->member_id);
  }
}

// Runs `command` and returns its standard output; fails the test if it exits non-zero.
std::string Capture(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "popen failed: " << command;
    return out;
  }
  std::array<char, 65536> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  const int status = pclose(pipe);
  EXPECT_EQ(status, 0) << "exit status of: " << command;
  return out;
}

TEST_F(MemberConcurrencyTest, ADatabaseDumpContainsNoPersonalData) {
  EnrolRequest r;
  r.phone = "13800138000";
  r.email = "zhang.wei@example.com";
  r.name = "张伟";
  r.birthday = "1990-05-17";
  r.consents.sms = true;
  auto enrolled = service_.Enrol(Cashier(1), r);
  ASSERT_TRUE(enrolled.has_value()) << enrolled.error().message;
  MemberPatch patch;
  patch.name = "张伟";  // an edit writes the row (and an audit entry) again
  patch.consent_email = true;
  ASSERT_TRUE(service_.Update(Cashier(2), enrolled->member_id, patch).has_value());
  // The service still reads it back in plain text.
  auto read = service_.Get(Cashier(1), enrolled->member_id);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(read->phone, "+8613800138000");
  EXPECT_EQ(read->email, "zhang.wei@example.com");
  EXPECT_EQ(read->name, "张伟");

  const MysqlEndpoint& e = Db().pool().endpoint();
  const std::string dump =
      Capture("mariadb-dump --no-defaults --default-character-set=utf8mb4 --skip-ssl -h" + e.host +
              " -P" + std::to_string(e.port) + " -u" + e.user + " --password=" + e.password + " " +
              e.database + " 2>&1");

  // The dump worked and has this member in it...
  ASSERT_THAT(dump, HasSubstr("INSERT INTO `members`"));
  ASSERT_THAT(dump, HasSubstr(enrolled->member_id));
  // ...but none of their personal data, in plain text or hex-encoded plain text.
  const std::string name_utf8 = "\xE5\xBC\xA0\xE4\xBC\x9F";  // 张伟
  ASSERT_EQ(name_utf8, "张伟");
  for (const std::string& secret :
       {std::string("13800138000"), std::string("zhang.wei"), name_utf8, std::string("1990-05-17"),
        HexEncode("13800138000"), HexEncode("zhang.wei"), HexEncode(name_utf8)}) {
    EXPECT_THAT(dump, Not(HasSubstr(secret))) << "the dump reveals " << secret;
  }
}

}  // namespace
}  // namespace loyalty
