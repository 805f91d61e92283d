// ARTS POSLog parser: pugixml DOM walked by local element names, exact decimals, no card numbers.
#include "pos-adapter/poslog_parser.h"

#include <date/date.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <pugixml.hpp>
#include <utility>

#include "loyalty/common/utf8.h"

namespace loyalty::pos {
namespace {

constexpr std::string_view kArtsNamespacePrefix = "http://www.nrf-arts.org/IXRetail/";
constexpr std::size_t kMaxFreeTextLength = 256;

// ---------------------------------------------------------------------------------------------
// Small text helpers.

bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsXmlSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsXmlSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool IsTrue(std::string_view v) { return EqualsIgnoreCase(Trim(v), "true") || Trim(v) == "1"; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The part of a qualified XML name after the prefix: "acs:LoyaltyID" -> "LoyaltyID".
std::string_view LocalName(const char* qualified) {
  std::string_view name(qualified);
  auto colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool IsElement(const pugi::xml_node& n) { return n.type() == pugi::node_element; }

bool Is(const pugi::xml_node& n, std::string_view local) {
  return IsElement(n) && LocalName(n.name()) == local;
}

// First element child with the given local name (any prefix), or an empty node.
pugi::xml_node Child(const pugi::xml_node& parent, std::string_view local) {
  for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) {
    if (Is(c, local)) return c;
  }
  return {};
}

// Attribute by local name (ignores prefixes such as acs:weightItem).
pugi::xml_attribute Attr(const pugi::xml_node& n, std::string_view local) {
  for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute()) {
    if (LocalName(a.name()) == local) return a;
  }
  return {};
}

std::string_view AttrValue(const pugi::xml_node& n, std::string_view local) {
  pugi::xml_attribute a = Attr(n, local);
  return a ? std::string_view(a.value()) : std::string_view();
}

// The element's own text (first PCDATA/CDATA child), trimmed.
std::string_view Text(const pugi::xml_node& n) {
  if (!n) return {};
  return Trim(n.text().get());
}

// Luhn check over a run of digits; card numbers pass it, most other long numbers do not.
bool PassesLuhn(std::string_view digits) {
  int sum = 0;
  bool dbl = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 == 0;
}

// Masks any 13-19 digit run that passes Luhn: the last defence for a vendor that writes a card
// number into a free-text or type field we copy. Item codes are never passed through this.
std::string ScrubCardLikeDigits(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    if (!IsDigit(s[i])) {
      out.push_back(s[i++]);
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && IsDigit(s[j])) ++j;
    std::string_view run = s.substr(i, j - i);
    if (run.size() >= 13 && run.size() <= 19 && PassesLuhn(run)) {
      out += MaskCardNumber(run);
    } else {
      out.append(run);
    }
    i = j;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Per-transaction state.

struct Context {
  const PoslogParseOptions& options;
  std::vector<PoslogProblem> problems;
  std::string currency;
  int minor_digits = 2;

  void Problem(std::string slug, std::string message, std::optional<int64_t> line = std::nullopt) {
    if (problems.size() < options.max_problems_per_transaction) {
      problems.push_back(PoslogProblem{std::move(slug), std::move(message), line});
    } else if (problems.size() == options.max_problems_per_transaction) {
      problems.push_back(PoslogProblem{
          "too_many_problems", "more problems in this transaction were not listed", {}});
    }
  }
};

// A value we quote in a problem message: short, and only from amount/quantity fields. A value
// with as many digits as a card number (13 or more, spaces or not) shows only its last four.
std::string Quote(std::string_view v) {
  std::string out = "\"";
  std::size_t n = std::min<std::size_t>(v.size(), 32);
  const auto digits =
      std::count_if(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
  auto hidden = digits >= 13 ? digits - 4 : 0;
  for (std::size_t i = 0; i < n; ++i) {
    char c = v[i];
    if (c >= '0' && c <= '9' && hidden > 0) {
      --hidden;
      c = '*';
    }
    out.push_back(
        static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f ? '?' : c);
  }
  if (v.size() > n) out += "...";
  out += "\"";
  return out;
}

// An identifier: non-empty, printable UTF-8, at most max_identifier_length bytes.
std::optional<std::string> Identifier(Context& ctx, std::string_view raw, std::string_view field,
                                      std::optional<int64_t> line = std::nullopt) {
  raw = Trim(raw);
  if (raw.empty()) return std::nullopt;
  if (raw.size() > ctx.options.max_identifier_length) {
    ctx.Problem("identifier_too_long",
                std::string(field) + " is longer than " +
                    std::to_string(ctx.options.max_identifier_length) + " bytes; ignored",
                line);
    return std::nullopt;
  }
  if (!CountPrintableCodePoints(raw)) {
    ctx.Problem("identifier_not_printable", std::string(field) + " is not printable UTF-8; ignored",
                line);
    return std::nullopt;
  }
  return std::string(raw);
}

// Free text (descriptions): invalid UTF-8 drops it, long text is cut at a character boundary.
std::string FreeText(std::string_view raw) {
  raw = Trim(raw);
  if (raw.size() > kMaxFreeTextLength) {
    std::size_t cut = kMaxFreeTextLength;
    while (cut > 0 && (static_cast<unsigned char>(raw[cut]) & 0xC0) == 0x80) --cut;
    raw = raw.substr(0, cut);
  }
  if (!CountPrintableCodePoints(raw)) return {};
  return ScrubCardLikeDigits(raw);
}

bool IsValidDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!IsDigit(s[i])) return false;
  }
  int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  unsigned m = static_cast<unsigned>((s[5] - '0') * 10 + (s[6] - '0'));
  unsigned d = static_cast<unsigned>((s[8] - '0') * 10 + (s[9] - '0'));
  return date::year_month_day{date::year{y}, date::month{m}, date::day{d}}.ok();
}

// "2024-10-15T09:27:02.649Z", "2019-07-22T15:53:21", "...+02:00": a date, 'T', hh:mm[:ss[.f]],
// an optional zone. Kept as text: the store's zone is the importer's to apply.
bool IsValidDateTime(std::string_view s) {
  if (s.size() < 16 || s.size() > 40 || !IsValidDate(s.substr(0, 10)) || s[10] != 'T') {
    return false;
  }
  std::string_view t = s.substr(11);
  auto two = [](std::string_view v, int max) {
    return v.size() >= 2 && IsDigit(v[0]) && IsDigit(v[1]) &&
           (v[0] - '0') * 10 + (v[1] - '0') <= max;
  };
  if (!two(t, 23) || t.size() < 5 || t[2] != ':' || !two(t.substr(3), 59)) return false;
  t.remove_prefix(5);
  if (!t.empty() && t[0] == ':') {
    if (!two(t.substr(1), 60)) return false;
    t.remove_prefix(3);
    if (!t.empty() && t[0] == '.') {
      t.remove_prefix(1);
      std::size_t n = 0;
      while (n < t.size() && IsDigit(t[n])) ++n;
      if (n == 0) return false;
      t.remove_prefix(n);
    }
  }
  if (t.empty() || t == "Z") return true;
  return t.size() == 6 && (t[0] == '+' || t[0] == '-') && two(t.substr(1), 23) && t[3] == ':' &&
         two(t.substr(4), 59);
}

std::optional<int64_t> ParsePlainInteger(std::string_view s) {
  s = Trim(s);
  if (s.empty() || s.size() > 18) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (!IsDigit(c)) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// Store id of a BusinessUnit element (v6: <UnitID>, some links: the text itself) or of
// RetailStoreID (2.x) among `parent`'s children.
std::string_view StoreText(const pugi::xml_node& parent) {
  if (pugi::xml_node bu = Child(parent, "BusinessUnit")) {
    if (pugi::xml_node unit = Child(bu, "UnitID")) return Text(unit);
    return Text(bu);
  }
  return Text(Child(parent, "RetailStoreID"));
}

// BusinessDayDate as <BusinessDayDate>2024-10-15</...> or <BusinessDayDate><Date>...</Date>.
std::string_view BusinessDayText(const pugi::xml_node& parent) {
  pugi::xml_node bdd = Child(parent, "BusinessDayDate");
  if (!bdd) return {};
  if (pugi::xml_node d = Child(bdd, "Date")) return Text(d);
  return Text(bdd);
}

bool IsCardNumberElement(std::string_view local) {
  static constexpr std::array<std::string_view, 8> kNames = {
      "PrimaryAccountNumber", "CardNumber", "PAN",       "AccountNumber",
      "MaskedCardNumber",     "CardNo",     "PANNumber", "MaskedPAN"};
  return std::find(kNames.begin(), kNames.end(), local) != kNames.end();
}

// First card-number-like element under `root` (iterative walk, bounded by the checked depth).
pugi::xml_node FindCardNumber(const pugi::xml_node& root) {
  pugi::xml_node n = root.first_child();
  while (n && n != root) {
    if (IsElement(n) && IsCardNumberElement(LocalName(n.name()))) return n;
    if (n.first_child()) {
      n = n.first_child();
      continue;
    }
    while (n != root && !n.next_sibling()) n = n.parent();
    if (n == root) break;
    n = n.next_sibling();
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// Money and quantities.

constexpr int64_t kMaxAmountMinor = 1'000'000'000'000;

// An amount element in the transaction's currency. A Currency/CurrencyCode attribute other
// than the transaction's is refused, except "XXX" (futura writes it on zero amounts).
std::optional<int64_t> Amount(Context& ctx, const pugi::xml_node& node, std::string_view what,
                              std::optional<int64_t> line) {
  std::string_view cur = AttrValue(node, "Currency");
  if (cur.empty()) cur = AttrValue(node, "CurrencyCode");
  cur = Trim(cur);
  if (!cur.empty() && cur != "XXX" && !ctx.currency.empty() && cur != ctx.currency) {
    ctx.Problem("currency_mismatch",
                std::string(what) + " is in " + Quote(cur) + ", the transaction in " +
                    ctx.currency + "; left out",
                line);
    return std::nullopt;
  }
  std::string_view text = Text(node);
  auto value = ParseScaledDecimal(text, ctx.minor_digits);
  if (!value) {
    ctx.Problem(
        value.error().slug == "decimal_too_precise" ? "amount_too_precise" : "amount_invalid",
        std::string(what) + " " + Quote(text) + ": " + value.error().message +
            "; left out (amounts are never rounded)",
        line);
    return std::nullopt;
  }
  // Ten billion in the major unit is no till's receipt; it is a misplaced number (a card
  // number typed into the amount, say), so it is never imported as money.
  if (*value > kMaxAmountMinor || *value < -kMaxAmountMinor) {
    ctx.Problem("amount_too_large",
                std::string(what) + " " + Quote(text) + " is beyond any receipt; left out", line);
    return std::nullopt;
  }
  return *value;
}

bool IsWeightUnit(std::string_view uom) {
  static constexpr std::array<std::string_view, 14> kUnits = {
      "KGM", "KG", "GRM", "G", "LBR", "LB", "ONZ", "OZ", "MTR", "M", "LTR", "L", "MLT", "CMT"};
  for (auto u : kUnits) {
    if (EqualsIgnoreCase(uom, u)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Transaction links.

std::optional<PoslogTransactionLink> ParseLink(Context& ctx, const pugi::xml_node& link,
                                               std::optional<int64_t> line) {
  PoslogTransactionLink out;
  auto id = [&](std::string_view raw, std::string_view field) {
    return Identifier(ctx, raw, field, line).value_or("");
  };
  out.original.store_id = id(StoreText(link), "TransactionLink store");
  out.original.workstation_id =
      id(Text(Child(link, "WorkstationID")), "TransactionLink workstation");
  out.original.sequence_number =
      id(Text(Child(link, "SequenceNumber")), "TransactionLink sequence number");
  out.transaction_id = id(Text(Child(link, "TransactionID")), "TransactionLink transaction id");
  std::string_view day = BusinessDayText(link);
  if (!day.empty()) {
    if (IsValidDate(day)) {
      out.original.business_day = std::string(day);
    } else {
      ctx.Problem("bad_link_date", "TransactionLink business day is not YYYY-MM-DD; ignored", line);
    }
  }
  if (pugi::xml_node ln = Child(link, "LineItemSequenceNumber")) {
    out.original_line_number = ParsePlainInteger(Text(ln));
  }
  std::string_view reason = AttrValue(link, "ReasonCode");
  if (reason.empty()) reason = Text(Child(link, "ReasonCode"));
  out.reason = id(reason, "TransactionLink reason");
  if (out.original.sequence_number.empty() && out.transaction_id.empty()) {
    ctx.Problem("incomplete_link",
                "TransactionLink names neither a SequenceNumber nor a TransactionID; ignored",
                line);
    return std::nullopt;
  }
  return out;
}

void AddLink(std::vector<PoslogTransactionLink>& links, const PoslogTransactionLink& link) {
  if (std::find(links.begin(), links.end(), link) == links.end()) links.push_back(link);
}

// ---------------------------------------------------------------------------------------------
// Lines.

struct RawItem {
  PoslogLine line;
  int64_t raw_quantity_milli = 0;  // as written, before sign normalisation
  bool ok = true;
};

RawItem ParseItem(Context& ctx, const pugi::xml_node& line_item, const pugi::xml_node& item,
                  int64_t line_number, bool report) {
  RawItem r;
  PoslogLine& l = r.line;
  l.line_number = line_number;
  std::optional<int64_t> ln = line_number;
  Context quiet{ctx.options, {}, ctx.currency, ctx.minor_digits};
  Context& c = report ? ctx : quiet;

  // SKU: ItemID; else the retailer's own POSItemID (RSID, SKU ...); else the first POSItemID.
  std::string sku_text(Text(Child(item, "ItemID")));
  std::string first_pos_id, retailer_pos_id;
  for (pugi::xml_node p = item.first_child(); p; p = p.next_sibling()) {
    if (!Is(p, "POSIdentity")) continue;
    std::string_view id = Text(Child(p, "POSItemID"));
    if (id.empty()) continue;
    std::string_view type = AttrValue(p, "POSIDType");
    bool is_gtin = EqualsIgnoreCase(type, "GTIN") || EqualsIgnoreCase(type, "EAN") ||
                   EqualsIgnoreCase(type, "UPC");
    if (is_gtin && l.gtin.empty()) l.gtin = Identifier(c, id, "GTIN", ln).value_or("");
    if (!is_gtin && retailer_pos_id.empty()) retailer_pos_id = std::string(id);
    if (first_pos_id.empty()) first_pos_id = std::string(id);
  }
  if (sku_text.empty()) sku_text = !retailer_pos_id.empty() ? retailer_pos_id : first_pos_id;
  l.sku = Identifier(c, sku_text, "ItemID", ln).value_or("");
  if (l.sku.empty()) {
    c.Problem("missing_sku", "item line has no ItemID or POSItemID; left out", ln);
    r.ok = false;
  }

  l.description = FreeText(Text(Child(item, "Description")));
  if (pugi::xml_node mh = Child(item, "MerchandiseHierarchy")) {
    l.category = Identifier(c, Text(mh), "MerchandiseHierarchy", ln).value_or("");
    l.category_level =
        Identifier(c, AttrValue(mh, "Level"), "MerchandiseHierarchy Level", ln).value_or("");
  } else if (pugi::xml_node pg = Child(item, "ProductGroup")) {  // futura's fu:ProductGroup
    l.category = Identifier(c, Text(pg), "ProductGroup", ln).value_or("");
    if (!l.category.empty()) l.category_level = "ProductGroup";
  }

  // Quantity: ARTS defaults to one unit when absent.
  r.raw_quantity_milli = 1000;
  if (pugi::xml_node q = Child(item, "Quantity")) {
    std::string_view text = Text(q);
    auto v = ParseScaledDecimal(text, 3);
    if (!v) {
      c.Problem("quantity_invalid",
                "Quantity " + Quote(text) + ": " + v.error().message + "; line left out", ln);
      r.ok = false;
    } else {
      r.raw_quantity_milli = *v;
    }
    std::string_view uom = Trim(AttrValue(q, "UnitOfMeasureCode"));
    if (!uom.empty())
      l.unit_of_measure = Identifier(c, uom, "UnitOfMeasureCode", ln).value_or("EA");
    std::string_view units = AttrValue(q, "Units");
    if (!Trim(units).empty()) {
      auto u = ParseScaledDecimal(units, 3);
      if (u && *u > 0) l.units_per_item_milli = *u;
      if (!u) c.Problem("units_invalid", "Quantity Units " + Quote(units) + " ignored", ln);
    }
  }
  l.weighed = IsWeightUnit(l.unit_of_measure) || IsTrue(AttrValue(line_item, "weightItem")) ||
              IsTrue(AttrValue(item, "weightItem"));

  // Net amount: ExtendedAmount less price modifiers. Vendors disagree on what
  // ExtendedDiscountAmount holds (futura and NCR write the discount, ARTS the discounted
  // amount), so it is not used.
  int64_t net = 0;
  if (pugi::xml_node ext = Child(item, "ExtendedAmount")) {
    auto a = Amount(c, ext, "ExtendedAmount", ln);
    if (a) {
      net = *a;
    } else {
      r.ok = false;
    }
  } else {
    c.Problem("missing_amount", "item line has no ExtendedAmount; left out", ln);
    r.ok = false;
  }
  for (pugi::xml_node m = item.first_child(); m && r.ok; m = m.next_sibling()) {
    if (!Is(m, "RetailPriceModifier") || IsTrue(AttrValue(m, "VoidFlag"))) continue;
    pugi::xml_node amount = Child(m, "Amount");
    if (!amount) continue;
    auto a = Amount(c, amount, "RetailPriceModifier Amount", ln);
    if (!a) {
      r.ok = false;
      break;
    }
    std::string_view action = AttrValue(amount, "Action");
    if (action.empty()) action = AttrValue(m, "Action");
    int64_t magnitude = *a < 0 ? -*a : *a;
    bool overflow = EqualsIgnoreCase(action, "Add") ? __builtin_add_overflow(net, magnitude, &net)
                                                    : __builtin_sub_overflow(net, magnitude, &net);
    if (overflow || net == std::numeric_limits<int64_t>::min()) {
      c.Problem("amount_invalid", "price modifiers take the line amount out of range; left out",
                ln);
      r.ok = false;
    }
  }

  l.is_return = Is(item, "Return") || r.raw_quantity_milli < 0;
  int64_t qty = r.raw_quantity_milli < 0 ? -r.raw_quantity_milli : r.raw_quantity_milli;
  if (l.is_return) {
    l.quantity_milli = -qty;
    l.net_minor = net > 0 ? -net : net;
  } else {
    l.quantity_milli = qty;
    l.net_minor = net;
  }

  pugi::xml_node link = Child(item, "TransactionLink");
  if (!link) link = Child(line_item, "TransactionLink");
  if (link) l.return_of = ParseLink(c, link, ln);
  return r;
}

std::optional<PoslogTender> ParseTender(Context& ctx, const pugi::xml_node& tender,
                                        int64_t line_number) {
  PoslogTender t;
  t.line_number = line_number;
  std::optional<int64_t> ln = line_number;
  pugi::xml_node amount = Child(tender, "Amount");
  if (!amount) {
    // Visma writes cash rounding as a Tender holding only <Rounding>: not a payment.
    if (!Child(tender, "Rounding")) {
      ctx.Problem("missing_tender_amount", "Tender has no Amount; left out", ln);
    }
    return std::nullopt;
  }
  auto a = Amount(ctx, amount, "Tender Amount", ln);
  if (!a) return std::nullopt;
  std::string_view type = AttrValue(tender, "TenderType");
  if (Trim(type).empty()) type = Text(Child(tender, "TenderID"));
  t.tender_type = ScrubCardLikeDigits(Identifier(ctx, type, "TenderType", ln).value_or("Unknown"));
  t.type_code = ScrubCardLikeDigits(
      Identifier(ctx, AttrValue(tender, "TypeCode"), "Tender TypeCode", ln).value_or(""));
  t.amount_minor = EqualsIgnoreCase(t.type_code, "Refund") && *a > 0 ? -*a : *a;
  for (pugi::xml_node c = tender.first_child(); c; c = c.next_sibling()) {
    std::string_view card_type = AttrValue(c, "CardType");
    if (IsElement(c) && !Trim(card_type).empty()) {
      t.card_type = ScrubCardLikeDigits(Identifier(ctx, card_type, "CardType", ln).value_or(""));
      break;
    }
  }
  if (pugi::xml_node pan = FindCardNumber(tender)) {
    std::string_view number = Text(pan);
    if (!number.empty()) t.masked_card = MaskCardNumber(number);
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Members.

struct MemberCandidate {
  int rank = 0;  // lower wins
  PoslogMemberReference ref;
};

// Keeps the best member reference: one with an id beats one with only a card; then the lower
// rank. A masked loyalty card seen on any candidate is kept.
void ConsiderMember(std::optional<MemberCandidate>& best, int rank, PoslogMemberReference ref) {
  if (ref.id.empty() && ref.masked_card.empty()) return;
  if (!best) {
    best = MemberCandidate{rank, std::move(ref)};
    return;
  }
  bool better = (!ref.id.empty() && best->ref.id.empty()) ||
                (ref.id.empty() == best->ref.id.empty() && rank < best->rank);
  std::string card = best->ref.masked_card.empty() ? ref.masked_card : best->ref.masked_card;
  if (better) best = MemberCandidate{rank, std::move(ref)};
  if (best->ref.masked_card.empty()) best->ref.masked_card = std::move(card);
}

PoslogMemberReference LoyaltyAccountReference(Context& ctx, const pugi::xml_node& account) {
  PoslogMemberReference ref;
  ref.source = "loyalty_account";
  std::string_view id = Text(Child(account, "LoyaltyAccountID"));
  if (id.empty()) id = Text(Child(account, "CustomerID"));
  if (id.empty()) id = Text(Child(account, "AccountID"));
  ref.id = Identifier(ctx, id, "LoyaltyAccount id").value_or("");
  if (pugi::xml_node pan = FindCardNumber(account)) {
    std::string_view number = Text(pan);
    if (!number.empty()) ref.masked_card = MaskCardNumber(number);
  }
  return ref;
}

void CollectMembers(Context& ctx, const pugi::xml_node& holder,
                    std::optional<MemberCandidate>& best) {
  for (pugi::xml_node n = holder.first_child(); n; n = n.next_sibling()) {
    if (Is(n, "LoyaltyAccount")) {
      ConsiderMember(best, 0, LoyaltyAccountReference(ctx, n));
    } else if (Is(n, "LoyaltyMembership")) {  // NCR acs:LoyaltyMembership
      std::string_view id = Text(Child(n, "LoyaltyID"));
      if (id.empty()) id = Text(Child(n, "MembershipID"));
      ConsiderMember(
          best, 1,
          {"loyalty_membership", Identifier(ctx, id, "LoyaltyMembership id").value_or(""), ""});
    } else if (Is(n, "CustomerAccount")) {
      std::string_view id = Text(Child(n, "CustomerAccountID"));
      if (id.empty()) id = Text(Child(n, "AccountID"));
      if (id.empty()) id = Text(Child(n, "CustomerID"));
      ConsiderMember(
          best, 2,
          {"customer_account", Identifier(ctx, id, "CustomerAccount id").value_or(""), ""});
    } else if (Is(n, "Customer")) {
      ConsiderMember(
          best, 3,
          {"customer", Identifier(ctx, Text(Child(n, "CustomerID")), "CustomerID").value_or(""),
           ""});
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Transactions.

PoslogDisposition Disposition(Context& ctx, const pugi::xml_node& tx, const pugi::xml_node& rt) {
  if (IsTrue(AttrValue(tx, "CancelFlag")) || IsTrue(AttrValue(rt, "CancelFlag"))) {
    return PoslogDisposition::kCancelled;
  }
  if (IsTrue(AttrValue(tx, "VoidFlag")) || IsTrue(AttrValue(rt, "VoidFlag"))) {
    return PoslogDisposition::kPostVoided;
  }
  std::string_view status = Trim(AttrValue(rt, "TransactionStatus"));
  if (status.empty()) status = Text(Child(rt, "TransactionStatus"));
  if (status.empty()) status = Trim(AttrValue(tx, "TransactionStatus"));
  if (status.empty()) return PoslogDisposition::kCompleted;
  for (auto s : {"Canceled", "Cancelled", "Aborted"}) {
    if (EqualsIgnoreCase(status, s)) return PoslogDisposition::kCancelled;
  }
  for (auto s : {"PostVoided", "Voided", "Void"}) {
    if (EqualsIgnoreCase(status, s)) return PoslogDisposition::kPostVoided;
  }
  for (auto s : {"Suspended", "SuspendedDeleted", "SuspendedRetrieved"}) {
    if (EqualsIgnoreCase(status, s)) return PoslogDisposition::kSuspended;
  }
  for (auto s : {"Finished", "Completed", "Totaled", "Tendered", "InProcess"}) {
    if (EqualsIgnoreCase(status, s)) return PoslogDisposition::kCompleted;
  }
  ctx.Problem("unknown_transaction_status",
              "TransactionStatus " + Quote(status) + " is not known; treated as completed");
  return PoslogDisposition::kCompleted;
}

// The transaction currency: CurrencyCode, else the first Currency/CurrencyCode attribute on an
// amount that is not "XXX".
std::string FindCurrency(const pugi::xml_node& tx, const pugi::xml_node& rt) {
  std::string_view code = Text(Child(tx, "CurrencyCode"));
  if (code.empty()) code = Text(Child(rt, "CurrencyCode"));
  if (!code.empty()) return std::string(code);
  pugi::xml_node n = rt.first_child();
  while (n && n != rt) {
    if (IsElement(n)) {
      for (auto name : {"Currency", "CurrencyCode"}) {
        std::string_view v = Trim(AttrValue(n, name));
        if (!v.empty() && v != "XXX") return std::string(v);
      }
    }
    if (n.first_child()) {
      n = n.first_child();
      continue;
    }
    while (n != rt && !n.next_sibling()) n = n.parent();
    if (n == rt) break;
    n = n.next_sibling();
  }
  return {};
}

bool IsCurrencyCode(std::string_view c) {
  return c.size() == 3 &&
         std::all_of(c.begin(), c.end(), [](char x) { return x >= 'A' && x <= 'Z'; });
}

void ParseTransaction(const PoslogParseOptions& options, const pugi::xml_node& tx,
                      const pugi::xml_node& rt, int index, PoslogParseResult& out) {
  Context ctx{options, {}, {}, 2};
  PoslogTransaction t;
  t.transaction_index = index;

  // Key.
  bool key_ok = true;
  auto key_field = [&](std::string_view raw, std::string_view field, std::string& dest) {
    auto v = Identifier(ctx, raw, field);
    if (!v) {
      if (Trim(raw).empty()) {
        ctx.Problem("missing_key_field", std::string(field) + " is missing");
      }
      key_ok = false;
      return;
    }
    dest = std::move(*v);
  };
  key_field(StoreText(tx), "store (BusinessUnit/UnitID or RetailStoreID)", t.key.store_id);
  key_field(Text(Child(tx, "WorkstationID")), "WorkstationID", t.key.workstation_id);
  key_field(Text(Child(tx, "SequenceNumber")), "SequenceNumber", t.key.sequence_number);

  std::string_view end = Text(Child(tx, "EndDateTime"));
  if (!end.empty()) {
    if (IsValidDateTime(end)) {
      t.end_date_time = std::string(end);
    } else {
      ctx.Problem("bad_end_date_time", "EndDateTime is not an ISO 8601 date-time; ignored");
    }
  }
  std::string_view day = BusinessDayText(tx);
  if (!day.empty()) {
    if (IsValidDate(day)) {
      t.key.business_day = std::string(day);
    } else {
      ctx.Problem("bad_business_day", "BusinessDayDate is not a YYYY-MM-DD date");
      key_ok = false;
    }
  } else {
    // Visma writes no BusinessDayDate: the till's local end (or begin) date stands in.
    std::string_view when = t.end_date_time;
    std::string_view begin = Text(Child(tx, "BeginDateTime"));
    if (when.empty() && IsValidDateTime(begin)) when = begin;
    if (!when.empty()) {
      t.key.business_day = std::string(when.substr(0, 10));
      t.business_day_derived = true;
    } else {
      ctx.Problem("missing_key_field", "BusinessDayDate is missing and no EndDateTime gives one");
      key_ok = false;
    }
  }

  std::size_t line_items = 0;
  for (pugi::xml_node li = rt.first_child(); li; li = li.next_sibling()) {
    if (Is(li, "LineItem")) ++line_items;
  }
  if (line_items > options.max_line_items) {
    ctx.Problem("too_many_lines",
                "more than " + std::to_string(options.max_line_items) + " LineItem elements");
    key_ok = false;
  }
  if (!key_ok) {
    out.rejected.push_back({index, t.key, std::move(ctx.problems)});
    return;
  }

  t.transaction_id =
      Identifier(ctx, Text(Child(tx, "TransactionID")), "TransactionID").value_or("");
  t.operator_id = Identifier(ctx, Text(Child(tx, "OperatorID")), "OperatorID").value_or("");
  t.training_mode = IsTrue(AttrValue(tx, "TrainingModeFlag"));
  t.disposition = Disposition(ctx, tx, rt);

  std::string currency = FindCurrency(tx, rt);
  if (currency.empty()) {
    ctx.Problem("missing_currency",
                "no CurrencyCode or Currency attribute; amounts read with 2 "
                "decimals");
  } else if (!IsCurrencyCode(currency)) {
    ctx.Problem("bad_currency", "currency is not an ISO 4217 code; amounts read with 2 decimals");
  } else {
    t.currency = currency;
    ctx.currency = currency;
    ctx.minor_digits = CurrencyMinorDigits(currency);
  }

  // Lines, in file order. Voided lines are parsed quietly so the audit list has their SKU.
  std::optional<MemberCandidate> member;
  CollectMembers(ctx, rt, member);
  CollectMembers(ctx, tx, member);
  struct VoidRecord {
    int64_t line_number;
    std::string sku;
    int64_t raw_quantity_milli;
    int64_t net_minor;
  };
  std::vector<VoidRecord> void_flags;
  int64_t position = 0;
  for (pugi::xml_node li = rt.first_child(); li; li = li.next_sibling()) {
    if (!Is(li, "LineItem")) continue;
    ++position;
    auto seq = ParsePlainInteger(Text(Child(li, "SequenceNumber")));
    int64_t line_number = seq.value_or(position);
    bool voided = IsTrue(AttrValue(li, "VoidFlag")) || IsTrue(AttrValue(li, "CancelFlag"));
    CollectMembers(ctx, li, member);
    for (pugi::xml_node body = li.first_child(); body; body = body.next_sibling()) {
      if (!IsElement(body)) continue;
      std::string_view kind = LocalName(body.name());
      if (kind == "Sale" || kind == "Return") {
        bool item_voided = voided || IsTrue(AttrValue(body, "VoidFlag"));
        RawItem item = ParseItem(ctx, li, body, line_number, !item_voided);
        if (item_voided) {
          void_flags.push_back(
              {line_number, item.line.sku, item.raw_quantity_milli, item.line.net_minor});
        } else if (item.ok) {
          t.lines.push_back(std::move(item.line));
        }
        break;
      }
      if (kind == "Tender") {
        if (voided || IsTrue(AttrValue(body, "VoidFlag"))) {
          t.voided_lines.push_back({line_number, "", "void_flag"});
        } else if (auto tender = ParseTender(ctx, body, line_number)) {
          t.tenders.push_back(std::move(*tender));
        }
        break;
      }
    }
  }

  // A VoidFlag line with a negative quantity (NCR style) cancels an earlier line with the same
  // SKU and the opposite quantity: both leave the sale. With a positive quantity (ARTS style) the
  // flagged line is the voided one itself.
  for (const VoidRecord& v : void_flags) {
    t.voided_lines.push_back({v.line_number, v.sku, "void_flag"});
    if (v.raw_quantity_milli >= 0 || v.sku.empty()) continue;
    for (auto it = t.lines.rbegin(); it != t.lines.rend(); ++it) {
      if (it->line_number < v.line_number && !it->is_return && it->sku == v.sku &&
          it->quantity_milli == -v.raw_quantity_milli) {
        t.voided_lines.push_back({it->line_number, it->sku, "voided_by_line"});
        t.lines.erase(std::next(it).base());
        break;
      }
    }
  }
  std::sort(t.voided_lines.begin(), t.voided_lines.end(),
            [](const auto& a, const auto& b) { return a.line_number < b.line_number; });

  // Return links: per line, then transaction-level links.
  for (const PoslogLine& l : t.lines) {
    if (l.return_of) AddLink(t.return_links, *l.return_of);
  }
  for (const pugi::xml_node& holder : {rt, tx}) {
    for (pugi::xml_node n = holder.first_child(); n; n = n.next_sibling()) {
      if (!Is(n, "TransactionLink")) continue;
      if (auto link = ParseLink(ctx, n, std::nullopt)) AddLink(t.return_links, *link);
    }
  }

  bool any_sale = false, any_return = false;
  for (const PoslogLine& l : t.lines) (l.is_return ? any_return : any_sale) = true;
  if (!any_sale && !any_return) {
    for (const PoslogTender& tender : t.tenders) {
      if (tender.amount_minor < 0) any_return = true;
    }
  }
  t.kind = any_sale && any_return ? PoslogTransactionKind::kMixed
           : any_return           ? PoslogTransactionKind::kReturn
                                  : PoslogTransactionKind::kSale;

  for (pugi::xml_node n = rt.first_child(); n; n = n.next_sibling()) {
    if (Is(n, "Total") && AttrValue(n, "TotalType") == "TransactionGrandAmount") {
      if (auto v = Amount(ctx, n, "TransactionGrandAmount", std::nullopt)) t.grand_total_minor = v;
      break;
    }
  }

  if (member) {
    t.member = std::move(member->ref);
    if (t.member->id.empty()) {
      ctx.Problem("member_without_id",
                  "a loyalty card is named but no account or customer id; the card number is "
                  "not imported");
    }
  }
  t.problems = std::move(ctx.problems);
  out.transactions.push_back(std::move(t));
}

tl::unexpected<Error> Refuse(std::string slug, std::string message) {
  return Fail(Code::kInvalidArgument, std::move(slug), std::move(message));
}

// Nesting depth of the document, walked without recursion; stops once past `limit`.
int MaxDepth(const pugi::xml_document& doc, int limit) {
  int depth = 0, max = 0;
  pugi::xml_node n = doc.first_child();
  while (n) {
    if (IsElement(n) && depth + 1 > max) {
      max = depth + 1;
      if (max > limit) return max;
    }
    if (n.first_child()) {
      n = n.first_child();
      ++depth;
      continue;
    }
    while (n && !n.next_sibling()) {
      n = n.parent();
      --depth;
      if (n == doc) return max;
    }
    if (n) n = n.next_sibling();
  }
  return max;
}

}  // namespace

Result<int64_t> ParseScaledDecimal(std::string_view text, int scale) {
  std::string_view s = Trim(text);
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  std::size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  auto all_digits = [](std::string_view v) { return std::all_of(v.begin(), v.end(), IsDigit); };
  if (s.empty() || (whole.empty() && frac.empty()) || !all_digits(whole) || !all_digits(frac)) {
    return Fail(Code::kInvalidArgument, "not_a_decimal",
                "not a plain decimal number (digits, optional sign and point; no exponent)");
  }
  if (scale < 0 || scale > 9) {
    return Fail(Code::kInternal, "bad_scale", "decimal scale must be 0..9");
  }
  for (std::size_t i = static_cast<std::size_t>(scale); i < frac.size(); ++i) {
    if (frac[i] != '0') {
      return Fail(Code::kInvalidArgument, "decimal_too_precise",
                  "more than " + std::to_string(scale) + " decimal places");
    }
  }
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t value = 0;
  auto push = [&](char c) {
    int d = c - '0';
    if (value > (kMax - d) / 10) return false;
    value = value * 10 + d;
    return true;
  };
  bool ok = true;
  for (char c : whole) ok = ok && push(c);
  for (int i = 0; i < scale && ok; ++i) {
    ok = push(static_cast<std::size_t>(i) < frac.size() ? frac[i] : '0');
  }
  if (!ok) {
    return Fail(Code::kInvalidArgument, "decimal_out_of_range", "number too large");
  }
  return negative ? -value : value;
}

int CurrencyMinorDigits(std::string_view currency) {
  static constexpr std::array<std::string_view, 16> kZero = {
      "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
      "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF"};
  static constexpr std::array<std::string_view, 7> kThree = {"BHD", "IQD", "JOD", "KWD",
                                                             "LYD", "OMR", "TND"};
  if (std::find(kZero.begin(), kZero.end(), currency) != kZero.end()) return 0;
  if (std::find(kThree.begin(), kThree.end(), currency) != kThree.end()) return 3;
  return 2;
}

std::string MaskCardNumber(std::string_view number) {
  number = Trim(number);
  std::string_view tail = number.size() > 4 ? number.substr(number.size() - 4) : std::string_view();
  // Only printable ASCII survives; a short value is masked entirely.
  std::string out = "****";
  for (char c : tail) {
    out.push_back((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ? c
                                                                                             : '*');
  }
  return out;
}

const char* PoslogTransactionKindName(PoslogTransactionKind kind) {
  switch (kind) {
    case PoslogTransactionKind::kSale:
      return "sale";
    case PoslogTransactionKind::kReturn:
      return "return";
    case PoslogTransactionKind::kMixed:
      return "mixed";
  }
  return "unknown";
}

const char* PoslogDispositionName(PoslogDisposition disposition) {
  switch (disposition) {
    case PoslogDisposition::kCompleted:
      return "completed";
    case PoslogDisposition::kCancelled:
      return "cancelled";
    case PoslogDisposition::kPostVoided:
      return "post_voided";
    case PoslogDisposition::kSuspended:
      return "suspended";
  }
  return "unknown";
}

Result<PoslogParseResult> ParsePoslog(std::string_view xml, const PoslogParseOptions& options) {
  if (Trim(xml).empty()) return Refuse("poslog_empty", "the POSLog file is empty");
  if (xml.size() > options.max_input_bytes) {
    return Refuse("poslog_too_large", "the POSLog file is " + std::to_string(xml.size()) +
                                          " bytes; the limit is " +
                                          std::to_string(options.max_input_bytes));
  }
  // Checked on the raw text, before any parser sees it: no DTD means no entity expansion
  // (billion laughs) and no external entities. Also refused inside comments, to stay simple.
  if (xml.find("<!DOCTYPE") != std::string_view::npos ||
      xml.find("<!ENTITY") != std::string_view::npos) {
    return Refuse("poslog_doctype",
                  "DOCTYPE and ENTITY declarations are not accepted in POSLog files");
  }
  // pugixml stops at a NUL byte; XML 1.0 forbids it, and only UTF-8 is accepted.
  if (xml.find('\0') != std::string_view::npos) {
    return Refuse("poslog_not_xml", "the file holds NUL bytes; POSLog must be UTF-8 XML");
  }

  std::size_t markup = static_cast<std::size_t>(std::count(xml.begin(), xml.end(), '<'));
  if (markup > options.max_markup) {
    return Refuse("poslog_too_many_elements", "the file holds " + std::to_string(markup) +
                                                  " tags; the limit is " +
                                                  std::to_string(options.max_markup));
  }

  pugi::xml_document doc;
  // parse_doctype keeps any DOCTYPE as a node so the check below is a second line of defence;
  // pugixml never expands entities beyond the five predefined ones and character references.
  unsigned flags = pugi::parse_default | pugi::parse_doctype;
  pugi::xml_parse_result parsed;
  try {
    parsed = doc.load_buffer(xml.data(), xml.size(), flags, pugi::encoding_utf8);
  } catch (const std::exception&) {  // std::bad_alloc from the DOM allocator
    return Refuse("poslog_not_xml", "the POSLog file could not be parsed (out of memory)");
  }
  if (!parsed) {
    return Refuse("poslog_not_xml", std::string("not well-formed XML: ") + parsed.description() +
                                        " at byte " + std::to_string(parsed.offset));
  }
  for (pugi::xml_node n = doc.first_child(); n; n = n.next_sibling()) {
    if (n.type() == pugi::node_doctype) {
      return Refuse("poslog_doctype", "DOCTYPE declarations are not accepted in POSLog files");
    }
  }
  pugi::xml_node root = doc.document_element();
  if (!root) return Refuse("poslog_not_xml", "the file holds no XML element");
  if (LocalName(root.name()) != "POSLog") {
    return Refuse("poslog_wrong_root", "the root element must be POSLog");
  }
  if (MaxDepth(doc, options.max_depth) > options.max_depth) {
    return Refuse("poslog_too_deep",
                  "elements nest deeper than " + std::to_string(options.max_depth) + " levels");
  }

  PoslogParseResult result;
  std::string_view qname(root.name());
  auto colon = qname.find(':');
  std::string ns_attr =
      colon == std::string_view::npos ? "xmlns" : "xmlns:" + std::string(qname.substr(0, colon));
  result.namespace_uri = Trim(root.attribute(ns_attr.c_str()).value());
  if (!result.namespace_uri.empty() &&
      result.namespace_uri.compare(0, kArtsNamespacePrefix.size(), kArtsNamespacePrefix) != 0) {
    return Refuse(
        "poslog_wrong_namespace",
        "the POSLog root is not in an ARTS namespace (http://www.nrf-arts.org/IXRetail/)");
  }
  bool ncr = false;
  for (pugi::xml_attribute a = root.first_attribute(); a; a = a.next_attribute()) {
    if (std::string_view(a.value()).find("ncr.com/rsd/acs") != std::string_view::npos) ncr = true;
  }
  if (result.namespace_uri.find("v6.") != std::string::npos ||
      Trim(root.attribute("MajorVersion").value()) == "6") {
    result.dialect = PoslogDialect::kArtsV6;
  } else if (ncr) {
    result.dialect = PoslogDialect::kNcrAcs2x;
  }

  std::size_t count = 0;
  for (pugi::xml_node tx = root.first_child(); tx; tx = tx.next_sibling()) {
    if (Is(tx, "Transaction") && ++count > options.max_transactions) {
      return Refuse("poslog_too_many_transactions",
                    "more than " + std::to_string(options.max_transactions) + " transactions");
    }
  }
  int index = 0;
  try {
    for (pugi::xml_node tx = root.first_child(); tx; tx = tx.next_sibling()) {
      if (!Is(tx, "Transaction")) continue;
      ++index;
      pugi::xml_node rt = Child(tx, "RetailTransaction");
      if (!rt) {
        ++result.skipped_non_retail;
        continue;
      }
      ParseTransaction(options, tx, rt, index, result);
    }
  } catch (const std::exception&) {  // std::bad_alloc: refuse rather than half-import
    return Refuse("poslog_not_xml", "the POSLog file could not be parsed (out of memory)");
  }
  return result;
}

}  // namespace loyalty::pos
