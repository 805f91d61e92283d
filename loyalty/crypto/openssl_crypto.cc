// OpenSSL 3 implementations of randomness, AES-256-GCM, HMAC blind indexes, scrypt and SHA-256.
#include "loyalty/crypto/openssl_crypto.h"

#include "loyalty/common/hex.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace loyalty {
namespace {

constexpr uint8_t kCipherVersion = 0x01;
constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;
constexpr uint64_t kScryptMaxMemory = 1ull << 30;  // N=2^17,r=8 needs 128 MiB; leave headroom

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

[[noreturn]] void Die(const char* what) {
  // OpenSSL failing on fixed-size inputs means the library is broken; continuing would be unsafe.
  throw std::runtime_error(std::string("OpenSSL failure: ") + what);
}

std::array<uint8_t, 32> Hkdf(const MasterKey& key, std::string_view info) {
  std::array<uint8_t, 32> out{};
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>("SHA256"), 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<uint8_t*>(key.data()),
                                        key.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()),
                                        info.size()),
      OSSL_PARAM_construct_end()};
  const int ok = EVP_KDF_derive(ctx, out.data(), out.size(), params);
  EVP_KDF_CTX_free(ctx);
  if (ok != 1) Die("HKDF");
  return out;
}

bool Scrypt(std::string_view password, std::string_view salt, uint64_t n, uint32_t r, uint32_t p,
            uint8_t* out, size_t out_len) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "SCRYPT", nullptr);
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  uint64_t maxmem = kScryptMaxMemory;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, const_cast<char*>(password.data()),
                                        password.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()),
                                        salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
      OSSL_PARAM_construct_end()};
  const int ok = EVP_KDF_derive(ctx, out, out_len, params);
  EVP_KDF_CTX_free(ctx);
  return ok == 1;
}

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(n);
  while (!out.empty() && out.back() == '=') out.pop_back();  // PHC strings omit padding
  return out;
}

std::optional<std::string> Unbase64(std::string text) {
  while (text.size() % 4 != 0) text += '=';
  if (text.size() > 1024) return std::nullopt;
  std::string out(3 * text.size() / 4, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  size_t padding = 0;
  for (auto it = text.rbegin(); it != text.rend() && *it == '='; ++it) ++padding;
  out.resize(n - padding);
  return out;
}

}  // namespace

Result<MasterKey> ParseMasterKey(std::string_view hex) {
  const auto bytes = HexDecode(hex);
  if (!bytes || bytes->size() != MasterKey().size()) {
    return Fail(Code::kInvalidArgument, "invalid_master_key",
                "LOYALTY_MASTER_KEY must be 64 hex digits (e.g. from `openssl rand -hex 32`)");
  }
  MasterKey key{};
  std::copy(bytes->begin(), bytes->end(), key.begin());
  return key;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) != 1) {
    Die("SHA-256");
  }
  return HexEncode(std::string_view(reinterpret_cast<char*>(digest), len));
}

std::vector<uint8_t> OpenSslRandom::Bytes(size_t n) {
  std::vector<uint8_t> out(n);
  if (RAND_bytes(out.data(), static_cast<int>(n)) != 1) {
    // Without randomness ids and tokens would be guessable; refusing to run is the safe outcome.
    std::abort();
  }
  return out;
}

std::array<uint8_t, 32> DeriveKey(const MasterKey& master_key, std::string_view purpose) {
  return Hkdf(master_key, purpose);
}

AesGcmPiiProtector::AesGcmPiiProtector(const MasterKey& master_key)
    : encryption_key_(Hkdf(master_key, "loyalty/pii/aes-256-gcm/v1")),
      index_key_(Hkdf(master_key, "loyalty/pii/blind-index/v1")) {}

std::string AesGcmPiiProtector::Encrypt(std::string_view plaintext) const {
  std::string out(1 + kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  bytes[0] = kCipherVersion;
  if (RAND_bytes(bytes + 1, kNonceBytes) != 1) std::abort();
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, encryption_key_.data(),
                         bytes + 1) != 1 ||
      EVP_EncryptUpdate(ctx.get(), bytes + 1 + kNonceBytes, &len,
                        reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), bytes + 1 + kNonceBytes + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                          bytes + 1 + kNonceBytes + plaintext.size()) != 1) {
    Die("AES-GCM encrypt");
  }
  return out;
}

Result<std::string> AesGcmPiiProtector::Decrypt(std::string_view ciphertext) const {
  auto corrupt = [] {
    return Fail(Code::kInternal, "data_corrupt",
                "stored personal data cannot be decrypted (altered, or a different master key)");
  };
  if (ciphertext.size() < 1 + kNonceBytes + kTagBytes ||
      static_cast<uint8_t>(ciphertext[0]) != kCipherVersion) {
    return corrupt();
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(ciphertext.data());
  const size_t body = ciphertext.size() - 1 - kNonceBytes - kTagBytes;
  std::string out(body, '\0');
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  const bool ok =
      ctx &&
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, encryption_key_.data(),
                         bytes + 1) == 1 &&
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len,
                        bytes + 1 + kNonceBytes, static_cast<int>(body)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes,
                          const_cast<unsigned char*>(bytes + 1 + kNonceBytes + body)) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len, &len) == 1;
  if (!ok) return corrupt();
  return out;
}

std::string AesGcmPiiProtector::BlindIndex(std::string_view kind,
                                           std::string_view normalized) const {
  std::string message(kind);
  message += '\0';  // separator that cannot occur in either part
  message += normalized;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), index_key_.data(), index_key_.size(),
            reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len)) {
    Die("HMAC");
  }
  return std::string(reinterpret_cast<char*>(mac), len);
}

std::string ScryptPasswordHasher::Hash(std::string_view password) const {
  const auto salt_bytes = OpenSslRandom().Bytes(16);
  const std::string salt(salt_bytes.begin(), salt_bytes.end());
  uint8_t hash[32];
  if (!Scrypt(password, salt, uint64_t{1} << log2_n_, 8, 1, hash, sizeof hash)) Die("scrypt");
  return "$scrypt$ln=" + std::to_string(log2_n_) + ",r=8,p=1$" + Base64(salt) + "$" +
         Base64(std::string_view(reinterpret_cast<char*>(hash), sizeof hash));
}

bool ScryptPasswordHasher::Verify(std::string_view password, std::string_view phc) const {
  int ln = 0, r = 0, p = 0;
  char salt_b64[65] = {}, hash_b64[129] = {};
  const std::string text(phc);
  if (std::sscanf(text.c_str(), "$scrypt$ln=%d,r=%d,p=%d$%64[^$]$%128s", &ln, &r, &p, salt_b64,
                  hash_b64) != 5 ||
      ln < 10 || ln > 19 || r < 1 || r > 32 || p < 1 || p > 4) {
    return false;
  }
  const auto salt = Unbase64(salt_b64);
  const auto expected = Unbase64(hash_b64);
  // Hash() always writes a 16-byte salt and a 32-byte hash; a shorter stored hash would let a
  // wrong password match its first bytes.
  if (!salt || salt->size() != 16 || !expected || expected->size() != 32) return false;
  uint8_t actual[32];
  if (!Scrypt(password, *salt, uint64_t{1} << ln, r, p, actual, expected->size())) return false;
  return CRYPTO_memcmp(actual, expected->data(), expected->size()) == 0;
}

}  // namespace loyalty
