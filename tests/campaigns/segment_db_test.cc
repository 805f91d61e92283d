// Segments on the real MariaDB: every rule kind selects exactly the members it should (profile,
// consent, points, lifecycle, RFM, purchases with returns and voids), paging walks a segment
// once, and coupons issued to a segment reach each member once even when the job is run again.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "campaigns/mysql/mysql_segment_store.h"
#include "campaigns/service/segment_service.h"
#include "loyalty/crypto/openssl_crypto.h"
#include "loyalty/mysql/mysql_audit_log.h"
#include "loyalty/mysql/mysql_coupon_definition_store.h"
#include "loyalty/mysql/mysql_coupon_issue_jobs.h"
#include "loyalty/mysql/mysql_coupon_repository.h"
#include "loyalty/mysql/mysql_ledger_repository.h"
#include "loyalty/mysql/mysql_member_repository.h"
#include "loyalty/mysql/mysql_program_store.h"
#include "loyalty/mysql/mysql_tier_repository.h"
#include "loyalty/mysql/sql_values.h"
#include "loyalty/service/coupon_service.h"
#include "tests/db/db_test_util.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fakes.h"

namespace loyalty {
namespace {

using namespace std::chrono_literals;
using dbtest::Exec;
using dbtest::QueryInt;
using Names = std::set<std::string>;

Actor Admin() { return Actor::System("test"); }

// What a sample member looks like; the test names members, the database gets random ids.
struct Profile {
  std::string tier = "base";
  std::string home_store = "S1";
  int enrolled_days_ago = 400;
  bool sms = false, email = false, wechat = false;
  bool erased = false;
  int64_t points = 0;
};

class SegmentDbTest : public ::testing::Test {
 protected:
  SegmentDbTest()
      : store_(db_.pool()),
        resolver_(db_.pool()),
        ledger_(db_.pool()),
        program_(db_.pool()),
        member_repo_(db_.pool()),
        tier_repo_(db_.pool()),
        audit_(db_.pool()),
        definition_store_(db_.pool()),
        coupon_repo_(db_.pool()),
        jobs_(db_.pool(), random_),
        pii_(*ParseMasterKey(testing::RandomMasterKey())),
        members_(MemberPorts{member_repo_, pii_, random_, clock_, cache_, audit_}),
        points_(PointsPorts{ledger_, program_, member_repo_, random_, clock_}),
        tiers_(TierPorts{tier_repo_, program_, random_, clock_}),
        segments_(store_, resolver_, points_, random_, clock_),
        coupons_(definition_store_, coupon_repo_, jobs_, members_, tiers_, points_, random_, clock_,
                 SmallPages(), &segments_) {}

  static CouponServiceOptions SmallPages() {
    CouponServiceOptions o;
    o.segment_fetch = 3;  // several evaluations of the segment and pages that straddle them
    o.segment_page = 2;
    return o;
  }

  void SetUp() override {
    clock_.Set(Now());
    for (const char* table : {"members", "point_accounts", "tier_activity", "pos_transactions",
                              "pos_transaction_lines", "coupons", "coupon_issue_jobs"}) {
      Exec(db_.pool(), std::string("DELETE FROM ") + table);
    }
    ids_.clear();
  }

  static Instant Now() { return test_support::FakeClock::DefaultStart() + 400 * 24h; }
  static std::string DaysAgo(int days, std::chrono::hours extra = 0h) {
    return ToSqlTime(Now() - days * 24h - extra);
  }

  // A member row as the member service writes it (ciphertexts are not needed here).
  std::string Member(const std::string& name, const Profile& p = {}) {
    const std::string id = dbtest::NewId();
    Exec(db_.pool(),
         "INSERT INTO members (member_id, card_no, home_store_id, consent_sms, consent_email, "
         "consent_wechat, tier, status, created_at, updated_at, version) "
         "VALUES (?,?,?,?,?,?,?,?,?,?,1)",
         {id, dbtest::RandomDigits(16), p.home_store, p.sms ? "1" : "0", p.email ? "1" : "0",
          p.wechat ? "1" : "0", p.tier, p.erased ? "erased" : "active",
          DaysAgo(p.enrolled_days_ago, 1h), DaysAgo(p.enrolled_days_ago, 1h)});
    if (p.points) {
      Exec(db_.pool(), "INSERT INTO point_accounts (member_id, available) VALUES (?,?)",
           {id, std::to_string(p.points)});
    }
    ids_[id] = name;
    return id;
  }

