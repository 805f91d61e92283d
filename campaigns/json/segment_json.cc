// Segment <-> JSON through the shared strict field codec (loyalty/json/field_codec.inc): each
// struct lists its fields once for writing, reading and the unknown-key check.
#include "campaigns/json/segment_json.h"

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

#include "loyalty/common/time_format.h"
#include "loyalty/common/utf8.h"

namespace loyalty {
namespace {

using Json = nlohmann::json;

constexpr char kSlug[] = "invalid_segment";
constexpr char kRootField[] = "segment";

template <typename S, typename T>
concept Is = std::same_as<std::remove_const_t<S>, T>;

template <typename S>
concept Record = Is<S, IntRange> || Is<S, RfmRule> || Is<S, PurchaseRule> || Is<S, SegmentRules> ||
    Is<S, Segment>;

template <typename V, Is<IntRange> S>
void Fields(V& v, S& s) {
  v("min", s.min);
  v("max", s.max);
}
template <typename V, Is<RfmRule> S>
void Fields(V& v, S& s) {
  v("recency", s.recency);
  v("frequency", s.frequency);
  v("monetary", s.monetary);
}
template <typename V, Is<PurchaseRule> S>
void Fields(V& v, S& s) {
  v("skus", s.skus);
  v("categories", s.categories);
  v("store_ids", s.store_ids);
  v("within_days", s.within_days);
  v("since", s.since);
  v("until", s.until);
  v("count", s.count);
  v("spend_minor", s.spend_minor);
}
template <typename V, Is<SegmentRules> S>
void Fields(V& v, S& s) {
  v("tiers", s.tiers);
  v("home_store_ids", s.home_store_ids);
  v("enrolled_days", s.enrolled_days);
  v("points_available", s.points_available);
  v("consents", s.consents);
  v("lifecycle", s.lifecycle);
  v("rfm", s.rfm);
  v("purchases", s.purchases);
}
// The server-assigned fields are written, and known on reading only so SegmentFromJson can
// refuse them by name before Fields runs.
template <typename V, Is<Segment> S>
void Fields(V& v, S& s) {
  v("id", s.id);
  v("name_zh", s.name_zh);
  v("name_en", s.name_en);
  v("description", s.description);
  v("rules", s.rules);
  v("created_at", s.created_at);
  v("created_by", s.created_by);
}

template <typename E>
struct EnumInfo {};
template <>
struct EnumInfo<LifecycleStage> {
  static constexpr auto kName = LifecycleStageName;
  static constexpr auto kParse = ParseLifecycleStage;
  static constexpr auto& kAll = kAllLifecycleStages;
};
template <>
struct EnumInfo<ConsentChannel> {
  static constexpr auto kName = ConsentChannelName;
  static constexpr auto kParse = ParseConsentChannel;
  static constexpr auto& kAll = kConsentChannels;
};

template <typename E>
concept Enum = requires {
  EnumInfo<E>::kAll;
};

// This codec's own value types, declared before the shared reader and writer use them.
Json ToJson(const std::optional<Instant>& v);
Status Read(const Json& v, const std::string& path, std::optional<Instant>& out);
Json ToJson(const std::optional<int64_t>& v);
Status Read(const Json& v, const std::string& path, std::optional<int64_t>& out);
Json ToJson(Instant v);
Status Read(const Json& v, const std::string& path, Instant& out);
Status Read(const Json& v, const std::string& path, IntRange& out);

#include "loyalty/json/field_codec.inc"
#include "loyalty/json/optional_instant_codec.inc"

Json ToJson(const std::optional<int64_t>& v) { return v ? Json(*v) : Json(nullptr); }
Status Read(const Json& v, const std::string& path, std::optional<int64_t>& out) {
  if (v.is_null()) {
    out.reset();
    return {};
  }
  int64_t value = 0;
  if (auto ok = Read(v, path, value); !ok) return ok;
  out = value;
  return {};
}

// A range that is sent replaces the default as a whole: {"max": 0} for a purchase count means
// "did not buy" (no min), not the default min of 1 with max 0.
Status Read(const Json& v, const std::string& path, IntRange& out) {
  IntRange range;
  Reader reader(v, path);
  Fields(reader, range);
  if (auto ok = reader.Finish(); !ok) return ok;
  out = range;
  return {};
}

// created_at is only ever read back from storage, where it was written by ToJson.
Json ToJson(Instant v) { return FormatInstant(v); }
Status Read(const Json& v, const std::string& path, Instant& out) {
  std::optional<Instant> read;
  if (auto ok = Read(v, path, read); !ok) return ok;
  if (!read) return Bad(path, "must be an RFC 3339 instant");
  out = *read;
  return {};
}

}  // namespace

Json SegmentToJson(const Segment& segment) { return ToJson(segment); }

Result<Segment> SegmentFromJson(const Json& json, bool stored) {
  try {
    if (!json.is_object()) {
      return InvalidField(kRootField, kSlug, std::string(kRootField) + " must be a JSON object");
    }
    if (!stored) {
      for (const char* key : {"id", "created_at", "created_by"}) {
        if (json.contains(key)) {
          return InvalidField(key, kSlug,
                              std::string(key) + " must not be sent: the server assigns it");
        }
      }
    }
    Segment segment;
    if (auto ok = Read(json, "", segment); !ok) return Fail(ok.error());
    return segment;
  } catch (const std::exception& e) {
    // Every access above checks the type first; reaching here is a bug, not bad input.
    return Fail(Code::kInternal, "segment_json_failed",
                std::string("reading the segment failed: ") + e.what());
  }
}

}  // namespace loyalty
