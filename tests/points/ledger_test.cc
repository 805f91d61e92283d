// The pure ledger operations (domain/ledger.h) driven step by step through an in-memory "book"
// that stores every change the way MysqlLedgerRepository::WriteChange does (lots upserted by id,
// only remaining/state updated; entries appended) and, after EVERY step, recomputes the totals
// from the whole history and asserts CheckInvariants is empty.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <date/date.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "api/http/json_body.h"
#include "loyalty/common/time_format.h"
#include "loyalty/domain/expiry.h"
#include "loyalty/domain/ledger.h"
#include "loyalty/domain/program.h"
#include "tests/support/fake_clock.h"

namespace loyalty {
namespace {

using namespace std::chrono_literals;
using test_support::FakeClock;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int64_t kMaxPoints = 1'000'000'000'000;
constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kI64Min = std::numeric_limits<int64_t>::min();

Instant Utc(int y, unsigned m, unsigned d, std::chrono::microseconds time_of_day = 0us) {
  return Instant(date::sys_days(date::year{y} / m / d) + time_of_day);
}

// A program with no pending period, 24-month rolling expiry and within_balance returns; each
// test changes what it is about.
ProgramConfig BaseProgram() {
  ProgramConfig p = DefaultProgram();
  p.pending_days = 0;
  p.expiry = {ExpiryKind::kRollingMonths, 24};
  p.refund = RefundPolicy::kWithinBalance;
  return p;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "; ";
  return out;
}

// One member's ledger as the database would hold it.
class Book {
 public:
  explicit Book(ProgramConfig program, Instant start = FakeClock::DefaultStart(),
                std::string zone = "Asia/Shanghai")
      : program(std::move(program)), clock(start), zone(std::move(zone)) {
    account_.member_id = "member-1";
  }

  ProgramConfig program;
  FakeClock clock;
  std::string zone;

  // What the repository's LockAndLoad would return: the account and its open lots.
  AccountState State() const {
    AccountState s{account_, {}};
    for (const auto& id : order_) {
      const Lot& l = lots_.at(id);
      if (l.remaining > 0 && (l.state == LotState::kPending || l.state == LotState::kActive)) {
        s.lots.push_back(l);
      }
    }
    return s;
  }

  LedgerContext Ctx() {
    return LedgerContext{program, clock.Now(), zone, "staff-1", std::nullopt, [this] {
                           char id[32];
                           std::snprintf(id, sizeof id, "id-%06d", ++ids_);
                           return std::string(id);
                         }};
  }

  // Runs an operation on the current state; on success writes its change like the repository.
  Result<LedgerChange> Run(
      const std::function<Result<LedgerChange>(const AccountState&, const LedgerContext&)>& op) {
    const LedgerContext ctx = Ctx();
    auto r = op(State(), ctx);
    if (r) Apply(*r);
    return r;
  }

  Result<LedgerChange> Earn(int64_t points, const std::string& ref) {
    return Run([&](const AccountState& s, const LedgerContext& c) {
      return Credit(s, c, points, EntryKind::kEarn, kPurchaseSource, "transaction", ref,
                    "purchase " + ref);
    });
  }
  // An active credit (award/adjustment style), optionally with its own expiry; "" = a fresh ref.
  Result<LedgerChange> Grant(int64_t points, std::string ref,
                             std::optional<Instant> expires_at = std::nullopt) {
    if (ref.empty()) ref = "grant-" + std::to_string(ids_ + 1);
    return Run([&](const AccountState& s, const LedgerContext& c) {
      return Credit(s, c, points, EntryKind::kAdjust, "adjustment", "adjustment", ref, "grant", expires_at);
    });
  }
  Result<LedgerChange> Redeem(int64_t points) {
    return Run([&](const AccountState& s, const LedgerContext& c) {
      return Debit(s, c, points, EntryKind::kRedeem, "transaction", "r" + std::to_string(ids_), "redeem");
    });
  }
  Result<LedgerChange> Return(const std::string& ref, int64_t points) {
    return Run([&](const AccountState& s, const LedgerContext& c) {
      return ClawBack(s, c, ref, points, "return", "ret-" + ref, "returned " + ref);
    });
  }
  Result<LedgerChange> Adjust(int64_t points) {
    return Run([&](const AccountState& s, const LedgerContext& c) {
      Adjustment a;
      a.adjustment_id = "adj-" + std::to_string(ids_);
      a.member_id = account_.member_id;
      a.points = points;
      a.reason = "goodwill";
      a.requested_by = "staff-1";
      a.requested_at = c.now;
      return ApplyAdjustment(s, c, a);
    });
  }
  Result<LedgerChange> Activate() {
    return Run([](const AccountState& s, const LedgerContext& c) -> Result<LedgerChange> {
      return ActivateDue(s, c);
    });
  }
  Result<LedgerChange> Expire() {
    return Run([](const AccountState& s, const LedgerContext& c) -> Result<LedgerChange> {
      return ExpireDue(s, c);
    });
  }
  // What the scheduled sweep does: activate, then expire, in one transaction.
  Result<LedgerChange> Sweep() {
    auto a = Activate();
    if (!a) return a;
    return Expire();
  }

  const Account& account() const { return account_; }
  const std::vector<Entry>& entries() const { return entries_; }
  const Lot& lot(const std::string& id) const { return lots_.at(id); }
  std::vector<Entry> EntriesOf(EntryKind kind) const {
    std::vector<Entry> out;
    for (const auto& e : entries_) {
      if (e.kind == kind) out.push_back(e);
    }
    return out;
  }

  // Totals over the whole history, as `loyalty audit` computes them from the tables.
  LedgerTotals Totals() const {
    LedgerTotals t;
    for (const auto& e : entries_) {
      t.entries_available += e.available_delta;
      t.entries_pending += e.pending_delta;
    }
    for (const auto& [id, l] : lots_) {
      if (l.state == LotState::kActive) t.active_remaining += l.remaining;
      if (l.state == LotState::kPending) t.pending_remaining += l.remaining;
    }
    return t;
  }
  std::vector<std::string> Problems() const {
    return CheckInvariants(account_, Totals(), program.refund);
  }

