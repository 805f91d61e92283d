// Offline journal: the worked example of docs/POS-JOURNAL.md, entry signatures, every refusal of
// the parser with the field it names, and the gap arithmetic.
#include "pos-adapter/offline_journal.h"

#include <date/date.h>
#include <gtest/gtest.h>

#include <climits>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace loyalty::pos {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

constexpr std::string_view kDemoKey = "demo-key-S1-T1";

std::string ReadDoc() {
  std::ifstream in(std::string(LOYALTY_SOURCE_DIR) + "/docs/POS-JOURNAL.md");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The fenced block that follows `marker` in the doc, without its fences.
std::string DocBlock(const std::string& doc, std::string_view marker, std::string_view fence) {
  const size_t at = doc.find(marker);
  if (at == std::string::npos) return {};
  const size_t open = doc.find(fence, at);
  if (open == std::string::npos) return {};
  const size_t start = open + fence.size();
  const size_t end = doc.find("\n```", start);
  if (end == std::string::npos) return {};
  return doc.substr(start, end - start);
}

JournalBatch DocExample() {
  const std::string body = DocBlock(ReadDoc(), "<!-- journal-example-body", "```json\n");
  auto batch = ParseJournal(body);
  EXPECT_TRUE(batch) << (batch ? "" : batch.error().message) << "\n" << body;
  return batch ? *batch : JournalBatch{};
}

// A valid one-entry body as JSON, to be altered by each refusal case.
Json ValidBody() {
  JournalBatch batch{"S1", "S1-T1", {}};
  JournalEntry entry;
  entry.seq = 41;
  entry.type = JournalEntryType::kSale;
  entry.recorded_at_text = "2026-12-06T10:15:00Z";
  entry.payload = R"({"pos_txn_id":"T-1001"})";
  const std::string signature = SignJournalEntry(batch, entry, kDemoKey);
  return Json{{"store_id", "S1"},
              {"terminal_id", "S1-T1"},
              {"entries", Json::array({Json{{"seq", 41},
                                            {"type", "sale"},
                                            {"recorded_at", "2026-12-06T10:15:00Z"},
                                            {"payload", entry.payload},
                                            {"signature", signature}}})}};
}

// The field an invalid body is refused for ("ok" when it parses), after checking the error's
// code, slug and message.
std::string RefusedField(std::string_view body) {
  auto batch = ParseJournal(body);
  if (batch) return "ok";
  const Error& e = batch.error();
  EXPECT_EQ(e.code, Code::kInvalidArgument);
  EXPECT_EQ(e.slug, "invalid_journal");
  EXPECT_FALSE(e.message.empty());
  const std::string* field = e.Detail("field");
  EXPECT_NE(field, nullptr) << e.message;
  if (field == nullptr) return "(no field)";
  // The message starts with or names the field, so the developer sees where to look.
  EXPECT_NE(e.message.find(*field == "body" ? "body" : *field), std::string::npos)
      << *field << ": " << e.message;
  return *field;
}
std::string RefusedJson(const Json& body) { return RefusedField(body.dump()); }

// ValidBody() with the first entry's `field` set to `value`.
Json WithEntryField(const std::string& field, Json value) {
  Json body = ValidBody();
  body["entries"][0][field] = std::move(value);
  return body;
}

Json WithoutEntryField(const std::string& field) {
  Json body = ValidBody();
  body["entries"][0].erase(field);
  return body;
}

// ---- The worked example ---------------------------------------------------------------------

TEST(OfflineJournalExampleTest, DocumentedBodyParsesAndEveryEntryVerifies) {
  const JournalBatch batch = DocExample();
  ASSERT_EQ(batch.entries.size(), 3u);
  EXPECT_EQ(batch.store_id, "S1");
  EXPECT_EQ(batch.terminal_id, "S1-T1");

  const JournalEntry& sale = batch.entries[0];
  EXPECT_EQ(sale.seq, 41);
  EXPECT_EQ(sale.type, JournalEntryType::kSale);
  EXPECT_EQ(sale.recorded_at_text, "2026-12-06T10:15:00Z");
  EXPECT_EQ(sale.recorded_at, Instant(date::sys_days(date::year{2026} / 12 / 6)) + 10h + 15min);
  EXPECT_EQ(sale.signature_b64, "Xwz9fUkGzVDUH1Ov82HPCi5/4qznoBEKBXnD+3ZQu1U=");
  EXPECT_TRUE(sale.payload.starts_with(R"({"store_id":"S1","terminal_id":"S1-T1",)"));

  const JournalEntry& ret = batch.entries[1];
  EXPECT_EQ(ret.seq, 42);
  EXPECT_EQ(ret.type, JournalEntryType::kReturn);
  EXPECT_EQ(ret.recorded_at,
            Instant(date::sys_days(date::year{2026} / 12 / 6)) + 10h + 31min + 12s + 500ms);
  EXPECT_NE(ret.payload.find(R"("transaction_pos_txn_id":"T-1001")"), std::string::npos);

  const JournalEntry& void_entry = batch.entries[2];
  EXPECT_EQ(void_entry.seq, 43);
  EXPECT_EQ(void_entry.type, JournalEntryType::kVoid);
  EXPECT_EQ(void_entry.payload, R"({"pos_txn_id":"T-0998"})");
  EXPECT_EQ(void_entry.signature_b64, "vcnCrgSfvvfNgQsJyFqbqGJ+XcdbP5VMOK81/7Ok7Z0=");

  for (const JournalEntry& e : batch.entries) {
    EXPECT_TRUE(VerifyJournalEntry(batch, e, kDemoKey)) << "seq " << e.seq;
    EXPECT_EQ(SignJournalEntry(batch, e, kDemoKey), e.signature_b64) << "seq " << e.seq;
  }
}

TEST(OfflineJournalExampleTest, DocumentedSigningStringIsOurs) {
  const JournalBatch batch = DocExample();
  ASSERT_FALSE(batch.entries.empty());
  const std::string documented =
      DocBlock(ReadDoc(), "<!-- journal-example-signing-string -->", "```\n");
  ASSERT_FALSE(documented.empty());
  EXPECT_EQ(JournalSigningString(batch, batch.entries[0]), documented);
}

TEST(OfflineJournalExampleTest, DocumentedGapsAndReplays) {
  const JournalBatch batch = DocExample();
  std::vector<int64_t> seqs;
  for (const JournalEntry& e : batch.entries) seqs.push_back(e.seq);
  EXPECT_TRUE(JournalGaps(40, seqs).empty());
  EXPECT_TRUE(JournalGaps(43, seqs).empty());  // uploaded again: all replays
}

// ---- Signing --------------------------------------------------------------------------------

JournalBatch OneEntryBatch() {
  JournalEntry entry;
  entry.seq = 7;
  entry.type = JournalEntryType::kReturn;
  entry.recorded_at_text = "2026-01-02T03:04:05.678Z";
  entry.payload = "{\"pos_txn_id\":\"R-9\",\n\"note\":\"\xE9\x80\x80\xE8\xB4\xA7\"}";  // 退货
  return JournalBatch{"S2", "S2-T1", {entry}};
}

TEST(OfflineJournalSignatureTest, SigningStringIsTheSevenDocumentedLines) {
  const JournalBatch batch = OneEntryBatch();
  EXPECT_EQ(JournalSigningString(batch, batch.entries[0]),
            "loyalty-journal-v1\nS2\nS2-T1\n7\nreturn\n2026-01-02T03:04:05.678Z\n"
            "{\"pos_txn_id\":\"R-9\",\n\"note\":\"\xE9\x80\x80\xE8\xB4\xA7\"}");
}

TEST(OfflineJournalSignatureTest, SignedEntryVerifiesOnlyWithItsKey) {
  JournalBatch batch = OneEntryBatch();
  batch.entries[0].signature_b64 = SignJournalEntry(batch, batch.entries[0], "key-S2-T1");
  EXPECT_EQ(batch.entries[0].signature_b64.size(), 44u);
  EXPECT_TRUE(VerifyJournalEntry(batch, batch.entries[0], "key-S2-T1"));
  EXPECT_FALSE(VerifyJournalEntry(batch, batch.entries[0], "key-S2-T2"));
  EXPECT_FALSE(VerifyJournalEntry(batch, batch.entries[0], "key-S2-T1 "));
  EXPECT_FALSE(VerifyJournalEntry(batch, batch.entries[0], "key-S2-T"));
  EXPECT_FALSE(VerifyJournalEntry(batch, batch.entries[0], ""));
}

TEST(OfflineJournalSignatureTest, EmptyKeyNeverVerifies) {
  JournalBatch batch = OneEntryBatch();
  batch.entries[0].signature_b64 = SignJournalEntry(batch, batch.entries[0], "");
  EXPECT_FALSE(VerifyJournalEntry(batch, batch.entries[0], ""));
}

// Every single-bit change of a signed field must break the signature.
TEST(OfflineJournalSignatureTest, AnyFlippedBitFailsVerification) {
  const JournalBatch batch = DocExample();
  ASSERT_EQ(batch.entries.size(), 3u);
  const size_t i = 2;  // the void: a short payload, so every byte of it is tried

  auto expect_broken = [&](JournalBatch changed, const std::string& what) {
    EXPECT_FALSE(VerifyJournalEntry(changed, changed.entries[i], kDemoKey)) << what;
  };
  for (size_t pos = 0; pos < batch.entries[i].payload.size(); ++pos) {
    for (int bit = 0; bit < 8; ++bit) {
      JournalBatch changed = batch;
      changed.entries[i].payload[pos] ^= static_cast<char>(1 << bit);
      expect_broken(changed, "payload byte " + std::to_string(pos));
    }
  }
  for (size_t pos = 0; pos < batch.entries[i].recorded_at_text.size(); ++pos) {
    JournalBatch changed = batch;
    changed.entries[i].recorded_at_text[pos] ^= 1;
    expect_broken(changed, "recorded_at byte " + std::to_string(pos));
  }
  for (size_t pos = 0; pos < batch.terminal_id.size(); ++pos) {
    JournalBatch changed = batch;
    changed.terminal_id[pos] ^= 1;
    expect_broken(changed, "terminal_id byte " + std::to_string(pos));
  }
  for (int64_t delta : {int64_t{1}, int64_t{-1}, int64_t{2}, int64_t{1} << 40}) {
    JournalBatch changed = batch;
    changed.entries[i].seq ^= delta;
    expect_broken(changed, "seq ^ " + std::to_string(delta));
  }
  {
    JournalBatch changed = batch;
    changed.store_id = "S2";
    expect_broken(changed, "store_id");
  }
  for (JournalEntryType other : {JournalEntryType::kSale, JournalEntryType::kReturn}) {
    JournalBatch changed = batch;
    changed.entries[i].type = other;
    expect_broken(changed, "type");
  }
  {
    // The same instant spelt differently is another signing string (docs: sign what you send).
    JournalBatch changed = batch;
    changed.entries[i].recorded_at_text = "2026-12-06T10:40:00.0Z";
    expect_broken(changed, "recorded_at respelt");
  }
  {
    // One more line break at the end of the payload.
    JournalBatch changed = batch;
    changed.entries[i].payload += "\n";
    expect_broken(changed, "payload with a newline");
  }
  for (size_t pos = 0; pos < batch.entries[i].signature_b64.size() - 1; ++pos) {
    JournalBatch changed = batch;
    char& c = changed.entries[i].signature_b64[pos];
    c = c == 'A' ? 'B' : 'A';
    expect_broken(changed, "signature char " + std::to_string(pos));
  }
  EXPECT_TRUE(VerifyJournalEntry(batch, batch.entries[i], kDemoKey));  // the original still does
}

TEST(OfflineJournalSignatureTest, OnlyCanonicalBase64Verifies) {
  const JournalBatch batch = DocExample();
  ASSERT_FALSE(batch.entries.empty());
  const std::string good = batch.entries[0].signature_b64;  // "...u1U="
  ASSERT_EQ(good.back(), '=');
  auto verifies = [&](const std::string& signature) {
    JournalBatch changed = batch;
    changed.entries[0].signature_b64 = signature;
    return VerifyJournalEntry(changed, changed.entries[0], kDemoKey);
  };
  EXPECT_TRUE(verifies(good));
  EXPECT_FALSE(verifies(good.substr(0, 43)));  // padding left off
  EXPECT_FALSE(verifies(good + "="));
  EXPECT_FALSE(verifies(" " + good));
  EXPECT_FALSE(verifies(good.substr(0, 20) + "\n" + good.substr(20)));
  EXPECT_FALSE(verifies(""));
  EXPECT_FALSE(verifies("not base64 at all, but 44 characters long!!!"));
  // The last character before '=' carries 4 bits of the MAC and 2 bits that must be zero: 'U'
  // (010100) and 'V' (010101) decode to the same 32 bytes, but only the first is the encoding.
  std::string loose = good;
  ASSERT_EQ(loose[42], 'U');
  loose[42] = 'V';
  EXPECT_FALSE(verifies(loose));
  // The URL-safe alphabet spelling of the same bytes.
  std::string url = good;
  for (char& c : url) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  ASSERT_NE(url, good);
  EXPECT_FALSE(verifies(url));
}

TEST(OfflineJournalSignatureTest, SignsTheDecodedPayloadNotItsEscapedSpelling) {
  // "\u00e9" in the body and the raw UTF-8 é are the same payload and the same signature.
  JournalBatch batch{"S1", "S1-T1", {}};
  JournalEntry entry;
  entry.seq = 1;
  entry.recorded_at_text = "2026-12-06T10:15:00Z";
  entry.payload = "{\"note\":\"caf\xC3\xA9\"}";
  const std::string signature = SignJournalEntry(batch, entry, kDemoKey);
  const std::string body =
      R"({"store_id":"S1","terminal_id":"S1-T1","entries":[{"seq":1,"type":"sale",)"
      R"("recorded_at":"2026-12-06T10:15:00Z","payload":"{\"note\":\"caf\u00e9\"}",)"
      R"("signature":")" +
      signature + R"("}]})";
  auto parsed = ParseJournal(body);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->entries[0].payload, entry.payload);
  EXPECT_TRUE(VerifyJournalEntry(*parsed, parsed->entries[0], kDemoKey));
}

