// Sale, return and void use cases.
#include "loyalty/service/sale_service.h"

#include <algorithm>

#include "loyalty/common/business_date.h"
#include "loyalty/common/money.h"

namespace loyalty {
namespace {

// How far ahead of our clock a till's occurred_at may be (clock skew).
constexpr auto kMaxClockAhead = std::chrono::seconds(300);

bool PlainId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':' || c == '/';
  });
}

std::vector<TillLine> TillLinesOf(const std::vector<BasketLine>& lines) {
  std::vector<TillLine> out;
  for (const BasketLine& l : lines) {
    out.push_back(
        TillLine{l.line_no, l.sku, l.category, l.qty, l.qty > 0 ? l.net_minor / l.qty : 0});
  }
  return out;
}

Error Reused(const TillTxn& till, const std::string& txn_id) {
  Error e{Code::kFailedPrecondition,
          "pos_txn_id_reused",
          "transaction " + till.pos_txn_id +
              " of this till was committed with other content; "
              "use a new pos_txn_id for a new transaction",
          {}};
  return e.With("transaction_id", txn_id);
}

// What the tenders add up to; 400 invalid_tender naming a bad one.
Result<int64_t> Tendered(const std::vector<Tender>& tenders) {
  int64_t sum = 0;
  for (size_t i = 0; i < tenders.size(); ++i) {
    const Tender& t = tenders[i];
    const std::string at = "tenders[" + std::to_string(i) + "]";
    if (t.type.empty() || t.type.size() > 32 || !PlainId(t.type)) {
      return InvalidField(at + ".type", "invalid_tender", at + ".type must name the tender");
    }
    if (t.amount_minor < 0 || t.amount_minor > kCouponMaxMinor) {
      return InvalidField(at + ".amount_minor", "invalid_tender",
                          at + ".amount_minor must be 0 or more");
    }
    sum += t.amount_minor;
  }
  return sum;
}

Error WithDue(Error e, int64_t due_minor) { return e.With("due_minor", std::to_string(due_minor)); }

}  // namespace

Result<TillTxn> SaleService::CheckTill(const Actor& actor, TillTxn till) const {
  if (auto ok = checkout_.RequireTill(actor, till.store_id, till.terminal_id); !ok) {
    return Fail(ok.error());
  }
  if (!PlainId(till.pos_txn_id)) {
    return InvalidField("pos_txn_id", "invalid_pos_txn_id",
                        "the till's transaction id must be 1 to 64 letters, digits or - _ . : /");
  }
  if (till.cashier_id.size() > 64 || (!till.cashier_id.empty() && !PlainId(till.cashier_id))) {
    return InvalidField("cashier_id", "invalid_cashier_id",
                        "cashier_id must be at most 64 letters, digits or - _ . : /");
  }
  const Instant now = clock_.Now();
  if (!till.occurred_at) till.occurred_at = now;
  if (*till.occurred_at > now + kMaxClockAhead) {
    return InvalidField("occurred_at", "invalid_occurred_at",
                        "occurred_at is in the future; check the till's clock");
  }
  return till;
}

PosTransaction SaleService::NewTransaction(const TillTxn& till, PosTxnKind kind) const {
  PosTransaction t;
  t.txn_id = random_.NewId();
  t.store_id = till.store_id;
  t.terminal_id = till.terminal_id;
  t.pos_txn_id = till.pos_txn_id;
  t.kind = kind;
  t.request_hash = till.request_hash;
  t.cashier_id = till.cashier_id;
  t.occurred_at = till.occurred_at.value_or(clock_.Now());
  t.committed_at = clock_.Now();
  return t;
}

Result<std::optional<CommitOutcome>> SaleService::Earlier(const TillTxn& till) {
  auto found = transactions_.FindByTill(till.store_id, till.terminal_id, till.pos_txn_id);
  if (!found) return Fail(found.error());
  if (!*found) return std::optional<CommitOutcome>{};
  if ((*found)->request_hash != till.request_hash) return Fail(Reused(till, (*found)->txn_id));
  CommitOutcome out{std::move(**found), true, std::nullopt};
  if (out.txn.kind != PosTxnKind::kSale) {
    const ReceiptLines receipt = ReturnReceipt(out.txn);
    out.txn.receipt_zh = receipt.zh;
    out.txn.receipt_en = receipt.en;
  }
  return std::optional<CommitOutcome>(std::move(out));
}

