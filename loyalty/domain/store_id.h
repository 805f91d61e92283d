// Store ids: short codes chosen by the chain ("S1", "sh-001"), checked wherever one is accepted.
#pragma once

#include <string>
#include <string_view>

#include "loyalty/common/error.h"

namespace loyalty {

// 1 to 32 of letters, digits, '-' and '_'; otherwise invalid_store_id naming `field`.
Result<std::string> ValidStoreId(std::string_view raw, const std::string& field);

}  // namespace loyalty
