// Member use cases.
#include "loyalty/service/member_service.h"

#include "loyalty/service/audit_entry.h"

#include "loyalty/common/business_date.h"
#include "loyalty/common/time_format.h"
#include "loyalty/domain/card_number.h"
#include "loyalty/domain/email.h"
#include "loyalty/domain/phone.h"

namespace loyalty {
namespace {

constexpr int kCardNumberAttempts = 5;  // a collision among 9e14 numbers is already rare

std::string FieldList(const MemberPatch& p) {
  std::string out;
  auto add = [&](bool present, const char* name) {
    if (!present) return;
    out += out.empty() ? "\"" : ",\"";
    out += name;
    out += '"';
  };
  add(p.phone.has_value(), "phone");
  add(p.email.has_value(), "email");
  add(p.name.has_value(), "name");
  add(p.birthday.has_value(), "birthday");
  add(p.home_store_id.has_value(), "home_store_id");
  add(p.consent_sms.has_value(), "consents.sms");
  add(p.consent_email.has_value(), "consents.email");
  add(p.consent_wechat.has_value(), "consents.wechat");
  return "{\"fields\":[" + out + "]}";
}

std::vector<ConsentEvent> ConsentEvents(const Member& m, const std::vector<ConsentChannel>& changed,
                                        Instant at, const std::string& source) {
  std::vector<ConsentEvent> events;
  for (ConsentChannel c : changed) events.push_back({c, m.consents.Get(c), at, source});
  return events;
}

Error MemberNotFound(const std::string& what) {
  return Error{Code::kNotFound, "member_not_found", "no member with this " + what, {}};
}

}  // namespace

MemberService::MemberService(MemberPorts ports, MemberServiceOptions options)
    : ports_(ports), options_(std::move(options)) {}

Result<Member> MemberService::Enrol(const Actor& actor, const EnrolRequest& request) {
  if (auto ok = Require(actor.principal, Permission::kMembersWrite); !ok) return Fail(ok.error());
  const Instant now = ports_.clock.Now();
  auto member = NewMember(request, BusinessDate(now, options_.business_zone));
  if (!member) return member;
  member->member_id = ports_.random.NewId();
  member->created_at = member->updated_at = now;
  member->version = 1;
  std::vector<ConsentChannel> all(std::begin(kConsentChannels), std::end(kConsentChannels));
  const auto consents = ConsentEvents(*member, all, now, "enrol:" + actor.principal.staff_id);

  for (int attempt = 0;; ++attempt) {
    member->card_no = MakeCardNumber(RandomDigits());
    auto inserted = ports_.repository.Insert(Conceal(*member), consents,
                                             Audit(actor, "member.enrol", *member, "{}"));
    if (inserted) return member;
    if (inserted.error().slug != "duplicate_card") return Fail(inserted.error());
    if (attempt + 1 == kCardNumberAttempts) {
      return Fail(Code::kUnavailable, "card_number_exhausted",
                  "could not draw an unused card number; retry the enrolment");
    }
  }
}

Result<Member> MemberService::Get(const Actor& actor, const std::string& member_id) {
  if (auto ok = Require(actor.principal, Permission::kMembersRead); !ok) return Fail(ok.error());
  auto stored = Load(member_id);
  if (!stored) return Fail(stored.error());
  return Reveal(*stored);
}

Result<Member> MemberService::FindByPhone(const Actor& actor, const std::string& raw_phone) {
  if (auto ok = Require(actor.principal, Permission::kMembersRead); !ok) return Fail(ok.error());
  auto phone = NormalizePhone(raw_phone);
  if (!phone) return Fail(phone.error());
  return FoundOrNotFound(ports_.repository.FindByPhoneIndex(ports_.pii.BlindIndex("phone", *phone)),
                         "phone");
}

Result<Member> MemberService::FindByEmail(const Actor& actor, const std::string& raw_email) {
  if (auto ok = Require(actor.principal, Permission::kMembersRead); !ok) return Fail(ok.error());
  auto email = NormalizeEmail(raw_email);
  if (!email) return Fail(email.error());
  return FoundOrNotFound(ports_.repository.FindByEmailIndex(ports_.pii.BlindIndex("email", *email)),
                         "email");
}

Result<Member> MemberService::FindByCard(const Actor& actor, const std::string& raw_card) {
  if (auto ok = Require(actor.principal, Permission::kMembersRead); !ok) return Fail(ok.error());
  auto card = ValidateCardNumber(raw_card);
  if (!card) return Fail(card.error());
  auto member = FoundOrNotFound(ports_.repository.FindByCard(*card), "card number");
  // An erased member's card stays reserved for the books but must not earn or pay again.
  if (member && member->status == MemberStatus::kErased) return Fail(MemberNotFound("card number"));
  return member;
}

std::array<uint8_t, kCardNumberDigits - 1> MemberService::RandomDigits() {
  std::array<uint8_t, kCardNumberDigits - 1> digits{};
  size_t filled = 0;
  while (filled < digits.size()) {
    for (uint8_t b : ports_.random.Bytes(digits.size())) {
      // Bytes 250..255 are dropped: 250 is the largest multiple of 10 below 256, so every
      // digit stays equally likely.
      if (b < 250 && filled < digits.size()) digits[filled++] = b % 10;
    }
  }
  return digits;
}

Result<Member> MemberService::Update(const Actor& actor, const std::string& member_id,
                                     const MemberPatch& patch) {
  if (auto ok = Require(actor.principal, Permission::kMembersWrite); !ok) return Fail(ok.error());
  auto stored = LoadFresh(member_id);
  if (!stored) return Fail(stored.error());
  auto member = Reveal(*stored);
  if (!member) return member;
  const Instant now = ports_.clock.Now();
  auto changed = ApplyPatch(*member, patch, BusinessDate(now, options_.business_zone));
  if (!changed) return Fail(changed.error());
  member->updated_at = now;
  member->version += 1;
  auto written = ports_.repository.Update(
      Conceal(*member), ConsentEvents(*member, *changed, now, "staff:" + actor.principal.staff_id),
      Audit(actor, "member.update", *member, FieldList(patch)));
  ports_.cache.Invalidate(member_id);
  if (!written) return Fail(written.error());
  return member;
}

Result<MemberExport> MemberService::Export(const Actor& actor, const std::string& member_id) {
  if (auto ok = Require(actor.principal, Permission::kMembersExport); !ok) return Fail(ok.error());
  auto stored = ports_.repository.FindById(member_id);
  if (!stored) return Fail(stored.error());
  if (!*stored) return Fail(MemberNotFound("id"));
  auto member = Reveal(**stored);
  if (!member) return Fail(member.error());
  auto consents = ports_.repository.ConsentHistory(member_id);
  if (!consents) return Fail(consents.error());
  // Every staff action on the member, page by page: an export is complete or it is not one.
  std::vector<AuditEntry> actions;
  AuditFilter filter;
  filter.target_id = member_id;
  filter.limit = 500;
  for (;;) {
    auto page = ports_.audit.List(filter);
    if (!page) return Fail(page.error());
    actions.insert(actions.end(), page->begin(), page->end());
    if (static_cast<int>(page->size()) < filter.limit) break;
    filter.before_audit_id = page->back().audit_id;
  }
  // Handing over all of someone's personal data is itself on record.
  if (auto ok = ports_.audit.Append(Audit(actor, "member.export", *member, "{}")); !ok) {
    return Fail(ok.error());
  }
  return MemberExport{std::move(*member), std::move(*consents), std::move(actions)};
}

Result<Member> MemberService::Erase(const Actor& actor, const std::string& member_id) {
  if (auto ok = Require(actor.principal, Permission::kMembersErase); !ok) return Fail(ok.error());
  auto stored = LoadFresh(member_id);
  if (!stored) return Fail(stored.error());
  auto member = Reveal(*stored);
  if (!member) return member;
  if (member->status == MemberStatus::kErased) return member;
  const Instant now = ports_.clock.Now();
  std::vector<ConsentChannel> withdrawn;
  for (ConsentChannel c : kConsentChannels) {
    if (member->consents.Get(c)) withdrawn.push_back(c);
  }
  Anonymise(*member);
  member->updated_at = now;
  member->version += 1;
  auto written =
      ports_.repository.Update(Conceal(*member), ConsentEvents(*member, withdrawn, now, "erasure"),
                               Audit(actor, "member.erase", *member, "{}"));
  ports_.cache.Invalidate(member_id);
  if (!written) return Fail(written.error());
  return member;
}

Result<StoredMember> MemberService::Load(const std::string& member_id) {
  if (auto cached = ports_.cache.Get(member_id)) return *cached;
  return LoadFresh(member_id);
}

Result<StoredMember> MemberService::LoadFresh(const std::string& member_id) {
  auto found = ports_.repository.FindById(member_id);
  if (!found) return Fail(found.error());
  if (!*found) return Fail(MemberNotFound("id"));
  ports_.cache.Put(**found);
  return **found;
}

Result<Member> MemberService::FoundOrNotFound(Result<std::optional<StoredMember>> found,
                                              const char* what) {
  if (!found) return Fail(found.error());
  if (!*found) return Fail(MemberNotFound(what));
  return Reveal(**found);
}

Result<Member> MemberService::Reveal(const StoredMember& stored) const {
  Member m = stored.profile;
  auto open = [&](const std::string& cipher) -> Result<std::string> {
    if (cipher.empty()) return std::string();
    return ports_.pii.Decrypt(cipher);
  };
  auto phone = open(stored.phone_cipher);
  auto name = open(stored.name_cipher);
  if (!phone) return Fail(phone.error());
  if (!name) return Fail(name.error());
  m.phone = *phone;
  m.name = *name;
  if (stored.email_cipher) {
    auto email = open(*stored.email_cipher);
    if (!email) return Fail(email.error());
    m.email = *email;
  }
  if (stored.birthday_cipher) {
    auto birthday = open(*stored.birthday_cipher);
    if (!birthday) return Fail(birthday.error());
    m.birthday = ParseDate(*birthday);
  }
  return m;
}

StoredMember MemberService::Conceal(const Member& member) const {
  StoredMember s;
  s.profile = member;
  s.profile.phone.clear();
  s.profile.email.reset();
  s.profile.name.clear();
  s.profile.birthday.reset();
  if (!member.phone.empty()) {
    s.phone_cipher = ports_.pii.Encrypt(member.phone);
    s.phone_index = ports_.pii.BlindIndex("phone", member.phone);
  }
  if (member.email) {
    s.email_cipher = ports_.pii.Encrypt(*member.email);
    s.email_index = ports_.pii.BlindIndex("email", *member.email);
  }
  if (!member.name.empty()) s.name_cipher = ports_.pii.Encrypt(member.name);
  if (member.birthday) s.birthday_cipher = ports_.pii.Encrypt(FormatDate(*member.birthday));
  return s;
}

AuditEntry MemberService::Audit(const Actor& actor, std::string action, const Member& member,
                                std::string detail_json) const {
  // Actions by store staff belong to their store; chain-wide staff act for the member's store.
  return NewAuditEntry(actor, ports_.random, ports_.clock, std::move(action), "member",
                       member.member_id, std::move(detail_json), member.home_store_id);
}

}  // namespace loyalty
