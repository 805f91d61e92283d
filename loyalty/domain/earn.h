// Earn rules: how many points a basket earns under the program, and why, line by line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <date/date.h>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"
#include "loyalty/domain/program.h"

namespace loyalty {

struct BasketLine {
  int line_no = 0;
  std::string sku;
  std::string category;
  int64_t qty = 1;
  int64_t net_minor = 0;  // what the shopper paid for the line after discounts
  int64_t tax_minor = 0;  // the tax inside net_minor (excluded from the base unless include_tax)
};

struct EarnContext {
  Instant at{};
  std::string store_id;
  std::string store_zone = "Asia/Shanghai";  // bonus hours and birthday month are local
  std::string tier_code;                      // the member's tier (its earn multiplier applies)
  std::optional<date::year_month_day> birthday;
};

struct EarnLine {
  int line_no = 0;
  int64_t base_minor = 0;        // what counts towards points
  Rational multiplier{1, 1};     // the SKU or category multiplier
  bool excluded = false;
  int64_t points = 0;            // this line's share (lines add up to the total)
};

struct EarnQuote {
  int64_t points = 0;
  Rational multiplier{1, 1};             // tier x bonus x birthday, as combined by the program
  std::vector<std::string> bonus_events;  // ids of the events that applied
  bool birthday_month = false;
  std::vector<EarnLine> lines;
};

// Points for a basket. Fails with invalid_basket (field "lines[i]...") for negative amounts,
// tax above the amount, or amounts large enough to overflow.
Result<EarnQuote> ComputeEarn(const ProgramConfig& program, const std::vector<BasketLine>& basket,
                              const EarnContext& context);

// Whether `event` is running at `at` in `store_id` (dates, weekdays and hours are local).
bool BonusEventApplies(const BonusEvent& event, Instant at, const std::string& store_id,
                       const std::string& zone);

}  // namespace loyalty
