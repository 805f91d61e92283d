// Referrals on the real MariaDB adapters: both sides are rewarded once, on the referred member's
// first purchase, and the referrer only up to the program's cap.
#include <gtest/gtest.h>

#include "loyalty/crypto/openssl_crypto.h"
#include "loyalty/mysql/mysql_audit_log.h"
#include "loyalty/mysql/mysql_ledger_repository.h"
#include "loyalty/mysql/mysql_member_repository.h"
#include "loyalty/mysql/mysql_program_store.h"
#include "loyalty/mysql/mysql_referral_store.h"
#include "loyalty/mysql/mysql_tier_repository.h"
#include "loyalty/service/member_service.h"
#include "loyalty/service/purchase_service.h"
#include "loyalty/service/referral_service.h"
#include "tests/support/fakes.h"
#include "tests/support/test_env.h"

namespace loyalty {
namespace {

class ReferralDbTest : public ::testing::Test {
 protected:
  ReferralDbTest()
      : ledger_(db_.pool()), program_(db_.pool()), member_repo_(db_.pool()), tier_repo_(db_.pool()),
        referral_store_(db_.pool()), audit_(db_.pool()),
        pii_(*ParseMasterKey(testing::RandomMasterKey())),
        members_(MemberPorts{member_repo_, pii_, random_, clock_, cache_, audit_}),
        points_(PointsPorts{ledger_, program_, member_repo_, random_, clock_}),
        tiers_(TierPorts{tier_repo_, program_, random_, clock_}),
        referrals_(referral_store_, member_repo_, program_, points_, clock_),
        purchases_(member_repo_, pii_, program_, points_, tiers_, &referrals_) {}

  void SetUp() override {
    ProgramConfig p = DefaultProgram();
    p.pending_days = 0;
    p.earn.points = 0;  // purchases earn nothing here: every point seen is a referral award
    p.awards.referral_referee = 50;
    p.awards.referral_referrer = 30;
    p.awards.max_referrals_per_member = 1;
    ASSERT_TRUE(points_.PutProgram(Actor::System("test"), p).has_value());
  }

  std::string Enrol(const std::string& phone) {
    EnrolRequest r;
    r.phone = phone;
    r.name = "推荐测试";
    auto m = members_.Enrol(Actor::System("test"), r);
    EXPECT_TRUE(m.has_value()) << m.error().message;
    return m ? m->member_id : "";
  }
  void Buy(const std::string& member_id, const std::string& ref) {
    Purchase p{ref, "S1", "Asia/Shanghai", clock_.Now(), {BasketLine{1, "sku", "grocery", 1, 10000, 0}}};
    auto done = purchases_.Record(Actor::System("test"), member_id, p);
    ASSERT_TRUE(done.has_value()) << done.error().message;
  }
  int64_t Available(const std::string& member_id) {
    return points_.Summary(Actor::System("test"), member_id)->available;
  }

  testing::FreshDatabase db_;
  SystemClock clock_;
  OpenSslRandom random_;
  test_support::NullMemberCache cache_;
  MysqlLedgerRepository ledger_;
  MysqlProgramStore program_;
  MysqlMemberRepository member_repo_;
  MysqlTierRepository tier_repo_;
  MysqlReferralStore referral_store_;
  MysqlAuditLog audit_;
  AesGcmPiiProtector pii_;
  MemberService members_;
  PointsService points_;
  TierService tiers_;
  ReferralService referrals_;
  PurchaseService purchases_;
};

TEST_F(ReferralDbTest, BothSidesAreRewardedOnceOnTheFirstPurchaseAndTheReferrerIsCapped) {
  const std::string a = Enrol("13600000001");
  const std::string b = Enrol("13600000002");
  const std::string c = Enrol("13600000003");
  ASSERT_TRUE(referrals_.CheckReferrer(a).has_value());
  ASSERT_TRUE(referrals_.Record(b, a).has_value());
  ASSERT_TRUE(referrals_.Record(c, a).has_value());
  EXPECT_EQ(Available(b), 0) << "nothing before the first purchase";

  Buy(b, "t-b-1");
  EXPECT_EQ(Available(b), 50);
  EXPECT_EQ(Available(a), 30);
  Buy(b, "t-b-2");
  EXPECT_EQ(Available(b), 50) << "only the first purchase is rewarded";
  EXPECT_EQ(Available(a), 30);

  Buy(c, "t-c-1");
  EXPECT_EQ(Available(c), 50) << "the new member is rewarded whatever the referrer's count";
  EXPECT_EQ(Available(a), 30) << "the referrer's cap is 1";
  auto audit = points_.AuditLedger();
  ASSERT_TRUE(audit.has_value());
  EXPECT_TRUE(audit->empty());
}

TEST_F(ReferralDbTest, UnknownOrSelfReferrerIsRefusedNamingTheField) {
  const std::string a = Enrol("13600000011");
  for (auto result : {referrals_.CheckReferrer("000000000000000000000000"), referrals_.Record(a, a)}) {
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, Code::kInvalidArgument);
    EXPECT_EQ(result.error().slug, "invalid_referrer");
    EXPECT_EQ(*result.error().Detail("field"), "referred_by");
  }
}

}  // namespace
}  // namespace loyalty