  // A purchase as the tier engine counts it (visits 1), or a return (visits 0, negative spend).
  // `ref` is the till sale's txn_id when the purchase was one.
  void Activity(const std::string& member, int days_ago, int64_t spend_minor, int visits = 1,
                const std::string& ref = "test") {
    Exec(db_.pool(),
         "INSERT INTO tier_activity (member_id, activity_id, at, spend_minor, points, visits, ref) "
         "VALUES (?,?,?,?,0,?,?)",
         {member, dbtest::NewId(), DaysAgo(days_ago), std::to_string(spend_minor),
          std::to_string(visits), ref});
  }

  struct Line {
    std::string sku, category;
    int64_t qty = 1, paid_minor = 1000, returned_qty = 0;
  };
  // A till sale with its lines; returns its txn_id.
  std::string Sale(const std::string& member, int days_ago, const std::vector<Line>& lines,
                   const std::string& store = "S1", bool voided = false) {
    const std::string txn = dbtest::NewId();
    Exec(db_.pool(),
         "INSERT INTO pos_transactions (txn_id, store_id, terminal_id, pos_txn_id, kind, "
         "request_hash, member_id, occurred_at, committed_at, voided_at, currency, total_minor, "
         "discount_minor, points_redeemed, points_value_minor, due_minor, points_earned, "
         "rejected_codes, coupon_codes, receipt_zh, receipt_en) VALUES "
         "(?,?,'T1',?,'sale','',?,?,?,IF(?='1',?,NULL),'CNY',0,0,0,0,0,0,'','','','')",
         {txn, store, txn, member, DaysAgo(days_ago), DaysAgo(days_ago), voided ? "1" : "0",
          DaysAgo(days_ago)});
    int line_no = 1;
    for (const Line& l : lines) {
      Exec(db_.pool(),
           "INSERT INTO pos_transaction_lines (txn_id, line_no, sku, category, qty, "
           "unit_price_minor, net_minor, discount_minor, paid_minor, returned_qty) "
           "VALUES (?,?,?,?,?,0,?,0,?,?)",
           {txn, std::to_string(line_no++), l.sku, l.category, std::to_string(l.qty),
            std::to_string(l.paid_minor), std::to_string(l.paid_minor),
            std::to_string(l.returned_qty)});
    }
    return txn;
  }

  // The names of the members `rules` selects now, read in pages of 2 to exercise the cursor.
  Names Select(const SegmentRules& rules) {
    Names names;
    std::string after;
    while (true) {
      auto page = resolver_.MembersAfter(rules, Now(), after, 2);
      EXPECT_TRUE(page.has_value()) << page.error().message;
      if (!page || page->empty()) break;
      for (const SegmentSampleMember& m : *page) {
        EXPECT_GT(m.member_id, after) << "pages go forward by member id";
        EXPECT_TRUE(names.insert(ids_.at(m.member_id)).second) << "a member came back twice";
        after = m.member_id;
      }
    }
    auto counts = resolver_.Count(rules, Now());
    EXPECT_TRUE(counts.has_value()) << counts.error().message;
    if (counts) {
      EXPECT_EQ(counts->members, static_cast<int64_t>(names.size()));
    }
    return names;
  }

  std::string SegmentOf(SegmentRules rules) {
    Segment s;
    s.name_zh = "测试人群";
    s.rules = std::move(rules);
    auto created = segments_.Create(Admin(), s);
    EXPECT_TRUE(created.has_value()) << created.error().message;
    return created ? created->id : "";
  }

  // A ¥10-off coupon definition (the program must exist); its id, or "" after a failure.
  std::string DefineTenOff() {
    CouponDefinition d;
    d.name_zh = "金卡专享";
    d.name_en = "Gold only";
    d.kind = CouponKind::kFixedAmount;
    d.amount_minor = 1000;
    auto definition = coupons_.CreateDefinition(Admin(), d);
    EXPECT_TRUE(definition.has_value()) << definition.error().message;
    return definition ? definition->id : "";
  }