// ---- Refusals -------------------------------------------------------------------------------

TEST(OfflineJournalParseTest, ValidBodyParses) {
  auto batch = ParseJournal(ValidBody().dump());
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_EQ(batch->entries.size(), 1u);
  EXPECT_TRUE(VerifyJournalEntry(*batch, batch->entries[0], kDemoKey));
}

TEST(OfflineJournalParseTest, RefusesWhatIsNotAJournalObject) {
  EXPECT_EQ(RefusedField(""), "body");
  EXPECT_EQ(RefusedField("not json"), "body");
  EXPECT_EQ(RefusedField("{"), "body");
  EXPECT_EQ(RefusedField(ValidBody().dump() + " {}"), "body");  // trailing data
  EXPECT_EQ(RefusedField("[]"), "body");
  EXPECT_EQ(RefusedField("\"S1\""), "body");
  EXPECT_EQ(RefusedField("null"), "body");
  EXPECT_EQ(RefusedField(R"({"store_id":"S)"
                         "\xFF"
                         R"(","terminal_id":"S1-T1","entries":[]})"),
            "body");  // not UTF-8
  EXPECT_EQ(RefusedField(R"({"store_id":1e400})"), "body");
  // Deeper than 32 levels, even inside a field that would be refused anyway.
  EXPECT_EQ(RefusedField("{\"x\":" + std::string(40, '[') + std::string(40, ']') + "}"), "body");
  // Far more values than 500 entries have: refused while reading, before the tree grows.
  std::string many = "{\"x\":[0";
  for (int i = 0; i < 5000; ++i) many += ",{}";
  EXPECT_EQ(RefusedField(many + "]}"), "body");
}

