// Offline journal: a strict JSON reader for the upload, the signing string and its HMAC.
#include "pos-adapter/offline_journal.h"

#include <date/date.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <exception>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "loyalty/common/time_format.h"
#include "loyalty/domain/store_id.h"
#include "pos-adapter/content_digest.h"
#include "pos-adapter/http_signature.h"

namespace loyalty::pos {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kSigningPrefix = "loyalty-journal-v1";
constexpr size_t kMacBytes = 32;
constexpr size_t kSignatureChars = 44;  // base64 of 32 bytes, with one '='
// Field names quoted back in errors are cut to this many bytes (at a UTF-8 boundary, so the
// problem+json answer stays valid UTF-8).
constexpr size_t kMaxQuotedNameBytes = 64;
// JSON values (objects, arrays, scalars) a body may hold. A full batch has 6 per entry plus 4;
// the slack lets a batch one entry too long, or with a stray field, still get its own precise
// error. Without a cap, 1 MiB of "[{},{},...]" in a stray field costs hundreds of MiB of DOM.
constexpr size_t kMaxBodyValues = 16 + (kMaxJournalEntries + 1) * 8;

tl::unexpected<Error> Invalid(std::string field, std::string message) {
  return InvalidField(std::move(field), std::string(kInvalidJournalSlug), std::move(message));
}

std::string Quoted(std::string_view name) {
  if (name.empty()) return "\"\"";  // the empty key, visible in a field path
  if (name.size() > kMaxQuotedNameBytes) {
    size_t cut = kMaxQuotedNameBytes;
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
    return std::string(name.substr(0, cut)) + "...";
  }
  return std::string(name);
}

// A SAX reader over nlohmann's lexer (which checks the grammar and UTF-8) that refuses what the
// DOM parser would silently accept: a repeated object key (the last one would win, so the bytes
// could mean two things to two readers) and deep nesting. It builds a DOM only when asked; for a
// payload it only validates (a payload is at most 64 KiB). It stops at the first problem.
class StrictReader final : public nlohmann::json_sax<Json> {
 public:
  StrictReader(bool build, size_t max_values) : build_(build), max_values_(max_values) {}

  // Outcomes: true and root() filled (when building); or false and problem() saying why, with
  // problem_path() the path of the offending value ("" for the text as a whole).
  bool Read(std::string_view text) {
    try {
      const bool ok = Json::sax_parse(text.data(), text.data() + text.size(), this);
      if (!ok && problem_.empty()) problem_ = "is not valid JSON";
      return ok && problem_.empty();
    } catch (const std::exception&) {
      // sax_parse reports lexer errors through parse_error(); this only guards against
      // allocation failure or a library change, which must still be an input error here.
      if (problem_.empty()) problem_ = "is not valid JSON";
      return false;
    }
  }

  Json& root() { return root_; }
  // Whether the text's top-level value is an object (known even when not building).
  bool root_is_object() const { return root_is_object_; }
  const std::string& problem() const { return problem_; }
  const std::string& problem_path() const { return problem_path_; }

  bool null() override { return Put(Json(nullptr)); }
  bool boolean(bool v) override { return Put(Json(v)); }
  bool number_integer(number_integer_t v) override { return Put(Json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return Put(Json(v)); }
  bool number_float(number_float_t v, const string_t&) override { return Put(Json(v)); }
  bool string(string_t& v) override { return Put(Json(std::move(v))); }
  bool binary(binary_t&) override { return Stop("holds binary data"); }  // never from JSON text

  bool start_object(std::size_t) override { return Open(Json::object()); }
  bool start_array(std::size_t) override { return Open(Json::array()); }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }

  bool key(string_t& k) override {
    Frame& top = frames_.back();
    const bool fresh = top.keys.insert(k).second;
    top.key = std::move(k);
    if (!fresh) return Stop("is repeated (an object key may appear only once)", Path());
    return true;
  }

  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    // The library's own text quotes the input, which may be long, binary or a card number.
    if (ex.id == 406) {
      problem_ = "holds a number JSON cannot represent (too large?)";
    } else {
      problem_ = "is not valid JSON (UTF-8): error at byte " + std::to_string(position);
    }
    return false;
  }

 private:
  struct Frame {
    Json* value = nullptr;  // null when not building
    bool is_object = false;
    std::set<std::string> keys;
    std::string key;   // objects: the key of the value being read
    size_t index = 0;  // arrays: the index of the value being read
  };

  bool Stop(std::string problem, std::string path = {}) {
    problem_ = std::move(problem);
    problem_path_ = std::move(path);
    return false;
  }

