// Fuzzes what terminals send before they are trusted: Signature-Input, Signature, Content-Digest
// and scanned member QR tokens. Input lines: signature-input \n signature \n content-digest \n
// qr token. Parsed Structured Fields must re-serialize to a fixed point, and every failure must be
// an input error, never kInternal or a crash.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "pos-adapter/content_digest.h"
#include "pos-adapter/http_signature.h"
#include "pos-adapter/member_qr.h"

namespace {

using namespace loyalty;
using namespace loyalty::pos;

constexpr int64_t kNow = 1767225600;
constexpr std::string_view kQrKey = "member-qr-fuzz-key-0123456789";

std::string_view NextLine(std::string_view& rest) {
  const size_t end = rest.find('\n');
  std::string_view line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  return line;
}

std::string Serialize(const sf::Dictionary& dict) {
  std::string out;
  for (const auto& [key, member] : dict) {
    if (!out.empty()) out += ", ";
    out += key;
    if (member.is_inner_list) {
      out += "=" + sf::SerializeInnerList(member.list, member.params);
      continue;
    }
    if (!(member.item.type == sf::Item::Type::kBoolean && member.item.boolean)) {
      out += "=" + sf::SerializeItem(member.item);
    }
    out += sf::SerializeParameters(member.params);
  }
  return out;
}

void CheckDictionaryFixedPoint(std::string_view value) {
  auto dict = sf::ParseDictionary(value, "F", "bad");
  if (!dict) {
    FUZZ_CHECK(dict.error().code == Code::kInvalidArgument);
    return;
  }
  const std::string once = Serialize(*dict);
  if (once.size() > sf::kMaxFieldBytes) return;  // base64 re-encoding may grow past the cap
  auto again = sf::ParseDictionary(once, "F", "bad");
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(Serialize(*again) == once);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  const std::string_view input = NextLine(rest);
  const std::string_view signature = NextLine(rest);
  const std::string_view digest = NextLine(rest);
  const std::string_view qr = NextLine(rest);

  CheckDictionaryFixedPoint(input);
  CheckDictionaryFixedPoint(signature);

  auto digest_ok = VerifyContentDigest(digest, "{}");
  if (!digest_ok) FUZZ_CHECK(digest_ok.error().code == Code::kInvalidArgument);

  HttpRequest request;
  request.method = "POST";
  request.scheme = "http";
  request.authority = "localhost";
  request.path = "/v1/pos/quotes";
  request.body = "{}";
  request.headers = {{"Content-Digest", std::string(digest)},
                     {"Content-Type", "application/json"},
                     {"Signature-Input", std::string(input)},
                     {"Signature", std::string(signature)}};
  auto lookup = [](std::string_view keyid) -> std::optional<TerminalKeys> {
    if (keyid == "S1-T1") return TerminalKeys{"demo-key-S1-T1", std::string("old-key-S1-T1")};
    return std::nullopt;
  };
  auto verified = VerifyRequestSignature(request, lookup, Instant(std::chrono::seconds(kNow)));
  if (verified) {
    FUZZ_CHECK(verified->keyid == "S1-T1");
    FUZZ_CHECK(!verified->nonce.empty());
  } else {
    FUZZ_CHECK(verified.error().code != Code::kInternal);
  }

  auto claim = VerifyMemberQrToken(kQrKey, qr, Instant(std::chrono::seconds(kNow)));
  if (claim) {
    auto reissued = IssueMemberQrToken(kQrKey, claim->member_id,
                                       Instant(std::chrono::seconds(claim->step * 30)));
    FUZZ_CHECK(reissued.has_value() && *reissued == qr);
  } else {
    FUZZ_CHECK(claim.error().code != Code::kInternal);
  }
  return 0;
}
