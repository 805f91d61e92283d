// POSLog import: parsed transactions mapped onto the sale service (rules in poslog_import.h).
#include "pos-adapter/poslog_import.h"

#include <date/date.h>
#include <date/tz.h>
#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <functional>
#include <set>
#include <utility>

#include "loyalty/common/time_format.h"

namespace loyalty::pos {
namespace {

// `item` with its outcome, reason and message.
PoslogImportItem Decided(PoslogImportItem item, const char* outcome, std::string reason,
                         std::string message) {
  item.outcome = outcome;
  item.reason = std::move(reason);
  item.message = std::move(message);
  return item;
}

constexpr size_t kMaxTerminalId = 32;  // pos_transactions.terminal_id
constexpr size_t kMaxCategory = 64;    // BasketFromTill
constexpr size_t kMaxCashierId = 64;   // SaleService::CheckTill
constexpr const char* kUncategorised = "uncategorised";

// The sale service's id alphabet (letters, digits, - _ . : /).
bool PlainId(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':' || c == '/';
  });
}

// Length-prefixed, so no value can shift its neighbours ("ab"+"c" differs from "a"+"bc").
void Field(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out.append(value);
  out += ';';
}

void KeyFields(std::string& out, const PoslogTransactionKey& k) {
  Field(out, k.store_id);
  Field(out, k.workstation_id);
  Field(out, k.business_day);
  Field(out, k.sequence_number);
}

std::string Sha256Hex(std::string_view text) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(text.data(), text.size(), md, &len, EVP_sha256(), nullptr) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * len);
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0x0f];
  }
  return out;
}

// At most `max` bytes, never cutting a UTF-8 sequence in two.
std::string CutUtf8(std::string s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

// A usable link names the whole key of the sale it returns.
bool Usable(const PoslogTransactionLink& link) {
  const PoslogTransactionKey& k = link.original;
  return !k.store_id.empty() && !k.workstation_id.empty() && !k.business_day.empty() &&
         !k.sequence_number.empty();
}

std::string Plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string JoinProblems(const std::vector<PoslogProblem>& problems) {
  std::string out;
  for (const PoslogProblem& p : problems) {
    if (!out.empty()) out += "; ";
    out += p.message;
  }
  return out;
}

// ISO 4217's code for "no currency" (futura writes it on zero amounts).
constexpr const char* kNoCurrency = "XXX";

// A transaction in another currency than the program's: its amounts would earn as if they were
// the program's money, so it is not imported. No currency (or "XXX") passes.
bool OtherCurrency(const PoslogTransaction& t, const std::string& program_currency) {
  return !t.currency.empty() && t.currency != kNoCurrency && t.currency != program_currency;
}

// A note for an accepted item whose file names no currency: its amounts counted as the program's.
std::string CurrencyNote(const PoslogTransaction& t, const PosTransaction& stored) {
  if (t.currency != kNoCurrency) return "";
  return " (note: the file names no currency (" + t.currency + "); its amounts were taken as " +
         stored.currency + ")";
}

std::string VoidedNote(const PoslogTransaction& t) {
  if (t.voided_lines.empty()) return "";
  return "; " + Plural(t.voided_lines.size(), "voided line", "voided lines") + " left out";
}

// Runs a sale-service call; when it finds occurred_at in the future (a till clock ahead of
// ours), runs it again at "now" (occurred_at unset), which is what the till meant.
Result<CommitOutcome> AtValidTime(
    TillTxn till, const std::function<Result<CommitOutcome>(const TillTxn&)>& call) {
  auto out = call(till);
  if (!out && out.error().slug == "invalid_occurred_at" && till.occurred_at) {
    till.occurred_at.reset();
    out = call(till);
  }
  return out;
}

}  // namespace

std::string PoslogKeyText(const PoslogTransactionKey& key) {
  return key.store_id + "/" + key.workstation_id + "/" + key.business_day + "/" +
         key.sequence_number;
}

std::string PoslogPosTxnId(const PoslogTransactionKey& key) {
  return key.business_day + ":" + key.sequence_number;
}

