// The coupon lifecycle on the real MariaDB adapters, through CouponService: issuance (members,
// bulk jobs, birthday, points exchange), the wallet, and checkout (quote → redeem → restore)
// with every limit, including many tills redeeming at once on real threads.
#include <gtest/gtest.h>

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <functional>
#include <latch>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

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
#include "loyalty/service/member_service.h"
#include "loyalty/service/points_service.h"
#include "loyalty/service/tier_service.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fakes.h"
#include "tests/support/test_env.h"

namespace loyalty {
namespace {

using namespace std::chrono_literals;

constexpr std::chrono::seconds kTtl{120};

Actor Admin() { return Actor::System("test"); }
Actor Cashier(std::vector<std::string> stores = {"S1"}) {
  return Actor{Principal{"id", "cashier1", Role::kCashier, std::move(stores)}, "till"};
}

std::string Slug(const Status& s) { return s ? "ok" : s.error().slug; }
std::string DetailOf(const Error& e, const char* key) {
  const std::string* v = e.Detail(key);
  return v ? *v : "<none>";
}

// Runs `work(i)` on `n` real threads that all start together.
void RunTogether(int n, const std::function<void(int)>& work) {
  std::latch start(n);
  std::vector<std::thread> threads;
  threads.reserve(n);
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      work(i);
    });
  }
  for (auto& t : threads) t.join();
}

class CouponDbTest : public ::testing::Test {
 protected:
  CouponDbTest()
      : ledger_(db_.pool()), program_(db_.pool()), member_repo_(db_.pool()),
        tier_repo_(db_.pool()), audit_(db_.pool()), definition_store_(db_.pool()),
        coupon_repo_(db_.pool()), jobs_(db_.pool(), random_),
        pii_(*ParseMasterKey(testing::RandomMasterKey())),
        members_(MemberPorts{member_repo_, pii_, random_, clock_, cache_, audit_}),
        points_(PointsPorts{ledger_, program_, member_repo_, random_, clock_}),
        tiers_(TierPorts{tier_repo_, program_, random_, clock_}),
        coupons_(definition_store_, coupon_repo_, jobs_, members_, tiers_, points_, random_, clock_,
                 Options()) {}

  static CouponServiceOptions Options(size_t bulk_batch = 2000) {
    CouponServiceOptions o;
    o.reservation_ttl = kTtl;
    o.bulk_batch = bulk_batch;
    return o;
  }

  void SetUp() override {
    ProgramConfig p = DefaultProgram();
    p.pending_days = 0;  // points earned in a test can be spent at once
    auto saved = points_.PutProgram(Admin(), p);
    ASSERT_TRUE(saved.has_value()) << saved.error().message;
  }

  std::string Enrol(const std::string& phone, std::optional<std::string> birthday = std::nullopt) {
    EnrolRequest r;
    r.phone = phone;
    r.name = "券测试";
    r.birthday = std::move(birthday);
    auto m = members_.Enrol(Admin(), r);
    EXPECT_TRUE(m.has_value()) << m.error().message;
    return m ? m->member_id : "";
  }

  static CouponDefinition FixedOff(int64_t amount_minor) {
    CouponDefinition d;
    d.name_zh = "立减";
    d.name_en = "Money off";
    d.kind = CouponKind::kFixedAmount;
    d.amount_minor = amount_minor;
    return d;
  }

  std::string Define(const CouponDefinition& d) {
    auto created = coupons_.CreateDefinition(Admin(), d);
    EXPECT_TRUE(created.has_value()) << created.error().message;
    return created ? created->id : "";
  }

  // A ¥5-off coupon in the rewards catalogue at 100 points.
  std::string DefinePricedAt100Points() {
    CouponDefinition priced = FixedOff(500);
    priced.points_cost = 100;
    return Define(priced);
  }

  // A new member holding `points` available points.
  std::string EnrolWithPoints(const std::string& phone, int64_t points) {
    const std::string m = Enrol(phone);
    auto earned =
        points_.Earn(Admin(), m, points, PointsReason{"award", "seed", "seed", std::nullopt});
    EXPECT_TRUE(earned.has_value()) << earned.error().message;
    return m;
  }

  // One coupon of `definition_id` for `member_id`.
  std::string IssueTo(const std::string& definition_id, const std::string& member_id,
                      const std::string& issue_ref) {
    IssueRequest r;
    r.member_ids = {member_id};
    auto issued = coupons_.Issue(Admin(), definition_id, r, issue_ref);
    EXPECT_TRUE(issued.has_value()) << issued.error().message;
    if (!issued || issued->issued.size() != 1) return "";
    return issued->issued[0].instance.code;
  }

  // `count` anonymous codes of `definition_id`, made by a bulk job.
  std::vector<std::string> Anonymous(const std::string& definition_id, int64_t count) {
    IssueRequest r;
    r.count = count;
    auto issued = coupons_.Issue(Admin(), definition_id, r, "bulk");
    EXPECT_TRUE(issued.has_value() && issued->job) << (issued ? "no job" : issued.error().message);
    if (!issued || !issued->job) return {};
    auto ran = coupons_.RunIssueJobs();
    EXPECT_TRUE(ran.has_value()) << ran.error().message;
    return JobCodes(issued->job->job_id);
  }

  std::vector<std::string> JobCodes(const std::string& job_id) {
    std::vector<std::string> codes;
    std::string after;
    while (true) {
      auto page = coupons_.JobCodes(Admin(), job_id, after, 10000);
      EXPECT_TRUE(page.has_value()) << page.error().message;
      if (!page) return codes;
      for (const auto& c : page->coupons) codes.push_back(c.instance.code);
      if (!page->next_cursor) return codes;
      after = *page->next_cursor;
    }
  }

  static CouponCheckout Checkout(const std::string& reservation_id,
                                 std::vector<std::string> codes,
                                 std::optional<std::string> member_id = std::nullopt,
                                 const std::string& store_id = "S1") {
    CouponCheckout c;
    c.reservation_id = reservation_id;
    c.member_id = std::move(member_id);
    c.store_id = store_id;
    c.lines = {BasketLine{1, "sku-1", "grocery", 1, 10000, 0}};
    c.codes = std::move(codes);
    return c;
  }

  // A till's whole checkout: quote, then redeem what the quote applied.
  Status QuoteAndRedeem(const Actor& till, const CouponCheckout& checkout,
                        const std::string& txn_ref) {
    auto quote = coupons_.Quote(till, checkout);
    if (!quote) {
      Error e = quote.error();
      e.message = "at the quote: " + e.message;  // the slug is unchanged
      return Fail(std::move(e));
    }
    if (quote->evaluation.applied.empty()) {
      std::string why = quote->evaluation.rejected.empty() ? "nothing applied"
                                                           : quote->evaluation.rejected[0].slug;
      return Fail(Code::kFailedPrecondition, "not_applied", why);
    }
    auto redeemed = coupons_.Redeem(till, checkout, quote->evaluation.applied, txn_ref);
    if (!redeemed) (void)coupons_.Release(till, checkout.reservation_id);  // the till gives up
    return redeemed;
  }

