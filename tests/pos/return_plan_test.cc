// Return arithmetic (domain/pos_transaction.h): a sale returned in any number of parts refunds
// exactly what was paid and moves exactly the sale's points back, never more, never negative.
#include <date/date.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "loyalty/domain/pos_transaction.h"

namespace loyalty {
namespace {

using namespace std::chrono_literals;

PosLine SaleLine(int no, int64_t qty, int64_t unit_price_minor, int64_t discount_minor) {
  PosLine l;
  l.line_no = no;
  l.sku = "69010" + std::to_string(no);
  l.category = "grocery";
  l.qty = qty;
  l.unit_price_minor = unit_price_minor;
  l.net_minor = qty * unit_price_minor;
  l.discount_minor = discount_minor;
  l.paid_minor = l.net_minor - discount_minor;
  return l;
}

PosTransaction Sale(std::vector<PosLine> lines, int64_t points_earned, int64_t points_redeemed) {
  PosTransaction t;
  t.txn_id = "txn-1";
  t.store_id = "SH001";
  t.terminal_id = "T1";
  t.pos_txn_id = "pos-1";
  t.kind = PosTxnKind::kSale;
  t.member_id = "member-1";
  t.currency = "CNY";
  t.points_earned = points_earned;
  t.points_redeemed = points_redeemed;
  for (const PosLine& l : lines) {
    t.total_minor += l.net_minor;
    t.discount_minor += l.discount_minor;
  }
  t.lines = std::move(lines);
  return t;
}

// Three lines with coupons, so no line's paid is qty × price:
//   line 1: 4 × 12.99 = 51.96 less 5.00  -> paid 46.96
//   line 2: 3 × 25.00 = 75.00 less 12.34 -> paid 62.66
//   line 3: 1 × 9.99                     -> paid  9.99
// 119.61 paid in all; 137 points earned, 250 points redeemed.
constexpr int64_t kCouponSalePaid = 4696 + 6266 + 999;
constexpr int64_t kCouponSaleEarned = 137;
constexpr int64_t kCouponSaleRedeemed = 250;

PosTransaction CouponSale() {
  return Sale({SaleLine(1, 4, 1299, 500), SaleLine(2, 3, 2500, 1234), SaleLine(3, 1, 999, 0)},
              kCouponSaleEarned, kCouponSaleRedeemed);
}

std::string FieldOf(const Error& e) {
  const std::string* f = e.Detail("field");
  return f ? *f : "<no field>";
}

std::string Describe(const std::vector<ReturnLineRequest>& lines) {
  std::string out = "{";
  for (const auto& l : lines)
    out += "{" + std::to_string(l.line_no) + "," + std::to_string(l.qty) + "}";
  return out + "}";
}

// What the service stores after a return: the sale's lines with returned_qty moved on.
void Record(PosTransaction& sale, const ReturnPlan& plan) { sale.lines = plan.sale_lines; }

// ---------------------------------------------------------------------------------------------
// A sale returned in parts: every sequence adds up to exactly the whole.

struct PartsCase {
  std::string name;
  std::vector<std::vector<ReturnLineRequest>> returns;
};
std::ostream& operator<<(std::ostream& os, const PartsCase& c) { return os << c.name; }

class ReturnInPartsTest : public ::testing::TestWithParam<PartsCase> {};

TEST_P(ReturnInPartsTest, PartsAddUpToTheWholeExactlyAndNoStepIsNegative) {
  PosTransaction sale = CouponSale();
  int64_t refunded = 0, clawed = 0, restored = 0;
  const auto& returns = GetParam().returns;
  for (size_t step = 0; step < returns.size(); ++step) {
    SCOPED_TRACE("return " + std::to_string(step) + " " + Describe(returns[step]));
    const bool last = step + 1 == returns.size();
    auto plan = PlanReturn(sale, returns[step]);
    ASSERT_TRUE(plan.has_value()) << plan.error().slug << ": " << plan.error().message;

    EXPECT_GE(plan->refund_minor, 0);
    EXPECT_GE(plan->claw_back_points, 0);
    EXPECT_GE(plan->restore_points, 0);
    EXPECT_EQ(plan->completes_sale, last);

    // The returned lines: what was asked for, each with its paid share; they make the refund.
    ASSERT_EQ(plan->lines.size(), returns[step].size());
    int64_t lines_paid = 0;
    for (size_t i = 0; i < plan->lines.size(); ++i) {
      const PosLine& back = plan->lines[i];
      const PosLine& sold = sale.lines.at(back.line_no - 1);
      EXPECT_EQ(back.line_no, returns[step][i].line_no);
      EXPECT_EQ(back.qty, returns[step][i].qty);
      EXPECT_EQ(back.sku, sold.sku);
      EXPECT_EQ(back.unit_price_minor, sold.unit_price_minor);
      EXPECT_EQ(back.net_minor, sold.unit_price_minor * back.qty);
      EXPECT_GE(back.paid_minor, 0);
      EXPECT_LE(back.paid_minor, back.net_minor);
      EXPECT_EQ(back.discount_minor, back.net_minor - back.paid_minor);
      EXPECT_EQ(back.returned_qty, 0);
      lines_paid += back.paid_minor;
    }
    EXPECT_EQ(plan->refund_minor, lines_paid);

    // The sale's lines: only returned_qty moved, by what was asked for.
    ASSERT_EQ(plan->sale_lines.size(), sale.lines.size());
    for (size_t i = 0; i < sale.lines.size(); ++i) {
      int64_t asked = 0;
      for (const auto& r : returns[step]) {
        if (r.line_no == sale.lines[i].line_no) asked += r.qty;
      }
      EXPECT_EQ(plan->sale_lines[i].returned_qty, sale.lines[i].returned_qty + asked);
      EXPECT_EQ(plan->sale_lines[i].qty, sale.lines[i].qty);
      EXPECT_EQ(plan->sale_lines[i].paid_minor, sale.lines[i].paid_minor);
    }

    refunded += plan->refund_minor;
    clawed += plan->claw_back_points;
    restored += plan->restore_points;
    // Measured cumulatively: what has come back so far, floor; all of it with the last return.
    EXPECT_EQ(clawed, last ? kCouponSaleEarned : kCouponSaleEarned * refunded / kCouponSalePaid);
    EXPECT_EQ(restored,
              last ? kCouponSaleRedeemed : kCouponSaleRedeemed * refunded / kCouponSalePaid);
    EXPECT_LE(refunded, kCouponSalePaid);
    Record(sale, *plan);
  }
  EXPECT_EQ(refunded, kCouponSalePaid);
  EXPECT_EQ(clawed, kCouponSaleEarned);
  EXPECT_EQ(restored, kCouponSaleRedeemed);
  EXPECT_TRUE(RemainingLines(sale).empty());
}

INSTANTIATE_TEST_SUITE_P(
    Table, ReturnInPartsTest,
    ::testing::Values(
        PartsCase{"half_a_line_then_its_rest_then_the_other_lines",
                  {{{1, 2}}, {{1, 2}}, {{2, 3}, {3, 1}}}},
        PartsCase{"everything_at_once", {{{1, 4}, {2, 3}, {3, 1}}}},
        PartsCase{"one_unit_at_a_time",
                  {{{1, 1}}, {{1, 1}}, {{1, 1}}, {{1, 1}}, {{2, 1}}, {{2, 1}}, {{2, 1}}, {{3, 1}}}},
        PartsCase{"uneven_parts_in_mixed_order", {{{3, 1}}, {{2, 1}}, {{1, 3}}, {{2, 2}, {1, 1}}}},
        PartsCase{"lines_named_out_of_order", {{{2, 1}, {1, 1}}, {{3, 1}, {2, 2}, {1, 3}}}}),
    [](const ::testing::TestParamInfo<PartsCase>& info) { return info.param.name; });

TEST(PlanReturnTest, HalfALineThenTheRestThenTheOtherLinesStepByStep) {
  PosTransaction sale = CouponSale();
  struct Want {
    std::vector<ReturnLineRequest> lines;
    int64_t refund, claw_back, restore;
    bool completes;
  };
  // 2 of line 1's 4 units: 4696 × 2/4 = 2348; 137 × 2348/11961 = 26.9 -> 26; 250 × ... = 49.07
  // -> 49. The other 2: 4696 - 2348; cumulative 137 × 4696/11961 = 53.8 -> 53, 250 × ... = 98.2
  // -> 98. The rest: 6266 + 999, and whatever is left of the points.
  const std::vector<Want> steps = {
      {{{1, 2}}, 2348, 26, 49, false},
      {{{1, 2}}, 2348, 53 - 26, 98 - 49, false},
      {{{2, 3}, {3, 1}}, 6266 + 999, 137 - 53, 250 - 98, true},
  };
  for (const Want& w : steps) {
    SCOPED_TRACE(Describe(w.lines));
    auto plan = PlanReturn(sale, w.lines);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_EQ(plan->refund_minor, w.refund);
    EXPECT_EQ(plan->claw_back_points, w.claw_back);
    EXPECT_EQ(plan->restore_points, w.restore);
    EXPECT_EQ(plan->completes_sale, w.completes);
    Record(sale, *plan);
  }
}

// ---------------------------------------------------------------------------------------------
// One line's paid split over its units: floor for each part, the remainder with the last.

struct SplitCase {
  std::string name;
  std::vector<int64_t> quantities;  // returned one after another
  std::vector<int64_t> refunds;
};
std::ostream& operator<<(std::ostream& os, const SplitCase& c) { return os << c.name; }

class PaidShareTest : public ::testing::TestWithParam<SplitCase> {};

TEST_P(PaidShareTest, FloorThenRemainder) {
  // 3 × 0.40 = 1.20 less a 0.20 coupon: 1.00 paid, which 3 does not divide.
  PosTransaction sale = Sale({SaleLine(1, 3, 40, 20)}, 10, 0);
  ASSERT_EQ(sale.lines[0].paid_minor, 100);
  const auto& c = GetParam();
  int64_t refunded = 0;
  for (size_t i = 0; i < c.quantities.size(); ++i) {
    auto plan = PlanReturn(sale, {{1, c.quantities[i]}});
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_EQ(plan->refund_minor, c.refunds[i]) << "return " << i;
    ASSERT_EQ(plan->lines.size(), 1u);
    EXPECT_EQ(plan->lines[0].paid_minor, c.refunds[i]);
    EXPECT_EQ(plan->lines[0].net_minor, 40 * c.quantities[i]);
    EXPECT_EQ(plan->lines[0].discount_minor, 40 * c.quantities[i] - c.refunds[i]);
    refunded += plan->refund_minor;
    Record(sale, *plan);
  }
  EXPECT_EQ(refunded, 100);
}

INSTANTIATE_TEST_SUITE_P(Table, PaidShareTest,
                         ::testing::Values(SplitCase{"one_then_two", {1, 2}, {33, 67}},
                                           SplitCase{"two_then_one", {2, 1}, {66, 34}},
                                           SplitCase{"one_by_one", {1, 1, 1}, {33, 33, 34}},
                                           SplitCase{"all_three", {3}, {100}}),
                         [](const ::testing::TestParamInfo<SplitCase>& info) {
                           return info.param.name;
                         });

// ---------------------------------------------------------------------------------------------
// Refusals: each with its slug, code and (for invalid_return) the field it names.

struct RefusalCase {
  std::string name;
  std::vector<ReturnLineRequest> already_returned;  // earlier returns, recorded on the sale
  std::vector<ReturnLineRequest> lines;
  std::string field;
};
std::ostream& operator<<(std::ostream& os, const RefusalCase& c) { return os << c.name; }

class ReturnRefusalTest : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(ReturnRefusalTest, InvalidReturnNamesTheField) {
  const RefusalCase& c = GetParam();
  PosTransaction sale = CouponSale();
  if (!c.already_returned.empty()) {
    auto earlier = PlanReturn(sale, c.already_returned);
    ASSERT_TRUE(earlier.has_value()) << earlier.error().message;
    Record(sale, *earlier);
  }
  const PosTransaction before = sale;
  auto plan = PlanReturn(sale, c.lines);
  ASSERT_FALSE(plan.has_value()) << "accepted " << Describe(c.lines);
  EXPECT_EQ(plan.error().code, Code::kInvalidArgument);
  EXPECT_EQ(plan.error().slug, "invalid_return");
  EXPECT_EQ(FieldOf(plan.error()), c.field) << plan.error().message;
  EXPECT_FALSE(plan.error().message.empty());
  for (size_t i = 0; i < sale.lines.size(); ++i) {
    EXPECT_EQ(sale.lines[i].returned_qty, before.lines[i].returned_qty);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, ReturnRefusalTest,
    ::testing::Values(
        RefusalCase{"no_lines", {}, {}, "lines"},
        RefusalCase{"more_lines_than_the_sale_has", {}, {{1, 1}, {2, 1}, {3, 1}, {1, 1}}, "lines"},
        RefusalCase{"unknown_line", {}, {{9, 1}}, "lines[0].line_no"},
        RefusalCase{"line_zero", {}, {{0, 1}}, "lines[0].line_no"},
        RefusalCase{"unknown_line_second", {}, {{1, 1}, {4, 1}}, "lines[1].line_no"},
        // The repetition is what is wrong, so the second naming is the one reported (as
        // BasketFromTill does for a repeated till line).
        RefusalCase{"same_line_twice", {}, {{1, 1}, {1, 1}}, "lines[1].line_no"},
        RefusalCase{"same_line_twice_apart", {}, {{2, 1}, {3, 1}, {2, 1}}, "lines[2].line_no"},
        RefusalCase{"qty_zero", {}, {{1, 0}}, "lines[0].qty"},
        RefusalCase{"qty_negative", {}, {{1, -1}}, "lines[0].qty"},
        RefusalCase{"qty_more_than_sold", {}, {{1, 5}}, "lines[0].qty"},
        RefusalCase{"qty_zero_on_second_line", {}, {{1, 1}, {2, 0}}, "lines[1].qty"},
        RefusalCase{"qty_more_than_is_left", {{1, 3}}, {{1, 2}}, "lines[0].qty"},
        RefusalCase{"line_already_fully_returned", {{3, 1}}, {{3, 1}}, "lines[0].qty"},
        RefusalCase{
            "one_good_line_does_not_carry_a_bad_one", {{2, 2}}, {{1, 4}, {2, 2}}, "lines[1].qty"}),
    [](const ::testing::TestParamInfo<RefusalCase>& info) { return info.param.name; });

TEST(PlanReturnTest, OnlyASaleCanBeReturned) {
  for (PosTxnKind kind : {PosTxnKind::kReturn, PosTxnKind::kVoid}) {
    SCOPED_TRACE(PosTxnKindName(kind));
    PosTransaction not_sale = CouponSale();
    not_sale.kind = kind;
    not_sale.original_txn_id = "txn-0";
    auto plan = PlanReturn(not_sale, {{1, 1}});
    ASSERT_FALSE(plan.has_value());
    EXPECT_EQ(plan.error().code, Code::kInvalidArgument);
    EXPECT_EQ(plan.error().slug, "not_a_sale");
  }
}

TEST(PlanReturnTest, AVoidedSaleHasNothingLeftToReturn) {
  PosTransaction sale = CouponSale();
  sale.voided_at = Instant(date::sys_days(date::year{2026} / 3 / 1)) + 2h;
  auto plan = PlanReturn(sale, {{1, 1}});
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(plan.error().slug, "transaction_voided");
  // Even an otherwise malformed request is refused as voided: the sale's state comes first.
  auto empty = PlanReturn(sale, {});
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().slug, "transaction_voided");
}

// ---------------------------------------------------------------------------------------------
// Edge amounts.

TEST(PlanReturnTest, FullyDiscountedSaleClawsBackNothingUntilTheLastReturnTakesAll) {
  // Everything paid by coupons: 0 paid, yet a bonus earned 5 points and 40 points were redeemed.
  PosTransaction sale = Sale({SaleLine(1, 2, 500, 1000), SaleLine(2, 1, 300, 300)}, 5, 40);
  const std::vector<std::vector<ReturnLineRequest>> returns = {{{1, 1}}, {{1, 1}}, {{2, 1}}};
  for (size_t i = 0; i < returns.size(); ++i) {
    SCOPED_TRACE(i);
    const bool last = i + 1 == returns.size();
    auto plan = PlanReturn(sale, returns[i]);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_EQ(plan->refund_minor, 0);
    EXPECT_EQ(plan->claw_back_points, last ? 5 : 0);
    EXPECT_EQ(plan->restore_points, last ? 40 : 0);
    EXPECT_EQ(plan->completes_sale, last);
    Record(sale, *plan);
  }
}

TEST(PlanReturnTest, AFreeLineReturnedFirstMovesNoPoints) {
  PosTransaction sale = Sale({SaleLine(1, 1, 1000, 0), SaleLine(2, 1, 200, 200)}, 10, 100);
  auto gift = PlanReturn(sale, {{2, 1}});
  ASSERT_TRUE(gift.has_value());
  EXPECT_EQ(gift->refund_minor, 0);
  EXPECT_EQ(gift->claw_back_points, 0);
  EXPECT_EQ(gift->restore_points, 0);
  EXPECT_FALSE(gift->completes_sale);
  Record(sale, *gift);
  auto rest = PlanReturn(sale, {{1, 1}});
  ASSERT_TRUE(rest.has_value());
  EXPECT_EQ(rest->refund_minor, 1000);
  EXPECT_EQ(rest->claw_back_points, 10);
  EXPECT_EQ(rest->restore_points, 100);
  EXPECT_TRUE(rest->completes_sale);
}

TEST(PlanReturnTest, LargeAmountsDoNotOverflow) {
  // 3 × 3,000,000,000,000.00 paid and 10^12 points: products far beyond int64 in between.
  PosTransaction sale =
      Sale({SaleLine(1, 3, 300'000'000'000'000, 0)}, 1'000'000'000'000, 999'999'999'999);
  auto one = PlanReturn(sale, {{1, 1}});
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->refund_minor, 300'000'000'000'000);
  EXPECT_EQ(one->claw_back_points, 333'333'333'333);
  EXPECT_EQ(one->restore_points, 333'333'333'333);
  Record(sale, *one);
  auto rest = PlanReturn(sale, {{1, 2}});
  ASSERT_TRUE(rest.has_value());
  EXPECT_EQ(rest->refund_minor, 600'000'000'000'000);
  EXPECT_EQ(rest->claw_back_points, 666'666'666'667);
  EXPECT_EQ(rest->restore_points, 666'666'666'666);
}

// ---------------------------------------------------------------------------------------------
// RemainingLines: what a post-void takes back.

TEST(RemainingLinesTest, ListsOnlyWhatIsLeftInSaleOrder) {
  PosTransaction sale = CouponSale();
  auto pairs = [](const std::vector<ReturnLineRequest>& lines) {
    std::vector<std::pair<int, int64_t>> out;
    for (const auto& l : lines) out.emplace_back(l.line_no, l.qty);
    return out;
  };
  using P = std::vector<std::pair<int, int64_t>>;
  EXPECT_EQ(pairs(RemainingLines(sale)), (P{{1, 4}, {2, 3}, {3, 1}}));

  auto partly = PlanReturn(sale, {{1, 1}, {3, 1}});
  ASSERT_TRUE(partly.has_value());
  Record(sale, *partly);
  EXPECT_EQ(pairs(RemainingLines(sale)), (P{{1, 3}, {2, 3}}));

  // What is left is exactly what can still be returned, and returning it completes the sale.
  auto rest = PlanReturn(sale, RemainingLines(sale));
  ASSERT_TRUE(rest.has_value()) << rest.error().message;
  EXPECT_TRUE(rest->completes_sale);
  Record(sale, *rest);
  EXPECT_TRUE(RemainingLines(sale).empty());
}

TEST(RemainingLinesTest, EmptySaleHasNothingLeft) {
  EXPECT_TRUE(RemainingLines(Sale({}, 0, 0)).empty());
}

}  // namespace
}  // namespace loyalty
