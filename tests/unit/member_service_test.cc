// MemberService and StaffService over the in-memory fakes (tests/support) with the real AES-GCM
// protector and the in-process rate limiter: the use cases as a cashier, an admin or a store
// manager sees them.
#include "loyalty/service/member_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "loyalty/crypto/openssl_crypto.h"
#include "loyalty/domain/card_number.h"
#include "loyalty/redis/redis_rate_limiter.h"
#include "loyalty/service/staff_service.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fakes.h"

namespace loyalty {
namespace {

using test_support::FakeClock;
using test_support::FakePasswordHasher;
using test_support::InMemoryAuditLog;
using test_support::InMemoryMemberRepository;
using test_support::InMemoryStaffRepository;
using test_support::NullMemberCache;
using test_support::SequenceRandom;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kPhone[] = "+8613800138000";
constexpr char kOtherPhone[] = "+8613900139000";

MasterKey TestKey() {
  return *ParseMasterKey("8f2c1b7e4d6a5930c1e2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8");
}

Actor As(Role role, std::vector<std::string> stores = {}, std::string id = "") {
  if (id.empty()) id = std::string("staff-") + RoleName(role);
  return Actor{Principal{id, id + ".user", role, std::move(stores)}, "req-" + id};
}
Actor Admin() { return As(Role::kAdmin); }
Actor Cashier(const std::string& store = "sh-001") {
  return As(Role::kCashier, {store}, "staff-cashier-" + store);
}

EnrolRequest Request(std::string phone = "138 0013 8000", std::string name = "张伟") {
  EnrolRequest r;
  r.phone = std::move(phone);
  r.name = std::move(name);
  return r;
}

// "8123456789012349" -> "8123 4567 8901 2349", as printed on the card.
std::string Spaced(const std::string& card) {
  return card.substr(0, 4) + " " + card.substr(4, 4) + " " + card.substr(8, 4) + " " +
         card.substr(12, 4);
}

// A working cache-aside cache (unlike NullMemberCache), to show that stale entries do no harm.
class MapMemberCache final : public MemberCache {
 public:
  std::optional<StoredMember> Get(const std::string& id) override {
    auto it = entries_.find(id);
    if (it == entries_.end()) return std::nullopt;
    return it->second;
  }
  void Put(const StoredMember& m) override { entries_[m.profile.member_id] = m; }
  void Invalidate(const std::string& id) override { entries_.erase(id); }

 private:
  std::map<std::string, StoredMember> entries_;
};

class ServicesTest : public ::testing::Test {
 protected:
  // Enrols and expects success.
  Member Enrol(const EnrolRequest& r, const Actor& actor = Cashier()) {
    auto m = members_.Enrol(actor, r);
    EXPECT_TRUE(m.has_value()) << m.error().slug << ": " << m.error().message;
    return m.value_or(Member{});
  }

  std::vector<AuditEntry> AuditFor(const std::string& target_id) {
    std::vector<AuditEntry> out;
    for (const auto& e : audit_.Entries()) {
      if (e.target_id == target_id) out.push_back(e);
    }
    return out;
  }

  FakeClock clock_;
  SequenceRandom random_;
  InMemoryAuditLog audit_;
  InMemoryMemberRepository member_repo_{audit_};
  InMemoryStaffRepository staff_repo_{audit_};
  AesGcmPiiProtector pii_{TestKey()};
  NullMemberCache cache_;
  FakePasswordHasher hasher_;
  InMemoryRateLimiter limiter_{clock_, RateLimitOptions{}};
  MemberService members_{MemberPorts{member_repo_, pii_, random_, clock_, cache_, audit_}};
  StaffService staff_{StaffPorts{staff_repo_, hasher_, random_, clock_, limiter_, audit_}};
};

// ---------------------------------------------------------------------------------------------
// Enrol and look up

TEST_F(ServicesTest, EnrolledMemberIsFoundByPhoneInEveryFormatByEmailAndByCard) {
  EnrolRequest r = Request();
  r.email = "zhang.wei@example.com";
  const Member enrolled = Enrol(r);
  ASSERT_FALSE(enrolled.member_id.empty());

  std::vector<Result<Member>> found;
  for (const char* phone : {"138 0013 8000", "+86 13800138000", "8613800138000"}) {
    found.push_back(members_.FindByPhone(Cashier(), phone));
  }
  found.push_back(members_.FindByEmail(Cashier(), "ZHANG.WEI@EXAMPLE.COM"));
  found.push_back(members_.FindByEmail(Cashier(), " Zhang.Wei@Example.com "));
  found.push_back(members_.FindByCard(Cashier(), Spaced(enrolled.card_no)));
  found.push_back(members_.FindByCard(Cashier(), enrolled.card_no));
  found.push_back(members_.Get(Cashier(), enrolled.member_id));
  for (size_t i = 0; i < found.size(); ++i) {
    SCOPED_TRACE(i);
    ASSERT_TRUE(found[i].has_value()) << found[i].error().message;
    EXPECT_EQ(found[i]->member_id, enrolled.member_id);
    EXPECT_EQ(found[i]->phone, kPhone);
    EXPECT_EQ(found[i]->name, "张伟");
    EXPECT_EQ(found[i]->email, "zhang.wei@example.com");
    EXPECT_EQ(found[i]->card_no, enrolled.card_no);
  }
}

TEST_F(ServicesTest, EnrolGivesIdCardVersionAndTimes) {
  const Member m = Enrol(Request());
  EXPECT_TRUE(std::regex_match(m.member_id, std::regex("[0-9a-f]{24}"))) << m.member_id;
  EXPECT_TRUE(ValidateCardNumber(m.card_no).has_value()) << m.card_no;
  EXPECT_NE(m.card_no[0], '0');
  EXPECT_EQ(m.version, 1);
  EXPECT_EQ(m.created_at, clock_.Now());
  EXPECT_EQ(m.updated_at, clock_.Now());
  EXPECT_EQ(m.status, MemberStatus::kActive);
  EXPECT_EQ(m.phone, kPhone);
}

TEST_F(ServicesTest, PersonalDataIsStoredOnlyEncrypted) {
  EnrolRequest r = Request();
  r.email = "zhang.wei@example.com";
  r.birthday = "1990-05-17";
  const Member m = Enrol(r);
  auto stored = member_repo_.Stored(m.member_id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->profile.phone, "");
  EXPECT_FALSE(stored->profile.email.has_value());
  EXPECT_EQ(stored->profile.name, "");
  EXPECT_FALSE(stored->profile.birthday.has_value());
  ASSERT_TRUE(stored->email_cipher && stored->birthday_cipher);
  for (const std::string& cipher : {stored->phone_cipher, *stored->email_cipher,
                                    stored->name_cipher, *stored->birthday_cipher}) {
    for (const char* plain : {"13800138000", "zhang.wei", "张伟", "1990-05-17"}) {
      EXPECT_EQ(cipher.find(plain), std::string::npos);
    }
  }
  EXPECT_EQ(stored->phone_index, pii_.BlindIndex("phone", kPhone));
  EXPECT_EQ(stored->email_index, pii_.BlindIndex("email", "zhang.wei@example.com"));
}

TEST_F(ServicesTest, DuplicatePhoneInAnotherFormatNamesTheExistingMember) {
  const Member first = Enrol(Request("138 0013 8000", "张伟"));
  auto second = members_.Enrol(Cashier("bj-001"), Request("+86-138-0013-8000", "李娜"));
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, Code::kAlreadyExists);
  EXPECT_EQ(second.error().slug, "duplicate_phone");
  ASSERT_NE(second.error().Detail("existing_member_id"), nullptr);
  EXPECT_EQ(*second.error().Detail("existing_member_id"), first.member_id);
  EXPECT_EQ(member_repo_.Size(), 1u);
  // The refused enrolment left no trace in the audit log.
  EXPECT_EQ(audit_.Entries().size(), 1u);
}

TEST_F(ServicesTest, DuplicateEmailInOtherCaseNamesTheExistingMember) {
  EnrolRequest a = Request(kPhone);
  a.email = "zhang.wei@example.com";
  const Member first = Enrol(a);
  EnrolRequest b = Request(kOtherPhone, "李娜");
  b.email = "Zhang.Wei@EXAMPLE.com";
  auto second = members_.Enrol(Cashier(), b);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, Code::kAlreadyExists);
  EXPECT_EQ(second.error().slug, "duplicate_email");
  ASSERT_NE(second.error().Detail("existing_member_id"), nullptr);
  EXPECT_EQ(*second.error().Detail("existing_member_id"), first.member_id);
}

