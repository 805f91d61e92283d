// Tiers end to end on the real MariaDB adapters: purchases through PurchaseService upgrade at the
// qualifying transaction, earn at the new level afterwards, mirror into members, manual
// assignment with history and audit, reviews after the grace period, and concurrent purchases.
#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <gtest/gtest.h>

#include <chrono>
#include <latch>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "loyalty/common/time_format.h"
#include "loyalty/crypto/openssl_crypto.h"
#include "loyalty/mysql/mysql_audit_log.h"
#include "loyalty/mysql/mysql_ledger_repository.h"
#include "loyalty/mysql/mysql_member_repository.h"
#include "loyalty/mysql/mysql_program_store.h"
#include "loyalty/mysql/mysql_tier_repository.h"
#include "loyalty/mysql/sql_values.h"
#include "loyalty/service/member_service.h"
#include "loyalty/service/points_service.h"
#include "loyalty/service/purchase_service.h"
#include "loyalty/service/tier_service.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fakes.h"
#include "tests/support/test_env.h"

namespace loyalty {
namespace {

using namespace std::chrono_literals;
using test_support::FakeClock;

// ---------------------------------------------------------------------------------------------
// One migrated database for the whole binary; tests keep apart by enrolling their own members.

testing::FreshDatabase* g_db = nullptr;

class DatabaseEnvironment final : public ::testing::Environment {
 public:
  void SetUp() override {
    g_db = new testing::FreshDatabase();
    // The program every test runs under: the default one with points available at once.
    MysqlProgramStore store(g_db->pool());
    SystemClock clock;
    OpenSslRandom random;
    MysqlLedgerRepository ledger(g_db->pool());
    MysqlMemberRepository members(g_db->pool());
    PointsService points(PointsPorts{ledger, store, members, random, clock});
    ProgramConfig program = DefaultProgram();
    program.pending_days = 0;
    program.version = 0;
    auto saved = points.PutProgram(Actor::System("tiers-setup"), program);
    ASSERT_TRUE(saved.has_value()) << saved.error().message;
    ASSERT_EQ(saved->version, 1);
  }
  void TearDown() override {
    delete g_db;
    g_db = nullptr;
  }
};

const auto* const g_environment = ::testing::AddGlobalTestEnvironment(new DatabaseEnvironment);

MysqlPool& Pool() { return g_db->pool(); }

std::unique_ptr<sql::PreparedStatement> Prepare(sql::Connection& c, const std::string& sql,
                                                const std::vector<std::string>& args) {
  std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(sql));
  for (size_t i = 0; i < args.size(); ++i) s->setString(static_cast<int>(i + 1), args[i]);
  return s;
}

int64_t QueryInt(const std::string& sql, const std::vector<std::string>& args) {
  int64_t value = -1;
  auto ran = Pool().Run([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::ResultSet> rs(Prepare(c, sql, args)->executeQuery());
    if (rs->next()) value = rs->getInt64(1);
    while (rs->next()) {
    }
    return {};
  });
  EXPECT_TRUE(ran.has_value()) << sql << ": " << (ran ? "" : ran.error().message);
  return value;
}

std::optional<std::string> QueryString(const std::string& sql,
                                       const std::vector<std::string>& args) {
  std::optional<std::string> value;
  auto ran = Pool().Run([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::ResultSet> rs(Prepare(c, sql, args)->executeQuery());
    if (rs->next() && !rs->isNull(1)) value = std::string(rs->getString(1));
    while (rs->next()) {
    }
    return {};
  });
  EXPECT_TRUE(ran.has_value()) << sql << ": " << (ran ? "" : ran.error().message);
  return value;
}

std::string Show(Instant t) { return FormatInstant(t); }

// ---------------------------------------------------------------------------------------------

class TierDbTest : public ::testing::Test {
 protected:
  TierDbTest()
      : pii_(*ParseMasterKey(testing::RandomMasterKey())),
        members_(Pool()),
        audit_(Pool()),
        program_(Pool()),
        ledger_(Pool()),
        tier_repo_(Pool()),
        member_service_(MemberPorts{members_, pii_, random_, clock_, cache_, audit_}),
        points_(PointsPorts{ledger_, program_, members_, random_, clock_}),
        tiers_(TierPorts{tier_repo_, program_, random_, clock_}),
        purchases_(members_, pii_, program_, points_, tiers_) {}

