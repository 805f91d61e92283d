// Member enrolment and edit rules.
#include "loyalty/domain/member.h"

#include "loyalty/common/time_format.h"
#include "loyalty/common/utf8.h"
#include "loyalty/domain/email.h"
#include "loyalty/domain/phone.h"
#include "loyalty/domain/store_id.h"

namespace loyalty {
namespace {

constexpr size_t kMaxNameCharacters = 40;

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

Result<std::string> ValidName(std::string_view raw) {
  std::string name = Trim(raw);
  if (name.empty()) return InvalidField("name", "invalid_name", "name is required");
  const auto length = CountPrintableCodePoints(name);
  if (!length) {
    return InvalidField("name", "invalid_name",
                        "name must be UTF-8 text without control characters");
  }
  if (*length > kMaxNameCharacters) {
    return InvalidField("name", "invalid_name", "name is longer than 40 characters");
  }
  return name;
}

Result<std::optional<date::year_month_day>> ValidBirthday(std::string_view raw,
                                                          date::year_month_day today) {
  if (raw.empty()) return std::optional<date::year_month_day>{};
  auto d = ParseDate(raw);
  if (!d) {
    return InvalidField("birthday", "invalid_birthday",
                        "birthday must be a real date written YYYY-MM-DD, e.g. 1990-05-17");
  }
  if (date::sys_days(*d) > date::sys_days(today) || d->year() < date::year{1900}) {
    return InvalidField("birthday", "invalid_birthday",
                        "birthday must be between 1900-01-01 and today");
  }
  return std::optional<date::year_month_day>{*d};
}

}  // namespace

const char* ConsentChannelName(ConsentChannel c) {
  switch (c) {
    case ConsentChannel::kSms: return "sms";
    case ConsentChannel::kEmail: return "email";
    case ConsentChannel::kWechat: return "wechat";
  }
  return "?";
}

std::optional<ConsentChannel> ParseConsentChannel(const std::string& name) {
  for (ConsentChannel c : kConsentChannels) {
    if (name == ConsentChannelName(c)) return c;
  }
  return std::nullopt;
}

bool Consents::Get(ConsentChannel c) const {
  return c == ConsentChannel::kSms ? sms : c == ConsentChannel::kEmail ? email : wechat;
}

void Consents::Set(ConsentChannel c, bool value) {
  (c == ConsentChannel::kSms ? sms : c == ConsentChannel::kEmail ? email : wechat) = value;
}

const char* MemberStatusName(MemberStatus s) {
  return s == MemberStatus::kActive ? "active" : "erased";
}

bool MemberPatch::Empty() const {
  return !phone && !email && !name && !birthday && !home_store_id && !consent_sms &&
         !consent_email && !consent_wechat;
}

Result<Member> NewMember(const EnrolRequest& request, date::year_month_day today) {
  Member m;
  auto phone = NormalizePhone(request.phone);
  if (!phone) return Fail(phone.error());
  m.phone = *phone;
  if (request.email && !request.email->empty()) {
    auto email = NormalizeEmail(*request.email);
    if (!email) return Fail(email.error());
    m.email = *email;
  }
  auto name = ValidName(request.name);
  if (!name) return Fail(name.error());
  m.name = *name;
  auto birthday = ValidBirthday(request.birthday.value_or(""), today);
  if (!birthday) return Fail(birthday.error());
  m.birthday = *birthday;
  if (request.home_store_id) {
    auto store = ValidStoreId(*request.home_store_id, "home_store_id");
    if (!store) return Fail(store.error());
    m.home_store_id = *store;
  }
  m.consents = request.consents;
  return m;
}

Result<std::vector<ConsentChannel>> ApplyPatch(Member& member, const MemberPatch& patch,
                                               date::year_month_day today) {
  if (member.status == MemberStatus::kErased) {
    return Fail(Code::kFailedPrecondition, "member_erased",
                "this member was erased at their request and cannot be edited");
  }
  if (patch.Empty()) {
    return Fail(Code::kInvalidArgument, "empty_patch",
                "nothing to change: send at least one of phone, email, name, birthday, "
                "home_store_id, consents");
  }
  Member next = member;
  if (patch.phone) {
    auto phone = NormalizePhone(*patch.phone);
    if (!phone) return Fail(phone.error());
    next.phone = *phone;
  }
  if (patch.email) {
    if (patch.email->empty()) {
      next.email.reset();
    } else {
      auto email = NormalizeEmail(*patch.email);
      if (!email) return Fail(email.error());
      next.email = *email;
    }
  }
  if (patch.name) {
    auto name = ValidName(*patch.name);
    if (!name) return Fail(name.error());
    next.name = *name;
  }
  if (patch.birthday) {
    auto birthday = ValidBirthday(*patch.birthday, today);
    if (!birthday) return Fail(birthday.error());
    next.birthday = *birthday;
  }
  if (patch.home_store_id) {
    auto store = ValidStoreId(*patch.home_store_id, "home_store_id");
    if (!store) return Fail(store.error());
    next.home_store_id = *store;
  }
  std::vector<ConsentChannel> changed;
  auto consent = [&](ConsentChannel c, const std::optional<bool>& v) {
    if (v && *v != next.consents.Get(c)) {
      next.consents.Set(c, *v);
      changed.push_back(c);
    }
  };
  consent(ConsentChannel::kSms, patch.consent_sms);
  consent(ConsentChannel::kEmail, patch.consent_email);
  consent(ConsentChannel::kWechat, patch.consent_wechat);
  member = std::move(next);
  return changed;
}

void Anonymise(Member& member) {
  member.phone.clear();
  member.email.reset();
  member.name = "";
  member.birthday.reset();
  member.consents = Consents{};
  member.status = MemberStatus::kErased;
}

}  // namespace loyalty