std::string PoslogRequestHash(const PoslogTransaction& t, std::string_view step,
                              const std::optional<std::string>& member_id) {
  std::string c = "poslog-import/1;";
  Field(c, step);
  KeyFields(c, t.key);
  Field(c, PoslogTransactionKindName(t.kind));
  // The sale of a post-voided transaction is the same sale as the completed one.
  const PoslogDisposition d = step == "sale" && t.disposition == PoslogDisposition::kPostVoided
                                  ? PoslogDisposition::kCompleted
                                  : t.disposition;
  Field(c, PoslogDispositionName(d));
  Field(c, member_id.value_or(""));
  Field(c, std::to_string(t.lines.size()));
  for (const PoslogLine& l : t.lines) {
    Field(c, std::to_string(l.line_number));
    Field(c, l.sku);
    Field(c, l.gtin);
    Field(c, std::to_string(l.quantity_milli));
    Field(c, std::to_string(l.net_minor));
    Field(c, l.is_return ? "return" : "sale");
    if (l.return_of) {
      KeyFields(c, l.return_of->original);
      Field(c, l.return_of->original_line_number
                   ? std::to_string(*l.return_of->original_line_number)
                   : "");
    } else {
      Field(c, "-");
    }
  }
  Field(c, std::to_string(t.return_links.size()));
  for (const PoslogTransactionLink& link : t.return_links) {
    KeyFields(c, link.original);
    Field(c, link.original_line_number ? std::to_string(*link.original_line_number) : "");
  }
  return Sha256Hex(c);
}

Result<std::vector<TillLine>> PoslogTillLines(const PoslogTransaction& t) {
  bool renumber = false;
  std::set<int64_t> seen;
  for (const PoslogLine& l : t.lines) {
    if (l.line_number < 1 || l.line_number > INT_MAX || !seen.insert(l.line_number).second) {
      renumber = true;
    }
  }
  std::vector<TillLine> out;
  out.reserve(t.lines.size());
  for (size_t i = 0; i < t.lines.size(); ++i) {
    const PoslogLine& l = t.lines[i];
    const std::string at = "line " + std::to_string(l.line_number);
    TillLine tl;
    tl.line_no = renumber ? static_cast<int>(i + 1) : static_cast<int>(l.line_number);
    tl.sku = !l.sku.empty() ? l.sku : l.gtin;
    if (tl.sku.empty()) {
      return InvalidField("lines", "incomplete", at + " names no item (no ItemID or GTIN)");
    }
    if (!l.is_return && (l.net_minor < 0 || l.quantity_milli < 0)) {
      return InvalidField("lines", "incomplete",
                          at + " of the sale has a negative amount or quantity");
    }
    if (l.is_return && (l.net_minor > 0 || l.quantity_milli > 0)) {
      return InvalidField("lines", "incomplete",
                          at + " of the return has a positive amount or quantity");
    }
    tl.category = l.category.empty() ? kUncategorised : CutUtf8(l.category, kMaxCategory);
    const int64_t qty_milli = l.quantity_milli < 0 ? -l.quantity_milli : l.quantity_milli;
    const int64_t net = l.net_minor < 0 ? -l.net_minor : l.net_minor;
    tl.qty = 1;
    tl.unit_price_minor = net;
    if (qty_milli > 0 && qty_milli % 1000 == 0 && net % (qty_milli / 1000) == 0) {
      tl.qty = qty_milli / 1000;
      tl.unit_price_minor = net / tl.qty;
    }
    out.push_back(std::move(tl));
  }
  return out;
}

