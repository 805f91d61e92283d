// Segment <-> JSON: the one mapping the API and stored segments use.
#pragma once

#include <nlohmann/json.hpp>

#include "campaigns/domain/segment.h"
#include "loyalty/common/error.h"

namespace loyalty {

// {"id", "name_zh", "name_en", "description", "created_at", "created_by",
//  "rules": {"tiers", "home_store_ids", "enrolled_days": {"min", "max"},
//            "points_available": {"min", "max"}, "consents": ["sms"|"email"|"wechat"],
//            "lifecycle": ["new"|"never_purchased"|"active"|"at_risk"|"lapsed"],
//            "rfm": {"recency", "frequency", "monetary"},
//            "purchases": [{"skus", "categories", "store_ids", "within_days", "since", "until",
//                           "count": {"min", "max"}, "spend_minor": {"min", "max"}}]}}
// Range ends and since/until are null when unset; instants are RFC 3339 in UTC.
nlohmann::json SegmentToJson(const Segment& segment);

// What a client sends (or what was stored): name_zh, name_en, description and rules. Missing
// fields keep their defaults (a purchase rule's count is {"min": 1}); a range that is sent
// replaces the default whole, so {"max": 0} is "did not buy". Strict like the coupon
// codec: unknown keys, wrong types, floats for integers and unknown names are invalid_segment
// with detail "field" = the dotted path and a message that starts with it. "id", "created_at"
// and "created_by" are assigned by the server and refused unless `stored` is true. Never throws.
Result<Segment> SegmentFromJson(const nlohmann::json& json, bool stored = false);

}  // namespace loyalty
