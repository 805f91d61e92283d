// Offline store-and-forward journal (POST /v1/pos/journal): parsing and per-entry signatures.
//
// A till that lost the network keeps selling and records each sale, return and void as a
// numbered entry signed with its terminal key; later it uploads them in batches. The format is
// specified for POS vendors in docs/POS-JOURNAL.md. Everything here is pure: no I/O, no clock,
// no database. Applying entries (commit, return, void) belongs to the caller, which also checks
// that `terminal_id` is the terminal that signed the HTTP request and belongs to `store_id`.
//
// Why entries are signed on their own when the upload is signed too: an entry is written to the
// till's disk when the sale happens, possibly hours before the upload, and may travel through a
// store back-office that batches journals. The entry signature binds the content and the offline
// time to the till at recording time; the request signature only vouches for the upload.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"

namespace loyalty::pos {

// Limits of the format (docs/POS-JOURNAL.md states them for vendors).
inline constexpr size_t kMaxJournalEntries = 500;
inline constexpr size_t kMaxJournalPayloadBytes = 64 * 1024;  // decoded payload string
inline constexpr size_t kMaxJournalBodyBytes = 1024 * 1024;   // the whole body (the API's limit)
// Largest seq: 2^53 - 1, the largest integer every JSON implementation (JavaScript tills
// included) reads exactly.
inline constexpr int64_t kMaxJournalSeq = (int64_t{1} << 53) - 1;
// Deepest nesting of arrays and objects, in the body and inside a payload.
inline constexpr int kMaxJournalJsonDepth = 32;

// The slug of every ParseJournal error.
inline constexpr std::string_view kInvalidJournalSlug = "invalid_journal";

enum class JournalEntryType {
  kSale,    // payload: the body of POST /v1/pos/transactions
  kReturn,  // payload: the body of POST /v1/pos/transactions/{id}/returns plus
            // "transaction_pos_txn_id", the pos_txn_id of the original sale
  kVoid,    // payload: {"pos_txn_id": ...} of the sale being voided
};

// "sale", "return", "void": the wire names, also used in the signing string.
std::string_view JournalEntryTypeName(JournalEntryType type);
// The type for a wire name (exact, lower case); nullopt for anything else.
std::optional<JournalEntryType> ParseJournalEntryType(std::string_view name);

struct JournalEntry {
  int64_t seq = 0;  // 1 .. kMaxJournalSeq, per terminal, strictly increasing within a batch
  JournalEntryType type = JournalEntryType::kSale;
  std::string recorded_at_text;  // as sent; it is what the till signed
  Instant recorded_at;           // the same instant, parsed (offline till time, UTC)
  // A JSON object text, exactly the bytes the till signed. ParseJournal only checks that it is a
  // JSON object (no repeated keys, at most kMaxJournalJsonDepth deep); the applier reads it.
  std::string payload;
  std::string signature_b64;  // standard base64 of the 32-byte HMAC-SHA256, 44 characters
};

struct JournalBatch {
  std::string store_id;
  std::string terminal_id;
  std::vector<JournalEntry> entries;  // 1 .. kMaxJournalEntries, seq strictly increasing
};

// Parses a journal upload. Signatures are not checked here (see VerifyJournalEntry); their form
// is. Every refusal is kInvalidArgument with slug "invalid_journal", a detail "field" naming
// where the problem is ("body", "store_id", "entries", "entries[3].seq", ...) and a message a POS
// developer can act on:
//  - "body": longer than kMaxJournalBodyBytes, not valid JSON (UTF-8), nesting deeper than
//    kMaxJournalJsonDepth, holding far more JSON values than kMaxJournalEntries entries need
//    (about 4000; so stray data cannot make the parser build a huge tree), or not a JSON object;
//  - an object key that appears twice: the path of the key ("entries[2].seq", "store_id");
//  - a field the format does not have (at the top or in an entry): that field's path;
//  - "store_id", "terminal_id": missing, not a string, or not 1 to 32 letters, digits, '-', '_'
//    (the rule of loyalty/domain/store_id.h, which terminal ids follow too);
//  - "entries": missing, not an array, empty, or more than kMaxJournalEntries;
//  - "entries[i]": not an object;
//  - "entries[i].seq": missing, not a whole number from 1 to kMaxJournalSeq, or not greater
//    than the seq of the entry before it;
//  - "entries[i].type": missing, not a string, or not "sale", "return" or "void";
//  - "entries[i].recorded_at": missing, not a string, or not an RFC 3339 UTC instant
//    "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" (upper-case T and Z, 1 to 6 fraction digits);
//  - "entries[i].payload": missing, not a string, longer than kMaxJournalPayloadBytes, or not
//    the text of a JSON object (with no repeated keys, at most kMaxJournalJsonDepth deep);
//  - "entries[i].signature": missing, not a string, or not the 44-character standard base64 of
//    32 bytes.
// The first problem found is returned, in the order above and entry by entry.
Result<JournalBatch> ParseJournal(std::string_view body);

// What the till signs for `entry` (docs/POS-JOURNAL.md): the lines
//   loyalty-journal-v1, store_id, terminal_id, seq (decimal), type, recorded_at (as sent), payload
// joined with "\n", no trailing newline. Payload comes last so line breaks inside it cannot shift
// the fields before it; the other fields cannot hold line breaks once parsed.
std::string JournalSigningString(const JournalBatch& batch, const JournalEntry& entry);

// Standard base64 (with padding) of HMAC-SHA256(key, JournalSigningString(batch, entry)). `key`
// is the terminal key as raw bytes (for our terminals the ASCII text printed by
// `loyalty admin add-terminal`, as for request signatures). For tests and the demo till.
std::string SignJournalEntry(const JournalBatch& batch, const JournalEntry& entry,
                             std::string_view key);

// True when `entry.signature_b64` is exactly the base64 SignJournalEntry gives for `key`.
// The comparison of the MAC is constant-time. False for an empty key and for a signature that is
// not canonical standard base64 of 32 bytes (missing padding, whitespace, URL alphabet, non-zero
// trailing bits): nothing is tolerated. During a key rotation the caller tries the current key,
// then the previous one: an entry is signed with the key the till held when it recorded it.
bool VerifyJournalEntry(const JournalBatch& batch, const JournalEntry& entry, std::string_view key);

// A run of missing seq numbers, both ends included.
struct JournalGap {
  int64_t from = 0;
  int64_t to = 0;
  bool operator==(const JournalGap&) const = default;
};

// The seq numbers missing between the last entry already applied for a terminal and the entries
// of a batch, in ascending order. `last_applied_seq` is 0 when nothing was applied yet (negative
// values count as 0). Numbers at or below `last_applied_seq` are replays of entries already
// applied, never gaps, and say nothing about what is missing. Above it, every number not in
// `seqs` that lies below the largest of `seqs` is missing: before the batch's first entry
// ({last_applied + 1, first - 1}) and between its entries. Nothing is reported after the largest
// seq (the till may not have recorded more). `seqs` may be in any order and repeat numbers.
// Examples: (0, {1,2,3}) -> {}; (40, {41,44,45,48}) -> {42-43, 46-47};
// (10, {14}) -> {11-13}; (10, {8,9,10}) -> {} (all replays).
std::vector<JournalGap> JournalGaps(int64_t last_applied_seq, const std::vector<int64_t>& seqs);

}  // namespace loyalty::pos
