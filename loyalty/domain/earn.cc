// Earn computation: exact sums per rate, one rounding per basket.
#include "loyalty/domain/earn.h"

#include <algorithm>
#include <map>

#include <date/tz.h>

#include "loyalty/common/business_date.h"
#include "loyalty/common/time_format.h"

namespace loyalty {
namespace {

constexpr int64_t kMicro = 1'000'000;
// ¥10 billion on one line: beyond any till, and small enough that exact sums cannot overflow.
constexpr int64_t kMaxLineMinor = 1'000'000'000'000;

const LineRule* Find(const std::vector<LineRule>& rules, const std::string& key) {
  for (const auto& r : rules) {
    if (r.match == key) return &r;
  }
  return nullptr;
}

bool Greater(const Rational& a, const Rational& b) {
  return static_cast<__int128>(a.num) * b.den > static_cast<__int128>(b.num) * a.den;
}

tl::unexpected<Error> BadLine(size_t i, const std::string& field, const std::string& message) {
  return InvalidField("lines[" + std::to_string(i) + "]." + field, "invalid_basket", message);
}

}  // namespace

bool BonusEventApplies(const BonusEvent& e, Instant at, const std::string& store_id,
                       const std::string& zone) {
  if (!e.store_ids.empty() &&
      std::find(e.store_ids.begin(), e.store_ids.end(), store_id) == e.store_ids.end()) {
    return false;
  }
  const auto local = date::make_zoned(zone, at).get_local_time();
  const auto day = date::floor<date::days>(local);
  const date::year_month_day ymd(day);
  const auto start = ParseDate(e.start_date);
  const auto end = ParseDate(e.end_date);
  if (!start || !end || ymd < *start || ymd > *end) return false;
  const unsigned weekday = date::weekday(day).iso_encoding();  // 1 = Monday
  if (!e.weekdays.empty() &&
      std::find(e.weekdays.begin(), e.weekdays.end(), static_cast<int>(weekday)) == e.weekdays.end()) {
    return false;
  }
  const auto minute = std::chrono::duration_cast<std::chrono::minutes>(local - day).count();
  return minute >= e.start_minute && minute < e.end_minute;
}

Result<EarnQuote> ComputeEarn(const ProgramConfig& program, const std::vector<BasketLine>& basket,
                              const EarnContext& context) {
  const EarnRules& rules = program.earn;
  EarnQuote quote;

  // The basket-wide multiplier: tier, running bonus events, birthday month.
  std::vector<Rational> factors;
  for (const TierLevel& level : program.tiers.levels) {
    if (level.code == context.tier_code) factors.push_back(level.earn_multiplier);
  }
  for (const BonusEvent& e : rules.bonus_events) {
    if (BonusEventApplies(e, context.at, context.store_id, context.store_zone)) {
      factors.push_back(e.multiplier);
      quote.bonus_events.push_back(e.id);
    }
  }
  if (context.birthday &&
      BusinessDate(context.at, context.store_zone).month() == context.birthday->month()) {
    quote.birthday_month = true;
    factors.push_back(rules.birthday_month_multiplier);
  }
  Rational combined{1, 1};
  for (const Rational& f : factors) {
    if (rules.stack_multipliers) {
      auto product = Multiply(combined, f);
      if (!product) return InvalidField("multiplier", "invalid_program", "multipliers overflow");
      combined = *product;
    } else if (Greater(f, combined)) {
      combined = f;
    }
  }
  quote.multiplier = combined;

  // Exact sums per rate: lines at the same rate are added before any division, so splitting a
  // line never changes the points; different rates meet in millionths, then one rounding.
  std::map<std::pair<int64_t, int64_t>, __int128> base_by_rate;
  for (size_t i = 0; i < basket.size(); ++i) {
    const BasketLine& line = basket[i];
    if (line.net_minor < 0) return BadLine(i, "net_minor", "amounts cannot be negative");
    if (line.tax_minor < 0 || line.tax_minor > line.net_minor) {
      return BadLine(i, "tax_minor", "tax must be between 0 and the line amount");
    }
    if (line.net_minor > kMaxLineMinor) return BadLine(i, "net_minor", "amount too large");
    EarnLine out;
    out.line_no = line.line_no;
    out.base_minor = rules.include_tax ? line.net_minor : line.net_minor - line.tax_minor;
    const LineRule* sku = Find(rules.skus, line.sku);
    const LineRule* category = Find(rules.categories, line.category);
    // A SKU rule is more specific than its category, for multipliers and exclusions alike.
    const LineRule* rule = sku ? sku : category;
    out.excluded = rule && rule->excluded;
    if (rule && !rule->excluded) out.multiplier = rule->multiplier;
    if (!out.excluded) {
      auto rate = Multiply(out.multiplier, combined);
      if (!rate) return BadLine(i, "net_minor", "multipliers too large");
      base_by_rate[{rate->num, rate->den}] += out.base_minor;
      // This line alone, in millionths (for the per-line split shown on receipts).
      out.points = static_cast<int64_t>(static_cast<__int128>(out.base_minor) * rules.points *
                                        rate->num * kMicro / (static_cast<__int128>(rules.per_minor) * rate->den));
    }
    quote.lines.push_back(out);
  }
  __int128 total_micro = 0;
  for (const auto& [rate, base] : base_by_rate) {
    total_micro += base * rules.points * rate.first * kMicro /
                   (static_cast<__int128>(rules.per_minor) * rate.second);
  }
  if (total_micro > INT64_MAX) return InvalidField("lines", "invalid_basket", "basket too large");
  quote.points = *MulDiv(static_cast<int64_t>(total_micro), 1, kMicro, rules.rounding);
  // Each line's whole points, with the rounding remainder on the largest earning line, so the
  // lines add up to the total and an excluded line never shows points.
  int64_t assigned = 0;
  EarnLine* largest = nullptr;
  for (EarnLine& l : quote.lines) {
    l.points /= kMicro;
    assigned += l.points;
    if (!l.excluded && (!largest || l.points > largest->points)) largest = &l;
  }
  if (largest) largest->points += quote.points - assigned;
  return quote;
}

}  // namespace loyalty
