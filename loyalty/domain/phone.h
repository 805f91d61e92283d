// Phone numbers: normalisation to E.164 (so one person has one key) and masking for logs.
#pragma once

#include <string>
#include <string_view>

#include "loyalty/common/error.h"

namespace loyalty {

// "138 0013 8000", "+86 13800138000" and "8613800138000" all give "+8613800138000" with the
// default region CN. Fails with invalid_phone (field "phone") when it is not a possible number.
Result<std::string> NormalizePhone(std::string_view raw, std::string_view default_region = "CN");

// "+8613800138000" -> "138****8000"; other countries keep the country code and last 4 digits.
std::string MaskPhone(std::string_view e164);

}  // namespace loyalty