TEST_F(ServicesTest, InvalidEnrolmentIsRefusedAndStoresNothing) {
  auto m = members_.Enrol(Cashier(), Request("12345"));
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().slug, "invalid_phone");
  m = members_.Enrol(Cashier(), Request(kPhone, ""));
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().slug, "invalid_name");
  EXPECT_EQ(member_repo_.Size(), 0u);
  EXPECT_THAT(audit_.Entries(), IsEmpty());
}

TEST_F(ServicesTest, CardNumberCollisionIsRetriedWithANewNumber) {
  const std::vector<uint8_t> digits = {8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4};
  random_.Script(digits);
  const Member first = Enrol(Request(kPhone));
  ASSERT_EQ(first.card_no.substr(0, 15), "812345678901234");

  random_.Script(digits);  // the second member's first draw is the same number
  const int inserts_before = member_repo_.insert_calls();
  const Member second = Enrol(Request(kOtherPhone, "李娜"));
  EXPECT_EQ(member_repo_.insert_calls() - inserts_before, 2);
  EXPECT_NE(second.card_no, first.card_no);
  EXPECT_TRUE(ValidateCardNumber(second.card_no).has_value());
  auto by_card = members_.FindByCard(Cashier(), second.card_no);
  ASSERT_TRUE(by_card.has_value());
  EXPECT_EQ(by_card->member_id, second.member_id);
  EXPECT_EQ(by_card->name, "李娜");
  // One audit entry per member, none for the collided attempt.
  EXPECT_EQ(audit_.Entries().size(), 2u);
}

TEST_F(ServicesTest, CardNumberCollisionsGiveUpAfterFiveAttempts) {
  const std::vector<uint8_t> digits = {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5};
  random_.Script(digits);
  Enrol(Request(kPhone));
  random_.Script(digits, 5);
  const int inserts_before = member_repo_.insert_calls();
  auto second = members_.Enrol(Cashier(), Request(kOtherPhone, "李娜"));
  EXPECT_FALSE(second.has_value());
  EXPECT_EQ(member_repo_.insert_calls() - inserts_before, 5);
  EXPECT_EQ(member_repo_.Size(), 1u);
}

TEST_F(ServicesTest, LookupsTellMalformedInputFromUnknownMembers) {
  Enrol(Request());
  struct Case {
    const char* what;
    Result<Member> result;
    Code code;
    const char* slug;
  };
  std::vector<uint8_t> d(15, 3);
  std::array<uint8_t, 15> digits{};
  std::copy(d.begin(), d.end(), digits.begin());
  const std::string unknown_card = MakeCardNumber(digits);
  std::vector<Case> cases;
  cases.push_back({"bad phone", members_.FindByPhone(Cashier(), "12345"), Code::kInvalidArgument,
                   "invalid_phone"});
  cases.push_back({"unknown phone", members_.FindByPhone(Cashier(), "139 0013 9000"),
                   Code::kNotFound, "member_not_found"});
  cases.push_back({"bad email", members_.FindByEmail(Cashier(), "zhang.wei"),
                   Code::kInvalidArgument, "invalid_email"});
  cases.push_back({"unknown email", members_.FindByEmail(Cashier(), "nobody@example.com"),
                   Code::kNotFound, "member_not_found"});
  cases.push_back({"bad card", members_.FindByCard(Cashier(), "1234 5678"), Code::kInvalidArgument,
                   "invalid_card_number"});
  cases.push_back({"unknown card", members_.FindByCard(Cashier(), unknown_card), Code::kNotFound,
                   "member_not_found"});
  cases.push_back({"unknown id", members_.Get(Cashier(), "000000000000000000000000"),
                   Code::kNotFound, "member_not_found"});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    ASSERT_FALSE(c.result.has_value());
    EXPECT_EQ(c.result.error().code, c.code);
    EXPECT_EQ(c.result.error().slug, c.slug);
  }
}

