// Port: issued coupons, their reservations and redemptions, and the limit counters. The MariaDB
// adapter changes a coupon only under its row lock and takes limits with guarded updates, so one
// code is redeemed once however many tills try.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/common/error.h"
#include "loyalty/domain/audit.h"
#include "loyalty/domain/coupon_lifecycle.h"
#include "loyalty/domain/ports/ledger_repository.h"

namespace loyalty {

struct CouponPage {
  std::vector<IssuedCoupon> coupons;  // by code
  std::optional<std::string> next_cursor;
};

// One coupon of a redemption, with everything it draws on (the service computes the takes from
// the definition, the store and the store's business date).
struct CouponUse {
  std::string code;
  std::string definition_id;
  int64_t discount_minor = 0;
  std::vector<CounterTake> takes;
  int64_t per_member_limit = 0;  // 0 = none
};

struct CouponRedemption {
  std::optional<std::string> reservation_id;  // the quote that holds the codes, if any
  std::string txn_ref;                        // the sale; a replay with it is a no-op
  std::optional<std::string> member_id;       // the identified shopper
  std::string store_id;
  Instant at{};
  std::vector<CouponUse> uses;
};

class CouponRepository {
 public:
  virtual ~CouponRepository() = default;

  // Inserts new coupons with their issue_ref in one transaction. A member coupon whose
  // (member, definition, issue_ref) already exists is skipped (issuing twice is a no-op), and so
  // is a code that already exists (2^-65 odds); both come back in the result so the caller can
  // tell "already had one" from "draw another code".
  // `audit`, when given, is written in the same transaction.
  virtual Result<std::vector<std::string>> Insert(const std::vector<IssuedCoupon>& coupons,
                                                  const std::optional<AuditEntry>& audit) = 0;
  // Points for a coupon, in one transaction: inserts `coupon` (a member coupon), then applies
  // `debit` to the member's ledger, then writes `audit`. If the member already has a coupon with
  // the same (definition, issue_ref), nothing is written and that coupon comes back with
  // `false` (a repeated exchange is free). An error from `debit` (insufficient_points) rolls the
  // coupon back; coupon_code_taken (kAborted) asks for another code.
  virtual Result<std::pair<IssuedCoupon, bool>> InsertPaid(const IssuedCoupon& coupon,
                                                           const LedgerDecision& debit,
                                                           const AuditEntry& audit) = 0;
  // The coupon a member got from one issue (request, birthday year, exchange), if any.
  virtual Result<std::optional<IssuedCoupon>> FindByIssue(const std::string& member_id,
                                                          const std::string& definition_id,
                                                          const std::string& issue_ref) = 0;

  virtual Result<std::optional<IssuedCoupon>> Find(const std::string& code) = 0;
  // A member's coupons, by code, after `after_code` (the cursor).
  virtual Result<CouponPage> ForMember(const std::string& member_id, const std::string& after_code,
                                       int limit) = 0;
  // The codes issued under `issue_ref` (an anonymous bulk job), by code, for the CSV export.
  virtual Result<CouponPage> ForIssueRef(const std::string& issue_ref,
                                         const std::string& after_code, int limit) = 0;

  // How many coupons carry `issue_ref` (a resumed bulk job counts what it already made).
  virtual Result<int64_t> CountByIssueRef(const std::string& issue_ref) = 0;

  // All or nothing: every code becomes reserved by `reservation_id` until `until`, or none does
  // and the error (coupon_unavailable, detail "coupon_code") names the first that is not Reservable
  // at `now` (or coupon_not_found).
  virtual Status Reserve(const std::vector<std::string>& codes, const std::string& reservation_id,
                         Instant until, Instant now) = 0;
  // Gives back whatever `reservation_id` still holds (an abandoned quote); unknown ids are fine.
  virtual Status Release(const std::string& reservation_id) = 0;

  // All or nothing, in one transaction: every coupon must be available at `at` or held by the
  // redemption's reservation and, if it is a member's, belong to the redemption's member
  // (coupon_other_member), the member's per-definition counts must stay within their
  // limits, and every counter take must fit its scope's cap. Errors: coupon_unavailable,
  // coupon_not_found, coupon_limit_reached (detail "limit": "per_member", "total", "budget",
  // "per_store" or "per_period"). A replay with the same txn_ref of codes it already redeemed
  // succeeds without counting again.
  virtual Status Redeem(const CouponRedemption& redemption) = 0;

  // The coupons redeemed by `txn_ref`.
  virtual Result<std::vector<IssuedCoupon>> RedeemedBy(const std::string& txn_ref) = 0;
  // Gives the listed coupons of `txn_ref` back (status issued, restored_at = at) and returns
  // their takes and per-member counts; codes no longer redeemed by it are skipped, so restoring
  // twice is a no-op. Returns the codes restored.
  virtual Result<std::vector<std::string>> Restore(const std::string& txn_ref,
                                                   const std::vector<CouponUse>& uses,
                                                   Instant at) = 0;

  // Revokes an unused coupon (with its audit entry); coupon_not_found, or coupon_used /
  // coupon_revoked.
  virtual Result<IssuedCoupon> Revoke(const std::string& code, const std::string& reason,
                                      const AuditEntry& audit) = 0;

  // Sets at most `limit` reservations that ended before `now` back to issued (the state they
  // already show), one row at a time; keeps the table honest for reports. Returns how many.
  virtual Result<int> ReleaseEnded(Instant now, int limit) = 0;
};

}  // namespace loyalty