Result<CommitOutcome> SaleService::Finished(Result<CommitOutcome> outcome, const TillTxn& till) {
  if (!outcome) {
    // A failure may be a parallel retry of this transaction having won: then its result stands.
    auto again = Earlier(till);
    if (!again) return Fail(again.error());
    if (*again) return std::move(**again);
    return outcome;
  }
  if (outcome->replayed && outcome->txn.request_hash != till.request_hash) {
    return Fail(Reused(till, outcome->txn.txn_id));
  }
  if (outcome->txn.kind != PosTxnKind::kSale) {
    const ReceiptLines receipt = ReturnReceipt(outcome->txn);
    outcome->txn.receipt_zh = receipt.zh;
    outcome->txn.receipt_en = receipt.en;
  }
  return outcome;
}

Result<std::string> SaleService::Join(const Actor& actor, const JoinRequest& join) {
  if (!join.consent) {
    return InvalidField("join.consent", "join_without_consent",
                        "ask the shopper to agree to join, then send join.consent = true");
  }
  auto existing = members_.FindByPhone(actor, join.phone);
  if (existing) return existing->member_id;
  if (existing.error().code != Code::kNotFound) {
    Error e = existing.error();
    if (e.Detail("field")) e.With("field", "join.phone");
    return Fail(std::move(e));
  }
  EnrolRequest enrol;
  enrol.phone = join.phone;
  enrol.name = join.name.value_or("会员");
  auto member = members_.Enrol(actor, enrol);
  if (!member && member.error().code == Code::kAlreadyExists) {
    // Another till enrolled the same phone a moment ago.
    auto raced = members_.FindByPhone(actor, join.phone);
    if (raced) return raced->member_id;
  }
  if (!member) {
    Error e = member.error();
    if (const std::string* field = e.Detail("field")) e.With("field", "join." + *field);
    return Fail(std::move(e));
  }
  (void)points_.OnEnrolled(actor, *member);  // welcome points; the sale does not wait on them
  return member->member_id;
}