std::optional<Instant> PoslogInstant(std::string_view text, const std::string& iana_zone) {
  const auto valid = [](Instant t) -> std::optional<Instant> {
    if (t < Instant{}) return std::nullopt;  // before 1970: a default or a typo, not a sale
    return t;
  };
  if (auto zoned = ParseInstant(text)) return valid(*zoned);
  // Local time: YYYY-MM-DDTHH:MM:SS with an optional fraction, nothing after it.
  if (text.size() < 19 || (text[10] != 'T' && text[10] != ' ')) return std::nullopt;
  auto day = ParseDate(text.substr(0, 10));
  if (!day) return std::nullopt;
  if (text[13] != ':' || text[16] != ':') return std::nullopt;
  int hms[3] = {0, 0, 0};
  for (int k = 0; k < 3; ++k) {
    const char a = text[11 + 3 * k], b = text[12 + 3 * k];
    if (a < '0' || a > '9' || b < '0' || b > '9') return std::nullopt;
    hms[k] = (a - '0') * 10 + (b - '0');
  }
  if (hms[0] > 23 || hms[1] > 59 || hms[2] > 59) return std::nullopt;
  int64_t micros = 0;
  if (text.size() > 19) {
    if (text[19] != '.' || text.size() == 20 || text.size() > 29) return std::nullopt;
    int64_t scale = 100000;
    for (size_t i = 20; i < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      micros += (text[i] - '0') * scale;
      scale /= 10;
    }
  }
  const date::local_time<std::chrono::microseconds> local =
      date::local_days{*day} + std::chrono::hours{hms[0]} + std::chrono::minutes{hms[1]} +
      std::chrono::seconds{hms[2]} + std::chrono::microseconds{micros};
  try {
    const date::time_zone* zone = date::locate_zone(iana_zone);
    // A local time the clocks skipped or passed twice (DST) takes the earlier instant.
    return valid(std::chrono::time_point_cast<Instant::duration>(
        zone->to_sys(local, date::choose::earliest)));
  } catch (const std::exception&) {
    return std::nullopt;  // unknown zone
  }
}

const char* PoslogDialectName(PoslogDialect dialect) {
  switch (dialect) {
    case PoslogDialect::kArtsV6:
      return "arts_v6";
    case PoslogDialect::kNcrAcs2x:
      return "ncr_acs_2x";
    case PoslogDialect::kUnversioned:
      return "unversioned";
  }
  return "unversioned";
}

Result<PoslogImportReport> PoslogImporter::Import(const Actor& actor, std::string_view xml) {
  auto parsed = ParsePoslog(xml);
  if (!parsed) return Fail(parsed.error());
  PoslogImportReport report;
  report.dialect = PoslogDialectName(parsed->dialect);

  // File order decides: a return must come after the sale it returns.
  struct Entry {
    int index;
    const PoslogTransaction* transaction;
    const PoslogRejectedTransaction* rejected;
  };
  std::vector<Entry> order;
  for (const auto& t : parsed->transactions) order.push_back({t.transaction_index, &t, nullptr});
  for (const auto& r : parsed->rejected) order.push_back({r.transaction_index, nullptr, &r});
  std::stable_sort(order.begin(), order.end(),
                   [](const Entry& a, const Entry& b) { return a.index < b.index; });

  // Read once: every transaction of the file is held against the same currency.
  auto program = points_.Program();
  if (!program) return Fail(program.error());

  ZoneCache zones;
  for (const Entry& e : order) {
    PoslogImportItem item;
    if (e.transaction) {
      item = ImportOne(actor, *e.transaction, program->currency, zones);
    } else {
      item.transaction_index = e.index;
      item.key = PoslogKeyText(e.rejected->partial_key);
      item.outcome = "rejected";
      item.reason = "incomplete";
      item.message = "not imported: the transaction has no usable key or is over a limit: " +
                     JoinProblems(e.rejected->problems);
    }
    if (item.outcome == "accepted") ++report.accepted;
    if (item.outcome == "skipped") ++report.skipped;
    if (item.outcome == "rejected") ++report.rejected;
    report.items.push_back(std::move(item));
  }
  return report;
}

Result<std::optional<std::string>> PoslogImporter::Zone(const std::string& store_id,
                                                        ZoneCache& zones) {
  if (auto it = zones.find(store_id); it != zones.end()) return it->second;
  auto zone = checkout_.StoreZone(store_id);
  if (!zone) {
    if (zone.error().code != Code::kNotFound) return Fail(zone.error());
    zones[store_id] = std::nullopt;
    return std::optional<std::string>{};
  }
  zones[store_id] = *zone;
  return std::optional<std::string>(*zone);
}

