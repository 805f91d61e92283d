// Offline coupon codes: ids and a truncated HMAC-SHA256 packed into the coupon alphabet.
#include "loyalty/crypto/offline_coupon.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "loyalty/domain/coupon_code.h"

namespace loyalty {
namespace {

constexpr size_t kPayloadSymbols = kOfflineCouponSymbols - 2;  // without marker and check
constexpr size_t kPayloadBits = kPayloadSymbols * 5;
static_assert(kPayloadBits == 64 + kOfflineCouponMacBits, "the layout fills its symbols exactly");
constexpr size_t kMacBytes = (kOfflineCouponMacBits + 7) / 8;

// The MAC input names its purpose and version, so the same store key can sign other things
// (terminal requests) without one signature ever being valid as the other.
constexpr std::string_view kMacLabel{"loyalty/offline-coupon/v1\0", 26};

using Bits = std::array<uint8_t, (kPayloadBits + 7) / 8>;

void PutBits(Bits& bits, size_t& pos, uint64_t value, size_t count) {
  for (size_t i = count; i-- > 0; ++pos) {
    if ((value >> i) & 1u) bits[pos / 8] |= static_cast<uint8_t>(0x80u >> (pos % 8));
  }
}

uint64_t GetBits(const Bits& bits, size_t& pos, size_t count) {
  uint64_t value = 0;
  for (size_t i = 0; i < count; ++i, ++pos) {
    value = (value << 1) | ((bits[pos / 8] >> (7 - pos % 8)) & 1u);
  }
  return value;
}

// The first kOfflineCouponMacBits of HMAC-SHA256, unused low bits of the last byte zeroed.
std::array<uint8_t, kMacBytes> TruncatedMac(std::string_view key, uint32_t definition_id,
                                            uint32_t serial) {
  std::string message(kMacLabel);
  for (uint32_t v : {definition_id, serial}) {
    for (int shift = 24; shift >= 0; shift -= 8) message += static_cast<char>((v >> shift) & 0xff);
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len) ||
      len < kMacBytes) {
    // HMAC over fixed-size input only fails when OpenSSL itself is broken.
    throw std::runtime_error("OpenSSL failure: HMAC");
  }
  std::array<uint8_t, kMacBytes> out{};
  std::copy(mac, mac + kMacBytes, out.begin());
  out.back() &= static_cast<uint8_t>(0xff00u >> (kOfflineCouponMacBits - 8 * (kMacBytes - 1)));
  return out;
}

tl::unexpected<Error> InvalidCode() {
  return InvalidField("code", "invalid_code",
                      "this coupon code is not valid; check it was typed correctly");
}

// Well formed, so not a typo: signed under another key, or altered with the check recomputed.
tl::unexpected<Error> Forged() {
  auto e = Fail(Code::kPermissionDenied, "forged_code",
                "this coupon is not valid at this store: it was not issued for this store, or it "
                "has been altered");
  e.value().With("field", "code");
  return e;
}

}  // namespace

std::string SignOfflineCoupon(std::string_view key, uint32_t definition_id, uint32_t serial) {
  if (key.size() < kOfflineCouponMinKeyBytes) {
    throw std::invalid_argument("offline coupon key must be at least 16 bytes");
  }
  const auto mac = TruncatedMac(key, definition_id, serial);
  Bits bits{};
  size_t pos = 0;
  PutBits(bits, pos, definition_id, 32);
  PutBits(bits, pos, serial, 32);
  for (size_t i = 0; i < kMacBytes; ++i) {
    const size_t count = std::min<size_t>(8, kOfflineCouponMacBits - 8 * i);
    PutBits(bits, pos, mac[i] >> (8 - count), count);
  }
  std::string code(1, kOfflineCouponMarker);
  pos = 0;
  for (size_t i = 0; i < kPayloadSymbols; ++i) code += kCouponAlphabet[GetBits(bits, pos, 5)];
  code += CouponCheckSymbol(code, CouponCheckDomain::kOffline);
  return code;
}

Result<OfflineCoupon> VerifyOfflineCoupon(std::string_view key, std::string_view code) {
  if (key.size() < kOfflineCouponMinKeyBytes) {
    return Fail(Code::kFailedPrecondition, "offline_key_missing",
                "this till has no offline coupon key; coupons can only be checked online");
  }
  auto symbols = ParseCouponSymbols(code);
  if (!symbols) return tl::unexpected<Error>(std::move(symbols.error()));
  const std::string& s = *symbols;
  if (s.size() != kOfflineCouponSymbols || s[0] != kOfflineCouponMarker ||
      !CouponCheckHolds(s, CouponCheckDomain::kOffline)) {
    return InvalidCode();
  }
  Bits bits{};
  size_t pos = 0;
  for (size_t i = 1; i <= kPayloadSymbols; ++i) {
    PutBits(bits, pos, static_cast<uint64_t>(CouponSymbolValue(s[i])), 5);
  }
  pos = 0;
  OfflineCoupon coupon;
  coupon.definition_id = static_cast<uint32_t>(GetBits(bits, pos, 32));
  coupon.serial = static_cast<uint32_t>(GetBits(bits, pos, 32));
  std::array<uint8_t, kMacBytes> presented{};
  for (size_t i = 0; i < kMacBytes; ++i) {
    const size_t count = std::min<size_t>(8, kOfflineCouponMacBits - 8 * i);
    presented[i] = static_cast<uint8_t>(GetBits(bits, pos, count) << (8 - count));
  }
  const auto expected = TruncatedMac(key, coupon.definition_id, coupon.serial);
  // Constant time, so a till's response time does not reveal how many MAC bits were right.
  if (CRYPTO_memcmp(presented.data(), expected.data(), kMacBytes) != 0) {
    return Forged();
  }
  coupon.code = s;
  return coupon;
}

bool LooksLikeOfflineCoupon(std::string_view raw) {
  size_t symbols = 0;
  char first = '\0';
  for (char c : raw) {
    if (c == ' ' || c == '-' || c == '\t' || c == '\r' || c == '\n') continue;
    if (symbols == 0) first = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    if (++symbols > kOfflineCouponSymbols) return false;
  }
  return symbols == kOfflineCouponSymbols && first == kOfflineCouponMarker;
}

}  // namespace loyalty
