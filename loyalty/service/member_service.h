// Member use cases: enrol, look up, edit, export and erase, with PII encrypted before storage.
#pragma once

#include <string>
#include <vector>

#include "loyalty/common/clock.h"
#include "loyalty/domain/card_number.h"
#include "loyalty/domain/ports/audit_log.h"
#include "loyalty/domain/ports/member_cache.h"
#include "loyalty/domain/ports/member_repository.h"
#include "loyalty/domain/ports/pii_protector.h"
#include "loyalty/domain/ports/random_source.h"
#include "loyalty/service/actor.h"

namespace loyalty {

struct MemberServiceOptions {
  // Zone whose calendar decides "today" for birthday checks until stores carry their own.
  std::string business_zone = "Asia/Shanghai";
};

// Everything the chain holds about one member (data subject access request).
struct MemberExport {
  Member member;
  std::vector<ConsentEvent> consent_history;
  std::vector<AuditEntry> staff_actions;
};

struct MemberPorts {
  MemberRepository& repository;
  PiiProtector& pii;
  RandomSource& random;
  const Clock& clock;
  MemberCache& cache;
  AuditLog& audit;
};

class MemberService {
 public:
  MemberService(MemberPorts ports, MemberServiceOptions options = {});

  // 409 duplicate_phone / duplicate_email naming the existing member; 400 for a bad field.
  Result<Member> Enrol(const Actor& actor, const EnrolRequest& request);
  // NotFound (member_not_found) when no member has the id.
  Result<Member> Get(const Actor& actor, const std::string& member_id);
  // Exact lookups; a malformed phone/e-mail/card is 400, a well-formed unknown one 404.
  Result<Member> FindByPhone(const Actor& actor, const std::string& raw_phone);
  Result<Member> FindByEmail(const Actor& actor, const std::string& raw_email);
  Result<Member> FindByCard(const Actor& actor, const std::string& raw_card);
  Result<Member> Update(const Actor& actor, const std::string& member_id, const MemberPatch& patch);
  Result<MemberExport> Export(const Actor& actor, const std::string& member_id);
  // Anonymises PII and withdraws every consent; idempotent.
  Result<Member> Erase(const Actor& actor, const std::string& member_id);

 private:
  Result<Member> Reveal(const StoredMember& stored) const;
  StoredMember Conceal(const Member& member) const;
  // Reads go through the cache; writes start from the database (LoadFresh), so a stale cache
  // entry can never be written back or block an edit.
  Result<StoredMember> Load(const std::string& member_id);
  Result<StoredMember> LoadFresh(const std::string& member_id);
  // Uniform random digits 0..9 for a new card number.
  std::array<uint8_t, kCardNumberDigits - 1> RandomDigits();
  Result<Member> FoundOrNotFound(Result<std::optional<StoredMember>> found, const char* what);
  AuditEntry Audit(const Actor& actor, std::string action, const Member& member,
                   std::string detail_json) const;

  MemberPorts ports_;
  MemberServiceOptions options_;
};

}  // namespace loyalty
