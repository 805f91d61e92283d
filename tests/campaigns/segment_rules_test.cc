// Segment rules (campaigns/domain/segment.*) and their JSON codec (campaigns/json/segment_json.*).
#include <date/date.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "campaigns/domain/segment.h"
#include "campaigns/json/segment_json.h"
#include "tests/json/json_mutator.h"

namespace loyalty {
namespace {

using Json = nlohmann::json;

constexpr char kSlug[] = "invalid_segment";

// The program's tiers the segments below are checked against.
const std::vector<std::string> kProgramTiers = {"basic", "silver", "gold", "platinum"};

Instant At(int y, unsigned m, unsigned d, int hour = 0, int64_t micros = 0) {
  return Instant{date::sys_days{date::year{y} / m / d}} + std::chrono::hours{hour} +
         std::chrono::microseconds{micros};
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Every rule kind set, values away from the defaults, and still valid for kProgramTiers.
Segment FullSegment() {
  Segment s;
  s.id = "seg-1";
  s.name_zh = "高价值会员";
  s.name_en = "High-value members";
  s.description = "Gold and above who bought dairy this spring";
  s.created_at = At(2026, 2, 14, 9, 250000);
  s.created_by = "staff-7";
  SegmentRules& r = s.rules;
  r.tiers = {"gold", "platinum"};
  r.home_store_ids = {"S1", "sh-001"};
  r.enrolled_days = IntRange{30, 3650};
  r.points_available = IntRange{1000, std::nullopt};
  r.consents = {ConsentChannel::kSms, ConsentChannel::kWechat};
  r.lifecycle = {LifecycleStage::kActive, LifecycleStage::kAtRisk};
  r.rfm = RfmRule{{4, 5}, {5}, {1, 3, 5}};
  PurchaseRule spring;
  spring.skus = {"6901234567890"};
  spring.categories = {"dairy", "snacks"};
  spring.store_ids = {"S1"};
  spring.since = At(2026, 3, 1);
  spring.until = At(2026, 3, 31, 16, 500000);
  spring.count = IntRange{2, 10};
  spring.spend_minor = IntRange{10000, std::nullopt};
  PurchaseRule did_not_buy;
  did_not_buy.categories = {"tobacco"};
  did_not_buy.within_days = 90;
  did_not_buy.count = IntRange{std::nullopt, 0};
  r.purchases = {spring, did_not_buy};
  return s;
}

// What a client sends back: the written document without the server-assigned fields.
Json ClientJson(const Segment& s) {
  Json j = SegmentToJson(s);
  for (const char* key : {"id", "created_at", "created_by"}) j.erase(key);
  return j;
}

// `error` is invalid_segment naming `field`, with a message that starts with it.
void ExpectInvalidSegment(const Error& error, const std::string& field) {
  EXPECT_EQ(error.code, Code::kInvalidArgument) << error.message;
  EXPECT_EQ(error.slug, kSlug) << error.message;
  const std::string* detail = error.Detail("field");
  ASSERT_NE(detail, nullptr) << error.message;
  EXPECT_EQ(*detail, field) << error.message;
  EXPECT_EQ(error.message.rfind(field + " ", 0), 0u)
      << "message should start with the field: " << error.message;
}

// `json` is refused by the codec naming `field`; returns the message.
std::string ExpectRefused(const Json& json, const std::string& field, bool stored = false) {
  auto result = SegmentFromJson(json, stored);
  if (result.has_value()) {
    ADD_FAILURE() << "accepted " << json.dump() << ", expected a refusal naming " << field;
    return "";
  }
  ExpectInvalidSegment(result.error(), field);
  return result.error().message;
}

// `segment` fails ValidateSegment naming `field`; returns the message.
std::string ExpectInvalid(const Segment& segment, const std::string& field) {
  auto status = ValidateSegment(segment, kProgramTiers);
  if (status.has_value()) {
    ADD_FAILURE() << "accepted " << SegmentToJson(segment).dump() << ", expected a refusal naming "
                  << field;
    return "";
  }
  ExpectInvalidSegment(status.error(), field);
  return status.error().message;
}

// ---- Shape and round trips ------------------------------------------------------------------

TEST(SegmentToJsonTest, HasTheDocumentedShape) {
  const Json j = SegmentToJson(FullSegment());
  EXPECT_EQ(j.size(), 7u) << j.dump();
  EXPECT_EQ(j["id"], "seg-1");
  EXPECT_EQ(j["name_zh"], "高价值会员");
  EXPECT_EQ(j["created_at"], "2026-02-14T09:00:00.250000Z");
  EXPECT_EQ(j["created_by"], "staff-7");
  const Json& r = j["rules"];
  EXPECT_EQ(r.size(), 8u) << r.dump();
  EXPECT_EQ(r["tiers"], (Json{"gold", "platinum"}));
  EXPECT_EQ(r["enrolled_days"], (Json{{"min", 30}, {"max", 3650}}));
  EXPECT_EQ(r["points_available"], (Json{{"min", 1000}, {"max", nullptr}}));
  EXPECT_EQ(r["consents"], (Json{"sms", "wechat"}));
  EXPECT_EQ(r["lifecycle"], (Json{"active", "at_risk"}));
  EXPECT_EQ(r["rfm"], (Json{{"recency", {4, 5}}, {"frequency", {5}}, {"monetary", {1, 3, 5}}}));
  const Json& p = r["purchases"][0];
  EXPECT_EQ(p.size(), 8u) << p.dump();
  EXPECT_EQ(p["since"], "2026-03-01T00:00:00.000000Z");
  EXPECT_EQ(p["until"], "2026-03-31T16:00:00.500000Z");
  EXPECT_EQ(p["within_days"], 0);
  EXPECT_EQ(p["count"], (Json{{"min", 2}, {"max", 10}}));
  EXPECT_TRUE(r["purchases"][1]["since"].is_null());
  EXPECT_EQ(r["purchases"][1]["count"], (Json{{"min", nullptr}, {"max", 0}}));
}

TEST(SegmentJsonRoundTripTest, FullSegmentReadsBackTheSame) {
  const Segment s = FullSegment();
  const Json client = ClientJson(s);
  auto back = SegmentFromJson(client);
  ASSERT_TRUE(back.has_value()) << back.error().message << " for " << client.dump();
  EXPECT_TRUE(back->id.empty());
  EXPECT_TRUE(back->created_by.empty());
  EXPECT_EQ(ClientJson(*back), client);
  ASSERT_EQ(back->rules.purchases.size(), 2u);
  EXPECT_EQ(back->rules.purchases[0].since, s.rules.purchases[0].since);
  EXPECT_EQ(back->rules.purchases[0].until, s.rules.purchases[0].until);
  EXPECT_TRUE(ValidateSegment(*back, kProgramTiers).has_value());
}

TEST(SegmentJsonRoundTripTest, OffsetsAreConvertedToUtc) {
  // What a marketer in Shanghai types: local times with +08:00, both names, every rule kind.
  const Json sent = {{"name_zh", "春季乳品买家"},
                     {"name_en", "Spring dairy buyers"},
                     {"description", "买过乳品的金卡会员"},
                     {"rules",
                      {{"tiers", {"gold"}},
                       {"home_store_ids", {"S1"}},
                       {"enrolled_days", {{"min", 30}}},
                       {"points_available", {{"max", 5000}}},
                       {"consents", {"email"}},
                       {"lifecycle", {"new", "never_purchased", "active", "at_risk", "lapsed"}},
                       {"rfm", {{"recency", {5}}, {"frequency", {4, 5}}, {"monetary", {3}}}},
                       {"purchases",
                        {{{"skus", {"6901234567890"}},
                          {"categories", {"dairy"}},
                          {"store_ids", {"S1", "S2"}},
                          {"within_days", 0},
                          {"since", "2026-03-01T08:00:00+08:00"},
                          {"until", "2026-04-01T00:00:00.5+08:00"},
                          {"count", {{"min", 2}, {"max", nullptr}}},
                          {"spend_minor", {{"min", 10000}, {"max", 500000}}}}}}}}};
  auto s = SegmentFromJson(sent);
  ASSERT_TRUE(s.has_value()) << s.error().message;
  ASSERT_EQ(s->rules.purchases.size(), 1u);
  const PurchaseRule& p = s->rules.purchases[0];
  EXPECT_EQ(p.since, At(2026, 3, 1));
  EXPECT_EQ(p.until, At(2026, 3, 31, 16, 500000));
  EXPECT_EQ(s->rules.lifecycle.size(), 5u);

  const Json written = ClientJson(*s);
  EXPECT_EQ(written["rules"]["purchases"][0]["since"], "2026-03-01T00:00:00.000000Z");
  EXPECT_EQ(written["rules"]["purchases"][0]["until"], "2026-03-31T16:00:00.500000Z");
  EXPECT_EQ(written["name_zh"], "春季乳品买家");
  EXPECT_EQ(written["name_en"], "Spring dairy buyers");
  // The UTC form reads back to the same document.
  auto again = SegmentFromJson(written);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(ClientJson(*again), written);
}

// ---- Defaults -------------------------------------------------------------------------------

TEST(SegmentFromJsonTest, EmptyDocumentIsTheDefaultSegment) {
  auto s = SegmentFromJson(Json::object());
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(ClientJson(*s), ClientJson(Segment{}));
  auto empty_rules = SegmentFromJson({{"name_en", "All"}, {"rules", Json::object()}});
  ASSERT_TRUE(empty_rules.has_value()) << empty_rules.error().message;
  EXPECT_TRUE(empty_rules->rules.purchases.empty());
  EXPECT_FALSE(empty_rules->rules.enrolled_days.min.has_value());
  EXPECT_FALSE(empty_rules->rules.points_available.max.has_value());
  EXPECT_TRUE(ValidateSegment(*empty_rules, kProgramTiers).has_value());
}

TEST(SegmentFromJsonTest, EmptyPurchaseRuleMeansBoughtAtLeastOnce) {
  auto s = SegmentFromJson({{"rules", {{"purchases", {Json::object()}}}}});
  ASSERT_TRUE(s.has_value()) << s.error().message;
  ASSERT_EQ(s->rules.purchases.size(), 1u);
  const PurchaseRule& p = s->rules.purchases[0];
  EXPECT_EQ(p.count.min, 1);
  EXPECT_FALSE(p.count.max.has_value());
  EXPECT_FALSE(p.spend_minor.min.has_value());
  EXPECT_FALSE(p.spend_minor.max.has_value());
  EXPECT_EQ(p.within_days, 0);
  EXPECT_FALSE(p.since.has_value());
  EXPECT_FALSE(p.until.has_value());
  EXPECT_TRUE(p.skus.empty() && p.categories.empty() && p.store_ids.empty());
  // A count that is sent replaces the default as a whole: {} has no bounds at all.
  auto c = SegmentFromJson({{"rules", {{"purchases", {{{"count", Json::object()}}}}}}});
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_FALSE(c->rules.purchases[0].count.min.has_value());
  EXPECT_FALSE(c->rules.purchases[0].count.max.has_value());
}

TEST(SegmentFromJsonTest, NullOrAbsentRangeEndsAreUnset) {
  struct Case {
    Json range;
    std::optional<int64_t> min;
    std::optional<int64_t> max;
  };
  const Case cases[] = {
      {Json::object(), std::nullopt, std::nullopt},
      {{{"min", nullptr}, {"max", nullptr}}, std::nullopt, std::nullopt},
      {{{"min", 5}}, 5, std::nullopt},
      {{{"max", 7}}, std::nullopt, 7},
      {{{"min", nullptr}, {"max", 0}}, std::nullopt, 0},
      {{{"min", 0}, {"max", 0}}, 0, 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.range.dump());
    auto s = SegmentFromJson({{"rules",
                               {{"enrolled_days", c.range},
                                {"points_available", c.range},
                                {"purchases", {{{"spend_minor", c.range}}}}}}});
    ASSERT_TRUE(s.has_value()) << s.error().message;
    for (const IntRange* r : {&s->rules.enrolled_days, &s->rules.points_available,
                              &s->rules.purchases[0].spend_minor}) {
      EXPECT_EQ(r->min, c.min);
      EXPECT_EQ(r->max, c.max);
    }
  }
  // A null min on count clears the default of 1.
  auto n = SegmentFromJson({{"rules", {{"purchases", {{{"count", {{"min", nullptr}}}}}}}}});
  ASSERT_TRUE(n.has_value()) << n.error().message;
  EXPECT_FALSE(n->rules.purchases[0].count.min.has_value());
}

TEST(LifecycleStageTest, NamesParseBack) {
  for (LifecycleStage stage : kAllLifecycleStages) {
    EXPECT_EQ(ParseLifecycleStage(LifecycleStageName(stage)), stage) << LifecycleStageName(stage);
  }
  EXPECT_FALSE(ParseLifecycleStage("Active").has_value());
  EXPECT_FALSE(ParseLifecycleStage("").has_value());
}

// ---- Refused by the codec, each naming the dotted field -------------------------------------

TEST(SegmentFromJsonErrorTest, BadDocumentsNameTheField) {
  struct Case {
    const char* what;
    Json doc;
    std::string field;
    std::string says;
  };
  const Json purchase_with_skuz = {{"rules", {{"purchases", {{{"skuz", {"6901234567890"}}}}}}}};
  const Case cases[] = {
      {"unknown key at the top", {{"name", "x"}}, "name", "is not a known field"},
      {"unknown key in rules",
       {{"rules", {{"tier", Json::array()}}}},
       "rules.tier",
       "is not a known field"},
      {"unknown key in a purchase rule", purchase_with_skuz, "rules.purchases[0].skuz",
       "is not a known field (known fields: skus, categories"},
      {"unknown key in rfm",
       {{"rules", {{"rfm", {{"recent", {5}}}}}}},
       "rules.rfm.recent",
       "is not a known field"},
      {"unknown key in a range",
       {{"rules", {{"enrolled_days", {{"minimum", 1}}}}}},
       "rules.enrolled_days.minimum",
       "is not a known field"},
      {"unknown key in a second purchase's count",
       {{"rules", {{"purchases", {Json::object(), {{"count", {{"atleast", 1}}}}}}}}},
       "rules.purchases[1].count.atleast",
       "is not a known field"},
      {"unknown key before a bad value",
       {{"rules", {{"tiers", 5}, {"tierz", Json::array()}}}},
       "rules.tierz",
       "is not a known field"},
      {"tiers as a string", {{"rules", {{"tiers", "gold"}}}}, "rules.tiers", "must be an array"},
      {"a tier as a number",
       {{"rules", {{"tiers", {"gold", 3}}}}},
       "rules.tiers[1]",
       "must be a string"},
      {"score as 1.5",
       {{"rules", {{"rfm", {{"recency", {5, 1.5}}}}}}},
       "rules.rfm.recency[1]",
       "must be an integer"},
      {"score as 5.0",
       {{"rules", {{"rfm", {{"monetary", {5.0}}}}}}},
       "rules.rfm.monetary[0]",
       "must be an integer"},
      {"count.min as a string",
       {{"rules", {{"purchases", {{{"count", {{"min", "1"}}}}}}}}},
       "rules.purchases[0].count.min",
       "must be an integer"},
      {"points max as a string",
       {{"rules", {{"points_available", {{"max", "1000"}}}}}},
       "rules.points_available.max",
       "must be an integer"},
      {"within_days past int",
       {{"rules", {{"purchases", {{{"within_days", int64_t{1} << 31}}}}}}},
       "rules.purchases[0].within_days",
       "must be an integer between"},
      {"spend past int64",
       {{"rules", {{"purchases", {{{"spend_minor", {{"max", uint64_t{1} << 63}}}}}}}}},
       "rules.purchases[0].spend_minor.max",
       "must be an integer between"},
      {"name as a number", {{"name_zh", 5}}, "name_zh", "must be a string"},
      {"description as null", {{"description", nullptr}}, "description", "must be a string"},
      {"rules as null", {{"rules", nullptr}}, "rules", "must be an object"},
      {"rules as an array", {{"rules", Json::array()}}, "rules", "must be an object"},
      {"a range as a number",
       {{"rules", {{"enrolled_days", 30}}}},
       "rules.enrolled_days",
       "must be an object"},
      {"purchases as an object",
       {{"rules", {{"purchases", Json::object()}}}},
       "rules.purchases",
       "must be an array"},
      {"a purchase rule as a string",
       {{"rules", {{"purchases", {"dairy"}}}}},
       "rules.purchases[0]",
       "must be an object"},
      {"unknown consent channel",
       {{"rules", {{"consents", {"sms", "fax"}}}}},
       "rules.consents[1]",
       "must be one of: sms, email, wechat"},
      {"consent channel in capitals",
       {{"rules", {{"consents", {"SMS"}}}}},
       "rules.consents[0]",
       "must be one of: sms, email, wechat"},
      {"consent channel as a number",
       {{"rules", {{"consents", {1}}}}},
       "rules.consents[0]",
       "must be a string, one of: sms, email, wechat"},
      {"unknown lifecycle stage",
       {{"rules", {{"lifecycle", {"active", "dormant"}}}}},
       "rules.lifecycle[1]",
       "must be one of: new, never_purchased, active, at_risk, lapsed"},
      {"lifecycle stage with a capital",
       {{"rules", {{"lifecycle", {"Active"}}}}},
       "rules.lifecycle[0]",
       "must be one of: new, never_purchased, active, at_risk, lapsed"},
      {"month 13",
       {{"rules", {{"purchases", {{{"since", "2026-13-01T00:00:00Z"}}}}}}},
       "rules.purchases[0].since",
       "must be an RFC 3339 instant"},
      {"date without a time",
       {{"rules", {{"purchases", {{{"until", "2026-04-01"}}}}}}},
       "rules.purchases[0].until",
       "must be an RFC 3339 instant"},
      {"time without an offset",
       {{"rules", {{"purchases", {{{"until", "2026-04-01T00:00:00"}}}}}}},
       "rules.purchases[0].until",
       "must be an RFC 3339 instant"},
      {"instant as a number",
       {{"rules", {{"purchases", {{{"since", 1772323200}}}}}}},
       "rules.purchases[0].since",
       "must be an RFC 3339 instant"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    const std::string message = ExpectRefused(c.doc, c.field);
    EXPECT_TRUE(Contains(message, c.says)) << message;
  }
}

TEST(SegmentFromJsonErrorTest, DocumentThatIsNotAnObject) {
  for (const Json& doc : {Json(nullptr), Json::array(), Json("segment"), Json(1), Json(true)}) {
    SCOPED_TRACE(doc.dump());
    EXPECT_TRUE(Contains(ExpectRefused(doc, "segment"), "must be a JSON object"));
    ExpectRefused(doc, "segment", /*stored=*/true);
  }
}

TEST(SegmentFromJsonErrorTest, ServerAssignedFieldsAreRefusedFromClients) {
  const Json written = SegmentToJson(FullSegment());
  for (const char* key : {"id", "created_at", "created_by"}) {
    SCOPED_TRACE(key);
    Json doc = ClientJson(FullSegment());
    doc[key] = written[key];
    EXPECT_TRUE(Contains(ExpectRefused(doc, key), "must not be sent: the server assigns it"));
    // Even empty or null: the key itself is the mistake.
    ExpectRefused({{key, ""}}, key);
    ExpectRefused({{key, nullptr}}, key);
  }
}

TEST(SegmentFromJsonTest, StoredSegmentsKeepTheServerAssignedFields) {
  const Segment s = FullSegment();
  auto back = SegmentFromJson(SegmentToJson(s), /*stored=*/true);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->id, "seg-1");
  EXPECT_EQ(back->created_at, s.created_at);
  EXPECT_EQ(back->created_by, "staff-7");
  EXPECT_EQ(SegmentToJson(*back), SegmentToJson(s));
  // Stored documents are read just as strictly.
  Json bad_time = SegmentToJson(s);
  bad_time["created_at"] = "yesterday";
  ExpectRefused(bad_time, "created_at", /*stored=*/true);
  Json null_time = SegmentToJson(s);
  null_time["created_at"] = nullptr;
  ExpectRefused(null_time, "created_at", /*stored=*/true);
  Json extra = SegmentToJson(s);
  extra["updated_at"] = "2026-03-01T00:00:00Z";
  ExpectRefused(extra, "updated_at", /*stored=*/true);
}

TEST(SegmentFromJsonErrorTest, HostileKeysAreMadeSafeForTheMessage) {
  auto result = SegmentFromJson({{"rules", {{"rfm", {{"bad\xff\x01", 1}}}}}});
  ASSERT_FALSE(result.has_value());
  ExpectInvalidSegment(result.error(), "rules.rfm.bad??");
  EXPECT_NO_THROW((void)Json(result.error().message).dump());
}

// ---- ValidateSegment ------------------------------------------------------------------------

TEST(ValidateSegmentTest, ValidSegmentsPass) {
  EXPECT_TRUE(ValidateSegment(FullSegment(), kProgramTiers).has_value());
  Segment only_en;
  only_en.name_en = "Everyone";
  EXPECT_TRUE(ValidateSegment(only_en, {}).has_value());
  Segment only_zh;
  only_zh.name_zh = "全部会员";
  EXPECT_TRUE(ValidateSegment(only_zh, kProgramTiers).has_value());

  // Every limit exactly at its bound.
  Segment edge = FullSegment();
  edge.name_zh = std::string(120, 'a');
  edge.name_en = std::string(120, 'b');
  edge.description = std::string(1000, 'c');
  edge.rules.home_store_ids = std::vector<std::string>(kMaxSegmentListSize, "S1");
  edge.rules.tiers = {std::string("basic")};
  edge.rules.rfm = RfmRule{{1, 5}, {1}, {5}};
  edge.rules.enrolled_days = IntRange{0, 0};
  edge.rules.points_available = IntRange{std::nullopt, 0};
  PurchaseRule p;
  p.skus = {std::string(64, 'x')};
  p.within_days = kMaxPeriodDays;
  p.since = At(2026, 3, 1);
  p.until = At(2026, 3, 1) + std::chrono::microseconds{1};
  p.count = IntRange{0, 0};
  p.spend_minor = IntRange{0, std::numeric_limits<int64_t>::max()};
  edge.rules.purchases = std::vector<PurchaseRule>(kMaxPurchaseRules, p);
  auto ok = ValidateSegment(edge, kProgramTiers);
  EXPECT_TRUE(ok.has_value()) << ok.error().message;
}

TEST(ValidateSegmentTest, ProblemsNameTheFieldAndSayWhatIsAccepted) {
  struct Case {
    const char* what;
    std::function<void(Segment&)> change;
    std::string field;
    std::string says;
  };
  const std::vector<std::string> too_many(kMaxSegmentListSize + 1, "S1");
  const Case cases[] = {
      {"no name at all",
       [](Segment& s) {
         s.name_zh.clear();
         s.name_en.clear();
       },
       "name_zh", "or name_en must be given"},
      {"name_zh too long", [](Segment& s) { s.name_zh = std::string(121, 'a'); }, "name_zh",
       "at most 120"},
      {"name_zh too long in Chinese",
       [](Segment& s) {
         s.name_zh.clear();
         for (int i = 0; i < 41; ++i) s.name_zh += "会";  // 3 bytes each
       },
       "name_zh", "at most 120"},
      {"name_en too long", [](Segment& s) { s.name_en = std::string(121, 'a'); }, "name_en",
       "at most 120"},
      {"description too long", [](Segment& s) { s.description = std::string(1001, 'd'); },
       "description", "at most 1000"},
      {"tier not in the program",
       [](Segment& s) {
         s.rules.tiers = {"gold", "diamond"};
       },
       "rules.tiers[1]", "is not a tier of the program (basic, silver, gold, platinum)"},
      {"empty tier", [](Segment& s) { s.rules.tiers = {""}; }, "rules.tiers[0]",
       "must be 1 to 64 characters"},
      {"too many tiers", [&](Segment& s) { s.rules.tiers = too_many; }, "rules.tiers",
       "at most 200 entries"},
      {"too many home stores", [&](Segment& s) { s.rules.home_store_ids = too_many; },
       "rules.home_store_ids", "at most 200 entries"},
      {"home store id too long",
       [](Segment& s) {
         s.rules.home_store_ids = {"S1", std::string(65, 's')};
       },
       "rules.home_store_ids[1]", "must be 1 to 64 characters"},
      {"enrolled_days min above max",
       [](Segment& s) {
         s.rules.enrolled_days = IntRange{10, 5};
       },
       "rules.enrolled_days.max", "must not be below min (10)"},
      {"negative enrolled_days min",
       [](Segment& s) {
         s.rules.enrolled_days = IntRange{-1, 5};
       },
       "rules.enrolled_days.min", "must be at least 0"},
      {"negative points max",
       [](Segment& s) {
         s.rules.points_available = IntRange{std::nullopt, -1};
       },
       "rules.points_available.max", "must be at least 0"},
      {"points min above max",
       [](Segment& s) {
         s.rules.points_available = IntRange{5000, 4999};
       },
       "rules.points_available.max", "must not be below min (5000)"},
      {"recency score 0", [](Segment& s) { s.rules.rfm.recency = {0}; }, "rules.rfm.recency[0]",
       "must be a score from 1 to 5"},
      {"frequency score 6",
       [](Segment& s) {
         s.rules.rfm.frequency = {5, 6};
       },
       "rules.rfm.frequency[1]", "must be a score from 1 to 5"},
      {"negative monetary score", [](Segment& s) { s.rules.rfm.monetary = {-1}; },
       "rules.rfm.monetary[0]", "must be a score from 1 to 5"},
      {"too many purchase rules",
       [](Segment& s) {
         s.rules.purchases = std::vector<PurchaseRule>(kMaxPurchaseRules + 1, PurchaseRule{});
       },
       "rules.purchases", "at most 10 purchase rules"},
      {"empty sku",
       [](Segment& s) {
         s.rules.purchases[0].skus = {"6901234567890", ""};
       },
       "rules.purchases[0].skus[1]", "must be 1 to 64 characters"},
      {"category too long",
       [](Segment& s) { s.rules.purchases[1].categories = {std::string(65, 'c')}; },
       "rules.purchases[1].categories[0]", "must be 1 to 64 characters"},
      {"too many skus", [&](Segment& s) { s.rules.purchases[0].skus = too_many; },
       "rules.purchases[0].skus", "at most 200 entries"},
      {"too many categories", [&](Segment& s) { s.rules.purchases[1].categories = too_many; },
       "rules.purchases[1].categories", "at most 200 entries"},
      {"too many stores", [&](Segment& s) { s.rules.purchases[0].store_ids = too_many; },
       "rules.purchases[0].store_ids", "at most 200 entries"},
      {"negative within_days", [](Segment& s) { s.rules.purchases[1].within_days = -1; },
       "rules.purchases[1].within_days", "between 0 (no bound) and 3660"},
      {"within_days past the limit",
       [](Segment& s) { s.rules.purchases[1].within_days = kMaxPeriodDays + 1; },
       "rules.purchases[1].within_days", "between 0 (no bound) and 3660"},
      {"since equal to until",
       [](Segment& s) { s.rules.purchases[0].until = s.rules.purchases[0].since; },
       "rules.purchases[0].until", "must be after since"},
      {"since after until",
       [](Segment& s) {
         s.rules.purchases[0].since = At(2026, 4, 1);
         s.rules.purchases[0].until = At(2026, 3, 1);
       },
       "rules.purchases[0].until", "must be after since"},
      {"count min above max",
       [](Segment& s) {
         s.rules.purchases[0].count = IntRange{3, 2};
       },
       "rules.purchases[0].count.max", "must not be below min (3)"},
      {"negative count max",
       [](Segment& s) {
         s.rules.purchases[1].count = IntRange{std::nullopt, -1};
       },
       "rules.purchases[1].count.max", "must be at least 0"},
      {"negative spend min",
       [](Segment& s) {
         s.rules.purchases[1].spend_minor = IntRange{-100, std::nullopt};
       },
       "rules.purchases[1].spend_minor.min", "must be at least 0"},
      {"spend min above max",
       [](Segment& s) {
         s.rules.purchases[0].spend_minor = IntRange{20000, 10000};
       },
       "rules.purchases[0].spend_minor.max", "must not be below min (20000)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    Segment s = FullSegment();
    c.change(s);
    const std::string message = ExpectInvalid(s, c.field);
    EXPECT_TRUE(Contains(message, c.says)) << message;
  }
}

// {"max": 0} is "did not buy": a count that is sent replaces the default {min: 1} whole, so the
// rule has no min and passes validation.
TEST(SegmentJsonAndValidationTest, DidNotBuyWithOnlyMaxZeroIsAccepted) {
  Json doc = {{"name_en", "Lapsed dairy buyers"},
              {"rules", {{"purchases", {{{"categories", {"dairy"}}, {"count", {{"max", 0}}}}}}}}};
  auto s = SegmentFromJson(doc);
  ASSERT_TRUE(s.has_value()) << s.error().message;
  auto ok = ValidateSegment(*s, kProgramTiers);
  EXPECT_TRUE(ok.has_value()) << ok.error().message;
}

// ---- Never throws ---------------------------------------------------------------------------

TEST(SegmentFromJsonFuzzTest, MutatedSegmentsNeverThrow) {
  testing::JsonMutator mutator(
      20260314, {{5, 6, kMaxPeriodDays, kMaxPeriodDays + 1},
                 {"", "gold", "sms", "fax", "active", "dormant", "2026-03-01T08:00:00+08:00",
                  "2026-13-01T00:00:00Z", "9999-12-31T23:59:59-23:59", "高价值", "bad\xff utf8"},
                 {"rules", "purchases", "count", "min", "max", "since", "until", "rfm", "recency",
                  "tiers", "skuz", "id", "created_at", "", "a.b[0]", "\xc3", "~/"}});
  const Json seed = ClientJson(FullSegment());
  int accepted = 0;
  int refused = 0;
  for (int iteration = 0; iteration < 2000; ++iteration) {
    Json doc = seed;
    for (int n = 1 + mutator.Pick(4); n > 0; --n) mutator.Mutate(doc);
    const auto shown = [&doc] { return doc.dump(-1, ' ', false, Json::error_handler_t::replace); };
    Result<Segment> result;
    ASSERT_NO_THROW(result = SegmentFromJson(doc)) << shown();
    if (result.has_value()) {
      ++accepted;
      ASSERT_NO_THROW((void)ValidateSegment(*result, kProgramTiers)) << shown();
      const Json written = ClientJson(*result);
      auto again = SegmentFromJson(written);
      ASSERT_TRUE(again.has_value()) << again.error().message << " for " << shown();
      ASSERT_EQ(ClientJson(*again), written) << shown();
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