 private:
  static std::vector<std::string> Describe(const std::vector<Lot>& lots) {
    std::vector<std::string> out;
    for (const Lot& l : lots) {
      out.push_back(l.lot_id + ":" + LotStateName(l.state) + ":" + std::to_string(l.remaining));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  void Apply(const LedgerChange& change) {
    for (const Lot& l : change.changed_lots) {
      auto it = lots_.find(l.lot_id);
      if (it == lots_.end()) {
        // uk_point_lots_ref: a lot's (source, ref) is unique per member.
        EXPECT_TRUE(source_refs_.insert(l.source + "|" + l.ref).second)
            << "second lot for " << l.source << " " << l.ref;
        lots_.emplace(l.lot_id, l);
        order_.push_back(l.lot_id);
        continue;
      }
      // ON DUPLICATE KEY UPDATE remaining, state: nothing else of a lot may change.
      EXPECT_EQ(it->second.points, l.points) << l.lot_id;
      EXPECT_EQ(it->second.earned_at, l.earned_at) << l.lot_id;
      EXPECT_EQ(it->second.activates_at, l.activates_at) << l.lot_id;
      EXPECT_EQ(it->second.expires_at, l.expires_at) << l.lot_id;
      it->second.remaining = l.remaining;
      it->second.state = l.state;
    }
    for (const Entry& e : change.entries) {
      EXPECT_TRUE(entry_ids_.insert(e.entry_id).second) << "entry id reused: " << e.entry_id;
      EXPECT_TRUE(e.available_delta != 0 || e.pending_delta != 0) << "empty entry " << e.entry_id;
      if (e.lot_id) {
        EXPECT_TRUE(lots_.count(*e.lot_id)) << "entry names an unknown lot " << *e.lot_id;
      }
      int64_t allocated = 0;
      for (const Allocation& a : e.allocations) {
        EXPECT_TRUE(lots_.count(a.lot_id)) << "allocation from an unknown lot " << a.lot_id;
        EXPECT_GT(a.points, 0);
        allocated += a.points;
      }
      if (e.kind == EntryKind::kRedeem || e.kind == EntryKind::kTransferOut ||
          (e.kind == EntryKind::kAdjust && e.available_delta < 0)) {
        EXPECT_EQ(allocated, -e.available_delta) << "a debit must say which lots paid for it";
      } else if (!e.allocations.empty()) {
        EXPECT_LE(allocated, -e.available_delta);
      }
      entries_.push_back(e);
    }
    account_ = change.state.account;
    for (const auto& [id, l] : lots_) {
      EXPECT_GE(l.remaining, 0) << id;
      EXPECT_LE(l.remaining, l.points) << id;
      if (l.state == LotState::kExpired || l.state == LotState::kCancelled) {
        EXPECT_EQ(l.remaining, 0) << id << " is closed but has points left";
      }
    }
    // What the operation believes is open must be what the next load finds.
    EXPECT_EQ(Describe(change.state.lots), Describe(State().lots));
    const auto problems = Problems();
    EXPECT_THAT(problems, IsEmpty()) << Join(problems);
  }

  Account account_;
  std::map<std::string, Lot> lots_;
  std::vector<std::string> order_;  // insertion order, like rows read back
  std::vector<Entry> entries_;
  std::set<std::string> entry_ids_;
  std::set<std::string> source_refs_;
  int ids_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Scenario table: each step runs one operation (or moves the clock) and states the balances
// expected after it. The book checks the invariant after every step on its own.

struct Want {
  int64_t available = 0;
  int64_t pending = 0;
  int64_t debt = 0;
};

enum class Op { kEarn, kGrant, kRedeem, kReturn, kAdjust, kActivate, kExpire, kSweep, kAdvance, kSetTime };

struct Step {
  Op op;
  int64_t points = 0;
  std::string ref;
  std::chrono::microseconds advance{0};
  Instant at{};
  std::optional<Code> fails;
  std::optional<Want> want;
};

Step Earn(int64_t p, std::string ref, Want w) { return {Op::kEarn, p, std::move(ref), {}, {}, {}, w}; }
Step Grant(int64_t p, Want w) { return {Op::kGrant, p, "", {}, {}, {}, w}; }
Step Redeem(int64_t p, Want w) { return {Op::kRedeem, p, "", {}, {}, {}, w}; }
Step Return(std::string ref, int64_t p, Want w) { return {Op::kReturn, p, std::move(ref), {}, {}, {}, w}; }
Step Adjust(int64_t p, Want w) { return {Op::kAdjust, p, "", {}, {}, {}, w}; }
Step Activate(Want w) { return {Op::kActivate, 0, "", {}, {}, {}, w}; }
Step Expire(Want w) { return {Op::kExpire, 0, "", {}, {}, {}, w}; }
Step Sweep(Want w) { return {Op::kSweep, 0, "", {}, {}, {}, w}; }
Step Advance(std::chrono::microseconds d) { return {Op::kAdvance, 0, "", d, {}, {}, {}}; }
Step SetTime(Instant t) { return {Op::kSetTime, 0, "", {}, t, {}, {}}; }
Step Fails(Step s, Code code) {
  s.fails = code;
  return s;
}

struct Scenario {
  std::string name;
  std::function<void(ProgramConfig&)> configure;
  Instant start;
  std::vector<Step> steps;
  std::string zone = "Asia/Shanghai";
};

std::ostream& operator<<(std::ostream& os, const Scenario& s) { return os << s.name; }

const Instant kStart = FakeClock::DefaultStart();  // 2026-03-01T02:00Z, 10:00 in Shanghai
constexpr auto kDay = std::chrono::microseconds(24h);

std::vector<Scenario> Scenarios() {
  return {
      {"earn_with_pending_days_activates_at_local_midnight_not_before",
       [](ProgramConfig& p) { p.pending_days = 30; },
       kStart,
       {Earn(500, "t1", {0, 500}), Activate({0, 500}), Advance(29 * kDay), Activate({0, 500}),
        Advance(13h + 59min), Activate({0, 500}),  // 2026-03-30T15:59Z: 23:59 local
        Fails(Redeem(100, {0, 500}), Code::kFailedPrecondition),
        Advance(1min), Activate({500, 0}),  // 2026-03-31 00:00 in Shanghai
        Activate({500, 0}), Redeem(200, {300, 0})}},

      {"lot_partly_redeemed_then_expired_from_leap_day",
       [](ProgramConfig& p) { p.expiry = {ExpiryKind::kRollingMonths, 12}; },
       Utc(2024, 2, 29, 2h),
       {Earn(1000, "t1", {1000}), Redeem(300, {700}),
        SetTime(Utc(2025, 2, 28, 15h + 59min + 59s + 999999us)), Expire({700}), Redeem(100, {600}),
        SetTime(Utc(2025, 2, 28, 16h)), Expire({0}), Expire({0}),
        Fails(Redeem(100, {0}), Code::kFailedPrecondition)}},

      {"pending_lot_returned_before_activation_never_becomes_available",
       [](ProgramConfig& p) { p.pending_days = 30; },
       kStart,
       {Earn(800, "t1", {0, 800}), Return("t1", 800, {0, 0}), Advance(31 * kDay), Sweep({0, 0}),
        Fails(Redeem(100, {0, 0}), Code::kFailedPrecondition)}},

      {"pending_lot_partly_returned_other_pending_lots_untouched",
       [](ProgramConfig& p) { p.pending_days = 30; },
       kStart,
       {Earn(800, "t1", {0, 800}), Earn(200, "t2", {0, 1000}), Return("t1", 300, {0, 700}),
        Return("t1", 600, {0, 200}), Advance(30 * kDay), Activate({200, 0})}},

      {"return_after_activation_only_pending_takes_nothing_active",
       [](ProgramConfig& p) { p.refund = RefundPolicy::kOnlyPending; },
       kStart,
       {Earn(500, "t1", {500}), Earn(200, "t2", {700}), Return("t1", 500, {700}),
        Return("t1", 100, {700})}},

      {"only_pending_takes_the_pending_part_only",
       [](ProgramConfig& p) {
         p.refund = RefundPolicy::kOnlyPending;
         p.pending_days = 30;
       },
       kStart,
       {Earn(500, "t1", {0, 500}), Return("t1", 200, {0, 300}), Advance(30 * kDay),
        Activate({300, 0}), Return("t1", 300, {300, 0})}},

      {"return_after_activation_within_balance_down_to_zero",
       [](ProgramConfig& p) { p.refund = RefundPolicy::kWithinBalance; },
       kStart,
       {Earn(500, "t1", {500}), Redeem(400, {100}), Earn(200, "t2", {300}),
        Return("t1", 500, {0}), Earn(50, "t3", {50}), Redeem(50, {0})}},

      {"return_allow_negative_debt_paid_first_by_credit_and_activation",
       [](ProgramConfig& p) {
         p.refund = RefundPolicy::kAllowNegative;
         p.pending_days = 30;
       },
       kStart,
       {Earn(500, "t1", {0, 500}), Advance(30 * kDay), Activate({500, 0}), Redeem(400, {100, 0}),
        Return("t1", 500, {-400, 0, 400}), Fails(Redeem(100, {-400, 0, 400}), Code::kFailedPrecondition),
        Grant(300, {-100, 0, 100}), Earn(250, "t2", {-100, 250, 100}), Advance(30 * kDay),
        Activate({150, 0, 0}), Redeem(150, {0, 0, 0})}},

      {"allow_negative_small_credits_chip_away_at_debt",
       [](ProgramConfig& p) { p.refund = RefundPolicy::kAllowNegative; },
       kStart,
       {Earn(100, "t1", {100}), Redeem(100, {0}), Return("t1", 100, {-100, 0, 100}),
        Grant(30, {-70, 0, 70}), Grant(70, {0, 0, 0}), Grant(10, {10, 0, 0}), Redeem(10, {0})}},

      {"debit_more_than_available_changes_nothing",
       [](ProgramConfig&) {},
       kStart,
       {Earn(100, "t1", {100}), Fails(Redeem(101, {100}), Code::kFailedPrecondition),
        Redeem(100, {0}), Fails(Redeem(1, {0}), Code::kFailedPrecondition)}},

      {"points_must_be_whole_and_between_1_and_10e12",
       [](ProgramConfig&) {},
       kStart,
       {Fails(Earn(0, "t0", {0}), Code::kInvalidArgument),
        Fails(Earn(-5, "t0", {0}), Code::kInvalidArgument),
        Fails(Earn(kMaxPoints + 1, "t0", {0}), Code::kInvalidArgument),
        Fails(Earn(kI64Max, "t0", {0}), Code::kInvalidArgument),
        Fails(Earn(kI64Min, "t0", {0}), Code::kInvalidArgument),
        Earn(kMaxPoints, "t1", {kMaxPoints}),
        Fails(Redeem(0, {kMaxPoints}), Code::kInvalidArgument),
        Fails(Redeem(-1, {kMaxPoints}), Code::kInvalidArgument),
        Fails(Redeem(kMaxPoints + 1, {kMaxPoints}), Code::kInvalidArgument),
        Fails(Return("t1", 0, {kMaxPoints}), Code::kInvalidArgument),
        Fails(Return("t1", -3, {kMaxPoints}), Code::kInvalidArgument),
        Fails(Return("t1", kI64Max, {kMaxPoints}), Code::kInvalidArgument),
        Redeem(kMaxPoints, {0})}},

      {"adjustments_credit_at_once_and_debit_never_below_zero",
       [](ProgramConfig& p) { p.pending_days = 30; },  // adjustments do not wait
       kStart,
       {Adjust(500, {500}), Adjust(-200, {300}), Fails(Adjust(-301, {300}), Code::kFailedPrecondition),
        Fails(Adjust(0, {300}), Code::kInvalidArgument),
        Fails(Adjust(kI64Min, {300}), Code::kInvalidArgument),
        Fails(Adjust(kI64Max, {300}), Code::kInvalidArgument),
        Fails(Adjust(-(kMaxPoints + 1), {300}), Code::kInvalidArgument),
        Adjust(-300, {0})}},

      {"inactivity_expires_everything_active_not_a_moment_before",
       [](ProgramConfig& p) { p.expiry = {ExpiryKind::kInactivityMonths, 6}; },
       Utc(2026, 3, 15, 2h),
       {Earn(100, "t1", {100}), Grant(50, {150}), Expire({150}),
        SetTime(Utc(2026, 9, 15, 15h + 59min + 59s + 999999us)), Expire({150}),
        SetTime(Utc(2026, 9, 15, 16h)), Expire({0}), Expire({0})}},

      {"inactivity_clock_restarts_with_each_activity",
       [](ProgramConfig& p) { p.expiry = {ExpiryKind::kInactivityMonths, 6}; },
       Utc(2026, 3, 15, 2h),
       {Earn(200, "t1", {200}), SetTime(Utc(2026, 6, 1, 2h)), Redeem(100, {100}),
        SetTime(Utc(2026, 9, 16)), Expire({100}), SetTime(Utc(2026, 12, 1, 15h + 59min)),
        Expire({100}), SetTime(Utc(2026, 12, 1, 16h)), Expire({0})}},

      {"pending_lot_that_expires_before_its_activation",
       [](ProgramConfig& p) {
         p.pending_days = 30;
         p.expiry = {ExpiryKind::kEndOfNthMonth, 0};
       },
       Utc(2026, 1, 20, 2h),
       {Earn(300, "t1", {0, 300}), SetTime(Utc(2026, 2, 2)), Expire({0, 0}),
        SetTime(Utc(2026, 3, 1)), Sweep({0, 0})}},

      {"end_of_year_in_shanghai_is_16h_utc_on_31_dec",
       [](ProgramConfig& p) { p.expiry = {ExpiryKind::kEndOfYear, 0}; },
       Utc(2026, 12, 31, 15h + 30min),  // 23:30 on 31 Dec in Shanghai
       {Earn(100, "t1", {100}), Advance(30min), Expire({0}),
        Earn(200, "t2", {200}),  // 00:00 on 1 Jan 2027 in Shanghai: expires end of 2027
        Advance(1 * kDay), Expire({200}), SetTime(Utc(2027, 12, 31, 15h + 59min)), Expire({200}),
        SetTime(Utc(2027, 12, 31, 16h)), Expire({0})}},

      {"end_of_year_in_utc_is_midnight_utc",
       [](ProgramConfig& p) { p.expiry = {ExpiryKind::kEndOfYear, 0}; },
       Utc(2026, 12, 31, 20h),
       {Earn(100, "t1", {100}), SetTime(Utc(2026, 12, 31, 23h + 59min)), Expire({100}),
        SetTime(Utc(2027, 1, 1)), Expire({0})},
       "UTC"},
  };
}

class LedgerScenarioTest : public ::testing::TestWithParam<Scenario> {};

TEST_P(LedgerScenarioTest, BalancesAfterEveryStepAndTheInvariantHolds) {
  const Scenario& sc = GetParam();
  ProgramConfig program = BaseProgram();
  sc.configure(program);
  Book book(program, sc.start, sc.zone);
  for (size_t i = 0; i < sc.steps.size(); ++i) {
    const Step& s = sc.steps[i];
    SCOPED_TRACE("step " + std::to_string(i) + " at " + FormatInstant(book.clock.Now()));
    const size_t entries_before = book.entries().size();
    const Account before = book.account();
    Result<LedgerChange> r = LedgerChange{};
    switch (s.op) {
      case Op::kEarn: r = book.Earn(s.points, s.ref); break;
      case Op::kGrant: r = book.Grant(s.points, s.ref); break;
      case Op::kRedeem: r = book.Redeem(s.points); break;
      case Op::kReturn: r = book.Return(s.ref, s.points); break;
      case Op::kAdjust: r = book.Adjust(s.points); break;
      case Op::kActivate: r = book.Activate(); break;
      case Op::kExpire: r = book.Expire(); break;
      case Op::kSweep: r = book.Sweep(); break;
      case Op::kAdvance: book.clock.Advance(s.advance); break;
      case Op::kSetTime: book.clock.Set(s.at); break;
    }
    if (s.fails) {
      ASSERT_FALSE(r.has_value()) << "expected a failure";
      EXPECT_EQ(r.error().code, *s.fails) << r.error().slug << ": " << r.error().message;
      if (*s.fails == Code::kInvalidArgument) {
        EXPECT_EQ(r.error().slug, "invalid_points");
        ASSERT_NE(r.error().Detail("field"), nullptr);
        EXPECT_EQ(*r.error().Detail("field"), "points");
      }
      if (*s.fails == Code::kFailedPrecondition) {
        EXPECT_EQ(r.error().slug, "insufficient_points");
      }
      EXPECT_EQ(book.entries().size(), entries_before) << "a failed operation wrote entries";
      EXPECT_EQ(book.account().available, before.available);
      EXPECT_EQ(book.account().pending, before.pending);
    } else {
      ASSERT_TRUE(r.has_value()) << r.error().slug << ": " << r.error().message;
    }
    if (s.want) {
      EXPECT_EQ(book.account().available, s.want->available) << "available";
      EXPECT_EQ(book.account().pending, s.want->pending) << "pending";
      EXPECT_EQ(book.account().debt, s.want->debt) << "debt";
    }
    EXPECT_THAT(book.Problems(), IsEmpty());
  }
}

INSTANTIATE_TEST_SUITE_P(Table, LedgerScenarioTest, ::testing::ValuesIn(Scenarios()),
                         [](const ::testing::TestParamInfo<Scenario>& info) { return info.param.name; });

// ---------------------------------------------------------------------------------------------
// Individual rules, with the entries and allocations they must produce.

std::vector<std::pair<std::string, int64_t>> Allocs(const Entry& e) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& a : e.allocations) out.emplace_back(a.lot_id, a.points);
  return out;
}

std::string NewLot(const Result<LedgerChange>& r) {
  EXPECT_TRUE(r.has_value());
  if (!r || r->changed_lots.empty()) return "";
  return r->changed_lots.back().lot_id;
}

TEST(LedgerRules, EarnWithPendingDaysCreatesAPendingLotThatActivatesOnItsDay) {
  ProgramConfig p = BaseProgram();
  p.pending_days = 30;
  Book book(p);
  auto earned = book.Earn(500, "t1");
  ASSERT_TRUE(earned);
  ASSERT_EQ(earned->entries.size(), 1u);
  EXPECT_EQ(earned->entries[0].kind, EntryKind::kEarn);
  EXPECT_EQ(earned->entries[0].pending_delta, 500);
  EXPECT_EQ(earned->entries[0].available_delta, 0);
  const Lot& lot = book.lot(NewLot(earned));
  EXPECT_EQ(lot.state, LotState::kPending);
  EXPECT_EQ(lot.activates_at, LocalDayStartAfter(kStart, 30, "Asia/Shanghai"));
  EXPECT_EQ(FormatInstant(lot.activates_at), "2026-03-30T16:00:00.000000Z");
  EXPECT_EQ(book.account().lifetime_earned, 500);

  book.clock.Set(lot.activates_at - 1us);
  auto early = book.Activate();
  ASSERT_TRUE(early);
  EXPECT_THAT(early->entries, IsEmpty());
  EXPECT_THAT(early->changed_lots, IsEmpty());

  book.clock.Set(lot.activates_at);
  auto due = book.Activate();
  ASSERT_TRUE(due);
  ASSERT_EQ(due->entries.size(), 1u);
  EXPECT_EQ(due->entries[0].kind, EntryKind::kActivate);
  EXPECT_EQ(due->entries[0].available_delta, 500);
  EXPECT_EQ(due->entries[0].pending_delta, -500);
  EXPECT_EQ(book.lot(lot.lot_id).state, LotState::kActive);
}

TEST(LedgerRules, OnlyPurchasesWaitOutThePendingPeriod) {
  ProgramConfig p = BaseProgram();
  p.pending_days = 30;
  Book book(p);
  auto award = book.Run([](const AccountState& s, const LedgerContext& c) {
    return Credit(s, c, 100, EntryKind::kEarn, "award", "award", "enrolment", "award: enrolment");
  });
  ASSERT_TRUE(award);
  EXPECT_EQ(book.lot(NewLot(award)).state, LotState::kActive);
  EXPECT_EQ(book.account().available, 100);
  EXPECT_EQ(book.account().lifetime_earned, 100);
  auto purchase = book.Earn(200, "t1");
  ASSERT_TRUE(purchase);
  EXPECT_EQ(book.lot(NewLot(purchase)).state, LotState::kPending);
  EXPECT_EQ(book.account().pending, 200);
}

TEST(LedgerRules, RedemptionDrawsSoonestExpiryFirstNeverExpiringLastOldestFirst) {
  ProgramConfig p = BaseProgram();
  p.expiry = {ExpiryKind::kNone, 0};
  Book book(p);
  const std::string x = NewLot(book.Grant(100, "x"));  // never expires, oldest
  book.clock.Advance(1h);
  const std::string y = NewLot(book.Grant(100, "y", Utc(2027, 1, 1)));
  book.clock.Advance(1h);
  const std::string z = NewLot(book.Grant(100, "z", Utc(2026, 12, 1)));  // soonest
  book.clock.Advance(1h);
  const std::string w = NewLot(book.Grant(100, "w", Utc(2027, 1, 1)));  // same expiry as y, newer
  book.clock.Advance(1h);
  const std::string v = NewLot(book.Grant(100, "v"));  // never expires, newest
  ASSERT_EQ(book.account().available, 500);

  auto first = book.Redeem(150);
  ASSERT_TRUE(first);
  EXPECT_THAT(Allocs(first->entries.at(0)), ElementsAre(std::pair{z, int64_t{100}}, std::pair{y, int64_t{50}}));
  auto second = book.Redeem(150);
  ASSERT_TRUE(second);
  EXPECT_THAT(Allocs(second->entries.at(0)), ElementsAre(std::pair{y, int64_t{50}}, std::pair{w, int64_t{100}}));
  auto third = book.Redeem(150);
  ASSERT_TRUE(third);
  EXPECT_THAT(Allocs(third->entries.at(0)), ElementsAre(std::pair{x, int64_t{100}}, std::pair{v, int64_t{50}}));
  EXPECT_EQ(book.lot(v).remaining, 50);
  EXPECT_EQ(book.account().available, 50);
}

TEST(LedgerRules, PartlyRedeemedLotExpiresExactlyItsRemainder) {
  ProgramConfig p = BaseProgram();
  p.expiry = {ExpiryKind::kRollingMonths, 12};
  Book book(p, Utc(2024, 2, 29, 2h));
  const std::string old_lot = NewLot(book.Earn(1000, "t1"));
  book.clock.Advance(31 * kDay);
  const std::string new_lot = NewLot(book.Earn(500, "t2"));
  auto redeemed = book.Redeem(300);
  ASSERT_TRUE(redeemed);
  EXPECT_THAT(Allocs(redeemed->entries.at(0)), ElementsAre(std::pair{old_lot, int64_t{300}}));

  book.clock.Set(Utc(2025, 2, 28, 16h));  // 1 Mar 2025 00:00 in Shanghai
  auto expired = book.Expire();
  ASSERT_TRUE(expired);
  ASSERT_EQ(expired->entries.size(), 1u);
  const Entry& e = expired->entries[0];
  EXPECT_EQ(e.kind, EntryKind::kExpire);
  EXPECT_EQ(e.available_delta, -700);
  EXPECT_EQ(e.pending_delta, 0);
  EXPECT_EQ(e.lot_id, old_lot);
  EXPECT_EQ(book.lot(old_lot).state, LotState::kExpired);
  EXPECT_EQ(book.lot(old_lot).remaining, 0);
  EXPECT_EQ(book.lot(old_lot).points, 1000);
  EXPECT_EQ(book.lot(new_lot).state, LotState::kActive);
  EXPECT_EQ(book.account().available, 500);

  auto again = book.Expire();  // the same sweep again does nothing
  ASSERT_TRUE(again);
  EXPECT_THAT(again->entries, IsEmpty());
  EXPECT_EQ(book.EntriesOf(EntryKind::kExpire).size(), 1u);
}

// A lot is "no longer usable" from its expiry instant (expiry.h), whether or not the sweep has
// written the expire entry yet: a redemption between the two must not spend it.
TEST(LedgerRules, ExpiredLotCannotBeSpentBeforeTheSweepExpiresIt) {
  ProgramConfig p = BaseProgram();
  p.expiry = {ExpiryKind::kRollingMonths, 12};
  Book book(p);
  const std::string old_lot = NewLot(book.Earn(100, "t1"));
  book.clock.Advance(60 * kDay);
  const std::string new_lot = NewLot(book.Earn(50, "t2"));
  book.clock.Set(*book.lot(old_lot).expires_at);  // no sweep has run

  auto too_much = book.Redeem(100);
  ASSERT_FALSE(too_much) << "spent 100 points of which 100 had expired";
  EXPECT_EQ(too_much.error().slug, "insufficient_points");

  auto fine = book.Redeem(50);
  ASSERT_TRUE(fine) << fine.error().message;
  EXPECT_THAT(Allocs(fine->entries.at(0)), ElementsAre(std::pair{new_lot, int64_t{50}}))
      << "drew from a lot that had already expired";
}

TEST(LedgerRules, PendingLotReturnedBeforeActivationIsCancelledAndNeverAvailable) {
  ProgramConfig p = BaseProgram();
  p.pending_days = 30;
  Book book(p);
  const std::string lot = NewLot(book.Earn(800, "t1"));
  auto returned = book.Return("t1", 800);
  ASSERT_TRUE(returned);
  ASSERT_EQ(returned->entries.size(), 1u);
  EXPECT_EQ(returned->entries[0].kind, EntryKind::kReverse);
  EXPECT_EQ(returned->entries[0].pending_delta, -800);
  EXPECT_EQ(returned->entries[0].available_delta, 0);
  EXPECT_EQ(returned->entries[0].lot_id, lot);
  EXPECT_EQ(book.lot(lot).state, LotState::kCancelled);

  book.clock.Advance(60 * kDay);
  auto swept = book.Sweep();
  ASSERT_TRUE(swept);
  EXPECT_EQ(book.lot(lot).state, LotState::kCancelled);
  for (const Entry& e : book.entries()) {
    EXPECT_EQ(e.available_delta, 0) << EntryKindName(e.kind) << " made cancelled points available";
  }
  EXPECT_EQ(book.account().available, 0);
  EXPECT_EQ(book.account().pending, 0);
}

struct RefundCase {
  RefundPolicy policy;
  int64_t available, debt;
  std::vector<int64_t> allocations;  // from t1's lot, then t2's
};

std::ostream& operator<<(std::ostream& os, const RefundCase& c) { return os << RefundPolicyName(c.policy); }

class ClawBackAfterActivationTest : public ::testing::TestWithParam<RefundCase> {};

TEST_P(ClawBackAfterActivationTest, TakesPerTheRefundPolicy) {
  const RefundCase& c = GetParam();
  ProgramConfig p = BaseProgram();
  p.refund = c.policy;
  p.pending_days = 30;
  Book book(p);
  const std::string t1 = NewLot(book.Earn(500, "t1"));
  book.clock.Advance(1h);
  const std::string t2 = NewLot(book.Earn(300, "t2"));
  book.clock.Advance(31 * kDay);
  ASSERT_TRUE(book.Activate());
  ASSERT_EQ(book.account().available, 800);
  auto redeemed = book.Redeem(400);  // same expiry day: the older lot t1 pays
  ASSERT_TRUE(redeemed);
  EXPECT_THAT(Allocs(redeemed->entries.at(0)), ElementsAre(std::pair{t1, int64_t{400}}));

  auto returned = book.Return("t1", 500);  // the whole purchase comes back
  ASSERT_TRUE(returned);
  EXPECT_EQ(book.account().available, c.available);
  EXPECT_EQ(book.account().debt, c.debt);
  std::vector<int64_t> taken;
  for (const Entry& e : returned->entries) {
    for (const auto& a : e.allocations) taken.push_back(a.points);
  }
  EXPECT_EQ(taken, c.allocations);
  if (c.policy == RefundPolicy::kOnlyPending) {
    EXPECT_THAT(returned->entries, IsEmpty()) << "nothing pending to take, nothing active may go";
    EXPECT_EQ(book.lot(t1).remaining, 100);
    EXPECT_EQ(book.lot(t2).remaining, 300);
  }

  // The next points pay the debt first (allow_negative), else simply add up.
  book.clock.Advance(1h);
  auto credited = book.Grant(250, "later");
  ASSERT_TRUE(credited);
  EXPECT_EQ(book.account().available, c.available + 250);
  EXPECT_EQ(book.account().debt, std::max<int64_t>(c.debt - 250, 0));
  EXPECT_EQ(book.lot(NewLot(credited)).remaining, 250 - std::min<int64_t>(c.debt, 250));
}

INSTANTIATE_TEST_SUITE_P(Table, ClawBackAfterActivationTest,
                         ::testing::Values(RefundCase{RefundPolicy::kOnlyPending, 400, 0, {}},
                                           RefundCase{RefundPolicy::kWithinBalance, 0, 0, {100, 300}},
                                           RefundCase{RefundPolicy::kAllowNegative, -100, 100, {100, 300}}));

TEST(LedgerRules, DebtIsPaidFromAPendingLotWhenItActivates) {
  ProgramConfig p = BaseProgram();
  p.refund = RefundPolicy::kAllowNegative;
  p.pending_days = 7;
  Book book(p);
  ASSERT_TRUE(book.Grant(100, "g"));
  ASSERT_TRUE(book.Redeem(100));
  ASSERT_TRUE(book.Return("g", 100));
  ASSERT_EQ(book.account().debt, 100);
  const std::string lot = NewLot(book.Earn(250, "t2"));
  EXPECT_EQ(book.account().debt, 100) << "pending points cannot pay a debt yet";
  book.clock.Advance(8 * kDay);
  auto activated = book.Activate();
  ASSERT_TRUE(activated);
  ASSERT_EQ(activated->entries.size(), 1u);
  EXPECT_EQ(activated->entries[0].available_delta, 250);
  EXPECT_EQ(book.lot(lot).remaining, 150);
  EXPECT_EQ(book.account().debt, 0);
  EXPECT_EQ(book.account().available, 150);
}

TEST(LedgerRules, DebitShortIsInsufficientPointsNamingWhatIsAvailable) {
  Book book(BaseProgram());
  ASSERT_TRUE(book.Earn(100, "t1"));
  auto r = book.Redeem(101);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(r.error().slug, "insufficient_points");
  ASSERT_NE(r.error().Detail("available"), nullptr);
  EXPECT_EQ(*r.error().Detail("available"), "100");
  EXPECT_EQ(book.entries().size(), 1u);
  EXPECT_EQ(book.account().available, 100);
}

TEST(LedgerRules, BadPointsAreInvalidArgumentNamingTheField) {
  ProgramConfig p = BaseProgram();
  Book book(p);
  ASSERT_TRUE(book.Earn(100, "t1"));
  const AccountState state = book.State();
  const LedgerContext ctx = book.Ctx();
  for (int64_t bad : {int64_t{0}, int64_t{-1}, kMaxPoints + 1, kI64Max, kI64Min}) {
    SCOPED_TRACE(bad);
    std::vector<Result<LedgerChange>> results = {
        Credit(state, ctx, bad, EntryKind::kEarn, "purchase", "transaction", "x", "r"),
        Debit(state, ctx, bad, EntryKind::kRedeem, "transaction", "x", "r"),
        ClawBack(state, ctx, "t1", bad, "return", "x", "r")};
    for (const auto& r : results) {
      ASSERT_FALSE(r);
      EXPECT_EQ(r.error().code, Code::kInvalidArgument);
      EXPECT_EQ(r.error().slug, "invalid_points");
      ASSERT_NE(r.error().Detail("field"), nullptr);
      EXPECT_EQ(*r.error().Detail("field"), "points");
    }
  }
  for (int64_t bad : {int64_t{0}, kI64Min, kI64Max, kMaxPoints + 1, -(kMaxPoints + 1)}) {
    SCOPED_TRACE(bad);
    Adjustment a;
    a.adjustment_id = "a";
    a.points = bad;
    auto r = ApplyAdjustment(state, ctx, a);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Code::kInvalidArgument);
    ASSERT_NE(r.error().Detail("field"), nullptr);
    EXPECT_EQ(*r.error().Detail("field"), "points");
  }
}

TEST(LedgerRules, AdjustmentsAreFinalAndDoNotCountAsEarned) {
  ProgramConfig p = BaseProgram();
  p.pending_days = 30;
  Book book(p);
  auto credit = book.Adjust(500);
  ASSERT_TRUE(credit);
  ASSERT_EQ(credit->entries.size(), 1u);
  EXPECT_EQ(credit->entries[0].kind, EntryKind::kAdjust);
  EXPECT_EQ(credit->entries[0].available_delta, 500);
  EXPECT_EQ(credit->entries[0].reason, "adjustment: goodwill");
  const Lot& lot = book.lot(NewLot(credit));
  EXPECT_EQ(lot.state, LotState::kActive);
  EXPECT_EQ(lot.source, "adjustment");
  EXPECT_EQ(book.account().lifetime_earned, 0);

  auto debit = book.Adjust(-200);
  ASSERT_TRUE(debit);
  ASSERT_EQ(debit->entries.size(), 1u);
  EXPECT_EQ(debit->entries[0].kind, EntryKind::kAdjust);
  EXPECT_EQ(debit->entries[0].available_delta, -200);
  EXPECT_THAT(Allocs(debit->entries[0]), ElementsAre(std::pair{lot.lot_id, int64_t{200}}));
  EXPECT_EQ(book.account().available, 300);
}

TEST(LedgerRules, InactivityExpiresAllActiveLotsWithItsReason) {
  ProgramConfig p = BaseProgram();
  p.expiry = {ExpiryKind::kInactivityMonths, 3};
  Book book(p, Utc(2026, 3, 15, 2h));
  ASSERT_TRUE(book.Earn(100, "t1"));
  book.clock.Advance(1h);
  ASSERT_TRUE(book.Grant(40, "g"));
  book.clock.Set(Utc(2026, 6, 15, 16h) - 1us);  // 23:59:59.999999 on 15 Jun in Shanghai
  auto early = book.Expire();
  ASSERT_TRUE(early);
  EXPECT_THAT(early->entries, IsEmpty());
  book.clock.Set(Utc(2026, 6, 15, 16h));
  auto expired = book.Expire();
  ASSERT_TRUE(expired);
  ASSERT_EQ(expired->entries.size(), 2u);
  for (const Entry& e : expired->entries) {
    EXPECT_EQ(e.kind, EntryKind::kExpire);
    EXPECT_EQ(e.reason, "expired after inactivity");
  }
  EXPECT_EQ(book.account().available, 0);
}

// ---------------------------------------------------------------------------------------------
// Combine: two operations decided one after the other (the second on the first's state), written
// as one change, the way PointsService's sale and return decisions use it.

// What the auditor would sum after `change` is written on top of `book`: the book's entries and
// the change's, the book's open lots upserted by the change's lots (closed lots hold nothing).
LedgerTotals TotalsAfter(const Book& book, const LedgerChange& change) {
  LedgerTotals t;
  std::vector<Entry> entries = book.entries();
  entries.insert(entries.end(), change.entries.begin(), change.entries.end());
  for (const Entry& e : entries) {
    t.entries_available += e.available_delta;
    t.entries_pending += e.pending_delta;
  }
  std::map<std::string, Lot> lots;
  for (const Lot& l : book.State().lots) lots[l.lot_id] = l;
  for (const Lot& l : change.changed_lots) lots[l.lot_id] = l;
  for (const auto& [id, l] : lots) {
    if (l.state == LotState::kActive) t.active_remaining += l.remaining;
    if (l.state == LotState::kPending) t.pending_remaining += l.remaining;
  }
  return t;
}

// Writes a change decided outside the book, as the repository would (the book checks it).
Result<LedgerChange> Write(Book& book, const LedgerChange& change) {
  return book.Run(
      [&](const AccountState&, const LedgerContext&) -> Result<LedgerChange> { return change; });
}

std::vector<std::string> LotIds(const std::vector<Lot>& lots) {
  std::vector<std::string> out;
  for (const Lot& l : lots) out.push_back(l.lot_id);
  return out;
}

std::vector<std::string> EntryIds(const std::vector<Entry>& entries) {
  std::vector<std::string> out;
  for (const Entry& e : entries) out.push_back(e.entry_id);
  return out;
}

std::vector<std::string> LotSummary(const std::vector<Lot>& lots) {
  std::vector<std::string> out;
  for (const Lot& l : lots) {
    out.push_back(l.lot_id + ":" + LotStateName(l.state) + ":" + std::to_string(l.remaining));
  }
  return out;
}

void ExpectSameAccount(const Account& got, const Account& want) {
  EXPECT_EQ(got.member_id, want.member_id);
  EXPECT_EQ(got.available, want.available);
  EXPECT_EQ(got.pending, want.pending);
  EXPECT_EQ(got.debt, want.debt);
  EXPECT_EQ(got.lifetime_earned, want.lifetime_earned);
  EXPECT_EQ(got.last_activity_at, want.last_activity_at);
  EXPECT_EQ(got.version, want.version);
}

TEST(CombineTest, DebitThenCreditIsTheSecondsStateWithBothChangesInOrder) {
  Book book(BaseProgram());
  const std::string old_lot = NewLot(book.Grant(500, "g"));
  const AccountState state = book.State();
  const LedgerContext ctx = book.Ctx();
  // A sale that uses 200 points and earns 50.
  auto debit = Debit(state, ctx, 200, EntryKind::kRedeem, "transaction", "t9", "redeem");
  ASSERT_TRUE(debit);
  auto credit = Credit(debit->state, ctx, 50, EntryKind::kEarn, kPurchaseSource, "transaction",
                       "t9", "purchase t9");
  ASSERT_TRUE(credit);
  const LedgerChange combined = Combine(*debit, *credit);

  ExpectSameAccount(combined.state.account, credit->state.account);
  EXPECT_EQ(LotSummary(combined.state.lots), LotSummary(credit->state.lots));
  const std::string new_lot = credit->changed_lots.at(0).lot_id;
  EXPECT_THAT(LotIds(combined.changed_lots), ElementsAre(old_lot, new_lot));
  EXPECT_EQ(combined.changed_lots[0].remaining, 300);
  EXPECT_EQ(combined.changed_lots[1].remaining, 50);
  std::vector<std::string> entries = EntryIds(debit->entries);
  for (const auto& id : EntryIds(credit->entries)) entries.push_back(id);
  EXPECT_EQ(EntryIds(combined.entries), entries);
  ASSERT_EQ(combined.entries.size(), 2u);
  EXPECT_EQ(combined.entries[0].kind, EntryKind::kRedeem);
  EXPECT_EQ(combined.entries[1].kind, EntryKind::kEarn);

  EXPECT_THAT(
      CheckInvariants(combined.state.account, TotalsAfter(book, combined), book.program.refund),
      IsEmpty());
  ASSERT_TRUE(Write(book, combined));
  EXPECT_EQ(book.account().available, 350);
  EXPECT_EQ(book.lot(old_lot).remaining, 300);
  EXPECT_THAT(book.Problems(), IsEmpty());
}

TEST(CombineTest, ALotChangedByBothAppearsOnceWithItsLatestRemaining) {
  Book book(BaseProgram());
  const std::string t1 = NewLot(book.Earn(800, "t1"));
  book.clock.Advance(1h);
  const std::string t2 = NewLot(book.Earn(300, "t2"));
  const AccountState state = book.State();
  const LedgerContext ctx = book.Ctx();
  // 900 redeemed: all of t1 (older, same expiry day) and 100 of t2; then t2 is returned.
  auto debit = Debit(state, ctx, 900, EntryKind::kRedeem, "transaction", "t9", "redeem");
  ASSERT_TRUE(debit);
  ASSERT_THAT(LotSummary(debit->changed_lots), ElementsAre(t1 + ":active:0", t2 + ":active:200"));
  auto back = ClawBack(debit->state, ctx, "t2", 150, "return", "ret-t2", "returned t2");
  ASSERT_TRUE(back);
  ASSERT_THAT(LotSummary(back->changed_lots), ElementsAre(t2 + ":active:50"));
  const LedgerChange combined = Combine(*debit, *back);

  EXPECT_THAT(LotSummary(combined.changed_lots), ElementsAre(t1 + ":active:0", t2 + ":active:50"))
      << "each lot once, in the order first seen, with its latest remaining";
  EXPECT_EQ(combined.entries.size(), debit->entries.size() + back->entries.size());
  ExpectSameAccount(combined.state.account, back->state.account);
  EXPECT_THAT(
      CheckInvariants(combined.state.account, TotalsAfter(book, combined), book.program.refund),
      IsEmpty());
  ASSERT_TRUE(Write(book, combined));
  EXPECT_EQ(book.account().available, 50);
  EXPECT_EQ(book.lot(t2).remaining, 50);
}

TEST(CombineTest, ClawBackOfAPendingPurchaseThenARestoreCreditKeepsTheInvariant) {
  // What a return does: take back part of the sale's pending points, give back redeemed ones.
  ProgramConfig p = BaseProgram();
  p.pending_days = 30;
  Book book(p);
  ASSERT_TRUE(book.Grant(400, "g"));
  ASSERT_TRUE(book.Redeem(250));
  const std::string sale_lot = NewLot(book.Earn(800, "t1"));
  ASSERT_EQ(book.account().available, 150);
  ASSERT_EQ(book.account().pending, 800);

  const AccountState state = book.State();
  const LedgerContext ctx = book.Ctx();
  auto taken = ClawBack(state, ctx, "t1", 300, "return", "ret-1", "returned: t1");
  ASSERT_TRUE(taken);
  auto restored = Credit(taken->state, ctx, 120, EntryKind::kReverse, "refund", "return", "ret-1",
                         "points given back: t1");
  ASSERT_TRUE(restored);
  const LedgerChange combined = Combine(*taken, *restored);

  EXPECT_EQ(combined.state.account.pending, 500);
  EXPECT_EQ(combined.state.account.available, 270);
  ASSERT_EQ(combined.changed_lots.size(), 2u);
  EXPECT_EQ(combined.changed_lots[0].lot_id, sale_lot);
  EXPECT_EQ(combined.changed_lots[0].state, LotState::kPending);
  EXPECT_EQ(combined.changed_lots[0].remaining, 500);
  EXPECT_EQ(combined.changed_lots[1].state, LotState::kActive);
  EXPECT_EQ(combined.changed_lots[1].remaining, 120);
  ASSERT_EQ(combined.entries.size(), 2u);
  EXPECT_EQ(combined.entries[0].pending_delta, -300);
  EXPECT_EQ(combined.entries[1].available_delta, 120);

  const auto problems =
      CheckInvariants(combined.state.account, TotalsAfter(book, combined), p.refund);
  EXPECT_THAT(problems, IsEmpty()) << Join(problems);

  // The check is not vacuous: writing the second change's lots alone (the clawed-back lot left
  // at 800) with both entries breaks it.
  LedgerChange lots_lost = combined;
  lots_lost.changed_lots = restored->changed_lots;
  EXPECT_THAT(CheckInvariants(lots_lost.state.account, TotalsAfter(book, lots_lost), p.refund),
              ::testing::Not(IsEmpty()));

  ASSERT_TRUE(Write(book, combined));
  EXPECT_EQ(book.lot(sale_lot).remaining, 500);
  book.clock.Advance(31 * kDay);
  ASSERT_TRUE(book.Activate());
  EXPECT_EQ(book.account().available, 770);
  EXPECT_EQ(book.account().pending, 0);
  EXPECT_THAT(book.Problems(), IsEmpty());
}

TEST(CombineTest, AnEmptyFirstChangeGivesTheSecond) {
  Book book(BaseProgram());
  ASSERT_TRUE(book.Grant(100, "g"));
  const AccountState state = book.State();
  const LedgerContext ctx = book.Ctx();
  const LedgerChange nothing{state, {}, {}};
  auto debit = Debit(state, ctx, 40, EntryKind::kRedeem, "transaction", "t9", "redeem");
  ASSERT_TRUE(debit);
  const LedgerChange combined = Combine(nothing, *debit);
  ExpectSameAccount(combined.state.account, debit->state.account);
  EXPECT_EQ(LotSummary(combined.changed_lots), LotSummary(debit->changed_lots));
  EXPECT_EQ(EntryIds(combined.entries), EntryIds(debit->entries));
}

// ---------------------------------------------------------------------------------------------
// Program configuration that contradicts itself: invalid_program naming the field.

struct ProgramCase {
  std::string name;
  std::function<void(ProgramConfig&)> change;
  std::string field;
};

std::ostream& operator<<(std::ostream& os, const ProgramCase& c) { return os << c.name; }

class ProgramValidationTest : public ::testing::TestWithParam<ProgramCase> {};

TEST_P(ProgramValidationTest, NamesTheField) {
  ProgramConfig p = DefaultProgram();
  ASSERT_TRUE(ValidateProgram(p));
  GetParam().change(p);
  auto r = ValidateProgram(p);
  ASSERT_FALSE(r) << "accepted";
  EXPECT_EQ(r.error().code, Code::kInvalidArgument);
  EXPECT_EQ(r.error().slug, "invalid_program");
  ASSERT_NE(r.error().Detail("field"), nullptr);
  EXPECT_EQ(*r.error().Detail("field"), GetParam().field) << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ProgramValidationTest,
    ::testing::Values(
        ProgramCase{"redemption_max_below_min",
                    [](ProgramConfig& p) {
                      p.redemption.min_points = 500;
                      p.redemption.max_points = 499;
                    },
                    "redemption.max_points"},
        ProgramCase{"transfer_day_limit_below_min",
                    [](ProgramConfig& p) {
                      p.transfers.min_points = 1000;
                      p.transfers.max_points_per_day = 999;
                    },
                    "transfers.max_points_per_day"},
        ProgramCase{"rolling_zero_months",
                    [](ProgramConfig& p) { p.expiry = {ExpiryKind::kRollingMonths, 0}; },
                    "expiry.months_or_years"},
        ProgramCase{"inactivity_zero_months",
                    [](ProgramConfig& p) { p.expiry = {ExpiryKind::kInactivityMonths, 0}; },
                    "expiry.months_or_years"},
        ProgramCase{"end_of_year_negative",
                    [](ProgramConfig& p) { p.expiry = {ExpiryKind::kEndOfYear, -1}; },
                    "expiry.months_or_years"},
        ProgramCase{"pending_days_negative", [](ProgramConfig& p) { p.pending_days = -1; },
                    "pending_days"},
        ProgramCase{"pending_days_over_a_year", [](ProgramConfig& p) { p.pending_days = 366; },
                    "pending_days"},
        ProgramCase{"redemption_points_zero", [](ProgramConfig& p) { p.redemption.points = 0; },
                    "redemption.points"},
        ProgramCase{"earn_per_minor_zero", [](ProgramConfig& p) { p.earn.per_minor = 0; },
                    "earn.per_minor"},
        ProgramCase{"approval_threshold_negative",
                    [](ProgramConfig& p) { p.adjustments.approval_threshold = -1; },
                    "adjustments.approval_threshold"},
        ProgramCase{"tier_thresholds_not_ascending",
                    [](ProgramConfig& p) { p.tiers.levels[2].threshold = p.tiers.levels[1].threshold; },
                    "tiers.levels[2].threshold"},
        ProgramCase{"unknown_zone", [](ProgramConfig& p) { p.time_zone = "Mars/Olympus"; },
                    "time_zone"}),
    [](const ::testing::TestParamInfo<ProgramCase>& info) { return info.param.name; });

// Points that expire before they can ever be used: a 60-day return window with a 1-month
// rolling expiry means every purchase's points expire while still pending. The program
// contradicts itself and should be refused, naming the pending period.
TEST(ProgramValidation, PendingPeriodLongerThanTheExpiryIsRefused) {
  ProgramConfig p = DefaultProgram();
  p.pending_days = 60;
  p.expiry = {ExpiryKind::kRollingMonths, 1};
  auto r = ValidateProgram(p);
  ASSERT_FALSE(r) << "accepted a program in which every purchase's points expire before they "
                     "become available";
  EXPECT_EQ(r.error().code, Code::kInvalidArgument);
  ASSERT_NE(r.error().Detail("field"), nullptr);
  EXPECT_EQ(*r.error().Detail("field"), "pending_days");
}

// ---------------------------------------------------------------------------------------------
// The JSON boundary in front of every points endpoint: only whole int64 numbers get through.

struct JsonPointsCase {
  std::string body;
  std::optional<int64_t> accepted;  // nullopt: 400 naming "points"
};

std::ostream& operator<<(std::ostream& os, const JsonPointsCase& c) { return os << c.body; }

class JsonPointsTest : public ::testing::TestWithParam<JsonPointsCase> {};

TEST_P(JsonPointsTest, OnlyWholeInt64NumbersAreAccepted) {
  const auto body = nlohmann::json::parse(GetParam().body);
  auto r = api::RequiredInt64(body, "points");
  if (GetParam().accepted) {
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(*r, *GetParam().accepted);
  } else {
    ASSERT_FALSE(r) << "accepted as " << *r;
    EXPECT_EQ(r.error().code, Code::kInvalidArgument);
    ASSERT_NE(r.error().Detail("field"), nullptr);
    EXPECT_EQ(*r.error().Detail("field"), "points");
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, JsonPointsTest,
    ::testing::Values(JsonPointsCase{R"({"points": 100})", 100},
                      JsonPointsCase{R"({"points": -5})", -5},  // the service refuses it
                      JsonPointsCase{R"({"points": 9223372036854775807})", kI64Max},
                      JsonPointsCase{R"({"points": 1.5})", std::nullopt},
                      JsonPointsCase{R"({"points": 100.0})", std::nullopt},
                      JsonPointsCase{R"({"points": 1e3})", std::nullopt},
                      JsonPointsCase{R"({"points": 1e30})", std::nullopt},
                      JsonPointsCase{R"({"points": "10"})", std::nullopt},
                      JsonPointsCase{R"({"points": true})", std::nullopt},
                      JsonPointsCase{R"({"points": [100]})", std::nullopt},
                      JsonPointsCase{R"({"points": null})", std::nullopt},
                      JsonPointsCase{R"({})", std::nullopt},
                      JsonPointsCase{R"({"points": 9223372036854775808})", std::nullopt},
                      JsonPointsCase{R"({"points": 18446744073709551615})", std::nullopt},
                      JsonPointsCase{R"({"points": 18446744073709551616})", std::nullopt},
                      JsonPointsCase{R"({"points": -9223372036854775809})", std::nullopt}));

}  // namespace
}  // namespace loyalty
