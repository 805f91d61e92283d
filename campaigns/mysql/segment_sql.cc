// Segment rules → SQL. Every value is a bound parameter; only fixed fragments are spliced in.
#include "campaigns/mysql/segment_sql.h"

#include <chrono>

#include "loyalty/mysql/sql_values.h"

namespace loyalty {
namespace {

Instant DaysBefore(Instant now, int64_t days) { return now - std::chrono::days(days); }

SqlParam Text(const std::string& v) { return SqlParam(v); }

// " IN (?,...)" for `values`, which are appended to `params` through `to_param`.
template <typename T, typename ToParam>
std::string InList(const std::vector<T>& values, ToParam to_param, std::vector<SqlParam>& params) {
  std::string sql = " IN (";
  for (size_t i = 0; i < values.size(); ++i) {
    sql += i ? ",?" : "?";
    params.push_back(to_param(values[i]));
  }
  return sql + ")";
}

class Builder {
 public:
  explicit Builder(Instant now) : now_(now) {}

  void Join(const std::string& sql, std::vector<SqlParam> params = {}) {
    joins_ += " " + sql;
    join_params_.insert(join_params_.end(), params.begin(), params.end());
  }
  void Where(const std::string& sql, std::vector<SqlParam> params = {}) {
    where_ += (where_.empty() ? "" : " AND ") + sql;
    where_params_.insert(where_params_.end(), params.begin(), params.end());
  }
  // `expr IN (?, ...)`; nothing for an empty list (any value).
  template <typename T, typename ToParam>
  void WhereIn(const std::string& expr, const std::vector<T>& values, ToParam to_param) {
    if (values.empty()) return;
    std::vector<SqlParam> params;
    const std::string list = InList(values, to_param, params);
    Where(expr + list, std::move(params));
  }
  void WhereIn(const std::string& expr, const std::vector<std::string>& values) {
    WhereIn(expr, values, Text);
  }
  void WhereRange(const std::string& expr, const IntRange& range) {
    if (range.min) Where(expr + " >= ?", {*range.min});
    if (range.max) Where(expr + " <= ?", {*range.max});
  }
  std::string Time(Instant t) const { return ToSqlTime(t); }
  Instant now() const { return now_; }

  SegmentSql Done() {
    SegmentSql out{joins_, where_, join_params_};
    out.params.insert(out.params.end(), where_params_.begin(), where_params_.end());
    return out;
  }

