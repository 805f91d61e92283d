// Port: the members of a marketing segment. Loyalty owns it so coupons can be issued to a
// segment without the core including the campaign module (GUIDE §2); campaigns implements it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "loyalty/common/error.h"

namespace loyalty {

class SegmentAudience {
 public:
  virtual ~SegmentAudience() = default;
  // How many members the segment holds now; 404 segment_not_found when there is no such segment.
  virtual Result<int64_t> AudienceSize(const std::string& segment_id) = 0;
  // Up to `limit` member ids of the segment, evaluated now, greater than `after_member_id`, in
  // ascending order; empty when there are no more. 404 segment_not_found as above.
  virtual Result<std::vector<std::string>> AudienceAfter(const std::string& segment_id,
                                                         const std::string& after_member_id,
                                                         size_t limit) = 0;
};

}  // namespace loyalty
