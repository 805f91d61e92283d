// Earn computation. Points are computed per line in millionths and rounded once for the basket,
// so splitting a purchase into lines never loses or gains points.
#include "loyalty/domain/earn.h"

#include <algorithm>

#include <date/tz.h>

#include "loyalty/common/business_date.h"
#include "loyalty/common/time_format.h"

namespace loyalty {
namespace {

constexpr int64_t kMicro = 1'000'000;

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

  __int128 total_micro = 0;
  for (size_t i = 0; i < basket.size(); ++i) {
    const BasketLine& line = basket[i];
    if (line.net_minor < 0) return BadLine(i, "net_minor", "amounts cannot be negative");
    if (line.tax_minor < 0 || line.tax_minor > line.net_minor) {
      return BadLine(i, "tax_minor", "tax must be between 0 and the line amount");
    }
    EarnLine out;
    out.line_no = line.line_no;
    out.base_minor = rules.include_tax ? line.net_minor : line.net_minor - line.tax_minor;
    const LineRule* sku = Find(rules.skus, line.sku);
    const LineRule* category = Find(rules.categories, line.category);
    const LineRule* rule = sku ? sku : category;  // a SKU rule is more specific than its category
    out.excluded = (sku && sku->excluded) || (category && category->excluded);
    if (rule && !rule->excluded) out.multiplier = rule->multiplier;
    if (!out.excluded) {
      auto line_rate = Multiply(out.multiplier, combined);
      auto scaled = line_rate ? MulDiv(out.base_minor, rules.points * kMicro, rules.per_minor, Rounding::kFloor)
                              : std::nullopt;
      auto micro = scaled ? MulDiv(*scaled, line_rate->num, line_rate->den, Rounding::kFloor)
                          : std::nullopt;
      if (!micro) return BadLine(i, "net_minor", "amount too large");
      total_micro += *micro;
      out.points = *micro;  // millionths for now; turned into points below
    }
    quote.lines.push_back(out);
  }
  auto points = MulDiv(static_cast<int64_t>(std::min<__int128>(total_micro, INT64_MAX)), 1, kMicro,
                       rules.rounding);
  if (!points || total_micro > INT64_MAX) return InvalidField("lines", "invalid_basket", "basket too large");
  quote.points = *points;
  // Each line's whole points, with the rounding remainder on the largest line, so lines add up.
  int64_t assigned = 0;
  EarnLine* largest = nullptr;
  for (EarnLine& l : quote.lines) {
    l.points /= kMicro;
    assigned += l.points;
    if (!largest || l.points > largest->points) largest = &l;
  }
  if (largest) largest->points += quote.points - assigned;
  return quote;
}

}  // namespace loyalty
