// Coupon definition <-> JSON (loyalty/json/coupon_json.*): exact field names, lossless round trips
// for every kind, defaults for missing fields, a 400 naming the dotted field for every kind of bad
// input, server-assigned ids, and no exception for any input (mutation fuzz loop).
#include "loyalty/json/coupon_json.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <date/date.h>

#include "loyalty/domain/coupon.h"
#include "tests/json/json_mutator.h"

namespace loyalty {
namespace {

using Json = nlohmann::json;

constexpr char kSlug[] = "invalid_coupon_definition";

Instant At(int y, unsigned m, unsigned d, int hour = 0, int micros = 0) {
  return Instant{date::sys_days{date::year{y} / m / d}} + std::chrono::hours{hour} +
         std::chrono::microseconds{micros};
}

// Common parts set away from the struct defaults, so a round trip that dropped them would show.
CouponDefinition Base(CouponKind kind) {
  CouponDefinition d;
  d.id = "cpn-1";
  d.name_zh = "满100减10";
  d.name_en = "10 off 100";
  d.kind = kind;
  d.scope = CouponScope{{"6901234567890"}, {"dairy", "snacks"}, {"S1"}};
  d.min_spend_minor = 5000;
  d.validity.valid_from = At(2026, 3, 1, 8, 123456);
  d.validity.valid_until = At(2026, 4, 1);
  d.stacking = CouponStacking{"spring", true, -3};
  return d;
}

std::vector<CouponDefinition> OneOfEachKind() {
  std::vector<CouponDefinition> out;
  CouponDefinition percent = Base(CouponKind::kPercentOff);
  percent.percent_bp = 1500;
  percent.cap_minor = 3000;
  out.push_back(percent);
  CouponDefinition fixed = Base(CouponKind::kFixedAmount);
  fixed.amount_minor = 1000;
  fixed.validity = CouponValidity{std::nullopt, std::nullopt, 30};
  out.push_back(fixed);
  CouponDefinition tiers = Base(CouponKind::kThresholdTiers);
  tiers.tiers = {CouponTier{10000, 1000}, CouponTier{20000, 3000}};
  tiers.validity.valid_until.reset();
  out.push_back(tiers);
  CouponDefinition free_item = Base(CouponKind::kFreeItem);
  free_item.free_sku = "6901234567890";
  free_item.validity.valid_from.reset();
  out.push_back(free_item);
  CouponDefinition bxgy = Base(CouponKind::kBuyXGetY);
  bxgy.buy_qty = 2;
  bxgy.get_qty = 1;
  out.push_back(bxgy);
  CouponDefinition points = Base(CouponKind::kPointsMultiplier);
  points.points_multiplier = {5, 2};
  points.stacking.priority = std::numeric_limits<int>::max();
  points.cap_minor = std::numeric_limits<int64_t>::max();
  points.amount_minor = std::numeric_limits<int64_t>::min();
  out.push_back(points);
  return out;
}

// What a client sends back: the written document without the server-assigned id.
Json ClientJson(const CouponDefinition& d) {
  Json j = CouponDefinitionToJson(d);
  j.erase("id");
  return j;
}

// `json` is refused as invalid_coupon_definition naming `field`; returns the message.
std::string ExpectRefused(const Json& json, const std::string& field) {
  auto result = CouponDefinitionFromJson(json);
  if (result.has_value()) {
    ADD_FAILURE() << "accepted " << json.dump() << ", expected a refusal naming " << field;
    return "";
  }
  EXPECT_EQ(result.error().code, Code::kInvalidArgument);
  EXPECT_EQ(result.error().slug, kSlug);
  const std::string* detail = result.error().Detail("field");
  EXPECT_NE(detail, nullptr) << result.error().message;
  if (detail != nullptr) {
    EXPECT_EQ(*detail, field) << result.error().message;
  }
  EXPECT_EQ(result.error().message.rfind(field, 0), 0u)
      << "message should start with the field: " << result.error().message;
  return result.error().message;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// ---- Shape and round trips ------------------------------------------------------------------

TEST(CouponDefinitionToJsonTest, HasTheDocumentedShape) {
  CouponDefinition d = OneOfEachKind()[2];  // threshold tiers, open end
  const Json j = CouponDefinitionToJson(d);
  EXPECT_EQ(j["id"], "cpn-1");
  EXPECT_EQ(j["kind"], "threshold_tiers");
  EXPECT_EQ(j["tiers"][1], (Json{{"threshold_minor", 20000}, {"off_minor", 3000}}));
  EXPECT_EQ(j["points_multiplier"], (Json{{"num", 1}, {"den", 1}}));
  EXPECT_EQ(j["scope"]["categories"], (Json{"dairy", "snacks"}));
  EXPECT_EQ(j["validity"]["valid_from"], "2026-03-01T08:00:00.123456Z");
  EXPECT_TRUE(j["validity"]["valid_until"].is_null());
  EXPECT_EQ(j["validity"]["days_after_issue"], 0);
  EXPECT_EQ(j["stacking"], (Json{{"group", "spring"}, {"exclusive", true}, {"priority", -3}}));
  for (const char* key :
       {"id", "name_zh", "name_en", "kind", "percent_bp", "cap_minor", "amount_minor", "tiers",
        "free_sku", "buy_qty", "get_qty", "points_multiplier", "scope", "min_spend_minor",
        "validity", "stacking", "limits", "budget_minor", "points_cost"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j.size(), 19u);
}

TEST(CouponDefinitionJsonRoundTripTest, EveryKind) {
  for (const CouponDefinition& d : OneOfEachKind()) {
    const Json client = ClientJson(d);
    auto back = CouponDefinitionFromJson(client);
    ASSERT_TRUE(back.has_value()) << back.error().message << " for " << client.dump();
    EXPECT_TRUE(back->id.empty());
    EXPECT_EQ(back->kind, d.kind);
    EXPECT_EQ(back->validity.valid_from, d.validity.valid_from);
    EXPECT_EQ(back->validity.valid_until, d.validity.valid_until);
    back->id = d.id;
    EXPECT_EQ(CouponDefinitionToJson(*back), CouponDefinitionToJson(d)) << client.dump();
  }
}

TEST(CouponDefinitionFromJsonTest, EmptyDocumentIsTheDefaultConstructedDefinition) {
  auto d = CouponDefinitionFromJson(Json::object());
  ASSERT_TRUE(d.has_value()) << d.error().message;
  EXPECT_EQ(CouponDefinitionToJson(*d), CouponDefinitionToJson(CouponDefinition{}));
}

TEST(CouponDefinitionFromJsonTest, InstantsWithOffsetsAndFractionsAreConvertedToUtc) {
  const Json doc = {{"validity",
                     {{"valid_from", "2026-03-01T08:00:00+08:00"},
                      {"valid_until", "2026-03-31T23:59:59.5-01:30"}}}};
  auto d = CouponDefinitionFromJson(doc);
  ASSERT_TRUE(d.has_value()) << d.error().message;
  EXPECT_EQ(d->validity.valid_from, At(2026, 3, 1));
  EXPECT_EQ(d->validity.valid_until, At(2026, 4, 1, 1) + std::chrono::minutes{29} +
                                         std::chrono::seconds{59} +
                                         std::chrono::milliseconds{500});
  auto z = CouponDefinitionFromJson({{"validity", {{"valid_from", "2026-03-01T00:00:00Z"}}}});
  ASSERT_TRUE(z.has_value()) << z.error().message;
  EXPECT_EQ(z->validity.valid_from, At(2026, 3, 1));
}

// ---- Errors, each naming the dotted field ---------------------------------------------------

TEST(CouponDefinitionFromJsonErrorTest, UnknownKeyAtTheTop) {
  Json doc = ClientJson(OneOfEachKind()[0]);
  doc["percentbp"] = 10;
  EXPECT_TRUE(Contains(ExpectRefused(doc, "percentbp"), "is not a known field"));
}

TEST(CouponDefinitionFromJsonErrorTest, UnknownKeyInASecondTier) {
  Json doc = ClientJson(OneOfEachKind()[2]);
  doc["tiers"][1]["of_minor"] = 5;
  EXPECT_EQ(ExpectRefused(doc, "tiers[1].of_minor").rfind("tiers[1].of_minor is not a known", 0),
            0u);
}

TEST(CouponDefinitionFromJsonErrorTest, UnknownKeyInNestedObjects) {
  ExpectRefused({{"scope", {{"sku", Json::array()}}}}, "scope.sku");
  ExpectRefused({{"validity", {{"from", nullptr}}}}, "validity.from");
  ExpectRefused({{"stacking", {{"exclusive", true}, {"groups", "a"}}}}, "stacking.groups");
  ExpectRefused({{"points_multiplier", {{"num", 2}, {"denominator", 1}}}},
                "points_multiplier.denominator");
}

TEST(CouponDefinitionFromJsonErrorTest, WrongTypes) {
  EXPECT_TRUE(Contains(ExpectRefused({{"amount_minor", "1000"}}, "amount_minor"),
                       "must be an integer"));
  ExpectRefused({{"name_zh", 5}}, "name_zh");
  ExpectRefused({{"name_en", nullptr}}, "name_en");
  ExpectRefused({{"tiers", Json::object()}}, "tiers");
  ExpectRefused({{"tiers", {1}}}, "tiers[0]");
  ExpectRefused({{"scope", {{"skus", {"a", 1}}}}}, "scope.skus[1]");
  ExpectRefused({{"stacking", {{"exclusive", 1}}}}, "stacking.exclusive");
  ExpectRefused({{"stacking", "spring"}}, "stacking");
  ExpectRefused({{"validity", {{"valid_from", 1772323200}}}}, "validity.valid_from");
  ExpectRefused({{"kind", 1}}, "kind");
}

TEST(CouponDefinitionFromJsonErrorTest, NonIntegralNumbers) {
  EXPECT_TRUE(Contains(ExpectRefused({{"percent_bp", 1.5}}, "percent_bp"), "must be an integer"));
  ExpectRefused({{"buy_qty", 2.0}}, "buy_qty");
  ExpectRefused({{"points_multiplier", {{"num", 1e30}}}}, "points_multiplier.num");
}

TEST(CouponDefinitionFromJsonErrorTest, IntegersOutOfRange) {
  const Json two_to_63 = uint64_t{1} << 63;
  EXPECT_TRUE(Contains(ExpectRefused({{"cap_minor", two_to_63}}, "cap_minor"),
                       "between -9223372036854775808 and 9223372036854775807"));
  ExpectRefused({{"tiers", {{{"threshold_minor", two_to_63}}}}}, "tiers[0].threshold_minor");
  ExpectRefused({{"validity", {{"days_after_issue", int64_t{1} << 31}}}},
                "validity.days_after_issue");
  ExpectRefused({{"stacking", {{"priority", int64_t{-1} - (int64_t{1} << 31)}}}},
                "stacking.priority");
  auto max = CouponDefinitionFromJson({{"cap_minor", std::numeric_limits<int64_t>::max()}});
  ASSERT_TRUE(max.has_value());
  EXPECT_EQ(max->cap_minor, std::numeric_limits<int64_t>::max());
}

TEST(CouponDefinitionFromJsonErrorTest, UnknownKindListsTheAllowedNames) {
  const std::string message = ExpectRefused({{"kind", "bogo"}}, "kind");
  EXPECT_TRUE(Contains(message, "percent_off, fixed_amount, threshold_tiers, free_item, "
                                "buy_x_get_y, points_multiplier"))
      << message;
}

TEST(CouponDefinitionFromJsonErrorTest, BadInstants) {
  const Json doc = {{"validity", {{"valid_from", "2026-13-01T00:00:00Z"}}}};
  const std::string message = ExpectRefused(doc, "validity.valid_from");
  EXPECT_TRUE(Contains(message, "RFC 3339")) << message;
  for (const char* bad :
       {"2026-02-30T00:00:00Z", "2026-03-01T24:00:00Z", "2026-03-01T00:60:00Z",
        "2026-03-01T00:00:60Z", "2026-03-01 00:00:00Z", "2026-03-01T00:00:00", "2026-03-01",
        "2026-03-01T00:00:00z", "2026-03-01T00:00:00.Z", "2026-03-01T00:00:00.1234567Z",
        "2026-03-01T00:00:00+0800", "2026-03-01T00:00:00+24:00", "2026-3-01T00:00:00Z",
        "2026-03-01T00:00:00Zjunk", "0000-01-01T00:00:00+00:01", "", "+2026-03-01T00:00:00Z"}) {
    ExpectRefused({{"validity", {{"valid_until", bad}}}}, "validity.valid_until");
  }
}

TEST(CouponDefinitionFromJsonErrorTest, ClientSentIdIsRefused) {
  const std::string message = ExpectRefused(CouponDefinitionToJson(OneOfEachKind()[0]), "id");
  EXPECT_TRUE(Contains(message, "ids are assigned by the server")) << message;
  ExpectRefused({{"id", ""}}, "id");
  ExpectRefused({{"id", nullptr}}, "id");
}

TEST(CouponDefinitionFromJsonErrorTest, DocumentThatIsNotAnObject) {
  for (const Json& doc : {Json(nullptr), Json::array(), Json("x"), Json(1)}) {
    ExpectRefused(doc, "coupon_definition");
  }
}

TEST(CouponDefinitionFromJsonErrorTest, HostileKeysAreMadeSafeForTheMessage) {
  auto result = CouponDefinitionFromJson({{"scope", {{"bad\xff\x01", 1}}}});
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(*result.error().Detail("field"), "scope.bad??");
  EXPECT_NO_THROW((void)Json(result.error().message).dump());
}

// ---- Limits, budget and points cost ---------------------------------------------------------

// A definition with every limit, the budget and the points cost away from their defaults.
CouponDefinition Limited(CouponPeriod period) {
  CouponDefinition d = OneOfEachKind()[1];  // fixed amount
  d.limits = CouponLimits{100000, 3, 500, 2000, period};
  d.budget_minor = 50'000'000;
  d.points_cost = 800;
  return d;
}

TEST(CouponDefinitionToJsonTest, LimitsBudgetAndPointsCostShape) {
  const Json j = CouponDefinitionToJson(Limited(CouponPeriod::kWeek));
  EXPECT_EQ(j["limits"], (Json{{"total", 100000},
                               {"per_member", 3},
                               {"per_store", 500},
                               {"per_period", 2000},
                               {"period", "week"}}));
  EXPECT_EQ(j["budget_minor"], 50'000'000);
  EXPECT_EQ(j["points_cost"], 800);
  // The defaults: no limits, day periods, no budget, not in the catalogue.
  const Json d = CouponDefinitionToJson(CouponDefinition{});
  EXPECT_EQ(d["limits"], (Json{{"total", 0},
                               {"per_member", 0},
                               {"per_store", 0},
                               {"per_period", 0},
                               {"period", "day"}}));
  EXPECT_EQ(d["budget_minor"], 0);
  EXPECT_EQ(d["points_cost"], 0);
}

TEST(CouponDefinitionJsonRoundTripTest, LimitsBudgetAndPointsCost) {
  for (CouponPeriod period : {CouponPeriod::kDay, CouponPeriod::kWeek, CouponPeriod::kMonth}) {
    const CouponDefinition d = Limited(period);
    const Json client = ClientJson(d);
    auto back = CouponDefinitionFromJson(client);
    ASSERT_TRUE(back.has_value()) << back.error().message << " for " << client.dump();
    EXPECT_EQ(back->limits.total, 100000);
    EXPECT_EQ(back->limits.per_member, 3);
    EXPECT_EQ(back->limits.per_store, 500);
    EXPECT_EQ(back->limits.per_period, 2000);
    EXPECT_EQ(back->limits.period, period);
    EXPECT_EQ(back->budget_minor, 50'000'000);
    EXPECT_EQ(back->points_cost, 800);
    back->id = d.id;
    EXPECT_EQ(CouponDefinitionToJson(*back), CouponDefinitionToJson(d)) << client.dump();
  }
}

TEST(CouponDefinitionFromJsonTest, MissingLimitFieldsKeepTheirDefaults) {
  auto d = CouponDefinitionFromJson({{"limits", {{"per_period", 7}, {"period", "month"}}}});
  ASSERT_TRUE(d.has_value()) << d.error().message;
  EXPECT_EQ(d->limits.total, 0);
  EXPECT_EQ(d->limits.per_member, 0);
  EXPECT_EQ(d->limits.per_store, 0);
  EXPECT_EQ(d->limits.per_period, 7);
  EXPECT_EQ(d->limits.period, CouponPeriod::kMonth);
  auto empty = CouponDefinitionFromJson({{"limits", Json::object()}});
  ASSERT_TRUE(empty.has_value()) << empty.error().message;
  EXPECT_EQ(empty->limits.period, CouponPeriod::kDay);
  EXPECT_EQ(empty->limits.total, 0);
}

TEST(CouponDefinitionFromJsonTest, OutOfRangeLimitsAreMappedAndLeftToValidation) {
  // The codec only maps (well-typed values come back as they are); ValidateCouponDefinition
  // refuses them.
  Json doc = ClientJson(Limited(CouponPeriod::kDay));
  doc["limits"]["per_store"] = -5;
  doc["points_cost"] = int64_t{100'000'001};
  auto d = CouponDefinitionFromJson(doc);
  ASSERT_TRUE(d.has_value()) << d.error().message;
  EXPECT_EQ(d->limits.per_store, -5);
  EXPECT_EQ(d->points_cost, 100'000'001);
  d->id = "cpn-1";
  auto s = ValidateCouponDefinition(*d);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(*s.error().Detail("field"), "limits.per_store");
}

TEST(CouponDefinitionFromJsonErrorTest, UnknownKeyInLimits) {
  Json doc = ClientJson(Limited(CouponPeriod::kDay));
  doc["limits"]["per_day"] = 5;
  const std::string message = ExpectRefused(doc, "limits.per_day");
  EXPECT_TRUE(Contains(message, "is not a known field")) << message;
  EXPECT_TRUE(Contains(message, "total, per_member, per_store, per_period, period")) << message;
  ExpectRefused({{"limits", {{"Total", 1}}}}, "limits.Total");
  ExpectRefused({{"limits", {{"budget_minor", 1}}}}, "limits.budget_minor");
  // An unknown key is reported before a bad value of a known one.
  ExpectRefused({{"limits", {{"period", "year"}, {"perstore", 1}}}}, "limits.perstore");
}

TEST(CouponDefinitionFromJsonErrorTest, UnknownPeriodListsTheAllowedNames) {
  const std::string message = ExpectRefused({{"limits", {{"period", "year"}}}}, "limits.period");
  EXPECT_TRUE(Contains(message, "day, week, month")) << message;
  for (const char* bad : {"Day", "WEEK", "", "daily", "weekly", "months"}) {
    ExpectRefused({{"limits", {{"period", bad}}}}, "limits.period");
  }
}

TEST(CouponDefinitionFromJsonErrorTest, LimitsWrongTypes) {
  ExpectRefused({{"limits", 5}}, "limits");
  ExpectRefused({{"limits", nullptr}}, "limits");
  ExpectRefused({{"limits", Json::array()}}, "limits");
  ExpectRefused({{"limits", "none"}}, "limits");
  for (const char* key : {"total", "per_member", "per_store", "per_period"}) {
    const std::string field = std::string("limits.") + key;
    EXPECT_TRUE(Contains(ExpectRefused({{"limits", {{key, "10"}}}}, field), "must be an integer"));
    ExpectRefused({{"limits", {{key, 1.5}}}}, field);
    ExpectRefused({{"limits", {{key, 10.0}}}}, field);
    ExpectRefused({{"limits", {{key, nullptr}}}}, field);
    ExpectRefused({{"limits", {{key, true}}}}, field);
    ExpectRefused({{"limits", {{key, uint64_t{1} << 63}}}}, field);
  }
  ExpectRefused({{"limits", {{"period", 1}}}}, "limits.period");
  ExpectRefused({{"limits", {{"period", nullptr}}}}, "limits.period");
  ExpectRefused({{"limits", {{"period", Json::array({"day"})}}}}, "limits.period");
}

TEST(CouponDefinitionFromJsonErrorTest, BudgetAndPointsCostWrongTypes) {
  for (const char* key : {"budget_minor", "points_cost"}) {
    EXPECT_TRUE(Contains(ExpectRefused({{key, "100"}}, key), "must be an integer"));
    ExpectRefused({{key, 2.5}}, key);
    ExpectRefused({{key, 100.0}}, key);
    ExpectRefused({{key, nullptr}}, key);
    ExpectRefused({{key, false}}, key);
    ExpectRefused({{key, Json::object()}}, key);
    ExpectRefused({{key, uint64_t{1} << 63}}, key);
  }
}

// ---- Never throws ---------------------------------------------------------------------------

// The mutator with this codec's vocabulary.
testing::JsonMutator::Vocabulary Vocabulary() {
  return {{10000},
          {"", "percent_off", "buy_x_get_y", "bogo", "2026-03-01T00:00:00Z",
        "2026-13-01T00:00:00Z", "2026-03-01T08:00:00.5+08:00", "9999-12-31T23:59:59-23:59", "S1",
        "满100减10", "bad\xff utf8"},
          {"num", "den", "id", "kind", "tiers", "off_minor", "of_minor", "valid_from", "priority", "",
        "a.b[0]", "\xc3", "满减", "~/"}};
}

TEST(CouponDefinitionFromJsonFuzzTest, MutatedDefinitionsNeverThrow) {
  testing::JsonMutator mutator(20261123, Vocabulary());
  std::vector<Json> seeds;
  for (const CouponDefinition& d : OneOfEachKind()) seeds.push_back(ClientJson(d));
  int accepted = 0;
  int refused = 0;
  for (int iteration = 0; iteration < 2000; ++iteration) {
    Json doc = seeds[static_cast<size_t>(iteration) % seeds.size()];
    for (int n = 1 + mutator.Pick(4); n > 0; --n) mutator.Mutate(doc);
    const auto shown = [&doc] { return doc.dump(-1, ' ', false, Json::error_handler_t::replace); };
    Result<CouponDefinition> result;
    ASSERT_NO_THROW(result = CouponDefinitionFromJson(doc)) << shown();
    if (result.has_value()) {
      ++accepted;
      // What was accepted writes out and reads back the same.
      Json written;
      ASSERT_NO_THROW(written = CouponDefinitionToJson(*result));
      written.erase("id");
      auto again = CouponDefinitionFromJson(written);
      ASSERT_TRUE(again.has_value()) << again.error().message << " for " << shown();
      Json rewritten = CouponDefinitionToJson(*again);
      rewritten.erase("id");
      ASSERT_EQ(rewritten, written) << shown();
      continue;
    }
    ++refused;
    ASSERT_TRUE(testing::IsActionableRefusal(result.error(), kSlug)) << shown();
  }
  EXPECT_GT(accepted, 100);
  EXPECT_GT(refused, 100);
}

}  // namespace
}  // namespace loyalty