PoslogImportItem PoslogImporter::ImportOne(const Actor& actor, const PoslogTransaction& t,
                                           const std::string& program_currency, ZoneCache& zones) {
  PoslogImportItem item;
  item.transaction_index = t.transaction_index;
  item.key = PoslogKeyText(t.key);
  const auto done = [&](const char* outcome, std::string reason, std::string message) {
    return Decided(std::move(item), outcome, std::move(reason), std::move(message));
  };

  if (t.training_mode) {
    return done("skipped", "training", "a training-mode transaction, not a real sale");
  }
  switch (t.disposition) {
    case PoslogDisposition::kCancelled:
      return done("skipped", "cancelled", "cancelled at the till before it completed: no points");
    case PoslogDisposition::kSuspended:
      return done("skipped", "suspended",
                  "suspended at the till, not final: its completion is imported when it comes");
    default:
      break;
  }
  if (!t.problems.empty()) {
    return done(
        "rejected", "incomplete",
        "held for review, no points: the file left out part of it: " + JoinProblems(t.problems));
  }
  if (OtherCurrency(t, program_currency)) {
    return done("rejected", "currency_mismatch",
                "the transaction is in " + t.currency + " but the program counts in " +
                    program_currency +
                    "; amounts are not converted, so it is not imported (no points)");
  }
  auto zone = Zone(t.key.store_id, zones);
  if (!zone) return done("rejected", zone.error().slug, zone.error().message);
  if (!*zone) {
    return done(
        "rejected", "unknown_store",
        "store " + t.key.store_id + " is not set up here; add it and import the file again");
  }
  if (t.key.workstation_id.size() > kMaxTerminalId) {
    return done(
        "rejected", "invalid_terminal_id",
        "the workstation id is longer than " + std::to_string(kMaxTerminalId) + " characters");
  }
  if (t.disposition == PoslogDisposition::kPostVoided && t.kind != PoslogTransactionKind::kSale) {
    return done("skipped", "void", "a post-voided return or exchange changes nothing");
  }
  if (t.kind == PoslogTransactionKind::kMixed) {
    return done("rejected", "exchange_not_supported",
                "an exchange (sold and returned items in one transaction) is not imported; "
                "record it as a return and a sale");
  }
  if (t.lines.empty()) {
    return done("skipped", "no_lines",
                t.voided_lines.empty() ? "the transaction has no item lines"
                                       : "every item line of the transaction was voided");
  }
  if (t.kind == PoslogTransactionKind::kReturn) return ImportReturn(actor, t, **zone, item);
  return ImportSale(actor, t, **zone, item);
}

Result<PoslogImporter::MemberMatch> PoslogImporter::ResolveMember(const Actor& actor,
                                                                  const PoslogTransaction& t) {
  if (!t.member || t.member->id.empty()) return MemberMatch{};
  const std::string& ref = t.member->id;
  const std::function<Result<Member>()> lookups[] = {
      [&] { return members_.FindByCard(actor, ref); },
      [&] { return members_.Get(actor, ref); },
      [&] { return members_.FindByPhone(actor, ref); },
  };
  for (const auto& lookup : lookups) {
    auto member = lookup();
    if (member) {
      if (member->status == MemberStatus::kErased) continue;
      return MemberMatch{member->member_id, false};
    }
    const Code code = member.error().code;
    if (code == Code::kNotFound || code == Code::kInvalidArgument) continue;
    // The lookup's message may quote the reference (a card number): say it in our words.
    return Fail(
        Error{code,
              member.error().slug,
              "the member lookup failed (" + member.error().slug + "); import the file again later",
              {}});
  }
  return MemberMatch{std::nullopt, true};
}