TEST(OfflineJournalParseTest, RefusesABodyOverEightMebibytes) {
  std::string body = ValidBody().dump();
  const std::string valid_padded = body + std::string(kMaxJournalBodyBytes - body.size(), ' ');
  EXPECT_EQ(RefusedField(valid_padded), "ok");
  EXPECT_EQ(RefusedField(valid_padded + " "), "body");
}

TEST(OfflineJournalParseTest, RefusesRepeatedKeysNamingThem) {
  EXPECT_EQ(RefusedField(R"({"store_id":"S1","store_id":"S2","terminal_id":"S1-T1",)"
                         R"("entries":[]})"),
            "store_id");
  std::string body = ValidBody().dump();
  const size_t seq = body.find("\"seq\":41");
  ASSERT_NE(seq, std::string::npos);
  body.insert(seq, "\"seq\":40,");
  EXPECT_EQ(RefusedField(body), "entries[0].seq");
}

TEST(OfflineJournalParseTest, RefusesUnknownFields) {
  Json top = ValidBody();
  top["note"] = "x";
  EXPECT_EQ(RefusedJson(top), "note");
  EXPECT_EQ(RefusedJson(WithEntryField("amount", 5)), "entries[0].amount");
  EXPECT_EQ(RefusedField(R"({"": "S1"})"), "\"\"");  // the empty key is shown, not left blank
  // A long key is quoted cut short at a character boundary, so the answer stays valid UTF-8
  // (nlohmann's dump() throws on invalid UTF-8: that would be a 500).
  Json long_key = ValidBody();
  long_key["entries"][0][std::string(63, 'k') + "\xE9\x80\x80" + std::string(10, 'k')] = 1;
  auto parsed = ParseJournal(long_key.dump());
  ASSERT_FALSE(parsed);
  const std::string field = *parsed.error().Detail("field");
  EXPECT_EQ(field, "entries[0]." + std::string(63, 'k') + "...");
  EXPECT_NO_THROW((void)Json(field).dump());
  EXPECT_NO_THROW((void)Json(parsed.error().message).dump());
}

