// Issued coupons in MariaDB: row locks on the coupons themselves, guarded per-member counts and
// bucketed limit counters, all in the redemption's one transaction.
#include "loyalty/mysql/mysql_coupon_repository.h"

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "loyalty/mysql/mysql_audit_log.h"
#include "loyalty/mysql/mysql_ledger_repository.h"
#include "loyalty/mysql/sql_values.h"

namespace loyalty {
namespace {

constexpr char kColumns[] =
    "code, definition_id, member_id, issue_ref, status, issued_at, valid_from, valid_until, "
    "reservation_id, reserved_until, redeemed_txn, redeemed_at, redeemed_store_id, "
    "redeemed_member_id, discount_minor, restored_at, revoked_at, revoke_reason";

IssuedCoupon ReadCoupon(sql::ResultSet& rs) {
  IssuedCoupon c;
  c.instance.code = rs.getString("code");
  c.instance.definition_id = rs.getString("definition_id");
  c.instance.member_id = GetOptional(rs, "member_id");
  c.instance.issued_at = FromSqlTime(rs.getString("issued_at"));
  c.instance.valid_from = GetOptionalTime(rs, "valid_from");
  c.instance.valid_until = GetOptionalTime(rs, "valid_until");
  c.issue_ref = rs.getString("issue_ref");
  c.status = ParseCouponStatus(rs.getString("status")).value_or(CouponStatus::kRevoked);
  c.reservation_id = GetOptional(rs, "reservation_id");
  c.reserved_until = GetOptionalTime(rs, "reserved_until");
  c.redeemed_txn = GetOptional(rs, "redeemed_txn");
  c.redeemed_at = GetOptionalTime(rs, "redeemed_at");
  c.redeemed_store_id = GetOptional(rs, "redeemed_store_id");
  c.redeemed_member_id = GetOptional(rs, "redeemed_member_id");
  c.discount_minor = rs.getInt64("discount_minor");
  c.restored_at = GetOptionalTime(rs, "restored_at");
  c.revoked_at = GetOptionalTime(rs, "revoked_at");
  c.revoke_reason = rs.getString("revoke_reason");
  return c;
}

std::string Placeholders(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += i ? ",?" : "?";
  return out;
}

// Locks the named coupons in code order (so two transactions never wait on each other in
// opposite orders) and returns them by code.
std::map<std::string, IssuedCoupon> LockCoupons(sql::Connection& c,
                                                const std::vector<std::string>& codes) {
  std::set<std::string> sorted(codes.begin(), codes.end());
  std::map<std::string, IssuedCoupon> out;
  if (sorted.empty()) return out;
  Statement s(c.prepareStatement(std::string("SELECT ") + kColumns +
                                 " FROM coupons WHERE code IN (" + Placeholders(sorted.size()) +
                                 ") ORDER BY code FOR UPDATE"));
  int i = 1;
  for (const auto& code : sorted) s->setString(i++, code);
  Rows rs(s->executeQuery());
  while (rs->next()) {
    IssuedCoupon coupon = ReadCoupon(*rs);
    out.emplace(coupon.instance.code, std::move(coupon));
  }
  return out;
}

tl::unexpected<Error> NotFound(const std::string& code) {
  Error e{Code::kNotFound, "coupon_not_found", "no coupon with code " + code, {}};
  e.With("coupon_code", code);
  return tl::unexpected<Error>(std::move(e));
}

tl::unexpected<Error> LimitReached(const std::string& code, const std::string& limit) {
  Error e{Code::kFailedPrecondition,
          "coupon_limit_reached",
          "coupon " + code + " cannot be used: the offer's " + limit + " limit is reached",
          {}};
  e.With("coupon_code", code);
  e.With("limit", limit);
  return tl::unexpected<Error>(std::move(e));
}

// "store:S1" -> "per_store"; the name a cashier and the API documentation use.
std::string LimitName(const std::string& scope) {
  if (scope.starts_with("store:")) return "per_store";
  if (scope.starts_with("period:")) return "per_period";
  return scope;  // "total", "budget"
}

// Creates the scope's bucket rows the first time the scope is used. Runs before the
// redemption's transaction, in autocommit: INSERT IGNORE takes shared locks on rows that exist,
// and holding those beside other tills' exclusive locks is how tills deadlock. The count is a
// plain read, so after the first use this touches no lock at all.
void EnsureBuckets(sql::Connection& c, const std::string& definition_id, const CounterTake& take) {
  {
    Statement s(c.prepareStatement(
        "SELECT COUNT(*) FROM coupon_counters WHERE definition_id = ? AND scope = ?"));
    s->setString(1, definition_id);
    s->setString(2, take.scope);
    Rows rs(s->executeQuery());
    if (rs->next() && rs->getInt(1) >= take.buckets) return;
  }
  std::string sql =
      "INSERT IGNORE INTO coupon_counters (definition_id, scope, bucket, cap, used) VALUES ";
  for (int b = 0; b < take.buckets; ++b) sql += b ? ",(?,?,?,?,0)" : "(?,?,?,?,0)";
  Statement s(c.prepareStatement(sql));
  int p = 1;
  for (int b = 0; b < take.buckets; ++b) {
    s->setString(p++, definition_id);
    s->setString(p++, take.scope);
    s->setInt(p++, b);
    s->setInt64(p++, BucketCap(take, b));
  }
  s->execute();
}

// The buckets worth locking, by a plain (unlocked) read: those with room (taking) or with
// something used (giving back), the code's home bucket first, then the ring after it. Locking
// only these keeps a till from holding full buckets that other tills are passing through.
std::vector<int> CandidateBuckets(sql::Connection& c, const std::string& definition_id,
                                  const std::string& code, const CounterTake& take, bool taking) {
  std::vector<int> with_room;
  {
    Statement s(c.prepareStatement(
        "SELECT bucket FROM coupon_counters WHERE definition_id = ? AND scope = ? AND " +
        std::string(taking ? "used < cap" : "used > 0")));
    s->setString(1, definition_id);
    s->setString(2, take.scope);
    Rows rs(s->executeQuery());
    while (rs->next()) with_room.push_back(rs->getInt(1));
  }
  const int home = HomeBucket(code, take.buckets);
  std::sort(with_room.begin(), with_room.end(), [&](int a, int b) {
    return (a - home + take.buckets) % take.buckets < (b - home + take.buckets) % take.buckets;
  });
  return with_room;
}

// Moves `amount` into (taking) or out of a scope's buckets under their row locks; returns what
// could not be moved (0 = done).
int64_t MoveThroughBuckets(sql::Connection& c, const std::string& definition_id,
                           const std::string& code, const CounterTake& take, bool taking) {
  int64_t remaining = take.amount;
  for (int bucket : CandidateBuckets(c, definition_id, code, take, taking)) {
    if (remaining == 0) break;
    int64_t available = 0;
    {
      Statement s(c.prepareStatement(
          std::string("SELECT ") + (taking ? "cap - used" : "used") +
          " FROM coupon_counters WHERE definition_id = ? AND scope = ? AND bucket = ? FOR UPDATE"));
      s->setString(1, definition_id);
      s->setString(2, take.scope);
      s->setInt(3, bucket);
      Rows rs(s->executeQuery());
      if (rs->next()) available = rs->getInt64(1);
    }
    const int64_t moved = std::min(available, remaining);
    if (moved <= 0) continue;  // another till got there first
    Statement s(c.prepareStatement(
        "UPDATE coupon_counters SET used = used + ? WHERE definition_id = ? AND scope = ? AND "
        "bucket = ?"));
    s->setInt64(1, taking ? moved : -moved);
    s->setString(2, definition_id);
    s->setString(3, take.scope);
    s->setInt(4, bucket);
    s->execute();
    remaining -= moved;
  }
  return remaining;
}

// One more redemption by the member, unless that passes `limit`.
bool TakeMemberCount(sql::Connection& c, const std::string& member_id,
                     const std::string& definition_id, int64_t limit) {
  {
    Statement s(c.prepareStatement(  // exclusive lock at once (INSERT IGNORE would share it)
        "INSERT INTO coupon_member_counters (member_id, definition_id, used) "
        "VALUES (?,?,0) ON DUPLICATE KEY UPDATE used = used"));
    s->setString(1, member_id);
    s->setString(2, definition_id);
    s->execute();
  }
  Statement s(
      c.prepareStatement("UPDATE coupon_member_counters SET used = used + 1 "
                         "WHERE member_id = ? AND definition_id = ? AND used < ?"));
  s->setString(1, member_id);
  s->setString(2, definition_id);
  s->setInt64(3, limit);
  return s->executeUpdate() == 1;
}

void ReturnMemberCount(sql::Connection& c, const std::string& member_id,
                       const std::string& definition_id) {
  Statement s(
      c.prepareStatement("UPDATE coupon_member_counters SET used = used - 1 "
                         "WHERE member_id = ? AND definition_id = ? AND used > 0"));
  s->setString(1, member_id);
  s->setString(2, definition_id);
  s->execute();
}

std::optional<IssuedCoupon> SelectByIssue(sql::Connection& c, const std::string& member_id,
                                          const std::string& definition_id,
                                          const std::string& issue_ref) {
  Statement s(c.prepareStatement(
      std::string("SELECT ") + kColumns +
      " FROM coupons WHERE member_id = ? AND definition_id = ? AND issue_ref = ?"));
  s->setString(1, member_id);
  s->setString(2, definition_id);
  s->setString(3, issue_ref);
  Rows rs(s->executeQuery());
  if (rs->next()) return ReadCoupon(*rs);
  return std::nullopt;
}

// Finds the held codes through the reservation index, then releases them by primary key: an
// UPDATE ... WHERE reservation_id = ? may be planned over the (status, reserved_until) index and
// then locks other checkouts' rows too.
void ReleaseHeld(sql::Connection& c, const std::string& reservation_id) {
  std::vector<std::string> codes;
  {
    Statement s(c.prepareStatement("SELECT code FROM coupons WHERE reservation_id = ?"));
    s->setString(1, reservation_id);
    Rows rs(s->executeQuery());
    while (rs->next()) codes.push_back(rs->getString(1));
  }
  if (codes.empty()) return;
  Statement s(c.prepareStatement(
      "UPDATE coupons SET status = 'issued', reservation_id = NULL, reserved_until = NULL "
      "WHERE code IN (" +
      Placeholders(codes.size()) +
      ") AND reservation_id = ? AND "
      "status = 'reserved'"));
  int i = 1;
  for (const auto& code : codes) s->setString(i++, code);
  s->setString(i, reservation_id);
  s->execute();
}

}  // namespace

int MysqlCouponRepository::InsertRowsOn(sql::Connection& c,
                                        const std::vector<IssuedCoupon>& coupons) {
  std::string sql =
      "INSERT IGNORE INTO coupons (code, definition_id, member_id, issue_ref, status, "
      "issued_at, valid_from, valid_until) VALUES ";
  for (size_t i = 0; i < coupons.size(); ++i) {
    sql += i ? ",(?,?,?,?,'issued',?,?,?)" : "(?,?,?,?,'issued',?,?,?)";
  }
  Statement s(c.prepareStatement(sql));
  int p = 1;
  for (const IssuedCoupon& coupon : coupons) {
    const CouponInstance& in = coupon.instance;
    s->setString(p++, in.code);
    s->setString(p++, in.definition_id);
    BindOptional(*s, p++, in.member_id);
    s->setString(p++, coupon.issue_ref);
    s->setString(p++, ToSqlTime(in.issued_at));
    BindOptionalTime(*s, p++, in.valid_from);
    BindOptionalTime(*s, p++, in.valid_until);
  }
  return s->executeUpdate();
}

Result<std::vector<std::string>> MysqlCouponRepository::Insert(
    const std::vector<IssuedCoupon>& coupons, const std::optional<AuditEntry>& audit) {
  std::vector<std::string> skipped;
  if (coupons.empty()) return skipped;
  auto ran = pool_.Transaction([&](sql::Connection& c) -> Status {
    skipped.clear();
    const bool all_new = InsertRowsOn(c, coupons) == static_cast<int>(coupons.size());
    if (audit) InsertAudit(c, *audit);
    if (all_new) return {};
    // Some rows were ignored: a code that exists (drawn twice) or a member who already has a
    // coupon from this issue. The rows that are ours have our issue_ref and member.
    std::vector<std::string> codes;
    for (const IssuedCoupon& coupon : coupons) codes.push_back(coupon.instance.code);
    Statement s(
        c.prepareStatement("SELECT code, member_id, issue_ref FROM coupons WHERE code IN (" +
                           Placeholders(codes.size()) + ")"));
    for (size_t i = 0; i < codes.size(); ++i) s->setString(static_cast<int>(i + 1), codes[i]);
    Rows rs(s->executeQuery());
    std::map<std::string, std::pair<std::optional<std::string>, std::string>> found;
    while (rs->next()) {
      found[rs->getString("code")] = {GetOptional(*rs, "member_id"), rs->getString("issue_ref")};
    }
    for (const IssuedCoupon& coupon : coupons) {
      auto it = found.find(coupon.instance.code);
      if (it == found.end() || it->second.first != coupon.instance.member_id ||
          it->second.second != coupon.issue_ref) {
        skipped.push_back(coupon.instance.code);
      }
    }
    return {};
  });
  if (!ran) return Fail(ran.error());
  return skipped;
}

Result<std::optional<IssuedCoupon>> MysqlCouponRepository::Find(const std::string& code) {
  std::optional<IssuedCoupon> out;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    Statement s(
        c.prepareStatement(std::string("SELECT ") + kColumns + " FROM coupons WHERE code = ?"));
    s->setString(1, code);
    Rows rs(s->executeQuery());
    if (rs->next()) out = ReadCoupon(*rs);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return out;
}

Result<std::optional<IssuedCoupon>> MysqlCouponRepository::FindByIssue(
    const std::string& member_id, const std::string& definition_id, const std::string& issue_ref) {
  std::optional<IssuedCoupon> out;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    out = SelectByIssue(c, member_id, definition_id, issue_ref);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return out;
}

Result<std::pair<IssuedCoupon, bool>> MysqlCouponRepository::InsertPaid(const IssuedCoupon& coupon,
                                                                        const LedgerDecision& debit,
                                                                        const AuditEntry& audit) {
  std::pair<IssuedCoupon, bool> out{coupon, true};
  const std::string& member_id = *coupon.instance.member_id;
  auto ran = pool_.Transaction([&](sql::Connection& c) -> Status {
    out = {coupon, true};
    if (InsertRowsOn(c, {coupon}) == 0) {
      // Either this exchange happened already (the unique key waited for it to commit, so a
      // plain read sees it; a locking read here would deadlock with other repeats) or the code
      // belongs to another coupon.
      auto existing = SelectByIssue(c, member_id, coupon.instance.definition_id, coupon.issue_ref);
      if (!existing) {
        return Fail(Code::kAborted, "coupon_code_taken", "the drawn code exists; draw another");
      }
      out = {std::move(*existing), false};
      return {};
    }
    auto paid = MysqlLedgerRepository::ApplyOn(c, member_id, debit);
    if (!paid) return Fail(paid.error());
    InsertAudit(c, audit);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return out;
}

Result<CouponPage> MysqlCouponRepository::Page(const char* column, const std::string& value,
                                               const std::string& after_code, int limit) {
  CouponPage page;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    Statement s(c.prepareStatement(std::string("SELECT ") + kColumns + " FROM coupons WHERE " +
                                   column + " = ? AND code > ? ORDER BY code LIMIT ?"));
    s->setString(1, value);
    s->setString(2, after_code);
    s->setInt(3, limit + 1);
    Rows rs(s->executeQuery());
    while (rs->next()) page.coupons.push_back(ReadCoupon(*rs));
    return {};
  });
  if (!ran) return Fail(ran.error());
  if (static_cast<int>(page.coupons.size()) > limit) {
    page.coupons.pop_back();
    page.next_cursor = page.coupons.back().instance.code;
  }
  return page;
}

Result<CouponPage> MysqlCouponRepository::ForMember(const std::string& member_id,
                                                    const std::string& after_code, int limit) {
  return Page("member_id", member_id, after_code, limit);
}

Result<CouponPage> MysqlCouponRepository::ForIssueRef(const std::string& issue_ref,
                                                      const std::string& after_code, int limit) {
  return Page("issue_ref", issue_ref, after_code, limit);
}

Result<int64_t> MysqlCouponRepository::CountByIssueRef(const std::string& issue_ref) {
  int64_t count = 0;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    Statement s(c.prepareStatement("SELECT COUNT(*) FROM coupons WHERE issue_ref = ?"));
    s->setString(1, issue_ref);
    Rows rs(s->executeQuery());
    if (rs->next()) count = rs->getInt64(1);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return count;
}

Status MysqlCouponRepository::Reserve(const std::vector<std::string>& codes,
                                      const std::string& reservation_id, Instant until,
                                      Instant now) {
  if (codes.empty()) return {};
  return pool_.Transaction([&](sql::Connection& c) -> Status {
    auto locked = LockCoupons(c, codes);
    for (const auto& code : codes) {
      auto it = locked.find(code);
      if (it == locked.end()) return NotFound(code);
      if (!Reservable(it->second, reservation_id, now)) {
        if (auto why = CheckRedeemable(it->second, std::nullopt, now); !why)
          return Fail(why.error());
        return Fail(Code::kFailedPrecondition, "coupon_unavailable",
                    "coupon " + code + " cannot be reserved now");
      }
    }
    Statement s(c.prepareStatement(
        "UPDATE coupons SET status = 'reserved', reservation_id = ?, reserved_until = ? "
        "WHERE code IN (" +
        Placeholders(locked.size()) + ")"));
    s->setString(1, reservation_id);
    s->setString(2, ToSqlTime(until));
    int i = 3;
    for (const auto& [code, coupon] : locked) s->setString(i++, code);
    s->execute();
    return {};
  });
}

Status MysqlCouponRepository::Release(const std::string& reservation_id) {
  return pool_.Transaction([&](sql::Connection& c) -> Status {
    ReleaseHeld(c, reservation_id);
    return {};
  });
}

Status MysqlCouponRepository::Redeem(const CouponRedemption& r) {
  auto ensured = pool_.Run([&](sql::Connection& c) -> Status {
    PrepareRedeem(c, r);
    return {};
  });
  if (!ensured) return ensured;
  return pool_.Transaction([&](sql::Connection& c) { return RedeemOn(c, r); });
}

void MysqlCouponRepository::PrepareRedeem(sql::Connection& c, const CouponRedemption& r) {
  for (const CouponUse& use : r.uses) {
    for (const CounterTake& take : use.takes) EnsureBuckets(c, use.definition_id, take);
  }
}

Status MysqlCouponRepository::RedeemOn(sql::Connection& c, const CouponRedemption& r) {
  std::vector<std::string> codes;
  for (const CouponUse& use : r.uses) codes.push_back(use.code);
  auto locked = LockCoupons(c, codes);
  std::set<std::string> done;
  for (const CouponUse& use : r.uses) {
    if (!done.insert(use.code).second) continue;  // listed twice: one coupon, one use
    auto it = locked.find(use.code);
    if (it == locked.end()) return NotFound(use.code);
    const IssuedCoupon& coupon = it->second;
    if (coupon.status == CouponStatus::kRedeemed && coupon.redeemed_txn == r.txn_ref) {
      continue;  // a replay of this sale: counted the first time
    }
    if (auto ok = CheckRedeemable(coupon, r.reservation_id, r.at); !ok) return Fail(ok.error());
    // The last check under the row lock: a member's coupon is only ever used for that member.
    if (coupon.instance.member_id && coupon.instance.member_id != r.member_id) {
      Error e{Code::kFailedPrecondition,
              "coupon_other_member",
              "coupon " + use.code + " belongs to another member",
              {}};
      e.With("coupon_code", use.code);
      return Fail(std::move(e));
    }
    if (r.member_id && use.per_member_limit > 0 &&
        !TakeMemberCount(c, *r.member_id, use.definition_id, use.per_member_limit)) {
      return LimitReached(use.code, "per_member");
    }
    for (const CounterTake& take : use.takes) {
      if (MoveThroughBuckets(c, use.definition_id, use.code, take, true) > 0) {
        return LimitReached(use.code, LimitName(take.scope));
      }
    }
    Statement s(c.prepareStatement(
        "UPDATE coupons SET status = 'redeemed', reservation_id = NULL, reserved_until = NULL, "
        "redeemed_txn = ?, redeemed_at = ?, redeemed_store_id = ?, redeemed_member_id = ?, "
        "discount_minor = ? WHERE code = ?"));
    s->setString(1, r.txn_ref);
    s->setString(2, ToSqlTime(r.at));
    s->setString(3, r.store_id);
    BindOptional(*s, 4, r.member_id);
    s->setInt64(5, use.discount_minor);
    s->setString(6, use.code);
    s->execute();
  }
  // Whatever else the quote held goes back to the wallets.
  if (r.reservation_id) ReleaseHeld(c, *r.reservation_id);
  return {};
}

Result<std::vector<IssuedCoupon>> MysqlCouponRepository::RedeemedBy(const std::string& txn_ref) {
  std::vector<IssuedCoupon> out;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    Statement s(c.prepareStatement(std::string("SELECT ") + kColumns +
                                   " FROM coupons WHERE redeemed_txn = ? AND status = 'redeemed' "
                                   "ORDER BY code"));
    s->setString(1, txn_ref);
    Rows rs(s->executeQuery());
    while (rs->next()) out.push_back(ReadCoupon(*rs));
    return {};
  });
  if (!ran) return Fail(ran.error());
  return out;
}

