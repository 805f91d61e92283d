// MariaDB adapters of the campaign module's segment ports: saved segments and their evaluation.
#pragma once

#include "campaigns/domain/ports/segment_resolver.h"
#include "campaigns/domain/ports/segment_store.h"
#include "loyalty/mysql/mysql_pool.h"

namespace loyalty {

class MysqlSegmentStore final : public SegmentStore {
 public:
  explicit MysqlSegmentStore(MysqlPool& pool) : pool_(pool) {}
  Status Create(const Segment& segment, const AuditEntry& audit) override;
  Result<std::optional<Segment>> Find(const std::string& segment_id) override;
  Result<SegmentPage> List(const std::string& after_id, int limit) override;

 private:
  MysqlPool& pool_;
};

// Runs the rules as one query (segment_sql.h) on a pooled connection.
class MysqlSegmentResolver final : public SegmentResolver {
 public:
  explicit MysqlSegmentResolver(MysqlPool& pool) : pool_(pool) {}
  Result<SegmentCounts> Count(const SegmentRules& rules, Instant now) override;
  Result<std::vector<SegmentSampleMember>> MembersAfter(const SegmentRules& rules, Instant now,
                                                        const std::string& after_member_id,
                                                        int limit) override;

 private:
  MysqlPool& pool_;
};

}  // namespace loyalty