  // "entries[3].payload": the path of the value being read.
  std::string Path() const {
    std::string path;
    for (const Frame& f : frames_) {
      if (f.is_object) {
        if (!path.empty()) path += '.';
        path += Quoted(f.key);
      } else {
        path += "[" + std::to_string(f.index) + "]";
      }
    }
    return path;
  }

  // Stores a finished value in its parent (or as the root) and returns where it lives.
  Json* Store(Json value) {
    if (!build_) return nullptr;
    if (frames_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Json& parent = *frames_.back().value;
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    Json& slot = parent[frames_.back().key];
    slot = std::move(value);
    return &slot;
  }

  void Advance() {
    if (!frames_.empty() && !frames_.back().is_object) ++frames_.back().index;
  }

  bool Counted() {
    if (++values_ <= max_values_) return true;
    return Stop("holds more than " + std::to_string(max_values_) +
                " JSON values, more than any batch of " + std::to_string(kMaxJournalEntries) +
                " entries needs");
  }

  bool Put(Json value) {
    if (!Counted()) return false;
    if (frames_.empty()) root_is_object_ = false;
    Store(std::move(value));
    Advance();
    return true;
  }

  bool Open(Json container) {
    if (!Counted()) return false;
    if (frames_.size() >= static_cast<size_t>(kMaxJournalJsonDepth)) {
      return Stop("nests arrays and objects deeper than " + std::to_string(kMaxJournalJsonDepth) +
                  " levels");
    }
    const bool is_object = container.is_object();
    if (frames_.empty()) root_is_object_ = is_object;
    Json* where = Store(std::move(container));
    frames_.push_back(Frame{where, is_object, {}, {}, 0});
    return true;
  }

  bool Close() {
    frames_.pop_back();
    Advance();
    return true;
  }

  bool build_;
  size_t max_values_;
  size_t values_ = 0;
  bool root_is_object_ = false;
  Json root_;
  std::vector<Frame> frames_;
  std::string problem_;
  std::string problem_path_;
};

std::string FieldName(std::string_view prefix, std::string_view name) {
  return prefix.empty() ? std::string(name) : std::string(prefix) + "." + std::string(name);
}

// The first key of `object` not in `allowed`, as an error naming it.
Status OnlyKnownFields(const Json& object, std::string_view prefix,
                       std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string names;
    for (std::string_view name : allowed) names += (names.empty() ? "" : ", ") + std::string(name);
    const std::string field = FieldName(prefix, Quoted(key));
    return Invalid(field, field + " is not a field of the journal format; expected only " + names +
                              " (docs/POS-JOURNAL.md)");
  }
  return {};
}

Result<const Json*> Required(const Json& object, std::string_view prefix, std::string_view name) {
  auto it = object.find(std::string(name));
  if (it == object.end()) {
    const std::string field = FieldName(prefix, name);
    return Invalid(field, field + " is required");
  }
  return &*it;
}

Result<std::string> RequiredString(const Json& object, std::string_view prefix,
                                   std::string_view name) {
  auto value = Required(object, prefix, name);
  if (!value) return Fail(value.error());
  if (!(*value)->is_string()) {
    const std::string field = FieldName(prefix, name);
    return Invalid(field, field + " must be a JSON string");
  }
  return (*value)->get<std::string>();
}

Result<std::string> Identifier(const Json& root, std::string_view name) {
  auto text = RequiredString(root, "", name);
  if (!text) return Fail(text.error());
  // Terminal ids follow the store id rule (`loyalty admin add-terminal` checks them with it).
  auto valid = ValidStoreId(*text, std::string(name));
  if (!valid) {
    return Invalid(std::string(name), valid.error().message + ", exactly as registered");
  }
  return std::move(*valid);
}

// RFC 3339 in UTC only ("Z", no offsets): the till converts to UTC, so the signed text has one
// spelling per instant (up to the fraction digits).
std::optional<Instant> ParseUtcInstant(std::string_view text) {
  if (!text.ends_with('Z')) return std::nullopt;
  return ParseInstant(text);
}

Result<int64_t> Seq(const Json& entry, const std::string& prefix) {
  auto value = Required(entry, prefix, "seq");
  if (!value) return Fail(value.error());
  const Json& v = **value;
  // nlohmann reads 41 as unsigned, -41 as signed, 41.0 and 1e3 as floating point.
  const bool ok =
      v.is_number_unsigned()
          ? v.get<uint64_t>() >= 1 && v.get<uint64_t>() <= static_cast<uint64_t>(kMaxJournalSeq)
          : v.is_number_integer() && v.get<int64_t>() >= 1 && v.get<int64_t>() <= kMaxJournalSeq;
  if (!ok) {
    const std::string field = prefix + ".seq";
    return Invalid(field,
                   field + " must be a whole number from 1 to " + std::to_string(kMaxJournalSeq) +
                       " (no quotes, no decimals): the till numbers its entries 1, 2, 3, ...");
  }
  return v.get<int64_t>();
}

