// Till transactions in MariaDB: sales, returns and voids with every effect in one transaction.
#include "loyalty/mysql/mysql_pos_transaction_store.h"

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <tuple>

#include "loyalty/mysql/mysql_coupon_repository.h"
#include "loyalty/mysql/mysql_ledger_repository.h"
#include "loyalty/mysql/mysql_tier_repository.h"
#include "loyalty/mysql/sql_values.h"

namespace loyalty {
namespace {

using Json = nlohmann::json;

constexpr const char* kColumns =
    "txn_id, store_id, terminal_id, pos_txn_id, kind, request_hash, member_id, original_txn_id, "
    "quote_id, cashier_id, no_original, occurred_at, committed_at, voided_at, currency, "
    "total_minor, discount_minor, points_redeemed, points_value_minor, due_minor, points_earned, "
    "points_clawed_back, points_restored, balance_after, coupon_codes, receipt_zh, receipt_en, "
    "offline, offline_debt, offline_uncovered, rejected_codes";

// The claim was taken by an earlier (or a parallel, now committed) request.
const char* kTaken = "pos_txn_taken";

std::vector<std::string> TextList(const std::string& text) {
  std::vector<std::string> out;
  for (const Json& v : Json::parse(text)) out.push_back(v.get<std::string>());
  return out;
}

PosTransaction ReadTransaction(sql::ResultSet& rs) {
  PosTransaction t;
  t.txn_id = rs.getString("txn_id");
  t.store_id = rs.getString("store_id");
  t.terminal_id = rs.getString("terminal_id");
  t.pos_txn_id = rs.getString("pos_txn_id");
  t.kind = ParsePosTxnKind(rs.getString("kind")).value_or(PosTxnKind::kSale);
  t.request_hash = rs.getString("request_hash");
  t.member_id = GetOptional(rs, "member_id");
  t.original_txn_id = GetOptional(rs, "original_txn_id");
  t.quote_id = GetOptional(rs, "quote_id");
  t.cashier_id = rs.getString("cashier_id");
  t.no_original = rs.getBoolean("no_original");
  t.occurred_at = FromSqlTime(rs.getString("occurred_at"));
  t.committed_at = FromSqlTime(rs.getString("committed_at"));
  t.voided_at = GetOptionalTime(rs, "voided_at");
  t.currency = rs.getString("currency");
  t.total_minor = rs.getInt64("total_minor");
  t.discount_minor = rs.getInt64("discount_minor");
  t.points_redeemed = rs.getInt64("points_redeemed");
  t.points_value_minor = rs.getInt64("points_value_minor");
  t.due_minor = rs.getInt64("due_minor");
  t.points_earned = rs.getInt64("points_earned");
  t.points_clawed_back = rs.getInt64("points_clawed_back");
  t.points_restored = rs.getInt64("points_restored");
  t.balance_after = rs.getInt64("balance_after");
  t.coupon_codes = TextList(rs.getString("coupon_codes"));
  t.receipt_zh = TextList(rs.getString("receipt_zh"));
  t.receipt_en = TextList(rs.getString("receipt_en"));
  t.offline = rs.getBoolean("offline");
  t.offline_debt = rs.getInt64("offline_debt");
  t.offline_uncovered = rs.getInt64("offline_uncovered");
  t.rejected_codes = TextList(rs.getString("rejected_codes"));
  return t;
}

std::vector<PosLine> ReadLines(sql::Connection& c, const std::string& txn_id) {
  Statement s(c.prepareStatement(
      "SELECT line_no, sku, category, qty, unit_price_minor, net_minor, discount_minor, "
      "paid_minor, returned_qty FROM pos_transaction_lines WHERE txn_id = ? ORDER BY line_no"));
  s->setString(1, txn_id);
  Rows rs(s->executeQuery());
  std::vector<PosLine> out;
  while (rs->next()) {
    out.push_back(PosLine{rs->getInt("line_no"), rs->getString("sku"), rs->getString("category"),
                          rs->getInt64("qty"), rs->getInt64("unit_price_minor"),
                          rs->getInt64("net_minor"), rs->getInt64("discount_minor"),
                          rs->getInt64("paid_minor"), rs->getInt64("returned_qty")});
  }
  return out;
}

// Reads one transaction with its lines by a WHERE clause over `values`; `lock` takes the row.
std::optional<PosTransaction> ReadWhere(sql::Connection& c, const std::string& where,
                                        const std::vector<std::string>& values, bool lock) {
  Statement s(c.prepareStatement(std::string("SELECT ") + kColumns +
                                 " FROM pos_transactions WHERE " + where +
                                 (lock ? " FOR UPDATE" : "")));
  for (size_t i = 0; i < values.size(); ++i) s->setString(static_cast<int>(i + 1), values[i]);
  Rows rs(s->executeQuery());
  if (!rs->next()) return std::nullopt;
  PosTransaction t = ReadTransaction(*rs);
  t.lines = ReadLines(c, t.txn_id);
  return t;
}

// Inserts the header, which claims (store, terminal, pos_txn_id): a duplicate is kTaken.
Status Claim(sql::Connection& c, const PosTransaction& t) {
  Statement s(c.prepareStatement(
      "INSERT INTO pos_transactions (txn_id, store_id, terminal_id, pos_txn_id, kind, "
      "request_hash, member_id, original_txn_id, quote_id, cashier_id, no_original, occurred_at, "
      "committed_at, currency, total_minor, discount_minor, points_redeemed, points_value_minor, "
      "due_minor, points_earned, points_clawed_back, points_restored, offline, rejected_codes, "
      "coupon_codes, receipt_zh, receipt_en) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'[]','[]','[]')"));
  s->setString(1, t.txn_id);
  s->setString(2, t.store_id);
  s->setString(3, t.terminal_id);
  s->setString(4, t.pos_txn_id);
  s->setString(5, PosTxnKindName(t.kind));
  s->setString(6, t.request_hash);
  BindOptional(*s, 7, t.member_id);
  BindOptional(*s, 8, t.original_txn_id);
  BindOptional(*s, 9, t.quote_id);
  s->setString(10, t.cashier_id.substr(0, 64));
  s->setBoolean(11, t.no_original);
  s->setString(12, ToSqlTime(t.occurred_at));
  s->setString(13, ToSqlTime(t.committed_at));
  s->setString(14, t.currency);
  s->setInt64(15, t.total_minor);
  s->setInt64(16, t.discount_minor);
  s->setInt64(17, t.points_redeemed);
  s->setInt64(18, t.points_value_minor);
  s->setInt64(19, t.due_minor);
  s->setInt64(20, t.points_earned);
  s->setInt64(21, t.points_clawed_back);
  s->setInt64(22, t.points_restored);
  s->setBoolean(23, t.offline);
  s->setString(24, Json(t.rejected_codes).dump());
  try {
    s->execute();
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() != kErDupEntry) throw;
    return Fail(Code::kAlreadyExists, kTaken, "this till transaction was already committed");
  }
  return {};
}

// What is known only after the effects: the balance, the coupons and the receipt.
void Finish(sql::Connection& c, const PosTransaction& t) {
  Statement s(c.prepareStatement(
      "UPDATE pos_transactions SET balance_after = ?, coupon_codes = ?, receipt_zh = ?, "
      "receipt_en = ?, points_earned = ?, points_clawed_back = ?, points_restored = ?, "
      "total_minor = ?, discount_minor = ?, offline_debt = ?, offline_uncovered = ? "
      "WHERE txn_id = ?"));
  s->setInt64(1, t.balance_after);
  s->setString(2, Json(t.coupon_codes).dump());
  s->setString(3, Json(t.receipt_zh).dump());
  s->setString(4, Json(t.receipt_en).dump());
  s->setInt64(5, t.points_earned);
  s->setInt64(6, t.points_clawed_back);
  s->setInt64(7, t.points_restored);
  s->setInt64(8, t.total_minor);
  s->setInt64(9, t.discount_minor);
  s->setInt64(10, t.offline_debt);
  s->setInt64(11, t.offline_uncovered);
  s->setString(12, t.txn_id);
  s->execute();
}

void InsertLines(sql::Connection& c, const std::string& txn_id, const std::vector<PosLine>& lines) {
  Statement s(c.prepareStatement(
      "INSERT INTO pos_transaction_lines (txn_id, line_no, sku, category, qty, unit_price_minor, "
      "net_minor, discount_minor, paid_minor, returned_qty) VALUES (?,?,?,?,?,?,?,?,?,?)"));
  for (const PosLine& l : lines) {
    s->setString(1, txn_id);
    s->setInt(2, l.line_no);
    s->setString(3, l.sku);
    s->setString(4, l.category);
    s->setInt64(5, l.qty);
    s->setInt64(6, l.unit_price_minor);
    s->setInt64(7, l.net_minor);
    s->setInt64(8, l.discount_minor);
    s->setInt64(9, l.paid_minor);
    s->setInt64(10, l.returned_qty);
    s->execute();
  }
}

// Points, then tier, of one member; fills balance_after.
Status ApplyMemberEffects(sql::Connection& c, PosTransaction& t,
                          const std::optional<LedgerDecision>& points,
                          const std::optional<TierUpdate>& tier,
                          std::optional<TierChange>& tier_change) {
  if (points && t.member_id) {
    auto change = MysqlLedgerRepository::ApplyOn(c, *t.member_id, *points);
    if (!change) return Fail(change.error());
    t.balance_after = change->state.account.available;
    if (t.offline && t.kind == PosTxnKind::kSale && t.points_redeemed > 0) {
      std::tie(t.offline_debt, t.offline_uncovered) = GrantedShortfall(*change, t.points_redeemed);
    }
  } else if (t.member_id) {
    // No points moved; the receipt still shows the balance.
    Statement s(c.prepareStatement("SELECT available FROM point_accounts WHERE member_id = ?"));
    s->setString(1, *t.member_id);
    Rows rs(s->executeQuery());
    if (rs->next()) t.balance_after = rs->getInt64(1);
  }
  if (tier) {
    auto applied = MysqlTierRepository::ApplyOn(c, *tier);
    if (!applied) return Fail(applied.error());
    tier_change = applied->second;
  }
  return {};
}

}  // namespace

