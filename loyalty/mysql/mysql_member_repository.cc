// Members in MariaDB: PII columns hold hex ciphertext; uniqueness is enforced on blind indexes.
#include "loyalty/mysql/mysql_member_repository.h"

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <memory>

#include "loyalty/common/hex.h"
#include "loyalty/common/time_format.h"
#include "loyalty/mysql/mysql_audit_log.h"
#include "loyalty/mysql/sql_values.h"

namespace loyalty {
namespace {

constexpr const char* kColumns =
    "member_id, card_no, phone_cipher, phone_index, email_cipher, email_index, name_cipher, "
    "birthday_cipher, home_store_id, consent_sms, consent_email, consent_wechat, tier, status, "
    "created_at, updated_at, version";

std::optional<std::string> HexOrNull(const std::optional<std::string>& bytes) {
  if (!bytes || bytes->empty()) return std::nullopt;
  return HexEncode(*bytes);
}

std::string Unhex(const std::optional<std::string>& text) {
  return text ? HexDecode(*text).value_or("") : "";
}

// Binds the 17 columns in kColumns order, starting at parameter 1.
void BindMember(sql::PreparedStatement& s, const StoredMember& m) {
  const Member& p = m.profile;
  s.setString(1, p.member_id);
  s.setString(2, p.card_no);
  BindOptional(s, 3, HexOrNull(m.phone_cipher));
  BindOptional(s, 4, HexOrNull(m.phone_index));
  BindOptional(s, 5, HexOrNull(m.email_cipher));
  BindOptional(s, 6, HexOrNull(m.email_index));
  BindOptional(s, 7, HexOrNull(m.name_cipher));
  BindOptional(s, 8, HexOrNull(m.birthday_cipher));
  BindOptional(s, 9, p.home_store_id);
  s.setBoolean(10, p.consents.sms);
  s.setBoolean(11, p.consents.email);
  s.setBoolean(12, p.consents.wechat);
  s.setString(13, p.tier);
  s.setString(14, MemberStatusName(p.status));
  s.setString(15, ToSqlTime(p.created_at));
  s.setString(16, ToSqlTime(p.updated_at));
  s.setInt64(17, p.version);
}

StoredMember ReadMember(sql::ResultSet& rs) {
  StoredMember m;
  Member& p = m.profile;
  p.member_id = rs.getString("member_id");
  p.card_no = rs.getString("card_no");
  m.phone_cipher = Unhex(GetOptional(rs, "phone_cipher"));
  m.phone_index = Unhex(GetOptional(rs, "phone_index"));
  if (auto v = GetOptional(rs, "email_cipher")) m.email_cipher = Unhex(v);
  if (auto v = GetOptional(rs, "email_index")) m.email_index = Unhex(v);
  m.name_cipher = Unhex(GetOptional(rs, "name_cipher"));
  if (auto v = GetOptional(rs, "birthday_cipher")) m.birthday_cipher = Unhex(v);
  p.home_store_id = GetOptional(rs, "home_store_id");
  p.consents.sms = rs.getBoolean("consent_sms");
  p.consents.email = rs.getBoolean("consent_email");
  p.consents.wechat = rs.getBoolean("consent_wechat");
  p.tier = rs.getString("tier");
  p.status = rs.getString("status") == "erased" ? MemberStatus::kErased : MemberStatus::kActive;
  p.created_at = FromSqlTime(rs.getString("created_at"));
  p.updated_at = FromSqlTime(rs.getString("updated_at"));
  p.version = rs.getInt64("version");
  return m;
}

void InsertConsents(sql::Connection& c, const std::string& member_id,
                    const std::vector<ConsentEvent>& events) {
  if (events.empty()) return;
  std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(
      "INSERT INTO member_consent_events (member_id, at, channel, granted, source) "
      "VALUES (?,?,?,?,?)"));
  for (const auto& e : events) {
    s->setString(1, member_id);
    s->setString(2, ToSqlTime(e.at));
    s->setString(3, ConsentChannelName(e.channel));
    s->setBoolean(4, e.granted);
    s->setString(5, e.source.substr(0, 64));
    s->execute();
  }
}

// Turns a duplicate-key error into the 409 the API promises, naming the member who has it.
Status Duplicate(sql::Connection& c, const sql::SQLException& e, const StoredMember& m) {
  const std::string what = e.what();
  std::string column, slug, message;
  std::optional<std::string> value;
  if (what.find("uk_members_phone") != std::string::npos) {
    column = "phone_index", slug = "duplicate_phone", value = HexOrNull(m.phone_index);
    message = "this phone number already belongs to a member";
  } else if (what.find("uk_members_email") != std::string::npos) {
    column = "email_index", slug = "duplicate_email", value = HexOrNull(m.email_index);
    message = "this e-mail address already belongs to a member";
  } else if (what.find("uk_members_card") != std::string::npos) {
    return Fail(Code::kAlreadyExists, "duplicate_card", "card number collision");
  } else {
    throw;
  }
  c.rollback();  // release the failed statement's locks before looking the owner up
  std::unique_ptr<sql::PreparedStatement> s(
      c.prepareStatement("SELECT member_id FROM members WHERE " + column + " = ?"));
  s->setString(1, value.value_or(""));
  std::unique_ptr<sql::ResultSet> rs(s->executeQuery());
  Error error{Code::kAlreadyExists, slug, message, {}};
  error.With("field", slug == "duplicate_phone" ? "phone" : "email");
  if (rs->next()) error.With("existing_member_id", rs->getString(1));
  return Fail(std::move(error));
}

}  // namespace