  CouponWalletState StateOf(const std::string& code) {
    auto view = coupons_.Lookup(Admin(), code);
    EXPECT_TRUE(view.has_value()) << view.error().message;
    return view ? view->state : CouponWalletState::kRevoked;
  }

  std::map<std::string, std::string> WalletStates(const std::string& member_id) {
    std::map<std::string, std::string> out;
    auto wallet = coupons_.Wallet(Cashier(), member_id, "", 100);
    EXPECT_TRUE(wallet.has_value()) << wallet.error().message;
    if (!wallet) return out;
    for (const auto& v : wallet->coupons) out[v.coupon.instance.code] = WalletStateName(v.state);
    return out;
  }

  int64_t QueryInt(const std::string& sql, const std::vector<std::string>& args) {
    int64_t value = -1;
    auto ran = db_.pool().Run([&](sql::Connection& c) -> Status {
      std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(sql));
      for (size_t i = 0; i < args.size(); ++i) s->setString(static_cast<int>(i + 1), args[i]);
      std::unique_ptr<sql::ResultSet> rs(s->executeQuery());
      if (rs->next()) value = rs->isNull(1) ? 0 : rs->getInt64(1);
      while (rs->next()) {
      }
      return {};
    });
    EXPECT_TRUE(ran.has_value()) << sql << ": " << (ran ? "" : ran.error().message);
    return value;
  }
  int64_t Redeemed(const std::string& definition_id) {
    return QueryInt(
        "SELECT COUNT(*) FROM coupons WHERE definition_id = ? AND status = 'redeemed'",
        {definition_id});
  }
  int64_t CounterUsed(const std::string& definition_id, const std::string& scope) {
    return QueryInt(
        "SELECT COALESCE(SUM(used), 0) FROM coupon_counters WHERE definition_id = ? AND scope = ?",
        {definition_id, scope});
  }
  int64_t BucketsOutOfRange(const std::string& definition_id) {
    return QueryInt(
        "SELECT COUNT(*) FROM coupon_counters WHERE definition_id = ? AND (used > cap OR used < 0)",
        {definition_id});
  }
  int64_t Available(const std::string& member_id) {
    auto s = points_.Summary(Admin(), member_id);
    EXPECT_TRUE(s.has_value()) << s.error().message;
    return s ? s->available : -1;
  }

  testing::FreshDatabase db_;
  test_support::FakeClock clock_;
  OpenSslRandom random_;
  test_support::NullMemberCache cache_;
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
  CouponService coupons_;
};

// ---- 1. One code, many tills ------------------------------------------------------------------

TEST_F(CouponDbTest, OneCodeRedeemedFromTwentyTillsAtOnceIsRedeemedOnce) {
  const std::string def = Define(FixedOff(500));
  const auto codes = Anonymous(def, 1);
  ASSERT_EQ(codes.size(), 1u);
  const std::string code = codes[0];

  // The till priced the sale with this evaluation (then let the quote go).
  auto priced = coupons_.Quote(Cashier(), Checkout("pricing", {code}));
  ASSERT_TRUE(priced.has_value()) << priced.error().message;
  ASSERT_EQ(priced->evaluation.applied.size(), 1u);
  ASSERT_TRUE(coupons_.Release(Cashier(), "pricing").has_value());
  const auto applied = priced->evaluation.applied;

  constexpr int kTills = 20;
  std::vector<Status> results(kTills);
  RunTogether(kTills, [&](int i) {
    results[i] = coupons_.Redeem(Cashier(), Checkout("till-" + std::to_string(i), {code}), applied,
                                 "txn-" + std::to_string(i));
  });

  int ok = 0;
  std::string winner_txn;
  for (int i = 0; i < kTills; ++i) {
    if (results[i]) {
      ++ok;
      winner_txn = "txn-" + std::to_string(i);
      continue;
    }
    const std::string slug = results[i].error().slug;
    EXPECT_TRUE(slug == "coupon_used" || slug == "coupon_reserved")
        << "till " << i << ": " << slug << " " << results[i].error().message;
  }
  ASSERT_EQ(ok, 1);
  auto stored = coupon_repo_.Find(code);
  ASSERT_TRUE(stored.has_value() && stored->has_value());
  EXPECT_EQ((*stored)->status, CouponStatus::kRedeemed);
  EXPECT_EQ((*stored)->redeemed_txn, winner_txn);
  EXPECT_EQ((*stored)->discount_minor, 500);
  EXPECT_EQ(StateOf(code), CouponWalletState::kUsed);
  auto by_txn = coupon_repo_.RedeemedBy(winner_txn);
  ASSERT_TRUE(by_txn.has_value());
  ASSERT_EQ(by_txn->size(), 1u);
  EXPECT_EQ((*by_txn)[0].instance.code, code);
  EXPECT_EQ(Redeemed(def), 1);
}

// The full till flow from 20 tills at once: each quotes (reserves) and commits. One sale gets
// the coupon; the others see it held or used, at the quote or at the commit.
TEST_F(CouponDbTest, OneCodeQuotedAndCommittedByTwentyTillsAtOnceIsRedeemedOnce) {
  const std::string def = Define(FixedOff(500));
  const auto codes = Anonymous(def, 1);
  ASSERT_EQ(codes.size(), 1u);

  constexpr int kTills = 20;
  std::vector<Status> results(kTills);
  RunTogether(kTills, [&](int i) {
    results[i] = QuoteAndRedeem(Cashier(), Checkout("till-" + std::to_string(i), codes),
                                "txn-" + std::to_string(i));
  });
  int ok = 0;
  for (int i = 0; i < kTills; ++i) {
    if (results[i]) {
      ++ok;
      continue;
    }
    const Error& e = results[i].error();
    const bool expected = e.slug == "coupon_used" || e.slug == "coupon_reserved" ||
                          (e.slug == "not_applied" && (e.message == "reserved" || e.message == "used"));
    EXPECT_TRUE(expected) << "till " << i << ": " << e.slug << " " << e.message;
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(Redeemed(def), 1);
  EXPECT_EQ(StateOf(codes[0]), CouponWalletState::kUsed);
}

// ---- 2. Per-member limit under concurrency ----------------------------------------------------

TEST_F(CouponDbTest, PerMemberLimitHoldsWhenTenTillsRedeemTheMembersCodesAtOnce) {
  CouponDefinition d = FixedOff(300);
  d.limits.per_member = 2;
  const std::string def = Define(d);
  const std::string m = Enrol("13700000001");
  std::vector<std::string> codes;
  for (int i = 0; i < 10; ++i) codes.push_back(IssueTo(def, m, "campaign-" + std::to_string(i)));
  ASSERT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), 10u);

  std::vector<Status> results(10);
  RunTogether(10, [&](int i) {
    results[i] = QuoteAndRedeem(Cashier(), Checkout("till-" + std::to_string(i), {codes[i]}, m),
                                "txn-" + std::to_string(i));
  });
  int ok = 0;
  for (int i = 0; i < 10; ++i) {
    if (results[i]) {
      ++ok;
      continue;
    }
    EXPECT_EQ(results[i].error().slug, "coupon_limit_reached")
        << "till " << i << ": " << results[i].error().message;
    EXPECT_EQ(DetailOf(results[i].error(), "limit"), "per_member");
    EXPECT_EQ(DetailOf(results[i].error(), "coupon_code"), codes[i]);
  }
  EXPECT_EQ(ok, 2);
  EXPECT_EQ(Redeemed(def), 2);
  EXPECT_EQ(QueryInt("SELECT used FROM coupon_member_counters WHERE member_id = ? AND "
                     "definition_id = ?",
                     {m, def}),
            2);
  // The member sees two used and, since the tills gave their quotes up, eight available.
  int used = 0, available = 0;
  for (const auto& [code, state] : WalletStates(m)) {
    used += state == "used";
    available += state == "available";
  }
  EXPECT_EQ(used, 2);
  EXPECT_EQ(available, 8);
}

