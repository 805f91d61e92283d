// MysqlStaffRepository against MariaDB: accounts, store assignments, hashed sessions (live,
// expired, revoked, deactivated staff) and the audit entries that ride along.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "loyalty/crypto/openssl_crypto.h"
#include "loyalty/mysql/mysql_staff_repository.h"
#include "tests/db/db_test_util.h"

namespace loyalty {
namespace {

using dbtest::Db;
using dbtest::NewId;
using dbtest::QueryInt;
using dbtest::SampleTime;
using std::chrono::hours;
using std::chrono::minutes;

AuditEntry StaffAudit(const std::string& action, const std::string& target_type,
                      const std::string& target_id, Instant at) {
  AuditEntry e = dbtest::SampleAudit(target_id, at, std::nullopt, action);
  e.actor_staff_id = "system";
  e.actor_role = "admin";
  e.target_type = target_type;
  e.detail_json = "{}";
  return e;
}

// A session token's digest as the service stores it (hex SHA-256 of a fresh random token).
std::string NewDigest() { return Sha256Hex(dbtest::RandomBytes(32)); }

class StaffRepositoryTest : public ::testing::Test {
 protected:
  // Creates a cashier of two stores; returns its account as created.
  StaffAccount CreateCashier() {
    StaffAccount a;
    a.principal.staff_id = NewId();
    a.principal.username = "cashier." + NewId().substr(0, 10);
    a.principal.role = Role::kCashier;
    a.principal.store_ids = {"S2-" + suffix_, "S1-" + suffix_};  // given unsorted
    a.display_name = "王芳 (till 3)";
    a.password_phc = "$scrypt$ln=17,r=8,p=1$c2FsdA$aGFzaA";
    auto created = repo_.Create(a, StaffAudit("staff.create", "staff", a.principal.staff_id, now_));
    EXPECT_TRUE(created.has_value()) << created.error().slug << ": " << created.error().message;
    return a;
  }

  int64_t AuditRows(const std::string& target_id, const std::string& action) {
    return QueryInt(Db().pool(),
                    "SELECT COUNT(*) FROM audit_log WHERE target_id = ? AND action = ?",
                    {target_id, action});
  }

