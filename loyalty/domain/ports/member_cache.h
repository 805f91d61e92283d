// Port: a best-effort cache of stored members (cache-aside). Never the source of truth: every
// method may silently do nothing, e.g. when Redis is down.
#pragma once

#include <optional>
#include <string>

#include "loyalty/domain/ports/member_repository.h"

namespace loyalty {

class MemberCache {
 public:
  virtual ~MemberCache() = default;
  virtual std::optional<StoredMember> Get(const std::string& member_id) = 0;
  virtual void Put(const StoredMember& member) = 0;
  virtual void Invalidate(const std::string& member_id) = 0;
};

}  // namespace loyalty