TEST(OfflineJournalParseTest, RefusesImplausibleStoreAndTerminalIds) {
  for (const Json& bad : {Json(nullptr), Json(5), Json(""), Json("S 1"), Json("S1/x"),
                          Json(std::string(33, 'S')), Json("S\xC3\xA9")}) {
    Json body = ValidBody();
    body["store_id"] = bad;
    EXPECT_EQ(RefusedJson(body), "store_id") << bad.dump();
    body = ValidBody();
    body["terminal_id"] = bad;
    EXPECT_EQ(RefusedJson(body), "terminal_id") << bad.dump();
  }
  Json body = ValidBody();
  body.erase("store_id");
  EXPECT_EQ(RefusedJson(body), "store_id");
  body = ValidBody();
  body.erase("terminal_id");
  EXPECT_EQ(RefusedJson(body), "terminal_id");
  body = ValidBody();
  body["store_id"] = std::string(32, 'S');
  EXPECT_EQ(RefusedJson(body), "ok");  // 32 is allowed; the signature does not cover it here
}

TEST(OfflineJournalParseTest, RefusesMissingEmptyOrOversizedEntries) {
  Json body = ValidBody();
  body.erase("entries");
  EXPECT_EQ(RefusedJson(body), "entries");
  body["entries"] = Json::object();
  EXPECT_EQ(RefusedJson(body), "entries");
  body["entries"] = Json::array();
  EXPECT_EQ(RefusedJson(body), "entries");
  body["entries"] = "[]";
  EXPECT_EQ(RefusedJson(body), "entries");

  const Json entry = ValidBody()["entries"][0];
  Json full = ValidBody();
  full["entries"] = Json::array();
  for (int64_t seq = 1; seq <= static_cast<int64_t>(kMaxJournalEntries); ++seq) {
    Json e = entry;
    e["seq"] = seq;
    full["entries"].push_back(e);
  }
  EXPECT_EQ(RefusedJson(full), "ok");
  Json e = entry;
  e["seq"] = static_cast<int64_t>(kMaxJournalEntries) + 1;
  full["entries"].push_back(e);
  EXPECT_EQ(RefusedJson(full), "entries");
}

