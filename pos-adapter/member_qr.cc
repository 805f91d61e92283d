// Member QR tokens: HMAC over (member id, 30-second step), checked within one step either way.
#include "pos-adapter/member_qr.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <chrono>
#include <optional>

namespace loyalty::pos {
namespace {

constexpr std::string_view kDomain = "loyalty-member-qr/v1";
constexpr char kBase32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr size_t kMaxStepDigits = 12;  // steps of 30 s reach year 30000 well within 12 digits

bool IsMemberIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool ValidMemberId(std::string_view id) {
  if (id.empty() || id.size() > kMemberQrMaxMemberIdChars) return false;
  for (char c : id) {
    if (!IsMemberIdChar(c)) return false;
  }
  return true;
}

tl::unexpected<Error> KeyMissing() {
  return Fail(Code::kFailedPrecondition, "qr_key_missing",
              "the member QR key is not configured or shorter than " +
                  std::to_string(kMemberQrMinKeyBytes) + " bytes");
}

tl::unexpected<Error> Invalid(std::string message) {
  return InvalidField("qr_token", "invalid_qr_token", std::move(message));
}

// 80 bits of HMAC-SHA256 as 16 base32 characters.
std::string Tag(std::string_view key, std::string_view member_id, int64_t step) {
  std::string message(kDomain);
  message += '\0';
  message += member_id;
  message += '\0';
  const auto ustep = static_cast<uint64_t>(step);
  for (int shift = 56; shift >= 0; shift -= 8) message += static_cast<char>(ustep >> shift);

  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(), &len);

  std::string tag;
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; tag.size() < kMemberQrTagChars; ++i) {
    acc = (acc << 8) | mac[i];
    bits += 8;
    while (bits >= 5 && tag.size() < kMemberQrTagChars) {
      bits -= 5;
      tag += kBase32[(acc >> bits) & 31];
    }
  }
  return tag;
}

std::optional<int64_t> ParseStep(std::string_view s) {
  if (s.empty() || s.size() > kMaxStepDigits) return std::nullopt;
  if (s.size() > 1 && s[0] == '0') return std::nullopt;  // one spelling per token
  int64_t step = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    step = step * 10 + (c - '0');
  }
  return step;
}

}  // namespace

int64_t MemberQrStep(Instant t) {
  const int64_t seconds = std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
  int64_t step = seconds / kMemberQrStepSeconds;
  if (seconds % kMemberQrStepSeconds < 0) --step;
  return step;
}

Result<std::string> IssueMemberQrToken(std::string_view key, std::string_view member_id,
                                       Instant now) {
  if (key.size() < kMemberQrMinKeyBytes) return KeyMissing();
  if (!ValidMemberId(member_id)) {
    return InvalidField("member_id", "invalid_member_id",
                        "a member id for a QR token is 1-64 characters of A-Z, a-z, 0-9, _ or -");
  }
  const int64_t step = MemberQrStep(now);
  if (step < 0) {
    return Fail(Code::kFailedPrecondition, "qr_clock_invalid",
                "the server clock is before 1970; QR tokens cannot be issued");
  }
  return std::string(kMemberQrPrefix) + std::string(member_id) + "." + std::to_string(step) + "." +
         Tag(key, member_id, step);
}

Result<MemberQrClaim> VerifyMemberQrToken(std::string_view key, std::string_view token,
                                          Instant now) {
  if (key.size() < kMemberQrMinKeyBytes) return KeyMissing();
  constexpr std::string_view kNotOurs =
      "not a member QR token (expected M1.<member>.<step>.<tag>); ask the member to show the QR "
      "on the card page of the portal";
  if (!token.starts_with(kMemberQrPrefix)) return Invalid(std::string(kNotOurs));
  std::string_view rest = token.substr(kMemberQrPrefix.size());

  const size_t dot1 = rest.find('.');
  if (dot1 == std::string_view::npos) return Invalid(std::string(kNotOurs));
  const std::string_view member_id = rest.substr(0, dot1);
  rest.remove_prefix(dot1 + 1);
  const size_t dot2 = rest.find('.');
  if (dot2 == std::string_view::npos) return Invalid(std::string(kNotOurs));
  const std::string_view step_text = rest.substr(0, dot2);
  const std::string_view tag = rest.substr(dot2 + 1);

  const std::optional<int64_t> step = ParseStep(step_text);
  if (!ValidMemberId(member_id) || !step || tag.size() != kMemberQrTagChars) {
    return Invalid(std::string(kNotOurs));
  }

  // The tag is checked before the time so only genuine tokens are ever called "expired".
  const std::string expected = Tag(key, member_id, *step);
  if (CRYPTO_memcmp(expected.data(), tag.data(), kMemberQrTagChars) != 0) {
    return Invalid("the QR token was not issued by this program (altered or forged)");
  }
  const int64_t current = MemberQrStep(now);
  if (*step < current - 1) {
    Error e{Code::kFailedPrecondition,
            "expired_qr_token",
            "the QR token has expired; ask the member to reopen the card page (screenshots stop "
            "working after a minute)",
            {}};
    e.With("field", "qr_token");
    return Fail(std::move(e));
  }
  if (*step > current + 1) {
    return Invalid("the QR token is dated in the future; check the server clocks (NTP)");
  }
  return MemberQrClaim{std::string(member_id), *step};
}

}  // namespace loyalty::pos
