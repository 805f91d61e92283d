// Reading what a till sends.
#include "api/handlers/pos_request.h"

#include "api/http/problem.h"
#include "loyalty/common/time_format.h"
#include "loyalty/crypto/openssl_crypto.h"

namespace loyalty::api {

Error InLine(Error e, const std::string& at) {
  const std::string* field = e.Detail("field");
  const std::string path = at + "." + (field ? *field : "");
  e.message = at + ": " + e.message;
  e.details = {{"field", path}};
  return e;
}

HttpResponse SignatureProblem(const Error& error, const std::string& request_id) {
  HttpResponse r = Problem(error, request_id);
  for (auto& [name, value] : r.headers) {
    if (name == "WWW-Authenticate") value = "Signature";
  }
  return r;
}

Result<std::vector<TillLine>> TillLinesFrom(const Json& body) {
  auto it = body.find("lines");
  if (it == body.end() || !it->is_array()) {
    return InvalidField("lines", "invalid_basket", "lines must be an array of basket lines");
  }
  std::vector<TillLine> out;
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& l = (*it)[i];
    const std::string at = "lines[" + std::to_string(i) + "]";
    if (!l.is_object()) return InvalidField(at, "invalid_basket", at + " must be an object");
    for (const auto& [key, value] : l.items()) {
      if (key != "line_no" && key != "sku" && key != "category" && key != "qty" &&
          key != "unit_price_minor") {
        return InvalidField(at + "." + key, "unknown_field",
                            at + "." + key + " is not a line field");
      }
    }
    auto in_line = [&](Error e) { return Fail(InLine(std::move(e), at)); };
    auto line_no = RequiredInt64(l, "line_no");
    if (!line_no) return in_line(line_no.error());
    auto sku = RequiredString(l, "sku");
    if (!sku) return in_line(sku.error());
    auto category = OptionalString(l, "category");
    if (!category) return in_line(category.error());
    auto qty = RequiredInt64(l, "qty");
    if (!qty) return in_line(qty.error());
    auto price = RequiredInt64(l, "unit_price_minor");
    if (!price) return in_line(price.error());
    if (*line_no < 1 || *line_no > 1'000'000) {
      return InvalidField(at + ".line_no", "invalid_basket", at + ".line_no must be 1 to 1000000");
    }
    TillLine line;
    line.line_no = static_cast<int>(*line_no);
    line.sku = *sku;
    line.category = category->value_or("");
    line.qty = *qty;
    line.unit_price_minor = *price;
    out.push_back(std::move(line));
  }
  return out;
}

namespace {

// The fields every committed transaction carries: till, its id for this transaction, who and
// when. `id_field` names the till's id (pos_txn_id, return_txn_id, void_txn_id).
Result<TillTxn> TillFrom(const Json& body, const std::string& request_hash, const char* id_field,
                         const std::string& default_id = "") {
  TillTxn till;
  auto store = RequiredString(body, "store_id");
  if (!store) return Fail(store.error());
  auto terminal = RequiredString(body, "terminal_id");
  if (!terminal) return Fail(terminal.error());
  auto id =
      default_id.empty()
          ? RequiredString(body, id_field)
          : OptionalString(body, id_field).map([&](auto v) { return v.value_or(default_id); });
  if (!id) return Fail(id.error());
  auto cashier = OptionalString(body, "cashier_id");
  if (!cashier) return Fail(cashier.error());
  auto occurred = OptionalString(body, "occurred_at");
  if (!occurred) return Fail(occurred.error());
  if (*occurred) {
    till.occurred_at = ParseInstant(**occurred);
    if (!till.occurred_at) {
      return InvalidField("occurred_at", "invalid_occurred_at",
                          "occurred_at must be an RFC 3339 time, e.g. 2026-12-06T10:15:00Z");
    }
  }
  till.store_id = *store;
  till.terminal_id = *terminal;
  till.pos_txn_id = *id;
  till.cashier_id = cashier->value_or("");
  till.request_hash = request_hash;
  return till;
}

Result<std::vector<Tender>> TendersFrom(const Json& body) {
  std::vector<Tender> out;
  auto it = body.find("tenders");
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array()) return InvalidField("tenders", "invalid_tender", "tenders must be an array");
  for (size_t i = 0; i < it->size(); ++i) {
    const std::string at = "tenders[" + std::to_string(i) + "]";
    const Json& t = (*it)[i];
    if (!t.is_object()) return InvalidField(at, "invalid_tender", at + " must be an object");
    auto type = RequiredString(t, "type");
    if (!type) return Fail(InLine(type.error(), at));
    auto amount = RequiredInt64(t, "amount_minor");
    if (!amount) return Fail(InLine(amount.error(), at));
    out.push_back(Tender{*type, *amount});
  }
  return out;
}

