// Quotes in MariaDB.
#include "loyalty/mysql/mysql_quote_store.h"

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "loyalty/mysql/sql_values.h"

namespace loyalty {
namespace {

using Json = nlohmann::json;

std::string BasketText(const std::vector<BasketLine>& lines) {
  Json out = Json::array();
  for (const BasketLine& l : lines) {
    out.push_back({{"line_no", l.line_no},
                   {"sku", l.sku},
                   {"category", l.category},
                   {"qty", l.qty},
                   {"net_minor", l.net_minor},
                   {"tax_minor", l.tax_minor}});
  }
  return out.dump();
}

std::vector<BasketLine> BasketFrom(const std::string& text) {
  std::vector<BasketLine> out;
  for (const Json& l : Json::parse(text)) {
    out.push_back(BasketLine{l.at("line_no").get<int>(), l.at("sku").get<std::string>(),
                             l.at("category").get<std::string>(), l.at("qty").get<int64_t>(),
                             l.at("net_minor").get<int64_t>(), l.at("tax_minor").get<int64_t>()});
  }
  return out;
}

}  // namespace

Status MysqlQuoteStore::Save(const StoredQuote& q) {
  return pool_.Run([&](sql::Connection& c) -> Status {
    Statement s(c.prepareStatement(
        "INSERT INTO pos_quotes (quote_id, store_id, terminal_id, member_id, basket, coupon_codes, "
        "redeem_points, total_minor, discount_minor, points_value_minor, due_minor, "
        "points_to_earn, created_at, expires_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
        "ON DUPLICATE KEY UPDATE member_id = VALUES(member_id), basket = VALUES(basket), "
        "coupon_codes = VALUES(coupon_codes), redeem_points = VALUES(redeem_points), "
        "total_minor = VALUES(total_minor), discount_minor = VALUES(discount_minor), "
        "points_value_minor = VALUES(points_value_minor), due_minor = VALUES(due_minor), "
        "points_to_earn = VALUES(points_to_earn), expires_at = VALUES(expires_at)"));
    s->setString(1, q.quote_id);
    s->setString(2, q.store_id);
    s->setString(3, q.terminal_id);
    BindOptional(*s, 4, q.member_id);
    s->setString(5, BasketText(q.lines));
    s->setString(6, Json(q.coupon_codes).dump());
    s->setInt64(7, q.redeem_points);
    s->setInt64(8, q.total_minor);
    s->setInt64(9, q.discount_minor);
    s->setInt64(10, q.points_value_minor);
    s->setInt64(11, q.due_minor);
    s->setInt64(12, q.points_to_earn);
    s->setString(13, ToSqlTime(q.created_at));
    s->setString(14, ToSqlTime(q.expires_at));
    s->execute();
    return {};
  });
}

Status MysqlQuoteStore::End(const std::string& quote_id, Instant at) {
  return pool_.Run([&](sql::Connection& c) -> Status {
    Statement s(c.prepareStatement(
        "UPDATE pos_quotes SET expires_at = LEAST(expires_at, ?) WHERE quote_id = ?"));
    s->setString(1, ToSqlTime(at));
    s->setString(2, quote_id);
    s->execute();
    return {};
  });
}

Result<std::optional<StoredQuote>> MysqlQuoteStore::Find(const std::string& quote_id) {
  std::optional<StoredQuote> out;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    Statement s(c.prepareStatement("SELECT * FROM pos_quotes WHERE quote_id = ?"));
    s->setString(1, quote_id);
    Rows rs(s->executeQuery());
    if (!rs->next()) return {};
    StoredQuote q;
    q.quote_id = rs->getString("quote_id");
    q.store_id = rs->getString("store_id");
    q.terminal_id = rs->getString("terminal_id");
    q.member_id = GetOptional(*rs, "member_id");
    try {
      q.lines = BasketFrom(rs->getString("basket"));
      q.coupon_codes =
          Json::parse(std::string(rs->getString("coupon_codes"))).get<std::vector<std::string>>();
    } catch (const Json::exception& e) {
      return Fail(Code::kInternal, "quote_corrupt",
                  "stored quote " + quote_id + " cannot be read: " + e.what());
    }
    q.redeem_points = rs->getInt64("redeem_points");
    q.total_minor = rs->getInt64("total_minor");
    q.discount_minor = rs->getInt64("discount_minor");
    q.points_value_minor = rs->getInt64("points_value_minor");
    q.due_minor = rs->getInt64("due_minor");
    q.points_to_earn = rs->getInt64("points_to_earn");
    q.created_at = FromSqlTime(rs->getString("created_at"));
    q.expires_at = FromSqlTime(rs->getString("expires_at"));
    out = std::move(q);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return out;
}

Result<int64_t> MysqlQuoteStore::HeldPoints(const std::string& member_id, Instant now,
                                            const std::string& except_quote_id) {
  int64_t held = 0;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    Statement s(
        c.prepareStatement("SELECT COALESCE(SUM(redeem_points), 0) FROM pos_quotes "
                           "WHERE member_id = ? AND expires_at > ? AND quote_id <> ?"));
    s->setString(1, member_id);
    s->setString(2, ToSqlTime(now));
    s->setString(3, except_quote_id);
    Rows rs(s->executeQuery());
    if (rs->next()) held = rs->getInt64(1);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return held;
}

}  // namespace loyalty
