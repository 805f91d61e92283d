// PointsService on the real adapters (MariaDB ledger, program store and member repository,
// AES-GCM PII, OpenSSL randomness): concurrent redemptions, a mixed workload with the sweep,
// opposite transfers, adjustments with four-eyes approval, the restartable sweep, the summary,
// the liability report and bad input. Every test gets its own freshly migrated database (the
// sweep, the audit and the liability report look at every member) and ends with `audit`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <date/date.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <latch>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "loyalty/common/time_format.h"
#include "loyalty/crypto/openssl_crypto.h"
#include "loyalty/mysql/mysql_audit_log.h"
#include "loyalty/mysql/mysql_ledger_repository.h"
#include "loyalty/mysql/mysql_member_repository.h"
#include "loyalty/mysql/mysql_program_store.h"
#include "loyalty/service/member_service.h"
#include "loyalty/service/points_service.h"
#include "tests/support/fake_clock.h"
#include "tests/support/test_env.h"

namespace loyalty {
namespace {

using namespace std::chrono_literals;
using test_support::FakeClock;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kI64Min = std::numeric_limits<int64_t>::min();

Instant Utc(int y, unsigned m, unsigned d, std::chrono::microseconds time_of_day = 0us) {
  return Instant(date::sys_days(date::year{y} / m / d) + time_of_day);
}

std::string Describe(const Error& e) {
  std::string out = e.slug + " (" + std::to_string(static_cast<int>(e.code)) + "): " + e.message;
  for (const auto& [k, v] : e.details) out += " [" + k + "=" + v + "]";
  return out;
}

std::string Field(const Error& e) {
  const std::string* f = e.Detail("field");
  return f ? *f : "<no field>";
}

// A member cache that is always empty; thread-safe.
class NoCache final : public MemberCache {
 public:
  std::optional<StoredMember> Get(const std::string&) override { return std::nullopt; }
  void Put(const StoredMember&) override {}
  void Invalidate(const std::string&) override {}
};

Actor Admin() { return Actor::System("points-test"); }

Actor Cashier(int till) {
  return Actor{Principal{"staff-till" + std::to_string(till), "till" + std::to_string(till),
                         Role::kCashier, {"sh-001"}},
               "req-till-" + std::to_string(till)};
}

Actor Manager(const std::string& name) {
  return Actor{Principal{"staff-" + name, name, Role::kStoreManager, {"sh-001"}}, "req-" + name};
}

Actor Auditor() { return Actor{Principal{"staff-audit", "audit", Role::kAuditor, {}}, "req-audit"}; }

PointsReason Purchase(const std::string& ref, std::optional<std::string> store = "sh-001") {
  return PointsReason{"transaction", ref, "purchase " + ref, std::move(store)};
}

PointsReason Redemption(const std::string& ref) {
  return PointsReason{"transaction", ref, "redeemed at the till", "sh-001"};
}

class PointsDbTest : public ::testing::Test {
 protected:
  PointsDbTest()
      : pii_(*ParseMasterKey(testing::RandomMasterKey())),
        member_repository_(db_.pool()),
        audit_(db_.pool()),
        ledger_(db_.pool()),
        programs_(db_.pool()),
        members_(MemberPorts{member_repository_, pii_, random_, clock_, cache_, audit_}),
        points_(PointsPorts{ledger_, programs_, member_repository_, random_, clock_}) {}

  // Saves the default program changed by `change` as the next version.
  void SetProgram(const std::function<void(ProgramConfig&)>& change) {
    auto current = points_.GetProgram(Admin());
    ASSERT_TRUE(current) << Describe(current.error());
    ProgramConfig p = *current;
    change(p);
    auto saved = points_.PutProgram(Admin(), p);
    ASSERT_TRUE(saved) << Describe(saved.error());
  }

  std::string NewMember() {
    EnrolRequest r;
    std::string digits;
    for (uint8_t b : random_.Bytes(8)) digits += static_cast<char>('0' + b % 10);
    r.phone = "139" + digits;
    r.name = "Points Tester";
    auto m = members_.Enrol(Cashier(0), r);
    EXPECT_TRUE(m) << Describe(m.error());
    return m ? m->member_id : "";
  }

  // Credits `points` at once through an adjustment (the program's threshold must allow it).
  void Give(const std::string& member_id, int64_t points) {
    auto a = points_.RequestAdjustment(Manager("seeder"), member_id, points, "opening balance");
    ASSERT_TRUE(a) << Describe(a.error());
    ASSERT_EQ(a->status, AdjustmentStatus::kApplied);
  }

  Account AccountOf(const std::string& member_id) {
    auto s = ledger_.Load(member_id);
    EXPECT_TRUE(s) << Describe(s.error());
    return s ? s->account : Account{};
  }

  void ExpectAuditClean() {
    auto findings = points_.AuditLedger();
    ASSERT_TRUE(findings) << Describe(findings.error());
    for (const auto& f : *findings) {
      std::string all;
      for (const auto& p : f.problems) all += p + "; ";
      ADD_FAILURE() << "audit: member " << f.member_id << ": " << all;
    }
  }