// ---- 3. Total limit (bucketed), budget, per store, per period --------------------------------

class TotalLimitTest : public CouponDbTest, public ::testing::WithParamInterface<int> {};

TEST_P(TotalLimitTest, FortyTillsRedeemingFortyCodesAtOnceGetExactlyTheTotal) {
  const int total = GetParam();
  CouponDefinition d = FixedOff(200);
  d.limits.total = total;
  const std::string def = Define(d);
  const auto codes = Anonymous(def, 40);
  ASSERT_EQ(codes.size(), 40u);

  std::vector<Status> results(40);
  RunTogether(40, [&](int i) {
    results[i] = QuoteAndRedeem(Cashier(), Checkout("till-" + std::to_string(i), {codes[i]}),
                                "txn-" + std::to_string(i));
  });
  int ok = 0;
  for (int i = 0; i < 40; ++i) {
    if (results[i]) {
      ++ok;
      continue;
    }
    EXPECT_EQ(results[i].error().slug, "coupon_limit_reached")
        << "till " << i << ": " << results[i].error().message;
    EXPECT_EQ(DetailOf(results[i].error(), "limit"), "total");
  }
  EXPECT_EQ(ok, total);
  EXPECT_EQ(Redeemed(def), total);
  EXPECT_EQ(CounterUsed(def, "total"), total);
  EXPECT_EQ(BucketsOutOfRange(def), 0);
  // Once the total is used up nothing else goes through.
  const auto more = Anonymous(def, 1);
  ASSERT_EQ(more.size(), 1u);
  auto late = QuoteAndRedeem(Cashier(), Checkout("late", more), "txn-late");
  EXPECT_EQ(Slug(late), "coupon_limit_reached");
}

// 5 fits in five buckets of one; 37 spreads over 16 buckets of 2 or 3, so redemptions whose
// home bucket is full spill into the next ones.
INSTANTIATE_TEST_SUITE_P(Totals, TotalLimitTest, ::testing::Values(5, 37));

TEST_F(CouponDbTest, BudgetCapsTheSumOfDiscountsUnderConcurrency) {
  CouponDefinition d = FixedOff(1000);
  d.budget_minor = 3500;  // room for three ¥10 discounts, not four
  const std::string def = Define(d);
  const auto codes = Anonymous(def, 10);
  ASSERT_EQ(codes.size(), 10u);

  std::vector<Status> results(10);
  RunTogether(10, [&](int i) {
    results[i] = QuoteAndRedeem(Cashier(), Checkout("till-" + std::to_string(i), {codes[i]}),
                                "txn-" + std::to_string(i));
  });
  int ok = 0;
  for (int i = 0; i < 10; ++i) {
    if (results[i]) {
      ++ok;
      continue;
    }
    EXPECT_EQ(results[i].error().slug, "coupon_limit_reached") << results[i].error().message;
    EXPECT_EQ(DetailOf(results[i].error(), "limit"), "budget");
  }
  EXPECT_EQ(ok, 3);
  EXPECT_EQ(Redeemed(def), 3);
  EXPECT_EQ(CounterUsed(def, "budget"), 3000);
  EXPECT_EQ(BucketsOutOfRange(def), 0);
}

TEST_F(CouponDbTest, PerStoreLimitCountsEachStoreOnItsOwn) {
  CouponDefinition d = FixedOff(100);
  d.limits.per_store = 2;
  const std::string def = Define(d);
  const auto codes = Anonymous(def, 6);
  ASSERT_EQ(codes.size(), 6u);
  const Actor s1 = Cashier({"S1"}), s2 = Cashier({"S2"});

  EXPECT_EQ(Slug(QuoteAndRedeem(s1, Checkout("q0", {codes[0]}, {}, "S1"), "t0")), "ok");
  EXPECT_EQ(Slug(QuoteAndRedeem(s1, Checkout("q1", {codes[1]}, {}, "S1"), "t1")), "ok");
  auto third = QuoteAndRedeem(s1, Checkout("q2", {codes[2]}, {}, "S1"), "t2");
  ASSERT_EQ(Slug(third), "coupon_limit_reached");
  EXPECT_EQ(DetailOf(third.error(), "limit"), "per_store");
  // S2 has its own two.
  EXPECT_EQ(Slug(QuoteAndRedeem(s2, Checkout("q3", {codes[3]}, {}, "S2"), "t3")), "ok");
  EXPECT_EQ(Slug(QuoteAndRedeem(s2, Checkout("q4", {codes[4]}, {}, "S2"), "t4")), "ok");
  auto fifth = QuoteAndRedeem(s2, Checkout("q5", {codes[5]}, {}, "S2"), "t5");
  ASSERT_EQ(Slug(fifth), "coupon_limit_reached");
  EXPECT_EQ(DetailOf(fifth.error(), "limit"), "per_store");
  EXPECT_EQ(Redeemed(def), 4);
  EXPECT_EQ(StateOf(codes[2]), CouponWalletState::kAvailable);
}