 private:
  Instant now_;
  std::string joins_, where_;
  std::vector<SqlParam> join_params_, where_params_;
};

SqlParam Score(int score) { return SqlParam(int64_t{score}); }

// A purchase row of `ta` (tier_activity) that still stands: not a till sale that was voided or
// returned in full. Their undoing is a separate row with its own ref, so it is checked here.
constexpr char kPurchaseStands[] =
    "ta.visits > 0 AND NOT EXISTS (SELECT 1 FROM pos_transactions ut WHERE ut.txn_id = ta.ref"
    " AND (ut.voided_at IS NOT NULL OR NOT EXISTS (SELECT 1 FROM pos_transaction_lines ul"
    " WHERE ul.txn_id = ut.txn_id AND ul.returned_qty < ul.qty)))";

// The till sales (not voided, not fully returned lines) that a purchase rule counts; `select`
// is what the subquery returns for the member.
std::string PurchaseSubquery(Builder& b, const PurchaseRule& rule, const std::string& select,
                             std::vector<SqlParam>& params) {
  std::string sql = "(SELECT " + select +
                    " FROM pos_transactions t JOIN pos_transaction_lines l ON l.txn_id = t.txn_id"
                    " WHERE t.member_id = m.member_id AND t.kind = 'sale' AND t.voided_at IS NULL"
                    " AND l.qty > 0 AND l.returned_qty < l.qty AND t.occurred_at <= ?";
  params.push_back(b.Time(b.now()));
  if (rule.within_days > 0) {
    sql += " AND t.occurred_at > ?";
    params.push_back(b.Time(DaysBefore(b.now(), rule.within_days)));
  }
  if (rule.since) {
    sql += " AND t.occurred_at >= ?";
    params.push_back(b.Time(*rule.since));
  }
  if (rule.until) {
    sql += " AND t.occurred_at < ?";
    params.push_back(b.Time(*rule.until));
  }
  auto any_of = [&](const std::string& column, const std::vector<std::string>& values) {
    if (!values.empty()) sql += " AND " + column + InList(values, Text, params);
  };
  any_of("l.sku", rule.skus);
  any_of("l.category", rule.categories);
  any_of("t.store_id", rule.store_ids);
  return sql + ")";
}

void AddPurchaseRule(Builder& b, const PurchaseRule& rule) {
  auto bound = [&](const std::string& select, const IntRange& range) {
    for (auto [end, op] : {std::pair{range.min, " >= ?"}, std::pair{range.max, " <= ?"}}) {
      if (!end) continue;
      std::vector<SqlParam> params;
      std::string sql = PurchaseSubquery(b, rule, select, params) + op;
      params.push_back(*end);
      b.Where(sql, std::move(params));
    }
  };
  bound("COUNT(DISTINCT t.txn_id)", rule.count);
  // What was paid on the matching lines, less the returned share.
  bound("COALESCE(SUM(l.paid_minor * (l.qty - l.returned_qty) DIV l.qty), 0)", rule.spend_minor);
}

}  // namespace

SegmentSql BuildSegmentSql(const SegmentRules& rules, Instant now) {
  Builder b(now);
  b.Where("m.status = 'active'");
  b.WhereIn("m.tier", rules.tiers);
  b.WhereIn("m.home_store_id", rules.home_store_ids);
  // Whole days since enrolment: d >= min ⇔ enrolled at or before now - min days; d <= max ⇔
  // enrolled after now - (max + 1) days.
  if (rules.enrolled_days.min) {
    b.Where("m.created_at <= ?", {b.Time(DaysBefore(now, *rules.enrolled_days.min))});
  }
  if (rules.enrolled_days.max) {
    b.Where("m.created_at > ?", {b.Time(DaysBefore(now, *rules.enrolled_days.max + 1))});
  }
  if (rules.points_available.min || rules.points_available.max) {
    b.Join("LEFT JOIN point_accounts pa ON pa.member_id = m.member_id");
    b.WhereRange("COALESCE(pa.available, 0)", rules.points_available);
  }
  for (ConsentChannel channel : rules.consents) {
    b.Where(std::string("m.consent_") + ConsentChannelName(channel) + " = TRUE");
  }
  if (!rules.lifecycle.empty()) {
    // The last purchase per member through the (member_id, at) index, so a page of a segment
    // costs its members only, not a pass over everyone's activity.
    const std::string last =
        std::string(
            "(SELECT MAX(ta.at) FROM tier_activity ta WHERE ta.member_id = m.member_id"
            " AND ta.at <= ? AND ") +
        kPurchaseStands + ")";
    const std::string stage = "(CASE WHEN m.created_at > ? THEN 'new' WHEN " + last +
                              " IS NULL THEN 'never_purchased' WHEN " + last +
                              " > ? THEN 'active' WHEN " + last +
                              " > ? THEN 'at_risk' ELSE 'lapsed' END)";
    const std::string at = b.Time(now);
    std::vector<SqlParam> params{
        b.Time(DaysBefore(now, kNewMemberDays)), at, at,
        b.Time(DaysBefore(now, kActiveDays)),    at, b.Time(DaysBefore(now, kAtRiskDays))};
    const std::string list = InList(
        rules.lifecycle, [](LifecycleStage s) { return Text(LifecycleStageName(s)); }, params);
    b.Where(stage + list, std::move(params));
  }
  const RfmRule& rfm = rules.rfm;
  if (!rfm.recency.empty() || !rfm.frequency.empty() || !rfm.monetary.empty()) {
    // score = ceil(5 × (members with a value ≤ mine) / members), in integers so ties and
    // boundaries are exact. Visits and spend are net of returns and voids (their rows are
    // negative); the last purchase skips undone sales. Erased members are not ranked.
    b.Join(std::string(
               "JOIN (SELECT member_id,"
               " (5 * COUNT(*) OVER (ORDER BY last_at) + COUNT(*) OVER () - 1) DIV COUNT(*) OVER ()"
               " AS r,"
               " (5 * COUNT(*) OVER (ORDER BY visits) + COUNT(*) OVER () - 1) DIV COUNT(*) OVER ()"
               " AS f,"
               " (5 * COUNT(*) OVER (ORDER BY spend) + COUNT(*) OVER () - 1) DIV COUNT(*) OVER ()"
               " AS mo"
               " FROM (SELECT ta.member_id, MAX(CASE WHEN ") +
               kPurchaseStands +
               " THEN ta.at END) AS last_at, SUM(ta.visits) AS visits, SUM(ta.spend_minor) AS spend"
               " FROM tier_activity ta JOIN members rm ON rm.member_id = ta.member_id"
               " AND rm.status = 'active' WHERE ta.at > ? AND ta.at <= ? GROUP BY ta.member_id"
               " HAVING SUM(ta.visits) > 0) w) rfm ON rfm.member_id = m.member_id",
           {b.Time(DaysBefore(now, kRfmWindowDays)), b.Time(now)});
    b.WhereIn("rfm.r", rfm.recency, Score);
    b.WhereIn("rfm.f", rfm.frequency, Score);
    b.WhereIn("rfm.mo", rfm.monetary, Score);
  }
  for (const PurchaseRule& rule : rules.purchases) AddPurchaseRule(b, rule);
  return b.Done();
}

}  // namespace loyalty