  MysqlStaffRepository repo_{Db().pool()};
  const Instant now_ = SampleTime();
  const std::string suffix_ = NewId().substr(0, 8);
};

TEST_F(StaffRepositoryTest, CreatedAccountIsFoundByUsernameWithItsStores) {
  const StaffAccount a = CreateCashier();

  auto found = repo_.FindByUsername(a.principal.username);

  ASSERT_TRUE(found.has_value()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  const StaffAccount& f = **found;
  EXPECT_EQ(f.principal.staff_id, a.principal.staff_id);
  EXPECT_EQ(f.principal.username, a.principal.username);
  EXPECT_EQ(f.principal.role, Role::kCashier);
  EXPECT_EQ(f.principal.store_ids, (std::vector<std::string>{"S1-" + suffix_, "S2-" + suffix_}));
  EXPECT_EQ(f.display_name, a.display_name);
  EXPECT_EQ(f.password_phc, a.password_phc);
  EXPECT_TRUE(f.active);
  EXPECT_EQ(AuditRows(a.principal.staff_id, "staff.create"), 1);
}

TEST_F(StaffRepositoryTest, UnknownUsernameIsNotFound) {
  auto found = repo_.FindByUsername("nobody." + NewId().substr(0, 10));
  ASSERT_TRUE(found.has_value()) << found.error().message;
  EXPECT_FALSE(found->has_value());
}

TEST_F(StaffRepositoryTest, DuplicateUsernameIsAlreadyExistsAndWritesNothing) {
  const StaffAccount first = CreateCashier();
  StaffAccount second;
  second.principal.staff_id = NewId();
  second.principal.username = first.principal.username;
  second.principal.role = Role::kStoreManager;
  second.principal.store_ids = {"S9-" + suffix_};
  second.display_name = "someone else";
  second.password_phc = "$scrypt$other";

  auto created =
      repo_.Create(second, StaffAudit("staff.create", "staff", second.principal.staff_id, now_));

  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().code, Code::kAlreadyExists);  // the API answers 409
  EXPECT_EQ(created.error().slug, "duplicate_username");
  ASSERT_NE(created.error().Detail("field"), nullptr);
  EXPECT_EQ(*created.error().Detail("field"), "username");
  EXPECT_EQ(QueryInt(Db().pool(), "SELECT COUNT(*) FROM staff_stores WHERE staff_id = ?",
                     {second.principal.staff_id}),
            0);
  EXPECT_EQ(AuditRows(second.principal.staff_id, "staff.create"), 0);
  auto found = repo_.FindByUsername(first.principal.username);
  ASSERT_TRUE(found.has_value());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->principal.staff_id, first.principal.staff_id);
  EXPECT_EQ((*found)->display_name, first.display_name);
}

TEST_F(StaffRepositoryTest, LiveSessionGivesThePrincipalWithStores) {
  const StaffAccount a = CreateCashier();
  const std::string digest = NewDigest();
  ASSERT_TRUE(repo_
                  .CreateSession(digest, a.principal.staff_id, now_ + hours(12),
                                 StaffAudit("auth.login", "session", a.principal.staff_id, now_))
                  .has_value());

  auto session = repo_.FindSession(digest, now_ + minutes(5));

  ASSERT_TRUE(session.has_value()) << session.error().message;
  ASSERT_TRUE(session->has_value());
  EXPECT_EQ((*session)->staff_id, a.principal.staff_id);
  EXPECT_EQ((*session)->username, a.principal.username);
  EXPECT_EQ((*session)->role, Role::kCashier);
  EXPECT_EQ((*session)->store_ids, (std::vector<std::string>{"S1-" + suffix_, "S2-" + suffix_}));
  // Stored under the digest only.
  EXPECT_EQ(
      QueryInt(Db().pool(), "SELECT COUNT(*) FROM staff_sessions WHERE token_digest = ?", {digest}),
      1);
  EXPECT_EQ(AuditRows(a.principal.staff_id, "auth.login"), 1);
}

TEST_F(StaffRepositoryTest, UnknownDigestHasNoSession) {
  auto session = repo_.FindSession(NewDigest(), now_);
  ASSERT_TRUE(session.has_value()) << session.error().message;
  EXPECT_FALSE(session->has_value());
  auto revoked =
      repo_.RevokeSession(NewDigest(), now_, StaffAudit("auth.logout", "session", "nobody", now_));
  ASSERT_TRUE(revoked.has_value()) << revoked.error().message;
  EXPECT_FALSE(*revoked);
}

TEST_F(StaffRepositoryTest, SessionIsDeadFromItsExpiryOn) {
  const StaffAccount a = CreateCashier();
  const std::string digest = NewDigest();
  const Instant expires = now_ + hours(12);
  ASSERT_TRUE(repo_
                  .CreateSession(digest, a.principal.staff_id, expires,
                                 StaffAudit("auth.login", "session", a.principal.staff_id, now_))
                  .has_value());

  auto just_before = repo_.FindSession(digest, expires - std::chrono::microseconds(1));
  ASSERT_TRUE(just_before.has_value());
  EXPECT_TRUE(just_before->has_value());
  auto at_expiry = repo_.FindSession(digest, expires);
  ASSERT_TRUE(at_expiry.has_value());
  EXPECT_FALSE(at_expiry->has_value());
  auto later = repo_.FindSession(digest, expires + hours(1));
  ASSERT_TRUE(later.has_value());
  EXPECT_FALSE(later->has_value());
}

TEST_F(StaffRepositoryTest, RevokeEndsTheSessionOnceAndAuditsOnce) {
  const StaffAccount a = CreateCashier();
  const std::string digest = NewDigest();
  ASSERT_TRUE(repo_
                  .CreateSession(digest, a.principal.staff_id, now_ + hours(12),
                                 StaffAudit("auth.login", "session", a.principal.staff_id, now_))
                  .has_value());

  auto first = repo_.RevokeSession(
      digest, now_ + minutes(1), StaffAudit("auth.logout", "session", a.principal.staff_id, now_));
  auto second = repo_.RevokeSession(
      digest, now_ + minutes(2), StaffAudit("auth.logout", "session", a.principal.staff_id, now_));

  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_TRUE(*first);
  ASSERT_TRUE(second.has_value()) << second.error().message;
  EXPECT_FALSE(*second);
  auto session = repo_.FindSession(digest, now_ + minutes(3));
  ASSERT_TRUE(session.has_value());
  EXPECT_FALSE(session->has_value());
  EXPECT_EQ(AuditRows(a.principal.staff_id, "auth.logout"), 1);
}

TEST_F(StaffRepositoryTest, RevokingAnExpiredSessionRevokesNothing) {
  // Contract: RevokeSession "returns whether a live session was revoked"; an expired session is
  // not live, so logging out with it changes nothing and leaves no audit entry.
  const StaffAccount a = CreateCashier();
  const std::string digest = NewDigest();
  const Instant expires = now_ + hours(12);
  ASSERT_TRUE(repo_
                  .CreateSession(digest, a.principal.staff_id, expires,
                                 StaffAudit("auth.login", "session", a.principal.staff_id, now_))
                  .has_value());

  auto revoked = repo_.RevokeSession(
      digest, expires + minutes(1),
      StaffAudit("auth.logout", "session", a.principal.staff_id, expires + minutes(1)));

  ASSERT_TRUE(revoked.has_value()) << revoked.error().message;
  EXPECT_FALSE(*revoked);
  EXPECT_EQ(AuditRows(a.principal.staff_id, "auth.logout"), 0);
}

TEST_F(StaffRepositoryTest, DeactivatedStaffLoseTheirSessions) {
  const StaffAccount a = CreateCashier();
  const std::string digest = NewDigest();
  ASSERT_TRUE(repo_
                  .CreateSession(digest, a.principal.staff_id, now_ + hours(12),
                                 StaffAudit("auth.login", "session", a.principal.staff_id, now_))
                  .has_value());
  auto before = repo_.FindSession(digest, now_);
  ASSERT_TRUE(before.has_value());
  ASSERT_TRUE(before->has_value());

  dbtest::Exec(Db().pool(), "UPDATE staff SET active = 0 WHERE staff_id = ?",
               {a.principal.staff_id});

  auto after = repo_.FindSession(digest, now_);
  ASSERT_TRUE(after.has_value()) << after.error().message;
  EXPECT_FALSE(after->has_value());
  auto account = repo_.FindByUsername(a.principal.username);
  ASSERT_TRUE(account.has_value());
  ASSERT_TRUE(account->has_value());
  EXPECT_FALSE((*account)->active);
}

TEST_F(StaffRepositoryTest, ChainWideRoleHasNoStores) {
  StaffAccount a;
  a.principal.staff_id = NewId();
  a.principal.username = "auditor." + NewId().substr(0, 10);
  a.principal.role = Role::kAuditor;
  a.display_name = "Auditor";
  a.password_phc = "$scrypt$x";
  ASSERT_TRUE(
      repo_.Create(a, StaffAudit("staff.create", "staff", a.principal.staff_id, now_)).has_value());
  const std::string digest = NewDigest();
  ASSERT_TRUE(repo_
                  .CreateSession(digest, a.principal.staff_id, now_ + hours(1),
                                 StaffAudit("auth.login", "session", a.principal.staff_id, now_))
                  .has_value());

  auto session = repo_.FindSession(digest, now_);

  ASSERT_TRUE(session.has_value());
  ASSERT_TRUE(session->has_value());
  EXPECT_EQ((*session)->role, Role::kAuditor);
  EXPECT_TRUE((*session)->store_ids.empty());
}

}  // namespace
}  // namespace loyalty
