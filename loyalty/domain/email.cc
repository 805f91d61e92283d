// E-mail normalisation: deliberately simple, the mailbox owner proves the rest by receiving mail.
#include "loyalty/domain/email.h"

#include <algorithm>
#include <cctype>

namespace loyalty {

Result<std::string> NormalizeEmail(std::string_view raw) {
  while (!raw.empty() && std::isspace(static_cast<unsigned char>(raw.front()))) raw.remove_prefix(1);
  while (!raw.empty() && std::isspace(static_cast<unsigned char>(raw.back()))) raw.remove_suffix(1);
  std::string email(raw);
  std::transform(email.begin(), email.end(), email.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto at = email.find('@');
  const bool ok = email.size() <= 254 && at != std::string::npos && at > 0 &&
                  email.find('@', at + 1) == std::string::npos &&
                  email.find('.', at + 2) != std::string::npos && email.back() != '.' &&
                  std::none_of(email.begin(), email.end(), [](unsigned char c) {
                    return std::isspace(c) || std::iscntrl(c);
                  });
  if (!ok) {
    return InvalidField("email", "invalid_email",
                        "email must look like name@example.com (at most 254 characters)");
  }
  return email;
}

std::string MaskEmail(std::string_view email) {
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0) return "***";
  return std::string(email.substr(0, 1)) + "***" + std::string(email.substr(at));
}

}  // namespace loyalty
