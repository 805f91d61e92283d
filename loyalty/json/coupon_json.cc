// Coupon definition <-> JSON. Each struct lists its fields once (Fields below); the same list
// drives writing, reading and the unknown-key check, so the three cannot drift apart. Mirrors
// program_json.cc.
#include "loyalty/json/coupon_json.h"

#include <algorithm>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <exception>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <date/date.h>

#include "loyalty/common/time_format.h"
#include "loyalty/common/utf8.h"

namespace loyalty {
namespace {

using Json = nlohmann::json;

constexpr char kSlug[] = "invalid_coupon_definition";
constexpr char kRootField[] = "coupon_definition";

// ---- The field lists ------------------------------------------------------------------------

template <typename S, typename T>
concept Is = std::same_as<std::remove_const_t<S>, T>;

template <typename S>
concept Record = Is<S, Rational> || Is<S, CouponTier> || Is<S, CouponScope> ||
                 Is<S, CouponValidity> || Is<S, CouponStacking> || Is<S, CouponDefinition>;

// `v(key, member)` for every member, in declaration order; S is the struct, const or not.
template <typename V, Is<Rational> S>
void Fields(V& v, S& s) {
  v("num", s.num);
  v("den", s.den);
}
template <typename V, Is<CouponTier> S>
void Fields(V& v, S& s) {
  v("threshold_minor", s.threshold_minor);
  v("off_minor", s.off_minor);
}
template <typename V, Is<CouponScope> S>
void Fields(V& v, S& s) {
  v("skus", s.skus);
  v("categories", s.categories);
  v("store_ids", s.store_ids);
}
template <typename V, Is<CouponValidity> S>
void Fields(V& v, S& s) {
  v("valid_from", s.valid_from);
  v("valid_until", s.valid_until);
  v("days_after_issue", s.days_after_issue);
}
template <typename V, Is<CouponStacking> S>
void Fields(V& v, S& s) {
  v("group", s.group);
  v("exclusive", s.exclusive);
  v("priority", s.priority);
}
// "id" is written but refused on reading (CouponDefinitionFromJson checks it before Fields runs,
// so reading it here only makes it a known key).
template <typename V, Is<CouponDefinition> S>
void Fields(V& v, S& s) {
  v("id", s.id);
  v("name_zh", s.name_zh);
  v("name_en", s.name_en);
  v("kind", s.kind);
  v("percent_bp", s.percent_bp);
  v("cap_minor", s.cap_minor);
  v("amount_minor", s.amount_minor);
  v("tiers", s.tiers);
  v("free_sku", s.free_sku);
  v("buy_qty", s.buy_qty);
  v("get_qty", s.get_qty);
  v("points_multiplier", s.points_multiplier);
  v("scope", s.scope);
  v("min_spend_minor", s.min_spend_minor);
  v("validity", s.validity);
  v("stacking", s.stacking);
}

// ---- Enums ----------------------------------------------------------------------------------

template <typename E>
struct EnumInfo {};
template <>
struct EnumInfo<CouponKind> {
  static constexpr auto kName = CouponKindName;
  static constexpr auto kParse = ParseCouponKind;
  static constexpr CouponKind kAll[] = {CouponKind::kPercentOff,     CouponKind::kFixedAmount,
                                        CouponKind::kThresholdTiers, CouponKind::kFreeItem,
                                        CouponKind::kBuyXGetY,       CouponKind::kPointsMultiplier};
};

template <typename E>
concept Enum = requires { EnumInfo<E>::kAll; };

// ---- Instants -------------------------------------------------------------------------------

// Strict RFC 3339: "YYYY-MM-DDTHH:MM:SS", an optional fraction of 1 to 6 digits (an Instant holds
// microseconds; more digits would be silently dropped), then "Z" or "+HH:MM" / "-HH:MM". Upper
// case 'T' and 'Z' only, no leap second (:60), a real calendar day, and a UTC result in years
// 0000..9999 so that FormatInstant writes it back in the same form.
std::optional<Instant> ParseInstant(std::string_view text) {
  size_t pos = 0;
  auto digits = [&](size_t n) -> std::optional<int> {
    if (pos + n > text.size()) return std::nullopt;
    int value = 0;
    for (size_t i = 0; i < n; ++i) {
      const char c = text[pos + i];
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    pos += n;
    return value;
  };
  auto literal = [&](char c) {
    if (pos >= text.size() || text[pos] != c) return false;
    ++pos;
    return true;
  };
  const auto year = digits(4);
  if (!year || !literal('-')) return std::nullopt;
  const auto month = digits(2);
  if (!month || !literal('-')) return std::nullopt;
  const auto day = digits(2);
  if (!day || !literal('T')) return std::nullopt;
  const auto hour = digits(2);
  if (!hour || !literal(':')) return std::nullopt;
  const auto minute = digits(2);
  if (!minute || !literal(':')) return std::nullopt;
  const auto second = digits(2);
  if (!second) return std::nullopt;
  if (*hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
  int64_t micros = 0;
  if (literal('.')) {
    int count = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (++count > 6) return std::nullopt;
      micros = micros * 10 + (text[pos] - '0');
      ++pos;
    }
    if (count == 0) return std::nullopt;
    for (int i = count; i < 6; ++i) micros *= 10;
  }
  int offset_minutes = 0;
  if (!literal('Z')) {
    int sign = 0;
    if (literal('+')) {
      sign = 1;
    } else if (literal('-')) {
      sign = -1;
    } else {
      return std::nullopt;
    }
    const auto off_hour = digits(2);
    if (!off_hour || !literal(':')) return std::nullopt;
    const auto off_minute = digits(2);
    if (!off_minute || *off_hour > 23 || *off_minute > 59) return std::nullopt;
    offset_minutes = sign * (*off_hour * 60 + *off_minute);
  }
  if (pos != text.size()) return std::nullopt;
  const date::year_month_day ymd{date::year{*year}, date::month{static_cast<unsigned>(*month)},
                                 date::day{static_cast<unsigned>(*day)}};
  if (!ymd.ok()) return std::nullopt;
  using std::chrono::hours;
  using std::chrono::microseconds;
  using std::chrono::minutes;
  using std::chrono::seconds;
  // Local time minus the offset is UTC ("+08:00" is eight hours ahead of UTC).
  const Instant t = Instant{date::sys_days{ymd}} + hours{*hour} + minutes{*minute} +
                    seconds{*second} + microseconds{micros} - minutes{offset_minutes};
  const Instant min = Instant{date::sys_days{date::year{0} / 1 / 1}};
  const Instant end = Instant{date::sys_days{date::year{10000} / 1 / 1}};
  if (t < min || t >= end) return std::nullopt;
  return t;
}

// ---- Writing --------------------------------------------------------------------------------

Json ToJson(int64_t v) { return v; }
Json ToJson(int v) { return v; }
Json ToJson(bool v) { return v; }
Json ToJson(const std::string& v) { return v; }
Json ToJson(const std::optional<Instant>& v) { return v ? Json(FormatInstant(*v)) : Json(nullptr); }
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
Status Read(const Json& v, const std::string& path, std::optional<Instant>& out) {
  if (v.is_null()) {
    out.reset();
    return {};
  }
  constexpr char kShape[] =
      "must be an RFC 3339 instant such as \"2026-11-23T15:35:25Z\" or "
      "\"2026-11-23T23:35:25.123456+08:00\", or null";
  if (!v.is_string()) return Bad(path, kShape);
  const auto parsed = ParseInstant(v.get_ref<const std::string&>());
  if (!parsed) return Bad(path, kShape);
  out = *parsed;
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
  // A failure may leave `out` half-written; CouponDefinitionFromJson then drops it.
  Reader reader(v, path);
  Fields(reader, out);
  return reader.Finish();
}

}  // namespace

Json CouponDefinitionToJson(const CouponDefinition& definition) { return ToJson(definition); }

Result<CouponDefinition> CouponDefinitionFromJson(const Json& json) {
  try {
    if (!json.is_object()) {
      return InvalidField(kRootField, kSlug, std::string(kRootField) + " must be a JSON object");
    }
    if (json.contains("id")) {
      return InvalidField("id", kSlug, "id must not be sent: ids are assigned by the server");
    }
    CouponDefinition definition;
    if (auto ok = Read(json, "", definition); !ok) return Fail(ok.error());
    return definition;
  } catch (const std::exception& e) {
    // Every access above checks the type first; reaching here is a bug, not bad input.
    return Fail(Code::kInternal, "coupon_json_failed",
                std::string("reading the coupon definition failed: ") + e.what());
  }
}

}  // namespace loyalty
