// Port: the chain's stores (id, name, IANA zone, currency).
#pragma once

#include <optional>
#include <string>

#include "loyalty/common/error.h"

namespace loyalty {

struct Store {
  std::string store_id;
  std::string name;
  std::string time_zone = "Asia/Shanghai";
  std::string currency = "CNY";
};

class StoreDirectory {
 public:
  virtual ~StoreDirectory() = default;
  virtual Result<std::optional<Store>> Find(const std::string& store_id) = 0;
};

}  // namespace loyalty
