// Program configuration <-> JSON: the one mapping the API and stored program versions use.
#pragma once

#include <nlohmann/json.hpp>

#include "loyalty/common/error.h"
#include "loyalty/domain/program.h"

namespace loyalty {

// Every field of `program`, named exactly like the struct member (snake_case), nested like the
// structs: {"version", "currency", "time_zone", "earn": {...}, "awards": {...}, "pending_days",
// "expiry": {"kind", "months_or_years"}, "refund", "redemption": {...}, "adjustments": {...},
// "transfers": {...}, "tiers": {..., "levels": [...]}}.
// - Rationals are {"num": 3, "den": 2}.
// - Enums are their names from program.h / money.h: "floor", "rolling_months", "within_balance",
//   "spend", "rolling_12_months", "downgrade_one_level", ...
// - An unset optional (tiers.levels[i].benefits.birthday_coupon_definition_id) is null.
// The output always holds every field, so ProgramFromJson(ProgramToJson(p)) gives back p.
nlohmann::json ProgramToJson(const ProgramConfig& program);

// The inverse of ProgramToJson. Only maps: it does NOT call ValidateProgram (the caller does), so
// contradictory but well-typed values (max_points < min_points) are returned as they are.
//
// Missing fields: a field that is absent takes the value of the member in a default-constructed
// struct (ProgramConfig{}, EarnRules{}, BonusEvent{}, TierLevel{}, ...), NOT DefaultProgram().
// So `{}` gives ProgramConfig{}, whose tiers.levels is empty and expiry is "none"; a client that
// sends only what it changes must send it relative to those struct defaults. An array that is
// present replaces the whole list; each element's missing fields take that element type's
// defaults (a bonus event without "multiplier" gets {2, 1}).
//
// Strict about everything else; each failure is Code::kInvalidArgument, slug "invalid_program",
// detail "field" = the dotted path ("earn.bonus_events[1].multiplier.den"), and a message that
// starts with that path:
// - a key that is not a field: "earn.bonus_events[1].multipler is not a known field (...)"
// - a wrong JSON type, including null for anything but an optional:
//   "earn.per_minor must be an integer", "earn.include_tax must be true or false",
//   "earn.skus must be an array", "earn must be an object", "currency must be a string"
// - numbers: an integer must be written as one (no fraction or exponent: 1.5, 2.0 and 1e30 are
//   "must be an integer") and fit the member's C++ type, int64 or int (pending_days, weekdays,
//   ...): 9223372036854775808 is "must be an integer between -9223372036854775808 and ...".
// - an enum name that does not exist, listing the allowed ones:
//   "refund must be one of: only_pending, within_balance, allow_negative"
// - a document that is not an object: field "program", "program must be a JSON object".
// Keys from the input that appear in a path are cut to 64 bytes, and bytes that are not printable
// UTF-8 become '?', so the error is always safe to put in a JSON response.
//
// Never throws for any input value (a library exception would come back as kInternal, which
// would be a bug in this mapping).
Result<ProgramConfig> ProgramFromJson(const nlohmann::json& json);

// Same, but a missing field keeps its value from `base` instead of the struct default (e.g. pass
// the current program to apply a partial update). Arrays are still replaced whole, and the
// elements of a present array still start from their element type's defaults.
Result<ProgramConfig> ProgramFromJson(const nlohmann::json& json, const ProgramConfig& base);

}  // namespace loyalty