Result<CommitOutcome> SaleService::Commit(const Actor& actor, const CommitRequest& request) {
  auto till = CheckTill(actor, request.till);
  if (!till) return Fail(till.error());
  auto earlier = Earlier(*till);
  if (!earlier) return Fail(earlier.error());
  if (*earlier) return std::move(**earlier);
  // A failure may be a parallel retry of this transaction having won: then its result stands.
  auto replay_or = [&](Error e) { return Finished(Fail(std::move(e)), *till); };
  auto tendered = Tendered(request.tenders);
  if (!tendered) return Fail(tendered.error());

  if (request.offline && request.quote_id) {
    return InvalidField("quote_id", "invalid_offline_sale",
                        "a sale recorded offline has no quote; send its lines");
  }
  QuoteRequest q{request.quote_id,       request.basket_quote_id, till->store_id,
                 till->terminal_id,      request.member_id,       request.lines,
                 request.coupon_codes,   request.redeem_points};
  // Offline, the points were granted already: they are priced and debited below, not checked.
  if (request.offline) q.redeem_points = 0;
  std::optional<int64_t> quoted_due;
  if (request.quote_id) {
    auto stored = checkout_.OwnQuote(till->store_id, till->terminal_id, *request.quote_id);
    if (!stored) return replay_or(stored.error());
    quoted_due = stored->due_minor;
    if (request.lines.empty()) {
      q.member_id = stored->member_id;
      q.lines = TillLinesOf(stored->lines);
      q.coupon_codes = stored->coupon_codes;
      q.redeem_points = stored->redeem_points;
    }
  } else if (request.lines.empty()) {
    return InvalidField("lines", "invalid_basket", "send the quote_id or the basket's lines");
  }
  if (request.join) {
    if (q.member_id) {
      return InvalidField("join", "invalid_join", "the sale already has a member; drop join");
    }
    auto member = Join(actor, *request.join);
    if (!member) return Fail(member.error());
    q.member_id = *member;
  }

  auto priced = checkout_.Quote(actor, q);
  if (!priced) return replay_or(priced.error());
  const StoredQuote& quote = priced->quote;
  if (quoted_due && *quoted_due != quote.due_minor) {
    Error e{Code::kFailedPrecondition,
            "quote_changed",
            "the amount due is now " + ReceiptAmount(quote.due_minor, priced->currency) + " (was " +
                ReceiptAmount(*quoted_due, priced->currency) +
                "): the quote expired or the basket changed; confirm with the shopper and "
                "commit again",
            {}};
    return replay_or(WithDue(std::move(e), quote.due_minor));
  }
  if (!request.offline && !request.tenders.empty() && *tendered < quote.due_minor) {
    Error e{Code::kFailedPrecondition,
            "tenders_short",
            "the tenders cover " + ReceiptAmount(*tendered, priced->currency) + " of " +
                ReceiptAmount(quote.due_minor, priced->currency) + " due",
            {}};
    return replay_or(WithDue(std::move(e), quote.due_minor));
  }

  PosTransaction t = NewTransaction(*till, PosTxnKind::kSale);
  t.member_id = quote.member_id;
  t.quote_id = quote.quote_id;
  t.currency = priced->currency;
  t.total_minor = quote.total_minor;
  t.discount_minor = quote.discount_minor;
  t.points_redeemed = quote.redeem_points;
  t.points_value_minor = quote.points_value_minor;
  t.due_minor = quote.due_minor;
  t.points_earned = quote.points_to_earn;
  for (const AppliedCoupon& a : priced->coupons.applied) t.coupon_codes.push_back(a.code);
  int64_t paid_total = 0;
  for (size_t i = 0; i < quote.lines.size(); ++i) {
    const BasketLine& l = quote.lines[i];
    const int64_t paid = i < priced->payable.size() ? priced->payable[i].net_minor : l.net_minor;
    t.lines.push_back(PosLine{l.line_no, l.sku, l.category, l.qty,
                              l.qty > 0 ? l.net_minor / l.qty : 0, l.net_minor, l.net_minor - paid,
                              paid, 0});
    paid_total += paid;
  }
  t.receipt_zh = priced->receipt.zh;
  t.receipt_en = priced->receipt.en;
  int64_t offline_allowance = 0;
  if (request.offline) {
    t.offline = true;
    for (const RejectedCoupon& r : priced->coupons.rejected) t.rejected_codes.push_back(r.code);
    if (request.redeem_points > 0) {
      if (!t.member_id) {
        return InvalidField("redeem_points", "invalid_redeem_points",
                            "points can only be redeemed for an identified member");
      }
      auto program = points_.Program();
      if (!program) return Fail(program.error());
      const RedemptionRules& rules = program->redemption;
      t.points_redeemed = request.redeem_points;
      t.points_value_minor = std::min(
          MulDiv(t.points_redeemed, rules.value_minor, rules.points, Rounding::kFloor).value_or(0),
          quote.due_minor);
      t.due_minor = quote.due_minor - t.points_value_minor;
      auto allowance = OfflineAllowance(*t.member_id, t.occurred_at, priced->store_zone,
                                        program->offline.max_redeem_points_per_day);
      if (!allowance) return Fail(allowance.error());
      offline_allowance = *allowance;
    }
  }

  SaleCommit sale{t, std::nullopt, std::nullopt, std::nullopt};
  if (!priced->coupons.applied.empty()) {
    auto redemption =
        coupons_.RedemptionFor(actor,
                               CouponCheckout{quote.quote_id, quote.member_id, quote.store_id,
                                              priced->store_zone, quote.lines, quote.coupon_codes},
                               priced->coupons.applied, t.txn_id);
    if (!redemption) return Fail(redemption.error());
    sale.coupons = std::move(*redemption);
  }
  if (t.member_id) {
    const PointsReason why{"transaction", t.txn_id, "sale " + t.pos_txn_id + " at " + t.store_id,
                           t.store_id};
    if (t.points_redeemed > 0 || t.points_earned > 0) {
      auto points = t.offline ? points_.OfflineSaleDecision(actor, *t.member_id, t.points_redeemed,
                                                            offline_allowance, t.points_earned, why)
                              : points_.SaleDecision(actor, *t.member_id, t.points_redeemed,
                                                     t.points_earned, why);
      if (!points) return Fail(points.error());
      sale.points = std::move(*points);
    }
    auto tier = tiers_.PurchaseUpdate(
        actor, *t.member_id, TierActivity{t.occurred_at, paid_total, t.points_earned, 1}, t.txn_id);
    if (!tier) return Fail(tier.error());
    sale.tier = std::move(*tier);
  }
  auto outcome = Finished(transactions_.CommitSale(sale), *till);
  if (!outcome) return outcome;
  if (outcome->replayed) {
    // A parallel retry won; the re-quote this attempt saved must not hold anything.
    (void)checkout_.CancelQuote(actor, t.store_id, t.terminal_id, quote.quote_id);
  } else if (referrals_ && t.member_id) {
    (void)referrals_->OnPurchase(actor, *t.member_id);
  }
  return outcome;
}

