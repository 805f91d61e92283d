// Applying an uploaded offline journal (POST /v1/pos/journal): entries in seq order, each
// checked against the terminal's key, applied once however often the batch is uploaded, with
// the gaps in the numbering reported. What an entry's payload means (a sale, return or void
// body) is the EntryApplier's business: the HTTP layer maps the JSON onto the sale service.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/domain/ports/journal_store.h"
#include "loyalty/domain/ports/pii_protector.h"
#include "loyalty/domain/ports/terminal_directory.h"
#include "loyalty/service/sale_service.h"
#include "pos-adapter/offline_journal.h"

namespace loyalty::pos {

// Applies one verified entry as the till meant it; returns the transaction it made (a replay of
// the same till id gives the stored one).
using EntryApplier = std::function<Result<CommitOutcome>(
    const Actor& actor, const JournalBatch& batch, const JournalEntry& entry)>;

struct JournalItem {
  int64_t seq = 0;
  std::string status;  // "applied", "replayed" (applied by an earlier upload), "failed"
  std::optional<std::string> transaction_id;
  std::string error_code;  // failed: why (invalid_signature, or the refusal of the entry)
  std::string error_message;
};

struct JournalReport {
  std::string store_id;
  std::string terminal_id;
  int applied = 0, replayed = 0, failed = 0;
  std::vector<JournalGap> gaps;    // numbers missing before and inside this batch
  std::vector<JournalItem> items;  // in seq order
};

class JournalService {
 public:
  JournalService(JournalStore& journal, TerminalDirectory& terminals, const PiiProtector& keys,
                 CheckoutService& checkout, const Clock& clock)
      : journal_(journal), terminals_(terminals), keys_(keys), checkout_(checkout), clock_(clock) {}

  // 400 invalid_journal (ParseJournal); 403 when the signing till is not the batch's terminal
  // or store. Each entry: already recorded → its stored outcome (replayed or failed, nothing
  // applied); a signature that neither the terminal's key nor (for entries recorded before the
  // rotation's overlap ended) its previous key made → failed invalid_signature; otherwise applied,
  // or failed with the refusal (a 4xx of the sale service) and recorded. A database outage stops
  // the batch with 503: what was done is recorded, the till uploads again.
  Result<JournalReport> Upload(const Actor& actor, std::string_view body,
                               const EntryApplier& apply);

 private:
  JournalStore& journal_;
  TerminalDirectory& terminals_;
  const PiiProtector& keys_;
  CheckoutService& checkout_;
  const Clock& clock_;
};

}  // namespace loyalty::pos
