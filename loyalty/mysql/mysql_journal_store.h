// MariaDB adapter for JournalStore (table pos_journal_entries).
#pragma once

#include "loyalty/domain/ports/journal_store.h"
#include "loyalty/mysql/mysql_pool.h"

namespace loyalty {

class MysqlJournalStore final : public JournalStore {
 public:
  explicit MysqlJournalStore(MysqlPool& pool) : pool_(pool) {}
  Result<int64_t> LastSeq(const std::string& store_id, const std::string& terminal_id) override;
  Result<std::optional<JournalRecord>> Find(const std::string& store_id,
                                            const std::string& terminal_id, int64_t seq) override;
  Status Record(const JournalRecord& record) override;

 private:
  MysqlPool& pool_;
};

}  // namespace loyalty
