// Segment use cases: marketers define segments, preview who is in them, and the rest of the
// system (coupon issuance, later campaigns) reads their members through SegmentAudience.
#pragma once

#include <string>
#include <vector>

#include "campaigns/domain/ports/segment_resolver.h"
#include "campaigns/domain/ports/segment_store.h"
#include "loyalty/common/clock.h"
#include "loyalty/domain/ports/random_source.h"
#include "loyalty/domain/ports/segment_audience.h"
#include "loyalty/service/actor.h"
#include "loyalty/service/points_service.h"

namespace loyalty {

struct SegmentPreview {
  Segment segment;
  Instant evaluated_at{};
  SegmentCounts counts;
  std::vector<SegmentSampleMember> sample;  // the first members by id (ids are random)
};

inline constexpr int kMaxSegmentSample = 100;

class SegmentService final : public SegmentAudience {
 public:
  SegmentService(SegmentStore& segments, SegmentResolver& resolver, PointsService& points,
                 RandomSource& random, const Clock& clock)
      : segments_(segments), resolver_(resolver), points_(points), random_(random), clock_(clock) {}

  // Marketers and admins (campaigns.manage) for all of these. Create validates the whole segment
  // (400 invalid_segment naming the field; tiers must be the program's), assigns its id.
  Result<Segment> Create(const Actor& actor, Segment segment);
  // 404 segment_not_found.
  Result<Segment> Get(const Actor& actor, const std::string& segment_id);
  Result<SegmentPage> List(const Actor& actor, const std::string& after_id, int limit);
  // Evaluates the segment now: how many members, how many each channel may reach, and up to
  // `sample_size` (1..kMaxSegmentSample) of them.
  Result<SegmentPreview> Preview(const Actor& actor, const std::string& segment_id,
                                 int sample_size);

  Result<int64_t> AudienceSize(const std::string& segment_id) override;
  Result<std::vector<std::string>> AudienceAfter(const std::string& segment_id,
                                                 const std::string& after_member_id,
                                                 size_t limit) override;

 private:
  Result<Segment> Find(const std::string& segment_id);

  SegmentStore& segments_;
  SegmentResolver& resolver_;
  PointsService& points_;
  RandomSource& random_;
  const Clock& clock_;
};

}  // namespace loyalty
