// Actor: who is asking (an authenticated staff member or the system) and the request it belongs to.
#pragma once

#include <string>

#include "loyalty/domain/staff.h"

namespace loyalty {

struct Actor {
  Principal principal;
  std::string request_id;

  // CLI commands and scheduled jobs act as the system with admin rights.
  static Actor System(std::string request_id) {
    return Actor{Principal{"system", "system", Role::kAdmin, {}}, std::move(request_id)};
  }
};

}  // namespace loyalty
