// ARTS POSLog import: a pure parser from XML text to retail transactions (no I/O, no database).
//
// Dialects: POSLog v6 under either namespace URI (http://www.nrf-arts.org/IXRetail/namespace/ and
// http://www.nrf-arts.org/IXRetail/v6.0.0/poslog) and NCR ACS 2.x (RetailTransaction Version
// "2.1" with acs: extensions). Elements are matched by local name, so prefixes do not matter.
//
// What the parser promises:
//  - The whole file is refused (an Error, no transactions) when it is empty, larger than
//    PoslogParseOptions::max_input_bytes, not well-formed XML, has any DOCTYPE or ENTITY
//    declaration (no entity expansion, ever), a root other than POSLog, a foreign root namespace,
//    nesting deeper than max_depth, more markup than max_markup, or more transactions than
//    max_transactions.
//  - Otherwise each <Transaction> holding a <RetailTransaction> becomes either a
//    PoslogTransaction (its idempotency key is complete) or a PoslogRejectedTransaction (it is
//    not); other transactions (ControlTransaction, sign-on, ...) are only counted.
//  - Money is int64 minor units parsed exactly from the decimal text; no floating point. A value
//    with non-zero digits beyond the currency's minor unit (EUR "12.345") is never rounded: the
//    line or tender is left out and a problem says why. Trailing zeros ("1.290", "22041.88000")
//    are exact and accepted. An amount beyond 10^12 minor units (amount_too_large) is left out
//    the same way.
//  - Card numbers (PrimaryAccountNumber, CardNumber, Track data ...) are never copied into the
//    result, not even into problem messages. At most the last four characters, masked
//    ("****1293"), are kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/common/error.h"

