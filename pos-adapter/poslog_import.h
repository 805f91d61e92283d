// ARTS POSLog import: parsed till transactions (pos-adapter/poslog_parser.h) committed through the
// sale service, one transaction at a time, with a per-file report of what happened to each.
//
// Mapping rules (each transaction on its own; one bad transaction never aborts the file):
//
//  Identity. The POSLog key (BusinessUnit, Workstation, BusinessDayDate, SequenceNumber) becomes
//  the till id the sale service is idempotent on: store_id = key.store_id, terminal_id =
//  key.workstation_id, pos_txn_id = business_day + ":" + sequence_number. A post-void's own step
//  uses pos_txn_id "void-" + business_day + ":" + sequence_number. request_hash is the lowercase
//  hex SHA-256 of a canonical text of the parsed transaction (the step, key, kind, disposition,
//  our member id, each line's number/sku/gtin/quantity/net/return link, the return links). So
//  importing the same file again is a replay (accepted, reason "replayed", nothing written) and
//  a changed transaction under the same key is rejected with pos_txn_id_reused. The sale step of
//  a post-voided transaction hashes as "completed": a sale imported first and reported
//  PostVoided in a later file replays, and only its void is new.
//
//  Outcomes, checked in this order:
//   - TrainingModeFlag                     -> skipped "training"
//   - cancelled (TransactionStatus, flags) -> skipped "cancelled" (no points)
//   - suspended                            -> skipped "suspended"
//   - the parser's `problems` non-empty    -> rejected "incomplete" (held for review: no points;
//                                             the message joins the problems' messages)
//   - a transaction without a usable key   -> rejected "incomplete"
//   - currency not the program's           -> rejected "currency_mismatch" (no points; the
//                                             message names both codes and says amounts are
//                                             not converted). Empty, or ISO 4217's "XXX" (no
//                                             currency, which futura writes), passes as the
//                                             program's; the parser already holds a transaction
//                                             without any currency as "incomplete".
//   - store unknown here                   -> rejected "unknown_store"
//   - workstation id longer than 32        -> rejected "invalid_terminal_id"
//   - post-voided return or exchange       -> skipped "void" (nothing happened)
//   - exchange (sale and return lines)     -> rejected "exchange_not_supported"
//   - no lines left (all voided)           -> skipped "no_lines"
//   - sale                                 -> SaleService::Commit: accepted "sale", or
//                                             "member_not_found" when the member reference
//                                             matches nobody (imported anonymously)
//   - post-voided sale                     -> Commit, then at once SaleService::Void: accepted
//                                             "void" (the net effect is nothing)
//   - return with its sale here            -> SaleService::Return: accepted "return"
//   - return without its sale here         -> SaleService::Return of sale "poslog:" + key with
//                                             unlinked_lines: recorded and flagged no_original,
//                                             no points: accepted "return_without_original"
//   - any step replayed                    -> accepted "replayed" (every step was a replay)
//   - an error of the sale service         -> rejected with its slug and message (a post-void
//                                             whose void failed says the sale stands and asks
//                                             for the file again)
//
//  Lines. Voided lines (VoidFlag, or lines simply missing) are not sent. line_no = the POSLog
//  line number, or 1..n in file order when a number repeats, is < 1 or beyond int. sku = ItemID
//  (else the GTIN); category = the merchandise hierarchy, "uncategorised" when absent (cut to 64
//  bytes). Quantity: whole units when the quantity is a whole number and the net amount divides
//  by it (unit price = net / units); otherwise one unit priced at the net amount (weighed goods,
//  odd totals). A sale line with a negative net amount rejects the transaction ("incomplete").
//  Tenders are not sent: the till already settled, and card data stays in the parser.
//
//  Time. occurred_at = EndDateTime: with "Z" or an offset as written; without one, the local
//  time in the store's IANA zone (CheckoutService::StoreZone); unparsable or before 1970: now.
//  A time the sale service finds in the future is replaced by now.
//
//  Member. The member reference id is looked up as our card number (MemberService::FindByCard),
//  then as our member id (Get), then as a phone (FindByPhone). Found and not erased: the sale is
//  the member's. Otherwise it is imported anonymously with reason "member_not_found". The id is
//  never put into the report (it may be a card number); a lookup that fails for another reason
//  than "malformed" or "not found" (database down) rejects the transaction so a later import
//  can still credit the member.
//
//  Returns. The original is the first return link's key (line-level TransactionLink first),
//  looked up as a till id through PosTransactionStore::FindByTill. Each return line names the
//  sale's line given by LineItemSequenceNumber when that line has the same sku, else the first
//  sale line with the same sku and enough not yet returned; a line matching none rejects the
//  transaction ("return_line_not_in_sale"); links to several different sales reject it
//  ("multiple_originals").
//
//  Currency. Amounts are recorded as written and counted in the program's currency
//  (ProgramConfig::currency, read once per Import call), so only transactions in that currency
//  are imported, or in "XXX", whose message then says its amounts were taken as the program's.
//
//  Not checked: transaction-level discounts the parser does not put on lines.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"
#include "loyalty/domain/checkout.h"
#include "loyalty/domain/ports/pos_transaction_store.h"
#include "loyalty/service/actor.h"
#include "loyalty/service/checkout_service.h"
#include "loyalty/service/member_service.h"
#include "loyalty/service/points_service.h"
#include "loyalty/service/sale_service.h"
#include "pos-adapter/poslog_parser.h"