  int64_t QueryInt(const std::string& query, const std::vector<std::string>& args = {}) {
    int64_t out = -1;
    auto ran = db_.pool().Run([&](sql::Connection& c) -> Status {
      std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(query));
      for (size_t i = 0; i < args.size(); ++i) s->setString(static_cast<int>(i + 1), args[i]);
      std::unique_ptr<sql::ResultSet> rs(s->executeQuery());
      if (rs->next()) out = rs->getInt64(1);
      return {};
    });
    EXPECT_TRUE(ran) << Describe(ran.error());
    return out;
  }

  testing::FreshDatabase db_;
  AesGcmPiiProtector pii_;
  OpenSslRandom random_;
  FakeClock clock_;
  NoCache cache_;
  MysqlMemberRepository member_repository_;
  MysqlAuditLog audit_;
  MysqlLedgerRepository ledger_;
  MysqlProgramStore programs_;
  MemberService members_;
  PointsService points_;
};

// Outcomes of concurrent calls, by slug ("ok" for success).
class Outcomes {
 public:
  void Add(const std::string& slug) {
    std::lock_guard lock(mutex_);
    ++counts_[slug];
  }
  template <typename T>
  void Add(const Result<T>& r) {
    Add(r ? std::string("ok") : r.error().slug);
    if (!r) {
      std::lock_guard lock(mutex_);
      if (messages_.size() < 20) messages_.insert(Describe(r.error()));
    }
  }
  int Count(const std::string& slug) const {
    std::lock_guard lock(mutex_);
    auto it = counts_.find(slug);
    return it == counts_.end() ? 0 : it->second;
  }
  // Every outcome not in `allowed`, with a sample message.
  std::vector<std::string> Unexpected(const std::set<std::string>& allowed) const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [slug, n] : counts_) {
      if (!allowed.count(slug)) out.push_back(slug + " x" + std::to_string(n));
    }
    if (!out.empty()) {
      for (const auto& m : messages_) out.push_back("  e.g. " + m);
    }
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, int> counts_;
  std::set<std::string> messages_;
};

// ---------------------------------------------------------------------------------------------