namespace loyalty::pos {

// Limits that keep a hostile file from exhausting memory or time. Defaults suit a day's log of a
// large store; the importer may lower them.
struct PoslogParseOptions {
  // Larger inputs are refused before parsing (pugixml holds the DOM in about 2-3x the input).
  std::size_t max_input_bytes = 50u * 1024 * 1024;
  // Deeper element nesting is refused; real POSLog files nest about 10 levels.
  int max_depth = 64;
  // Markup ('<' characters: tags, comments, CDATA) per file, counted before parsing. pugixml
  // spends about 70 bytes per node, so this bounds the DOM at a few hundred MiB even for a file
  // of nothing but "<a/>". Real POSLog has about one '<' per 22 bytes (NCR: 50 MiB ~ 2.4M).
  std::size_t max_markup = 4000000;
  // <Transaction> elements per file.
  std::size_t max_transactions = 200000;
  // LineItem elements per transaction; beyond it the transaction is rejected.
  std::size_t max_line_items = 10000;
  // Identifier texts (store, SKU, member id ...) longer than this make the field invalid.
  std::size_t max_identifier_length = 128;
  // Problems kept per transaction; the rest are summed up in one "too_many_problems".
  std::size_t max_problems_per_transaction = 50;
};

enum class PoslogDialect {
  kArtsV6,      // POSLog 6.x (MajorVersion="6" or the v6.0.0 namespace)
  kNcrAcs2x,    // NCR ACS TLOG markup (xmlns:acs / RetailTransaction Version="2.x")
  kUnversioned  // a POSLog root without version hints; parsed with the same rules
};

// The idempotency key of a POS transaction: the same sale imported twice has the same key.
struct PoslogTransactionKey {
  std::string store_id;         // BusinessUnit/UnitID (v6) or RetailStoreID (2.x)
  std::string workstation_id;   // WorkstationID
  std::string business_day;     // YYYY-MM-DD
  std::string sequence_number;  // SequenceNumber, as written (kept as text: vendors zero-pad)
  bool operator==(const PoslogTransactionKey&) const = default;
};

// A reference from a return line or transaction to the sale it returns (ARTS TransactionLink).
// Fields the file leaves out are empty.
struct PoslogTransactionLink {
  PoslogTransactionKey original;
  std::string transaction_id;                   // TransactionID, when given
  std::optional<int64_t> original_line_number;  // LineItemSequenceNumber
  std::string reason;                           // ReasonCode attribute/element, e.g. "Return"
  bool operator==(const PoslogTransactionLink&) const = default;
};

enum class PoslogTransactionKind {
  kSale,    // only positive item lines (or no item lines)
  kReturn,  // only returned item lines (Return element, or negative quantity)
  kMixed,   // both: an exchange
};

enum class PoslogDisposition {
  kCompleted,   // a normal, finished transaction
  kCancelled,   // cancelled before completion (TransactionStatus="Canceled", CancelFlag="true")
  kPostVoided,  // completed, then voided (TransactionStatus="PostVoided"/"Voided", VoidFlag)
  kSuspended,   // parked at the till, not final (TransactionStatus="Suspended")
};

// One merchandise line (Sale or Return). Signs follow the money: a sold item has quantity > 0
// and net_minor >= 0; a returned item has quantity < 0 and net_minor <= 0, whichever way the
// vendor wrote the signs (futura writes Quantity -1 with a positive ExtendedAmount).
struct PoslogLine {
  int64_t line_number = 0;     // LineItem/SequenceNumber
  std::string sku;             // ItemID, else the retailer's POSItemID, else the first POSItemID
  std::string gtin;            // POSItemID with POSIDType GTIN/EAN/UPC, when present
  std::string description;     // Description text, when present
  std::string category;        // MerchandiseHierarchy (or vendor ProductGroup), when present
  std::string category_level;  // its Level attribute ("Department", "Group"), when present
  // Quantity in thousandths (1000 = one unit, 420 = 0.42 kg). Non-zero digits beyond three
  // decimals reject the line.
  int64_t quantity_milli = 0;
  std::string unit_of_measure = "EA";  // UnitOfMeasureCode; "EA" when absent
  bool weighed = false;  // a weight/measure unit (KGM, KG, GRM, LBR ...) or acs:weightItem
  // Units attribute ("items per package" in ARTS), in thousandths, when present and non-zero.
  std::optional<int64_t> units_per_item_milli;
  // ExtendedAmount minus price-modifier discounts (RetailPriceModifier/Amount), minor units.
  int64_t net_minor = 0;
  bool is_return = false;
  std::optional<PoslogTransactionLink> return_of;  // TransactionLink inside the line
  bool operator==(const PoslogLine&) const = default;
};

// A line that the till voided: left out of `lines`, listed so the importer can audit it.
struct PoslogVoidedLine {
  int64_t line_number = 0;
  std::string sku;
  // Why it is out: "void_flag" (VoidFlag/CancelFlag="true" on the line) or "voided_by_line"
  // (an earlier line cancelled by a later VoidFlag line with the opposite quantity).
  std::string reason;
  bool operator==(const PoslogVoidedLine&) const = default;
};

struct PoslogTender {
  int64_t line_number = 0;
  std::string tender_type;  // TenderType attribute ("Cash", "CreditDebit"), else TenderID
  std::string type_code;    // TypeCode attribute ("Sale", "Refund"), when present
  // Positive when the customer pays the store, negative for a refund (TypeCode="Refund").
  int64_t amount_minor = 0;
  std::string card_type;    // CreditDebit/@CardType, when present
  std::string masked_card;  // "****1234" when the tender carried a card number; else empty
  bool operator==(const PoslogTender&) const = default;
};

// Who the purchase belongs to. The id is the member reference the loyalty side resolves.
struct PoslogMemberReference {
  // Where the id came from: "loyalty_account" (LoyaltyAccount/CustomerID or LoyaltyAccountID),
  // "loyalty_membership" (NCR acs:LoyaltyMembership), "customer_account" (CustomerAccount), or
  // "customer" (Customer/CustomerID).
  std::string source;
  std::string id;
  std::string masked_card;  // LoyaltyCard number masked to the last four ("****1293"), if any
  bool operator==(const PoslogMemberReference&) const = default;
};

// Something the parser could not take from the file. Messages never quote card numbers.
struct PoslogProblem {
  std::string slug;                    // stable reason, e.g. "amount_too_precise"
  std::string message;                 // a sentence a person can act on
  std::optional<int64_t> line_number;  // the LineItem it concerns, if any
  bool operator==(const PoslogProblem&) const = default;
};

struct PoslogTransaction {
  int transaction_index = 0;  // 1-based position among the file's <Transaction> elements
  PoslogTransactionKey key;
  bool business_day_derived = false;  // no BusinessDayDate: taken from End/BeginDateTime's date
  std::string transaction_id;         // TransactionID, when the vendor writes one
  std::string end_date_time;          // EndDateTime as written (ISO 8601, zone only if given)
  std::string operator_id;            // OperatorID
  std::string currency;               // ISO 4217: CurrencyCode, else the amounts' Currency
  PoslogTransactionKind kind = PoslogTransactionKind::kSale;
  PoslogDisposition disposition = PoslogDisposition::kCompleted;
  bool training_mode = false;     // TrainingModeFlag="true": not a real sale
  std::vector<PoslogLine> lines;  // voided lines excluded
  std::vector<PoslogVoidedLine> voided_lines;
  std::vector<PoslogTransactionLink> return_links;  // distinct links of all lines + transaction
  std::optional<PoslogMemberReference> member;
  std::vector<PoslogTender> tenders;
  std::optional<int64_t> grand_total_minor;  // Total TotalType="TransactionGrandAmount"
  // Lines or tenders left out, fields ignored. Non-empty means the transaction is incomplete:
  // the importer should hold it for review rather than award points on it.
  std::vector<PoslogProblem> problems;
};

// A retail transaction without a usable idempotency key (or over a limit): nothing of it is
// trustworthy enough to import.
struct PoslogRejectedTransaction {
  int transaction_index = 0;
  PoslogTransactionKey partial_key;  // what could be read, for the operator's report
  std::vector<PoslogProblem> problems;
};

struct PoslogParseResult {
  PoslogDialect dialect = PoslogDialect::kUnversioned;
  std::string namespace_uri;  // the root's namespace, empty when none is declared
  std::vector<PoslogTransaction> transactions;
  std::vector<PoslogRejectedTransaction> rejected;
  int skipped_non_retail = 0;  // Transactions without RetailTransaction (control, tender control)
};

// Parses one POSLog document. Fails only for the whole-file reasons listed at the top of this
// file, always with Code::kInvalidArgument (kResourceExhausted is not used: a too-large file is
// the sender's to fix) and one of the slugs: poslog_empty, poslog_too_large, poslog_doctype,
// poslog_not_xml, poslog_wrong_root, poslog_wrong_namespace, poslog_too_deep,
// poslog_too_many_elements, poslog_too_many_transactions. Never throws.
Result<PoslogParseResult> ParsePoslog(std::string_view xml, const PoslogParseOptions& options = {});

// Exact decimal text to a scaled integer: ParseScaledDecimal("12.34", 2) == 1234,
// ("1.290", 2) == 129, ("-1.0000", 3) == -1000. Accepts an optional sign, digits, an optional
// fraction and surrounding XML whitespace. Fails (slug "not_a_decimal") for exponents, "NaN",
// "1,5", empty text; ("decimal_too_precise") for non-zero digits beyond `scale`;
// ("decimal_out_of_range") beyond int64.
Result<int64_t> ParseScaledDecimal(std::string_view text, int scale);

// Digits after the decimal point of an ISO 4217 currency (JPY 0, KWD 3, most 2); 2 when unknown.
int CurrencyMinorDigits(std::string_view currency);

// "****" plus the last four characters of a card number (fewer when shorter); never more.
std::string MaskCardNumber(std::string_view number);

const char* PoslogTransactionKindName(PoslogTransactionKind kind);
const char* PoslogDispositionName(PoslogDisposition disposition);

}  // namespace loyalty::pos