Result<JournalEntry> Entry(const Json& value, size_t index, int64_t previous_seq) {
  const std::string prefix = "entries[" + std::to_string(index) + "]";
  if (!value.is_object()) {
    return Invalid(prefix, prefix +
                               " must be a JSON object {seq, type, recorded_at, payload, "
                               "signature}");
  }
  if (auto ok =
          OnlyKnownFields(value, prefix, {"seq", "type", "recorded_at", "payload", "signature"});
      !ok) {
    return Fail(ok.error());
  }
  JournalEntry entry;

  auto seq = Seq(value, prefix);
  if (!seq) return Fail(seq.error());
  if (*seq <= previous_seq) {
    const std::string field = prefix + ".seq";
    return Invalid(field, field + " is " + std::to_string(*seq) + " but the entry before it has " +
                              std::to_string(previous_seq) +
                              "; send entries in increasing seq order, each number once");
  }
  entry.seq = *seq;

  auto type = RequiredString(value, prefix, "type");
  if (!type) return Fail(type.error());
  auto parsed_type = ParseJournalEntryType(*type);
  if (!parsed_type) {
    const std::string field = prefix + ".type";
    return Invalid(field, field + " must be \"sale\", \"return\" or \"void\" (lower case), not \"" +
                              Quoted(*type) + "\"");
  }
  entry.type = *parsed_type;

  auto recorded = RequiredString(value, prefix, "recorded_at");
  if (!recorded) return Fail(recorded.error());
  auto instant = ParseUtcInstant(*recorded);
  if (!instant) {
    const std::string field = prefix + ".recorded_at";
    return Invalid(field, field +
                              " must be an RFC 3339 UTC time like 2026-12-06T10:15:00Z (upper-case "
                              "T and Z, at most 6 fraction digits, no offset: convert to UTC)");
  }
  entry.recorded_at_text = std::move(*recorded);
  entry.recorded_at = *instant;

  auto payload = RequiredString(value, prefix, "payload");
  if (!payload) return Fail(payload.error());
  const std::string payload_field = prefix + ".payload";
  if (payload->size() > kMaxJournalPayloadBytes) {
    return Invalid(payload_field, payload_field + " is " + std::to_string(payload->size()) +
                                      " bytes; at most " + std::to_string(kMaxJournalPayloadBytes) +
                                      " are accepted");
  }
  StrictReader reader(/*build=*/false, /*max_values=*/kMaxJournalPayloadBytes);
  if (!reader.Read(*payload) || !reader.root_is_object()) {
    const std::string why = reader.problem().empty() ? "its text is not a JSON object"
                            : reader.problem_path().empty()
                                ? "its text " + reader.problem()
                                : "its key " + reader.problem_path() + " " + reader.problem();
    return Invalid(payload_field, payload_field +
                                      " must be a JSON object written as a string (the request "
                                      "body the till would have sent online), but " +
                                      why);
  }
  entry.payload = std::move(*payload);

  auto signature = RequiredString(value, prefix, "signature");
  if (!signature) return Fail(signature.error());
  auto mac = sf::Base64Decode(*signature);
  if (signature->size() != kSignatureChars || !mac || mac->size() != kMacBytes ||
      sf::Base64Encode(*mac) != *signature) {
    const std::string field = prefix + ".signature";
    return Invalid(field, field +
                              " must be the standard base64 (with '=' padding, 44 characters) of "
                              "the 32-byte HMAC-SHA256 of the entry's signing string");
  }
  entry.signature_b64 = std::move(*signature);
  return entry;
}

}  // namespace

std::string_view JournalEntryTypeName(JournalEntryType type) {
  switch (type) {
    case JournalEntryType::kSale:
      return "sale";
    case JournalEntryType::kReturn:
      return "return";
    case JournalEntryType::kVoid:
      return "void";
  }
  return "sale";
}

std::optional<JournalEntryType> ParseJournalEntryType(std::string_view name) {
  for (JournalEntryType t :
       {JournalEntryType::kSale, JournalEntryType::kReturn, JournalEntryType::kVoid}) {
    if (JournalEntryTypeName(t) == name) return t;
  }
  return std::nullopt;
}

