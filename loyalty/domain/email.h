// E-mail addresses: normalisation (trim, lower-case) and a plausibility check; masking for logs.
#pragma once

#include <string>
#include <string_view>

#include "loyalty/common/error.h"

namespace loyalty {

// Fails with invalid_email (field "email") unless it looks like local@domain.tld.
Result<std::string> NormalizeEmail(std::string_view raw);
// "zhang.wei@example.com" -> "z***@example.com"
std::string MaskEmail(std::string_view email);

}  // namespace loyalty