TEST(OfflineJournalParseTest, RefusesAnEntryThatIsNotAnObject) {
  for (const Json& bad : {Json(5), Json("entry"), Json::array(), Json(nullptr)}) {
    Json body = ValidBody();
    body["entries"].push_back(bad);
    EXPECT_EQ(RefusedJson(body), "entries[1]") << bad.dump();
  }
}

TEST(OfflineJournalParseTest, RefusesBadSeq) {
  EXPECT_EQ(RefusedJson(WithoutEntryField("seq")), "entries[0].seq");
  for (const Json& bad :
       {Json("41"), Json(41.0), Json(41.5), Json(0), Json(-1), Json(nullptr), Json(true),
        Json(kMaxJournalSeq + 1), Json(INT64_MAX), Json(UINT64_MAX)}) {
    EXPECT_EQ(RefusedJson(WithEntryField("seq", bad)), "entries[0].seq") << bad.dump();
  }
  EXPECT_EQ(RefusedField(R"({"store_id":"S1","terminal_id":"S1-T1","entries":[{"seq":1e3}]})"),
            "entries[0].seq");
  EXPECT_EQ(RefusedJson(WithEntryField("seq", kMaxJournalSeq)), "ok");
  EXPECT_EQ(RefusedJson(WithEntryField("seq", 1)), "ok");
}