TEST_F(CouponDbTest, PerDayLimitStartsAgainOnTheStoresNextLocalDay) {
  CouponDefinition d = FixedOff(100);
  d.limits.per_period = 2;
  d.limits.period = CouponPeriod::kDay;
  const std::string def = Define(d);
  const auto codes = Anonymous(def, 5);
  ASSERT_EQ(codes.size(), 5u);
  // 2026-03-01 23:30 in Shanghai (15:30 UTC).
  clock_.Set(Instant(date::sys_days(date::year{2026} / 3 / 1) + 15h + 30min));
  EXPECT_EQ(Slug(QuoteAndRedeem(Cashier(), Checkout("q0", {codes[0]}), "t0")), "ok");
  EXPECT_EQ(Slug(QuoteAndRedeem(Cashier(), Checkout("q1", {codes[1]}), "t1")), "ok");
  auto third = QuoteAndRedeem(Cashier(), Checkout("q2", {codes[2]}), "t2");
  ASSERT_EQ(Slug(third), "coupon_limit_reached");
  EXPECT_EQ(DetailOf(third.error(), "limit"), "per_period");
  // 2026-03-02 00:30 in Shanghai, still 2026-03-01 in UTC: a new business day for the store.
  clock_.Set(Instant(date::sys_days(date::year{2026} / 3 / 1) + 16h + 30min));
  EXPECT_EQ(Slug(QuoteAndRedeem(Cashier(), Checkout("q3", {codes[2]}), "t3")), "ok");
  EXPECT_EQ(Slug(QuoteAndRedeem(Cashier(), Checkout("q4", {codes[3]}), "t4")), "ok");
  auto sixth = QuoteAndRedeem(Cashier(), Checkout("q5", {codes[4]}), "t5");
  ASSERT_EQ(Slug(sixth), "coupon_limit_reached");
  EXPECT_EQ(DetailOf(sixth.error(), "limit"), "per_period");
  EXPECT_EQ(Redeemed(def), 4);
  EXPECT_EQ(CounterUsed(def, "period:day:2026-03-01"), 2);
  EXPECT_EQ(CounterUsed(def, "period:day:2026-03-02"), 2);
}

// ---- 4. Reservations --------------------------------------------------------------------------

TEST_F(CouponDbTest, AQuoteHoldsTheCouponUntilItsTtlAndThenTheWalletHasItBack) {
  const std::string def = Define(FixedOff(500));
  const std::string m = Enrol("13700000002");
  const std::string code = IssueTo(def, m, "r1");
  const Instant t0 = clock_.Now();

  auto q1 = coupons_.Quote(Cashier(), Checkout("q1", {code}, m));
  ASSERT_TRUE(q1.has_value()) << q1.error().message;
  ASSERT_EQ(q1->evaluation.applied.size(), 1u);
  EXPECT_EQ(q1->evaluation.applied[0].code, code);
  EXPECT_EQ(q1->evaluation.total_discount_minor, 500);
  ASSERT_TRUE(q1->reserved_until.has_value());
  EXPECT_EQ(*q1->reserved_until, t0 + kTtl);
  EXPECT_EQ(WalletStates(m)[code], "reserved");

  // Another till (another quote) cannot have it while it is held.
  auto q2 = coupons_.Quote(Cashier(), Checkout("q2", {code}, m));
  ASSERT_TRUE(q2.has_value()) << q2.error().message;
  EXPECT_TRUE(q2->evaluation.applied.empty());
  ASSERT_EQ(q2->evaluation.rejected.size(), 1u);
  EXPECT_EQ(q2->evaluation.rejected[0].code, code);
  EXPECT_EQ(q2->evaluation.rejected[0].reason, CouponRejection::kReserved);
  EXPECT_EQ(q2->evaluation.rejected[0].slug, "reserved");
  EXPECT_FALSE(q2->reserved_until.has_value());
  // Committing under another reservation is refused while q1 holds it.
  auto stolen = coupons_.Redeem(Cashier(), Checkout("q2", {code}, m), q1->evaluation.applied, "tx-2");
  ASSERT_EQ(Slug(stolen), "coupon_reserved");
  EXPECT_EQ(stolen.error().code, Code::kAborted);
  // Re-quoting the same checkout keeps it.
  auto again = coupons_.Quote(Cashier(), Checkout("q1", {code}, m));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->evaluation.applied.size(), 1u);

  // The till walks away: at the end of the TTL the member has it back without anything running.
  clock_.Set(t0 + kTtl - 1s);
  EXPECT_EQ(WalletStates(m)[code], "reserved");
  clock_.Set(t0 + kTtl);
  EXPECT_EQ(WalletStates(m)[code], "available");
  auto q3 = coupons_.Quote(Cashier(), Checkout("q3", {code}, m));
  ASSERT_TRUE(q3.has_value()) << q3.error().message;
  ASSERT_EQ(q3->evaluation.applied.size(), 1u) << "an ended reservation gives the coupon back";
  EXPECT_EQ(WalletStates(m)[code], "reserved");

  // q3 is abandoned as well; maintenance sets the stored row back, and leaves live holds alone.
  const std::string other = IssueTo(def, m, "r2");
  clock_.Advance(kTtl + 1s);
  auto live = coupons_.Quote(Cashier(), Checkout("q-live", {other}, m));
  ASSERT_TRUE(live.has_value());
  ASSERT_EQ(live->evaluation.applied.size(), 1u);
  auto released = coupons_.ReleaseEndedReservations();
  ASSERT_TRUE(released.has_value()) << released.error().message;
  EXPECT_EQ(*released, 1);
  auto stored = coupon_repo_.Find(code);
  ASSERT_TRUE(stored.has_value() && stored->has_value());
  EXPECT_EQ((*stored)->status, CouponStatus::kIssued);
  EXPECT_FALSE((*stored)->reservation_id.has_value());
  EXPECT_FALSE((*stored)->reserved_until.has_value());
  auto still = coupon_repo_.Find(other);
  ASSERT_TRUE(still.has_value() && still->has_value());
  EXPECT_EQ((*still)->status, CouponStatus::kReserved);
  EXPECT_EQ((*still)->reservation_id, "q-live");

  // Release gives it back at once.
  ASSERT_TRUE(coupons_.Release(Cashier(), "q-live").has_value());
  EXPECT_EQ(WalletStates(m)[other], "available");
  auto q4 = coupons_.Quote(Cashier(), Checkout("q4", {other}, m));
  ASSERT_TRUE(q4.has_value());
  ASSERT_EQ(q4->evaluation.applied.size(), 1u);

  // The sale commits under its own quote.
  ASSERT_EQ(Slug(coupons_.Redeem(Cashier(), Checkout("q4", {other}, m), q4->evaluation.applied,
                                 "tx-4")),
            "ok");
  EXPECT_EQ(WalletStates(m)[other], "used");
  auto done = coupon_repo_.Find(other);
  ASSERT_TRUE(done.has_value() && done->has_value());
  EXPECT_EQ((*done)->redeemed_txn, "tx-4");
  EXPECT_EQ((*done)->redeemed_member_id, m);
  EXPECT_EQ((*done)->redeemed_store_id, "S1");
  EXPECT_FALSE((*done)->reservation_id.has_value());
}

// ---- 5. Restore and replay --------------------------------------------------------------------

