// The MemberRepository contract (domain/ports/member_repository.h), run against the in-memory fake
// and the MariaDB adapter, so the fake the unit tests rely on behaves like the real thing.
#include <cppconn/connection.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "loyalty/common/hex.h"
#include "loyalty/mysql/mysql_audit_log.h"
#include "loyalty/mysql/mysql_member_repository.h"
#include "tests/db/db_test_util.h"
#include "tests/support/fakes.h"

namespace loyalty {
namespace {

using dbtest::Db;
using dbtest::QueryInt;
using dbtest::SampleAudit;
using dbtest::SampleMember;
using dbtest::SampleTime;
using std::chrono::seconds;

// One implementation under test plus the ways to look at what it stored.
struct Subject {
  std::shared_ptr<void> owner;  // keeps the implementation's collaborators alive
  MemberRepository* repository = nullptr;
  AuditLog* audit = nullptr;
  // Rows stored for a member, read behind the repository's back (COUNT queries for MariaDB).
  std::function<int64_t(const std::string& member_id)> consent_rows;
  std::function<int64_t(const std::string& target_id)> audit_rows;
  std::function<int64_t(const std::string& member_id)> member_rows;
};

struct Implementation {
  std::string name;
  std::function<Subject()> make;
};

Subject InMemory() {
  struct Owner {
    test_support::InMemoryAuditLog audit;
    test_support::InMemoryMemberRepository repository{audit};
  };
  auto owner = std::make_shared<Owner>();
  Subject s;
  s.owner = owner;
  s.repository = &owner->repository;
  s.audit = &owner->audit;
  s.consent_rows = [owner](const std::string& id) -> int64_t {
    auto history = owner->repository.ConsentHistory(id);
    return history ? static_cast<int64_t>(history->size()) : -1;
  };
  s.audit_rows = [owner](const std::string& target) -> int64_t {
    int64_t n = 0;
    for (const auto& e : owner->audit.Entries()) n += e.target_id == target;
    return n;
  };
  s.member_rows = [owner](const std::string& id) -> int64_t {
    return owner->repository.Stored(id) ? 1 : 0;
  };
  return s;
}

Subject Mysql() {
  struct Owner {
    MysqlMemberRepository repository{Db().pool()};
    MysqlAuditLog audit{Db().pool()};
  };
  auto owner = std::make_shared<Owner>();
  Subject s;
  s.owner = owner;
  s.repository = &owner->repository;
  s.audit = &owner->audit;
  s.consent_rows = [](const std::string& id) {
    return QueryInt(Db().pool(), "SELECT COUNT(*) FROM member_consent_events WHERE member_id = ?",
                    {id});
  };
  s.audit_rows = [](const std::string& target) {
    return QueryInt(Db().pool(), "SELECT COUNT(*) FROM audit_log WHERE target_id = ?", {target});
  };
  s.member_rows = [](const std::string& id) {
    return QueryInt(Db().pool(), "SELECT COUNT(*) FROM members WHERE member_id = ?", {id});
  };
  return s;
}

void ExpectSameMember(const StoredMember& actual, const StoredMember& expected) {
  const Member& a = actual.profile;
  const Member& e = expected.profile;
  EXPECT_EQ(a.member_id, e.member_id);
  EXPECT_EQ(a.card_no, e.card_no);
  EXPECT_EQ(HexEncode(actual.phone_cipher), HexEncode(expected.phone_cipher));
  EXPECT_EQ(HexEncode(actual.phone_index), HexEncode(expected.phone_index));
  EXPECT_EQ(actual.email_cipher.has_value(), expected.email_cipher.has_value());
  if (actual.email_cipher && expected.email_cipher) {
    EXPECT_EQ(HexEncode(*actual.email_cipher), HexEncode(*expected.email_cipher));
  }
  EXPECT_EQ(actual.email_index.has_value(), expected.email_index.has_value());
  if (actual.email_index && expected.email_index) {
    EXPECT_EQ(HexEncode(*actual.email_index), HexEncode(*expected.email_index));
  }
  EXPECT_EQ(HexEncode(actual.name_cipher), HexEncode(expected.name_cipher));
  EXPECT_EQ(actual.birthday_cipher.has_value(), expected.birthday_cipher.has_value());
  if (actual.birthday_cipher && expected.birthday_cipher) {
    EXPECT_EQ(HexEncode(*actual.birthday_cipher), HexEncode(*expected.birthday_cipher));
  }
  EXPECT_EQ(a.home_store_id, e.home_store_id);
  EXPECT_EQ(a.consents.sms, e.consents.sms);
  EXPECT_EQ(a.consents.email, e.consents.email);
  EXPECT_EQ(a.consents.wechat, e.consents.wechat);
  EXPECT_EQ(a.tier, e.tier);
  EXPECT_EQ(a.status, e.status);
  EXPECT_EQ(a.created_at, e.created_at);
  EXPECT_EQ(a.updated_at, e.updated_at);
  EXPECT_EQ(a.version, e.version);
}

std::vector<ConsentEvent> EnrolConsents(const StoredMember& m, Instant at) {
  std::vector<ConsentEvent> events;
  for (ConsentChannel c : kConsentChannels) {
    events.push_back({c, m.profile.consents.Get(c), at, "enrol:staff-1"});
  }
  return events;
}

// The next version of `m` as the service would write it: one change, version + 1.
StoredMember NextVersion(StoredMember m, Instant at) {
  m.profile.version += 1;
  m.profile.updated_at = at;
  return m;
}

class MemberRepositoryContract : public ::testing::TestWithParam<Implementation> {
 protected:
  void SetUp() override { subject_ = GetParam().make(); }

