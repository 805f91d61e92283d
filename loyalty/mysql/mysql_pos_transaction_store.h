// MariaDB adapter for PosTransactionStore: the till's id row is inserted first in each
// transaction, so a parallel retry waits on it and then finds the committed sale.
#pragma once

#include "loyalty/domain/ports/pos_transaction_store.h"
#include "loyalty/mysql/mysql_pool.h"

namespace loyalty {

class MysqlPosTransactionStore final : public PosTransactionStore {
 public:
  explicit MysqlPosTransactionStore(MysqlPool& pool) : pool_(pool) {}
  Result<std::optional<PosTransaction>> Find(const std::string& txn_id) override;
  Result<std::optional<PosTransaction>> FindByTill(const std::string& store_id,
                                                   const std::string& terminal_id,
                                                   const std::string& pos_txn_id) override;
  Result<CommitOutcome> CommitSale(const SaleCommit& sale) override;
  Result<CommitOutcome> CommitReturn(PosTransaction ret, const ReturnDecision& decide) override;
  Result<CommitOutcome> RecordUnlinkedReturn(const PosTransaction& ret) override;
  Result<int64_t> OfflineRedeemed(const std::string& member_id, Instant from, Instant to) override;
  Result<std::vector<PosTransaction>> OfflineReconciliation(const std::string& store_id,
                                                            Instant from, Instant to,
                                                            int limit) override;
  Result<int64_t> SavedSince(const std::string& member_id, Instant since) override;
  Result<std::vector<PosException>> Exceptions(const std::string& store_id, Instant from,
                                               Instant to, int limit) override;

 private:
  // The stored transaction for a claim that was already taken.
  Result<CommitOutcome> Replayed(const PosTransaction& attempt);
  MysqlPool& pool_;
};

}  // namespace loyalty