  static Actor Cashier() {
    return Actor{Principal{"staff-cashier1", "cashier1", Role::kCashier, {"S1"}}, "req-cashier"};
  }
  static Actor Manager() {
    return Actor{Principal{"staff-manager1", "manager1", Role::kStoreManager, {"S1"}},
                 "req-manager"};
  }

  std::string Enrol() {
    EnrolRequest r;
    std::string digits;
    for (uint8_t b : random_.Bytes(8)) digits += static_cast<char>('0' + b % 10);
    r.phone = "139" + digits;
    r.name = "会员 " + digits;
    r.home_store_id = "S1";
    auto m = member_service_.Enrol(Cashier(), r);
    EXPECT_TRUE(m.has_value()) << m.error().slug << ": " << m.error().message;
    return m ? m->member_id : std::string();
  }

  // One line of `yuan` paid in S1 at the clock's time.
  Result<PurchaseResult> Buy(const std::string& member_id, int64_t yuan) {
    Purchase p;
    p.ref = "txn-" + random_.NewId();
    p.store_id = "S1";
    p.at = clock_.Now();
    BasketLine line;
    line.line_no = 1;
    line.sku = "GROCERY";
    line.category = "grocery";
    line.net_minor = yuan * 100;
    p.lines = {line};
    return purchases_.Record(Cashier(), member_id, p);
  }

  TierView View(const std::string& member_id) {
    auto v = tiers_.View(Cashier(), member_id);
    EXPECT_TRUE(v.has_value()) << v.error().message;
    return v ? *v : TierView{};
  }

  std::string MemberTier(const std::string& member_id) {
    auto m = member_service_.Get(Cashier(), member_id);
    EXPECT_TRUE(m.has_value()) << m.error().message;
    return m ? m->tier : std::string();
  }

  int64_t HistoryRows(const std::string& member_id) {
    return QueryInt("SELECT COUNT(*) FROM tier_history WHERE member_id = ?", {member_id});
  }
  int64_t AssignAudits(const std::string& member_id) {
    return QueryInt("SELECT COUNT(*) FROM audit_log WHERE action = 'tier.assign' AND target_id = ?",
                    {member_id});
  }