  MemberRepository& repo() { return *subject_.repository; }

  // Inserts a fresh sample member with its enrol consents and audit entry; fails the test if the
  // insert fails.
  StoredMember InsertSample() {
    StoredMember m = SampleMember(SampleTime());
    auto inserted = repo().Insert(m, EnrolConsents(m, SampleTime()),
                                  SampleAudit(m.profile.member_id, SampleTime()));
    EXPECT_TRUE(inserted.has_value()) << inserted.error().slug << ": " << inserted.error().message;
    return m;
  }

  Subject subject_;
};

TEST_P(MemberRepositoryContract, InsertedMemberIsFoundByIdPhoneEmailAndCard) {
  const StoredMember m = InsertSample();

  auto by_id = repo().FindById(m.profile.member_id);
  ASSERT_TRUE(by_id.has_value()) << by_id.error().message;
  ASSERT_TRUE(by_id->has_value());
  ExpectSameMember(**by_id, m);

  auto by_phone = repo().FindByPhoneIndex(m.phone_index);
  ASSERT_TRUE(by_phone.has_value()) << by_phone.error().message;
  ASSERT_TRUE(by_phone->has_value());
  ExpectSameMember(**by_phone, m);

  auto by_email = repo().FindByEmailIndex(*m.email_index);
  ASSERT_TRUE(by_email.has_value()) << by_email.error().message;
  ASSERT_TRUE(by_email->has_value());
  ExpectSameMember(**by_email, m);

  auto by_card = repo().FindByCard(m.profile.card_no);
  ASSERT_TRUE(by_card.has_value()) << by_card.error().message;
  ASSERT_TRUE(by_card->has_value());
  ExpectSameMember(**by_card, m);
}

TEST_P(MemberRepositoryContract, MemberWithoutOptionalFieldsRoundTrips) {
  StoredMember m = SampleMember(SampleTime());
  m.email_cipher.reset();
  m.email_index.reset();
  m.birthday_cipher.reset();
  m.profile.home_store_id.reset();
  m.profile.consents = Consents{};
  ASSERT_TRUE(repo().Insert(m, {}, SampleAudit(m.profile.member_id, SampleTime())).has_value());

  auto found = repo().FindById(m.profile.member_id);
  ASSERT_TRUE(found.has_value()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  ExpectSameMember(**found, m);
}

TEST_P(MemberRepositoryContract, UnknownKeysAreNotFound) {
  InsertSample();
  const std::string unknown_index = dbtest::RandomBytes(32);

  auto by_id = repo().FindById(dbtest::NewId());
  ASSERT_TRUE(by_id.has_value());
  EXPECT_FALSE(by_id->has_value());
  auto by_phone = repo().FindByPhoneIndex(unknown_index);
  ASSERT_TRUE(by_phone.has_value());
  EXPECT_FALSE(by_phone->has_value());
  auto by_email = repo().FindByEmailIndex(unknown_index);
  ASSERT_TRUE(by_email.has_value());
  EXPECT_FALSE(by_email->has_value());
  auto by_card = repo().FindByCard(dbtest::RandomDigits(16));
  ASSERT_TRUE(by_card.has_value());
  EXPECT_FALSE(by_card->has_value());
  auto history = repo().ConsentHistory(dbtest::NewId());
  ASSERT_TRUE(history.has_value());
  EXPECT_TRUE(history->empty());
}

TEST_P(MemberRepositoryContract, DuplicatePhoneNamesTheFirstMemberAndWritesNothing) {
  const StoredMember first = InsertSample();
  StoredMember second = SampleMember(SampleTime());
  second.phone_index = first.phone_index;

  auto inserted = repo().Insert(second, EnrolConsents(second, SampleTime()),
                                SampleAudit(second.profile.member_id, SampleTime()));

  ASSERT_FALSE(inserted.has_value());
  EXPECT_EQ(inserted.error().code, Code::kAlreadyExists);
  EXPECT_EQ(inserted.error().slug, "duplicate_phone");
  ASSERT_NE(inserted.error().Detail("existing_member_id"), nullptr);
  EXPECT_EQ(*inserted.error().Detail("existing_member_id"), first.profile.member_id);
  ASSERT_NE(inserted.error().Detail("field"), nullptr);
  EXPECT_EQ(*inserted.error().Detail("field"), "phone");
  // Atomic: no member row, no consent evidence and no audit entry for the refused member.
  EXPECT_EQ(subject_.member_rows(second.profile.member_id), 0);
  EXPECT_EQ(subject_.consent_rows(second.profile.member_id), 0);
  EXPECT_EQ(subject_.audit_rows(second.profile.member_id), 0);
  // The first member is untouched and still owns the phone.
  auto owner = repo().FindByPhoneIndex(first.phone_index);
  ASSERT_TRUE(owner.has_value());
  ASSERT_TRUE(owner->has_value());
  EXPECT_EQ((*owner)->profile.member_id, first.profile.member_id);
}

TEST_P(MemberRepositoryContract, DuplicateEmailNamesTheFirstMemberAndWritesNothing) {
  const StoredMember first = InsertSample();
  StoredMember second = SampleMember(SampleTime());
  second.email_index = first.email_index;

  auto inserted = repo().Insert(second, EnrolConsents(second, SampleTime()),
                                SampleAudit(second.profile.member_id, SampleTime()));

  ASSERT_FALSE(inserted.has_value());
  EXPECT_EQ(inserted.error().code, Code::kAlreadyExists);
  EXPECT_EQ(inserted.error().slug, "duplicate_email");
  ASSERT_NE(inserted.error().Detail("existing_member_id"), nullptr);
  EXPECT_EQ(*inserted.error().Detail("existing_member_id"), first.profile.member_id);
  ASSERT_NE(inserted.error().Detail("field"), nullptr);
  EXPECT_EQ(*inserted.error().Detail("field"), "email");
  EXPECT_EQ(subject_.member_rows(second.profile.member_id), 0);
  EXPECT_EQ(subject_.consent_rows(second.profile.member_id), 0);
  EXPECT_EQ(subject_.audit_rows(second.profile.member_id), 0);
}

TEST_P(MemberRepositoryContract, DuplicateCardIsReportedSoTheServiceCanDrawAnotherNumber) {
  const StoredMember first = InsertSample();
  StoredMember second = SampleMember(SampleTime());
  second.profile.card_no = first.profile.card_no;

  auto inserted = repo().Insert(second, EnrolConsents(second, SampleTime()),
                                SampleAudit(second.profile.member_id, SampleTime()));

  ASSERT_FALSE(inserted.has_value());
  EXPECT_EQ(inserted.error().code, Code::kAlreadyExists);
  EXPECT_EQ(inserted.error().slug, "duplicate_card");
  EXPECT_EQ(subject_.member_rows(second.profile.member_id), 0);
  EXPECT_EQ(subject_.audit_rows(second.profile.member_id), 0);
}

TEST_P(MemberRepositoryContract, ErasedMembersWithoutPhoneOrEmailNeverCollide) {
  // Erasure clears the phone and e-mail: every erased member has "no value" there (NULL in
  // MariaDB), and two of them must not trip the unique indexes.
  std::vector<StoredMember> erased;
  for (int i = 0; i < 2; ++i) {
    StoredMember m = SampleMember(SampleTime());
    m.phone_cipher.clear();
    m.phone_index.clear();
    m.email_cipher.reset();
    m.email_index.reset();
    m.name_cipher.clear();
    m.profile.status = MemberStatus::kErased;
    auto inserted = repo().Insert(m, {}, SampleAudit(m.profile.member_id, SampleTime()));
    ASSERT_TRUE(inserted.has_value()) << inserted.error().slug;
    erased.push_back(m);
  }

  auto by_empty_phone = repo().FindByPhoneIndex("");
  ASSERT_TRUE(by_empty_phone.has_value());
  EXPECT_FALSE(by_empty_phone->has_value());
  auto by_empty_email = repo().FindByEmailIndex("");
  ASSERT_TRUE(by_empty_email.has_value());
  EXPECT_FALSE(by_empty_email->has_value());
  for (const auto& m : erased) {
    auto found = repo().FindById(m.profile.member_id);  // erased members stay findable by id
    ASSERT_TRUE(found.has_value());
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->profile.status, MemberStatus::kErased);
    EXPECT_TRUE((*found)->phone_index.empty());
    EXPECT_FALSE((*found)->email_index.has_value());
  }
}

TEST_P(MemberRepositoryContract, UpdateWithTheNextVersionReplacesTheRow) {
  const StoredMember original = InsertSample();
  const Instant later = SampleTime() + seconds(60);
  StoredMember changed = NextVersion(original, later);
  changed.name_cipher = dbtest::RandomBytes(31);
  changed.email_cipher = dbtest::RandomBytes(50);
  changed.email_index = dbtest::RandomBytes(32);
  changed.profile.consents.sms = false;
  changed.profile.tier = "gold";

  auto updated =
      repo().Update(changed, {{ConsentChannel::kSms, false, later, "staff:s1"}},
                    SampleAudit(original.profile.member_id, later, std::nullopt, "member.update"));

  ASSERT_TRUE(updated.has_value()) << updated.error().slug << ": " << updated.error().message;
  auto found = repo().FindById(original.profile.member_id);
  ASSERT_TRUE(found.has_value());
  ASSERT_TRUE(found->has_value());
  ExpectSameMember(**found, changed);
  // The old e-mail index no longer finds anyone, the new one does.
  auto by_old_email = repo().FindByEmailIndex(*original.email_index);
  ASSERT_TRUE(by_old_email.has_value());
  EXPECT_FALSE(by_old_email->has_value());
  auto by_new_email = repo().FindByEmailIndex(*changed.email_index);
  ASSERT_TRUE(by_new_email.has_value());
  ASSERT_TRUE(by_new_email->has_value());
  EXPECT_EQ((*by_new_email)->profile.member_id, original.profile.member_id);
  EXPECT_EQ(subject_.consent_rows(original.profile.member_id), 4);
  EXPECT_EQ(subject_.audit_rows(original.profile.member_id), 2);
}

TEST_P(MemberRepositoryContract, UpdateWithAStaleVersionIsAbortedAndChangesNothing) {
  const StoredMember original = InsertSample();
  const Instant later = SampleTime() + seconds(60);
  StoredMember first_edit = NextVersion(original, later);
  first_edit.profile.tier = "silver";
  ASSERT_TRUE(
      repo()
          .Update(first_edit, {},
                  SampleAudit(original.profile.member_id, later, std::nullopt, "member.update"))
          .has_value());

  // A second editor loaded version 1 too and now writes its own version 2.
  StoredMember stale_edit = NextVersion(original, later + seconds(1));
  stale_edit.profile.tier = "gold";
  auto updated = repo().Update(
      stale_edit, {{ConsentChannel::kEmail, true, later + seconds(1), "staff:s2"}},
      SampleAudit(original.profile.member_id, later + seconds(1), std::nullopt, "member.update"));

  ASSERT_FALSE(updated.has_value());
  EXPECT_EQ(updated.error().code, Code::kAborted);
  EXPECT_EQ(updated.error().slug, "concurrent_update");
  auto found = repo().FindById(original.profile.member_id);
  ASSERT_TRUE(found.has_value());
  ASSERT_TRUE(found->has_value());
  ExpectSameMember(**found, first_edit);
  EXPECT_EQ(subject_.consent_rows(original.profile.member_id), 3);  // enrol's only
  EXPECT_EQ(subject_.audit_rows(original.profile.member_id), 2);    // enrol + first edit
}

TEST_P(MemberRepositoryContract, UpdateOfAnUnknownMemberIsAborted) {
  StoredMember ghost = NextVersion(SampleMember(SampleTime()), SampleTime());
  auto updated = repo().Update(ghost, {}, SampleAudit(ghost.profile.member_id, SampleTime()));
  ASSERT_FALSE(updated.has_value());
  EXPECT_EQ(updated.error().code, Code::kAborted);
  EXPECT_EQ(updated.error().slug, "concurrent_update");
  EXPECT_EQ(subject_.member_rows(ghost.profile.member_id), 0);
  EXPECT_EQ(subject_.audit_rows(ghost.profile.member_id), 0);
}

TEST_P(MemberRepositoryContract, UpdateToAPhoneTakenByAnotherMemberNamesThatMember) {
  const StoredMember owner = InsertSample();
  const StoredMember other = InsertSample();
  StoredMember changed = NextVersion(other, SampleTime() + seconds(5));
  changed.phone_index = owner.phone_index;

  auto updated = repo().Update(changed, {}, SampleAudit(other.profile.member_id, SampleTime()));

  ASSERT_FALSE(updated.has_value());
  EXPECT_EQ(updated.error().code, Code::kAlreadyExists);
  EXPECT_EQ(updated.error().slug, "duplicate_phone");
  ASSERT_NE(updated.error().Detail("existing_member_id"), nullptr);
  EXPECT_EQ(*updated.error().Detail("existing_member_id"), owner.profile.member_id);
  auto found = repo().FindById(other.profile.member_id);
  ASSERT_TRUE(found.has_value());
  ASSERT_TRUE(found->has_value());
  ExpectSameMember(**found, other);
  EXPECT_EQ(subject_.audit_rows(other.profile.member_id), 1);
}

TEST_P(MemberRepositoryContract, ConsentHistoryIsOldestFirst) {
  StoredMember m = SampleMember(SampleTime());
  const Instant t0 = SampleTime();
  // Handed over out of order: the history is ordered by time, not by write order.
  ASSERT_TRUE(repo()
                  .Insert(m,
                          {{ConsentChannel::kWechat, true, t0 + seconds(2), "enrol:a"},
                           {ConsentChannel::kSms, true, t0, "enrol:b"},
                           {ConsentChannel::kEmail, false, t0 + seconds(1), "enrol:c"}},
                          SampleAudit(m.profile.member_id, t0))
                  .has_value());
  StoredMember next = NextVersion(m, t0 + seconds(10));
  next.profile.consents.sms = false;
  ASSERT_TRUE(repo()
                  .Update(next, {{ConsentChannel::kSms, false, t0 + seconds(10), "staff:s1"}},
                          SampleAudit(m.profile.member_id, t0 + seconds(10)))
                  .has_value());

  auto history = repo().ConsentHistory(m.profile.member_id);

  ASSERT_TRUE(history.has_value()) << history.error().message;
  ASSERT_EQ(history->size(), 4u);
  const std::vector<std::tuple<ConsentChannel, bool, Instant, std::string>> expected = {
      {ConsentChannel::kSms, true, t0, "enrol:b"},
      {ConsentChannel::kEmail, false, t0 + seconds(1), "enrol:c"},
      {ConsentChannel::kWechat, true, t0 + seconds(2), "enrol:a"},
      {ConsentChannel::kSms, false, t0 + seconds(10), "staff:s1"},
  };
  for (size_t i = 0; i < expected.size(); ++i) {
    const ConsentEvent& e = (*history)[i];
    EXPECT_EQ(e.channel, std::get<0>(expected[i])) << "event " << i;
    EXPECT_EQ(e.granted, std::get<1>(expected[i])) << "event " << i;
    EXPECT_EQ(e.at, std::get<2>(expected[i])) << "event " << i;
    EXPECT_EQ(e.source, std::get<3>(expected[i])) << "event " << i;
  }
}

TEST_P(MemberRepositoryContract, InsertWritesItsAuditEntry) {
  StoredMember m = SampleMember(SampleTime());
  AuditEntry audit = SampleAudit(m.profile.member_id, SampleTime(), m.profile.home_store_id);
  ASSERT_TRUE(repo().Insert(m, EnrolConsents(m, SampleTime()), audit).has_value());

  AuditFilter filter;
  filter.target_id = m.profile.member_id;
  auto entries = subject_.audit->List(filter);

  ASSERT_TRUE(entries.has_value()) << entries.error().message;
  ASSERT_EQ(entries->size(), 1u);
  const AuditEntry& e = entries->front();
  EXPECT_EQ(e.audit_id, audit.audit_id);
  EXPECT_EQ(e.at, audit.at);
  EXPECT_EQ(e.actor_staff_id, audit.actor_staff_id);
  EXPECT_EQ(e.actor_role, audit.actor_role);
  EXPECT_EQ(e.store_id, audit.store_id);
  EXPECT_EQ(e.action, audit.action);
  EXPECT_EQ(e.target_type, audit.target_type);
  EXPECT_EQ(e.target_id, audit.target_id);
  EXPECT_EQ(e.detail_json, audit.detail_json);
  EXPECT_EQ(e.request_id, audit.request_id);
  EXPECT_EQ(subject_.consent_rows(m.profile.member_id), 3);
}

INSTANTIATE_TEST_SUITE_P(Implementations, MemberRepositoryContract,
                         ::testing::Values(Implementation{"InMemory", InMemory},
                                           Implementation{"Mysql", Mysql}),
                         [](const ::testing::TestParamInfo<Implementation>& info) {
                           return info.param.name;
                         });

// MariaDB only: the member row, its consents and its audit entry commit or roll back together.
// A failing audit write (here: an audit id that is already taken) must take the member with it.
TEST(MysqlMemberRepository, AFailedAuditWriteRollsBackTheMemberAndItsConsents) {
  MysqlMemberRepository repo(Db().pool());
  const StoredMember first = SampleMember(SampleTime());
  const AuditEntry first_audit = SampleAudit(first.profile.member_id, SampleTime());
  ASSERT_TRUE(repo.Insert(first, EnrolConsents(first, SampleTime()), first_audit).has_value());

  const StoredMember second = SampleMember(SampleTime());
  AuditEntry clashing = SampleAudit(second.profile.member_id, SampleTime());
  clashing.audit_id = first_audit.audit_id;
  auto inserted = repo.Insert(second, EnrolConsents(second, SampleTime()), clashing);

  ASSERT_FALSE(inserted.has_value());
  EXPECT_EQ(inserted.error().code, Code::kInternal);
  auto& pool = Db().pool();
  EXPECT_EQ(QueryInt(pool, "SELECT COUNT(*) FROM members WHERE member_id = ?",
                     {second.profile.member_id}),
            0);
  EXPECT_EQ(QueryInt(pool, "SELECT COUNT(*) FROM member_consent_events WHERE member_id = ?",
                     {second.profile.member_id}),
            0);
  EXPECT_EQ(QueryInt(pool, "SELECT COUNT(*) FROM audit_log WHERE target_id = ?",
                     {second.profile.member_id}),
            0);
  // The phone, e-mail and card of the rolled-back member are free again.
  auto retried = repo.Insert(second, EnrolConsents(second, SampleTime()),
                             SampleAudit(second.profile.member_id, SampleTime()));
  EXPECT_TRUE(retried.has_value()) << retried.error().message;
}

// MariaDB only: the stored columns hold hex ciphertext and hex blind indexes, never raw bytes.
TEST(MysqlMemberRepository, StoresCiphertextAndIndexesAsHex) {
  MysqlMemberRepository repo(Db().pool());
  const StoredMember m = SampleMember(SampleTime());
  ASSERT_TRUE(repo.Insert(m, {}, SampleAudit(m.profile.member_id, SampleTime())).has_value());

  EXPECT_EQ(dbtest::QueryString(Db().pool(), "SELECT phone_index FROM members WHERE member_id = ?",
                                {m.profile.member_id}),
            HexEncode(m.phone_index));
  EXPECT_EQ(dbtest::QueryString(Db().pool(), "SELECT phone_cipher FROM members WHERE member_id = ?",
                                {m.profile.member_id}),
            HexEncode(m.phone_cipher));
}

}  // namespace
}  // namespace loyalty