Result<JournalBatch> ParseJournal(std::string_view body) {
  if (body.size() > kMaxJournalBodyBytes) {
    return Invalid("body", "the journal body is " + std::to_string(body.size()) +
                               " bytes; at most " + std::to_string(kMaxJournalBodyBytes) +
                               " (1 MiB) are accepted: upload fewer entries per batch");
  }
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Invalid("body",
                   "the journal body is empty; send {store_id, terminal_id, entries} as "
                   "JSON (docs/POS-JOURNAL.md)");
  }
  StrictReader reader(/*build=*/true, kMaxBodyValues);
  if (!reader.Read(body)) {
    const std::string& path = reader.problem_path();
    const std::string field = path.empty() ? "body" : path;
    return Invalid(field, (path.empty() ? "the journal body" : path) + " " + reader.problem());
  }
  const Json& root = reader.root();
  if (!root.is_object()) {
    return Invalid("body",
                   "the journal body must be a JSON object {store_id, terminal_id, "
                   "entries}");
  }
  if (auto ok = OnlyKnownFields(root, "", {"store_id", "terminal_id", "entries"}); !ok) {
    return Fail(ok.error());
  }
  JournalBatch batch;
  auto store = Identifier(root, "store_id");
  if (!store) return Fail(store.error());
  batch.store_id = std::move(*store);
  auto terminal = Identifier(root, "terminal_id");
  if (!terminal) return Fail(terminal.error());
  batch.terminal_id = std::move(*terminal);

  auto entries = Required(root, "", "entries");
  if (!entries) return Fail(entries.error());
  const Json& list = **entries;
  if (!list.is_array() || list.empty() || list.size() > kMaxJournalEntries) {
    return Invalid(
        "entries",
        "entries must be a JSON array of 1 to " + std::to_string(kMaxJournalEntries) + " entries" +
            (list.is_array() && !list.empty() ? " (this batch has " + std::to_string(list.size()) +
                                                    "; upload the rest in the next batch)"
                                              : ""));
  }
  batch.entries.reserve(list.size());
  int64_t previous_seq = 0;
  for (size_t i = 0; i < list.size(); ++i) {
    auto entry = Entry(list[i], i, previous_seq);
    if (!entry) return Fail(entry.error());
    previous_seq = entry->seq;
    batch.entries.push_back(std::move(*entry));
  }
  return batch;
}

std::string JournalSigningString(const JournalBatch& batch, const JournalEntry& entry) {
  const std::string seq = std::to_string(entry.seq);
  const std::string_view type = JournalEntryTypeName(entry.type);
  std::string out;
  out.reserve(kSigningPrefix.size() + batch.store_id.size() + batch.terminal_id.size() +
              seq.size() + type.size() + entry.recorded_at_text.size() + entry.payload.size() + 6);
  for (std::string_view part :
       {kSigningPrefix, std::string_view(batch.store_id), std::string_view(batch.terminal_id),
        std::string_view(seq), type, std::string_view(entry.recorded_at_text)}) {
    out += part;
    out += '\n';
  }
  out += entry.payload;
  return out;
}

std::string SignJournalEntry(const JournalBatch& batch, const JournalEntry& entry,
                             std::string_view key) {
  return sf::Base64Encode(HmacSha256(key, JournalSigningString(batch, entry)));
}

bool VerifyJournalEntry(const JournalBatch& batch, const JournalEntry& entry,
                        std::string_view key) {
  if (key.empty()) return false;
  const std::string_view text = entry.signature_b64;
  if (text.size() != kSignatureChars) return false;
  const auto presented = sf::Base64Decode(text);
  // Decoding then re-encoding to the same text refuses every non-canonical spelling.
  if (!presented || presented->size() != kMacBytes || sf::Base64Encode(*presented) != text) {
    return false;
  }
  const std::string expected = HmacSha256(key, JournalSigningString(batch, entry));
  return expected.size() == kMacBytes &&
         CRYPTO_memcmp(expected.data(), presented->data(), kMacBytes) == 0;
}

std::vector<JournalGap> JournalGaps(int64_t last_applied_seq, const std::vector<int64_t>& seqs) {
  std::vector<int64_t> sorted;
  const int64_t applied = std::max<int64_t>(last_applied_seq, 0);
  for (int64_t s : seqs) {
    if (s > applied) sorted.push_back(s);
  }
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::vector<JournalGap> gaps;
  if (sorted.empty()) return gaps;  // also keeps applied + 1 below from overflowing
  int64_t next = applied + 1;       // applied < sorted[0] <= INT64_MAX
  for (int64_t s : sorted) {
    if (s > next) gaps.push_back(JournalGap{next, s - 1});
    if (s == INT64_MAX) break;
    next = s + 1;
  }
  return gaps;
}

}  // namespace loyalty::pos