  AesGcmPiiProtector pii_;
  OpenSslRandom random_;
  FakeClock clock_;
  test_support::NullMemberCache cache_;
  MysqlMemberRepository members_;
  MysqlAuditLog audit_;
  MysqlProgramStore program_;
  MysqlLedgerRepository ledger_;
  MysqlTierRepository tier_repo_;
  MemberService member_service_;
  PointsService points_;
  TierService tiers_;
  PurchaseService purchases_;
};

TEST_F(TierDbTest, ProgramIsTheDefaultWithNoPendingDays) {
  auto p = program_.Current();
  ASSERT_TRUE(p.has_value()) << p.error().message;
  EXPECT_EQ(p->pending_days, 0);
  ASSERT_EQ(p->tiers.levels.size(), 4u);
  EXPECT_EQ(p->tiers.levels[1].threshold, 200000);
  EXPECT_EQ(p->tiers.levels[1].earn_multiplier, (Rational{5, 4}));
}

TEST_F(TierDbTest, NewMemberIsBaseWithTheWholeWayToSilverAhead) {
  const std::string id = Enrol();
  const TierView v = View(id);
  EXPECT_EQ(v.status.tier, "base");
  EXPECT_FALSE(v.status.review_at.has_value());
  EXPECT_EQ(v.level.code, "base");
  EXPECT_EQ(v.level.name_zh, "普通会员");
  EXPECT_EQ(v.metric, TierMetric::kSpend);
  EXPECT_EQ(v.qualifying_value, 0);
  ASSERT_TRUE(v.next_level.has_value());
  EXPECT_EQ(v.next_level->code, "silver");
  EXPECT_EQ(v.remaining_to_next, 200000);
  EXPECT_TRUE(v.history.empty());
  EXPECT_EQ(MemberTier(id), "base");
}

TEST_F(TierDbTest, SilverExactlyAtTheQualifyingPurchaseAndItsMultiplierOnlyAfterwards) {
  const std::string id = Enrol();
  clock_.Advance(1h);

  auto first = Buy(id, 1000);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ(first->earned.points, 1000);
  EXPECT_FALSE(first->tier_change.has_value());
  EXPECT_EQ(first->available, 1000);
  TierView v = View(id);
  EXPECT_EQ(v.status.tier, "base");
  EXPECT_EQ(v.qualifying_value, 100000);
  EXPECT_EQ(v.remaining_to_next, 100000);

  clock_.Advance(24h);
  const Instant second_at = clock_.Now();
  auto second = Buy(id, 1500);
  ASSERT_TRUE(second.has_value()) << second.error().message;
  // This purchase is the one that qualifies: it still earns at the base rate.
  EXPECT_EQ(second->earned.points, 1500);
  EXPECT_EQ(second->earned.multiplier, (Rational{1, 1}));
  ASSERT_TRUE(second->tier_change.has_value());
  EXPECT_EQ(second->tier_change->from, "base");
  EXPECT_EQ(second->tier_change->to, "silver");
  EXPECT_EQ(second->tier_change->reason, "qualified");
  EXPECT_EQ(Show(second->tier_change->at), Show(second_at));

  v = View(id);
  EXPECT_EQ(v.status.tier, "silver");
  EXPECT_EQ(Show(v.status.since), Show(second_at));
  ASSERT_TRUE(v.status.review_at.has_value());
  EXPECT_GT(*v.status.review_at, second_at + std::chrono::days(365));
  EXPECT_EQ(v.level.code, "silver");
  EXPECT_EQ(v.level.name_zh, "银卡");
  EXPECT_EQ(v.level.name_en, "Silver");
  EXPECT_EQ(v.level.benefits.free_parking_hours, 1);
  EXPECT_FALSE(v.level.benefits.priority_service);
  EXPECT_EQ(v.qualifying_value, 250000);
  ASSERT_TRUE(v.next_level.has_value());
  EXPECT_EQ(v.next_level->code, "gold");
  EXPECT_EQ(v.remaining_to_next, 550000);
  ASSERT_EQ(v.history.size(), 1u);
  EXPECT_EQ(v.history[0].from, "base");
  EXPECT_EQ(v.history[0].to, "silver");
  EXPECT_EQ(v.history[0].reason, "qualified");
  EXPECT_EQ(Show(v.history[0].at), Show(second_at));

  // The members row mirrors the level.
  EXPECT_EQ(MemberTier(id), "silver");
  EXPECT_EQ(QueryString("SELECT tier FROM members WHERE member_id = ?", {id}).value_or("<none>"),
            "silver");

  // The next purchase earns 5/4: ¥100 -> 125 points.
  clock_.Advance(1h);
  auto third = Buy(id, 100);
  ASSERT_TRUE(third.has_value()) << third.error().message;
  EXPECT_EQ(third->earned.multiplier, (Rational{5, 4}));
  EXPECT_EQ(third->earned.points, 125);
  EXPECT_FALSE(third->tier_change.has_value());
  EXPECT_EQ(third->available, 1000 + 1500 + 125);

  auto summary = points_.Summary(Cashier(), id);
  ASSERT_TRUE(summary.has_value()) << summary.error().message;
  EXPECT_EQ(summary->available, 2625);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM tier_activity WHERE member_id = ?", {id}), 3);
  EXPECT_EQ(
      QueryInt("SELECT COALESCE(SUM(points), 0) FROM tier_activity WHERE member_id = ?", {id}),
      2625);
}

TEST_F(TierDbTest, OnePurchaseCanSkipStraightToGold) {
  const std::string id = Enrol();
  auto bought = Buy(id, 8000);
  ASSERT_TRUE(bought.has_value()) << bought.error().message;
  ASSERT_TRUE(bought->tier_change.has_value());
  EXPECT_EQ(bought->tier_change->from, "base");
  EXPECT_EQ(bought->tier_change->to, "gold");
  const TierView v = View(id);
  EXPECT_EQ(v.status.tier, "gold");
  EXPECT_EQ(v.next_level->code, "diamond");
  EXPECT_EQ(v.remaining_to_next, 1200000);
  EXPECT_EQ(HistoryRows(id), 1);
  EXPECT_EQ(MemberTier(id), "gold");
}

TEST_F(TierDbTest, StoreManagerAssignsGoldByHandWithHistoryAndAudit) {
  const std::string id = Enrol();
  ASSERT_TRUE(Buy(id, 2500).has_value());
  ASSERT_EQ(MemberTier(id), "silver");
  clock_.Advance(2h);
  const Instant at = clock_.Now();

  auto assigned = tiers_.Assign(Manager(), id, "gold", "store opening VIP");
  ASSERT_TRUE(assigned.has_value()) << assigned.error().message;
  EXPECT_EQ(assigned->from, "silver");
  EXPECT_EQ(assigned->to, "gold");
  EXPECT_EQ(assigned->reason, "manual: store opening VIP");
  EXPECT_EQ(Show(assigned->at), Show(at));

  const TierView v = View(id);
  EXPECT_EQ(v.status.tier, "gold");
  EXPECT_EQ(v.level.benefits.free_parking_hours, 2);
  EXPECT_TRUE(v.level.benefits.priority_service);
  ASSERT_EQ(v.history.size(), 2u);
  EXPECT_EQ(v.history[0].to, "gold");
  EXPECT_EQ(v.history[0].reason, "manual: store opening VIP");
  EXPECT_EQ(v.history[1].to, "silver");
  EXPECT_EQ(QueryString(
                "SELECT staff_id FROM tier_history WHERE member_id = ? AND to_tier = 'gold'", {id}),
            "staff-manager1");
  EXPECT_EQ(MemberTier(id), "gold");

  ASSERT_EQ(AssignAudits(id), 1);
  EXPECT_EQ(QueryString("SELECT actor_staff_id FROM audit_log WHERE action = 'tier.assign' AND "
                        "target_id = ?",
                        {id}),
            "staff-manager1");
  EXPECT_EQ(QueryString("SELECT actor_role FROM audit_log WHERE action = 'tier.assign' AND "
                        "target_id = ?",
                        {id}),
            "store_manager");
  EXPECT_EQ(QueryString("SELECT store_id FROM audit_log WHERE action = 'tier.assign' AND "
                        "target_id = ?",
                        {id}),
            "S1");
  EXPECT_EQ(QueryString("SELECT target_type FROM audit_log WHERE action = 'tier.assign' AND "
                        "target_id = ?",
                        {id}),
            "member");

  // Earning follows the assigned level: gold 3/2.
  clock_.Advance(1h);
  auto bought = Buy(id, 100);
  ASSERT_TRUE(bought.has_value()) << bought.error().message;
  EXPECT_EQ(bought->earned.points, 150);
  EXPECT_FALSE(bought->tier_change.has_value()) << "silver spend does not undo a manual gold";
}

TEST_F(TierDbTest, CashierCannotAssignAndNothingIsWritten) {
  const std::string id = Enrol();
  auto denied = tiers_.Assign(Cashier(), id, "gold", "friend of the owner");
  ASSERT_FALSE(denied.has_value());
  EXPECT_EQ(denied.error().code, Code::kPermissionDenied);
  EXPECT_EQ(MemberTier(id), "base");
  EXPECT_EQ(HistoryRows(id), 0);
  EXPECT_EQ(AssignAudits(id), 0);
}

TEST_F(TierDbTest, AssignRejectsUnknownTiersAndMissingReasons) {
  const std::string id = Enrol();
  auto unknown = tiers_.Assign(Manager(), id, "platinum", "VIP");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, Code::kInvalidArgument);
  EXPECT_EQ(unknown.error().slug, "invalid_tier");
  ASSERT_NE(unknown.error().Detail("field"), nullptr);
  EXPECT_EQ(*unknown.error().Detail("field"), "tier");