TEST_F(PointsDbTest, ThirtyTwoConcurrentRedemptionsNeverOverdraw) {
  SetProgram([](ProgramConfig& p) {
    p.pending_days = 0;
    p.adjustments.approval_threshold = 1'000'000;
  });
  const std::string m = NewMember();
  Give(m, 2000);
  ASSERT_EQ(AccountOf(m).available, 2000);

  constexpr int kThreads = 32;
  std::latch start(kThreads);
  std::vector<Result<LedgerChange>> results(kThreads, Fail(Code::kInternal, "not_run", ""));
  std::atomic<bool> done{false};
  std::atomic<int64_t> lowest_seen{kI64Max};
  // A reader watching the balance while the tills race.
  std::thread watcher([&] {
    while (!done) {
      auto s = ledger_.Load(m);
      if (s) {
        int64_t cur = lowest_seen.load();
        while (s->account.available < cur && !lowest_seen.compare_exchange_weak(cur, s->account.available)) {
        }
      }
    }
  });
  std::vector<std::thread> tills;
  for (int i = 0; i < kThreads; ++i) {
    tills.emplace_back([&, i] {
      start.arrive_and_wait();
      results[i] = points_.Redeem(Cashier(i), m, 100, Redemption("redeem-" + std::to_string(i)));
    });
  }
  for (auto& t : tills) t.join();
  done = true;
  watcher.join();

  Outcomes outcomes;
  std::set<int64_t> balances_after;
  for (const auto& r : results) {
    outcomes.Add(r);
    if (r) {
      EXPECT_GE(r->state.account.available, 0);
      balances_after.insert(r->state.account.available);
    } else if (r.error().slug == "insufficient_points") {
      EXPECT_EQ(r.error().code, Code::kFailedPrecondition);
    }
  }
  EXPECT_EQ(outcomes.Count("ok"), 20);
  EXPECT_EQ(outcomes.Count("insufficient_points"), 12);
  EXPECT_THAT(outcomes.Unexpected({"ok", "insufficient_points"}), IsEmpty());
  // Serialised: every success saw a different balance, 1900 down to 0.
  EXPECT_EQ(balances_after.size(), static_cast<size_t>(outcomes.Count("ok")));
  EXPECT_GE(lowest_seen.load(), 0);

  const Account a = AccountOf(m);
  EXPECT_EQ(a.available, 0);
  EXPECT_EQ(a.pending, 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM point_entries WHERE member_id = ? AND kind = 'redeem'", {m}), 20);
  EXPECT_EQ(QueryInt("SELECT -SUM(available_delta) FROM point_entries WHERE member_id = ? AND kind = 'redeem'",
                     {m}),
            2000);
  EXPECT_EQ(QueryInt("SELECT COALESCE(SUM(points),0) FROM point_allocations WHERE member_id = ?", {m}), 2000);
  ExpectAuditClean();
}

TEST_F(PointsDbTest, MixedEarnRedeemAdjustAndSweepLeaveTheAuditClean) {
  SetProgram([](ProgramConfig& p) {
    p.pending_days = 1;
    p.expiry = {ExpiryKind::kRollingMonths, 1};
    p.refund = RefundPolicy::kWithinBalance;
    p.redemption.min_points = 10;
    p.adjustments.approval_threshold = 1000;
  });
  std::vector<std::string> members;
  for (int i = 0; i < 5; ++i) {
    members.push_back(NewMember());
    Give(members.back(), 500);
  }

  constexpr int kWorkers = 7;  // plus one sweeper
  Outcomes earns, redeems, adjusts, sweeps;
  std::atomic<int> activated{0}, expired{0};
  std::atomic<bool> stop{false};
  std::latch start(kWorkers + 1);
  std::vector<std::thread> threads;
  for (int w = 0; w < kWorkers; ++w) {
    threads.emplace_back([&, w] {
      std::mt19937 rng(1234 + w);
      int n = 0;
      start.arrive_and_wait();
      while (!stop) {
        const std::string& m = members[rng() % members.size()];
        const std::string ref = "w" + std::to_string(w) + "-" + std::to_string(++n);
        switch (rng() % 3) {
          case 0:
            earns.Add(points_.Earn(Cashier(w), m, 10 + static_cast<int64_t>(rng() % 490), Purchase(ref)));
            break;
          case 1:
            redeems.Add(points_.Redeem(Cashier(w), m, 10 + static_cast<int64_t>(rng() % 290), Redemption(ref)));
            break;
          case 2: {
            const int64_t size = 1 + static_cast<int64_t>(rng() % 300);
            adjusts.Add(points_.RequestAdjustment(Manager("w" + std::to_string(w)), m,
                                                  rng() % 2 ? size : -size, "mixed workload " + ref));
            break;
          }
        }
      }
    });
  }
  threads.emplace_back([&] {
    start.arrive_and_wait();
    while (!stop) {
      // Big steps: a few sweeps must both activate (1 pending day) and expire (1 month) lots
      // even when a slow sanitizer build manages only a handful in the run.
      clock_.Advance(std::chrono::days(16));
      auto r = points_.Sweep(clock_.Now());
      sweeps.Add(r);
      if (r) {
        activated += r->activated_lots;
        expired += r->expired_lots;
      }
    }
  });
  std::this_thread::sleep_for(3s);
  stop = true;
  for (auto& t : threads) t.join();

  EXPECT_THAT(earns.Unexpected({"ok"}), IsEmpty());
  EXPECT_THAT(redeems.Unexpected({"ok", "insufficient_points"}), IsEmpty());
  EXPECT_THAT(adjusts.Unexpected({"ok", "insufficient_points"}), IsEmpty());
  EXPECT_THAT(sweeps.Unexpected({"ok"}), IsEmpty());
  EXPECT_GT(earns.Count("ok"), 0);
  EXPECT_GT(redeems.Count("ok"), 0);
  EXPECT_GT(adjusts.Count("ok"), 0);
  EXPECT_GT(activated.load(), 0) << "the sweep never activated anything: lengthen the run";
  EXPECT_GT(expired.load(), 0) << "the sweep never expired anything: lengthen the run";
  RecordProperty("earn_ok", earns.Count("ok"));
  RecordProperty("redeem_ok", redeems.Count("ok"));
  RecordProperty("sweeps", sweeps.Count("ok"));

  for (const auto& m : members) {
    const Account a = AccountOf(m);
    EXPECT_GE(a.available, 0) << m;
    EXPECT_GE(a.pending, 0) << m;
    EXPECT_EQ(a.debt, 0) << m;
  }
  ExpectAuditClean();
  // Nothing is left for a sweep at the clock's time; a sweep far ahead empties every lot.
  auto final_sweep = points_.Sweep(clock_.Now() + std::chrono::days(400));
  ASSERT_TRUE(final_sweep) << Describe(final_sweep.error());
  for (const auto& m : members) EXPECT_EQ(AccountOf(m).available, 0) << m;
  ExpectAuditClean();
}

TEST_F(PointsDbTest, OppositeTransfersConserveTotalsAndNeverFailOnDeadlocks) {
  SetProgram([](ProgramConfig& p) {
    p.pending_days = 0;
    p.adjustments.approval_threshold = 1'000'000;
    p.transfers = {true, 100, 20'000};
  });
  const std::string a = NewMember();
  const std::string b = NewMember();
  Give(a, 5000);
  Give(b, 5000);

  Outcomes outcomes;
  std::latch start(16);
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      std::mt19937 rng(99 + i);
      const bool forward = i < 8;
      start.arrive_and_wait();
      for (int k = 0; k < 15; ++k) {
        const int64_t points = 100 * (1 + static_cast<int64_t>(rng() % 6));
        outcomes.Add(forward ? points_.Transfer(Cashier(i), a, b, points)
                             : points_.Transfer(Cashier(i), b, a, points));
      }
    });
  }
  for (auto& t : threads) t.join();

  EXPECT_THAT(outcomes.Unexpected({"ok", "insufficient_points", "transfer_limit"}), IsEmpty());
  EXPECT_GT(outcomes.Count("ok"), 0);
  const Account after_a = AccountOf(a);
  const Account after_b = AccountOf(b);
  EXPECT_EQ(after_a.available + after_b.available, 10000);
  EXPECT_GE(after_a.available, 0);
  EXPECT_GE(after_b.available, 0);
  EXPECT_EQ(QueryInt("SELECT COALESCE(SUM(available_delta),0) FROM point_entries "
                     "WHERE kind IN ('transfer_in','transfer_out')"),
            0);
  ExpectAuditClean();
}

