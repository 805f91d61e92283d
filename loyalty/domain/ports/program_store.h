// Port: the versioned program configuration.
#pragma once

#include "loyalty/common/error.h"
#include "loyalty/domain/audit.h"
#include "loyalty/domain/program.h"

namespace loyalty {

class ProgramStore {
 public:
  virtual ~ProgramStore() = default;
  // The newest version; DefaultProgram() with version 0 before anything was saved.
  virtual Result<ProgramConfig> Current() = 0;
  // Saves `program` as version program.version + 1 if the newest saved version is still
  // program.version; otherwise kAborted (program_changed: someone saved meanwhile). Writes
  // `audit` in the same transaction. Returns the saved program with its new version.
  virtual Result<ProgramConfig> Save(const ProgramConfig& program, const AuditEntry& audit) = 0;
};

}  // namespace loyalty