  testing::FreshDatabase db_;
  test_support::FakeClock clock_;
  OpenSslRandom random_;
  test_support::NullMemberCache cache_;
  MysqlSegmentStore store_;
  MysqlSegmentResolver resolver_;
  MysqlLedgerRepository ledger_;
  MysqlProgramStore program_;
  MysqlMemberRepository member_repo_;
  MysqlTierRepository tier_repo_;
  MysqlAuditLog audit_;
  MysqlCouponDefinitionStore definition_store_;
  MysqlCouponRepository coupon_repo_;
  MysqlCouponIssueJobs jobs_;
  AesGcmPiiProtector pii_;
  MemberService members_;
  PointsService points_;
  TierService tiers_;
  SegmentService segments_;
  CouponService coupons_;
  std::map<std::string, std::string> ids_;  // member id -> test name
};

TEST_F(SegmentDbTest, ProfileConsentAndPointsRulesSelectExactlyTheirMembers) {
  Member("gold-S1-sms", {.tier = "gold", .sms = true, .points = 5000});
  Member("gold-S2", {.tier = "gold", .home_store = "S2", .email = true, .points = 999});
  Member("silver-S1-all", {.tier = "silver", .sms = true, .email = true, .wechat = true});
  Member("base-new", {.enrolled_days_ago = 3, .wechat = true, .points = 1000});
  Member("gold-erased", {.tier = "gold", .sms = true, .erased = true, .points = 5000});
  // Enrolled exactly 30 days (and 1 hour) ago: 30 whole days.
  Member("base-30-days", {.enrolled_days_ago = 30});

  struct Case {
    const char* what;
    SegmentRules rules;
    Names expected;
  };
  const std::vector<Case> cases = {
      {"no rules: everyone not erased",
       {},
       {"gold-S1-sms", "gold-S2", "silver-S1-all", "base-new", "base-30-days"}},
      {"tier any of", {.tiers = {"gold", "silver"}}, {"gold-S1-sms", "gold-S2", "silver-S1-all"}},
      {"home store", {.home_store_ids = {"S2"}}, {"gold-S2"}},
      {"tier and store together", {.tiers = {"gold"}, .home_store_ids = {"S1"}}, {"gold-S1-sms"}},
      {"consent: all listed channels",
       {.consents = {ConsentChannel::kSms, ConsentChannel::kEmail}},
       {"silver-S1-all"}},
      {"consent: one channel",
       {.consents = {ConsentChannel::kWechat}},
       {"silver-S1-all", "base-new"}},
      {"points at least 1000 (no account counts as 0)",
       {.points_available = {1000, std::nullopt}},
       {"gold-S1-sms", "base-new"}},
      {"points at most 999",
       {.points_available = {std::nullopt, 999}},
       {"gold-S2", "silver-S1-all", "base-30-days"}},
      {"enrolled within 30 whole days",
       {.enrolled_days = {std::nullopt, 30}},
       {"base-new", "base-30-days"}},
      {"enrolled within 29 whole days", {.enrolled_days = {std::nullopt, 29}}, {"base-new"}},
      {"enrolled at least 30 days ago",
       {.enrolled_days = {30, std::nullopt}},
       {"gold-S1-sms", "gold-S2", "silver-S1-all", "base-30-days"}},
  };
  for (const Case& c : cases) EXPECT_EQ(Select(c.rules), c.expected) << c.what;

  auto reach = resolver_.Count({.tiers = {"gold", "silver"}}, Now());
  ASSERT_TRUE(reach.has_value());
  EXPECT_EQ(reach->members, 3);
  EXPECT_EQ(reach->sms, 2);
  EXPECT_EQ(reach->email, 2);
  EXPECT_EQ(reach->wechat, 1);
}

TEST_F(SegmentDbTest, LifecycleStagesFollowEnrolmentAndTheLastPurchase) {
  const auto newcomer = Member("new", {.enrolled_days_ago = 10});
  Activity(newcomer, 2, 5000);
  Member("never", {.enrolled_days_ago = 100});
  const auto returned_only = Member("only-a-return", {.enrolled_days_ago = 100});
  Activity(returned_only, 5, -5000, /*visits=*/0);  // a return is not a purchase
  const auto active = Member("active", {});
  Activity(active, 200, 1000);
  Activity(active, 89, 1000);
  const auto edge = Member("90-days", {});
  Activity(edge, 90, 1000);  // exactly 90 days ago is no longer "within 90 days"
  const auto at_risk = Member("at-risk", {});
  Activity(at_risk, 150, 1000);
  const auto edge_180 = Member("180-days", {});
  Activity(edge_180, 180, 1000);  // exactly 180 days ago is lapsed
  const auto lapsed = Member("lapsed", {});
  Activity(lapsed, 181, 1000);
  const auto future = Member("purchase-after-now", {});
  Activity(future, -1, 1000);  // recorded after the instant evaluated: not seen
  // Till sales as the sale service records them: the purchase row refs the sale; a void or a
  // full return adds its own negative row under the return's id.
  auto sale_with_activity = [&](const std::string& name, int64_t returned_qty, bool voided) {
    const auto m = Member(name, {});
    const std::string txn =
        Sale(m, 20, {{"RICE-5KG", "rice", 2, 9000, returned_qty}}, "S1", voided);
    Activity(m, 20, 9000, 1, txn);
    if (voided || returned_qty == 2) Activity(m, 19, -9000, -1, dbtest::NewId());
  };
  sale_with_activity("only-sale-voided", 0, true);
  sale_with_activity("only-sale-returned-in-full", 2, false);
  sale_with_activity("only-sale-half-returned", 1, false);

  auto stage = [&](LifecycleStage s) { return Select({.lifecycle = {s}}); };
  EXPECT_EQ(stage(LifecycleStage::kNew), Names({"new"}));
  EXPECT_EQ(stage(LifecycleStage::kNeverPurchased),
            Names({"never", "only-a-return", "purchase-after-now", "only-sale-voided",
                   "only-sale-returned-in-full"}));
  EXPECT_EQ(stage(LifecycleStage::kActive), Names({"active", "only-sale-half-returned"}));
  EXPECT_EQ(stage(LifecycleStage::kAtRisk), Names({"90-days", "at-risk"}));
  EXPECT_EQ(stage(LifecycleStage::kLapsed), Names({"180-days", "lapsed"}));
  EXPECT_EQ(Select({.lifecycle = {LifecycleStage::kAtRisk, LifecycleStage::kLapsed}}),
            Names({"90-days", "at-risk", "180-days", "lapsed"}));
}

TEST_F(SegmentDbTest, RfmScoresRankPurchasersInTheWindowAndGiveTiesOneScore) {
  // Five purchasers in the window; a and b are alike in every way. Score = ceil(5 × (purchasers
  // with a value at most mine) / 5): a and b share rank 2, so both score 2 and nobody scores 1.
  struct Buyer {
    const char* name;
    int visits;
    int64_t spend_per_visit;
    int days_ago;
  };
  for (const Buyer& b : {Buyer{"a", 1, 1000, 90}, Buyer{"b", 1, 1000, 90}, Buyer{"c", 2, 3000, 60},
                         Buyer{"d", 3, 3000, 30}, Buyer{"e", 4, 5000, 10}}) {
    const auto m = Member(b.name, {.tier = b.name[0] >= 'd' ? "gold" : "base"});
    for (int v = 0; v < b.visits; ++v) Activity(m, b.days_ago, b.spend_per_visit);
  }
  const auto old = Member("outside-window");
  Activity(old, 400, 900000);  // the biggest spender, but more than 365 days ago: no scores
  Member("no-purchases");

  EXPECT_EQ(Select({.rfm = {.frequency = {1}}}), Names());
  EXPECT_EQ(Select({.rfm = {.frequency = {2}}}), Names({"a", "b"}));
  EXPECT_EQ(Select({.rfm = {.frequency = {3}}}), Names({"c"}));
  EXPECT_EQ(Select({.rfm = {.frequency = {5}}}), Names({"e"}));
  EXPECT_EQ(Select({.rfm = {.monetary = {4, 5}}}), Names({"d", "e"}));  // 9000 and 20000
  EXPECT_EQ(Select({.rfm = {.recency = {5}}}), Names({"e"}));           // 10 days ago
  EXPECT_EQ(Select({.rfm = {.recency = {2}}}), Names({"a", "b"}));      // 90 days ago
  // Scores combine, and with the other rules.
  EXPECT_EQ(Select({.rfm = {.recency = {4, 5}, .monetary = {4}}}), Names({"d"}));
  EXPECT_EQ(Select({.tiers = {"gold"}, .rfm = {.recency = {5}}}), Names({"e"}));  // d, e gold
  EXPECT_EQ(Select({.tiers = {"base"}, .rfm = {.recency = {4, 5}}}), Names());
  // Without a purchase in the window there is no score to match.
  EXPECT_EQ(Select({.rfm = {.recency = {1, 2, 3, 4, 5}}}), Names({"a", "b", "c", "d", "e"}));
}

TEST_F(SegmentDbTest, PurchaseRulesCountSalesLessReturnsAndVoids) {
  const auto rice_twice = Member("rice-twice");
  Sale(rice_twice, 10, {{"RICE-5KG", "rice", 1, 5000}});
  Sale(rice_twice, 40, {{"RICE-5KG", "rice", 2, 9000}, {"OIL-1L", "oil", 1, 3000}}, "S2");
  const auto rice_returned = Member("rice-returned-in-full");
  Sale(rice_returned, 10, {{"RICE-5KG", "rice", 2, 9000, /*returned_qty=*/2}});
  const auto half_returned = Member("rice-half-returned");
  Sale(half_returned, 10, {{"RICE-5KG", "rice", 2, 9000, /*returned_qty=*/1}});
  const auto voided = Member("rice-voided");
  Sale(voided, 10, {{"RICE-5KG", "rice", 1, 5000}}, "S1", /*voided=*/true);
  const auto mooncakes = Member("mooncakes-last-autumn");
  Sale(mooncakes, 200, {{"MOONCAKE-01", "bakery", 3, 24000}});
  const auto rice_long_ago = Member("rice-40-days-ago");
  Sale(rice_long_ago, 40, {{"RICE-5KG", "rice", 1, 5000}});
  Member("never-bought");

  const auto rice = [](PurchaseRule r) {
    r.categories = {"rice"};
    return r;
  };
  EXPECT_EQ(Select({.purchases = {rice({})}}),
            Names({"rice-twice", "rice-half-returned", "rice-40-days-ago"}));
  EXPECT_EQ(Select({.purchases = {rice({.count = {2, std::nullopt}})}}), Names({"rice-twice"}));
  EXPECT_EQ(Select({.purchases = {rice({.within_days = 30})}}),
            Names({"rice-twice", "rice-half-returned"}));
  EXPECT_EQ(Select({.purchases = {rice({.within_days = 30, .count = {2, std::nullopt}})}}),
            Names());  // rice-twice bought twice, but once 40 days ago
  EXPECT_EQ(Select({.purchases = {rice({.store_ids = {"S2"}})}}), Names({"rice-twice"}));
  EXPECT_EQ(Select({.purchases = {{.skus = {"OIL-1L"}}}}), Names({"rice-twice"}));
  // Spend on the matching lines less the returned share: 4500 for the half-returned member.
  EXPECT_EQ(Select({.purchases = {rice({.spend_minor = {4500, 4500}})}}),
            Names({"rice-half-returned"}));
  EXPECT_EQ(Select({.purchases = {rice({.spend_minor = {10000, std::nullopt}})}}),
            Names({"rice-twice"}));  // 5000 + 9000; the oil line is not rice
  // An absolute period: the mooncake sale exactly 200 days ago. since is inclusive, until not.
  const Instant sold_at = Now() - 200 * 24h;
  EXPECT_EQ(Select({.purchases = {{.categories = {"bakery"}, .since = sold_at}}}),
            Names({"mooncakes-last-autumn"}));
  EXPECT_EQ(Select({.purchases = {{.categories = {"bakery"}, .until = sold_at}}}), Names());
  EXPECT_EQ(Select({.purchases = {{.categories = {"bakery"}, .until = sold_at + 1us}}}),
            Names({"mooncakes-last-autumn"}));
  // "Did not buy rice": everyone else, including the fully returned and voided ones.
  EXPECT_EQ(
      Select({.purchases = {rice({.count = {std::nullopt, 0}})}}),
      Names({"rice-returned-in-full", "rice-voided", "mooncakes-last-autumn", "never-bought"}));
  EXPECT_EQ(Select({.purchases = {rice({.within_days = 30, .count = {std::nullopt, 0}})}}),
            Names({"rice-returned-in-full", "rice-voided", "mooncakes-last-autumn",
                   "rice-40-days-ago", "never-bought"}));
  // Two rules must both hold.
  EXPECT_EQ(Select({.purchases = {rice({}), {.categories = {"oil"}}}}), Names({"rice-twice"}));
}

TEST_F(SegmentDbTest, CouponsIssuedToASegmentReachEachMemberOnceEvenWhenTheJobRunsAgain) {
  ASSERT_TRUE(points_.PutProgram(Admin(), DefaultProgram()).has_value());
  std::set<std::string> gold;
  for (int i = 0; i < 5; ++i) gold.insert(Member("gold" + std::to_string(i), {.tier = "gold"}));
  Member("silver", {.tier = "silver"});
  const std::string segment = SegmentOf({.tiers = {"gold"}});

  const std::string definition = DefineTenOff();
  ASSERT_FALSE(definition.empty());

  IssueRequest request;
  request.segment_id = segment;
  auto queued = coupons_.Issue(Admin(), definition, request, "");
  ASSERT_TRUE(queued.has_value()) << queued.error().message;
  ASSERT_TRUE(queued->job.has_value());
  EXPECT_EQ(queued->job->requested, 5);
  EXPECT_EQ(queued->job->segment_id, segment);

  auto made = coupons_.RunIssueJobs();
  ASSERT_TRUE(made.has_value()) << made.error().message;
  EXPECT_EQ(*made, 5);
  auto job = coupons_.GetJob(Admin(), queued->job->job_id);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->state, IssueJobState::kDone);
  EXPECT_EQ(job->issued, 5);