PoslogImportItem PoslogImporter::ImportSale(const Actor& actor, const PoslogTransaction& t,
                                            const std::string& zone, PoslogImportItem item) {
  const auto done = [&](const char* outcome, std::string reason, std::string message) {
    return Decided(std::move(item), outcome, std::move(reason), std::move(message));
  };
  auto lines = PoslogTillLines(t);
  if (!lines) return done("rejected", lines.error().slug, lines.error().message);
  auto member = ResolveMember(actor, t);
  if (!member) return done("rejected", member.error().slug, member.error().message);

  TillTxn till;
  till.store_id = t.key.store_id;
  till.terminal_id = t.key.workstation_id;
  till.pos_txn_id = PoslogPosTxnId(t.key);
  till.request_hash = PoslogRequestHash(t, "sale", member->member_id);
  if (PlainId(t.operator_id) && t.operator_id.size() <= kMaxCashierId) {
    till.cashier_id = t.operator_id;
  }
  till.occurred_at = PoslogInstant(t.end_date_time, zone);
  if (till.request_hash.empty()) {
    return done("rejected", "internal", "could not compute the transaction's hash; try again");
  }

  CommitRequest request;
  request.member_id = member->member_id;
  request.lines = std::move(*lines);
  auto sale = AtValidTime(till, [&](const TillTxn& at) {
    request.till = at;
    return sales_.Commit(actor, request);
  });
  if (!sale) return done("rejected", sale.error().slug, sale.error().message);
  const PosTransaction& s = sale->txn;

  if (t.disposition != PoslogDisposition::kPostVoided) {
    item.transaction_id = s.txn_id;
    std::string message =
        (sale->replayed ? "already imported as sale " + s.txn_id + ": nothing changed"
                        : "sale recorded: " + Plural(s.lines.size(), "line", "lines") + ", " +
                              ReceiptAmount(s.total_minor, s.currency) + ", " +
                              std::to_string(s.points_earned) + " points earned") +
        VoidedNote(t) + CurrencyNote(t, s);
    std::string reason = sale->replayed ? "replayed" : "sale";
    if (member->not_found) {
      message += "; the member reference matches no member here, so the sale has no member";
      if (!sale->replayed) reason = "member_not_found";
    }
    return done("accepted", std::move(reason), std::move(message));
  }

  TillTxn void_till = till;
  void_till.pos_txn_id = "void-" + till.pos_txn_id;
  void_till.request_hash = PoslogRequestHash(t, "void", member->member_id);
  auto voided =
      AtValidTime(void_till, [&](const TillTxn& at) { return sales_.Void(actor, at, s.txn_id); });
  if (!voided) {
    return done("rejected", voided.error().slug,
                "the sale was recorded as " + s.txn_id + " but its post-void failed: " +
                    voided.error().message + "; import the file again to finish the void");
  }
  item.transaction_id = voided->txn.txn_id;
  const bool replayed = sale->replayed && voided->replayed;
  return done("accepted", replayed ? "replayed" : "void",
              replayed ? "already imported: sale " + s.txn_id + " and its void " +
                             voided->txn.txn_id + "; nothing changed"
                       : "post-voided sale: recorded as " + s.txn_id + " and voided at once (" +
                             voided->txn.txn_id + "), so it changes no points");
}

