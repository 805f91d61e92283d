// Segment use cases: permission, validation against the program, evaluation through the resolver.
#include "campaigns/service/segment_service.h"

#include <algorithm>

#include "loyalty/service/audit_entry.h"

namespace loyalty {

Result<Segment> SegmentService::Create(const Actor& actor, Segment segment) {
  if (auto ok = Require(actor.principal, Permission::kCampaignsManage); !ok) {
    return Fail(ok.error());
  }
  auto program = points_.Program();
  if (!program) return Fail(program.error());
  std::vector<std::string> tiers;
  for (const TierLevel& level : program->tiers.levels) tiers.push_back(level.code);
  if (auto ok = ValidateSegment(segment, tiers); !ok) return Fail(ok.error());
  segment.id = random_.NewId();
  segment.created_at = clock_.Now();
  segment.created_by = actor.principal.staff_id;
  auto saved = segments_.Create(
      segment, NewAuditEntry(actor, random_, clock_, "segment.create", "segment", segment.id));
  if (!saved) return Fail(saved.error());
  return segment;
}

Result<Segment> SegmentService::Find(const std::string& segment_id) {
  auto found = segments_.Find(segment_id);
  if (!found) return Fail(found.error());
  if (!*found) {
    Error e{Code::kNotFound, "segment_not_found", "no segment with id " + segment_id, {}};
    e.With("segment_id", segment_id);
    return Fail(std::move(e));
  }
  return std::move(**found);
}

Result<Segment> SegmentService::Get(const Actor& actor, const std::string& segment_id) {
  if (auto ok = Require(actor.principal, Permission::kCampaignsManage); !ok) {
    return Fail(ok.error());
  }
  return Find(segment_id);
}

Result<SegmentPage> SegmentService::List(const Actor& actor, const std::string& after_id,
                                         int limit) {
  if (auto ok = Require(actor.principal, Permission::kCampaignsManage); !ok) {
    return Fail(ok.error());
  }
  return segments_.List(after_id, limit);
}

Result<SegmentPreview> SegmentService::Preview(const Actor& actor, const std::string& segment_id,
                                               int sample_size) {
  auto segment = Get(actor, segment_id);
  if (!segment) return Fail(segment.error());
  if (sample_size < 1 || sample_size > kMaxSegmentSample) {
    return InvalidField("sample", "invalid_sample",
                        "sample must be between 1 and " + std::to_string(kMaxSegmentSample));
  }
  SegmentPreview preview{std::move(*segment), clock_.Now(), {}, {}};
  auto counts = resolver_.Count(preview.segment.rules, preview.evaluated_at);
  if (!counts) return Fail(counts.error());
  preview.counts = *counts;
  auto sample =
      resolver_.MembersAfter(preview.segment.rules, preview.evaluated_at, "", sample_size);
  if (!sample) return Fail(sample.error());
  preview.sample = std::move(*sample);
  return preview;
}

Result<int64_t> SegmentService::AudienceSize(const std::string& segment_id) {
  auto segment = Find(segment_id);
  if (!segment) return Fail(segment.error());
  auto counts = resolver_.Count(segment->rules, clock_.Now());
  if (!counts) return Fail(counts.error());
  return counts->members;
}

Result<std::vector<std::string>> SegmentService::AudienceAfter(const std::string& segment_id,
                                                               const std::string& after_member_id,
                                                               size_t limit) {
  auto segment = Find(segment_id);
  if (!segment) return Fail(segment.error());
  auto members = resolver_.MembersAfter(segment->rules, clock_.Now(), after_member_id,
                                        static_cast<int>(std::min<size_t>(limit, 1'000'000)));
  if (!members) return Fail(members.error());
  std::vector<std::string> ids;
  ids.reserve(members->size());
  for (const SegmentSampleMember& m : *members) ids.push_back(m.member_id);
  return ids;
}

}  // namespace loyalty
