// Port: saved segment definitions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "campaigns/domain/segment.h"
#include "loyalty/common/error.h"
#include "loyalty/domain/audit.h"

namespace loyalty {

struct SegmentPage {
  std::vector<Segment> segments;
  std::optional<std::string> next_cursor;  // pass as `after_id` for the next page
};

class SegmentStore {
 public:
  virtual ~SegmentStore() = default;
  // Saves a new segment (its id is new) with the audit entry, in one transaction.
  virtual Status Create(const Segment& segment, const AuditEntry& audit) = 0;
  // nullopt when there is no segment with this id.
  virtual Result<std::optional<Segment>> Find(const std::string& segment_id) = 0;
  // By id (random, so in no meaningful order, but stable for cursors while segments are added).
  virtual Result<SegmentPage> List(const std::string& after_id, int limit) = 0;
};

}  // namespace loyalty