TEST_F(CouponDbTest, RestoreGivesTheCouponAndItsLimitsBackOnce) {
  CouponDefinition d = FixedOff(500);
  d.limits.total = 1;
  d.limits.per_member = 1;
  const std::string def = Define(d);
  const std::string m = Enrol("13700000003");
  const std::string a = IssueTo(def, m, "r-a");
  const std::string b = IssueTo(def, m, "r-b");

  ASSERT_EQ(Slug(QuoteAndRedeem(Cashier(), Checkout("q1", {a}, m), "sale-1")), "ok");
  auto blocked = QuoteAndRedeem(Cashier(), Checkout("q2", {b}, m), "sale-2");
  ASSERT_EQ(Slug(blocked), "coupon_limit_reached");

  clock_.Advance(1h);
  const Instant returned_at = clock_.Now();
  auto restored = coupons_.Restore(Cashier(), "sale-1", "Asia/Shanghai");
  ASSERT_TRUE(restored.has_value()) << restored.error().message;
  EXPECT_EQ(*restored, std::vector<std::string>{a});
  auto stored = coupon_repo_.Find(a);
  ASSERT_TRUE(stored.has_value() && stored->has_value());
  EXPECT_EQ((*stored)->status, CouponStatus::kIssued);
  EXPECT_EQ((*stored)->restored_at, returned_at);
  EXPECT_FALSE((*stored)->redeemed_txn.has_value());
  EXPECT_EQ(WalletStates(m)[a], "available");
  EXPECT_EQ(CounterUsed(def, "total"), 0);
  EXPECT_EQ(QueryInt("SELECT used FROM coupon_member_counters WHERE member_id = ? AND "
                     "definition_id = ?",
                     {m, def}),
            0);

  auto twice = coupons_.Restore(Cashier(), "sale-1", "Asia/Shanghai");
  ASSERT_TRUE(twice.has_value());
  EXPECT_TRUE(twice->empty()) << "a second return restores nothing";
  EXPECT_EQ(CounterUsed(def, "total"), 0) << "and gives nothing back twice";

  // The limit-1 offer can be used again: b now goes through.
  ASSERT_EQ(Slug(QuoteAndRedeem(Cashier(), Checkout("q3", {b}, m), "sale-3")), "ok");
  EXPECT_EQ(CounterUsed(def, "total"), 1);
  // ...and the returned a is now over the limit again.
  EXPECT_EQ(Slug(QuoteAndRedeem(Cashier(), Checkout("q4", {a}, m), "sale-4")),
            "coupon_limit_reached");
}

TEST_F(CouponDbTest, AReplayedRedeemIsANoOpAndDoesNotCountTwice) {
  CouponDefinition d = FixedOff(500);
  d.limits.total = 2;
  d.limits.per_member = 2;
  const std::string def = Define(d);
  const std::string m = Enrol("13700000004");
  const std::string a = IssueTo(def, m, "r-a");
  const std::string b = IssueTo(def, m, "r-b");

  auto quote = coupons_.Quote(Cashier(), Checkout("q1", {a}, m));
  ASSERT_TRUE(quote.has_value());
  ASSERT_EQ(quote->evaluation.applied.size(), 1u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Slug(coupons_.Redeem(Cashier(), Checkout("q1", {a}, m), quote->evaluation.applied,
                                   "sale-1")),
              "ok")
        << "attempt " << i;
  }
  EXPECT_EQ(CounterUsed(def, "total"), 1);
  // A replay by a different sale is not a replay.
  EXPECT_EQ(Slug(coupons_.Redeem(Cashier(), Checkout("q9", {a}, m), quote->evaluation.applied,
                                 "sale-9")),
            "coupon_used");
  // Limits of 2: the second coupon still fits, which it would not had the replays counted.
  ASSERT_EQ(Slug(QuoteAndRedeem(Cashier(), Checkout("q2", {b}, m), "sale-2")), "ok");
  EXPECT_EQ(CounterUsed(def, "total"), 2);
  EXPECT_EQ(Redeemed(def), 2);
}

// ---- 6. Bad input at the quote ----------------------------------------------------------------

TEST_F(CouponDbTest, EveryUnusableCodeIsRejectedWithItsReason) {
  const Instant now = clock_.Now();
  const std::string m = Enrol("13700000005");
  const std::string other_member = Enrol("13700000006");

  CouponDefinition expired = FixedOff(100);
  expired.validity.valid_from = now - std::chrono::days{10};
  expired.validity.valid_until = now - std::chrono::days{1};
  CouponDefinition future = FixedOff(100);
  future.validity.valid_from = now + std::chrono::days{1};
  CouponDefinition elsewhere = FixedOff(100);
  elsewhere.scope.store_ids = {"S2"};
  const std::string plain = Define(FixedOff(100));

  const std::string c_expired = IssueTo(Define(expired), m, "r");
  const std::string c_future = IssueTo(Define(future), m, "r");
  const std::string c_elsewhere = IssueTo(Define(elsewhere), m, "r");
  const std::string c_other = IssueTo(plain, other_member, "r");
  const std::string c_used = IssueTo(plain, m, "r-used");
  const std::string c_revoked = IssueTo(plain, m, "r-revoked");
  ASSERT_EQ(Slug(QuoteAndRedeem(Cashier(), Checkout("q-use", {c_used}, m), "sale-used")), "ok");
  auto revoked = coupons_.Revoke(Admin(), c_revoked, "issued by mistake");
  ASSERT_TRUE(revoked.has_value()) << revoked.error().message;
  EXPECT_EQ(revoked->state, CouponWalletState::kRevoked);

  // One symbol mistyped: the check symbol catches it.
  std::string typo = c_used;
  typo[3] = typo[3] == 'A' ? 'B' : 'A';
  ASSERT_FALSE(NormalizeCouponCode(typo).has_value());
  const std::string unknown = MakeCouponCode(random_.Bytes(kCouponRandomBytes), "");

  auto quote = coupons_.Quote(Cashier(), Checkout("q", {c_expired, c_future, c_elsewhere, c_other,
                                                        typo, unknown, c_used, c_revoked},
                                                  m));
  ASSERT_TRUE(quote.has_value()) << quote.error().message;
  EXPECT_TRUE(quote->evaluation.applied.empty());
  EXPECT_FALSE(quote->reserved_until.has_value());
  std::map<std::string, std::pair<CouponRejection, std::string>> got;
  for (const auto& r : quote->evaluation.rejected) got[r.code] = {r.reason, r.slug};
  const std::map<std::string, std::pair<CouponRejection, std::string>> want = {
      {c_expired, {CouponRejection::kExpired, "expired"}},
      {c_future, {CouponRejection::kNotYetValid, "not_yet_valid"}},
      {c_elsewhere, {CouponRejection::kWrongStore, "wrong_store"}},
      {c_other, {CouponRejection::kOtherMember, "other_member"}},
      {typo, {CouponRejection::kInvalidCode, "invalid_code"}},
      {unknown, {CouponRejection::kUnknownCode, "unknown_code"}},
      {c_used, {CouponRejection::kUsed, "used"}},
      {c_revoked, {CouponRejection::kRevoked, "revoked"}},
  };
  for (const auto& [code, reason] : want) {
    ASSERT_TRUE(got.count(code)) << "no rejection for " << code << " (" << reason.second << ")";
    EXPECT_EQ(got[code].first, reason.first) << code;
    EXPECT_EQ(got[code].second, reason.second) << code;
  }
  EXPECT_EQ(got.size(), want.size());
  // None of them was taken by the quote.
  EXPECT_EQ(WalletStates(m)[c_future], "available");
  EXPECT_EQ(WalletStates(m)[c_expired], "expired");
  EXPECT_EQ(WalletStates(other_member)[c_other], "available");

  auto typo_lookup = coupons_.Lookup(Cashier(), typo);
  ASSERT_FALSE(typo_lookup.has_value());
  EXPECT_EQ(typo_lookup.error().slug, "invalid_code");
  EXPECT_EQ(typo_lookup.error().code, Code::kInvalidArgument);
  auto unknown_lookup = coupons_.Lookup(Cashier(), unknown);
  ASSERT_FALSE(unknown_lookup.has_value());
  EXPECT_EQ(unknown_lookup.error().slug, "coupon_not_found");
  EXPECT_EQ(unknown_lookup.error().code, Code::kNotFound);
  // The printed form with dashes and lower case is the same coupon.
  std::string printed = FormatCouponCode(c_other);
  for (char& ch : printed) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto found = coupons_.Lookup(Cashier(), printed);
  ASSERT_TRUE(found.has_value()) << found.error().message;
  EXPECT_EQ(found->coupon.instance.code, c_other);
}

