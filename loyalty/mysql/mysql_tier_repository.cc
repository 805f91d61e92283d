// Tiers in MariaDB: member_tiers is locked FOR UPDATE like point_accounts.
#include "loyalty/mysql/mysql_tier_repository.h"

#include <cppconn/connection.h>
#include <cppconn/datatype.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <memory>

#include "loyalty/mysql/mysql_audit_log.h"
#include "loyalty/mysql/sql_values.h"

namespace loyalty {
namespace {

// Reads (locking when asked) the tier row, creating it at the base level from the member's
// enrolment if missing, plus activities and recent history.
Result<TierRecord> ReadRecord(sql::Connection& c, const std::string& member_id,
                              const std::string& base_tier, Instant since, bool lock,
                              const std::optional<TierActivityRecord>& activity = std::nullopt) {
  TierRecord record;
  {
    Statement s(c.prepareStatement("SELECT created_at FROM members WHERE member_id = ?"));
    s->setString(1, member_id);
    Rows rs(s->executeQuery());
    if (!rs->next()) {
      Error e{Code::kNotFound, "member_not_found", "no member with this id", {}};
      return Fail(e.With("member_id", member_id.substr(0, 64)));
    }
    record.enrolled_at = FromSqlTime(rs->getString(1));
  }
  if (lock) {
    Statement s(c.prepareStatement(
        "INSERT INTO member_tiers (member_id, tier, since) VALUES (?, ?, ?) "
        "ON DUPLICATE KEY UPDATE member_id = member_id"));
    s->setString(1, member_id);
    s->setString(2, base_tier);
    s->setString(3, ToSqlTime(record.enrolled_at));
    s->execute();
  }
  record.status = TierStatus{base_tier, record.enrolled_at, std::nullopt};
  {
    Statement s(c.prepareStatement(std::string("SELECT tier, since, review_at FROM member_tiers "
                                               "WHERE member_id = ?") +
                                   (lock ? " FOR UPDATE" : "")));
    s->setString(1, member_id);
    Rows rs(s->executeQuery());
    if (rs->next()) {
      record.status.tier = rs->getString("tier");
      record.status.since = FromSqlTime(rs->getString("since"));
      if (auto review = GetOptional(*rs, "review_at")) record.status.review_at = FromSqlTime(*review);
    }
  }
  if (activity) {
    Statement s(c.prepareStatement(
        "INSERT INTO tier_activity (member_id, activity_id, at, spend_minor, points, visits, ref) "
        "VALUES (?,?,?,?,?,?,?)"));
    s->setString(1, member_id);
    s->setString(2, activity->activity_id);
    s->setString(3, ToSqlTime(activity->activity.at));
    s->setInt64(4, activity->activity.spend_minor);
    s->setInt64(5, activity->activity.points);
    s->setInt64(6, activity->activity.visits);
    s->setString(7, activity->ref.substr(0, 64));
    s->execute();
  }
  {
    Statement s(c.prepareStatement(
        std::string("SELECT at, spend_minor, points, visits FROM tier_activity WHERE member_id = ? AND at >= ?") +
        (lock ? " LOCK IN SHARE MODE" : "")));
    s->setString(1, member_id);
    s->setString(2, ToSqlTime(since));
    Rows rs(s->executeQuery());
    while (rs->next()) {
      record.activities.push_back(TierActivity{FromSqlTime(rs->getString(1)), rs->getInt64(2),
                                               rs->getInt64(3), rs->getInt64(4)});
    }
  }
  Statement s(c.prepareStatement(
      "SELECT changed_at, from_tier, to_tier, reason FROM tier_history WHERE member_id = ? "
      "ORDER BY changed_at DESC LIMIT 20"));
  s->setString(1, member_id);
  Rows rs(s->executeQuery());
  while (rs->next()) {
    record.history.push_back(
        TierChange{rs->getString(2), rs->getString(3), FromSqlTime(rs->getString(1)), rs->getString(4)});
  }
  return record;
}

}  // namespace

Result<std::pair<TierStatus, std::optional<TierChange>>> MysqlTierRepository::Apply(
    const std::string& member_id, const std::string& base_tier,
    const std::optional<TierActivityRecord>& activity, Instant activities_since,
    const std::string& staff_id, const TierDecision& decide, const std::optional<AuditEntry>& audit) {
  const TierUpdate update{member_id, base_tier, activity, activities_since, staff_id, decide};
  std::pair<TierStatus, std::optional<TierChange>> result;
  auto ran = pool_.Transaction([&](sql::Connection& c) -> Status {
    auto applied = ApplyOn(c, update);
    if (!applied) return Fail(applied.error());
    if (audit) InsertAudit(c, *audit);
    result = std::move(*applied);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return result;
}

Result<std::pair<TierStatus, std::optional<TierChange>>> MysqlTierRepository::ApplyOn(
    sql::Connection& c, const TierUpdate& u) {
  auto record =
      ReadRecord(c, u.member_id, u.base_tier, u.activities_since, /*lock=*/true, u.activity);
  if (!record) return Fail(record.error());
  TierStatus status = record->status;
  auto change = u.decide(status, *record);
  if (!change) return Fail(change.error());
  {
    Statement s(c.prepareStatement(
        "UPDATE member_tiers SET tier = ?, since = ?, review_at = ? WHERE member_id = ?"));
    s->setString(1, status.tier);
    s->setString(2, ToSqlTime(status.since));
    BindOptionalTime(*s, 3, status.review_at);
    s->setString(4, u.member_id);
    s->execute();
  }
  if (*change) {
    const TierChange& ch = **change;
    Statement history(c.prepareStatement(
        "INSERT INTO tier_history (member_id, changed_at, from_tier, to_tier, reason, staff_id) "
        "VALUES (?,?,?,?,?,?)"));
    history->setString(1, u.member_id);
    history->setString(2, ToSqlTime(ch.at));
    history->setString(3, ch.from);
    history->setString(4, ch.to);
    history->setString(5, ch.reason.substr(0, 255));
    history->setString(6, u.staff_id.substr(0, 24));
    history->execute();
    Statement mirror(c.prepareStatement(
        "UPDATE members SET tier = ?, version = version + 1 WHERE member_id = ?"));
    mirror->setString(1, status.tier);
    mirror->setString(2, u.member_id);
    mirror->execute();
  }
  return std::pair{status, *change};
}

Result<TierRecord> MysqlTierRepository::Load(const std::string& member_id, const std::string& base_tier,
                                             Instant activities_since) {
  TierRecord record;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    auto r = ReadRecord(c, member_id, base_tier, activities_since, /*lock=*/false);
    if (!r) return Fail(r.error());
    record = std::move(*r);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return record;
}

Result<std::vector<std::string>> MysqlTierRepository::DueForReview(Instant before, int limit) {
  std::vector<std::string> ids;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    Statement s(c.prepareStatement("SELECT member_id FROM member_tiers WHERE review_at <= ? "
                                   "ORDER BY review_at LIMIT " + std::to_string(limit)));
    s->setString(1, ToSqlTime(before));
    Rows rs(s->executeQuery());
    while (rs->next()) ids.push_back(rs->getString(1));
    return {};
  });
  if (!ran) return Fail(ran.error());
  return ids;
}

}  // namespace loyalty
