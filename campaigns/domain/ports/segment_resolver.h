// Port: evaluates segment rules over all members, as of an instant (storage does the work, so a
// segment of millions is counted and paged without loading members into memory).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "campaigns/domain/segment.h"
#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"

namespace loyalty {

// How many members match, and how many of them each channel may reach.
struct SegmentCounts {
  int64_t members = 0;
  int64_t sms = 0;
  int64_t email = 0;
  int64_t wechat = 0;
};

// A member as a preview shows them: no personal data beyond the card number.
struct SegmentSampleMember {
  std::string member_id;
  std::string card_no;
  std::string tier;
  std::optional<std::string> home_store_id;
  Instant enrolled_at{};
};

class SegmentResolver {
 public:
  virtual ~SegmentResolver() = default;
  virtual Result<SegmentCounts> Count(const SegmentRules& rules, Instant now) = 0;
  // Up to `limit` matching members with ids greater than `after_member_id`, by id ascending.
  // Paging this way never repeats or skips a member who stays in the segment.
  virtual Result<std::vector<SegmentSampleMember>> MembersAfter(const SegmentRules& rules,
                                                                Instant now,
                                                                const std::string& after_member_id,
                                                                int limit) = 0;
};

}  // namespace loyalty
