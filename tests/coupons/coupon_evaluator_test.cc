// Coupon definitions and the evaluator: every kind, scope, rejection reason and
// stacking mode, rounding to the fen, and a randomized property loop over the
// evaluator's invariants.
#include "loyalty/domain/coupon_evaluator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <random>

namespace loyalty {
namespace {

using std::chrono::days;

const Instant kNow = Instant{} + days(20000);  // 2024-10-04

BasketLine Line(int no, std::string sku, std::string category, int64_t qty, int64_t net) {
  return BasketLine{no, std::move(sku), std::move(category), qty, net, 0};
}

CouponDefinition Def(std::string id, CouponKind kind) {
  CouponDefinition d;
  d.id = std::move(id);
  d.name_zh = "优惠券";
  d.name_en = "Coupon";
  d.kind = kind;
  return d;
}
CouponDefinition Percent(std::string id, int64_t bp, int64_t cap = 0) {
  auto d = Def(std::move(id), CouponKind::kPercentOff);
  d.percent_bp = bp;
  d.cap_minor = cap;
  return d;
}
CouponDefinition Fixed(std::string id, int64_t amount) {
  auto d = Def(std::move(id), CouponKind::kFixedAmount);
  d.amount_minor = amount;
  return d;
}
CouponDefinition Tiers(std::string id, std::vector<CouponTier> tiers) {
  auto d = Def(std::move(id), CouponKind::kThresholdTiers);
  d.tiers = std::move(tiers);
  return d;
}
CouponDefinition FreeItem(std::string id, std::string sku) {
  auto d = Def(std::move(id), CouponKind::kFreeItem);
  d.free_sku = std::move(sku);
  return d;
}
CouponDefinition Bxgy(std::string id, int64_t x, int64_t y, std::vector<std::string> skus) {
  auto d = Def(std::move(id), CouponKind::kBuyXGetY);
  d.buy_qty = x;
  d.get_qty = y;
  d.scope.skus = std::move(skus);
  return d;
}
CouponDefinition Points(std::string id, Rational m) {
  auto d = Def(std::move(id), CouponKind::kPointsMultiplier);
  d.points_multiplier = m;
  return d;
}

using Coupons = std::vector<std::pair<CouponInstance, CouponDefinition>>;

// An anonymous instance, valid forever, whose code is the definition id.
std::pair<CouponInstance, CouponDefinition> C(const CouponDefinition &d) {
  return {IssueCouponInstance(d, d.id, std::nullopt, kNow - days(1)), d};
}

const CouponContext kCtx{std::string("M1"), "S1", kNow};

CouponEvaluation Eval(const std::vector<BasketLine> &basket, const Coupons &coupons,
                      const CouponContext &ctx = kCtx) {
  auto r = EvaluateCoupons(basket, ctx, coupons);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r.value_or(CouponEvaluation{});
}

std::vector<int64_t> LineDiscounts(const CouponEvaluation &e) {
  std::vector<int64_t> out;
  for (const auto &l : e.lines) out.push_back(l.discount_minor);
  return out;
}

std::vector<std::string> AppliedCodes(const CouponEvaluation &e) {
  std::vector<std::string> out;
  for (const auto &a : e.applied) out.push_back(a.code);
  return out;
}

// Invariants every evaluation keeps; used by the table tests and the property
// loop.
void ExpectConsistent(const std::vector<BasketLine> &basket, const CouponEvaluation &e) {
  ASSERT_EQ(e.lines.size(), basket.size());
  int64_t total = 0, net = 0, applied = 0;
  for (size_t i = 0; i < basket.size(); ++i) {
    EXPECT_EQ(e.lines[i].line_no, basket[i].line_no);
    EXPECT_GE(e.lines[i].discount_minor, 0);
    EXPECT_LE(e.lines[i].discount_minor, basket[i].net_minor);
    total += e.lines[i].discount_minor;
    net += basket[i].net_minor;
  }
  for (const auto &a : e.applied) {
    int64_t sum = 0;
    for (const auto &l : a.lines) sum += l.discount_minor;
    EXPECT_EQ(sum, a.total_discount_minor) << a.code;
    applied += a.total_discount_minor;
  }
  for (const auto &r : e.rejected) {
    EXPECT_FALSE(r.slug.empty());
    EXPECT_FALSE(r.message_zh.empty());
    EXPECT_FALSE(r.message_en.empty());
  }
  EXPECT_EQ(total, e.total_discount_minor);
  EXPECT_EQ(applied, e.total_discount_minor);
  EXPECT_EQ(net, e.basket_total_minor);
  EXPECT_EQ(e.basket_total_after_minor, net - total);
  EXPECT_GE(e.basket_total_after_minor, 0);
}

// ---- Definitions ----

TEST(CouponDefinitionTest, ValidOnesPass) {
  for (const auto &d :
       {Percent("p", 1000, 500), Fixed("f", 100), Tiers("t", {{10000, 1000}, {20000, 3000}}),
        FreeItem("i", "SKU"), Bxgy("b", 2, 1, {"A"}), Points("m", {3, 2})}) {
    EXPECT_TRUE(ValidateCouponDefinition(d).has_value()) << d.id;
  }
}

TEST(CouponDefinitionTest, InvalidNamesTheField) {
  struct Case {
    CouponDefinition def;
    std::string field;
  };
  auto no_zh = Fixed("f", 100);
  no_zh.name_zh.clear();
  auto no_en = Fixed("f", 100);
  no_en.name_en.clear();
  auto no_id = Fixed("", 100);
  auto both = Fixed("f", 100);
  both.validity.days_after_issue = 30;
  both.validity.valid_until = kNow;
  auto window = Fixed("f", 100);
  window.validity.valid_from = kNow;
  window.validity.valid_until = kNow;
  auto neg_min = Fixed("f", 100);
  neg_min.min_spend_minor = -1;
  auto empty_sku = Fixed("f", 100);
  empty_sku.scope.skus = {"A", ""};
  const std::vector<Case> cases = {
      {Percent("p", 0), "percent_bp"},
      {Percent("p", 10001), "percent_bp"},
      {Percent("p", 1000, -1), "cap_minor"},
      {Fixed("f", 0), "amount_minor"},
      {Tiers("t", {}), "tiers"},
      {Tiers("t", {{10000, 10000}}), "tiers[0].off_minor"},
      {Tiers("t", {{20000, 1000}, {10000, 500}}), "tiers[1].threshold_minor"},
      {Tiers("t", {{10000, 1000}, {20000, 1000}}), "tiers[1].off_minor"},
      {FreeItem("i", ""), "free_sku"},
      {Bxgy("b", 0, 1, {}), "buy_qty"},
      {Bxgy("b", 2, 0, {}), "get_qty"},
      {Points("m", {1, 1}), "points_multiplier"},
      {Points("m", {11, 1}), "points_multiplier"},
      {Points("m", {3, 0}), "points_multiplier"},
      {no_zh, "name_zh"},
      {no_en, "name_en"},
      {no_id, "id"},
      {both, "validity.days_after_issue"},
      {window, "validity.valid_until"},
      {neg_min, "min_spend_minor"},
      {empty_sku, "scope.skus[1]"},
  };
  for (const auto &c : cases) {
    const auto s = ValidateCouponDefinition(c.def);
    ASSERT_FALSE(s.has_value()) << c.field;
    EXPECT_EQ(s.error().code, Code::kInvalidArgument);
    EXPECT_EQ(s.error().slug, "invalid_coupon_definition");
    ASSERT_NE(s.error().Detail("field"), nullptr);
    EXPECT_EQ(*s.error().Detail("field"), c.field);
  }
}

TEST(CouponDefinitionTest, DaysAfterIssueResolvesAtIssue) {
  auto d = Fixed("f", 100);
  d.validity.days_after_issue = 7;
  const auto inst = IssueCouponInstance(d, "CODE", std::string("M1"), kNow);
  EXPECT_EQ(inst.valid_from, kNow);
  EXPECT_EQ(inst.valid_until, kNow + days(7));
  EXPECT_EQ(inst.definition_id, "f");
  EXPECT_EQ(inst.member_id, std::string("M1"));
  EXPECT_EQ(ParseCouponKind(CouponKindName(CouponKind::kBuyXGetY)), CouponKind::kBuyXGetY);
}

// ---- Every kind, one coupon ----

TEST(CouponEvaluatorTest, EveryKind) {
  const std::vector<BasketLine> basket = {
      Line(1, "A", "food", 2, 2000),  // ¥10 each
      Line(2, "B", "food", 1, 5000),
      Line(3, "C", "drink", 3, 900),  // ¥3 each
      Line(4, "D", "tobacco", 1, 3000),
  };  // ¥109 in all
  auto scoped_percent = Percent("ps", 5000);
  scoped_percent.scope.categories = {"drink"};
  auto scoped_fixed = Fixed("fs", 1000);
  scoped_fixed.scope.skus = {"A", "D"};
  struct Case {
    std::string name;
    CouponDefinition def;
    std::vector<int64_t> lines;
    std::optional<Rational> multiplier;
  };
  const std::vector<Case> cases = {
      {"10% off", Percent("p", 1000), {200, 500, 90, 300}, {}},
      {"10% off capped at ¥5", Percent("p", 1000, 500), {92, 229, 41, 138}, {}},
      {"50% off drinks", scoped_percent, {0, 0, 450, 0}, {}},
      {"¥10 off", Fixed("f", 1000), {183, 459, 83, 275}, {}},
      {"¥10 off A and D", scoped_fixed, {400, 0, 0, 600}, {}},
      {"满100减10 满200减30 at ¥109",
       Tiers("t", {{10000, 1000}, {20000, 3000}}),
       {183, 459, 83, 275},
       {}},
      {"满50减5 满100减12", Tiers("t", {{5000, 500}, {10000, 1200}}), {220, 551, 99, 330}, {}},
      {"free C", FreeItem("i", "C"), {0, 0, 300, 0}, {}},
      {"buy 2 get 1 among A and C", Bxgy("b", 2, 1, {"A", "C"}), {0, 0, 300, 0}, {}},
      {"buy 1 get 1 among A and C: 5 units, 2 cheapest free",
       Bxgy("b", 1, 1, {"A", "C"}),
       {0, 0, 600, 0},
       {}},
      {"buy 1 get 1 among A and B: one ¥10 unit of A free",
       Bxgy("b", 1, 1, {"A", "B"}),
       {1000, 0, 0, 0},
       {}},
      {"double points", Points("m", {2, 1}), {0, 0, 0, 0}, Rational{2, 1}},
  };
  for (const auto &c : cases) {
    SCOPED_TRACE(c.name);
    const auto e = Eval(basket, {C(c.def)});
    ExpectConsistent(basket, e);
    ASSERT_EQ(e.applied.size(), 1u);
    EXPECT_TRUE(e.rejected.empty());
    EXPECT_EQ(LineDiscounts(e), c.lines);
    EXPECT_EQ(e.applied[0].points_multiplier, c.multiplier);
  }
}

TEST(CouponEvaluatorTest, RoundingToTheFen) {
  const std::vector<BasketLine> basket = {Line(1, "A", "x", 1, 333), Line(2, "B", "x", 1, 333),
                                          Line(3, "C", "x", 1, 333)};
  const auto e = Eval(basket, {C(Percent("p", 1000))});  // 99.9 fen -> 100 fen (half up)
  ExpectConsistent(basket, e);
  EXPECT_EQ(e.total_discount_minor, 100);
  EXPECT_EQ(LineDiscounts(e), (std::vector<int64_t>{34, 33, 33}));  // remainder to the first line

  // 15% of 1 fen rounds to 0: the coupon takes nothing and says why.
  const std::vector<BasketLine> tiny = {Line(1, "A", "x", 1, 1)};
  const auto t = Eval(tiny, {C(Percent("p", 1500))});
  ASSERT_EQ(t.rejected.size(), 1u);
  EXPECT_EQ(t.rejected[0].slug, "no_eligible_items");
}

TEST(CouponEvaluatorTest, CouponBiggerThanTheBasket) {
  const std::vector<BasketLine> basket = {Line(1, "A", "x", 1, 1000), Line(2, "B", "x", 2, 2000)};
  const auto e = Eval(basket, {C(Fixed("f", 10000))});
  ExpectConsistent(basket, e);
  EXPECT_EQ(e.total_discount_minor, 3000);
  EXPECT_EQ(e.basket_total_after_minor, 0);
  EXPECT_EQ(LineDiscounts(e), (std::vector<int64_t>{1000, 2000}));
  // Stacked on top, a second coupon has nothing left to take, so it is not
  // applied.
  const auto s = Eval(basket, {C(Fixed("f", 10000)), C(Fixed("g", 500))});
  ExpectConsistent(basket, s);
  EXPECT_EQ(AppliedCodes(s), (std::vector<std::string>{"f"}));
  EXPECT_EQ(s.basket_total_after_minor, 0);
}

TEST(CouponEvaluatorTest, FreeItemUnitPriceRoundsDown) {
  const std::vector<BasketLine> basket = {Line(1, "X", "x", 3, 1000), Line(2, "X", "x", 1, 200)};
  const auto e = Eval(basket, {C(FreeItem("i", "X"))});
  EXPECT_EQ(LineDiscounts(e), (std::vector<int64_t>{333, 0}));  // dearest unit, 1000/3 down
}

// ---- Rejections ----

TEST(CouponEvaluatorTest, EveryRejectionReason) {
  const std::vector<BasketLine> basket = {Line(1, "A", "food", 1, 5000)};
  auto base = Fixed("f", 100);
  auto store = base;
  store.scope.store_ids = {"S2"};
  auto in_store = base;
  in_store.scope.store_ids = {"S1", "S2"};
  auto min = base;
  min.min_spend_minor = 5001;
  auto scope = base;
  scope.scope.categories = {"drink"};
  auto broken = Fixed("broken", 0);
  auto free_missing = FreeItem("i", "Z");
  auto bxgy_short = Bxgy("b", 1, 1, {"A"});
  auto tiers_short = Tiers("t", {{6000, 500}});
  auto exclusive = Fixed("big", 1000);
  exclusive.stacking.exclusive = true;

  struct Case {
    std::string name;
    CouponInstance inst;
    CouponDefinition def;
    std::string slug;
  };
  auto inst = [](const CouponDefinition &d) {
    return IssueCouponInstance(d, "CODE", std::nullopt, kNow - days(1));
  };
  auto expired = inst(base);
  expired.valid_until = kNow;  // exclusive end
  auto future = inst(base);
  future.valid_from = kNow + std::chrono::seconds(1);
  auto other = inst(base);
  other.member_id = "M2";
  auto mismatch = inst(base);
  mismatch.definition_id = "other";
  const std::vector<Case> cases = {
      {"expired", expired, base, "expired"},
      {"not yet valid", future, base, "not_yet_valid"},
      {"other member", other, base, "other_member"},
      {"wrong store", inst(store), store, "wrong_store"},
      {"below min spend", inst(min), min, "below_min_spend"},
      {"below lowest tier", inst(tiers_short), tiers_short, "below_min_spend"},
      {"no eligible items", inst(scope), scope, "no_eligible_items"},
      {"free sku missing", inst(free_missing), free_missing, "no_eligible_items"},
      {"buy 1 get 1 with one unit", inst(bxgy_short), bxgy_short, "no_eligible_items"},
      {"broken definition", inst(broken), broken, "invalid_coupon"},
      {"definition mismatch", mismatch, base, "invalid_coupon"},
  };
  for (const auto &c : cases) {
    SCOPED_TRACE(c.name);
    const auto e = Eval(basket, {{c.inst, c.def}});
    ExpectConsistent(basket, e);
    EXPECT_TRUE(e.applied.empty());
    ASSERT_EQ(e.rejected.size(), 1u);
    EXPECT_EQ(e.rejected[0].code, "CODE");
    EXPECT_EQ(e.rejected[0].slug, c.slug);
    EXPECT_EQ(e.basket_total_after_minor, 5000);
  }

  // A member's coupon with no member identified is someone else's too.
  const auto anon = Eval(basket, {{other, base}}, CouponContext{std::nullopt, "S1", kNow});
  ASSERT_EQ(anon.rejected.size(), 1u);
  EXPECT_EQ(anon.rejected[0].slug, "other_member");
  // ...and the right member, right store, inside the window, applies.
  auto mine = inst(in_store);
  mine.member_id = "M1";
  mine.valid_until = kNow + std::chrono::microseconds(1);
  EXPECT_EQ(Eval(basket, {{mine, in_store}}).total_discount_minor, 100);

  // Duplicate code: the first counts; the copy is rejected.
  const auto dup = Eval(basket, {C(base), C(base)});
  EXPECT_EQ(dup.total_discount_minor, 100);
  ASSERT_EQ(dup.rejected.size(), 1u);
  EXPECT_EQ(dup.rejected[0].slug, "duplicate_code");

  // Not combinable: an exclusive coupon beats two smaller ones.
  const auto nc = Eval(basket, {C(exclusive), C(Fixed("a", 300)), C(Fixed("b", 400))});
  EXPECT_EQ(AppliedCodes(nc), (std::vector<std::string>{"big"}));
  ASSERT_EQ(nc.rejected.size(), 2u);
  EXPECT_EQ(nc.rejected[0].slug, "not_combinable");
  EXPECT_EQ(nc.rejected[1].slug, "not_combinable");

  // Too many: only ten usable coupons are considered; the lowest priority ones
  // are left out.
  Coupons many;
  for (int i = 0; i < 12; ++i) {
    auto d = Fixed("c" + std::to_string(10 + i), 10);
    d.stacking.priority = i;
    many.push_back(C(d));
  }
  const auto tm = Eval(basket, many);
  EXPECT_EQ(tm.applied.size(), 10u);
  EXPECT_EQ(tm.total_discount_minor, 100);
  ASSERT_EQ(tm.rejected.size(), 2u);
  EXPECT_EQ(tm.rejected[0].code, "c10");
  EXPECT_EQ(tm.rejected[0].slug, "too_many_coupons");
  EXPECT_EQ(tm.rejected[1].code, "c11");

  // Every reason has a slug and two messages.
  for (auto r : {CouponRejection::kDuplicateCode, CouponRejection::kInvalidCoupon,
                 CouponRejection::kNotYetValid, CouponRejection::kExpired,
                 CouponRejection::kOtherMember, CouponRejection::kWrongStore,
                 CouponRejection::kNoEligibleItems, CouponRejection::kBelowMinSpend,
                 CouponRejection::kTooManyCoupons, CouponRejection::kNotCombinable}) {
    EXPECT_STRNE(CouponRejectionSlug(r), "unknown");
    EXPECT_STRNE(CouponRejectionMessageZh(r), "");
    EXPECT_STRNE(CouponRejectionMessageEn(r), "");
  }
  EXPECT_STREQ(CouponRejectionMessageZh(CouponRejection::kExpired), "该优惠券已过期");
  EXPECT_STREQ(CouponRejectionMessageEn(CouponRejection::kExpired), "This coupon has expired");
}

TEST(CouponEvaluatorTest, InvalidBasket) {
  const CouponContext ctx{std::nullopt, "S1", kNow};
  const std::vector<std::vector<BasketLine>> bad = {
      {Line(1, "A", "x", 1, -1)},
      {Line(1, "A", "x", 0, 100)},
      {Line(1, "A", "x", 1, 100), Line(1, "B", "x", 1, 100)},
  };
  for (const auto &b : bad) {
    const auto r = EvaluateCoupons(b, ctx, {C(Fixed("f", 100))});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().slug, "invalid_basket");
    EXPECT_NE(r.error().Detail("field"), nullptr);
  }
}

// ---- Stacking ----

TEST(CouponEvaluatorTest, StackingModes) {
  const std::vector<BasketLine> basket = {Line(1, "A", "food", 1, 6000),
                                          Line(2, "B", "drink", 1, 4000)};  // ¥100
  auto g = [](CouponDefinition d, std::string group, int priority = 0, bool exclusive = false) {
    d.stacking = {std::move(group), exclusive, priority};
    return d;
  };
  auto min_after = Fixed("m", 1000);
  min_after.min_spend_minor = 9500;  // reached alone, not after 10% off
  struct Case {
    std::string name;
    Coupons coupons;
    std::vector<std::string> applied;
    int64_t total;
  };
  const std::vector<Case> cases = {
      {"no groups: both apply, percent on what the fixed one left",
       {C(g(Percent("p", 1000), "", 1)), C(g(Fixed("f", 1000), "", 2))},
       {"f", "p"},
       1900},
      {"priority order changes the base: percent first",
       {C(g(Percent("p", 1000), "", 2)), C(g(Fixed("f", 1000), "", 1))},
       {"p", "f"},
       2000},
      {"same group: the bigger one",
       {C(g(Fixed("a", 500), "G")), C(g(Fixed("b", 800), "G"))},
       {"b"},
       800},
      {"different groups stack",
       {C(g(Fixed("a", 500), "G")), C(g(Fixed("b", 800), "H"))},
       {"a", "b"},
       1300},
      {"exclusive wins when bigger",
       {C(g(Fixed("x", 2000), "", 0, true)), C(Fixed("a", 500)), C(Fixed("b", 800))},
       {"x"},
       2000},
      {"exclusive loses when smaller",
       {C(g(Fixed("x", 1000), "", 0, true)), C(Fixed("a", 500)), C(Fixed("b", 800))},
       {"a", "b"},
       1300},
      {"tie: fewer coupons",
       {C(Fixed("a", 500)), C(g(Fixed("b", 1000), "", 0, true))},
       {"b"},
       1000},
      {"tie: higher priority",
       {C(g(Fixed("a", 500), "G", 1)), C(g(Fixed("b", 500), "G", 2))},
       {"b"},
       500},
      {"tie: smaller code", {C(g(Fixed("b", 500), "G")), C(g(Fixed("a", 500), "G"))}, {"a"}, 500},
      {"min spend checked after earlier coupons",
       {C(g(Percent("p", 1000), "", 5)), C(min_after)},
       {"p"},
       1000},
      {"points multiplier stacks with money",
       {C(Points("m2", {2, 1})), C(Fixed("f", 100))},
       {"f", "m2"},
       100},
      {"bigger multiplier in a group",
       {C(g(Points("m2", {2, 1}), "P")), C(g(Points("m3", {3, 1}), "P"))},
       {"m3"},
       0},
      {"money beats points under exclusivity",
       {C(g(Points("m3", {3, 1}), "", 0, true)), C(Fixed("f", 1))},
       {"f"},
       1},
  };
  for (const auto &c : cases) {
    SCOPED_TRACE(c.name);
    const auto e = Eval(basket, c.coupons);
    ExpectConsistent(basket, e);
    EXPECT_EQ(AppliedCodes(e), c.applied);
    EXPECT_EQ(e.total_discount_minor, c.total);
    EXPECT_EQ(e.applied.size() + e.rejected.size(), c.coupons.size());
    for (const auto &r : e.rejected) EXPECT_EQ(r.slug, "not_combinable");
  }
}

// ---- Determinism and the property loop ----

bool SameEvaluation(const CouponEvaluation &a, const CouponEvaluation &b) {
  if (a.applied.size() != b.applied.size() || a.rejected.size() != b.rejected.size()) return false;
  for (size_t i = 0; i < a.applied.size(); ++i) {
    const auto &x = a.applied[i];
    const auto &y = b.applied[i];
    if (x.code != y.code || x.total_discount_minor != y.total_discount_minor ||
        x.lines.size() != y.lines.size() || x.points_multiplier != y.points_multiplier) {
      return false;
    }
    for (size_t j = 0; j < x.lines.size(); ++j) {
      if (x.lines[j].line_no != y.lines[j].line_no ||
          x.lines[j].discount_minor != y.lines[j].discount_minor) {
        return false;
      }
    }
  }
  for (size_t i = 0; i < a.rejected.size(); ++i) {
    if (a.rejected[i].code != b.rejected[i].code || a.rejected[i].reason != b.rejected[i].reason) {
      return false;
    }
  }
  if (a.lines.size() != b.lines.size()) return false;
  for (size_t i = 0; i < a.lines.size(); ++i) {
    if (a.lines[i].discount_minor != b.lines[i].discount_minor) return false;
  }
  return a.total_discount_minor == b.total_discount_minor &&
         a.basket_total_after_minor == b.basket_total_after_minor;
}

CouponDefinition RandomDefinition(std::mt19937_64 &rng, int i) {
  auto pick = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  const std::string id = "D" + std::to_string(i);
  CouponDefinition d;
  switch (pick(0, 5)) {
    case 0:
      d = Percent(id, pick(1, 10000), pick(0, 1) ? pick(1, 5000) : 0);
      break;
    case 1:
      d = Fixed(id, pick(1, 20000));
      break;
    case 2: {
      const int64_t t1 = pick(100, 10000);
      const int64_t o1 = pick(1, t1 - 1);
      const int64_t t2 = t1 + pick(1, 10000);
      d = Tiers(id, {{t1, o1}, {t2, std::min(t2 - 1, o1 + pick(1, 5000))}});
      break;
    }
    case 3:
      d = FreeItem(id, "S" + std::to_string(pick(0, 5)));
      break;
    case 4:
      d = Bxgy(id, pick(1, 3), pick(1, 2), {});
      break;
    default:
      d = Points(id, {pick(11, 30), 10});
      break;
  }
  if (pick(0, 3) == 0) d.scope.skus = {"S" + std::to_string(pick(0, 5))};
  if (pick(0, 3) == 0) d.scope.categories = {"K" + std::to_string(pick(0, 2))};
  if (pick(0, 4) == 0) d.min_spend_minor = pick(0, 20000);
  if (pick(0, 2) == 0) d.stacking.group = "G" + std::to_string(pick(0, 2));
  d.stacking.exclusive = pick(0, 7) == 0;
  d.stacking.priority = static_cast<int>(pick(0, 3));
  return d;
}

TEST(CouponEvaluatorTest, ShuffledInputGivesIdenticalOutput) {
  std::mt19937_64 rng(7);
  const std::vector<BasketLine> basket = {Line(1, "S0", "K0", 2, 1999), Line(2, "S1", "K1", 1, 333),
                                          Line(3, "S2", "K0", 5, 4567)};
  Coupons coupons;
  for (int i = 0; i < 8; ++i) coupons.push_back(C(RandomDefinition(rng, i)));
  coupons.push_back(coupons[3]);  // a duplicate code too
  const auto first = Eval(basket, coupons);
  for (int round = 0; round < 50; ++round) {
    std::shuffle(coupons.begin(), coupons.end(), rng);
    EXPECT_TRUE(SameEvaluation(first, Eval(basket, coupons))) << "round " << round;
  }
}

TEST(CouponEvaluatorTest, RandomBasketsKeepTheInvariants) {
  std::mt19937_64 rng(20241004);
  auto pick = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  for (int round = 0; round < 2000; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::vector<BasketLine> basket;
    const int64_t lines = pick(0, 6);
    for (int i = 0; i < lines; ++i) {
      basket.push_back(Line(i + 1, "S" + std::to_string(pick(0, 5)),
                            "K" + std::to_string(pick(0, 2)), pick(1, 5),
                            pick(0, 1) ? pick(0, 20000) : pick(0, 50)));
    }
    Coupons coupons;
    const int64_t count = pick(0, 7);
    for (int i = 0; i < count; ++i) coupons.push_back(C(RandomDefinition(rng, i)));
    const auto e = Eval(basket, coupons);
    ExpectConsistent(basket, e);
    EXPECT_EQ(e.applied.size() + e.rejected.size(), coupons.size());
    EXPECT_TRUE(SameEvaluation(e, Eval(basket, coupons)));
    if (::testing::Test::HasFailure()) break;
  }
}

}  // namespace
}  // namespace loyalty
