// Store id rule.
#include "loyalty/domain/store_id.h"

#include <algorithm>
#include <cctype>

namespace loyalty {

Result<std::string> ValidStoreId(std::string_view raw, const std::string& field) {
  const bool ok = !raw.empty() && raw.size() <= 32 && std::all_of(raw.begin(), raw.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
  if (!ok) {
    return InvalidField(field, "invalid_store_id",
                        field + " must be 1 to 32 letters, digits, '-' or '_'");
  }
  return std::string(raw);
}

}  // namespace loyalty