TEST(OfflineJournalParseTest, RefusesSeqThatDoesNotIncrease) {
  Json body = ValidBody();
  const Json entry = body["entries"][0];
  for (int64_t next : {int64_t{41}, int64_t{40}, int64_t{1}}) {
    Json b = body;
    Json e = entry;
    e["seq"] = next;
    b["entries"].push_back(e);
    EXPECT_EQ(RefusedJson(b), "entries[1].seq") << next;
  }
  Json b = body;
  for (int64_t next : {int64_t{42}, int64_t{50}, int64_t{49}}) {
    Json e = entry;
    e["seq"] = next;
    b["entries"].push_back(e);
  }
  EXPECT_EQ(RefusedJson(b), "entries[3].seq");  // 41, 42, 50, then 49
  b["entries"][3]["seq"] = 51;
  EXPECT_EQ(RefusedJson(b), "ok");  // gaps are allowed: the server reports them
}

TEST(OfflineJournalParseTest, RefusesUnknownTypes) {
  EXPECT_EQ(RefusedJson(WithoutEntryField("type")), "entries[0].type");
  for (const Json& bad :
       {Json("SALE"), Json("refund"), Json(""), Json(" sale"), Json(1), Json(nullptr)}) {
    EXPECT_EQ(RefusedJson(WithEntryField("type", bad)), "entries[0].type") << bad.dump();
  }
  for (const char* good : {"sale", "return", "void"}) {
    EXPECT_EQ(RefusedJson(WithEntryField("type", good)), "ok") << good;
  }
}

