// MariaDB adapter for LedgerRepository: SELECT ... FOR UPDATE on point_accounts serialises every
// balance change of a member; the change is written in the same transaction.
#pragma once

#include "loyalty/domain/ports/ledger_repository.h"
#include "loyalty/mysql/mysql_pool.h"

namespace loyalty {

class MysqlLedgerRepository final : public LedgerRepository {
 public:
  explicit MysqlLedgerRepository(MysqlPool& pool) : pool_(pool) {}

  Result<LedgerChange> Apply(const std::string& member_id, const LedgerDecision& decide,
                             const std::optional<AuditEntry>& audit) override;
  // Apply's work inside a transaction the caller owns, for adapters that write a points change
  // together with their own rows (a points-for-coupon exchange).
  static Result<LedgerChange> ApplyOn(sql::Connection& c, const std::string& member_id,
                                      const LedgerDecision& decide);
  Result<std::pair<LedgerChange, LedgerChange>> ApplyTransfer(
      const std::string& from_member_id, const std::string& to_member_id, Instant sent_since,
      const TransferDecision& decide, const std::optional<AuditEntry>& audit) override;
  Result<AccountState> Load(const std::string& member_id) override;
  Result<LedgerPage> Entries(const std::string& member_id, const std::optional<std::string>& cursor,
                             int limit) override;
  Result<std::vector<std::string>> MembersDue(Instant now, std::optional<Instant> inactive_before,
                                              int limit) override;
  Result<std::vector<std::string>> AccountIds(const std::string& after_member_id, int limit) override;
  Result<std::pair<Account, LedgerTotals>> Totals(const std::string& member_id) override;
  Result<std::vector<LiabilityRow>> Liability() override;
  Result<Adjustment> RecordAdjustment(const Adjustment& adjustment, const LedgerDecision* apply_now,
                                      const AuditEntry& audit) override;
  Result<Adjustment> ApproveAdjustment(
      const std::string& adjustment_id, const std::string& approver, Instant at,
      const std::function<Result<LedgerChange>(const Adjustment&, const AccountState&)>& decide,
      const std::function<AuditEntry(const Adjustment&)>& audit_for) override;

 private:
  MysqlPool& pool_;
};

}  // namespace loyalty
