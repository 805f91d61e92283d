// Segment rules as one SQL filter over `members m`: the joins and conditions with their bound
// values, so counting and paging a segment of millions runs inside MariaDB.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "campaigns/domain/segment.h"

namespace loyalty {

using SqlParam = std::variant<std::string, int64_t>;

struct SegmentSql {
  std::string joins;             // after "FROM members m"
  std::string where;             // after "WHERE"; always starts with the active-member condition
  std::vector<SqlParam> params;  // for the placeholders of joins, then of where
};

// `now` fixes every relative period (enrolled_days, within_days, lifecycle, the RFM window).
SegmentSql BuildSegmentSql(const SegmentRules& rules, Instant now);

}  // namespace loyalty