namespace loyalty::pos {

struct PoslogImportItem {
  int transaction_index = 0;  // 1-based position among the file's <Transaction> elements
  std::string key;            // "store/workstation/business_day/sequence"
  std::string outcome;        // "accepted", "skipped", "rejected"
  // A slug: "sale", "return", "void", "replayed", "return_without_original", "member_not_found"
  // (accepted anonymously), "cancelled", "training", "suspended", "no_lines",
  // "exchange_not_supported", "incomplete", "currency_mismatch", "unknown_store",
  // "invalid_terminal_id", "multiple_originals", "return_line_not_in_sale", or the sale
  // service's error slug.
  std::string reason;
  std::string message;                        // a sentence for the operator (never a card number)
  std::optional<std::string> transaction_id;  // ours, when accepted (a post-void: the void's)
};

struct PoslogImportReport {
  std::string dialect;  // "arts_v6", "ncr_acs_2x", "unversioned"
  int accepted = 0, skipped = 0, rejected = 0;
  std::vector<PoslogImportItem> items;  // in file order; retail transactions only
};

class PoslogImporter {
 public:
  PoslogImporter(SaleService& sales, CheckoutService& checkout, MemberService& members,
                 PointsService& points, PosTransactionStore& transactions)
      : sales_(sales),
        checkout_(checkout),
        members_(members),
        points_(points),
        transactions_(transactions) {}

  // Parses `xml` and imports every retail transaction as described at the top of this file.
  // Whole-file refusals are the parser's 400s (poslog_empty, poslog_too_large, poslog_doctype,
  // poslog_not_xml, poslog_wrong_root, poslog_wrong_namespace, poslog_too_deep,
  // poslog_too_many_elements, poslog_too_many_transactions): nothing is written then. Nor when
  // the program (whose currency every transaction is held against) cannot be read: that error
  // of PointsService::Program is returned. Otherwise the report is returned even when every
  // transaction was rejected. The importer keeps no state between calls: several threads may
  // import at once.
  Result<PoslogImportReport> Import(const Actor& actor, std::string_view xml);

 private:
  struct MemberMatch {
    std::optional<std::string> member_id;
    bool not_found = false;  // a reference was given but matches no open member
  };

  // Store zones (or the store's absence) already looked up in this file.
  using ZoneCache = std::map<std::string, std::optional<std::string>>;

  PoslogImportItem ImportOne(const Actor& actor, const PoslogTransaction& t,
                             const std::string& program_currency, ZoneCache& zones);
  PoslogImportItem ImportSale(const Actor& actor, const PoslogTransaction& t,
                              const std::string& zone, PoslogImportItem item);
  PoslogImportItem ImportReturn(const Actor& actor, const PoslogTransaction& t,
                                const std::string& zone, PoslogImportItem item);
  Result<MemberMatch> ResolveMember(const Actor& actor, const PoslogTransaction& t);
  // The store's zone (nullopt: no such store), remembered for the rest of the file.
  Result<std::optional<std::string>> Zone(const std::string& store_id, ZoneCache& zones);

  SaleService& sales_;
  CheckoutService& checkout_;
  MemberService& members_;
  PointsService& points_;
  PosTransactionStore& transactions_;
};

// "store/workstation/business_day/sequence".
std::string PoslogKeyText(const PoslogTransactionKey& key);
// The sale service's pos_txn_id of a POSLog transaction: business_day + ":" + sequence_number.
std::string PoslogPosTxnId(const PoslogTransactionKey& key);
// The request_hash of one step ("sale", "void", "return") of `t` with our member id (if any):
// lowercase hex SHA-256 of the canonical text described at the top of this file.
std::string PoslogRequestHash(const PoslogTransaction& t, std::string_view step,
                              const std::optional<std::string>& member_id);
// The till lines of `t`'s lines (signs dropped: a return's lines come back positive), by the
// rules at the top of this file. invalid_basket-style errors name the POSLog line.
Result<std::vector<TillLine>> PoslogTillLines(const PoslogTransaction& t);
// EndDateTime as an instant: with a zone or offset as written, otherwise the local time in
// `iana_zone` (the earlier instant of an ambiguous hour). nullopt when unparsable, the zone is
// unknown, or the instant is before 1970.
std::optional<Instant> PoslogInstant(std::string_view text, const std::string& iana_zone);

const char* PoslogDialectName(PoslogDialect dialect);

}  // namespace loyalty::pos
