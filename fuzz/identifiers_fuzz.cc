// Fuzzes the identifier parsers fed by tills, forms and scanners: phone, e-mail, card number,
// stored and offline coupon codes. Each accepted value is canonical, so it must normalise to
// itself, and a failure must be an invalid-input error, never kInternal or a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "loyalty/crypto/offline_coupon.h"
#include "loyalty/domain/card_number.h"
#include "loyalty/domain/coupon_code.h"
#include "loyalty/domain/email.h"
#include "loyalty/domain/phone.h"

namespace {

// The key of tests/coupons/offline_coupon_test.cc, so the seeds there verify.
constexpr std::string_view kKey = "0123456789abcdef";

template <typename F>
void Idempotent(F normalize, std::string_view raw) {
  auto first = normalize(raw);
  if (!first) {
    FUZZ_CHECK(first.error().code != loyalty::Code::kInternal);
    return;
  }
  auto second = normalize(*first);
  FUZZ_CHECK(second.has_value());
  FUZZ_CHECK(*second == *first);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace loyalty;
  std::string_view raw(reinterpret_cast<const char*>(data), size);

  Idempotent([](std::string_view s) { return NormalizePhone(s); }, raw);
  Idempotent([](std::string_view s) { return NormalizeEmail(s); }, raw);
  Idempotent([](std::string_view s) { return ValidateCardNumber(s); }, raw);
  Idempotent([](std::string_view s) { return NormalizeCouponCode(s); }, raw);

  (void)LooksLikeOfflineCoupon(raw);
  auto coupon = VerifyOfflineCoupon(kKey, raw);
  if (coupon) {
    FUZZ_CHECK(coupon->code.size() == kOfflineCouponSymbols);
    auto again = VerifyOfflineCoupon(kKey, coupon->code);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == *coupon);
    FUZZ_CHECK(SignOfflineCoupon(kKey, coupon->definition_id, coupon->serial) == coupon->code);
  } else {
    FUZZ_CHECK(coupon.error().code == Code::kInvalidArgument ||
               coupon.error().code == Code::kPermissionDenied);
  }
  return 0;
}
