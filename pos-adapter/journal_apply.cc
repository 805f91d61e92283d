// Offline journal application.
#include "pos-adapter/journal_apply.h"

namespace loyalty::pos {
namespace {

// Refusals that say something about the entry; anything else (database down, a bug) is
// transient and stops the upload so the till sends it again.
bool IsRefusal(Code code) {
  return code == Code::kInvalidArgument || code == Code::kNotFound ||
         code == Code::kAlreadyExists || code == Code::kFailedPrecondition ||
         code == Code::kPermissionDenied;
}

}  // namespace

Result<JournalReport> JournalService::Upload(const Actor& actor, std::string_view body,
                                             const EntryApplier& apply) {
  auto batch = ParseJournal(body);
  if (!batch) return Fail(batch.error());
  if (auto ok = checkout_.RequireTill(actor, batch->store_id, batch->terminal_id); !ok) {
    return Fail(ok.error());
  }
  auto terminal = terminals_.Find(batch->terminal_id);
  if (!terminal) return Fail(terminal.error());
  if (!*terminal || (*terminal)->store_id != batch->store_id) {
    return Fail(Code::kPermissionDenied, "terminal_mismatch",
                "terminal " + batch->terminal_id + " does not belong to store " + batch->store_id);
  }
  auto key = keys_.Decrypt((*terminal)->key_cipher);
  if (!key) return Fail(key.error());
  std::optional<std::string> previous_key;
  if ((*terminal)->previous_key_cipher) {
    auto previous = keys_.Decrypt(*(*terminal)->previous_key_cipher);
    if (previous) previous_key = *previous;
  }

  JournalReport report{batch->store_id, batch->terminal_id, 0, 0, 0, {}, {}};
  auto last = journal_.LastSeq(batch->store_id, batch->terminal_id);
  if (!last) return Fail(last.error());
  std::vector<int64_t> seqs;
  for (const JournalEntry& e : batch->entries) seqs.push_back(e.seq);
  report.gaps = JournalGaps(*last, seqs);

  for (const JournalEntry& entry : batch->entries) {
    JournalItem item{entry.seq, "", std::nullopt, "", ""};
    auto recorded = journal_.Find(batch->store_id, batch->terminal_id, entry.seq);
    if (!recorded) return Fail(recorded.error());
    if (*recorded) {
      item.status = (*recorded)->applied ? "replayed" : "failed";
      item.transaction_id = (*recorded)->txn_id;
      item.error_code = (*recorded)->error_code;
      item.error_message = (*recorded)->error_message;
      ++((*recorded)->applied ? report.replayed : report.failed);
      report.items.push_back(std::move(item));
      continue;
    }
    // An entry recorded before a key rotation's overlap ended may carry the previous key.
    const auto& valid_until = (*terminal)->previous_valid_until;
    const bool signed_ok = VerifyJournalEntry(*batch, entry, *key) ||
                           (previous_key && valid_until && entry.recorded_at < *valid_until &&
                            VerifyJournalEntry(*batch, entry, *previous_key));
    JournalRecord record{batch->store_id,
                         batch->terminal_id,
                         entry.seq,
                         std::string(JournalEntryTypeName(entry.type)),
                         entry.recorded_at,
                         false,
                         std::nullopt,
                         "",
                         "",
                         clock_.Now()};
    if (!signed_ok) {
      record.error_code = "invalid_signature";
      record.error_message = "the entry's signature does not match the terminal's key";
    } else {
      auto outcome = apply(actor, *batch, entry);
      if (!outcome && !IsRefusal(outcome.error().code)) return Fail(outcome.error());
      if (outcome) {
        record.applied = true;
        record.txn_id = outcome->txn.txn_id;
      } else {
        record.error_code = outcome.error().slug;
        record.error_message = outcome.error().message;
      }
    }
    if (auto ok = journal_.Record(record); !ok) return Fail(ok.error());
    item.status = record.applied ? "applied" : "failed";
    item.transaction_id = record.txn_id;
    item.error_code = record.error_code;
    item.error_message = record.error_message;
    ++(record.applied ? report.applied : report.failed);
    report.items.push_back(std::move(item));
  }
  return report;
}

}  // namespace loyalty::pos
