// Port: slow salted password hashing for staff (scrypt in crypto/), stored as a PHC string.
#pragma once

#include <string>
#include <string_view>

namespace loyalty {

class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  virtual std::string Hash(std::string_view password) const = 0;
  // False for a wrong password and for a malformed stored hash; constant-time comparison.
  virtual bool Verify(std::string_view password, std::string_view phc) const = 0;
  // A one-way token digest (sessions are stored hashed): hex SHA-256.
  virtual std::string TokenDigest(std::string_view token) const = 0;
};

}  // namespace loyalty
