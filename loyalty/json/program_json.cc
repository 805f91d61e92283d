// Program configuration <-> JSON. Each struct lists its fields once (Fields below); the same list
// drives writing, reading and the unknown-key check, so the three cannot drift apart.
#include "loyalty/json/program_json.h"

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "loyalty/common/utf8.h"

namespace loyalty {
namespace {

using Json = nlohmann::json;

constexpr char kSlug[] = "invalid_program";
constexpr char kRootField[] = "program";

// ---- The field lists ------------------------------------------------------------------------

template <typename S, typename T>
concept Is = std::same_as<std::remove_const_t<S>, T>;

template <typename S>
concept Record = Is<S, Rational> || Is<S, LineRule> || Is<S, BonusEvent> || Is<S, EarnRules> ||
                 Is<S, Awards> || Is<S, ExpiryPolicy> || Is<S, RedemptionRules> ||
                 Is<S, AdjustmentRules> || Is<S, TransferRules> || Is<S, TierBenefits> ||
                 Is<S, TierLevel> || Is<S, TierRules> || Is<S, ProgramConfig>;

// `v(key, member)` for every member, in declaration order; S is the struct, const or not.
template <typename V, Is<Rational> S>
void Fields(V& v, S& s) {
  v("num", s.num);
  v("den", s.den);
}
template <typename V, Is<LineRule> S>
void Fields(V& v, S& s) {
  v("match", s.match);
  v("multiplier", s.multiplier);
  v("excluded", s.excluded);
}
template <typename V, Is<BonusEvent> S>
void Fields(V& v, S& s) {
  v("id", s.id);
  v("name", s.name);
  v("start_date", s.start_date);
  v("end_date", s.end_date);
  v("weekdays", s.weekdays);
  v("start_minute", s.start_minute);
  v("end_minute", s.end_minute);
  v("store_ids", s.store_ids);
  v("multiplier", s.multiplier);
}
template <typename V, Is<EarnRules> S>
void Fields(V& v, S& s) {
  v("points", s.points);
  v("per_minor", s.per_minor);
  v("rounding", s.rounding);
  v("include_tax", s.include_tax);
  v("skus", s.skus);
  v("categories", s.categories);
  v("bonus_events", s.bonus_events);
  v("birthday_month_multiplier", s.birthday_month_multiplier);
  v("stack_multipliers", s.stack_multipliers);
}
template <typename V, Is<Awards> S>
void Fields(V& v, S& s) {
  v("enrolment", s.enrolment);
  v("profile_completion", s.profile_completion);
  v("referral_referrer", s.referral_referrer);
  v("referral_referee", s.referral_referee);
  v("max_referrals_per_member", s.max_referrals_per_member);
}
template <typename V, Is<ExpiryPolicy> S>
void Fields(V& v, S& s) {
  v("kind", s.kind);
  v("months_or_years", s.months_or_years);
}
template <typename V, Is<RedemptionRules> S>
void Fields(V& v, S& s) {
  v("points", s.points);
  v("value_minor", s.value_minor);
  v("min_points", s.min_points);
  v("max_points", s.max_points);
}
template <typename V, Is<AdjustmentRules> S>
void Fields(V& v, S& s) {
  v("approval_threshold", s.approval_threshold);
}
template <typename V, Is<TransferRules> S>
void Fields(V& v, S& s) {
  v("enabled", s.enabled);
  v("min_points", s.min_points);
  v("max_points_per_day", s.max_points_per_day);
}
template <typename V, Is<TierBenefits> S>
void Fields(V& v, S& s) {
  v("birthday_coupon_definition_id", s.birthday_coupon_definition_id);
  v("free_parking_hours", s.free_parking_hours);
  v("priority_service", s.priority_service);
}
template <typename V, Is<TierLevel> S>
void Fields(V& v, S& s) {
  v("code", s.code);
  v("name_zh", s.name_zh);
  v("name_en", s.name_en);
  v("threshold", s.threshold);
  v("earn_multiplier", s.earn_multiplier);
  v("benefits", s.benefits);
}
template <typename V, Is<TierRules> S>
void Fields(V& v, S& s) {
  v("metric", s.metric);
  v("window", s.window);
  v("review", s.review);
  v("grace_days", s.grace_days);
  v("levels", s.levels);
}
template <typename V, Is<ProgramConfig> S>
void Fields(V& v, S& s) {
  v("version", s.version);
  v("currency", s.currency);
  v("time_zone", s.time_zone);
  v("earn", s.earn);
  v("awards", s.awards);
  v("pending_days", s.pending_days);
  v("expiry", s.expiry);
  v("refund", s.refund);
  v("redemption", s.redemption);
  v("adjustments", s.adjustments);
  v("transfers", s.transfers);
  v("tiers", s.tiers);
}

// ---- Enums ----------------------------------------------------------------------------------

// Name, parse and every value of one enum; the values only feed the "one of: ..." message.
template <typename E>
struct EnumInfo {};
template <>
struct EnumInfo<Rounding> {
  static constexpr auto kName = RoundingName;
  static constexpr auto kParse = ParseRounding;
  static constexpr Rounding kAll[] = {Rounding::kFloor, Rounding::kHalfUp, Rounding::kCeil};
};
template <>
struct EnumInfo<ExpiryKind> {
  static constexpr auto kName = ExpiryKindName;
  static constexpr auto kParse = ParseExpiryKind;
  static constexpr ExpiryKind kAll[] = {ExpiryKind::kNone, ExpiryKind::kRollingMonths,
                                        ExpiryKind::kEndOfNthMonth, ExpiryKind::kEndOfYear,
                                        ExpiryKind::kInactivityMonths};
};
template <>
struct EnumInfo<RefundPolicy> {
  static constexpr auto kName = RefundPolicyName;
  static constexpr auto kParse = ParseRefundPolicy;
  static constexpr RefundPolicy kAll[] = {RefundPolicy::kOnlyPending, RefundPolicy::kWithinBalance,
                                          RefundPolicy::kAllowNegative};
};
template <>
struct EnumInfo<TierMetric> {
  static constexpr auto kName = TierMetricName;
  static constexpr auto kParse = ParseTierMetric;
  static constexpr TierMetric kAll[] = {TierMetric::kSpend, TierMetric::kPoints,
                                        TierMetric::kVisits};
};
template <>
struct EnumInfo<TierWindow> {
  static constexpr auto kName = TierWindowName;
  static constexpr auto kParse = ParseTierWindow;
  static constexpr TierWindow kAll[] = {TierWindow::kRolling12Months, TierWindow::kCalendarYear,
                                        TierWindow::kAnniversaryYear};
};
template <>
struct EnumInfo<TierReview> {
  static constexpr auto kName = TierReviewName;
  static constexpr auto kParse = ParseTierReview;
  static constexpr TierReview kAll[] = {TierReview::kDowngradeOneLevel, TierReview::kRecalculate};
};

template <typename E>
concept Enum = requires { EnumInfo<E>::kAll; };

// ---- Writing --------------------------------------------------------------------------------

Json ToJson(int64_t v) { return v; }
Json ToJson(int v) { return v; }
Json ToJson(bool v) { return v; }
Json ToJson(const std::string& v) { return v; }
Json ToJson(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }
template <Enum E>
Json ToJson(E v) {
  return EnumInfo<E>::kName(v);
}
template <typename T>
Json ToJson(const std::vector<T>& v);
template <Record S>
Json ToJson(const S& s);

struct Writer {
  Json& out;
  template <typename T>
  void operator()(const char* key, const T& value) {
    out[key] = ToJson(value);
  }
};

template <typename T>
Json ToJson(const std::vector<T>& v) {
  Json out = Json::array();
  for (const T& element : v) out.push_back(ToJson(element));
  return out;
}
template <Record S>
Json ToJson(const S& s) {
  Json out = Json::object();
  Writer writer{out};
  Fields(writer, s);
  return out;
}

// ---- Reading --------------------------------------------------------------------------------

tl::unexpected<Error> Bad(const std::string& path, const std::string& problem) {
  return InvalidField(path, kSlug, path + " " + problem);
}

std::string Child(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

// A key the client made up, made fit for a path in an error message: at most 64 bytes, cut at a
// character boundary, and '?' for bytes that are not printable UTF-8 (the message is sent as
// JSON, which must be valid UTF-8).
std::string PrintableKey(const std::string& key) {
  constexpr size_t kMax = 64;
  if (key.empty()) return "\"\"";
  std::string out;
  if (CountPrintableCodePoints(key)) {
    size_t cut = std::min(key.size(), kMax);
    while (cut < key.size() && cut > 0 && (static_cast<unsigned char>(key[cut]) & 0xC0) == 0x80) {
      --cut;  // do not split a multi-byte character
    }
    out = key.substr(0, cut);
  } else {
    for (size_t i = 0; i < key.size() && i < kMax; ++i) {
      const auto c = static_cast<unsigned char>(key[i]);
      out += (c >= 0x20 && c < 0x7F) ? static_cast<char>(c) : '?';
    }
  }
  if (out.size() < key.size()) out += "...";
  return out;
}

template <typename T>
std::string Range(T min, T max) {
  return "between " + std::to_string(min) + " and " + std::to_string(max);
}

// A JSON integer in [min, max]. Floats are refused even when integral (2.0): past 2^53 the
// parser has already rounded them, so "-9223372036854775809" would silently become -2^63.
Result<int64_t> ReadInteger(const Json& v, const std::string& path, int64_t min, int64_t max) {
  auto out_of_range = [&] { return Bad(path, "must be an integer " + Range(min, max)); };
  int64_t value = 0;
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (max < 0 || u > static_cast<uint64_t>(max)) return out_of_range();
    value = static_cast<int64_t>(u);
  } else if (v.is_number_integer()) {
    value = v.get<int64_t>();
  } else {
    return Bad(path, "must be an integer");
  }
  if (value < min || value > max) return out_of_range();
  return value;
}

Status Read(const Json& v, const std::string& path, int64_t& out) {
  auto value = ReadInteger(v, path, std::numeric_limits<int64_t>::min(),
                           std::numeric_limits<int64_t>::max());
  if (!value) return Fail(value.error());
  out = *value;
  return {};
}
Status Read(const Json& v, const std::string& path, int& out) {
  auto value =
      ReadInteger(v, path, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
  if (!value) return Fail(value.error());
  out = static_cast<int>(*value);
  return {};
}
Status Read(const Json& v, const std::string& path, bool& out) {
  if (!v.is_boolean()) return Bad(path, "must be true or false");
  out = v.get<bool>();
  return {};
}
Status Read(const Json& v, const std::string& path, std::string& out) {
  if (!v.is_string()) return Bad(path, "must be a string");
  out = v.get<std::string>();
  return {};
}
Status Read(const Json& v, const std::string& path, std::optional<std::string>& out) {
  if (v.is_null()) {
    out.reset();
    return {};
  }
  if (!v.is_string()) return Bad(path, "must be a string or null");
  out = v.get<std::string>();
  return {};
}
template <Enum E>
std::string EnumNames() {
  std::string names;
  for (E e : EnumInfo<E>::kAll) {
    names += (names.empty() ? "" : ", ") + std::string(EnumInfo<E>::kName(e));
  }
  return names;
}
template <Enum E>
Status Read(const Json& v, const std::string& path, E& out) {
  if (!v.is_string()) return Bad(path, "must be a string, one of: " + EnumNames<E>());
  const auto parsed = EnumInfo<E>::kParse(v.get_ref<const std::string&>());
  if (!parsed) return Bad(path, "must be one of: " + EnumNames<E>());
  out = *parsed;
  return {};
}
template <typename T>
Status Read(const Json& v, const std::string& path, std::vector<T>& out);
template <Record S>
Status Read(const Json& v, const std::string& path, S& out);

// Reads the fields of one object in place, remembering which keys it was asked for so that
// Finish() can refuse the rest. Missing keys leave the target untouched.
class Reader {
 public:
  Reader(const Json& json, const std::string& path) : json_(json), path_(path) {
    if (!json_.is_object()) status_ = Bad(path_, "must be an object");
  }

  template <typename T>
  void operator()(const char* key, T& out) {
    known_.push_back(key);
    if (!status_) return;
    if (auto it = json_.find(key); it != json_.end()) status_ = Read(*it, Child(path_, key), out);
  }

  // An unknown key is reported before a bad value: a misspelt key is the likelier root cause.
  Status Finish() const {
    if (!json_.is_object()) return status_;
    for (auto it = json_.begin(); it != json_.end(); ++it) {
      bool known = false;
      for (const char* k : known_) known = known || it.key() == k;
      if (!known) {
        std::string names;
        for (const char* k : known_) names += (names.empty() ? "" : ", ") + std::string(k);
        return Bad(Child(path_, PrintableKey(it.key())),
                   "is not a known field (known fields: " + names + ")");
      }
    }
    return status_;
  }

 private:
  const Json& json_;
  const std::string& path_;
  std::vector<const char*> known_;
  Status status_;
};

template <typename T>
Status Read(const Json& v, const std::string& path, std::vector<T>& out) {
  if (!v.is_array()) return Bad(path, "must be an array");
  std::vector<T> elements;
  elements.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    T element{};
    if (auto ok = Read(v[i], path + "[" + std::to_string(i) + "]", element); !ok) return ok;
    elements.push_back(std::move(element));
  }
  out = std::move(elements);
  return {};
}
template <Record S>
Status Read(const Json& v, const std::string& path, S& out) {
  // A failure may leave `out` half-written; ProgramFromJson then drops the whole program.
  Reader reader(v, path);
  Fields(reader, out);
  return reader.Finish();
}

}  // namespace

Json ProgramToJson(const ProgramConfig& program) { return ToJson(program); }

Result<ProgramConfig> ProgramFromJson(const Json& json) { return ProgramFromJson(json, {}); }

Result<ProgramConfig> ProgramFromJson(const Json& json, const ProgramConfig& base) {
  try {
    if (!json.is_object()) {
      return InvalidField(kRootField, kSlug, std::string(kRootField) + " must be a JSON object");
    }
    ProgramConfig program = base;
    if (auto ok = Read(json, "", program); !ok) return Fail(ok.error());
    return program;
  } catch (const std::exception& e) {
    // Every access above checks the type first; reaching here is a bug, not bad input.
    return Fail(Code::kInternal, "program_json_failed",
                std::string("reading the program failed: ") + e.what());
  }
}

}  // namespace loyalty
