// Port: durable storage of members. Implementations: mysql/ (real), tests/support (in memory).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/common/error.h"
#include "loyalty/domain/audit.h"
#include "loyalty/domain/member.h"

namespace loyalty {

// A member as stored: PII replaced by ciphertext and blind indexes.
struct StoredMember {
  Member profile;  // phone/email/name/birthday cleared; the fields below carry them
  std::string phone_cipher, phone_index;
  std::optional<std::string> email_cipher, email_index;
  std::string name_cipher;
  std::optional<std::string> birthday_cipher;
};

class MemberRepository {
 public:
  virtual ~MemberRepository() = default;

  // Inserts the member, its consent events and the audit entry atomically. Fails with
  // kAlreadyExists, slug duplicate_phone / duplicate_email, detail existing_member_id, when the
  // phone or e-mail index is taken; kUnavailable when the database cannot be reached.
  virtual Status Insert(const StoredMember& member, const std::vector<ConsentEvent>& consents,
                        const AuditEntry& audit) = 0;

  // Replaces the member row if its version is still `member.profile.version - 1`; otherwise
  // kAborted (concurrent_update). Same duplicate outcomes as Insert.
  virtual Status Update(const StoredMember& member, const std::vector<ConsentEvent>& consents,
                        const AuditEntry& audit) = 0;

  // nullopt when no member has that id / index / card; erased members are still found by id.
  virtual Result<std::optional<StoredMember>> FindById(const std::string& member_id) = 0;
  virtual Result<std::optional<StoredMember>> FindByPhoneIndex(const std::string& index) = 0;
  virtual Result<std::optional<StoredMember>> FindByEmailIndex(const std::string& index) = 0;
  virtual Result<std::optional<StoredMember>> FindByCard(const std::string& card_no) = 0;

  // Consent history, oldest first (export shows the evidence).
  virtual Result<std::vector<ConsentEvent>> ConsentHistory(const std::string& member_id) = 0;
};

}  // namespace loyalty
