// Fuzzes the offline journal parser (pos-adapter/offline_journal.h) with arbitrary bodies: it must
// never crash or hang, refuse only with 400 "invalid_journal" naming a field in valid UTF-8 (the
// API dumps it as JSON), and every batch it accepts must keep the header's promises, re-encode
// to a body that parses to the same batch, sign and verify, and give consistent gaps.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "loyalty/domain/store_id.h"
#include "pos-adapter/offline_journal.h"

namespace {

using namespace loyalty;
using namespace loyalty::pos;
using Json = nlohmann::json;

constexpr std::string_view kKey = "demo-key-S1-T1";

bool ValidUtf8Json(const std::string& text) {
  try {
    (void)Json(text).dump();
    return true;
  } catch (const Json::exception&) {
    return false;
  }
}

std::string Reencode(const JournalBatch& batch) {
  Json entries = Json::array();
  for (const JournalEntry& e : batch.entries) {
    entries.push_back(Json{{"seq", e.seq},
                           {"type", std::string(JournalEntryTypeName(e.type))},
                           {"recorded_at", e.recorded_at_text},
                           {"payload", e.payload},
                           {"signature", e.signature_b64}});
  }
  return Json{{"store_id", batch.store_id},
              {"terminal_id", batch.terminal_id},
              {"entries", std::move(entries)}}
      .dump();
}

void CheckBatch(const JournalBatch& batch) {
  FUZZ_CHECK(ValidStoreId(batch.store_id, "store_id").has_value());
  FUZZ_CHECK(ValidStoreId(batch.terminal_id, "terminal_id").has_value());
  FUZZ_CHECK(!batch.entries.empty() && batch.entries.size() <= kMaxJournalEntries);
  int64_t previous = 0;
  std::vector<int64_t> seqs;
  for (const JournalEntry& e : batch.entries) {
    FUZZ_CHECK(e.seq > previous && e.seq <= kMaxJournalSeq);
    previous = e.seq;
    seqs.push_back(e.seq);
    FUZZ_CHECK(e.recorded_at_text.size() >= 20 && e.recorded_at_text.back() == 'Z');
    FUZZ_CHECK(e.payload.size() <= kMaxJournalPayloadBytes);
    FUZZ_CHECK(e.signature_b64.size() == 44);
    FUZZ_CHECK(ParseJournalEntryType(JournalEntryTypeName(e.type)) == e.type);

    // Our own signature verifies; the one sent verifies exactly when it is the same text.
    JournalEntry signed_entry = e;
    signed_entry.signature_b64 = SignJournalEntry(batch, e, kKey);
    FUZZ_CHECK(VerifyJournalEntry(batch, signed_entry, kKey));
    FUZZ_CHECK(VerifyJournalEntry(batch, e, kKey) ==
               (signed_entry.signature_b64 == e.signature_b64));
    FUZZ_CHECK(!VerifyJournalEntry(batch, signed_entry, "demo-key-S1-T2"));
    FUZZ_CHECK(!VerifyJournalEntry(batch, signed_entry, ""));
  }

  // Gaps lie strictly between the last applied seq and the batch's largest, miss every seq of the
  // batch, and are ordered and disjoint.
  for (int64_t last_applied : {int64_t{0}, batch.entries.front().seq, previous / 2}) {
    int64_t floor = last_applied;
    for (const JournalGap& g : JournalGaps(last_applied, seqs)) {
      FUZZ_CHECK(g.from > floor && g.from <= g.to && g.to < previous);
      for (int64_t s : seqs) FUZZ_CHECK(s < g.from || s > g.to);
      floor = g.to + 1;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto result = ParseJournal(body);
  if (!result) {
    const Error& e = result.error();
    FUZZ_CHECK(e.code == Code::kInvalidArgument);
    FUZZ_CHECK(e.slug == kInvalidJournalSlug);
    FUZZ_CHECK(!e.message.empty());
    const std::string* field = e.Detail("field");
    FUZZ_CHECK(field != nullptr && !field->empty());
    FUZZ_CHECK(ValidUtf8Json(*field));
    FUZZ_CHECK(ValidUtf8Json(e.message));
    return 0;
  }
  CheckBatch(*result);

  // Fixed point: what we accepted, written out again, parses to the same batch.
  const std::string again_body = Reencode(*result);
  if (again_body.size() > kMaxJournalBodyBytes) return 0;  // escaping may grow past the cap
  auto again = ParseJournal(again_body);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again->store_id == result->store_id && again->terminal_id == result->terminal_id);
  FUZZ_CHECK(again->entries.size() == result->entries.size());
  for (size_t i = 0; i < again->entries.size(); ++i) {
    const JournalEntry& a = again->entries[i];
    const JournalEntry& b = result->entries[i];
    FUZZ_CHECK(a.seq == b.seq && a.type == b.type && a.recorded_at == b.recorded_at);
    FUZZ_CHECK(a.recorded_at_text == b.recorded_at_text && a.payload == b.payload);
    FUZZ_CHECK(a.signature_b64 == b.signature_b64);
    FUZZ_CHECK(JournalSigningString(*again, a) == JournalSigningString(*result, b));
  }
  return 0;
}