Result<CommitOutcome> SaleService::Return(const Actor& actor, const ReturnRequest& request) {
  auto till = CheckTill(actor, request.till);
  if (!till) return Fail(till.error());
  auto sale = transactions_.Find(request.sale_txn_id);
  if (!sale) return Fail(sale.error());
  if (*sale || request.unlinked_lines.empty()) {
    return Undo(actor, *till, request.sale_txn_id, request.lines, /*is_void=*/false);
  }
  // No such sale here: the till still records the refund; it is flagged and changes no points.
  auto earlier = Earlier(*till);
  if (!earlier) return Fail(earlier.error());
  if (*earlier) return std::move(**earlier);
  auto basket = BasketFromTill(request.unlinked_lines);
  if (!basket) return Fail(basket.error());
  auto program = points_.Program();
  if (!program) return Fail(program.error());
  PosTransaction ret = NewTransaction(*till, PosTxnKind::kReturn);
  ret.no_original = true;
  ret.currency = program->currency;
  for (const BasketLine& l : *basket) {
    ret.lines.push_back(PosLine{l.line_no, l.sku, l.category, l.qty, l.net_minor / l.qty,
                                l.net_minor, 0, l.net_minor, 0});
    ret.total_minor += l.net_minor;
  }
  return Finished(transactions_.RecordUnlinkedReturn(ret), *till);
}

Result<CommitOutcome> SaleService::Void(const Actor& actor, const TillTxn& till,
                                        const std::string& sale_txn_id) {
  auto checked = CheckTill(actor, till);
  if (!checked) return Fail(checked.error());
  return Undo(actor, *checked, sale_txn_id, {}, /*is_void=*/true);
}

Result<CommitOutcome> SaleService::Undo(const Actor& actor, const TillTxn& till,
                                        const std::string& sale_txn_id,
                                        const std::vector<ReturnLineRequest>& lines, bool is_void) {
  auto earlier = Earlier(till);
  if (!earlier) return Fail(earlier.error());
  if (*earlier) return std::move(**earlier);
  auto program = points_.Program();
  if (!program) return Fail(program.error());
  auto store_zone = checkout_.StoreZone(till.store_id);
  if (!store_zone) return Fail(store_zone.error());
  // The coupons a complete return or a void gives back, read before the transaction (the
  // restore skips any that are no longer this sale's).
  auto coupons = coupons_.RestoreFor(sale_txn_id, *store_zone);
  if (!coupons) return Fail(coupons.error());

  PosTransaction ret = NewTransaction(till, is_void ? PosTxnKind::kVoid : PosTxnKind::kReturn);
  ret.original_txn_id = sale_txn_id;
  ret.currency = program->currency;
  const ReturnRules rules = program->returns;

  const ReturnDecision decide = [&, rules, is_void, lines](
                                    const PosTransaction& sale,
                                    PosTransaction& out) -> Result<ReturnEffects> {
    std::vector<ReturnLineRequest> wanted = is_void ? RemainingLines(sale) : lines;
    ReturnPlan plan;
    if (is_void && wanted.empty()) {
      // Everything already came back by returns: the void only marks the sale and its coupons.
      plan.sale_lines = sale.lines;
      plan.completes_sale = true;
      if (sale.voided_at) {
        return Fail(Code::kFailedPrecondition, "transaction_voided",
                    "transaction " + sale.txn_id + " was already voided");
      }
    } else {
      auto planned = PlanReturn(sale, wanted);
      if (!planned) return Fail(planned.error());
      plan = std::move(*planned);
    }
    out.member_id = sale.member_id;
    out.lines = plan.lines;
    out.total_minor = plan.refund_minor;
    out.points_clawed_back = plan.claw_back_points;
    out.points_restored = is_void || rules.restore_redeemed_points ? plan.restore_points : 0;
    ReturnEffects effects;
    effects.sale_lines = plan.sale_lines;
    effects.void_sale = is_void;
    if (plan.completes_sale && (is_void || rules.restore_coupons) && !coupons->uses.empty()) {
      effects.coupons = *coupons;
    }
    if (sale.member_id) {
      const PointsReason why{"transaction", out.txn_id,
                             std::string(is_void ? "void" : "return") + " of sale " +
                                 sale.pos_txn_id + " at " + sale.store_id,
                             out.store_id};
      if (out.points_clawed_back > 0 || out.points_restored > 0) {
        auto points = points_.ReturnDecision(actor, sale.txn_id, out.points_clawed_back,
                                             out.points_restored, why);
        if (!points) return Fail(points.error());
        effects.points = std::move(*points);
      }
      auto tier =
          tiers_.ReturnUpdate(actor, *sale.member_id,
                              TierActivity{out.occurred_at, -plan.refund_minor,
                                           -plan.claw_back_points, plan.completes_sale ? -1 : 0},
                              out.txn_id);
      if (!tier) return Fail(tier.error());
      effects.tier = std::move(*tier);
    }
    return effects;
  };
  return Finished(transactions_.CommitReturn(ret, decide), till);
}

