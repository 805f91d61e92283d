// Referrals in MariaDB.
#include "loyalty/mysql/mysql_referral_store.h"

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <memory>

#include "loyalty/mysql/sql_values.h"

namespace loyalty {

Status MysqlReferralStore::Record(const std::string& member_id, const std::string& referrer_id,
                                  Instant at) {
  return pool_.Run([&](sql::Connection& c) -> Status {
    Statement s(c.prepareStatement(
        "INSERT IGNORE INTO member_referrals (member_id, referrer_id, created_at) VALUES (?,?,?)"));
    s->setString(1, member_id);
    s->setString(2, referrer_id);
    s->setString(3, ToSqlTime(at));
    s->execute();
    return {};
  });
}

Result<std::optional<std::string>> MysqlReferralStore::UnrewardedReferrer(const std::string& member_id) {
  std::optional<std::string> referrer;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    Statement s(c.prepareStatement(
        "SELECT referrer_id FROM member_referrals WHERE member_id = ? AND rewarded_at IS NULL"));
    s->setString(1, member_id);
    Rows rs(s->executeQuery());
    if (rs->next()) referrer = rs->getString(1);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return referrer;
}

Result<int> MysqlReferralStore::RewardedCount(const std::string& referrer_id) {
  int count = 0;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    Statement s(c.prepareStatement(
        "SELECT COUNT(*) FROM member_referrals WHERE referrer_id = ? AND rewarded_at IS NOT NULL"));
    s->setString(1, referrer_id);
    Rows rs(s->executeQuery());
    if (rs->next()) count = rs->getInt(1);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return count;
}

Status MysqlReferralStore::MarkRewarded(const std::string& member_id, Instant at) {
  return pool_.Run([&](sql::Connection& c) -> Status {
    Statement s(c.prepareStatement(
        "UPDATE member_referrals SET rewarded_at = ? WHERE member_id = ? AND rewarded_at IS NULL"));
    s->setString(1, ToSqlTime(at));
    s->setString(2, member_id);
    s->execute();
    return {};
  });
}

}  // namespace loyalty