TEST_F(ServicesTest, BirthdayIsCheckedAgainstTodayInShanghai) {
  // 2026-03-01T17:00Z is already 2026-03-02 01:00 in Asia/Shanghai.
  clock_.Set(Instant(date::sys_days(date::year{2026} / 3 / 1) + std::chrono::hours(17)));
  EnrolRequest born_today = Request(kPhone);
  born_today.birthday = "2026-03-02";
  EXPECT_TRUE(members_.Enrol(Cashier(), born_today).has_value());
  EnrolRequest tomorrow = Request(kOtherPhone);
  tomorrow.birthday = "2026-03-03";
  auto refused = members_.Enrol(Cashier(), tomorrow);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().slug, "invalid_birthday");

  // Two hours earlier it is still 2026-03-01 in Shanghai.
  clock_.Set(Instant(date::sys_days(date::year{2026} / 3 / 1) + std::chrono::hours(15)));
  EnrolRequest early = Request("+8613700137000");
  early.birthday = "2026-03-02";
  refused = members_.Enrol(Cashier(), early);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().slug, "invalid_birthday");
}

// ---------------------------------------------------------------------------------------------
// Permissions

TEST_F(ServicesTest, CashierCannotExportOrEraseAndNothingChanges) {
  const Member m = Enrol(Request());
  const size_t audit_before = audit_.Entries().size();
  auto exported = members_.Export(Cashier(), m.member_id);
  ASSERT_FALSE(exported.has_value());
  EXPECT_EQ(exported.error().code, Code::kPermissionDenied);
  auto erased = members_.Erase(Cashier(), m.member_id);
  ASSERT_FALSE(erased.has_value());
  EXPECT_EQ(erased.error().code, Code::kPermissionDenied);

  auto still = members_.FindByPhone(Cashier(), kPhone);
  ASSERT_TRUE(still.has_value());
  EXPECT_EQ(still->status, MemberStatus::kActive);
  EXPECT_EQ(still->name, "张伟");
  EXPECT_EQ(audit_.Entries().size(), audit_before);
}

TEST_F(ServicesTest, EveryUseCaseFollowsTheRoleTable) {
  const Member m = Enrol(Request(), Admin());
  MemberPatch patch;
  patch.name = "张小伟";
  for (Role role :
       {Role::kAdmin, Role::kMarketer, Role::kStoreManager, Role::kCashier, Role::kAuditor}) {
    SCOPED_TRACE(RoleName(role));
    const Actor who = As(role, IsStoreScoped(role) ? std::vector<std::string>{"sh-001"}
                                                   : std::vector<std::string>{});
    auto allowed = [&](Permission p) { return RoleAllows(role, p); };
    auto denied = [](const auto& r) {
      return !r.has_value() && r.error().code == Code::kPermissionDenied;
    };
    EXPECT_EQ(!denied(members_.Get(who, m.member_id)), allowed(Permission::kMembersRead));
    EXPECT_EQ(!denied(members_.FindByPhone(who, kPhone)), allowed(Permission::kMembersRead));
    EXPECT_EQ(!denied(members_.FindByCard(who, m.card_no)), allowed(Permission::kMembersRead));
    EXPECT_EQ(!denied(members_.Enrol(who, Request("+8613700137000"))),
              allowed(Permission::kMembersWrite));
    EXPECT_EQ(!denied(members_.Update(who, m.member_id, patch)),
              allowed(Permission::kMembersWrite));
    EXPECT_EQ(!denied(members_.Export(who, m.member_id)), allowed(Permission::kMembersExport));
    // Enrolments that were allowed would collide with the next role's; clear the way.
    if (auto found = members_.FindByPhone(Admin(), "+8613700137000")) {
      ASSERT_TRUE(members_.Erase(Admin(), found->member_id).has_value());
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Update

TEST_F(ServicesTest, UpdateRecordsConsentChangesAsEvidence) {
  EnrolRequest r = Request();
  r.consents.email = true;
  const Member m = Enrol(r, Cashier("sh-001"));
  clock_.Advance(std::chrono::hours(1));
  const Instant update_time = clock_.Now();

  MemberPatch patch;
  patch.consent_sms = true;
  patch.consent_email = false;
  patch.consent_wechat = false;  // unchanged: no event
  auto updated = members_.Update(Cashier("sh-002"), m.member_id, patch);
  ASSERT_TRUE(updated.has_value()) << updated.error().message;
  EXPECT_TRUE(updated->consents.sms);
  EXPECT_FALSE(updated->consents.email);

  auto history = member_repo_.ConsentHistory(m.member_id);
  ASSERT_TRUE(history.has_value());
  ASSERT_EQ(history->size(), 5u);  // three at enrolment, two changes
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*history)[i].at, m.created_at);
    EXPECT_THAT((*history)[i].source, HasSubstr("enrol"));
    EXPECT_THAT((*history)[i].source, HasSubstr("staff-cashier-sh-001"));
    EXPECT_EQ((*history)[i].granted, (*history)[i].channel == ConsentChannel::kEmail);
  }
  const ConsentEvent& sms = (*history)[3];
  const ConsentEvent& email = (*history)[4];
  EXPECT_EQ(sms.channel, ConsentChannel::kSms);
  EXPECT_TRUE(sms.granted);
  EXPECT_EQ(email.channel, ConsentChannel::kEmail);
  EXPECT_FALSE(email.granted);
  for (const ConsentEvent* e : {&sms, &email}) {
    EXPECT_EQ(e->at, update_time);
    EXPECT_EQ(e->source, "staff:staff-cashier-sh-002");
  }
}