  auto holders = [&] {
    std::set<std::string> out;
    for (const auto& [id, name] : ids_) {
      const int64_t held =
          QueryInt(db_.pool(), "SELECT COUNT(*) FROM coupons WHERE member_id = ?", {id});
      EXPECT_LE(held, 1) << name;
      if (held > 0) out.insert(id);
    }
    return out;
  };
  EXPECT_EQ(holders(), gold);

  // A worker that died after its last page: the job is taken up again from the start.
  Exec(db_.pool(),
       "UPDATE coupon_issue_jobs SET state = 'running', after_member_id = '', lease_until = ? "
       "WHERE job_id = ?",
       {ToSqlTime(Now() - 1s), queued->job->job_id});
  const std::string late_gold = Member("gold-late", {.tier = "gold"});
  made = coupons_.RunIssueJobs();
  ASSERT_TRUE(made.has_value()) << made.error().message;
  EXPECT_EQ(*made, 1) << "only the member who joined the segment since gets a coupon";
  gold.insert(late_gold);
  EXPECT_EQ(holders(), gold);
  EXPECT_EQ(QueryInt(db_.pool(), "SELECT issued FROM coupon_issue_jobs WHERE job_id = ?",
                     {queued->job->job_id}),
            6);

  // A segment that does not exist is a 404 naming the field; nothing is queued.
  request.segment_id = "no-such-segment";
  auto missing = coupons_.Issue(Admin(), definition, request, "");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().slug, "segment_not_found");
  EXPECT_EQ(*missing.error().Detail("field"), "segment_id");
  // Both a segment and members: refused.
  request.segment_id = segment;
  request.member_ids = {*gold.begin()};
  auto both = coupons_.Issue(Admin(), definition, request, "");
  ASSERT_FALSE(both.has_value());
  EXPECT_EQ(both.error().slug, "invalid_issue_request");
  EXPECT_EQ(QueryInt(db_.pool(), "SELECT COUNT(*) FROM coupon_issue_jobs"), 1);
}