// The daily limit is checked before the transaction that moves the points, so transfers racing
// each other all see the same "sent today" and can overshoot it together.
TEST_F(PointsDbTest, ConcurrentTransfersNeverExceedTheDailyLimit) {
  SetProgram([](ProgramConfig& p) {
    p.pending_days = 0;
    p.adjustments.approval_threshold = 1'000'000;
    p.transfers = {true, 100, 500};
  });
  const std::string a = NewMember();
  const std::string b = NewMember();
  Give(a, 20'000);

  constexpr int kThreads = 16;
  Outcomes outcomes;
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      outcomes.Add(points_.Transfer(Cashier(i), a, b, 100));
    });
  }
  for (auto& t : threads) t.join();

  EXPECT_THAT(outcomes.Unexpected({"ok", "transfer_limit"}), IsEmpty());
  EXPECT_EQ(outcomes.Count("ok"), 5) << "max_points_per_day 500 allows five transfers of 100";
  EXPECT_EQ(outcomes.Count("transfer_limit"), kThreads - 5);
  EXPECT_LE(QueryInt("SELECT COALESCE(-SUM(available_delta),0) FROM point_entries "
                     "WHERE member_id = ? AND kind = 'transfer_out'",
                     {a}),
            500);
  ExpectAuditClean();
}

TEST_F(PointsDbTest, AdjustmentsAboveTheThresholdNeedASecondPerson) {
  SetProgram([](ProgramConfig& p) { p.adjustments.approval_threshold = 1000; });
  const std::string m = NewMember();
  const Actor alice = Manager("alice"), bob = Manager("bob"), carol = Manager("carol");

  auto small = points_.RequestAdjustment(alice, m, 1000, "at the threshold");
  ASSERT_TRUE(small) << Describe(small.error());
  EXPECT_EQ(small->status, AdjustmentStatus::kApplied);
  EXPECT_EQ(small->decided_by, alice.principal.staff_id);
  EXPECT_EQ(AccountOf(m).available, 1000);

  auto big = points_.RequestAdjustment(alice, m, 5000, "lost receipt, manager checked");
  ASSERT_TRUE(big) << Describe(big.error());
  EXPECT_EQ(big->status, AdjustmentStatus::kPendingApproval);
  EXPECT_EQ(AccountOf(m).available, 1000) << "nothing moves before approval";

  auto own = points_.ApproveAdjustment(alice, big->adjustment_id);
  ASSERT_FALSE(own);
  EXPECT_EQ(own.error().code, Code::kPermissionDenied);
  EXPECT_EQ(own.error().slug, "four_eyes");
  EXPECT_EQ(AccountOf(m).available, 1000);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM point_adjustments WHERE adjustment_id = ? "
                     "AND status = 'pending_approval'",
                     {big->adjustment_id}),
            1);

  auto approved = points_.ApproveAdjustment(bob, big->adjustment_id);
  ASSERT_TRUE(approved) << Describe(approved.error());
  EXPECT_EQ(approved->status, AdjustmentStatus::kApplied);
  EXPECT_EQ(approved->decided_by, bob.principal.staff_id);
  EXPECT_EQ(AccountOf(m).available, 6000);

  for (const Actor& again : {carol, bob, alice}) {
    auto twice = points_.ApproveAdjustment(again, big->adjustment_id);
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().code, Code::kFailedPrecondition);
    EXPECT_EQ(twice.error().slug, "already_decided");
  }
  EXPECT_EQ(AccountOf(m).available, 6000);

  auto negative = points_.RequestAdjustment(alice, m, -1001, "duplicate credit");
  ASSERT_TRUE(negative) << Describe(negative.error());
  EXPECT_EQ(negative->status, AdjustmentStatus::kPendingApproval);
  ASSERT_TRUE(points_.ApproveAdjustment(carol, negative->adjustment_id));
  EXPECT_EQ(AccountOf(m).available, 4999);

  auto unknown = points_.ApproveAdjustment(bob, "000000000000000000000000");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Code::kNotFound);

  auto by_cashier = points_.RequestAdjustment(Cashier(1), m, 10, "cashiers cannot adjust");
  ASSERT_FALSE(by_cashier);
  EXPECT_EQ(by_cashier.error().code, Code::kPermissionDenied);

  auto no_reason = points_.RequestAdjustment(alice, m, 10, "");
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(Field(no_reason.error()), "reason");
  ExpectAuditClean();
}

// Export and the audit trail of a member are read by target_id = member id; the approval that
// moved the member's points must be found there, like the request.
TEST_F(PointsDbTest, AdjustmentApprovalIsOnTheMembersAuditTrail) {
  SetProgram([](ProgramConfig& p) { p.adjustments.approval_threshold = 1000; });
  const std::string m = NewMember();
  auto big = points_.RequestAdjustment(Manager("alice"), m, 2000, "compensation");
  ASSERT_TRUE(big) << Describe(big.error());
  ASSERT_TRUE(points_.ApproveAdjustment(Manager("bob"), big->adjustment_id));

  AuditFilter filter;
  filter.target_id = m;
  auto trail = audit_.List(filter);
  ASSERT_TRUE(trail) << Describe(trail.error());
  std::vector<std::string> actions;
  for (const auto& e : *trail) {
    if (e.action.rfind("points.", 0) == 0) actions.push_back(e.action + " by " + e.actor_staff_id);
  }
  EXPECT_THAT(actions, ::testing::UnorderedElementsAre("points.adjustment_requested by staff-alice",
                                                       "points.adjustment_approved by staff-bob"));
}