Result<std::optional<PosTransaction>> MysqlPosTransactionStore::Find(const std::string& txn_id) {
  std::optional<PosTransaction> out;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    out = ReadWhere(c, "txn_id = ?", {txn_id}, false);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return out;
}

Result<std::optional<PosTransaction>> MysqlPosTransactionStore::FindByTill(
    const std::string& store_id, const std::string& terminal_id, const std::string& pos_txn_id) {
  std::optional<PosTransaction> out;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    out = ReadWhere(c, "store_id = ? AND terminal_id = ? AND pos_txn_id = ?",
                    {store_id, terminal_id, pos_txn_id}, false);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return out;
}

Result<CommitOutcome> MysqlPosTransactionStore::Replayed(const PosTransaction& attempt) {
  auto stored = FindByTill(attempt.store_id, attempt.terminal_id, attempt.pos_txn_id);
  if (!stored) return Fail(stored.error());
  if (!*stored) {
    return Fail(Code::kAborted, "pos_txn_retry", "the transaction is being committed; retry");
  }
  return CommitOutcome{std::move(**stored), true, std::nullopt};
}

Result<CommitOutcome> MysqlPosTransactionStore::CommitSale(const SaleCommit& sale) {
  if (sale.coupons) {
    auto prepared = pool_.Run([&](sql::Connection& c) -> Status {
      MysqlCouponRepository::PrepareRedeem(c, *sale.coupons);
      return {};
    });
    if (!prepared) return Fail(prepared.error());
  }
  CommitOutcome out;
  auto ran = pool_.Transaction([&](sql::Connection& c) -> Status {
    out = CommitOutcome{sale.txn, false, std::nullopt};
    PosTransaction& t = out.txn;
    if (auto claimed = Claim(c, t); !claimed) return claimed;
    if (sale.coupons) {
      if (auto ok = MysqlCouponRepository::RedeemOn(c, *sale.coupons); !ok) return ok;
    }
    if (auto ok = ApplyMemberEffects(c, t, sale.points, sale.tier, out.tier_change); !ok) {
      return ok;
    }
    InsertLines(c, t.txn_id, t.lines);
    Finish(c, t);
    if (t.quote_id) {
      Statement end(c.prepareStatement(
          "UPDATE pos_quotes SET expires_at = LEAST(expires_at, ?) WHERE quote_id = ?"));
      end->setString(1, ToSqlTime(t.committed_at));
      end->setString(2, *t.quote_id);
      end->execute();
    }
    return {};
  });
  if (!ran && ran.error().slug == kTaken) return Replayed(sale.txn);
  if (!ran) return Fail(ran.error());
  return out;
}

