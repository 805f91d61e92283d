// A million anonymous codes from one bulk issue job on the real MariaDB: the job finishes, makes
// exactly the codes requested, all distinct and well-formed, and a resumed job never overshoots.
#include <gtest/gtest.h>

#include <set>

#include "loyalty/crypto/openssl_crypto.h"
#include "loyalty/domain/coupon_code.h"
#include "loyalty/mysql/mysql_audit_log.h"
#include "loyalty/mysql/mysql_coupon_definition_store.h"
#include "loyalty/mysql/mysql_coupon_issue_jobs.h"
#include "loyalty/mysql/mysql_coupon_repository.h"
#include "loyalty/mysql/mysql_ledger_repository.h"
#include "loyalty/mysql/mysql_member_repository.h"
#include "loyalty/mysql/mysql_program_store.h"
#include "loyalty/mysql/mysql_tier_repository.h"
#include "loyalty/service/coupon_service.h"
#include "tests/support/fakes.h"
#include "tests/support/test_env.h"

namespace loyalty {
namespace {

class CouponBulkDbTest : public ::testing::Test {
 protected:
  CouponBulkDbTest()
      : ledger_(db_.pool()), program_(db_.pool()), member_repo_(db_.pool()),
        tier_repo_(db_.pool()), audit_(db_.pool()), definitions_(db_.pool()),
        coupons_(db_.pool()), jobs_(db_.pool()),
        pii_(*ParseMasterKey(testing::RandomMasterKey())),
        members_(MemberPorts{member_repo_, pii_, random_, clock_, cache_, audit_}),
        points_(PointsPorts{ledger_, program_, member_repo_, random_, clock_}),
        tiers_(TierPorts{tier_repo_, program_, random_, clock_}),
        service_(definitions_, coupons_, jobs_, members_, tiers_, points_, random_, clock_) {}

  std::string Definition() {
    CouponDefinition d;
    d.name_zh = "立减10元";
    d.name_en = "10 off";
    d.kind = CouponKind::kFixedAmount;
    d.amount_minor = 1000;
    d.validity.days_after_issue = 30;
    auto created = service_.CreateDefinition(Actor::System("test"), d);
    EXPECT_TRUE(created.has_value()) << created.error().message;
    return created ? created->id : "";
  }

  IssueJob Queue(const std::string& definition_id, int64_t count, const std::string& prefix) {
    IssueRequest request;
    request.count = count;
    request.prefix = prefix;
    auto issued = service_.Issue(Actor::System("test"), definition_id, request, "test");
    EXPECT_TRUE(issued.has_value() && issued->job) << (issued ? "" : issued.error().message);
    return issued && issued->job ? *issued->job : IssueJob{};
  }

  // Every code of the job, read back page by page as the CSV export does.
  std::vector<std::string> Codes(const std::string& job_id) {
    std::vector<std::string> out;
    std::string after;
    while (true) {
      auto page = service_.JobCodes(Actor::System("test"), job_id, after, 10000);
      EXPECT_TRUE(page.has_value());
      if (!page) return out;
      for (const auto& c : page->coupons) out.push_back(c.instance.code);
      if (!page->next_cursor) return out;
      after = *page->next_cursor;
    }
  }

  testing::FreshDatabase db_;
  SystemClock clock_;
  OpenSslRandom random_;
  test_support::NullMemberCache cache_;
  MysqlLedgerRepository ledger_;
  MysqlProgramStore program_;
  MysqlMemberRepository member_repo_;
  MysqlTierRepository tier_repo_;
  MysqlAuditLog audit_;
  MysqlCouponDefinitionStore definitions_;
  MysqlCouponRepository coupons_;
  MysqlCouponIssueJobs jobs_;
  AesGcmPiiProtector pii_;
  MemberService members_;
  PointsService points_;
  TierService tiers_;
  CouponService service_;
};

TEST_F(CouponBulkDbTest, AMillionCodesFinishDistinctAndWellFormed) {
  constexpr int64_t kCount = 1'000'000;
  const IssueJob queued = Queue(Definition(), kCount, "NY");
  auto made = service_.RunIssueJobs();
  ASSERT_TRUE(made.has_value()) << made.error().message;
  EXPECT_EQ(*made, kCount);
  auto job = service_.GetJob(Actor::System("test"), queued.job_id);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->state, IssueJobState::kDone);
  EXPECT_EQ(job->issued, kCount);
  const std::vector<std::string> codes = Codes(queued.job_id);
  ASSERT_EQ(static_cast<int64_t>(codes.size()), kCount);
  EXPECT_EQ(static_cast<int64_t>(std::set<std::string>(codes.begin(), codes.end()).size()), kCount);
  for (const std::string& code : codes) {
    auto normalized = NormalizeCouponCode(code);
    ASSERT_TRUE(normalized.has_value()) << code;
    ASSERT_EQ(*normalized, code);
    ASSERT_TRUE(code.starts_with("NY-")) << code;
  }
  // Nothing left to do: a second run makes nothing.
  EXPECT_EQ(service_.RunIssueJobs().value_or(-1), 0);
}

TEST_F(CouponBulkDbTest, AResumedJobMakesOnlyWhatIsMissing) {
  const std::string definition_id = Definition();
  const IssueJob queued = Queue(definition_id, 5000, "");
  // A worker that died after 1,200 codes: its codes are in, its lease has lapsed.
  {
    auto definition = service_.GetDefinition(Actor::System("test"), definition_id);
    ASSERT_TRUE(definition.has_value());
    std::vector<IssuedCoupon> partial;
    for (int i = 0; i < 1200; ++i) {
      IssuedCoupon c;
      c.instance = IssueCouponInstance(*definition, MakeCouponCode(random_.Bytes(kCouponRandomBytes), ""),
                                       std::nullopt, clock_.Now());
      c.issue_ref = "job:" + queued.job_id;
      partial.push_back(std::move(c));
    }
    ASSERT_TRUE(coupons_.Insert(partial, std::nullopt).has_value());
    db_.Execute("UPDATE coupon_issue_jobs SET state = 'running', issued = 1200, "
                "lease_until = '2000-01-01 00:00:00' WHERE job_id = '" + queued.job_id + "'");
  }
  auto made = service_.RunIssueJobs();
  ASSERT_TRUE(made.has_value()) << made.error().message;
  EXPECT_EQ(*made, 3800);
  EXPECT_EQ(Codes(queued.job_id).size(), 5000u);
  EXPECT_EQ(service_.GetJob(Actor::System("test"), queued.job_id)->state, IssueJobState::kDone);
}

TEST_F(CouponBulkDbTest, AJobLeasedToALiveWorkerIsLeftAlone) {
  const IssueJob queued = Queue(Definition(), 10, "");
  db_.Execute("UPDATE coupon_issue_jobs SET state = 'running', "
              "lease_until = '2999-01-01 00:00:00' WHERE job_id = '" + queued.job_id + "'");
  EXPECT_EQ(service_.RunIssueJobs().value_or(-1), 0);
  EXPECT_TRUE(Codes(queued.job_id).empty());
}

}  // namespace
}  // namespace loyalty