Result<std::optional<JoinRequest>> JoinFrom(const Json& body) {
  auto it = body.find("join");
  if (it == body.end() || it->is_null()) return std::optional<JoinRequest>{};
  if (!it->is_object()) return InvalidField("join", "invalid_join", "join must be an object");
  for (const auto& [key, value] : it->items()) {
    if (key != "phone" && key != "name" && key != "consent") {
      return InvalidField("join." + key, "unknown_field", "join." + key + " is not a join field");
    }
  }
  JoinRequest join;
  auto phone = RequiredString(*it, "phone");
  if (!phone) return Fail(InLine(phone.error(), "join"));
  auto name = OptionalString(*it, "name");
  if (!name) return Fail(InLine(name.error(), "join"));
  auto consent = OptionalBool(*it, "consent");
  if (!consent) return Fail(InLine(consent.error(), "join"));
  join.phone = *phone;
  join.name = *name;
  join.consent = consent->value_or(false);
  return std::optional<JoinRequest>(std::move(join));
}

// A return's lines: {line_no, qty} of the sale; when every line also says sku and
// unit_price_minor they describe the goods for a return without a known sale.
Result<ReturnRequest> ReturnLinesFrom(const Json& body, ReturnRequest request) {
  auto it = body.find("lines");
  if (it == body.end() || !it->is_array()) {
    return InvalidField("lines", "invalid_return", "lines must be an array of {line_no, qty}");
  }
  bool described = !it->empty();
  for (size_t i = 0; i < it->size(); ++i) {
    const std::string at = "lines[" + std::to_string(i) + "]";
    const Json& l = (*it)[i];
    if (!l.is_object()) return InvalidField(at, "invalid_return", at + " must be an object");
    auto line_no = RequiredInt64(l, "line_no");
    if (!line_no) return Fail(InLine(line_no.error(), at));
    auto qty = RequiredInt64(l, "qty");
    if (!qty) return Fail(InLine(qty.error(), at));
    if (*line_no < 1 || *line_no > 1'000'000) {
      return InvalidField(at + ".line_no", "invalid_return", at + ".line_no must be 1 to 1000000");
    }
    request.lines.push_back(ReturnLineRequest{static_cast<int>(*line_no), *qty});
    described = described && l.contains("sku") && l.contains("unit_price_minor");
  }
  if (described) {
    auto lines = TillLinesFrom(body);
    if (!lines) return Fail(lines.error());
    request.unlinked_lines = std::move(*lines);
  }
  return request;
}

}  // namespace

Result<CommitRequest> CommitRequestFrom(const Json& body, const std::string& request_hash) {
  CommitRequest request;
  auto till = TillFrom(body, request_hash, "pos_txn_id");
  if (!till) return Fail(till.error());
  request.till = std::move(*till);
  auto quote_id = OptionalString(body, "quote_id");
  if (!quote_id) return Fail(quote_id.error());
  request.quote_id = *quote_id;
  // One quote id per till transaction, so its retries hold and price coupons alike.
  request.basket_quote_id = Sha256Hex("basket-quote\n" + request.till.store_id + "\n" +
                                      request.till.terminal_id + "\n" + request.till.pos_txn_id)
                                .substr(0, 24);
  auto member = OptionalString(body, "member_id");
  if (!member) return Fail(member.error());
  request.member_id = *member;
  if (body.contains("lines")) {
    auto lines = TillLinesFrom(body);
    if (!lines) return Fail(lines.error());
    request.lines = std::move(*lines);
  }
  auto codes = OptionalStringArray(body, "coupon_codes");
  if (!codes) return Fail(codes.error());
  request.coupon_codes = std::move(*codes);
  auto points = OptionalInt64(body, "redeem_points");
  if (!points) return Fail(points.error());
  request.redeem_points = points->value_or(0);
  auto tenders = TendersFrom(body);
  if (!tenders) return Fail(tenders.error());
  request.tenders = std::move(*tenders);
  auto join = JoinFrom(body);
  if (!join) return Fail(join.error());
  request.join = std::move(*join);
  return request;
}

Result<ReturnRequest> ReturnRequestFrom(const Json& body, const std::string& request_hash,
                                        const std::string& sale_txn_id) {
  ReturnRequest request;
  auto till = TillFrom(body, request_hash, "return_txn_id");
  if (!till) return Fail(till.error());
  request.till = std::move(*till);
  request.sale_txn_id = sale_txn_id;
  return ReturnLinesFrom(body, std::move(request));
}

Result<TillTxn> VoidTillFrom(const Json& body, const std::string& request_hash,
                             const std::string& sale_txn_id) {
  return TillFrom(body, request_hash, "void_txn_id", "void-" + sale_txn_id.substr(0, 40));
}

Result<PosReportQuery> ReportQueryFrom(const HttpRequest& req, Instant now) {
  PosReportQuery q;
  if (const std::string* store = req.Query("store_id")) q.store_id = *store;
  q.to = now;
  q.from = q.to - std::chrono::days(7);
  for (auto [name, slot] : {std::pair{"from", &q.from}, std::pair{"to", &q.to}}) {
    const std::string* text = req.Query(name);
    if (!text) continue;
    auto at = ParseInstant(*text);
    if (!at) {
      return InvalidField(name, "invalid_period", std::string(name) + " must be an RFC 3339 time");
    }
    *slot = *at;
  }
  auto limit = LimitParam(req, 200, 1000);
  if (!limit) return Fail(limit.error());
  q.limit = *limit;
  return q;
}

}  // namespace loyalty::api