// ---- 7. Issuance ------------------------------------------------------------------------------

// The commit's last line of defence: whatever the till sends, a member's coupon is redeemed for
// that member only, checked under the coupon's row lock.
TEST_F(CouponDbTest, AMembersCouponIsNeverRedeemedForAnotherMemberOrAnAnonymousSale) {
  const std::string def = Define(FixedOff(500));
  const std::string owner = Enrol("13700000001");
  const std::string other = Enrol("13700000002");
  const std::string code = IssueTo(def, owner, "own-1");
  ASSERT_FALSE(code.empty());
  AppliedCoupon applied;
  applied.code = code;
  applied.definition_id = def;
  applied.total_discount_minor = 500;
  for (const std::optional<std::string>& shopper : {std::optional<std::string>(other),
                                                   std::optional<std::string>()}) {
    const Status redeemed =
        coupons_.Redeem(Cashier(), Checkout("till-x", {code}, shopper), {applied}, "txn-x");
    ASSERT_FALSE(redeemed.has_value());
    EXPECT_EQ(redeemed.error().slug, "coupon_other_member");
    EXPECT_EQ(DetailOf(redeemed.error(), "coupon_code"), code);
  }
  EXPECT_EQ(StateOf(code), CouponWalletState::kAvailable);
  EXPECT_TRUE(coupons_.Redeem(Cashier(), Checkout("till-y", {code}, owner), {applied}, "txn-y"));
  EXPECT_EQ(StateOf(code), CouponWalletState::kUsed);
}

TEST_F(CouponDbTest, IssuingToMembersGivesEachOneCouponAndARepeatGivesTheSameCodes) {
  const std::string def = Define(FixedOff(100));
  const std::vector<std::string> ids = {Enrol("13700000011"), Enrol("13700000012"),
                                        Enrol("13700000013")};
  IssueRequest r;
  r.member_ids = ids;
  auto first = coupons_.Issue(Admin(), def, r, "spring-1");
  ASSERT_TRUE(first.has_value()) << first.error().message;
  ASSERT_EQ(first->issued.size(), 3u);
  std::set<std::string> codes;
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(first->issued[i].instance.member_id, ids[i]);
    EXPECT_EQ(first->issued[i].instance.definition_id, def);
    codes.insert(first->issued[i].instance.code);
    auto wallet = WalletStates(ids[i]);
    ASSERT_EQ(wallet.size(), 1u);
    EXPECT_EQ(wallet.begin()->first, first->issued[i].instance.code);
    EXPECT_EQ(wallet.begin()->second, "available");
  }
  EXPECT_EQ(codes.size(), 3u);

  auto repeat = coupons_.Issue(Admin(), def, r, "spring-1");
  ASSERT_TRUE(repeat.has_value()) << repeat.error().message;
  ASSERT_EQ(repeat->issued.size(), 3u);
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(repeat->issued[i].instance.code, first->issued[i].instance.code);
    EXPECT_EQ(WalletStates(ids[i]).size(), 1u) << "no second coupon";
  }
  // A new request is a new coupon.
  IssueRequest one;
  one.member_ids = {ids[0]};
  auto next = coupons_.Issue(Admin(), def, one, "spring-2");
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(WalletStates(ids[0]).size(), 2u);

  IssueRequest bad;
  bad.member_ids = {ids[1], "000000000000000000000000"};
  auto refused = coupons_.Issue(Admin(), def, bad, "spring-3");
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().slug, "member_not_found");
  EXPECT_EQ(refused.error().code, Code::kNotFound);
  EXPECT_EQ(DetailOf(refused.error(), "field"), "member_ids[1]");
  EXPECT_EQ(DetailOf(refused.error(), "member_id"), "000000000000000000000000");
  EXPECT_EQ(WalletStates(ids[1]).size(), 1u) << "a refused request issues nothing";
}

TEST_F(CouponDbTest, ABulkJobMakesExactlyTheRequestedNumberOfValidDistinctCodes) {
  const std::string def = Define(FixedOff(100));
  IssueRequest r;
  r.count = 4500;
  r.prefix = "sale";  // typed in lower case; codes carry it upper-cased
  auto issued = coupons_.Issue(Admin(), def, r, "bulk-1");
  ASSERT_TRUE(issued.has_value()) << issued.error().message;
  ASSERT_TRUE(issued->job.has_value());
  EXPECT_TRUE(issued->issued.empty());
  const std::string job_id = issued->job->job_id;
  auto queued = coupons_.GetJob(Admin(), job_id);
  ASSERT_TRUE(queued.has_value());
  EXPECT_EQ(queued->state, IssueJobState::kQueued);
  EXPECT_EQ(queued->requested, 4500);

  auto made = coupons_.RunIssueJobs();
  ASSERT_TRUE(made.has_value()) << made.error().message;
  EXPECT_EQ(*made, 4500);
  auto job = coupons_.GetJob(Admin(), job_id);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->state, IssueJobState::kDone);
  EXPECT_EQ(job->issued, 4500);
  EXPECT_TRUE(job->finished_at.has_value());

  const auto codes = JobCodes(job_id);
  EXPECT_EQ(codes.size(), 4500u);
  EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), 4500u);
  for (const std::string& code : codes) {
    auto normalized = NormalizeCouponCode(code);
    ASSERT_TRUE(normalized.has_value()) << code;
    EXPECT_EQ(*normalized, code);
    auto printed = NormalizeCouponCode(FormatCouponCode(code));
    ASSERT_TRUE(printed.has_value()) << code;
    EXPECT_EQ(*printed, code);
    ASSERT_TRUE(code.starts_with("SALE-")) << code;
  }
  // A later run has nothing to do.
  auto rerun = coupons_.RunIssueJobs();
  ASSERT_TRUE(rerun.has_value());
  EXPECT_EQ(*rerun, 0);
  EXPECT_EQ(coupon_repo_.CountByIssueRef("job:" + job_id).value_or(-1), 4500);
  // An anonymous code is usable by anyone.
  EXPECT_EQ(Slug(QuoteAndRedeem(Cashier(), Checkout("q", {codes[17]}), "sale")), "ok");
}

