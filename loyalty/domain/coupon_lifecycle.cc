// Coupon states at an instant and the limit counters of a redemption.
#include "loyalty/domain/coupon_lifecycle.h"

#include <algorithm>
#include <cstdio>

namespace loyalty {

const char *CouponStatusName(CouponStatus s) {
  switch (s) {
    case CouponStatus::kIssued:
      return "issued";
    case CouponStatus::kReserved:
      return "reserved";
    case CouponStatus::kRedeemed:
      return "redeemed";
    case CouponStatus::kRevoked:
      return "revoked";
  }
  return "issued";
}

std::optional<CouponStatus> ParseCouponStatus(const std::string &name) {
  for (CouponStatus s : {CouponStatus::kIssued, CouponStatus::kReserved, CouponStatus::kRedeemed,
                         CouponStatus::kRevoked}) {
    if (name == CouponStatusName(s)) return s;
  }
  return std::nullopt;
}

const char *WalletStateName(CouponWalletState s) {
  switch (s) {
    case CouponWalletState::kAvailable:
      return "available";
    case CouponWalletState::kReserved:
      return "reserved";
    case CouponWalletState::kUsed:
      return "used";
    case CouponWalletState::kExpired:
      return "expired";
    case CouponWalletState::kRevoked:
      return "revoked";
  }
  return "available";
}

CouponWalletState WalletState(const IssuedCoupon &coupon, Instant now) {
  switch (coupon.status) {
    case CouponStatus::kRedeemed:
      return CouponWalletState::kUsed;
    case CouponStatus::kRevoked:
      return CouponWalletState::kRevoked;
    case CouponStatus::kReserved:
    case CouponStatus::kIssued:
      break;
  }
  if (coupon.instance.valid_until && now >= *coupon.instance.valid_until) {
    return CouponWalletState::kExpired;
  }
  if (coupon.status == CouponStatus::kReserved && coupon.reserved_until &&
      now < *coupon.reserved_until) {
    return CouponWalletState::kReserved;
  }
  return CouponWalletState::kAvailable;
}

bool Reservable(const IssuedCoupon &coupon, const std::string &reservation_id, Instant now) {
  switch (WalletState(coupon, now)) {
    case CouponWalletState::kAvailable:
      return true;
    case CouponWalletState::kReserved:
      return coupon.reservation_id == reservation_id;
    default:
      return false;
  }
}

Status CheckRedeemable(const IssuedCoupon &coupon, const std::optional<std::string> &reservation_id,
                       Instant at) {
  auto fail = [&](Code code, const char *slug, const std::string &message) {
    Error e{code, slug, "coupon " + coupon.instance.code + " " + message, {}};
    e.With("coupon_code", coupon.instance.code);
    return tl::unexpected<Error>(std::move(e));
  };
  switch (WalletState(coupon, at)) {
    case CouponWalletState::kUsed:
      return fail(Code::kFailedPrecondition, "coupon_used", "has already been used");
    case CouponWalletState::kRevoked:
      return fail(Code::kFailedPrecondition, "coupon_revoked", "has been withdrawn");
    case CouponWalletState::kExpired:
      return fail(Code::kFailedPrecondition, "coupon_expired", "has expired");
    case CouponWalletState::kReserved:
      if (coupon.reservation_id != reservation_id) {
        return fail(Code::kAborted, "coupon_reserved",
                    "is held by another checkout; finish or cancel that one first");
      }
      break;
    case CouponWalletState::kAvailable:
      break;
  }
  if (coupon.instance.valid_from && at < *coupon.instance.valid_from) {
    return fail(Code::kFailedPrecondition, "coupon_not_yet_valid", "is not valid yet");
  }
  return {};
}

std::vector<CounterTake> CouponCounterTakes(const CouponDefinition &definition,
                                            const std::string &store_id,
                                            date::year_month_day business_date,
                                            int64_t discount_minor) {
  auto take = [](std::string scope, int64_t cap, int64_t amount) {
    return CounterTake{std::move(scope), cap,
                       static_cast<int>(std::min<int64_t>(kCouponCounterBuckets, cap)), amount};
  };
  const CouponLimits &l = definition.limits;
  std::vector<CounterTake> out;
  if (l.total > 0) out.push_back(take("total", l.total, 1));
  if (definition.budget_minor > 0 && discount_minor > 0) {
    out.push_back(take("budget", definition.budget_minor, discount_minor));
  }
  if (l.per_store > 0) out.push_back(take("store:" + store_id, l.per_store, 1));
  if (l.per_period > 0) {
    out.push_back(take("period:" + CouponPeriodKey(l.period, business_date), l.per_period, 1));
  }
  return out;
}

int64_t BucketCap(const CounterTake &take, int bucket) {
  const int64_t share = take.cap / take.buckets;
  return share + (bucket < take.cap % take.buckets ? 1 : 0);
}

int HomeBucket(const std::string &code, int buckets) {
  uint32_t h = 2166136261u;  // FNV-1a: stable across processes, unlike std::hash
  for (unsigned char c : code) h = (h ^ c) * 16777619u;
  return static_cast<int>(h % static_cast<uint32_t>(std::max(1, buckets)));
}

std::string CouponPeriodKey(CouponPeriod period, date::year_month_day day) {
  char buf[32];
  const int y = static_cast<int>(day.year());
  const unsigned m = static_cast<unsigned>(day.month());
  switch (period) {
    case CouponPeriod::kDay:
      std::snprintf(buf, sizeof buf, "day:%04d-%02u-%02u", y, m, static_cast<unsigned>(day.day()));
      return buf;
    case CouponPeriod::kMonth:
      std::snprintf(buf, sizeof buf, "month:%04d-%02u", y, m);
      return buf;
    case CouponPeriod::kWeek: {
      // ISO week: the week belongs to the year of its Thursday.
      const date::sys_days d{day};
      const date::weekday wd{d};
      const date::sys_days thursday = d - (wd - date::Monday) + date::days{3};
      const date::year_month_day t{thursday};
      const date::sys_days jan1{t.year() / date::January / 1};
      const int week = static_cast<int>((thursday - jan1).count() / 7) + 1;
      std::snprintf(buf, sizeof buf, "week:%04d-W%02d", static_cast<int>(t.year()), week);
      return buf;
    }
  }
  return "day";
}

}  // namespace loyalty
