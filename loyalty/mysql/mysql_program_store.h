// MariaDB adapter for ProgramStore: each version is one row holding the JSON document.
#pragma once


#include "loyalty/domain/ports/program_store.h"
#include "loyalty/mysql/mysql_pool.h"

namespace loyalty {

class MysqlProgramStore final : public ProgramStore {
 public:
  explicit MysqlProgramStore(MysqlPool& pool) : pool_(pool) {}
  Result<ProgramConfig> Current() override;
  Result<ProgramConfig> Save(const ProgramConfig& program, const AuditEntry& audit) override;

 private:
  MysqlPool& pool_;
};

}  // namespace loyalty
