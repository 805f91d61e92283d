// Port: the offline journal's entries as uploaded, by (store, terminal, seq), with what applying
// each one did; a re-upload finds them here and applies nothing twice.
#pragma once

#include <optional>
#include <string>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"

namespace loyalty {

struct JournalRecord {
  std::string store_id;
  std::string terminal_id;
  int64_t seq = 0;
  std::string type;  // sale, return, void
  Instant recorded_at{};
  bool applied = false;               // false: refused, with the error below
  std::optional<std::string> txn_id;  // the transaction it made
  std::string error_code;
  std::string error_message;
  Instant uploaded_at{};
};

class JournalStore {
 public:
  virtual ~JournalStore() = default;
  // The highest seq recorded for the terminal, 0 when none.
  virtual Result<int64_t> LastSeq(const std::string& store_id, const std::string& terminal_id) = 0;
  virtual Result<std::optional<JournalRecord>> Find(const std::string& store_id,
                                                    const std::string& terminal_id,
                                                    int64_t seq) = 0;
  // Records an entry; one already recorded (a parallel upload) is left as it is.
  virtual Status Record(const JournalRecord& record) = 0;
};

}  // namespace loyalty