TEST_F(PointsDbTest, ConcurrentApprovalsApplyAnAdjustmentOnce) {
  SetProgram([](ProgramConfig& p) { p.adjustments.approval_threshold = 1000; });
  const std::string m = NewMember();
  auto big = points_.RequestAdjustment(Manager("alice"), m, 3000, "store opening gift");
  ASSERT_TRUE(big) << Describe(big.error());
  ASSERT_EQ(big->status, AdjustmentStatus::kPendingApproval);

  constexpr int kApprovers = 8;
  Outcomes outcomes;
  std::latch start(kApprovers);
  std::vector<std::thread> threads;
  for (int i = 0; i < kApprovers; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      outcomes.Add(points_.ApproveAdjustment(Manager("approver" + std::to_string(i)), big->adjustment_id));
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(outcomes.Count("ok"), 1);
  EXPECT_EQ(outcomes.Count("already_decided"), kApprovers - 1);
  EXPECT_THAT(outcomes.Unexpected({"ok", "already_decided"}), IsEmpty());
  EXPECT_EQ(AccountOf(m).available, 3000);
  ExpectAuditClean();
}

TEST_F(PointsDbTest, SweepIsRestartableAndDoesTheWorkOnce) {
  SetProgram([](ProgramConfig& p) {
    p.pending_days = 1;
    p.expiry = {ExpiryKind::kRollingMonths, 1};
  });
  const Instant t0 = clock_.Now();
  std::vector<std::string> members;
  for (int i = 0; i < 3; ++i) {
    members.push_back(NewMember());
    for (int k = 0; k < 3; ++k) {
      auto e = points_.Earn(Cashier(1), members.back(), 100, Purchase("t" + std::to_string(i) + std::to_string(k)));
      ASSERT_TRUE(e) << Describe(e.error());
    }
  }
  auto count = [&](const char* kind) {
    return QueryInt(std::string("SELECT COUNT(*) FROM point_entries WHERE kind = '") + kind + "'");
  };

  const Instant activate_at = t0 + std::chrono::days(2);
  auto first = points_.Sweep(activate_at);
  ASSERT_TRUE(first) << Describe(first.error());
  EXPECT_EQ(first->members, 3);
  EXPECT_EQ(first->activated_lots, 9);
  EXPECT_EQ(first->expired_lots, 0);
  auto second = points_.Sweep(activate_at);
  ASSERT_TRUE(second) << Describe(second.error());
  EXPECT_EQ(second->members, 0);
  EXPECT_EQ(second->activated_lots, 0);
  EXPECT_EQ(second->expired_lots, 0);
  EXPECT_EQ(count("activate"), 9);
  for (const auto& m : members) EXPECT_EQ(AccountOf(m).available, 300);

  // Two sweeps at once at the expiry time: together they expire each lot exactly once.
  const Instant expire_at = t0 + std::chrono::days(40);
  Result<SweepReport> r1 = SweepReport{}, r2 = SweepReport{};
  std::latch start(2);
  std::thread s1([&] {
    start.arrive_and_wait();
    r1 = points_.Sweep(expire_at);
  });
  std::thread s2([&] {
    start.arrive_and_wait();
    r2 = points_.Sweep(expire_at);
  });
  s1.join();
  s2.join();
  ASSERT_TRUE(r1) << Describe(r1.error());
  ASSERT_TRUE(r2) << Describe(r2.error());
  EXPECT_EQ(r1->expired_lots + r2->expired_lots, 9);
  EXPECT_EQ(r1->activated_lots + r2->activated_lots, 0);
  auto third = points_.Sweep(expire_at);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->members + third->activated_lots + third->expired_lots, 0);
  EXPECT_EQ(count("expire"), 9);
  EXPECT_EQ(count("activate"), 9);
  for (const auto& m : members) EXPECT_EQ(AccountOf(m).available, 0);
  ExpectAuditClean();
}

// Between a lot's expiry instant and the next sweep, its points are already unusable.
TEST_F(PointsDbTest, RedeemAfterExpiryIsRefusedEvenBeforeTheSweep) {
  SetProgram([](ProgramConfig& p) {
    p.pending_days = 0;
    p.expiry = {ExpiryKind::kRollingMonths, 1};
  });
  const std::string m = NewMember();
  clock_.Set(Utc(2026, 3, 1, 2h));
  ASSERT_TRUE(points_.Earn(Cashier(1), m, 300, Purchase("t1")));
  clock_.Set(Utc(2026, 4, 1, 16h));  // 2 Apr 00:00 in Shanghai: expired, no sweep yet
  auto r = points_.Redeem(Cashier(1), m, 300, Redemption("late"));
  ASSERT_FALSE(r) << "redeemed points that expired at 2026-04-01T16:00Z";
  EXPECT_EQ(r.error().slug, "insufficient_points");
  auto swept = points_.Sweep(clock_.Now());
  ASSERT_TRUE(swept) << Describe(swept.error());
  EXPECT_EQ(swept->expired_lots, 1);
  EXPECT_EQ(AccountOf(m).available, 0);
  ExpectAuditClean();
}

