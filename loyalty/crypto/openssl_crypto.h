// OpenSSL 3 adapters for the crypto ports: randomness, PII encryption, scrypt staff passwords.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/common/error.h"
#include "loyalty/domain/ports/password_hasher.h"
#include "loyalty/domain/ports/pii_protector.h"
#include "loyalty/domain/ports/random_source.h"

namespace loyalty {

using MasterKey = std::array<uint8_t, 32>;

// Parses the 64-hex-digit LOYALTY_MASTER_KEY; invalid_master_key otherwise.
Result<MasterKey> ParseMasterKey(std::string_view hex);
std::string Sha256Hex(std::string_view data);
// A key for one purpose (e.g. "loyalty/member-qr/v1"), derived from the master key with HKDF so
// only one secret is configured and no two purposes share a key.
std::array<uint8_t, 32> DeriveKey(const MasterKey& master_key, std::string_view purpose);

class OpenSslRandom final : public RandomSource {
 public:
  std::vector<uint8_t> Bytes(size_t n) override;
};

// AES-256-GCM with a random 96-bit nonce per value; blind index = HMAC-SHA256. Both keys are
// derived from the master key with HKDF so one secret is configured and they never coincide.
// Ciphertext layout: version byte 0x01 | nonce (12) | ciphertext | tag (16).
class AesGcmPiiProtector final : public PiiProtector {
 public:
  explicit AesGcmPiiProtector(const MasterKey& master_key);
  std::string Encrypt(std::string_view plaintext) const override;
  Result<std::string> Decrypt(std::string_view ciphertext) const override;
  std::string BlindIndex(std::string_view kind, std::string_view normalized) const override;

 private:
  std::array<uint8_t, 32> encryption_key_{};
  std::array<uint8_t, 32> index_key_{};
};

// scrypt via EVP_KDF, stored as "$scrypt$ln=17,r=8,p=1$<salt b64>$<hash b64>". Verify reads the
// cost from the stored string, so raising `log2_n` later keeps old hashes valid.
class ScryptPasswordHasher final : public PasswordHasher {
 public:
  explicit ScryptPasswordHasher(int log2_n = 17) : log2_n_(log2_n) {}
  std::string Hash(std::string_view password) const override;
  bool Verify(std::string_view password, std::string_view phc) const override;
  std::string TokenDigest(std::string_view token) const override { return Sha256Hex(token); }

 private:
  int log2_n_;
};

}  // namespace loyalty