Result<CommitOutcome> MysqlPosTransactionStore::CommitReturn(PosTransaction ret,
                                                             const ReturnDecision& decide) {
  CommitOutcome out;
  auto ran = pool_.Transaction([&](sql::Connection& c) -> Status {
    out = CommitOutcome{ret, false, std::nullopt};
    PosTransaction& t = out.txn;
    if (auto claimed = Claim(c, t); !claimed) return claimed;
    auto sale = ReadWhere(c, "txn_id = ?", {t.original_txn_id.value_or("")}, /*lock=*/true);
    if (!sale) {
      return Fail(Code::kNotFound, "transaction_not_found",
                  "no transaction " + t.original_txn_id.value_or(""));
    }
    auto effects = decide(*sale, t);
    if (!effects) return Fail(effects.error());
    if (effects->coupons) {
      t.coupon_codes = MysqlCouponRepository::RestoreOn(c, effects->coupons->txn_ref,
                                                        effects->coupons->uses, t.committed_at);
    }
    if (auto ok = ApplyMemberEffects(c, t, effects->points, effects->tier, out.tier_change); !ok) {
      return ok;
    }
    Statement returned(c.prepareStatement(
        "UPDATE pos_transaction_lines SET returned_qty = ? WHERE txn_id = ? AND line_no = ?"));
    for (const PosLine& l : effects->sale_lines) {
      returned->setInt64(1, l.returned_qty);
      returned->setString(2, sale->txn_id);
      returned->setInt(3, l.line_no);
      returned->execute();
    }
    if (effects->void_sale) {
      Statement voided(
          c.prepareStatement("UPDATE pos_transactions SET voided_at = ? WHERE txn_id = ?"));
      voided->setString(1, ToSqlTime(t.committed_at));
      voided->setString(2, sale->txn_id);
      voided->execute();
    }
    InsertLines(c, t.txn_id, t.lines);
    Finish(c, t);
    return {};
  });
  if (!ran && ran.error().slug == kTaken) return Replayed(ret);
  if (!ran) return Fail(ran.error());
  return out;
}