// The issue's bar for anonymous bulk codes: a million in one job, all distinct and well-formed.
TEST_F(CouponDbTest, AMillionAnonymousCodesFinishDistinctAndWellFormed) {
  constexpr int64_t kCount = 1'000'000;
  IssueRequest r;
  r.count = kCount;
  r.prefix = "NY";
  auto issued = coupons_.Issue(Admin(), Define(FixedOff(1000)), r, "bulk");
  ASSERT_TRUE(issued.has_value() && issued->job);
  auto made = coupons_.RunIssueJobs();
  ASSERT_TRUE(made.has_value()) << made.error().message;
  EXPECT_EQ(*made, kCount);
  auto job = coupons_.GetJob(Admin(), issued->job->job_id);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->state, IssueJobState::kDone);
  EXPECT_EQ(job->issued, kCount);
  const std::vector<std::string> codes = JobCodes(issued->job->job_id);
  ASSERT_EQ(static_cast<int64_t>(codes.size()), kCount);
  EXPECT_EQ(static_cast<int64_t>(std::set<std::string>(codes.begin(), codes.end()).size()), kCount);
  for (const std::string& code : codes) {
    ASSERT_TRUE(code.starts_with("NY-")) << code;
    auto normalized = NormalizeCouponCode(code);
    ASSERT_TRUE(normalized.has_value() && *normalized == code) << code;
  }
  EXPECT_EQ(coupons_.RunIssueJobs().value_or(-1), 0);  // nothing left to do
}

TEST_F(CouponDbTest, AJobResumedAfterACrashNeverMakesMoreThanRequested) {
  const std::string def = Define(FixedOff(100));
  auto definition = coupons_.GetDefinition(Admin(), def);
  ASSERT_TRUE(definition.has_value());
  IssueRequest r;
  r.count = 1000;
  auto issued = coupons_.Issue(Admin(), def, r, "bulk-crash");
  ASSERT_TRUE(issued.has_value() && issued->job.has_value());
  const std::string job_id = issued->job->job_id;
  const std::string issue_ref = "job:" + job_id;

  // A worker claims it, makes 350 codes and dies.
  auto claimed = jobs_.Claim(clock_.Now(), clock_.Now() + 60s);
  ASSERT_TRUE(claimed.has_value() && claimed->has_value());
  ASSERT_EQ((*claimed)->job_id, job_id);
  auto codes_of = [&](int n) {
    std::vector<IssuedCoupon> batch;
    for (int i = 0; i < n; ++i) {
      IssuedCoupon c;
      c.instance = IssueCouponInstance(*definition,
                                       MakeCouponCode(random_.Bytes(kCouponRandomBytes), ""),
                                       std::nullopt, clock_.Now());
      c.issue_ref = issue_ref;
      batch.push_back(std::move(c));
    }
    return batch;
  };
  ASSERT_EQ(jobs_.InsertBatch(**claimed, codes_of(350), clock_.Now() + 60s).value_or(-1), 350);

  // Another worker, with small batches, cannot take it while the lease lasts...
  CouponService worker(definition_store_, coupon_repo_, jobs_, members_, tiers_, points_, random_,
                       clock_, Options(/*bulk_batch=*/64));
  auto early = worker.RunIssueJobs();
  ASSERT_TRUE(early.has_value()) << early.error().message;
  EXPECT_EQ(*early, 0);
  EXPECT_EQ(coupon_repo_.CountByIssueRef(issue_ref).value_or(-1), 350);
  // ...and resumes it once the lease has run out, making only what is missing.
  clock_.Advance(61s);
  auto resumed = worker.RunIssueJobs();
  ASSERT_TRUE(resumed.has_value()) << resumed.error().message;
  EXPECT_EQ(*resumed, 650);
  EXPECT_EQ(coupon_repo_.CountByIssueRef(issue_ref).value_or(-1), 1000);
  auto job = coupons_.GetJob(Admin(), job_id);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->state, IssueJobState::kDone);
  EXPECT_EQ(job->issued, 1000);
  const auto codes = JobCodes(job_id);
  EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), 1000u);
  // The first worker wakes up and tries one more batch: its lease is gone, nothing goes in.
  auto stale = jobs_.InsertBatch(**claimed, codes_of(100), clock_.Now() + 60s);
  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error().slug, "lease_lost");
  EXPECT_EQ(coupon_repo_.CountByIssueRef(issue_ref).value_or(-1), 1000);
}

TEST_F(CouponDbTest, TwoWorkersRunningJobsAtOnceMakeEachJobsCountExactly) {
  const std::string def = Define(FixedOff(100));
  std::vector<std::string> jobs;
  for (int64_t count : {1500, 700}) {
    IssueRequest r;
    r.count = count;
    auto issued = coupons_.Issue(Admin(), def, r, "bulk");
    ASSERT_TRUE(issued.has_value() && issued->job.has_value());
    jobs.push_back(issued->job->job_id);
  }
  CouponService w1(definition_store_, coupon_repo_, jobs_, members_, tiers_, points_, random_,
                   clock_, Options(100));
  CouponService w2(definition_store_, coupon_repo_, jobs_, members_, tiers_, points_, random_,
                   clock_, Options(100));
  std::vector<Result<int64_t>> made(2);
  RunTogether(2, [&](int i) { made[i] = (i == 0 ? w1 : w2).RunIssueJobs(); });
  ASSERT_TRUE(made[0].has_value()) << made[0].error().message;
  ASSERT_TRUE(made[1].has_value()) << made[1].error().message;
  EXPECT_EQ(*made[0] + *made[1], 2200);
  EXPECT_EQ(coupon_repo_.CountByIssueRef("job:" + jobs[0]).value_or(-1), 1500);
  EXPECT_EQ(coupon_repo_.CountByIssueRef("job:" + jobs[1]).value_or(-1), 700);
}

// ---- 8. Points for a coupon -------------------------------------------------------------------

