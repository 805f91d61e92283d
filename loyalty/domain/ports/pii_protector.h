// Port: encryption at rest for personal data, and blind indexes so it can still be looked up.
#pragma once

#include <string>
#include <string_view>

#include "loyalty/common/error.h"

namespace loyalty {

class PiiProtector {
 public:
  virtual ~PiiProtector() = default;
  // Authenticated encryption of `plaintext`; a fresh nonce each call, so equal inputs differ.
  virtual std::string Encrypt(std::string_view plaintext) const = 0;
  // Fails with kInternal (data_corrupt) if the ciphertext was altered or the key is wrong.
  virtual Result<std::string> Decrypt(std::string_view ciphertext) const = 0;
  // Deterministic keyed hash of a normalised value, domain-separated by `kind` ("phone",
  // "email"), so equal values match without the database ever seeing the value.
  virtual std::string BlindIndex(std::string_view kind, std::string_view normalized) const = 0;
};

}  // namespace loyalty