TEST(OfflineJournalParseTest, RefusesRecordedAtThatIsNotAnRfc3339UtcInstant) {
  EXPECT_EQ(RefusedJson(WithoutEntryField("recorded_at")), "entries[0].recorded_at");
  for (const Json& bad :
       {Json(1765016100), Json(""), Json("2026-12-06"), Json("2026-12-06 10:15:00Z"),
        Json("2026-12-06t10:15:00z"), Json("2026-12-06T10:15:00"),
        Json("2026-12-06T10:15:00+08:00"), Json("2026-12-06T10:15:00+00:00"),
        Json("2026-02-30T10:15:00Z"), Json("2026-12-06T24:00:00Z"), Json("2026-12-06T10:60:00Z"),
        Json("2026-12-06T10:15:60Z"), Json("2026-12-06T10:15:00.Z"),
        Json("2026-12-06T10:15:00.1234567Z"), Json("2026-12-06T10:15:00Z "),
        Json("2026-12-6T10:15:00Z"), Json("+2026-12-06T10:15:00Z")}) {
    EXPECT_EQ(RefusedJson(WithEntryField("recorded_at", bad)), "entries[0].recorded_at")
        << bad.dump();
  }
  for (const char* good : {"2026-12-06T10:15:00Z", "2026-12-06T10:15:00.5Z",
                           "2026-12-06T10:15:00.123456Z", "2028-02-29T23:59:59Z"}) {
    EXPECT_EQ(RefusedJson(WithEntryField("recorded_at", good)), "ok") << good;
  }
  auto parsed = ParseJournal(WithEntryField("recorded_at", "2026-12-06T10:15:00.000123Z").dump());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->entries[0].recorded_at,
            Instant(date::sys_days(date::year{2026} / 12 / 6)) + 10h + 15min + 123us);
  EXPECT_EQ(parsed->entries[0].recorded_at_text, "2026-12-06T10:15:00.000123Z");
}

TEST(OfflineJournalParseTest, RefusesPayloadThatIsNotAJsonObjectText) {
  EXPECT_EQ(RefusedJson(WithoutEntryField("payload")), "entries[0].payload");
  for (const Json& bad :
       {Json::object({{"pos_txn_id", "T-1"}}), Json(5), Json(nullptr), Json(""), Json("[]"),
        Json("\"x\""), Json("42"), Json("{"), Json("{} {}"), Json("{\"a\":1,\"a\":2}"),
        Json("{\"lines\":[{\"qty\":1,\"qty\":2}]}"), Json("{'a':1}"),
        Json("{\"x\":" + std::string(40, '[') + std::string(40, ']') + "}")}) {
    EXPECT_EQ(RefusedJson(WithEntryField("payload", bad)), "entries[0].payload") << bad.dump();
  }
  for (const char* good : {"{}", " {\"a\": [1, {\"b\": null}]}\n", "{\"a\":1,\"b\":{\"a\":2}}"}) {
    EXPECT_EQ(RefusedJson(WithEntryField("payload", good)), "ok") << good;
  }
  auto repeated =
      ParseJournal(WithEntryField("payload", "{\"lines\":[{\"qty\":1,\"qty\":2}]}").dump());
  ASSERT_FALSE(repeated);
  EXPECT_NE(repeated.error().message.find("lines[0].qty"), std::string::npos)
      << repeated.error().message;
}

TEST(OfflineJournalParseTest, RefusesPayloadOverSixtyFourKibibytes) {
  const std::string prefix = "{\"note\":\"";
  const std::string suffix = "\"}";
  const std::string fits =
      prefix + std::string(kMaxJournalPayloadBytes - prefix.size() - suffix.size(), 'x') + suffix;
  ASSERT_EQ(fits.size(), kMaxJournalPayloadBytes);
  EXPECT_EQ(RefusedJson(WithEntryField("payload", fits)), "ok");
  const std::string too_long = prefix + std::string(kMaxJournalPayloadBytes, 'x') + suffix;
  EXPECT_EQ(RefusedJson(WithEntryField("payload", too_long)), "entries[0].payload");
}