Status SaleService::RequireReports(const Actor& actor, const PosReportQuery& q) const {
  // Who reads the audit trail follows up on tills: admins, auditors, and store managers for
  // their own stores.
  if (auto ok = Require(actor.principal, Permission::kAuditRead); !ok) return ok;
  if (!q.store_id.empty() && !actor.principal.SeesStore(q.store_id)) {
    return Fail(Code::kPermissionDenied, "store_forbidden",
                "you may not see the reports of store " + q.store_id);
  }
  if (q.from >= q.to) return InvalidField("from", "invalid_period", "from must be before to");
  return {};
}

Result<int64_t> SaleService::OfflineAllowance(const std::string& member_id, Instant at,
                                              const std::string& store_zone, int64_t per_day) {
  const auto day = BusinessDate(at, store_zone);
  const Instant from = StartOfLocalDay(day, store_zone);
  const Instant to = StartOfLocalDay(date::sys_days(day) + date::days(1), store_zone);
  auto used = transactions_.OfflineRedeemed(member_id, from, to);
  if (!used) return Fail(used.error());
  return std::max<int64_t>(per_day - *used, 0);
}

Result<std::optional<PosTransaction>> SaleService::FindByTill(const std::string& store_id,
                                                              const std::string& terminal_id,
                                                              const std::string& pos_txn_id) {
  return transactions_.FindByTill(store_id, terminal_id, pos_txn_id);
}

Result<std::vector<PosTransaction>> SaleService::OfflineReconciliation(const Actor& actor,
                                                                       const PosReportQuery& q) {
  if (auto ok = RequireReports(actor, q); !ok) return Fail(ok.error());
  auto rows =
      transactions_.OfflineReconciliation(q.store_id, q.from, q.to, std::clamp(q.limit, 1, 1000));
  if (!rows) return Fail(rows.error());
  std::erase_if(*rows,
                [&](const PosTransaction& t) { return !actor.principal.SeesStore(t.store_id); });
  return rows;
}

Result<std::vector<PosException>> SaleService::Exceptions(const Actor& actor,
                                                          const PosReportQuery& q) {
  if (auto ok = RequireReports(actor, q); !ok) return Fail(ok.error());
  auto rows = transactions_.Exceptions(q.store_id, q.from, q.to, std::clamp(q.limit, 1, 1000));
  if (!rows) return Fail(rows.error());
  std::erase_if(*rows,
                [&](const PosException& e) { return !actor.principal.SeesStore(e.store_id); });
  return rows;
}

ReceiptLines ReturnReceipt(const PosTransaction& ret) {
  ReceiptLines r;
  const std::string amount = ReceiptAmount(ret.total_minor, ret.currency);
  if (ret.kind == PosTxnKind::kVoid) {
    r.zh.push_back("整单作废，退款 " + amount);
    r.en.push_back("Sale voided, refund " + amount);
  } else {
    r.zh.push_back("退货退款 " + amount);
    r.en.push_back("Refund " + amount);
  }
  if (ret.no_original) {
    r.zh.push_back("无原始小票，不涉及积分");
    r.en.push_back("No original receipt: points unchanged");
    return r;
  }
  if (ret.points_clawed_back > 0) {
    r.zh.push_back("扣回积分 " + std::to_string(ret.points_clawed_back));
    r.en.push_back("Points taken back: " + std::to_string(ret.points_clawed_back));
  }
  if (ret.points_restored > 0) {
    r.zh.push_back("退还积分 " + std::to_string(ret.points_restored));
    r.en.push_back("Points given back: " + std::to_string(ret.points_restored));
  }
  if (!ret.coupon_codes.empty()) {
    r.zh.push_back("退回优惠券 " + std::to_string(ret.coupon_codes.size()) + " 张");
    r.en.push_back("Coupons back in the wallet: " + std::to_string(ret.coupon_codes.size()));
  }
  if (ret.member_id) {
    r.zh.push_back("积分余额 " + std::to_string(ret.balance_after));
    r.en.push_back("Points balance: " + std::to_string(ret.balance_after));
  }
  return r;
}

}  // namespace loyalty
