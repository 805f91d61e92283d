// Member: the profile a chain keeps about a shopper, and the rules for enrolling and editing it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <date/date.h>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"

namespace loyalty {

enum class ConsentChannel { kSms, kEmail, kWechat };
inline constexpr ConsentChannel kConsentChannels[] = {ConsentChannel::kSms, ConsentChannel::kEmail,
                                                      ConsentChannel::kWechat};
const char* ConsentChannelName(ConsentChannel c);
std::optional<ConsentChannel> ParseConsentChannel(const std::string& name);

struct Consents {
  bool sms = false;
  bool email = false;
  bool wechat = false;
  bool Get(ConsentChannel c) const;
  void Set(ConsentChannel c, bool value);
};

enum class MemberStatus { kActive, kErased };
const char* MemberStatusName(MemberStatus s);

// A member as the service sees it: PII in plain text. Adapters encrypt it at rest.
struct Member {
  std::string member_id;
  std::string card_no;
  std::string phone;                 // E.164; empty once erased
  std::optional<std::string> email;  // normalised
  std::string name;
  std::optional<date::year_month_day> birthday;
  std::optional<std::string> home_store_id;
  Consents consents;
  std::string tier = "base";
  MemberStatus status = MemberStatus::kActive;
  Instant created_at{};
  Instant updated_at{};
  int64_t version = 0;  // bumped on every change; optimistic check on update
};

// What a cashier or the portal sends to enrol. Raw strings: Validate normalises them.
struct EnrolRequest {
  std::string phone;
  std::optional<std::string> email;
  std::string name;
  std::optional<std::string> birthday;  // "YYYY-MM-DD"
  std::optional<std::string> home_store_id;
  Consents consents;
};

// Only the fields present change; an email set to "" removes it.
struct MemberPatch {
  std::optional<std::string> phone;
  std::optional<std::string> email;
  std::optional<std::string> name;
  std::optional<std::string> birthday;  // "" removes it
  std::optional<std::string> home_store_id;
  std::optional<bool> consent_sms, consent_email, consent_wechat;
  bool Empty() const;
};

// A change of consent, kept as evidence (PIPL art. 24: who agreed to what, when, through whom).
struct ConsentEvent {
  ConsentChannel channel;
  bool granted;
  Instant at;
  std::string source;  // "enrol", "staff:<id>", "erasure"
};

// Builds a new member from a request, normalising phone/email and checking every field.
// `today` is the business date in the enrolling store's zone (birthdays may not be after it).
Result<Member> NewMember(const EnrolRequest& request, date::year_month_day today);

// Applies a patch; returns the consent changes it made so they can be recorded.
Result<std::vector<ConsentChannel>> ApplyPatch(Member& member, const MemberPatch& patch,
                                               date::year_month_day today);

// Erasure: PII gone, the member id, card number and financial history stay for the books.
void Anonymise(Member& member);

}  // namespace loyalty
