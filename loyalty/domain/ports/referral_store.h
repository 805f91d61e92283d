// Port: who referred whom, and whether the referral was rewarded.
#pragma once

#include <optional>
#include <string>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"

namespace loyalty {

class ReferralStore {
 public:
  virtual ~ReferralStore() = default;
  // Idempotent for the same pair; a member has at most one referrer.
  virtual Status Record(const std::string& member_id, const std::string& referrer_id, Instant at) = 0;
  // The referrer of a member whose referral is not rewarded yet.
  virtual Result<std::optional<std::string>> UnrewardedReferrer(const std::string& member_id) = 0;
  virtual Result<int> RewardedCount(const std::string& referrer_id) = 0;
  virtual Status MarkRewarded(const std::string& member_id, Instant at) = 0;
};

}  // namespace loyalty