TEST_F(PointsDbTest, SummaryGroupsExpiringPointsByLastUsableLocalDaySoonestFirst) {
  SetProgram([](ProgramConfig& p) {
    p.pending_days = 0;
    p.expiry = {ExpiryKind::kRollingMonths, 12};
    p.redemption = {200, 150, 100, 1'000'000};  // 200 points are worth ¥1.50
  });
  const std::string m = NewMember();
  auto earn = [&](Instant at, int64_t points, const std::string& ref) {
    clock_.Set(at);
    auto e = points_.Earn(Cashier(1), m, points, Purchase(ref));
    ASSERT_TRUE(e) << Describe(e.error());
  };
  earn(Utc(2026, 3, 1, 2h), 100, "a");   // 10:00 on 1 Mar in Shanghai
  earn(Utc(2026, 3, 1, 12h), 50, "b");   // 20:00 the same local day
  earn(Utc(2026, 3, 1, 17h), 30, "c");   // 01:00 on 2 Mar in Shanghai
  earn(Utc(2026, 4, 10, 2h), 20, "d");
  earn(Utc(2026, 5, 1, 2h), 10, "e");    // a fourth date: not shown

  auto s = points_.Summary(Admin(), m);
  ASSERT_TRUE(s) << Describe(s.error());
  EXPECT_EQ(s->available, 210);
  auto dates = [](const PointsSummary& sum) {
    std::vector<std::pair<std::string, int64_t>> out;
    for (const auto& e : sum.expiring) out.emplace_back(FormatDate(e.last_day), e.points);
    return out;
  };
  EXPECT_THAT(dates(*s), ElementsAre(std::pair<std::string, int64_t>{"2027-03-01", 150},
                                     std::pair<std::string, int64_t>{"2027-03-02", 30},
                                     std::pair<std::string, int64_t>{"2027-04-10", 20}));
  EXPECT_EQ(s->value.minor, 157);  // 210 * 150 / 200 = 157.5, floored
  EXPECT_EQ(s->value.currency, "CNY");

  auto r = points_.Redeem(Cashier(1), m, 120, Redemption("r1"));  // a's 100, then b's 20
  ASSERT_TRUE(r) << Describe(r.error());
  s = points_.Summary(Admin(), m);
  ASSERT_TRUE(s);
  EXPECT_THAT(dates(*s), ElementsAre(std::pair<std::string, int64_t>{"2027-03-01", 30},
                                     std::pair<std::string, int64_t>{"2027-03-02", 30},
                                     std::pair<std::string, int64_t>{"2027-04-10", 20}));
  EXPECT_EQ(s->value.minor, 67);  // 90 * 150 / 200 = 67.5
  ExpectAuditClean();
}

TEST_F(PointsDbTest, LiabilityPerStoreAndExpiryMonthValuedAtTheRedemptionRate) {
  SetProgram([](ProgramConfig& p) {
    p.pending_days = 7;
    p.expiry = {ExpiryKind::kRollingMonths, 12};
    p.redemption = {100, 50, 100, 1'000'000};  // 100 points = ¥0.50
    p.adjustments.approval_threshold = 1'000'000;
  });
  const std::string m1 = NewMember();
  const std::string m2 = NewMember();
  auto earn = [&](const std::string& m, Instant at, int64_t points, const std::string& ref,
                  const std::string& store) {
    clock_.Set(at);
    auto e = points_.Earn(Cashier(1), m, points, Purchase(ref, store));
    ASSERT_TRUE(e) << Describe(e.error());
  };
  earn(m1, Utc(2026, 3, 1, 2h), 1000, "s1-a", "S1");     // last day 2027-03-01
  earn(m1, Utc(2026, 3, 20, 2h), 500, "s1-b", "S1");     // 2027-03-20
  earn(m2, Utc(2026, 3, 5, 2h), 200, "s2-a", "S2");      // 2027-03-05
  earn(m2, Utc(2026, 3, 31, 16h + 30min), 400, "s2-b", "S2");  // 00:30 on 1 Apr in Shanghai: 2027-04
  earn(m2, Utc(2026, 4, 5, 2h), 300, "s1-c", "S1");      // still pending at the sweep below
  clock_.Set(Utc(2026, 4, 5, 3h));
  auto adj = points_.RequestAdjustment(Admin(), m2, 250, "goodwill");  // no store
  ASSERT_TRUE(adj) << Describe(adj.error());
  auto swept = points_.Sweep(Utc(2026, 4, 10));
  ASSERT_TRUE(swept) << Describe(swept.error());
  EXPECT_EQ(swept->activated_lots, 4);
  clock_.Set(Utc(2026, 4, 10, 2h));
  auto r = points_.Redeem(Cashier(1), m1, 200, Redemption("r1"));  // from the 1000 (soonest)
  ASSERT_TRUE(r) << Describe(r.error());

  auto report = points_.Liability(Admin());
  ASSERT_TRUE(report) << Describe(report.error());
  struct Line {
    std::string store, month;
    int64_t active, pending, value;
    bool operator==(const Line&) const = default;
  };
  std::vector<Line> lines;
  for (const auto& l : report->lines) {
    lines.push_back({l.store_id.value_or("-"), l.expiry_month, l.active, l.pending, l.active_value.minor});
  }
  const std::vector<Line> expected = {
      {"-", "2027-04", 250, 0, 125},
      {"S1", "2027-03", 1300, 0, 650},
      {"S1", "2027-04", 0, 300, 0},
      {"S2", "2027-03", 200, 0, 100},
      {"S2", "2027-04", 400, 0, 200},
  };
  ASSERT_EQ(lines.size(), expected.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(lines[i].store, expected[i].store);
    EXPECT_EQ(lines[i].month, expected[i].month);
    EXPECT_EQ(lines[i].active, expected[i].active);
    EXPECT_EQ(lines[i].pending, expected[i].pending);
    EXPECT_EQ(lines[i].value, expected[i].value);
  }
  EXPECT_EQ(report->active, 2150);
  EXPECT_EQ(report->pending, 300);
  EXPECT_EQ(report->active_value.minor, 1075);
  EXPECT_EQ(report->pending_value.minor, 150);

  EXPECT_TRUE(points_.Liability(Auditor()));
  auto cashier = points_.Liability(Cashier(1));
  ASSERT_FALSE(cashier);
  EXPECT_EQ(cashier.error().code, Code::kPermissionDenied);
  ExpectAuditClean();
}