  auto no_reason = tiers_.Assign(Manager(), id, "gold", "");
  ASSERT_FALSE(no_reason.has_value());
  EXPECT_EQ(no_reason.error().code, Code::kInvalidArgument);
  ASSERT_NE(no_reason.error().Detail("field"), nullptr);
  EXPECT_EQ(*no_reason.error().Detail("field"), "reason");

  EXPECT_EQ(MemberTier(id), "base");
  EXPECT_EQ(HistoryRows(id), 0);
  EXPECT_EQ(AssignAudits(id), 0);

  auto nobody = tiers_.Assign(Manager(), "NoSuchMember000000000000", "gold", "VIP");
  ASSERT_FALSE(nobody.has_value());
  EXPECT_EQ(nobody.error().code, Code::kNotFound);
}

TEST_F(TierDbTest, ReviewAfterGraceWithNoPurchasesMovesDownOneLevel) {
  const std::string id = Enrol();
  ASSERT_TRUE(Buy(id, 8000).has_value());
  TierView v = View(id);
  ASSERT_EQ(v.status.tier, "gold");
  ASSERT_TRUE(v.status.review_at.has_value());
  const Instant review_at = *v.status.review_at;
  EXPECT_GT(review_at, clock_.Now() + std::chrono::days(365));

  // Within the grace period nothing happens.
  clock_.Set(review_at + std::chrono::days(30) - 1s);
  auto early = tiers_.ReviewDue(clock_.Now());
  ASSERT_TRUE(early.has_value()) << early.error().message;
  EXPECT_EQ(View(id).status.tier, "gold");
  EXPECT_EQ(MemberTier(id), "gold");

  // Past review date + 30 days of grace: one level down, not all the way to base.
  clock_.Set(review_at + std::chrono::days(30) + 1s);
  auto reviewed = tiers_.ReviewDue(clock_.Now());
  ASSERT_TRUE(reviewed.has_value()) << reviewed.error().message;
  EXPECT_GE(*reviewed, 1);
  v = View(id);
  EXPECT_EQ(v.status.tier, "silver");
  EXPECT_EQ(Show(v.status.since), Show(clock_.Now()));
  ASSERT_TRUE(v.status.review_at.has_value());
  EXPECT_GT(*v.status.review_at, clock_.Now());
  ASSERT_GE(v.history.size(), 2u);
  EXPECT_EQ(v.history[0].from, "gold");
  EXPECT_EQ(v.history[0].to, "silver");
  EXPECT_EQ(v.history[0].reason, "review");
  EXPECT_EQ(MemberTier(id), "silver");
  EXPECT_EQ(
      QueryString("SELECT staff_id FROM tier_history WHERE member_id = ? AND reason = 'review'",
                  {id}),
      "system");

  // Running it again changes nothing for this member.
  auto again = tiers_.ReviewDue(clock_.Now());
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(View(id).status.tier, "silver");
  EXPECT_EQ(HistoryRows(id), 2);
}