Result<std::vector<std::string>> MysqlCouponRepository::Restore(const std::string& txn_ref,
                                                                const std::vector<CouponUse>& uses,
                                                                Instant at) {
  std::vector<std::string> restored;
  auto ran = pool_.Transaction([&](sql::Connection& c) -> Status {
    restored = RestoreOn(c, txn_ref, uses, at);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return restored;
}

std::vector<std::string> MysqlCouponRepository::RestoreOn(sql::Connection& c,
                                                          const std::string& txn_ref,
                                                          const std::vector<CouponUse>& uses,
                                                          Instant at) {
  std::vector<std::string> restored;
  std::vector<std::string> codes;
  for (const CouponUse& use : uses) codes.push_back(use.code);
  auto locked = LockCoupons(c, codes);
  for (const CouponUse& use : uses) {
    auto it = locked.find(use.code);
    if (it == locked.end()) continue;
    const IssuedCoupon& coupon = it->second;
    if (coupon.status != CouponStatus::kRedeemed || coupon.redeemed_txn != txn_ref) continue;
    if (coupon.redeemed_member_id && use.per_member_limit > 0) {
      ReturnMemberCount(c, *coupon.redeemed_member_id, use.definition_id);
    }
    for (const CounterTake& take : use.takes) {
      MoveThroughBuckets(c, use.definition_id, use.code, take, false);
    }
    Statement s(c.prepareStatement(
        "UPDATE coupons SET status = 'issued', redeemed_txn = NULL, redeemed_at = NULL, "
        "redeemed_store_id = NULL, redeemed_member_id = NULL, discount_minor = 0, "
        "restored_at = ? WHERE code = ?"));
    s->setString(1, ToSqlTime(at));
    s->setString(2, use.code);
    s->execute();
    restored.push_back(use.code);
  }
  return restored;
}

Result<IssuedCoupon> MysqlCouponRepository::Revoke(const std::string& code,
                                                   const std::string& reason,
                                                   const AuditEntry& audit) {
  IssuedCoupon out;
  auto ran = pool_.Transaction([&](sql::Connection& c) -> Status {
    auto locked = LockCoupons(c, {code});
    auto it = locked.find(code);
    if (it == locked.end()) return NotFound(code);
    out = it->second;
    if (out.status == CouponStatus::kRedeemed || out.status == CouponStatus::kRevoked) {
      if (auto why = CheckRedeemable(out, std::nullopt, audit.at); !why) return Fail(why.error());
    }
    Statement s(c.prepareStatement(
        "UPDATE coupons SET status = 'revoked', reservation_id = NULL, reserved_until = NULL, "
        "revoked_at = ?, revoke_reason = ? WHERE code = ?"));
    s->setString(1, ToSqlTime(audit.at));
    s->setString(2, reason);
    s->setString(3, code);
    s->execute();
    InsertAudit(c, audit);
    out.status = CouponStatus::kRevoked;
    out.reservation_id.reset();
    out.reserved_until.reset();
    out.revoked_at = audit.at;
    out.revoke_reason = reason;
    return {};
  });
  if (!ran) return Fail(ran.error());
  return out;
}

Result<int> MysqlCouponRepository::ReleaseEnded(Instant now, int limit) {
  // A plain read finds the ended holds; each is then released by primary key, in code order like
  // every other coupon write, and only if it is still the same ended hold.
  std::vector<std::string> codes;
  auto found = pool_.Run([&](sql::Connection& c) -> Status {
    Statement s(c.prepareStatement(
        "SELECT code FROM coupons WHERE status = 'reserved' AND reserved_until <= ? "
        "ORDER BY code LIMIT ?"));
    s->setString(1, ToSqlTime(now));
    s->setInt(2, limit);
    Rows rs(s->executeQuery());
    while (rs->next()) codes.push_back(rs->getString(1));
    return {};
  });
  if (!found) return Fail(found.error());
  int released = 0;
  for (const std::string& code : codes) {
    auto ran = pool_.Run([&](sql::Connection& c) -> Status {
      Statement s(c.prepareStatement(
          "UPDATE coupons SET status = 'issued', reservation_id = NULL, reserved_until = NULL "
          "WHERE code = ? AND status = 'reserved' AND reserved_until <= ?"));
      s->setString(1, code);
      s->setString(2, ToSqlTime(now));
      released += s->executeUpdate();
      return {};
    });
    if (!ran) return Fail(ran.error());
  }
  return released;
}

}  // namespace loyalty