Result<CommitOutcome> MysqlPosTransactionStore::RecordUnlinkedReturn(const PosTransaction& ret) {
  CommitOutcome out{ret, false, std::nullopt};
  auto ran = pool_.Transaction([&](sql::Connection& c) -> Status {
    if (auto claimed = Claim(c, ret); !claimed) return claimed;
    InsertLines(c, ret.txn_id, ret.lines);
    Finish(c, ret);
    return {};
  });
  if (!ran && ran.error().slug == kTaken) return Replayed(ret);
  if (!ran) return Fail(ran.error());
  return out;
}

Result<int64_t> MysqlPosTransactionStore::SavedSince(const std::string& member_id, Instant since) {
  int64_t saved = 0;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    Statement s(c.prepareStatement(
        "SELECT COALESCE(SUM(s.discount_minor), 0) - COALESCE((SELECT SUM(l.discount_minor) "
        "FROM pos_transactions s2 JOIN pos_transactions r ON r.original_txn_id = s2.txn_id "
        "AND r.kind = 'return' JOIN pos_transaction_lines l ON l.txn_id = r.txn_id "
        "WHERE s2.member_id = ? AND s2.kind = 'sale' AND s2.occurred_at >= ? AND "
        "s2.voided_at IS NULL), 0) FROM pos_transactions s "
        "WHERE s.member_id = ? AND s.kind = 'sale' AND s.occurred_at >= ? AND s.voided_at IS "
        "NULL"));
    s->setString(1, member_id);
    s->setString(2, ToSqlTime(since));
    s->setString(3, member_id);
    s->setString(4, ToSqlTime(since));
    Rows rs(s->executeQuery());
    if (rs->next()) saved = rs->getInt64(1);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return saved;
}

Result<int64_t> MysqlPosTransactionStore::OfflineRedeemed(const std::string& member_id,
                                                          Instant from, Instant to) {
  int64_t points = 0;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    Statement s(c.prepareStatement(
        "SELECT COALESCE(SUM(points_redeemed), 0) FROM pos_transactions WHERE member_id = ? AND "
        "kind = 'sale' AND offline AND occurred_at >= ? AND occurred_at < ?"));
    s->setString(1, member_id);
    s->setString(2, ToSqlTime(from));
    s->setString(3, ToSqlTime(to));
    Rows rs(s->executeQuery());
    if (rs->next()) points = rs->getInt64(1);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return points;
}