TEST_F(SegmentDbTest, ASegmentJobThatCannotReadItsSegmentFailsWithTheReason) {
  ASSERT_TRUE(points_.PutProgram(Admin(), DefaultProgram()).has_value());
  Member("gold", {.tier = "gold"});
  const std::string segment = SegmentOf({.tiers = {"gold"}});
  const std::string definition = DefineTenOff();
  ASSERT_FALSE(definition.empty());
  IssueRequest request;
  request.segment_id = segment;
  auto queued = coupons_.Issue(Admin(), definition, request, "");
  ASSERT_TRUE(queued.has_value()) << queued.error().message;
  // The stored rules are damaged after the job was queued (a bad manual edit, say).
  Exec(db_.pool(), "UPDATE segments SET segment = '{\"rules\": 7}' WHERE segment_id = ?",
       {segment});

  auto made = coupons_.RunIssueJobs();
  ASSERT_TRUE(made.has_value()) << made.error().message;
  EXPECT_EQ(*made, 0);
  auto job = coupons_.GetJob(Admin(), queued->job->job_id);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->state, IssueJobState::kFailed) << "not retried forever";
  EXPECT_NE(job->error.find("cannot be read"), std::string::npos) << job->error;
  EXPECT_EQ(coupons_.RunIssueJobs().value_or(-1), 0);
  EXPECT_EQ(QueryInt(db_.pool(), "SELECT COUNT(*) FROM coupons"), 0);
}

}  // namespace
}  // namespace loyalty
