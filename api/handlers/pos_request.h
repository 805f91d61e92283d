// Reading what a till sends: its signature problems and basket lines.
#pragma once

#include <vector>

#include "api/http/json_body.h"
#include "loyalty/domain/checkout.h"
#include "loyalty/service/sale_service.h"

namespace loyalty::api {

// A refused terminal signature: the 401 names the scheme the till must use.
HttpResponse SignatureProblem(const Error& error, const std::string& request_id);

// The field helpers name "qty"; the till needs "lines[3].qty".
Error InLine(Error e, const std::string& at);

// body.lines[i] as TillLines; a wrong type is a 400 naming "lines[i].field".
Result<std::vector<TillLine>> TillLinesFrom(const Json& body);

// The fields of each transaction body (a misspelt field is a 400, not silently ignored).
inline constexpr std::initializer_list<const char*> kCommitFields = {
    "store_id",     "terminal_id",   "pos_txn_id", "quote_id",    "member_id",  "lines",
    "coupon_codes", "redeem_points", "tenders",    "occurred_at", "cashier_id", "join"};
inline constexpr std::initializer_list<const char*> kReturnFields = {
    "store_id", "terminal_id", "return_txn_id", "lines", "occurred_at", "cashier_id"};
inline constexpr std::initializer_list<const char*> kVoidFields = {
    "store_id", "terminal_id", "void_txn_id", "occurred_at", "cashier_id"};

// Bodies of POST /v1/pos/transactions, .../returns and .../void as requests; `request_hash`
// identifies the content for replays. A wrong type is a 400 naming the field.
Result<CommitRequest> CommitRequestFrom(const Json& body, const std::string& request_hash);
Result<ReturnRequest> ReturnRequestFrom(const Json& body, const std::string& request_hash,
                                        const std::string& sale_txn_id);
// A void's till id defaults to "void-" + the sale's id.
Result<TillTxn> VoidTillFrom(const Json& body, const std::string& request_hash,
                             const std::string& sale_txn_id);

// ?store_id=&from=&to=&limit= of the POS reports: the last 7 days by default.
Result<PosReportQuery> ReportQueryFrom(const HttpRequest& req, Instant now);

}  // namespace loyalty::api