TEST_F(ServicesTest, UpdateBumpsVersionAndTimeAndDropsTheCacheEntry) {
  const Member m = Enrol(Request());
  clock_.Advance(std::chrono::minutes(5));
  MemberPatch patch;
  patch.name = "张小伟";
  auto updated = members_.Update(Cashier(), m.member_id, patch);
  ASSERT_TRUE(updated.has_value()) << updated.error().message;
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->updated_at, clock_.Now());
  EXPECT_EQ(updated->created_at, m.created_at);
  EXPECT_THAT(cache_.invalidated(), ElementsAre(m.member_id));
  auto reloaded = members_.Get(Cashier(), m.member_id);
  ASSERT_TRUE(reloaded.has_value());
  EXPECT_EQ(reloaded->name, "张小伟");
  EXPECT_EQ(reloaded->version, 2);
}

TEST_F(ServicesTest, ChangedPhoneIsFoundUnderTheNewNumberOnly) {
  const Member m = Enrol(Request(kPhone));
  MemberPatch patch;
  patch.phone = "139 0013 9000";
  ASSERT_TRUE(members_.Update(Cashier(), m.member_id, patch).has_value());
  auto by_new = members_.FindByPhone(Cashier(), kOtherPhone);
  ASSERT_TRUE(by_new.has_value());
  EXPECT_EQ(by_new->member_id, m.member_id);
  auto by_old = members_.FindByPhone(Cashier(), kPhone);
  ASSERT_FALSE(by_old.has_value());
  EXPECT_EQ(by_old.error().code, Code::kNotFound);
}

TEST_F(ServicesTest, UpdateToAnotherMembersPhoneIsRefusedAndChangesNothing) {
  const Member a = Enrol(Request(kPhone, "张伟"));
  const Member b = Enrol(Request(kOtherPhone, "李娜"));
  MemberPatch patch;
  patch.phone = kPhone;
  patch.name = "李娜娜";
  auto updated = members_.Update(Cashier(), b.member_id, patch);
  ASSERT_FALSE(updated.has_value());
  EXPECT_EQ(updated.error().code, Code::kAlreadyExists);
  EXPECT_EQ(updated.error().slug, "duplicate_phone");
  ASSERT_NE(updated.error().Detail("existing_member_id"), nullptr);
  EXPECT_EQ(*updated.error().Detail("existing_member_id"), a.member_id);
  auto reloaded = members_.Get(Cashier(), b.member_id);
  ASSERT_TRUE(reloaded.has_value());
  EXPECT_EQ(reloaded->phone, kOtherPhone);
  EXPECT_EQ(reloaded->name, "李娜");
  EXPECT_EQ(reloaded->version, 1);
}

TEST_F(ServicesTest, RemovingTheEmailFreesIt) {
  EnrolRequest r = Request(kPhone);
  r.email = "zhang.wei@example.com";
  const Member a = Enrol(r);
  MemberPatch patch;
  patch.email = "";
  auto updated = members_.Update(Cashier(), a.member_id, patch);
  ASSERT_TRUE(updated.has_value());
  EXPECT_FALSE(updated->email.has_value());
  auto by_email = members_.FindByEmail(Cashier(), "zhang.wei@example.com");
  ASSERT_FALSE(by_email.has_value());
  EXPECT_EQ(by_email.error().code, Code::kNotFound);
  EnrolRequest b = Request(kOtherPhone, "李娜");
  b.email = "zhang.wei@example.com";
  EXPECT_TRUE(members_.Enrol(Cashier(), b).has_value());
}

TEST_F(ServicesTest, StaleCacheEntryCannotOverwriteANewerChange) {
  MapMemberCache cache;
  MemberService cached{MemberPorts{member_repo_, pii_, random_, clock_, cache, audit_}};
  const Member m = Enrol(Request());
  ASSERT_TRUE(cached.Get(Cashier(), m.member_id).has_value());  // now in `cache` at version 1

  MemberPatch rename;
  rename.name = "张小伟";
  ASSERT_TRUE(members_.Update(Cashier(), m.member_id, rename).has_value());  // version 2

  // Writes start from the database, never from the cached copy: the edit succeeds at once and
  // keeps the rename the cache did not know about.
  MemberPatch consent;
  consent.consent_sms = true;
  auto updated = cached.Update(Cashier(), m.member_id, consent);
  ASSERT_TRUE(updated.has_value()) << updated.error().message;
  EXPECT_EQ(updated->name, "张小伟");
  EXPECT_TRUE(updated->consents.sms);
  EXPECT_EQ(updated->version, 3);
  // And the stale entry is gone: the next read shows both changes.
  auto read = cached.Get(Cashier(), m.member_id);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->name, "张小伟");
  EXPECT_TRUE(read->consents.sms);
}

TEST_F(ServicesTest, FailedWriteReturnsTheErrorAndChangesNothing) {
  const Member m = Enrol(Request());
  member_repo_.FailNextWrite(Error{Code::kUnavailable, "database_unavailable", "down", {}});
  MemberPatch patch;
  patch.name = "张小伟";
  auto updated = members_.Update(Cashier(), m.member_id, patch);
  ASSERT_FALSE(updated.has_value());
  EXPECT_EQ(updated.error().code, Code::kUnavailable);
  auto reloaded = members_.Get(Cashier(), m.member_id);
  ASSERT_TRUE(reloaded.has_value());
  EXPECT_EQ(reloaded->name, "张伟");
  EXPECT_EQ(reloaded->version, 1);
}

// ---------------------------------------------------------------------------------------------
// Erase and export