Result<std::vector<PosTransaction>> MysqlPosTransactionStore::OfflineReconciliation(
    const std::string& store_id, Instant from, Instant to, int limit) {
  std::vector<PosTransaction> out;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    out.clear();
    Statement s(c.prepareStatement(
        std::string("SELECT ") + kColumns +
        " FROM pos_transactions WHERE offline AND occurred_at >= ? AND occurred_at < ? AND "
        "(offline_debt > 0 OR offline_uncovered > 0 OR rejected_codes <> '[]')" +
        (store_id.empty() ? "" : " AND store_id = ?") + " ORDER BY occurred_at DESC LIMIT " +
        std::to_string(limit)));
    s->setString(1, ToSqlTime(from));
    s->setString(2, ToSqlTime(to));
    if (!store_id.empty()) s->setString(3, store_id);
    Rows rs(s->executeQuery());
    while (rs->next()) out.push_back(ReadTransaction(*rs));
    return {};
  });
  if (!ran) return Fail(ran.error());
  return out;
}

Result<std::vector<PosException>> MysqlPosTransactionStore::Exceptions(const std::string& store_id,
                                                                       Instant from, Instant to,
                                                                       int limit) {
  std::vector<PosException> out;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    out.clear();
    const std::string store_filter = store_id.empty() ? "" : " AND r.store_id = ?";
    auto bind = [&](sql::PreparedStatement& s) {
      s.setString(1, ToSqlTime(from));
      s.setString(2, ToSqlTime(to));
      if (!store_id.empty()) s.setString(3, store_id);
    };
    {
      Statement s(c.prepareStatement(
          "SELECT r.txn_id, r.store_id, r.cashier_id, r.pos_txn_id, r.total_minor, r.occurred_at "
          "FROM pos_transactions r WHERE r.kind = 'return' AND r.no_original AND "
          "r.occurred_at >= ? AND r.occurred_at < ?" +
          store_filter + " ORDER BY r.occurred_at DESC LIMIT " + std::to_string(limit)));
      bind(*s);
      Rows rs(s->executeQuery());
      while (rs->next()) {
        out.push_back(PosException{"return_without_receipt", rs->getString(2), rs->getString(3),
                                   rs->getString(1), rs->getString(4), std::nullopt, "",
                                   rs->getInt64(5), FromSqlTime(rs->getString(6))});
      }
    }
    // A return, then the same store selling the same SKU again within a day: the classic way to
    // pocket a refund. One row per returned line, naming the first sale that bought it again.
    Statement s(c.prepareStatement(
        "SELECT r.txn_id, r.store_id, r.cashier_id, r.pos_txn_id, rl.sku, rl.paid_minor, "
        "r.occurred_at, MIN(s.txn_id) FROM pos_transactions r "
        "JOIN pos_transaction_lines rl ON rl.txn_id = r.txn_id "
        "JOIN pos_transactions s ON s.store_id = r.store_id AND s.kind = 'sale' AND "
        "s.occurred_at > r.occurred_at AND s.occurred_at <= r.occurred_at + INTERVAL 1 DAY "
        "JOIN pos_transaction_lines sl ON sl.txn_id = s.txn_id AND sl.sku = rl.sku "
        "WHERE r.kind = 'return' AND r.occurred_at >= ? AND r.occurred_at < ?" +
        store_filter + " GROUP BY r.txn_id, rl.line_no ORDER BY r.occurred_at DESC LIMIT " +
        std::to_string(limit)));
    bind(*s);
    Rows rs(s->executeQuery());
    while (rs->next()) {
      out.push_back(PosException{"refund_then_rebuy", rs->getString(2), rs->getString(3),
                                 rs->getString(1), rs->getString(4), rs->getString(8),
                                 rs->getString(5), rs->getInt64(6), FromSqlTime(rs->getString(7))});
    }
    return {};
  });
  if (!ran) return Fail(ran.error());
  std::stable_sort(out.begin(), out.end(),
                   [](const PosException& a, const PosException& b) { return a.at > b.at; });
  if (out.size() > static_cast<size_t>(limit)) out.resize(limit);
  return out;
}

}  // namespace loyalty
