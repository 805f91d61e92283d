// Points ledger in MariaDB.
#include "loyalty/mysql/mysql_ledger_repository.h"

#include <cppconn/connection.h>
#include <cppconn/datatype.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <algorithm>
#include <map>
#include <memory>

#include "loyalty/mysql/mysql_audit_log.h"
#include "loyalty/mysql/sql_values.h"

namespace loyalty {
namespace {

Account ReadAccount(sql::ResultSet& rs) {
  Account a;
  a.member_id = rs.getString("member_id");
  a.available = rs.getInt64("available");
  a.pending = rs.getInt64("pending");
  a.debt = rs.getInt64("debt");
  a.lifetime_earned = rs.getInt64("lifetime_earned");
  a.last_activity_at = GetOptionalTime(rs, "last_activity_at");
  a.version = rs.getInt64("version");
  return a;
}

Lot ReadLot(sql::ResultSet& rs) {
  Lot l;
  l.lot_id = rs.getString("lot_id");
  l.points = rs.getInt64("points");
  l.remaining = rs.getInt64("remaining");
  l.state = ParseLotState(rs.getString("state")).value_or(LotState::kCancelled);
  l.earned_at = FromSqlTime(rs.getString("earned_at"));
  l.activates_at = FromSqlTime(rs.getString("activates_at"));
  l.expires_at = GetOptionalTime(rs, "expires_at");
  l.store_id = GetOptional(rs, "store_id");
  l.source = rs.getString("source");
  l.ref = rs.getString("ref");
  return l;
}

// Locks the account row and loads the open lots. The row is created on first use; locking
// first matters: INSERT IGNORE on an existing row takes a shared lock, and many threads then
// upgrading to FOR UPDATE deadlock each other.
AccountState LockAndLoad(sql::Connection& c, const std::string& member_id) {
  AccountState state;
  auto lock = [&] {
    Statement s(c.prepareStatement("SELECT * FROM point_accounts WHERE member_id = ? FOR UPDATE"));
    s->setString(1, member_id);
    Rows rs(s->executeQuery());
    if (!rs->next()) return false;
    state.account = ReadAccount(*rs);
    return true;
  };
  if (!lock()) {
    Statement ensure(c.prepareStatement("INSERT IGNORE INTO point_accounts (member_id) VALUES (?)"));
    ensure->setString(1, member_id);
    ensure->execute();
    lock();
  }
  Statement lots(c.prepareStatement(
      "SELECT * FROM point_lots WHERE member_id = ? AND remaining > 0 "
      "AND state IN ('pending','active')"));
  lots->setString(1, member_id);
  Rows rs(lots->executeQuery());
  while (rs->next()) state.lots.push_back(ReadLot(*rs));
  return state;
}

// Writes the change. Lots not in `before` are inserted (a second credit for the same source and
// ref hits the unique key: already_credited); the others are updated.
Status WriteChange(sql::Connection& c, const std::string& member_id, const AccountState& before,
                   const LedgerChange& change) {
  const Account& a = change.state.account;
  Statement account(c.prepareStatement(
      "UPDATE point_accounts SET available = ?, pending = ?, debt = ?, lifetime_earned = ?, "
      "last_activity_at = ?, version = version + 1 WHERE member_id = ?"));
  account->setInt64(1, a.available);
  account->setInt64(2, a.pending);
  account->setInt64(3, a.debt);
  account->setInt64(4, a.lifetime_earned);
  BindOptionalTime(*account, 5, a.last_activity_at);
  account->setString(6, member_id);
  account->execute();

  if (!change.changed_lots.empty()) {
    Statement lot(c.prepareStatement(
        "INSERT INTO point_lots (member_id, lot_id, points, remaining, state, earned_at, "
        "activates_at, expires_at, store_id, source, ref) VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
    Statement update(c.prepareStatement(
        "UPDATE point_lots SET remaining = ?, state = ? WHERE member_id = ? AND lot_id = ?"));
    for (const Lot& l : change.changed_lots) {
      const bool existing = std::any_of(before.lots.begin(), before.lots.end(),
                                        [&](const Lot& b) { return b.lot_id == l.lot_id; });
      if (existing) {
        update->setInt64(1, l.remaining);
        update->setString(2, LotStateName(l.state));
        update->setString(3, member_id);
        update->setString(4, l.lot_id);
        update->execute();
        continue;
      }
      lot->setString(1, member_id);
      lot->setString(2, l.lot_id);
      lot->setInt64(3, l.points);
      lot->setInt64(4, l.remaining);
      lot->setString(5, LotStateName(l.state));
      lot->setString(6, ToSqlTime(l.earned_at));
      lot->setString(7, ToSqlTime(l.activates_at));
      BindOptionalTime(*lot, 8, l.expires_at);
      BindOptional(*lot, 9, l.store_id);
      lot->setString(10, l.source.substr(0, 16));
      lot->setString(11, l.ref.substr(0, 64));
      try {
        lot->execute();
      } catch (const sql::SQLException& e) {
        if (e.getErrorCode() != kErDupEntry) throw;
        Error error{Code::kAlreadyExists, "already_credited",
                    "points for " + l.source + " " + l.ref + " were already credited", {}};
        return Fail(error.With("ref", l.ref.substr(0, 64)));
      }
    }
  }
  if (change.entries.empty()) return {};
  Statement entry(c.prepareStatement(
      "INSERT INTO point_entries (member_id, entry_id, at, kind, available_delta, pending_delta, "
      "lot_id, ref_type, ref_id, reason, staff_id, store_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"));
  Statement allocation(c.prepareStatement(
      "INSERT INTO point_allocations (member_id, entry_id, lot_id, points) VALUES (?,?,?,?)"));
  for (const Entry& e : change.entries) {
    entry->setString(1, member_id);
    entry->setString(2, e.entry_id);
    entry->setString(3, ToSqlTime(e.at));
    entry->setString(4, EntryKindName(e.kind));
    entry->setInt64(5, e.available_delta);
    entry->setInt64(6, e.pending_delta);
    BindOptional(*entry, 7, e.lot_id);
    entry->setString(8, e.ref_type.substr(0, 16));
    entry->setString(9, e.ref_id.substr(0, 64));
    entry->setString(10, e.reason.substr(0, 255));
    entry->setString(11, e.staff_id.substr(0, 24));
    BindOptional(*entry, 12, e.store_id);
    entry->execute();
    for (const Allocation& al : e.allocations) {
      allocation->setString(1, member_id);
      allocation->setString(2, e.entry_id);
      allocation->setString(3, al.lot_id);
      allocation->setInt64(4, al.points);
      allocation->execute();
    }
  }
  return {};
}

Adjustment ReadAdjustment(sql::ResultSet& rs) {
  Adjustment a;
  a.adjustment_id = rs.getString("adjustment_id");
  a.member_id = rs.getString("member_id");
  a.points = rs.getInt64("points");
  a.reason = rs.getString("reason");
  a.status = ParseAdjustmentStatus(rs.getString("status")).value_or(AdjustmentStatus::kRejected);
  a.requested_by = rs.getString("requested_by");
  a.requested_at = FromSqlTime(rs.getString("requested_at"));
  a.decided_by = GetOptional(rs, "decided_by");
  a.decided_at = GetOptionalTime(rs, "decided_at");
  a.store_id = GetOptional(rs, "store_id");
  return a;
}

}  // namespace

Result<Adjustment> MysqlLedgerRepository::RecordAdjustment(const Adjustment& adjustment,
                                                           const LedgerDecision* apply_now,
                                                           const AuditEntry& audit) {
  Adjustment stored = adjustment;
  auto ran = pool_.Transaction([&](sql::Connection& c) -> Status {
    stored = adjustment;
    if (apply_now) {
      const AccountState before = LockAndLoad(c, adjustment.member_id);
      auto change = (*apply_now)(before);
      if (!change) return Fail(change.error());
      if (auto ok = WriteChange(c, adjustment.member_id, before, *change); !ok) return ok;
      stored.status = AdjustmentStatus::kApplied;
      stored.decided_by = adjustment.requested_by;
      stored.decided_at = adjustment.requested_at;
    }
    Statement s(c.prepareStatement(
        "INSERT INTO point_adjustments (member_id, adjustment_id, points, reason, status, "
        "requested_by, requested_at, decided_by, decided_at, store_id) VALUES (?,?,?,?,?,?,?,?,?,?)"));
    s->setString(1, stored.member_id);
    s->setString(2, stored.adjustment_id);
    s->setInt64(3, stored.points);
    s->setString(4, stored.reason.substr(0, 255));
    s->setString(5, AdjustmentStatusName(stored.status));
    s->setString(6, stored.requested_by);
    s->setString(7, ToSqlTime(stored.requested_at));
    BindOptional(*s, 8, stored.decided_by);
    BindOptionalTime(*s, 9, stored.decided_at);
    BindOptional(*s, 10, stored.store_id);
    s->execute();
    InsertAudit(c, audit);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return stored;
}

Result<Adjustment> MysqlLedgerRepository::ApproveAdjustment(
    const std::string& adjustment_id, const std::string& approver, Instant at,
    const std::function<Result<LedgerChange>(const Adjustment&, const AccountState&)>& decide,
    const std::function<AuditEntry(const Adjustment&)>& audit_for) {
  Adjustment adjustment;
  auto ran = pool_.Transaction([&](sql::Connection& c) -> Status {
    {
      Statement s(c.prepareStatement(
          "SELECT * FROM point_adjustments WHERE adjustment_id = ? FOR UPDATE"));
      s->setString(1, adjustment_id);
      Rows rs(s->executeQuery());
      if (!rs->next()) {
        return Fail(Code::kNotFound, "adjustment_not_found", "no adjustment with this id");
      }
      adjustment = ReadAdjustment(*rs);
    }
    if (adjustment.status != AdjustmentStatus::kPendingApproval) {
      return Fail(Code::kFailedPrecondition, "already_decided",
                  std::string("this adjustment is already ") + AdjustmentStatusName(adjustment.status));
    }
    const AccountState before = LockAndLoad(c, adjustment.member_id);
    auto change = decide(adjustment, before);
    if (!change) return Fail(change.error());
    if (auto ok = WriteChange(c, adjustment.member_id, before, *change); !ok) return ok;
    Statement s(c.prepareStatement(
        "UPDATE point_adjustments SET status = 'applied', decided_by = ?, decided_at = ? "
        "WHERE adjustment_id = ?"));
    s->setString(1, approver);
    s->setString(2, ToSqlTime(at));
    s->setString(3, adjustment_id);
    s->execute();
    adjustment.status = AdjustmentStatus::kApplied;
    adjustment.decided_by = approver;
    adjustment.decided_at = at;
    InsertAudit(c, audit_for(adjustment));
    return {};
  });
  if (!ran) return Fail(ran.error());
  return adjustment;
}

Result<LedgerChange> MysqlLedgerRepository::Apply(const std::string& member_id,
                                                  const LedgerDecision& decide,
                                                  const std::optional<AuditEntry>& audit) {
  LedgerChange result;
  auto ran = pool_.Transaction([&](sql::Connection& c) -> Status {
    auto change = ApplyOn(c, member_id, decide);
    if (!change) return Fail(change.error());
    if (audit) InsertAudit(c, *audit);
    result = std::move(*change);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return result;
}

Result<LedgerChange> MysqlLedgerRepository::ApplyOn(sql::Connection& c,
                                                    const std::string& member_id,
                                                    const LedgerDecision& decide) {
  const AccountState state = LockAndLoad(c, member_id);
  auto change = decide(state);
  if (!change) return Fail(change.error());
  if (auto ok = WriteChange(c, member_id, state, *change); !ok) return Fail(ok.error());
  return std::move(*change);
}

Result<std::pair<LedgerChange, LedgerChange>> MysqlLedgerRepository::ApplyTransfer(
    const std::string& first, const std::string& second, Instant sent_since,
    const TransferDecision& decide, const std::optional<AuditEntry>& audit) {
  std::pair<LedgerChange, LedgerChange> result;
  auto ran = pool_.Transaction([&](sql::Connection& c) -> Status {
    // Always lock the smaller id first, so A→B and B→A at once cannot deadlock.
    const bool in_order = first < second;
    AccountState low = LockAndLoad(c, in_order ? first : second);
    AccountState high = LockAndLoad(c, in_order ? second : first);
    // Read under the giver's lock: transfers of one member are serialised, so this total is
    // exact when the limit is checked.
    int64_t sent = 0;
    {
      Statement s(c.prepareStatement(
          "SELECT COALESCE(-SUM(available_delta), 0) FROM point_entries "
          "WHERE member_id = ? AND kind = 'transfer_out' AND at >= ?"));
      s->setString(1, first);
      s->setString(2, ToSqlTime(sent_since));
      Rows rs(s->executeQuery());
      if (rs->next()) sent = rs->getInt64(1);
    }
    auto change = in_order ? decide(low, high, sent) : decide(high, low, sent);
    if (!change) return Fail(change.error());
    if (auto ok = WriteChange(c, first, in_order ? low : high, change->first); !ok) return ok;
    if (auto ok = WriteChange(c, second, in_order ? high : low, change->second); !ok) return ok;
    if (audit) InsertAudit(c, *audit);
    result = std::move(*change);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return result;
}

Result<AccountState> MysqlLedgerRepository::Load(const std::string& member_id) {
  AccountState state;
  state.account.member_id = member_id;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    {
      Statement s(c.prepareStatement("SELECT * FROM point_accounts WHERE member_id = ?"));
      s->setString(1, member_id);
      Rows rs(s->executeQuery());
      if (rs->next()) state.account = ReadAccount(*rs);
    }
    Statement lots(c.prepareStatement(
        "SELECT * FROM point_lots WHERE member_id = ? AND remaining > 0 "
        "AND state IN ('pending','active')"));
    lots->setString(1, member_id);
    Rows rs(lots->executeQuery());
    while (rs->next()) state.lots.push_back(ReadLot(*rs));
    return {};
  });
  if (!ran) return Fail(ran.error());
  return state;
}

Result<LedgerPage> MysqlLedgerRepository::Entries(const std::string& member_id,
                                                  const std::optional<std::string>& cursor,
                                                  int limit) {
  LedgerPage page;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    std::string where = "member_id = ?";
    if (cursor) {
      where += " AND (at, entry_id) < (SELECT at, entry_id FROM point_entries "
               "WHERE member_id = ? AND entry_id = ?)";
    }
    {
      Statement s(c.prepareStatement("SELECT * FROM point_entries WHERE " + where +
                                     " ORDER BY at DESC, entry_id DESC LIMIT " +
                                     std::to_string(limit + 1)));
      s->setString(1, member_id);
      if (cursor) {
        s->setString(2, member_id);
        s->setString(3, *cursor);
      }
      Rows rs(s->executeQuery());
      while (rs->next()) {
        Entry e;
        e.entry_id = rs->getString("entry_id");
        e.at = FromSqlTime(rs->getString("at"));
        e.kind = ParseEntryKind(rs->getString("kind")).value_or(EntryKind::kAdjust);
        e.available_delta = rs->getInt64("available_delta");
        e.pending_delta = rs->getInt64("pending_delta");
        e.lot_id = GetOptional(*rs, "lot_id");
        e.ref_type = rs->getString("ref_type");
        e.ref_id = rs->getString("ref_id");
        e.reason = rs->getString("reason");
        e.staff_id = rs->getString("staff_id");
        e.store_id = GetOptional(*rs, "store_id");
        page.entries.push_back(std::move(e));
      }
    }
    if (static_cast<int>(page.entries.size()) > limit) {
      page.entries.pop_back();
      page.next_cursor = page.entries.back().entry_id;
    }
    if (page.entries.empty()) return {};
    // Allocations of the debits on this page, in one query.
    std::map<std::string, Entry*> by_id;
    std::string in;
    for (auto& e : page.entries) {
      by_id[e.entry_id] = &e;
      in += in.empty() ? "?" : ",?";
    }
    Statement s(c.prepareStatement(
        "SELECT entry_id, lot_id, points FROM point_allocations WHERE member_id = ? AND entry_id "
        "IN (" + in + ") ORDER BY entry_id, lot_id"));
    s->setString(1, member_id);
    int i = 2;
    for (const auto& e : page.entries) s->setString(i++, e.entry_id);
    Rows rs(s->executeQuery());
    while (rs->next()) {
      by_id[rs->getString("entry_id")]->allocations.push_back(
          Allocation{rs->getString("lot_id"), rs->getInt64("points")});
    }
    return {};
  });
  if (!ran) return Fail(ran.error());
  return page;
}

Result<std::vector<std::string>> MysqlLedgerRepository::MembersDue(
    Instant now, std::optional<Instant> inactive_before, int limit) {
  std::vector<std::string> ids;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    std::string query =
        "SELECT member_id FROM point_lots WHERE state = 'pending' AND activates_at <= ? "
        "UNION SELECT member_id FROM point_lots WHERE state IN ('pending','active') "
        "AND remaining > 0 AND expires_at <= ?";
    if (inactive_before) {
      query += " UNION SELECT member_id FROM point_accounts WHERE last_activity_at < ? "
               "AND available > 0";
    }
    Statement s(c.prepareStatement(query + " LIMIT " + std::to_string(limit)));
    s->setString(1, ToSqlTime(now));
    s->setString(2, ToSqlTime(now));
    if (inactive_before) s->setString(3, ToSqlTime(*inactive_before));
    Rows rs(s->executeQuery());
    while (rs->next()) ids.push_back(rs->getString(1));
    return {};
  });
  if (!ran) return Fail(ran.error());
  return ids;
}

Result<std::vector<std::string>> MysqlLedgerRepository::AccountIds(const std::string& after,
                                                                   int limit) {
  std::vector<std::string> ids;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    Statement s(c.prepareStatement("SELECT member_id FROM point_accounts WHERE member_id > ? "
                                   "ORDER BY member_id LIMIT " + std::to_string(limit)));
    s->setString(1, after);
    Rows rs(s->executeQuery());
    while (rs->next()) ids.push_back(rs->getString(1));
    return {};
  });
  if (!ran) return Fail(ran.error());
  return ids;
}

Result<std::pair<Account, LedgerTotals>> MysqlLedgerRepository::Totals(const std::string& member_id) {
  std::pair<Account, LedgerTotals> out;
  // One consistent snapshot: the account row and both sums must be read at the same moment.
  auto ran = pool_.Transaction([&](sql::Connection& c) -> Status {
    {
      Statement s(c.prepareStatement("SELECT * FROM point_accounts WHERE member_id = ? LOCK IN SHARE MODE"));
      s->setString(1, member_id);
      Rows rs(s->executeQuery());
      if (!rs->next()) return Fail(Code::kNotFound, "account_not_found", "no points account");
      out.first = ReadAccount(*rs);
    }
    {
      Statement s(c.prepareStatement(
          "SELECT COALESCE(SUM(available_delta),0), COALESCE(SUM(pending_delta),0) "
          "FROM point_entries WHERE member_id = ?"));
      s->setString(1, member_id);
      Rows rs(s->executeQuery());
      rs->next();
      out.second.entries_available = rs->getInt64(1);
      out.second.entries_pending = rs->getInt64(2);
    }
    Statement s(c.prepareStatement(
        "SELECT COALESCE(SUM(CASE WHEN state='active' THEN remaining END),0), "
        "COALESCE(SUM(CASE WHEN state='pending' THEN remaining END),0) "
        "FROM point_lots WHERE member_id = ?"));
    s->setString(1, member_id);
    Rows rs(s->executeQuery());
    rs->next();
    out.second.active_remaining = rs->getInt64(1);
    out.second.pending_remaining = rs->getInt64(2);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return out;
}

Result<std::vector<LiabilityRow>> MysqlLedgerRepository::Liability() {
  std::vector<LiabilityRow> rows;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    Statement s(c.prepareStatement(
        "SELECT store_id, expires_at, "
        "COALESCE(SUM(CASE WHEN state='active' THEN remaining END),0) AS active, "
        "COALESCE(SUM(CASE WHEN state='pending' THEN remaining END),0) AS pending "
        "FROM point_lots WHERE remaining > 0 AND state IN ('pending','active') "
        "GROUP BY store_id, expires_at ORDER BY store_id, expires_at"));
    Rows rs(s->executeQuery());
    while (rs->next()) {
      rows.push_back(LiabilityRow{GetOptional(*rs, "store_id"), GetOptionalTime(*rs, "expires_at"),
                                  rs->getInt64("active"), rs->getInt64("pending")});
    }
    return {};
  });
  if (!ran) return Fail(ran.error());
  return rows;
}

}  // namespace loyalty