TEST_F(ServicesTest, EraseRemovesPersonalDataAndTheOldPhoneNoLongerFindsThem) {
  EnrolRequest r = Request();
  r.email = "zhang.wei@example.com";
  r.birthday = "1990-05-17";
  r.home_store_id = "sh-001";
  r.consents = Consents{true, true, false};
  const Member m = Enrol(r);
  clock_.Advance(std::chrono::hours(1));

  auto erased = members_.Erase(Admin(), m.member_id);
  ASSERT_TRUE(erased.has_value()) << erased.error().message;
  EXPECT_EQ(erased->status, MemberStatus::kErased);
  EXPECT_EQ(erased->phone, "");
  EXPECT_FALSE(erased->email.has_value());
  EXPECT_EQ(erased->name, "");
  EXPECT_FALSE(erased->birthday.has_value());
  EXPECT_FALSE(erased->consents.sms || erased->consents.email || erased->consents.wechat);
  EXPECT_EQ(erased->card_no, m.card_no);

  // Nothing personal is left in storage, not even encrypted.
  auto stored = member_repo_.Stored(m.member_id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->phone_cipher, "");
  EXPECT_EQ(stored->phone_index, "");
  EXPECT_FALSE(stored->email_cipher.has_value());
  EXPECT_FALSE(stored->email_index.has_value());
  EXPECT_EQ(stored->name_cipher, "");
  EXPECT_FALSE(stored->birthday_cipher.has_value());

  auto by_phone = members_.FindByPhone(Cashier(), "138 0013 8000");
  ASSERT_FALSE(by_phone.has_value());
  EXPECT_EQ(by_phone.error().code, Code::kNotFound);
  auto by_email = members_.FindByEmail(Cashier(), "zhang.wei@example.com");
  ASSERT_FALSE(by_email.has_value());
  EXPECT_EQ(by_email.error().code, Code::kNotFound);

  // The id still answers (for the books), as an erased member.
  auto by_id = members_.Get(Admin(), m.member_id);
  ASSERT_TRUE(by_id.has_value());
  EXPECT_EQ(by_id->status, MemberStatus::kErased);
  EXPECT_EQ(by_id->name, "");

  // Withdrawal of the consents that were given is on record.
  auto history = member_repo_.ConsentHistory(m.member_id);
  ASSERT_TRUE(history.has_value());
  std::vector<std::pair<ConsentChannel, bool>> at_erasure;
  for (const auto& e : *history) {
    if (e.at == clock_.Now()) {
      EXPECT_EQ(e.source, "erasure");
      at_erasure.emplace_back(e.channel, e.granted);
    }
  }
  EXPECT_THAT(at_erasure, ElementsAre(std::pair(ConsentChannel::kSms, false),
                                      std::pair(ConsentChannel::kEmail, false)));

  // The same person may join again with the same phone and e-mail.
  EnrolRequest again = Request("138 0013 8000", "张伟");
  again.email = "zhang.wei@example.com";
  auto rejoined = members_.Enrol(Cashier(), again);
  ASSERT_TRUE(rejoined.has_value()) << rejoined.error().message;
  EXPECT_NE(rejoined->member_id, m.member_id);
}

TEST_F(ServicesTest, EraseIsIdempotentAndErasedMembersCannotBeEdited) {
  const Member a = Enrol(Request(kPhone));
  const Member b = Enrol(Request(kOtherPhone, "李娜"));
  ASSERT_TRUE(members_.Erase(Admin(), a.member_id).has_value());
  // A second erased member does not collide with the first on their (now empty) phone.
  ASSERT_TRUE(members_.Erase(Admin(), b.member_id).has_value());
  const size_t audit_entries = audit_.Entries().size();

  auto again = members_.Erase(Admin(), a.member_id);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(again->status, MemberStatus::kErased);
  EXPECT_EQ(audit_.Entries().size(), audit_entries);

  MemberPatch patch;
  patch.name = "Someone";
  auto updated = members_.Update(Admin(), a.member_id, patch);
  ASSERT_FALSE(updated.has_value());
  EXPECT_EQ(updated.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(updated.error().slug, "member_erased");

  auto missing = members_.Erase(Admin(), "000000000000000000000000");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, Code::kNotFound);
}

TEST_F(ServicesTest, ExportHoldsProfileConsentHistoryAndStaffActions) {
  EnrolRequest r = Request();
  r.consents.wechat = true;
  const Member m = Enrol(r, Cashier("sh-001"));
  const Member other = Enrol(Request(kOtherPhone, "李娜"));
  clock_.Advance(std::chrono::minutes(1));
  MemberPatch patch;
  patch.consent_sms = true;
  ASSERT_TRUE(members_.Update(Cashier("sh-002"), m.member_id, patch).has_value());

  auto exported = members_.Export(Admin(), m.member_id);
  ASSERT_TRUE(exported.has_value()) << exported.error().message;
  EXPECT_EQ(exported->member.member_id, m.member_id);
  EXPECT_EQ(exported->member.phone, kPhone);
  EXPECT_EQ(exported->member.name, "张伟");
  EXPECT_EQ(exported->consent_history.size(), 4u);
  ASSERT_EQ(exported->staff_actions.size(), 2u);
  EXPECT_EQ(exported->staff_actions[0].action, "member.update");  // newest first
  EXPECT_EQ(exported->staff_actions[1].action, "member.enrol");
  for (const auto& e : exported->staff_actions) EXPECT_EQ(e.target_id, m.member_id);
  EXPECT_NE(other.member_id, m.member_id);

  auto missing = members_.Export(Admin(), "000000000000000000000000");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, Code::kNotFound);
}

// ---------------------------------------------------------------------------------------------
// Audit trail of member writes