TEST_F(PointsDbTest, UnknownMemberIsNotFound) {
  SetProgram([](ProgramConfig& p) { p.pending_days = 0; });
  const std::string known = NewMember();
  Give(known, 500);
  for (const std::string& id : {std::string("000000000000000000000000"), std::string(""),
                                std::string(300, 'f'), std::string("'; DROP TABLE point_lots; --")}) {
    SCOPED_TRACE(id.substr(0, 40));
    auto earn = points_.Earn(Cashier(1), id, 100, Purchase("x"));
    ASSERT_FALSE(earn);
    EXPECT_EQ(earn.error().code, Code::kNotFound) << Describe(earn.error());
    EXPECT_EQ(earn.error().slug, "member_not_found");
    auto redeem = points_.Redeem(Cashier(1), id, 100, Redemption("x"));
    ASSERT_FALSE(redeem);
    EXPECT_EQ(redeem.error().code, Code::kNotFound) << Describe(redeem.error());
    auto adjust = points_.RequestAdjustment(Manager("alice"), id, 100, "x");
    ASSERT_FALSE(adjust);
    EXPECT_EQ(adjust.error().code, Code::kNotFound) << Describe(adjust.error());
    auto summary = points_.Summary(Admin(), id);
    ASSERT_FALSE(summary);
    EXPECT_EQ(summary.error().code, Code::kNotFound) << Describe(summary.error());
    auto to = points_.Transfer(Cashier(1), known, id, 100);
    ASSERT_FALSE(to);
    EXPECT_EQ(to.error().code, Code::kNotFound) << Describe(to.error());
    EXPECT_EQ(Field(to.error()), "to_member_id");
    auto from = points_.Transfer(Cashier(1), id, known, 100);
    ASSERT_FALSE(from);
    EXPECT_EQ(from.error().code, Code::kNotFound) << Describe(from.error());
  }
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM point_accounts"), 1) << "no account for unknown ids";
  EXPECT_EQ(AccountOf(known).available, 500);
  ExpectAuditClean();
}