TEST_F(TierDbTest, ReviewKeepsAQualifiedMemberAndMovesTheReviewDate) {
  const std::string id = Enrol();
  ASSERT_TRUE(Buy(id, 2500).has_value());  // silver
  const Instant review_at = *View(id).status.review_at;
  // Buys ¥2,500 again a month before the review date: still silver over the year reviewed.
  clock_.Set(review_at - std::chrono::days(30));
  ASSERT_TRUE(Buy(id, 2500).has_value());
  clock_.Set(review_at + std::chrono::days(31));
  ASSERT_TRUE(tiers_.ReviewDue(clock_.Now()).has_value());
  const TierView v = View(id);
  EXPECT_EQ(v.status.tier, "silver");
  ASSERT_TRUE(v.status.review_at.has_value());
  EXPECT_GT(*v.status.review_at, clock_.Now() + std::chrono::days(360));
  EXPECT_EQ(HistoryRows(id), 1);
}

TEST_F(TierDbTest, ReviewHappensExactlyWhenTheGracePeriodEnds) {
  // Review() acts "at or after review_at + grace_days"; ReviewDue run at that instant must too.
  const std::string id = Enrol();
  ASSERT_TRUE(Buy(id, 8000).has_value());
  const Instant review_at = *View(id).status.review_at;
  clock_.Set(review_at + std::chrono::days(30));
  ASSERT_TRUE(tiers_.ReviewDue(clock_.Now()).has_value());
  EXPECT_EQ(View(id).status.tier, "silver")
      << "ReviewDue at review_at + grace skipped a member that Review() would downgrade";
}