TEST_F(ServicesTest, EnrolUpdateAndEraseEachLeaveOneAuditEntryNamingTheActor) {
  EnrolRequest r = Request();
  r.home_store_id = "sh-009";
  const Actor cashier = Cashier("sh-001");
  const Member m = Enrol(r, cashier);
  const Instant enrol_time = clock_.Now();
  clock_.Advance(std::chrono::minutes(1));
  MemberPatch patch;
  patch.name = "张小伟";
  patch.consent_sms = true;
  ASSERT_TRUE(members_.Update(cashier, m.member_id, patch).has_value());
  const Instant update_time = clock_.Now();
  clock_.Advance(std::chrono::minutes(1));
  ASSERT_TRUE(members_.Erase(Admin(), m.member_id).has_value());

  const auto entries = AuditFor(m.member_id);
  ASSERT_EQ(entries.size(), 3u);
  struct Expected {
    const char* action;
    Actor actor;
    Instant at;
    std::optional<std::string> store;
  };
  const Expected expected[] = {
      {"member.enrol", cashier, enrol_time, "sh-001"},  // store staff act for their store
      {"member.update", cashier, update_time, "sh-001"},
      {"member.erase", Admin(), clock_.Now(), "sh-009"},  // chain staff for the member's store
  };
  for (size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(expected[i].action);
    const AuditEntry& e = entries[i];
    EXPECT_EQ(e.action, expected[i].action);
    EXPECT_EQ(e.actor_staff_id, expected[i].actor.principal.staff_id);
    EXPECT_EQ(e.actor_role, RoleName(expected[i].actor.principal.role));
    EXPECT_EQ(e.request_id, expected[i].actor.request_id);
    EXPECT_EQ(e.at, expected[i].at);
    EXPECT_EQ(e.store_id, expected[i].store);
    EXPECT_EQ(e.target_type, "member");
    EXPECT_FALSE(e.audit_id.empty());
    // Audit details name what changed, never the personal data itself.
    for (const char* pii : {"13800138000", "张伟", "张小伟"}) {
      EXPECT_THAT(e.detail_json, Not(HasSubstr(pii)));
    }
  }
  EXPECT_EQ(entries[1].detail_json, R"({"fields":["name","consents.sms"]})");
}

// ---------------------------------------------------------------------------------------------
// StaffService: accounts

class StaffServiceTest : public ServicesTest {
 protected:
  static constexpr char kPassword[] = "a long enough passphrase";

  Principal Create(const std::string& username, Role role, std::vector<std::string> stores = {}) {
    auto p = staff_.CreateStaff(Admin(), NewStaff{username, username, role, std::move(stores)},
                                kPassword);
    EXPECT_TRUE(p.has_value()) << p.error().slug << ": " << p.error().message;
    return p.value_or(Principal{});
  }

  Result<Session> Login(const std::string& username, const std::string& password,
                        const std::string& address = "10.0.0.1") {
    return staff_.Login(username, password, address, "req-login");
  }
};

TEST_F(StaffServiceTest, AdminCreatesStaffWhoCanThenLogIn) {
  const Principal p = Create("zhang.wei", Role::kCashier, {"sh-001"});
  EXPECT_EQ(p.username, "zhang.wei");
  EXPECT_EQ(p.role, Role::kCashier);
  EXPECT_THAT(p.store_ids, ElementsAre("sh-001"));
  EXPECT_TRUE(std::regex_match(p.staff_id, std::regex("[0-9a-f]{24}"))) << p.staff_id;

  auto account = staff_repo_.FindByUsername("zhang.wei");
  ASSERT_TRUE(account.has_value() && account->has_value());
  EXPECT_EQ((*account)->password_phc, hasher_.Hash(kPassword));  // stored hashed
  EXPECT_NE((*account)->password_phc, kPassword);

  const auto entries = AuditFor(p.staff_id);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].action, "staff.create");
  EXPECT_EQ(entries[0].actor_staff_id, Admin().principal.staff_id);
  EXPECT_EQ(entries[0].store_id, "sh-001");
  EXPECT_THAT(entries[0].detail_json, HasSubstr("\"role\":\"cashier\""));
  EXPECT_THAT(entries[0].detail_json, Not(HasSubstr(kPassword)));

  EXPECT_TRUE(Login("zhang.wei", kPassword).has_value());
}

TEST_F(StaffServiceTest, OnlyAdminCreatesStaff) {
  for (const Actor& who :
       {Cashier(), As(Role::kStoreManager, {"sh-001"}), As(Role::kMarketer), As(Role::kAuditor)}) {
    SCOPED_TRACE(RoleName(who.principal.role));
    auto p =
        staff_.CreateStaff(who, NewStaff{"new.cashier", "", Role::kCashier, {"sh-001"}}, kPassword);
    ASSERT_FALSE(p.has_value());
    EXPECT_EQ(p.error().code, Code::kPermissionDenied);
  }
  EXPECT_FALSE(staff_repo_.FindByUsername("new.cashier")->has_value());
  EXPECT_THAT(audit_.Entries(), IsEmpty());
}

TEST_F(StaffServiceTest, BadAccountsAndTakenUsernamesAreRefused) {
  Create("zhang.wei", Role::kCashier, {"sh-001"});
  struct Case {
    NewStaff staff;
    std::string password;
    Code code;
    const char* slug;
  };
  const std::vector<Case> cases = {
      {{"Zhang", "", Role::kCashier, {"sh-001"}},
       kPassword,
       Code::kInvalidArgument,
       "invalid_username"},
      {{"li.na", "", Role::kCashier, {}}, kPassword, Code::kInvalidArgument, "store_required"},
      {{"li.na", "", Role::kCashier, {"sh-001"}}, "short", Code::kInvalidArgument, "weak_password"},
      {{"zhang.wei", "", Role::kAuditor, {}},
       kPassword,
       Code::kAlreadyExists,
       "duplicate_username"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.slug);
    auto p = staff_.CreateStaff(Admin(), c.staff, c.password);
    ASSERT_FALSE(p.has_value());
    EXPECT_EQ(p.error().code, c.code);
    EXPECT_EQ(p.error().slug, c.slug);
  }
  // The taken username still logs in with its own password.
  EXPECT_TRUE(Login("zhang.wei", kPassword).has_value());
}

// ---------------------------------------------------------------------------------------------
// StaffService: login, sessions, throttling

