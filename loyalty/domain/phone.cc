// Phone normalisation on top of libphonenumber (pure computation, no I/O).
#include "loyalty/domain/phone.h"

#include <phonenumbers/phonenumberutil.h>

namespace loyalty {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

Result<std::string> NormalizePhone(std::string_view raw, std::string_view default_region) {
  if (raw.empty()) return InvalidField("phone", "invalid_phone", "phone is required");
  if (raw.size() > 64) {  // room for full-width digits (3 bytes each) and separators
    return InvalidField("phone", "invalid_phone", "phone is too long to be a phone number");
  }
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  std::string text(raw);
  // "8613800138000" has no '+': try it as international first, as Chinese tills print it so.
  if (text.size() == 13 && text.starts_with("86")) text = "+" + text;
  PhoneNumber number;
  if (util.Parse(text, std::string(default_region), &number) != PhoneNumberUtil::NO_PARSING_ERROR ||
      !util.IsValidNumber(number)) {
    return InvalidField("phone", "invalid_phone",
                        "phone '" + MaskPhone(raw) +
                            "' is not a valid number; use e.g. 138 0013 8000 or +86 13800138000");
  }
  std::string e164;
  util.Format(number, PhoneNumberUtil::E164, &e164);
  return e164;
}

std::string MaskPhone(std::string_view e164) {
  std::string digits;
  for (char c : e164) {
    if (c >= '0' && c <= '9') digits += c;
  }
  if (digits.starts_with("86") && digits.size() == 13) digits = digits.substr(2);
  if (digits.size() < 7) return "****";
  return digits.substr(0, 3) + "****" + digits.substr(digits.size() - 4);
}

}  // namespace loyalty
