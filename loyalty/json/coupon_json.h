// Coupon definition <-> JSON: the one mapping the API and stored coupon definitions use.
#pragma once

#include <nlohmann/json.hpp>

#include "loyalty/common/error.h"
#include "loyalty/domain/coupon.h"

namespace loyalty {

// Every field of `definition`, named exactly like the struct member (snake_case), nested like the
// structs: {"id", "name_zh", "name_en", "kind", "percent_bp", "cap_minor", "amount_minor",
// "tiers": [{"threshold_minor", "off_minor"}], "free_sku", "buy_qty", "get_qty",
// "points_multiplier": {"num", "den"}, "scope": {"skus", "categories", "store_ids"},
// "min_spend_minor", "validity": {"valid_from", "valid_until", "days_after_issue"},
// "stacking": {"group", "exclusive", "priority"}}.
// - kind is its CouponKindName: "percent_off", "fixed_amount", "threshold_tiers", ...
// - valid_from / valid_until are RFC 3339 instants in UTC as FormatInstant writes them
//   ("2026-11-23T15:35:25.000000Z"), or null when unset (an open end).
// The output always holds every field, including the server-assigned "id".
nlohmann::json CouponDefinitionToJson(const CouponDefinition& definition);

// The inverse of CouponDefinitionToJson, for what a client sends. Only maps: it does NOT call
// ValidateCouponDefinition (the caller does), so well-typed but contradictory values are returned
// as they are.
//
// "id" is refused (field "id", "... ids are assigned by the server"): the result's id is always
// empty. So a round trip is CouponDefinitionFromJson(CouponDefinitionToJson(d) without "id"),
// which gives back d with an empty id.
//
// Missing fields take the value of the member in a default-constructed struct
// (CouponDefinition{}, CouponTier{}, ...): `{}` gives CouponDefinition{} (kind fixed_amount,
// points_multiplier {1, 1}). An array that is present replaces the whole list.
//
// Strict about everything else; each failure is Code::kInvalidArgument, slug
// "invalid_coupon_definition", detail "field" = the dotted path ("tiers[1].off_minor"), and a
// message that starts with that path:
// - a key that is not a field: "tiers[1].of_minor is not a known field (...)"; an unknown key is
//   reported before a bad value of a known one.
// - a wrong JSON type, including null for anything but valid_from / valid_until.
// - integers must be written as integers (1.5, 2.0 and 1e30 are refused) and fit the member's
//   type (int64, or int for days_after_issue and stacking.priority).
// - kind not a known name lists the allowed ones.
// - an instant that is not "YYYY-MM-DDTHH:MM:SS[.ffffff](Z|+HH:MM|-HH:MM)" with a real calendar
//   day and time in years 0000..9999 (e.g. "2026-13-01T00:00:00Z"); offsets are converted to UTC.
// - a document that is not an object: field "coupon_definition".
// Keys from the input that appear in a path are cut to 64 bytes, and bytes that are not printable
// UTF-8 become '?'.
//
// Never throws for any input value.
Result<CouponDefinition> CouponDefinitionFromJson(const nlohmann::json& json);

}  // namespace loyalty