TEST_F(CouponDbTest, ExchangingPointsForACouponChargesOnceAndNeedsTheBalance) {
  const std::string def = DefinePricedAt100Points();
  const std::string not_for_sale = Define(FixedOff(500));
  const std::string m = EnrolWithPoints("13700000021", 150);
  ASSERT_EQ(Available(m), 150);

  auto got = coupons_.Exchange(Cashier(), m, def, "x-1");
  ASSERT_TRUE(got.has_value()) << got.error().message;
  EXPECT_EQ(got->coupon.instance.member_id, m);
  EXPECT_EQ(got->coupon.instance.definition_id, def);
  EXPECT_EQ(got->state, CouponWalletState::kAvailable);
  EXPECT_EQ(Available(m), 50);
  auto wallet = WalletStates(m);
  ASSERT_EQ(wallet.size(), 1u);
  EXPECT_EQ(wallet.begin()->first, got->coupon.instance.code);

  // A repeat of the same exchange is the same coupon, not another charge.
  auto repeat = coupons_.Exchange(Cashier(), m, def, "x-1");
  ASSERT_TRUE(repeat.has_value()) << repeat.error().message;
  EXPECT_EQ(repeat->coupon.instance.code, got->coupon.instance.code);
  EXPECT_EQ(Available(m), 50);

  auto broke = coupons_.Exchange(Cashier(), m, def, "x-2");
  ASSERT_FALSE(broke.has_value());
  EXPECT_EQ(broke.error().slug, "insufficient_points");
  EXPECT_EQ(Available(m), 50);
  EXPECT_EQ(WalletStates(m).size(), 1u) << "no coupon without the points";

  auto not_exchangeable = coupons_.Exchange(Cashier(), m, not_for_sale, "x-3");
  ASSERT_FALSE(not_exchangeable.has_value());
  EXPECT_EQ(not_exchangeable.error().slug, "coupon_not_exchangeable");
  EXPECT_EQ(Available(m), 50);
  EXPECT_EQ(WalletStates(m).size(), 1u);

  auto audit = points_.AuditLedger();
  ASSERT_TRUE(audit.has_value());
  EXPECT_TRUE(audit->empty());
}

TEST_F(CouponDbTest, ExchangesFromManyTillsAtOnceSpendOnlyTheBalance) {
  const std::string def = DefinePricedAt100Points();
  const std::string m = EnrolWithPoints("13700000022", 250);
  ASSERT_EQ(Available(m), 250);

  std::vector<Result<CouponView>> results(8);
  RunTogether(8, [&](int i) {
    results[i] = coupons_.Exchange(Cashier(), m, def, "x-" + std::to_string(i));
  });
  int ok = 0;
  for (const auto& r : results) {
    if (r) {
      ++ok;
      continue;
    }
    EXPECT_EQ(r.error().slug, "insufficient_points") << r.error().message;
  }
  EXPECT_EQ(ok, 2);
  EXPECT_EQ(Available(m), 50);
  EXPECT_EQ(WalletStates(m).size(), 2u);
  auto audit = points_.AuditLedger();
  ASSERT_TRUE(audit.has_value());
  EXPECT_TRUE(audit->empty());
}

// A till that sends the same exchange again while the first is still running (a double tap, a
// network retry) must not charge twice: exchange_ref makes a repeat a no-op.
TEST_F(CouponDbTest, TheSameExchangeSentFromEightThreadsAtOnceChargesOnce) {
  const std::string def = DefinePricedAt100Points();
  const std::string m = EnrolWithPoints("13700000023", 1000);
  ASSERT_EQ(Available(m), 1000);

  std::vector<Result<CouponView>> results(8);
  RunTogether(8, [&](int i) { results[i] = coupons_.Exchange(Cashier(), m, def, "x-same"); });
  std::set<std::string> codes;
  for (const auto& r : results) {
    if (r) {
      codes.insert(r->coupon.instance.code);
    } else {
      ADD_FAILURE() << "a repeat failed: " << r.error().slug << " " << r.error().message;
    }
  }
  EXPECT_LE(codes.size(), 1u) << "every repeat answers with the same coupon";
  EXPECT_EQ(WalletStates(m).size(), 1u);
  EXPECT_EQ(Available(m), 900) << "100 points for one coupon, charged once";
}

// ---- 9. Birthday coupon -----------------------------------------------------------------------

TEST_F(CouponDbTest, TheBirthdayCouponIsIssuedOnceInTheMembersBirthdayMonthInTheChainsZone) {
  CouponDefinition gift = FixedOff(2000);
  gift.name_zh = "生日礼券";
  gift.name_en = "Birthday gift";
  const std::string def = Define(gift);
  auto program = points_.GetProgram(Admin());
  ASSERT_TRUE(program.has_value());
  ProgramConfig p = *program;
  for (TierLevel& level : p.tiers.levels) level.benefits.birthday_coupon_definition_id = def;
  auto saved = points_.PutProgram(Admin(), p);
  ASSERT_TRUE(saved.has_value()) << saved.error().message;

  // 2026-02-28 17:00 UTC is 2026-03-01 01:00 in Shanghai: March for the chain, February in UTC.
  clock_.Set(Instant(date::sys_days(date::year{2026} / 2 / 28) + 17h));
  const std::string march = Enrol("13700000031", "1990-03-15");
  const std::string february = Enrol("13700000032", "1990-02-10");
  const std::string april = Enrol("13700000033", "1991-04-01");

  auto wallet = coupons_.Wallet(Cashier(), march, "", 50);
  ASSERT_TRUE(wallet.has_value()) << wallet.error().message;
  ASSERT_EQ(wallet->coupons.size(), 1u);
  EXPECT_EQ(wallet->coupons[0].coupon.instance.definition_id, def);
  EXPECT_EQ(wallet->coupons[0].definition.name_en, "Birthday gift");
  EXPECT_EQ(wallet->coupons[0].state, CouponWalletState::kAvailable);
  EXPECT_EQ(wallet->coupons[0].coupon.issue_ref, "birthday:2026");
  const std::string code = wallet->coupons[0].coupon.instance.code;

  for (int i = 0; i < 3; ++i) {
    auto again = coupons_.Wallet(Cashier(), march, "", 50);
    ASSERT_TRUE(again.has_value());
    ASSERT_EQ(again->coupons.size(), 1u) << "opening the wallet again issues nothing more";
    EXPECT_EQ(again->coupons[0].coupon.instance.code, code);
  }
  // Many devices opening the wallet at once still give one coupon.
  const std::string also_march = Enrol("13700000034", "2000-03-31");
  RunTogether(8, [&](int) { (void)coupons_.Wallet(Cashier(), also_march, "", 50); });
  EXPECT_EQ(WalletStates(also_march).size(), 1u);

  EXPECT_TRUE(WalletStates(february).empty()) << "February is over in Shanghai";
  EXPECT_TRUE(WalletStates(april).empty());
}

}  // namespace
}  // namespace loyalty
