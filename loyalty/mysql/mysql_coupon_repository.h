// MariaDB adapter for CouponRepository.
#pragma once

#include "loyalty/domain/ports/coupon_repository.h"
#include "loyalty/mysql/mysql_pool.h"

namespace loyalty {

class MysqlCouponRepository final : public CouponRepository {
 public:
  explicit MysqlCouponRepository(MysqlPool& pool) : pool_(pool) {}
  Result<std::vector<std::string>> Insert(const std::vector<IssuedCoupon>& coupons,
                                          const std::optional<AuditEntry>& audit) override;
  Result<std::pair<IssuedCoupon, bool>> InsertPaid(const IssuedCoupon& coupon,
                                                   const LedgerDecision& debit,
                                                   const AuditEntry& audit) override;
  Result<std::optional<IssuedCoupon>> FindByIssue(const std::string& member_id,
                                                  const std::string& definition_id,
                                                  const std::string& issue_ref) override;
  Result<std::optional<IssuedCoupon>> Find(const std::string& code) override;
  Result<CouponPage> ForMember(const std::string& member_id, const std::string& after_code,
                               int limit) override;
  Result<CouponPage> ForIssueRef(const std::string& issue_ref, const std::string& after_code,
                                 int limit) override;
  Result<int64_t> CountByIssueRef(const std::string& issue_ref) override;
  Status Reserve(const std::vector<std::string>& codes, const std::string& reservation_id,
                 Instant until, Instant now) override;
  Status Release(const std::string& reservation_id) override;
  Status Redeem(const CouponRedemption& redemption) override;
  Result<std::vector<IssuedCoupon>> RedeemedBy(const std::string& txn_ref) override;
  Result<std::vector<std::string>> Restore(const std::string& txn_ref,
                                           const std::vector<CouponUse>& uses, Instant at) override;
  Result<IssuedCoupon> Revoke(const std::string& code, const std::string& reason,
                              const AuditEntry& audit) override;
  Result<int> ReleaseEnded(Instant now, int limit) override;

  // INSERT IGNORE of new coupons inside a transaction the caller owns (bulk job batches); returns
  // how many rows went in.
  static int InsertRowsOn(sql::Connection& c, const std::vector<IssuedCoupon>& coupons);
  // Redeem in parts, for a till transaction that writes the redemption with its other rows:
  // PrepareRedeem creates missing counter rows (outside the transaction, autocommit), RedeemOn
  // is Redeem's work inside the caller's transaction.
  static void PrepareRedeem(sql::Connection& c, const CouponRedemption& redemption);
  static Status RedeemOn(sql::Connection& c, const CouponRedemption& redemption);
  // Restore's work inside the caller's transaction; returns the codes restored.
  static std::vector<std::string> RestoreOn(sql::Connection& c, const std::string& txn_ref,
                                            const std::vector<CouponUse>& uses, Instant at);

 private:
  Result<CouponPage> Page(const char* column, const std::string& value,
                          const std::string& after_code, int limit);
  MysqlPool& pool_;
};

}  // namespace loyalty