TEST_F(PointsDbTest, ErasedMemberIsFailedPrecondition) {
  SetProgram([](ProgramConfig& p) { p.pending_days = 0; });
  const std::string m = NewMember();
  const std::string other = NewMember();
  Give(m, 500);
  Give(other, 500);
  auto erased = members_.Erase(Admin(), m);
  ASSERT_TRUE(erased) << Describe(erased.error());

  auto earn = points_.Earn(Cashier(1), m, 100, Purchase("after-erasure"));
  ASSERT_FALSE(earn);
  EXPECT_EQ(earn.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(earn.error().slug, "member_erased");
  auto redeem = points_.Redeem(Cashier(1), m, 100, Redemption("after-erasure"));
  ASSERT_FALSE(redeem);
  EXPECT_EQ(redeem.error().code, Code::kFailedPrecondition);
  auto adjust = points_.RequestAdjustment(Manager("alice"), m, 100, "after erasure");
  ASSERT_FALSE(adjust);
  EXPECT_EQ(adjust.error().code, Code::kFailedPrecondition);
  auto to = points_.Transfer(Cashier(1), other, m, 100);
  ASSERT_FALSE(to);
  EXPECT_EQ(to.error().code, Code::kFailedPrecondition);
  auto from = points_.Transfer(Cashier(1), m, other, 100);
  ASSERT_FALSE(from);
  EXPECT_EQ(from.error().code, Code::kFailedPrecondition);
  // The books stay readable.
  auto s = points_.Summary(Admin(), m);
  ASSERT_TRUE(s) << Describe(s.error());
  EXPECT_EQ(s->available, 500);
  ExpectAuditClean();
}

TEST_F(PointsDbTest, BadPointsAreInvalidArgumentNamingPoints) {
  SetProgram([](ProgramConfig& p) { p.pending_days = 0; });
  const std::string m = NewMember();
  const std::string other = NewMember();
  Give(m, 500);
  for (int64_t bad : {int64_t{0}, int64_t{-1}, int64_t{-100}, kI64Min, kI64Max, int64_t{1'000'000'000'001}}) {
    SCOPED_TRACE(bad);
    auto earn = points_.Earn(Cashier(1), m, bad, Purchase("bad-" + std::to_string(bad)));
    ASSERT_FALSE(earn);
    EXPECT_EQ(earn.error().code, Code::kInvalidArgument) << Describe(earn.error());
    EXPECT_EQ(Field(earn.error()), "points");
    auto redeem = points_.Redeem(Cashier(1), m, bad, Redemption("bad"));
    ASSERT_FALSE(redeem);
    EXPECT_EQ(redeem.error().code, Code::kInvalidArgument) << Describe(redeem.error());
    EXPECT_EQ(Field(redeem.error()), "points");
    auto transfer = points_.Transfer(Cashier(1), m, other, bad);
    ASSERT_FALSE(transfer);
    EXPECT_EQ(transfer.error().code, Code::kInvalidArgument) << Describe(transfer.error());
    EXPECT_EQ(Field(transfer.error()), "points");
  }
  for (int64_t bad : {int64_t{0}, kI64Min, kI64Max, int64_t{1'000'000'000'001}, int64_t{-1'000'000'000'001}}) {
    SCOPED_TRACE(bad);
    auto adjust = points_.RequestAdjustment(Manager("alice"), m, bad, "bad");
    ASSERT_FALSE(adjust);
    EXPECT_EQ(adjust.error().code, Code::kInvalidArgument) << Describe(adjust.error());
    EXPECT_EQ(Field(adjust.error()), "points");
  }
  // Below the program's minimum redemption: also the points field.
  auto too_few = points_.Redeem(Cashier(1), m, 99, Redemption("few"));
  ASSERT_FALSE(too_few);
  EXPECT_EQ(too_few.error().code, Code::kInvalidArgument);
  EXPECT_EQ(Field(too_few.error()), "points");
  auto same = points_.Transfer(Cashier(1), m, m, 100);
  ASSERT_FALSE(same);
  EXPECT_EQ(same.error().code, Code::kInvalidArgument);
  EXPECT_EQ(AccountOf(m).available, 500);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM point_entries WHERE member_id = ?", {m}), 1);
  ExpectAuditClean();
}

TEST_F(PointsDbTest, ProgramThatContradictsItselfIsRefusedNamingTheField) {
  auto before = points_.GetProgram(Admin());
  ASSERT_TRUE(before);
  ProgramConfig p = *before;
  p.redemption.min_points = 500;
  p.redemption.max_points = 100;
  auto r = points_.PutProgram(Admin(), p);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kInvalidArgument);
  EXPECT_EQ(r.error().slug, "invalid_program");
  EXPECT_EQ(Field(r.error()), "redemption.max_points");
  auto after = points_.GetProgram(Admin());
  ASSERT_TRUE(after);
  EXPECT_EQ(after->version, before->version) << "a refused program must not be saved";

  ProgramConfig q = *before;
  q.transfers.min_points = 5000;
  q.transfers.max_points_per_day = 1000;
  auto t = points_.PutProgram(Admin(), q);
  ASSERT_FALSE(t);
  EXPECT_EQ(Field(t.error()), "transfers.max_points_per_day");

  auto by_cashier = points_.PutProgram(Cashier(1), *before);
  ASSERT_FALSE(by_cashier);
  EXPECT_EQ(by_cashier.error().code, Code::kPermissionDenied);
}

TEST_F(PointsDbTest, ProgramWithAStaleVersionIsAbortedProgramChanged) {
  auto base = points_.GetProgram(Admin());
  ASSERT_TRUE(base);
  ProgramConfig mine = *base, theirs = *base;
  theirs.pending_days = 14;
  auto saved = points_.PutProgram(Admin(), theirs);
  ASSERT_TRUE(saved) << Describe(saved.error());
  EXPECT_EQ(saved->version, base->version + 1);

  mine.pending_days = 7;  // based on the version that was just replaced
  auto stale = points_.PutProgram(Admin(), mine);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, Code::kAborted);
  EXPECT_EQ(stale.error().slug, "program_changed");
  auto now = points_.GetProgram(Admin());
  ASSERT_TRUE(now);
  EXPECT_EQ(now->pending_days, 14);
  EXPECT_EQ(now->version, saved->version);

  // Concurrent saves of the same version: exactly one wins.
  constexpr int kAdmins = 6;
  Outcomes outcomes;
  std::latch start(kAdmins);
  std::vector<std::thread> threads;
  for (int i = 0; i < kAdmins; ++i) {
    threads.emplace_back([&, i] {
      ProgramConfig p = *now;
      p.pending_days = 20 + i;
      start.arrive_and_wait();
      outcomes.Add(points_.PutProgram(Admin(), p));
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(outcomes.Count("ok"), 1);
  EXPECT_EQ(outcomes.Count("program_changed"), kAdmins - 1);
  EXPECT_THAT(outcomes.Unexpected({"ok", "program_changed"}), IsEmpty());
}

}  // namespace
}  // namespace loyalty