// ---------------------------------------------------------------------------------------------
// Concurrency: ten tills record a ¥200 purchase for the same member at the same moment. ¥2,000
// in total is exactly silver, so the level is right only if the purchase decided last saw all
// the others. Each scenario runs several rounds (a new member each) because a lost update shows
// only when the transactions interleave badly.

constexpr int kTills = 10;
constexpr int kRounds = 10;

struct RoundOutcome {
  int failed = 0;           // tills that got an error
  std::string first_error;  // slug and message of one of them
  int upgrades = 0;         // results that reported a change
};

// Runs `purchase(i)` on ten threads released at once.
template <typename Fn>
void TenTillsAtOnce(Fn purchase) {
  std::latch start(kTills);
  std::vector<std::thread> tills;
  for (int i = 0; i < kTills; ++i) {
    tills.emplace_back([&, i] {
      start.arrive_and_wait();
      purchase(i);
    });
  }
  for (auto& t : tills) t.join();
}

Actor Till(int i) {
  return Actor{
      Principal{
          "staff-till" + std::to_string(i), "till" + std::to_string(i), Role::kCashier, {"S1"}},
      "req-till-" + std::to_string(i)};
}

// What must hold after the ten purchases of a round.
void ExpectSilverFromAllTen(const std::string& id, const RoundOutcome& outcome) {
  EXPECT_EQ(outcome.failed, 0) << "tills failed, e.g. " << outcome.first_error;
  EXPECT_EQ(
      QueryInt("SELECT COUNT(*) FROM tier_activity WHERE member_id = ? AND spend_minor > 0", {id}),
      kTills);
  EXPECT_EQ(
      QueryInt("SELECT COALESCE(SUM(spend_minor), 0) FROM tier_activity WHERE member_id = ?", {id}),
      200000);
  // The total qualifies for silver (LevelFor(200000) == silver), reached by exactly one purchase.
  const char* lost_update =
      outcome.failed == 0 ? "all ten purchases were recorded, yet none saw the full ¥2,000: the "
                            "level was decided on a partial sum (lost update)"
                          : "";
  EXPECT_EQ(outcome.upgrades, 1) << lost_update;
  EXPECT_EQ(
      QueryString("SELECT tier FROM member_tiers WHERE member_id = ?", {id}).value_or("<none>"),
      "silver")
      << lost_update;
  EXPECT_EQ(QueryString("SELECT tier FROM members WHERE member_id = ?", {id}).value_or("<none>"),
            "silver");
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM tier_history WHERE member_id = ?", {id}), 1);
}

