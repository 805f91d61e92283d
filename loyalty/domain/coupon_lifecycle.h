// Issued coupons through their life (issued → reserved → redeemed → restored / expired /
// revoked) and the limit counters a redemption draws from.
#pragma once

#include <date/date.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/common/clock.h"
#include "loyalty/domain/coupon.h"

namespace loyalty {

// What is stored. Expiry and the end of a reservation are not stored transitions: they follow
// from the clock (WalletState), so nothing has to run for a coupon to expire or come back.
enum class CouponStatus { kIssued, kReserved, kRedeemed, kRevoked };
const char *CouponStatusName(CouponStatus s);
std::optional<CouponStatus> ParseCouponStatus(const std::string &name);

// What the member and the till see at a given instant.
enum class CouponWalletState { kAvailable, kReserved, kUsed, kExpired, kRevoked };
const char *WalletStateName(CouponWalletState s);  // "available", "reserved", "used", ...

struct IssuedCoupon {
  CouponInstance instance;
  CouponStatus status = CouponStatus::kIssued;
  std::string issue_ref;  // the issuing request, job, exchange or "birthday:<year>"
  std::optional<std::string> reservation_id;  // the quote holding it
  std::optional<Instant> reserved_until;
  std::optional<std::string> redeemed_txn;
  std::optional<Instant> redeemed_at;
  std::optional<std::string> redeemed_store_id;
  std::optional<std::string> redeemed_member_id;
  int64_t discount_minor = 0;
  std::optional<Instant> restored_at;  // the last return or void that gave it back
  std::optional<Instant> revoked_at;
  std::string revoke_reason;
};

// A reservation past reserved_until is available again; an unused coupon past valid_until is
// expired (a used one stays used).
CouponWalletState WalletState(const IssuedCoupon &coupon, Instant now);

// Whether `reservation_id` may hold the coupon at `now`: it is available, or this reservation
// already holds it (a re-quote of the same basket).
bool Reservable(const IssuedCoupon &coupon, const std::string &reservation_id, Instant now);

// Why `coupon` cannot be redeemed at `at` by a sale holding `reservation_id` (if any), as an
// error with detail "coupon_code": coupon_used, coupon_revoked, coupon_expired,
// coupon_not_yet_valid (kFailedPrecondition) or coupon_reserved (held by another quote; kAborted).
// A coupon the same reservation holds, or one whose reservation has ended, may be redeemed.
Status CheckRedeemable(const IssuedCoupon &coupon, const std::optional<std::string> &reservation_id,
                       Instant at);

// ---- Limit counters (GUIDE §8: no hot row for every till) ----------------------------------
//
// Each limited quantity is a scope ("total", "budget", "store:S1", "period:day:2026-11-23")
// split into buckets; a redemption takes from the bucket its code hashes to and spills into the
// next ones, so tills mostly touch different rows while the sum of the caps is exact.
inline constexpr int kCouponCounterBuckets = 16;

struct CounterTake {
  std::string scope;
  int64_t cap = 0;     // the scope's limit over all buckets
  int buckets = 1;     // min(kCouponCounterBuckets, cap)
  int64_t amount = 0;  // 1 for a count, the discount for the budget
};

// The takes one redemption of `definition` at `store_id` on `business_date` (the store's) needs,
// for discount `discount_minor`; per-member limits are separate (they are the member's rows).
std::vector<CounterTake> CouponCounterTakes(const CouponDefinition &definition,
                                            const std::string &store_id,
                                            date::year_month_day business_date,
                                            int64_t discount_minor);

// Cap of bucket `bucket` of `take`: the cap spread evenly, the first cap % buckets one larger.
int64_t BucketCap(const CounterTake &take, int bucket);

// The bucket a code starts from (a stable hash, the same in every process).
int HomeBucket(const std::string &code, int buckets);

// "day:2026-11-23", "week:2026-W48" (ISO 8601 week), "month:2026-11".
std::string CouponPeriodKey(CouponPeriod period, date::year_month_day day);

}  // namespace loyalty