TEST_F(StaffServiceTest, LoginGivesAFreshTokenThatAuthenticatesAndIsStoredOnlyAsDigest) {
  const Principal p = Create("zhang.wei", Role::kCashier, {"sh-001"});
  auto session = Login("zhang.wei", kPassword);
  ASSERT_TRUE(session.has_value()) << session.error().message;
  EXPECT_TRUE(std::regex_match(session->token, std::regex("[0-9a-f]{64}"))) << session->token;
  EXPECT_EQ(session->expires_at, clock_.Now() + std::chrono::hours(12));
  EXPECT_EQ(session->principal.staff_id, p.staff_id);

  auto who = staff_.Authenticate(session->token);
  ASSERT_TRUE(who.has_value()) << who.error().message;
  EXPECT_EQ(who->staff_id, p.staff_id);
  EXPECT_EQ(who->role, Role::kCashier);
  EXPECT_THAT(who->store_ids, ElementsAre("sh-001"));

  EXPECT_FALSE(staff_repo_.HasSessionKey(session->token));
  EXPECT_TRUE(staff_repo_.HasSessionKey(hasher_.TokenDigest(session->token)));

  auto second = Login("zhang.wei", kPassword);
  ASSERT_TRUE(second.has_value());
  EXPECT_NE(second->token, session->token);

  const auto logins = AuditFor(p.staff_id);
  ASSERT_EQ(logins.size(), 3u);  // create, login, login
  EXPECT_EQ(logins[1].action, "auth.login");
  EXPECT_EQ(logins[1].actor_staff_id, p.staff_id);
  EXPECT_EQ(logins[1].request_id, "req-login");
}

TEST_F(StaffServiceTest, WrongPasswordAndUnknownUserGetTheSameAnswer) {
  Create("zhang.wei", Role::kCashier, {"sh-001"});
  const int verifies_before = hasher_.verify_calls();
  auto wrong = Login("zhang.wei", "not the passphrase", "10.0.0.1");
  auto unknown = Login("nobody", kPassword, "10.0.0.2");
  ASSERT_FALSE(wrong.has_value());
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(wrong.error().code, Code::kUnauthenticated);
  EXPECT_EQ(wrong.error().slug, "bad_credentials");
  EXPECT_EQ(unknown.error().code, wrong.error().code);
  EXPECT_EQ(unknown.error().slug, wrong.error().slug);
  EXPECT_EQ(unknown.error().message, wrong.error().message);
  // An unknown user still costs one password verification, so timing does not tell either.
  EXPECT_EQ(hasher_.verify_calls() - verifies_before, 2);
  EXPECT_EQ(staff_repo_.SessionCount(), 0u);
}

TEST_F(StaffServiceTest, DeactivatedStaffCannotLogInAndTheirSessionsStopWorking) {
  Create("zhang.wei", Role::kCashier, {"sh-001"});
  auto session = Login("zhang.wei", kPassword);
  ASSERT_TRUE(session.has_value());
  staff_repo_.SetActive("zhang.wei", false);
  auto login = Login("zhang.wei", kPassword);
  ASSERT_FALSE(login.has_value());
  EXPECT_EQ(login.error().slug, "bad_credentials");
  auto who = staff_.Authenticate(session->token);
  ASSERT_FALSE(who.has_value());
  EXPECT_EQ(who.error().code, Code::kUnauthenticated);
}

TEST_F(StaffServiceTest, SixthAttemptAfterFiveFailuresIsRefusedEvenWithTheRightPassword) {
  Create("zhang.wei", Role::kCashier, {"sh-001"});
  for (int i = 0; i < 5; ++i) {
    SCOPED_TRACE(i);
    auto failed = Login("zhang.wei", "guess number " + std::to_string(i));
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error().slug, "bad_credentials");
  }
  clock_.Advance(std::chrono::minutes(1));
  auto refused = Login("zhang.wei", kPassword);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, Code::kResourceExhausted);
  EXPECT_EQ(refused.error().slug, "too_many_attempts");
  ASSERT_NE(refused.error().Detail("retry_after"), nullptr);
  EXPECT_EQ(*refused.error().Detail("retry_after"), "840");  // 15 min window, 1 min gone
  EXPECT_EQ(staff_repo_.SessionCount(), 0u);

  // Also from another till: the username itself is throttled.
  auto elsewhere = Login("zhang.wei", kPassword, "10.9.9.9");
  ASSERT_FALSE(elsewhere.has_value());
  EXPECT_EQ(elsewhere.error().slug, "too_many_attempts");

  clock_.Advance(std::chrono::minutes(13) + std::chrono::seconds(59));
  auto almost = Login("zhang.wei", kPassword);
  ASSERT_FALSE(almost.has_value());
  EXPECT_EQ(almost.error().slug, "too_many_attempts");
  EXPECT_EQ(*almost.error().Detail("retry_after"), "1");
  clock_.Advance(std::chrono::seconds(1));  // the window has passed
  auto ok = Login("zhang.wei", kPassword);
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
}

TEST_F(StaffServiceTest, SuccessfulLoginForgivesEarlierFailures) {
  Create("zhang.wei", Role::kCashier, {"sh-001"});
  for (int i = 0; i < 4; ++i)
    ASSERT_FALSE(Login("zhang.wei", "wrong", "10.0.0." + std::to_string(i)));
  ASSERT_TRUE(Login("zhang.wei", kPassword, "10.0.0.9").has_value());
  for (int i = 0; i < 4; ++i)
    ASSERT_FALSE(Login("zhang.wei", "wrong", "10.0.1." + std::to_string(i)));
  EXPECT_TRUE(Login("zhang.wei", kPassword, "10.0.1.9").has_value());
}

TEST_F(StaffServiceTest, OneAddressTryingManyUsernamesIsThrottled) {
  Create("zhang.wei", Role::kCashier, {"sh-001"});
  for (int i = 0; i < 5; ++i) {
    ASSERT_FALSE(Login("user" + std::to_string(i), kPassword, "203.0.113.7").has_value());
  }
  auto refused = Login("zhang.wei", kPassword, "203.0.113.7");
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().slug, "too_many_attempts");
  // Other addresses are not affected.
  EXPECT_TRUE(Login("zhang.wei", kPassword, "10.0.0.1").has_value());
}