TEST_F(TierDbTest, TenTillsAtOnceForANewMemberRecordEverythingAndLandOnTheRightLevel) {
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::string id = Enrol();
    std::vector<Result<std::optional<TierChange>>> results(kTills,
                                                           Fail(Code::kInternal, "not_run", ""));
    const Instant at = clock_.Now();
    TenTillsAtOnce([&](int i) {
      results[i] = tiers_.RecordPurchase(Till(i), id, TierActivity{at, 20000, 200, 1},
                                         "txn-till-" + std::to_string(i));
    });
    RoundOutcome outcome;
    for (const auto& r : results) {
      if (!r) {
        if (outcome.failed++ == 0) outcome.first_error = r.error().slug + ": " + r.error().message;
      } else if (*r) {
        ++outcome.upgrades;
        EXPECT_EQ((*r)->to, "silver");
      }
    }
    ExpectSilverFromAllTen(id, outcome);
    const TierView v = View(id);
    EXPECT_EQ(v.qualifying_value, 200000);
    EXPECT_EQ(v.status.tier, "silver");
  }
}

TEST_F(TierDbTest, TenTillsAtOnceForAnExistingMemberLandOnTheRightLevel) {
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::string id = Enrol();
    // A visit with no spend creates the member's tier row first.
    ASSERT_TRUE(
        tiers_.RecordPurchase(Cashier(), id, TierActivity{clock_.Now(), 0, 0, 1}, "txn-visit")
            .has_value());
    clock_.Advance(1min);
    std::vector<Result<std::optional<TierChange>>> results(kTills,
                                                           Fail(Code::kInternal, "not_run", ""));
    const Instant at = clock_.Now();
    TenTillsAtOnce([&](int i) {
      results[i] = tiers_.RecordPurchase(Till(i), id, TierActivity{at, 20000, 200, 1},
                                         "txn-till-" + std::to_string(i));
    });
    RoundOutcome outcome;
    for (const auto& r : results) {
      if (!r) {
        if (outcome.failed++ == 0) outcome.first_error = r.error().slug + ": " + r.error().message;
      } else if (*r) {
        ++outcome.upgrades;
      }
    }
    ExpectSilverFromAllTen(id, outcome);
  }
}

TEST_F(TierDbTest, TenPurchasesAtOnceCreditEveryPointOnceAndNeverHalfRecordAPurchase) {
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::string id = Enrol();
    std::vector<Result<PurchaseResult>> results(kTills, Fail(Code::kInternal, "not_run", ""));
    std::vector<std::string> refs(kTills);
    for (int i = 0; i < kTills; ++i) refs[i] = "txn-" + random_.NewId();
    const Instant at = clock_.Now();
    TenTillsAtOnce([&](int i) {
      Purchase p;
      p.ref = refs[i];
      p.store_id = "S1";
      p.at = at;
      BasketLine line;
      line.line_no = 1;
      line.sku = "GROCERY";
      line.category = "grocery";
      line.net_minor = 20000;
      p.lines = {line};
      results[i] = purchases_.Record(Till(i), id, p);
    });
    RoundOutcome outcome;
    int64_t earned = 0;
    for (int i = 0; i < kTills; ++i) {
      const auto& r = results[i];
      if (!r) {
        if (outcome.failed++ == 0) outcome.first_error = r.error().slug + ": " + r.error().message;
        // A failed purchase must leave nothing behind: no points for it in the ledger.
        EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM point_entries WHERE member_id = ? AND ref_id = ?",
                           {id, refs[i]}),
                  0)
            << "till " << i << " failed (" << r.error().slug
            << ") but its purchase's points were credited";
        continue;
      }
      // Every quote was taken before the tenth purchase upgraded the member: base rate.
      EXPECT_EQ(r->earned.points, 200);
      earned += r->earned.points;
      if (r->tier_change) ++outcome.upgrades;
    }
    EXPECT_EQ(earned, 2000);
    ExpectSilverFromAllTen(id, outcome);
    auto summary = points_.Summary(Cashier(), id);
    ASSERT_TRUE(summary.has_value()) << summary.error().message;
    EXPECT_EQ(summary->available, 2000);
    EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM point_entries WHERE member_id = ?", {id}), kTills);
  }
}

}  // namespace
}  // namespace loyalty
