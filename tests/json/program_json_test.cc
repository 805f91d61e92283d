// Program configuration <-> JSON (loyalty/json/program_json.*): exact field names, lossless round
// trips, defaults for missing fields, a 400 naming the dotted field for every kind of bad input,
// and no exception for any input (mutation fuzz loop).
#include "loyalty/json/program_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "loyalty/domain/program.h"
#include "tests/json/json_mutator.h"

namespace loyalty {
namespace {

using Json = nlohmann::json;

// Every optional thing set and every value different from both the struct defaults and
// DefaultProgram(), and still a valid program.
ProgramConfig FullProgram() {
  ProgramConfig p = DefaultProgram();
  p.version = 7;
  p.currency = "USD";
  p.time_zone = "America/New_York";
  p.earn.points = 3;
  p.earn.per_minor = 200;
  p.earn.rounding = Rounding::kHalfUp;
  p.earn.include_tax = true;
  p.earn.skus = {LineRule{"6901234567890", {3, 2}, false}, LineRule{"TOBACCO-20", {1, 1}, true}};
  p.earn.categories = {LineRule{"dairy", {2, 1}, false}};
  p.earn.bonus_events = {
      BonusEvent{"tue-happy-hour", "周二欢乐时光", "2026-03-01", "2026-06-30", {2, 4}, 960, 1080,
                 {"S1", "sh-001"}, {5, 2}},
      BonusEvent{"new-year", "New Year", "2027-01-01", "2027-01-01", {}, 0, 1440, {}, {3, 1}},
  };
  p.earn.birthday_month_multiplier = {3, 1};
  p.earn.stack_multipliers = true;
  p.awards = Awards{50, 200, 300, 100, 5};
  p.pending_days = 14;
  p.expiry = ExpiryPolicy{ExpiryKind::kEndOfYear, 1};
  p.refund = RefundPolicy::kAllowNegative;
  p.redemption = RedemptionRules{50, 100, 200, 50000};
  p.adjustments = AdjustmentRules{5000};
  p.transfers = TransferRules{false, 300, 20000};
  p.tiers.metric = TierMetric::kPoints;
  p.tiers.window = TierWindow::kCalendarYear;
  p.tiers.review = TierReview::kRecalculate;
  p.tiers.grace_days = 15;
  p.tiers.levels[2].benefits.birthday_coupon_definition_id = "cpn-birthday-gold";
  p.tiers.levels[3].benefits.birthday_coupon_definition_id = "cpn-birthday-diamond";
  return p;
}

// Field-by-field equality: ProgramToJson writes every field (see EveryWrittenFieldIsRead).
void ExpectSameProgram(const ProgramConfig& a, const ProgramConfig& b) {
  EXPECT_EQ(ProgramToJson(a), ProgramToJson(b));
}

ProgramConfig Parse(const Json& json) {
  auto result = ProgramFromJson(json);
  EXPECT_TRUE(result.has_value()) << result.error().message;
  return result.value_or(ProgramConfig{});
}

// `json` is refused as invalid_program naming `field`; returns the message for further checks.
std::string ExpectRefused(const Json& json, const std::string& field) {
  auto result = ProgramFromJson(json);
  if (result.has_value()) {
    ADD_FAILURE() << "accepted " << json.dump();
    return "";
  }
  EXPECT_EQ(result.error().code, Code::kInvalidArgument);
  EXPECT_EQ(result.error().slug, "invalid_program");
  const std::string* detail = result.error().Detail("field");
  EXPECT_NE(detail, nullptr);
  if (detail != nullptr) {
    EXPECT_EQ(*detail, field) << result.error().message;
  }
  EXPECT_EQ(result.error().message.rfind(field, 0), 0u)
      << "message should start with the field: " << result.error().message;
  return result.error().message;
}

Json DefaultJson() { return ProgramToJson(DefaultProgram()); }

// ---- The shape ------------------------------------------------------------------------------

TEST(ProgramToJsonTest, DefaultProgramHasTheDocumentedShape) {
  const Json expected = Json::parse(R"({
    "version": 0, "currency": "CNY", "time_zone": "Asia/Shanghai",
    "earn": {"points": 1, "per_minor": 100, "rounding": "floor", "include_tax": false,
             "skus": [], "categories": [], "bonus_events": [],
             "birthday_month_multiplier": {"num": 1, "den": 1}, "stack_multipliers": false},
    "awards": {"enrolment": 0, "profile_completion": 0, "referral_referrer": 0,
               "referral_referee": 0, "max_referrals_per_member": 10},
    "pending_days": 30,
    "expiry": {"kind": "rolling_months", "months_or_years": 24},
    "refund": "within_balance",
    "returns": {"restore_redeemed_points": true, "restore_coupons": true},
    "offline": {"max_redeem_points_per_day": 5000},
    "redemption": {"points": 100, "value_minor": 100, "min_points": 100, "max_points": 1000000},
    "adjustments": {"approval_threshold": 1000},
    "transfers": {"enabled": true, "min_points": 100, "max_points_per_day": 10000},
    "tiers": {"metric": "spend", "window": "rolling_12_months", "review": "downgrade_one_level",
      "grace_days": 30,
      "levels": [
        {"code": "base", "name_zh": "普通会员", "name_en": "Member", "threshold": 0,
         "earn_multiplier": {"num": 1, "den": 1},
         "benefits": {"birthday_coupon_definition_id": null, "free_parking_hours": 0,
                      "priority_service": false}},
        {"code": "silver", "name_zh": "银卡", "name_en": "Silver", "threshold": 200000,
         "earn_multiplier": {"num": 5, "den": 4},
         "benefits": {"birthday_coupon_definition_id": null, "free_parking_hours": 1,
                      "priority_service": false}},
        {"code": "gold", "name_zh": "金卡", "name_en": "Gold", "threshold": 800000,
         "earn_multiplier": {"num": 3, "den": 2},
         "benefits": {"birthday_coupon_definition_id": null, "free_parking_hours": 2,
                      "priority_service": true}},
        {"code": "diamond", "name_zh": "钻石", "name_en": "Diamond", "threshold": 2000000,
         "earn_multiplier": {"num": 2, "den": 1},
         "benefits": {"birthday_coupon_definition_id": null, "free_parking_hours": 3,
                      "priority_service": true}}]}
  })");
  EXPECT_EQ(DefaultJson(), expected) << DefaultJson().dump(2);
}

TEST(ProgramToJsonTest, ListsAndOptionalsHaveTheDocumentedShape) {
  const Json json = ProgramToJson(FullProgram());
  EXPECT_EQ(json["earn"]["bonus_events"][0], Json::parse(R"({
    "id": "tue-happy-hour", "name": "周二欢乐时光", "start_date": "2026-03-01",
    "end_date": "2026-06-30", "weekdays": [2, 4], "start_minute": 960, "end_minute": 1080,
    "store_ids": ["S1", "sh-001"], "multiplier": {"num": 5, "den": 2}})"));
  EXPECT_EQ(json["earn"]["skus"][1],
            Json::parse(R"({"match": "TOBACCO-20", "multiplier": {"num": 1, "den": 1},
                            "excluded": true})"));
  EXPECT_EQ(json["earn"]["rounding"], "half_up");
  EXPECT_EQ(json["expiry"]["kind"], "end_of_year");
  EXPECT_EQ(json["refund"], "allow_negative");
  EXPECT_EQ(json["tiers"]["metric"], "points");
  EXPECT_EQ(json["tiers"]["window"], "calendar_year");
  EXPECT_EQ(json["tiers"]["review"], "recalculate");
  EXPECT_EQ(json["tiers"]["levels"][2]["benefits"]["birthday_coupon_definition_id"],
            "cpn-birthday-gold");
}

// ---- Round trips ----------------------------------------------------------------------------

TEST(ProgramJsonRoundTripTest, DefaultProgram) {
  ExpectSameProgram(Parse(DefaultJson()), DefaultProgram());
}

TEST(ProgramJsonRoundTripTest, EverythingSet) {
  const ProgramConfig full = FullProgram();
  ASSERT_TRUE(ValidateProgram(full).has_value()) << ValidateProgram(full).error().message;
  ExpectSameProgram(Parse(ProgramToJson(full)), full);
  // and through text, as the API and the database see it
  ExpectSameProgram(Parse(Json::parse(ProgramToJson(full).dump())), full);
}

TEST(ProgramJsonRoundTripTest, DefaultConstructedProgramAndExtremeIntegers) {
  ExpectSameProgram(Parse(ProgramToJson(ProgramConfig{})), ProgramConfig{});
  ProgramConfig p;
  p.version = std::numeric_limits<int64_t>::max();
  p.redemption.min_points = std::numeric_limits<int64_t>::min();
  p.pending_days = std::numeric_limits<int>::min();
  p.awards.max_referrals_per_member = std::numeric_limits<int>::max();
  ExpectSameProgram(Parse(Json::parse(ProgramToJson(p).dump())), p);
}

// Each leaf ProgramToJson writes is read back into the member it came from: change one leaf,
// parse, write again, and exactly that leaf has the new value.
TEST(ProgramJsonRoundTripTest, EveryWrittenFieldIsRead) {
  const Json full = ProgramToJson(FullProgram());
  const Json flat = full.flatten();
  int checked = 0;
  for (const auto& [leaf, ignored] : flat.items()) {
    const Json::json_pointer pointer(leaf);
    const Json& value = full.at(pointer);
    Json changed;
    if (value.is_number_integer()) {
      changed = value.get<int64_t>() + 1;
    } else if (value.is_boolean()) {
      changed = !value.get<bool>();
    } else if (value.is_string() || value.is_null()) {
      changed = (value.is_string() ? value.get<std::string>() : "") + "x";
    } else {
      continue;  // an empty array: no member behind it
    }
    Json expected = full;
    expected[pointer] = changed;
    auto parsed = ProgramFromJson(expected);
    if (!parsed && value.is_string()) continue;  // an enum name; covered by the enum tests
    ASSERT_TRUE(parsed.has_value()) << leaf << ": " << parsed.error().message;
    EXPECT_EQ(ProgramToJson(*parsed), expected) << leaf;
    ++checked;
  }
  EXPECT_GT(checked, 80);
}

// ---- Missing fields -------------------------------------------------------------------------

TEST(ProgramFromJsonTest, EmptyDocumentIsTheDefaultConstructedProgram) {
  ExpectSameProgram(Parse(Json::object()), ProgramConfig{});
}

TEST(ProgramFromJsonTest, PartialDocumentTakesStructDefaults) {
  const ProgramConfig p = Parse(Json::parse(R"({
    "pending_days": 7,
    "earn": {"points": 2, "bonus_events": [{"id": "e1", "weekdays": [6, 7]}]},
    "expiry": {"kind": "inactivity_months"},
    "tiers": {"levels": [{"code": "base", "earn_multiplier": {"num": 3}, "benefits": {}}]}
  })"));
  EXPECT_EQ(p.pending_days, 7);
  EXPECT_EQ(p.earn.points, 2);
  EXPECT_EQ(p.earn.per_minor, 100);
  EXPECT_EQ(p.earn.rounding, Rounding::kFloor);
  ASSERT_EQ(p.earn.bonus_events.size(), 1u);
  const BonusEvent& e = p.earn.bonus_events[0];
  EXPECT_EQ(e.id, "e1");
  EXPECT_EQ(e.weekdays, (std::vector<int>{6, 7}));
  EXPECT_EQ(e.start_minute, 0);
  EXPECT_EQ(e.end_minute, 24 * 60);
  EXPECT_EQ(e.multiplier, (Rational{2, 1}));  // BonusEvent's own default, not Rational{}
  EXPECT_EQ(p.expiry.kind, ExpiryKind::kInactivityMonths);
  EXPECT_EQ(p.expiry.months_or_years, 0);
  EXPECT_EQ(p.refund, RefundPolicy::kWithinBalance);
  EXPECT_EQ(p.currency, "CNY");
  ASSERT_EQ(p.tiers.levels.size(), 1u);
  EXPECT_EQ(p.tiers.levels[0].earn_multiplier, (Rational{3, 1}));
  EXPECT_EQ(p.tiers.levels[0].benefits.birthday_coupon_definition_id, std::nullopt);
  EXPECT_EQ(p.tiers.grace_days, 30);
}

TEST(ProgramFromJsonTest, NullClearsTheOptionalCouponOnly) {
  Json doc = ProgramToJson(FullProgram());
  doc["tiers"]["levels"][2]["benefits"]["birthday_coupon_definition_id"] = nullptr;
  EXPECT_EQ(Parse(doc).tiers.levels[2].benefits.birthday_coupon_definition_id, std::nullopt);
}

TEST(ProgramFromJsonTest, WithBaseKeepsBaseValuesAndReplacesListsWhole) {
  const ProgramConfig base = FullProgram();
  auto result = ProgramFromJson(Json::parse(R"({"pending_days": 3,
      "earn": {"skus": [{"match": "X"}]}})"), base);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  ProgramConfig expected = base;
  expected.pending_days = 3;
  expected.earn.skus = {LineRule{"X", {1, 1}, false}};
  ExpectSameProgram(*result, expected);
  // A failure leaves nothing half-applied: the caller keeps its base.
  EXPECT_FALSE(ProgramFromJson(Json::parse(R"({"pending_days": 3, "earn": {"points": "x"}})"),
                               base).has_value());
}

// A JSON float is not an integer even when its value is integral: above 2^53 its text has
// already been rounded by the parser (-9223372036854775809 arrives as exactly -2^63).
TEST(ProgramFromJsonTest, FloatsAreNotIntegers) {
  EXPECT_EQ(ExpectRefused(Json::parse(R"({"earn": {"per_minor": 2.0}})"), "earn.per_minor"),
            "earn.per_minor must be an integer");
  ExpectRefused(Json::parse(R"({"pending_days": 1e1})"), "pending_days");
  ExpectRefused(Json::parse(R"({"version": -0.0})"), "version");
}

// ---- Errors, each naming the dotted field ----------------------------------------------------

TEST(ProgramFromJsonErrorTest, UnknownKeyAtTheTop) {
  Json doc = DefaultJson();
  doc["pending_dayz"] = 3;
  const std::string message = ExpectRefused(doc, "pending_dayz");
  EXPECT_NE(message.find("is not a known field"), std::string::npos) << message;
  EXPECT_NE(message.find("pending_days"), std::string::npos) << "lists the known fields";
}

TEST(ProgramFromJsonErrorTest, UnknownKeyInEarn) {
  ExpectRefused(Json::parse(R"({"earn": {"per_minr": 100}})"), "earn.per_minr");
}

TEST(ProgramFromJsonErrorTest, UnknownKeyInABonusEvent) {
  Json doc = ProgramToJson(FullProgram());
  doc["earn"]["bonus_events"][1]["multipler"] = {{"num", 2}, {"den", 1}};
  EXPECT_EQ(ExpectRefused(doc, "earn.bonus_events[1].multipler")
                .rfind("earn.bonus_events[1].multipler is not a known field", 0),
            0u);
}

TEST(ProgramFromJsonErrorTest, UnknownKeyInATierLevelAndItsBenefits) {
  Json doc = DefaultJson();
  doc["tiers"]["levels"][3]["colour"] = "black";
  ExpectRefused(doc, "tiers.levels[3].colour");
  doc = DefaultJson();
  doc["tiers"]["levels"][1]["benefits"]["lounge"] = true;
  ExpectRefused(doc, "tiers.levels[1].benefits.lounge");
  doc = DefaultJson();
  doc["earn"]["birthday_month_multiplier"]["numerator"] = 2;
  ExpectRefused(doc, "earn.birthday_month_multiplier.numerator");
}

TEST(ProgramFromJsonErrorTest, UnknownKeyIsReportedBeforeABadValue) {
  ExpectRefused(Json::parse(R"({"earn": {"points": "x", "zzz": 1}})"), "earn.zzz");
}

TEST(ProgramFromJsonErrorTest, HostileKeysAreMadeSafeForTheMessage) {
  const std::string long_key(200, 'k');
  const std::string message = ExpectRefused(Json{{long_key, 1}}, std::string(64, 'k') + "...");
  EXPECT_LT(message.size(), 400u);
  // Not UTF-8: the path and message must still serialise as JSON.
  auto result = ProgramFromJson(Json{{"earn", {{"bad\xff\xfe", 1}}}});
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(*result.error().Detail("field"), "earn.bad??");
  EXPECT_NO_THROW((void)Json(result.error().message).dump());
  // A long Chinese key is cut at a character boundary.
  std::string chinese;
  for (int i = 0; i < 30; ++i) chinese += "积分";  // 6 bytes each
  result = ProgramFromJson(Json{{chinese, 1}});
  ASSERT_FALSE(result.has_value());
  EXPECT_NO_THROW((void)Json(*result.error().Detail("field")).dump());
  EXPECT_EQ(*result.error().Detail("field"), chinese.substr(0, 63) + "...");
  ExpectRefused(Json{{"", 1}}, "\"\"");
}

TEST(ProgramFromJsonErrorTest, WrongTypes) {
  EXPECT_EQ(ExpectRefused(Json::parse(R"({"earn": {"per_minor": "100"}})"), "earn.per_minor"),
            "earn.per_minor must be an integer");
  ExpectRefused(Json::parse(R"({"earn": {"per_minor": null}})"), "earn.per_minor");
  ExpectRefused(Json::parse(R"({"earn": {"per_minor": true}})"), "earn.per_minor");
  EXPECT_EQ(ExpectRefused(Json::parse(R"({"earn": {"include_tax": 1}})"), "earn.include_tax"),
            "earn.include_tax must be true or false");
  EXPECT_EQ(ExpectRefused(Json::parse(R"({"currency": 156})"), "currency"),
            "currency must be a string");
  EXPECT_EQ(ExpectRefused(Json::parse(R"({"earn": []})"), "earn"), "earn must be an object");
  EXPECT_EQ(ExpectRefused(Json::parse(R"({"earn": {"skus": {}}})"), "earn.skus"),
            "earn.skus must be an array");
  ExpectRefused(Json::parse(R"({"earn": {"skus": [{"match": "A"}, 3]}})"), "earn.skus[1]");
  ExpectRefused(Json::parse(R"({"earn": {"skus": [{"match": "A", "multiplier": {"den": "2"}}]}})"),
                "earn.skus[0].multiplier.den");
  ExpectRefused(Json::parse(R"({"earn": {"bonus_events": [{"weekdays": [1, "tue"]}]}})"),
                "earn.bonus_events[0].weekdays[1]");
  ExpectRefused(Json::parse(R"({"earn": {"bonus_events": [{"store_ids": ["S1", 2]}]}})"),
                "earn.bonus_events[0].store_ids[1]");
  Json doc = DefaultJson();
  doc["tiers"]["levels"][0]["benefits"]["birthday_coupon_definition_id"] = 5;
  EXPECT_EQ(ExpectRefused(doc, "tiers.levels[0].benefits.birthday_coupon_definition_id"),
            "tiers.levels[0].benefits.birthday_coupon_definition_id must be a string or null");
  ExpectRefused(Json::parse(R"({"tiers": {"levels": null}})"), "tiers.levels");
}

TEST(ProgramFromJsonErrorTest, DocumentThatIsNotAnObject) {
  for (const Json& doc : {Json(nullptr), Json::array(), Json(3), Json("program")}) {
    ExpectRefused(doc, "program");
  }
}

TEST(ProgramFromJsonErrorTest, NonIntegralNumbers) {
  EXPECT_EQ(ExpectRefused(Json::parse(R"({"redemption": {"min_points": 1.5}})"),
                          "redemption.min_points"),
            "redemption.min_points must be an integer");
  ExpectRefused(Json::parse(R"({"earn": {"points": 1e30}})"), "earn.points");
  ExpectRefused(Json::parse(R"({"earn": {"points": -1e30}})"), "earn.points");
  ExpectRefused(Json::parse(R"({"version": 9.3e18})"), "version");  // just above int64
  ExpectRefused(Json{{"version", std::nan("")}}, "version");
  ExpectRefused(Json{{"version", std::numeric_limits<double>::infinity()}}, "version");
  ExpectRefused(Json::parse(R"({"earn": {"bonus_events": [{"start_minute": 0.5}]}})"),
                "earn.bonus_events[0].start_minute");
}

TEST(ProgramFromJsonErrorTest, IntegersOutOfRange) {
  EXPECT_EQ(ExpectRefused(Json::parse(R"({"redemption": {"max_points": 9223372036854775808}})"),
                          "redemption.max_points"),
            "redemption.max_points must be an integer between -9223372036854775808 and "
            "9223372036854775807");
  ExpectRefused(Json::parse(R"({"version": 18446744073709551615})"), "version");
  ExpectRefused(Json::parse(R"({"version": -9223372036854775809})"), "version");  // a float
  EXPECT_TRUE(ProgramFromJson(Json::parse(R"({"version": 9223372036854775807})")).has_value());
  EXPECT_TRUE(ProgramFromJson(Json::parse(R"({"version": -9223372036854775808})")).has_value());
  // int members refuse what does not fit an int instead of truncating it
  EXPECT_EQ(ExpectRefused(Json::parse(R"({"pending_days": 2147483648})"), "pending_days"),
            "pending_days must be an integer between -2147483648 and 2147483647");
  ExpectRefused(Json::parse(R"({"expiry": {"months_or_years": -2147483649}})"),
                "expiry.months_or_years");
  ExpectRefused(Json::parse(R"({"earn": {"bonus_events": [{"weekdays": [4294967297]}]}})"),
                "earn.bonus_events[0].weekdays[0]");
}

TEST(ProgramFromJsonErrorTest, UnknownEnumNames) {
  EXPECT_EQ(ExpectRefused(Json::parse(R"({"refund": "sometimes"})"), "refund"),
            "refund must be one of: only_pending, within_balance, allow_negative");
  EXPECT_EQ(ExpectRefused(Json::parse(R"({"earn": {"rounding": "Floor"}})"), "earn.rounding"),
            "earn.rounding must be one of: floor, half_up, ceil");
  EXPECT_EQ(ExpectRefused(Json::parse(R"({"expiry": {"kind": "never"}})"), "expiry.kind"),
            "expiry.kind must be one of: none, rolling_months, end_of_nth_month, end_of_year, "
            "inactivity_months");
  ExpectRefused(Json::parse(R"({"tiers": {"metric": "age"}})"), "tiers.metric");
  ExpectRefused(Json::parse(R"({"tiers": {"window": "forever"}})"), "tiers.window");
  ExpectRefused(Json::parse(R"({"tiers": {"review": ""}})"), "tiers.review");
  EXPECT_EQ(ExpectRefused(Json::parse(R"({"refund": 1})"), "refund"),
            "refund must be a string, one of: only_pending, within_balance, allow_negative");
}

// ---- Never throws ---------------------------------------------------------------------------

// The mutator with this codec's vocabulary.
testing::JsonMutator::Vocabulary Vocabulary() {
  return {{1440, 1441},
          {"", "floor", "half_up", "rolling_months", "within_balance", "sometimes", "spend",
        "recalculate", "2026-02-30", "S1", "普通会员", "bad\xff utf8"},
          {"num", "den", "points", "multiplier", "multipler", "kind", "levels", "benefits", "weekdays",
        "", "a.b[0]", "\xc3", "积分", "~/"}};
}

TEST(ProgramFromJsonFuzzTest, MutatedProgramsNeverThrow) {
  testing::JsonMutator mutator(20260301, Vocabulary());
  const Json seeds[] = {DefaultJson(), ProgramToJson(FullProgram())};
  int accepted = 0;
  int refused = 0;
  for (int iteration = 0; iteration < 3000; ++iteration) {
    Json doc = seeds[iteration % 2];
    for (int n = 1 + mutator.Pick(4); n > 0; --n) mutator.Mutate(doc);
    // Only dumped when an assertion fails (gtest evaluates `<<` operands lazily).
    const auto shown = [&doc] { return doc.dump(-1, ' ', false, Json::error_handler_t::replace); };
    Result<ProgramConfig> result;
    ASSERT_NO_THROW(result = ProgramFromJson(doc)) << shown();
    if (result.has_value()) {
      ++accepted;
      // What was accepted writes out and reads back the same.
      Json written;
      ASSERT_NO_THROW(written = ProgramToJson(*result));
      auto again = ProgramFromJson(written);
      ASSERT_TRUE(again.has_value()) << shown();
      ASSERT_EQ(ProgramToJson(*again), written) << shown();
      continue;
    }
    ++refused;
    ASSERT_TRUE(testing::IsActionableRefusal(result.error(), "invalid_program")) << shown();
  }
  // The loop explored both outcomes, not only one.
  EXPECT_GT(accepted, 200);
  EXPECT_GT(refused, 200);
}

// ---- Mapped but contradictory: ValidateProgram names the field ------------------------------

Error ValidationErrorFor(const Json& doc) {
  auto program = ProgramFromJson(doc);
  EXPECT_TRUE(program.has_value()) << "the mapping itself accepts it: "
                                   << (program ? "" : program.error().message);
  if (!program) return Error{};
  auto status = ValidateProgram(*program);
  EXPECT_FALSE(status.has_value()) << "ValidateProgram accepted " << doc.dump();
  return status ? Error{} : status.error();
}

void ExpectValidationField(const Json& doc, const std::string& field) {
  const Error error = ValidationErrorFor(doc);
  EXPECT_EQ(error.code, Code::kInvalidArgument);
  EXPECT_EQ(error.slug, "invalid_program");
  ASSERT_NE(error.Detail("field"), nullptr) << error.message;
  EXPECT_EQ(*error.Detail("field"), field) << error.message;
}

TEST(ProgramJsonValidationTest, DefaultProgramDocumentIsValid) {
  auto program = ProgramFromJson(DefaultJson());
  ASSERT_TRUE(program.has_value());
  EXPECT_TRUE(ValidateProgram(*program).has_value());
}

TEST(ProgramJsonValidationTest, ContradictionsNameTheirField) {
  Json doc = DefaultJson();
  doc["redemption"]["max_points"] = 50;  // min_points is 100
  ExpectValidationField(doc, "redemption.max_points");

  doc = DefaultJson();
  doc["tiers"]["levels"][2]["threshold"] = 100000;  // below silver's 200000
  ExpectValidationField(doc, "tiers.levels[2].threshold");

  doc = DefaultJson();
  doc["expiry"] = {{"kind", "rolling_months"}, {"months_or_years", 0}};
  ExpectValidationField(doc, "expiry.months_or_years");

  doc = DefaultJson();
  doc["earn"]["bonus_events"] = Json::parse(R"([{"id": "e", "name": "双倍积分",
      "start_date": "2026-03-02", "end_date": "2026-03-01"}])");
  ExpectValidationField(doc, "earn.bonus_events[0].end_date");
}

// What "missing fields take the struct defaults" means for a caller that sends only a change:
// the tier list is empty, so validation stops it instead of it silently wiping the tiers.
TEST(ProgramJsonValidationTest, PartialDocumentWithoutTiersIsStoppedByValidation) {
  ExpectValidationField(Json::parse(R"({"pending_days": 7})"), "tiers.levels");
}

}  // namespace
}  // namespace loyalty