TEST_F(StaffServiceTest, LogoutRevokesTheToken) {
  const Principal p = Create("zhang.wei", Role::kCashier, {"sh-001"});
  auto session = Login("zhang.wei", kPassword);
  ASSERT_TRUE(session.has_value());
  auto other = Login("zhang.wei", kPassword);
  ASSERT_TRUE(other.has_value());

  ASSERT_TRUE(staff_.Logout(session->token, "req-logout").has_value());
  auto who = staff_.Authenticate(session->token);
  ASSERT_FALSE(who.has_value());
  EXPECT_EQ(who.error().code, Code::kUnauthenticated);
  EXPECT_EQ(who.error().slug, "unauthenticated");
  // Logging out twice is an unauthenticated request, not a crash or a success.
  auto twice = staff_.Logout(session->token, "req-logout-2");
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().code, Code::kUnauthenticated);
  // Other sessions of the same person stay valid.
  EXPECT_TRUE(staff_.Authenticate(other->token).has_value());

  const auto entries = AuditFor(p.staff_id);
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.back().action, "auth.logout");
  EXPECT_EQ(entries.back().request_id, "req-logout");
  EXPECT_EQ(std::count_if(entries.begin(), entries.end(),
                          [](const AuditEntry& e) { return e.action == "auth.logout"; }),
            1);
}

TEST_F(StaffServiceTest, SessionExpiresAfterItsTimeToLive) {
  Create("zhang.wei", Role::kCashier, {"sh-001"});
  auto session = Login("zhang.wei", kPassword);
  ASSERT_TRUE(session.has_value());
  clock_.Advance(std::chrono::hours(12) - std::chrono::seconds(1));
  EXPECT_TRUE(staff_.Authenticate(session->token).has_value());
  clock_.Advance(std::chrono::seconds(1));
  auto who = staff_.Authenticate(session->token);
  ASSERT_FALSE(who.has_value());
  EXPECT_EQ(who.error().code, Code::kUnauthenticated);
  auto logout = staff_.Logout(session->token, "req");
  ASSERT_FALSE(logout.has_value());
  EXPECT_EQ(logout.error().code, Code::kUnauthenticated);
}

TEST_F(StaffServiceTest, MalformedOrUnknownTokensAreUnauthenticated) {
  Create("zhang.wei", Role::kCashier, {"sh-001"});
  auto session = Login("zhang.wei", kPassword);
  ASSERT_TRUE(session.has_value());
  std::string flipped = session->token;
  flipped[10] = flipped[10] == 'a' ? 'b' : 'a';
  for (const std::string& token :
       {std::string(), std::string("abc"), session->token + "0", session->token.substr(1), flipped,
        std::string(64, '0'), hasher_.TokenDigest(session->token)}) {
    SCOPED_TRACE(token);
    auto who = staff_.Authenticate(token);
    ASSERT_FALSE(who.has_value());
    EXPECT_EQ(who.error().code, Code::kUnauthenticated);
    EXPECT_EQ(who.error().slug, "unauthenticated");
  }
}

// ---------------------------------------------------------------------------------------------
// StaffService: reading the audit log

TEST_F(StaffServiceTest, StoreManagerReadsOnlyItsStoresEntriesWhateverItAsksFor) {
  // Entries in three stores and one without a store.
  Enrol(Request("+8613800138000"), Cashier("sh-001"));
  Enrol(Request("+8613800138001"), Cashier("sh-002"));
  Enrol(Request("+8613800138002"), Cashier("bj-001"));
  Enrol(Request("+8613800138003"), Admin());  // no home store: a chain-wide entry
  ASSERT_EQ(audit_.Entries().size(), 4u);

  const Actor manager = As(Role::kStoreManager, {"sh-001", "sh-002"}, "mgr");
  auto stores_of = [](const std::vector<AuditEntry>& entries) {
    std::vector<std::string> out;
    for (const auto& e : entries) out.push_back(e.store_id.value_or("(none)"));
    std::sort(out.begin(), out.end());
    return out;
  };
  std::vector<AuditFilter> asks(4);
  asks[1].store_ids = std::vector<std::string>{"bj-001"};
  asks[2].store_ids = std::vector<std::string>{"bj-001", "sh-001"};
  asks[3].store_ids = std::vector<std::string>{};
  for (const AuditFilter& ask : asks) {
    auto entries = staff_.AuditLog(manager, ask);
    ASSERT_TRUE(entries.has_value()) << entries.error().message;
    EXPECT_THAT(stores_of(*entries), ElementsAre("sh-001", "sh-002"));
  }

  auto all = staff_.AuditLog(Admin(), AuditFilter{});
  ASSERT_TRUE(all.has_value());
  EXPECT_THAT(stores_of(*all), ElementsAre("(none)", "bj-001", "sh-001", "sh-002"));
  AuditFilter bj;
  bj.store_ids = std::vector<std::string>{"bj-001"};
  auto only_bj = staff_.AuditLog(As(Role::kAuditor), bj);
  ASSERT_TRUE(only_bj.has_value());
  EXPECT_THAT(stores_of(*only_bj), ElementsAre("bj-001"));
}

TEST_F(StaffServiceTest, AuditLogNeedsThePermissionAndASaneLimit) {
  for (const Actor& who : {Cashier(), As(Role::kMarketer)}) {
    auto entries = staff_.AuditLog(who, AuditFilter{});
    ASSERT_FALSE(entries.has_value());
    EXPECT_EQ(entries.error().code, Code::kPermissionDenied);
  }
  for (int limit : {0, -1, 501}) {
    SCOPED_TRACE(limit);
    AuditFilter f;
    f.limit = limit;
    auto entries = staff_.AuditLog(Admin(), f);
    ASSERT_FALSE(entries.has_value());
    EXPECT_EQ(entries.error().code, Code::kInvalidArgument);
    EXPECT_EQ(entries.error().slug, "invalid_limit");
  }
  for (int i = 0; i < 3; ++i) {
    Enrol(Request("+861380013800" + std::to_string(i)));
    clock_.Advance(std::chrono::seconds(1));
  }
  AuditFilter two;
  two.limit = 2;
  auto page = staff_.AuditLog(Admin(), two);
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_GT((*page)[0].at, (*page)[1].at);  // newest first
  AuditFilter next;
  next.before_audit_id = page->back().audit_id;
  auto rest = staff_.AuditLog(Admin(), next);
  ASSERT_TRUE(rest.has_value());
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_LT((*rest)[0].at, (*page)[1].at);
}

}  // namespace
}  // namespace loyalty