TEST(OfflineJournalParseTest, RefusesSignatureThatIsNotBase64OfAMac) {
  EXPECT_EQ(RefusedJson(WithoutEntryField("signature")), "entries[0].signature");
  const std::string good = ValidBody()["entries"][0]["signature"];
  for (const Json& bad :
       {Json(5), Json(nullptr), Json(""), Json(good.substr(0, 43)), Json(good + "="),
        Json(" " + good.substr(1)), Json(std::string(42, 'A') + "=="),  // 31 bytes
        Json(std::string(42, 'A') + "B="),                              // non-zero trailing bits
        Json(std::string(43, 'A') + "A"),                               // 33 bytes, no padding
        Json(std::string(43, '-') + "=")}) {                            // URL-safe alphabet
    EXPECT_EQ(RefusedJson(WithEntryField("signature", bad)), "entries[0].signature") << bad.dump();
  }
  // A well-formed but wrong signature parses: verifying it is the caller's step.
  EXPECT_EQ(RefusedJson(WithEntryField("signature", std::string(43, 'A') + "=")), "ok");
}

TEST(OfflineJournalParseTest, NamesTheEntryThatIsWrong) {
  Json body = ValidBody();
  const Json entry = body["entries"][0];
  for (int64_t seq : {42, 43}) {
    Json e = entry;
    e["seq"] = seq;
    body["entries"].push_back(e);
  }
  body["entries"][2]["type"] = "refund";
  EXPECT_EQ(RefusedJson(body), "entries[2].type");
  body["entries"][1]["recorded_at"] = "yesterday";
  EXPECT_EQ(RefusedJson(body), "entries[1].recorded_at");  // the first problem wins
}

TEST(OfflineJournalParseTest, EntryTypeNamesRoundTrip) {
  for (JournalEntryType t :
       {JournalEntryType::kSale, JournalEntryType::kReturn, JournalEntryType::kVoid}) {
    EXPECT_EQ(ParseJournalEntryType(JournalEntryTypeName(t)), t);
  }
  EXPECT_EQ(ParseJournalEntryType("Sale"), std::nullopt);
}

// ---- Gaps -----------------------------------------------------------------------------------

TEST(OfflineJournalGapsTest, NoneWhenTheBatchContinuesTheLastApplied) {
  EXPECT_TRUE(JournalGaps(0, {1, 2, 3}).empty());
  EXPECT_TRUE(JournalGaps(40, {41, 42, 43}).empty());
  EXPECT_TRUE(JournalGaps(40, {}).empty());
}

TEST(OfflineJournalGapsTest, ReplaysAreNotGaps) {
  EXPECT_TRUE(JournalGaps(10, {8, 9, 10}).empty());
  EXPECT_TRUE(JournalGaps(10, {5, 11}).empty());  // 6..9 were applied long ago
  EXPECT_TRUE(JournalGaps(10, {1}).empty());
}

TEST(OfflineJournalGapsTest, GapBeforeTheBatch) {
  EXPECT_EQ(JournalGaps(10, {14, 15}), (std::vector<JournalGap>{{11, 13}}));
  EXPECT_EQ(JournalGaps(0, {2}), (std::vector<JournalGap>{{1, 1}}));
}

TEST(OfflineJournalGapsTest, GapsInsideTheBatch) {
  EXPECT_EQ(JournalGaps(40, {41, 44, 45, 48}), (std::vector<JournalGap>{{42, 43}, {46, 47}}));
  // Replays, a gap before and one inside, together.
  EXPECT_EQ(JournalGaps(40, {39, 40, 43, 45}), (std::vector<JournalGap>{{41, 42}, {44, 44}}));
}

TEST(OfflineJournalGapsTest, ToleratesDisorderRepeatsAndExtremes) {
  EXPECT_EQ(JournalGaps(0, {3, 1, 3}), (std::vector<JournalGap>{{2, 2}}));
  EXPECT_EQ(JournalGaps(-5, {2}), (std::vector<JournalGap>{{1, 1}}));
  EXPECT_TRUE(JournalGaps(0, {-3, 0}).empty());
  EXPECT_TRUE(JournalGaps(INT64_MAX - 1, {INT64_MAX}).empty());
  EXPECT_EQ(JournalGaps(0, {INT64_MAX}), (std::vector<JournalGap>{{1, INT64_MAX - 1}}));
  EXPECT_TRUE(JournalGaps(INT64_MAX, {INT64_MAX, 5}).empty());
}

}  // namespace
}  // namespace loyalty::pos