PoslogImportItem PoslogImporter::ImportReturn(const Actor& actor, const PoslogTransaction& t,
                                              const std::string& zone, PoslogImportItem item) {
  const auto done = [&](const char* outcome, std::string reason, std::string message) {
    return Decided(std::move(item), outcome, std::move(reason), std::move(message));
  };
  auto lines = PoslogTillLines(t);
  if (!lines) return done("rejected", lines.error().slug, lines.error().message);

  // The sale it returns: the first usable link, line-level links first.
  std::optional<PoslogTransactionKey> original;
  for (const PoslogLine& l : t.lines) {
    if (l.return_of && Usable(*l.return_of)) {
      original = l.return_of->original;
      break;
    }
  }
  for (const PoslogTransactionLink& link : t.return_links) {
    if (!original && Usable(link)) original = link.original;
  }
  if (original) {
    for (const PoslogTransactionLink& link : t.return_links) {
      if (Usable(link) && link.original != *original) {
        return done("rejected", "multiple_originals",
                    "the return names several sales (" + PoslogKeyText(*original) + ", " +
                        PoslogKeyText(link.original) + "); record one return per sale");
      }
    }
  }

  TillTxn till;
  till.store_id = t.key.store_id;
  till.terminal_id = t.key.workstation_id;
  till.pos_txn_id = PoslogPosTxnId(t.key);
  till.request_hash = PoslogRequestHash(t, "return", std::nullopt);
  if (PlainId(t.operator_id) && t.operator_id.size() <= kMaxCashierId) {
    till.cashier_id = t.operator_id;
  }
  till.occurred_at = PoslogInstant(t.end_date_time, zone);
  if (till.request_hash.empty()) {
    return done("rejected", "internal", "could not compute the transaction's hash; try again");
  }

  // Imported before: the sale service replays it (or refuses other content) whatever lines
  // are sent, and the sale's lines have since been returned, so do not match them again.
  auto mine = transactions_.FindByTill(till.store_id, till.terminal_id, till.pos_txn_id);
  if (!mine) return done("rejected", mine.error().slug, mine.error().message);
  std::optional<PosTransaction> sale;
  if (original && !*mine) {
    auto found = transactions_.FindByTill(original->store_id, original->workstation_id,
                                          PoslogPosTxnId(*original));
    if (!found) return done("rejected", found.error().slug, found.error().message);
    if (*found && (*found)->kind == PosTxnKind::kSale) sale = std::move(**found);
  }

  ReturnRequest request;
  if (sale) {
    request.sale_txn_id = sale->txn_id;
    std::map<int, int64_t> asked;  // sale line -> units this return takes
    std::vector<int> order;
    for (size_t i = 0; i < t.lines.size(); ++i) {
      const PoslogLine& l = t.lines[i];
      const TillLine& back = (*lines)[i];
      const PosLine* target = nullptr;
      if (l.return_of && l.return_of->original_line_number) {
        for (const PosLine& sl : sale->lines) {
          if (sl.line_no == *l.return_of->original_line_number && sl.sku == back.sku) target = &sl;
        }
      }
      // Else the first line of that item with enough left, else any line of that item (the
      // sale service then says how much is left).
      for (int pass = 0; pass < 2 && !target; ++pass) {
        for (const PosLine& sl : sale->lines) {
          if (sl.sku != back.sku) continue;
          const auto taken = asked.find(sl.line_no);
          const int64_t left =
              sl.qty - sl.returned_qty - (taken == asked.end() ? 0 : taken->second);
          if (pass == 0 && left < back.qty) continue;
          target = &sl;
          break;
        }
      }
      if (!target) {
        return done("rejected", "return_line_not_in_sale",
                    "line " + std::to_string(l.line_number) + " returns an item that sale " +
                        PoslogKeyText(*original) + " (" + sale->txn_id + ") did not sell");
      }
      if (!asked.count(target->line_no)) order.push_back(target->line_no);
      asked[target->line_no] += back.qty;
    }
    for (int line_no : order) request.lines.push_back(ReturnLineRequest{line_no, asked[line_no]});
  } else {
    request.sale_txn_id = "poslog:" + item.key;
    request.unlinked_lines = *lines;
  }

  auto ret = AtValidTime(till, [&](const TillTxn& at) {
    request.till = at;
    return sales_.Return(actor, request);
  });
  if (!ret) return done("rejected", ret.error().slug, ret.error().message);
  const PosTransaction& r = ret->txn;
  item.transaction_id = r.txn_id;
  if (ret->replayed) {
    return done("accepted", "replayed",
                "already imported as return " + r.txn_id + ": nothing changed" + VoidedNote(t));
  }
  if (r.no_original) {
    return done("accepted", "return_without_original",
                std::string(original ? "the returned sale " + PoslogKeyText(*original) +
                                           " is not in this system"
                                     : "the return names no sale") +
                    ": recorded and flagged without receipt, refund " +
                    ReceiptAmount(r.total_minor, r.currency) + ", points unchanged" +
                    VoidedNote(t) + CurrencyNote(t, r));
  }
  return done("accepted", "return",
              "return of sale " + PoslogKeyText(*original) + " recorded: refund " +
                  ReceiptAmount(r.total_minor, r.currency) + ", " +
                  std::to_string(r.points_clawed_back) + " points taken back" + VoidedNote(t) +
                  CurrencyNote(t, r));
}

}  // namespace loyalty::pos