Status MysqlMemberRepository::Insert(const StoredMember& member,
                                     const std::vector<ConsentEvent>& consents,
                                     const AuditEntry& audit) {
  return pool_.Transaction([&](sql::Connection& c) -> Status {
    try {
      std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(
          std::string("INSERT INTO members (") + kColumns +
          ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
      BindMember(*s, member);
      s->execute();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != kErDupEntry) throw;
      return Duplicate(c, e, member);
    }
    InsertConsents(c, member.profile.member_id, consents);
    InsertAudit(c, audit);
    return {};
  });
}

Status MysqlMemberRepository::Update(const StoredMember& member,
                                     const std::vector<ConsentEvent>& consents,
                                     const AuditEntry& audit) {
  return pool_.Transaction([&](sql::Connection& c) -> Status {
    int updated = 0;
    try {
      std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(
          "UPDATE members SET member_id=?, card_no=?, phone_cipher=?, phone_index=?, "
          "email_cipher=?, email_index=?, name_cipher=?, birthday_cipher=?, home_store_id=?, "
          "consent_sms=?, consent_email=?, consent_wechat=?, tier=?, status=?, created_at=?, "
          "updated_at=?, version=? WHERE member_id=? AND version=?"));
      BindMember(*s, member);
      s->setString(18, member.profile.member_id);
      s->setInt64(19, member.profile.version - 1);
      updated = s->executeUpdate();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != kErDupEntry) throw;
      return Duplicate(c, e, member);
    }
    if (updated != 1) {
      return Fail(Code::kAborted, "concurrent_update",
                  "the member was changed by someone else meanwhile; reload and try again");
    }
    InsertConsents(c, member.profile.member_id, consents);
    InsertAudit(c, audit);
    return {};
  });
}

Result<std::optional<StoredMember>> MysqlMemberRepository::FindBy(const char* column,
                                                                  const std::string& value) {
  std::optional<StoredMember> found;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(
        std::string("SELECT ") + kColumns + " FROM members WHERE " + column + " = ?"));
    s->setString(1, value);
    std::unique_ptr<sql::ResultSet> rs(s->executeQuery());
    if (rs->next()) found = ReadMember(*rs);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return found;
}

Result<std::optional<StoredMember>> MysqlMemberRepository::FindById(const std::string& id) {
  return FindBy("member_id", id);
}
Result<std::optional<StoredMember>> MysqlMemberRepository::FindByPhoneIndex(
    const std::string& index) {
  return FindBy("phone_index", HexEncode(index));
}
Result<std::optional<StoredMember>> MysqlMemberRepository::FindByEmailIndex(
    const std::string& index) {
  return FindBy("email_index", HexEncode(index));
}
Result<std::optional<StoredMember>> MysqlMemberRepository::FindByCard(const std::string& card) {
  return FindBy("card_no", card);
}

Result<std::vector<ConsentEvent>> MysqlMemberRepository::ConsentHistory(
    const std::string& member_id) {
  std::vector<ConsentEvent> events;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::PreparedStatement> s(c.prepareStatement(
        "SELECT at, channel, granted, source FROM member_consent_events WHERE member_id = ? "
        "ORDER BY at, channel"));
    s->setString(1, member_id);
    std::unique_ptr<sql::ResultSet> rs(s->executeQuery());
    while (rs->next()) {
      const std::string channel = rs->getString("channel");
      ConsentEvent e{channel == "sms"     ? ConsentChannel::kSms
                     : channel == "email" ? ConsentChannel::kEmail
                                          : ConsentChannel::kWechat,
                     rs->getBoolean("granted"), FromSqlTime(rs->getString("at")),
                     rs->getString("source")};
      events.push_back(std::move(e));
    }
    return {};
  });
  if (!ran) return Fail(ran.error());
  return events;
}

}  // namespace loyalty
