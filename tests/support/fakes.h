// In-memory fakes of the loyalty ports (domain/ports/), for unit tests of services without
// services.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"
#include "loyalty/domain/audit.h"
#include "loyalty/domain/member.h"
#include "loyalty/domain/ports/audit_log.h"
#include "loyalty/domain/ports/member_cache.h"
#include "loyalty/domain/ports/member_repository.h"
#include "loyalty/domain/ports/password_hasher.h"
#include "loyalty/domain/ports/random_source.h"
#include "loyalty/domain/ports/staff_repository.h"

namespace loyalty::test_support {

// Fakes the audit_log table behind AuditLog (mysql/mysql_audit_log.*). The fake
// repositories below append to it only when their write succeeds, as the real ones do inside
// their transaction. List() orders newest first by `at`; entries with the same `at` are ordered
// by when they were written (the real table breaks ties by audit_id, which is random).
class InMemoryAuditLog final : public AuditLog {
 public:
  Result<std::vector<AuditEntry>> List(const AuditFilter& filter) override;
  Status Append(const AuditEntry& entry) override {
    Record(entry);
    return {};
  }

  void Record(const AuditEntry& entry);
  // Every entry, oldest first.
  std::vector<AuditEntry> Entries() const;

 private:
  mutable std::mutex mutex_;
  std::vector<AuditEntry> entries_;  // in write order
};

// Fakes MemberRepository (mysql/mysql_member_repository.*) with the same outcomes:
// - kAlreadyExists duplicate_phone / duplicate_email with details field=phone|email and
//   existing_member_id; kAlreadyExists duplicate_card (no details) for a taken card number;
// - Update: kAborted concurrent_update unless the stored version is member.profile.version - 1
//   (also when the member does not exist, as the real UPDATE then matches no row);
// - an empty phone_index / email_index is "no value" (NULL in MariaDB), so erased members never
//   collide with each other and are never found by an empty index;
// - consents and the audit entry are recorded only when the write succeeds.
class InMemoryMemberRepository final : public MemberRepository {
 public:
  explicit InMemoryMemberRepository(InMemoryAuditLog& audit) : audit_(audit) {}

  Status Insert(const StoredMember& member, const std::vector<ConsentEvent>& consents,
                const AuditEntry& audit) override;
  Status Update(const StoredMember& member, const std::vector<ConsentEvent>& consents,
                const AuditEntry& audit) override;
  Result<std::optional<StoredMember>> FindById(const std::string& member_id) override;
  Result<std::optional<StoredMember>> FindByPhoneIndex(const std::string& index) override;
  Result<std::optional<StoredMember>> FindByEmailIndex(const std::string& index) override;
  Result<std::optional<StoredMember>> FindByCard(const std::string& card_no) override;
  Result<std::vector<ConsentEvent>> ConsentHistory(const std::string& member_id) override;

  // Test hooks: the stored row as an adapter would see it, and how often Insert was called.
  std::optional<StoredMember> Stored(const std::string& member_id) const;
  size_t Size() const;
  int insert_calls() const;
  // The next write (Insert or Update) fails with `error` and changes nothing.
  void FailNextWrite(Error error);

 private:
  // The conflicting unique value of `m` against rows other than `m` itself, if any.
  std::optional<Error> Conflict(const StoredMember& m) const;
  Result<std::optional<StoredMember>> FindWhere(
      const std::function<bool(const StoredMember&)>& match) const;

  InMemoryAuditLog& audit_;
  mutable std::mutex mutex_;
  std::map<std::string, StoredMember> rows_;
  std::map<std::string, std::vector<ConsentEvent>> consents_;
  int insert_calls_ = 0;
  std::optional<Error> fail_next_write_;
};

// Fakes StaffRepository (mysql/mysql_staff_repository.*): unique usernames (duplicate_username,
// field=username), store ids read back sorted, sessions keyed by token digest, live = not
// revoked, not expired at `now` (expires_at > now) and the staff member still active.
class InMemoryStaffRepository final : public StaffRepository {
 public:
  explicit InMemoryStaffRepository(InMemoryAuditLog& audit) : audit_(audit) {}

  Status Create(const StaffAccount& account, const AuditEntry& audit) override;
  Result<std::optional<StaffAccount>> FindByUsername(const std::string& username) override;
  Status CreateSession(const std::string& token_digest, const std::string& staff_id,
                       Instant expires_at, const AuditEntry& audit) override;
  Result<std::optional<Principal>> FindSession(const std::string& token_digest,
                                               Instant now) override;
  Result<bool> RevokeSession(const std::string& token_digest, Instant now,
                             const AuditEntry& audit) override;

  // Test hooks.
  void SetActive(const std::string& username, bool active);
  size_t SessionCount() const;
  // True if some session is stored under exactly this key (to prove tokens are stored hashed).
  bool HasSessionKey(const std::string& key) const;

 private:
  struct StoredSession {
    std::string staff_id;
    Instant expires_at{};
    std::optional<Instant> revoked_at;
  };
  bool Live(const StoredSession& s, Instant now) const;
  // A principal as the database returns it: store ids sorted (ORDER BY store_id).
  static Principal Read(Principal p);

  InMemoryAuditLog& audit_;
  mutable std::mutex mutex_;
  std::map<std::string, StaffAccount> by_username_;
  std::map<std::string, StoredSession> sessions_;
};

// Fakes MemberCache (redis/redis_member_cache.*) as a cache that is always empty, like a Redis
// that is down: Get always misses, Put and Invalidate only count.
class NullMemberCache final : public MemberCache {
 public:
  std::optional<StoredMember> Get(const std::string&) override { return std::nullopt; }
  void Put(const StoredMember&) override { ++puts_; }
  void Invalidate(const std::string& member_id) override { invalidated_.push_back(member_id); }

  int puts() const { return puts_; }
  const std::vector<std::string>& invalidated() const { return invalidated_; }

 private:
  int puts_ = 0;
  std::vector<std::string> invalidated_;
};

// Fakes RandomSource (crypto/OpenSslRandom): a deterministic pseudo-random stream (splitmix64
// from `seed`), so ids, card numbers and tokens differ from call to call but every run is the
// same. Script() makes the next calls of one size return fixed bytes, e.g. the same 15 card
// digits twice to force a card-number collision; calls of other sizes (ids: 12, tokens: 32) are
// not affected.
class SequenceRandom final : public RandomSource {
 public:
  explicit SequenceRandom(uint64_t seed = 1) : state_(seed) {}

  std::vector<uint8_t> Bytes(size_t n) override;

  // The next `times` calls of Bytes(bytes.size()) return `bytes`.
  void Script(std::vector<uint8_t> bytes, int times = 1);
  // How many times Bytes(n) was called with this n.
  int CallsOfSize(size_t n) const;

 private:
  uint64_t Next();

  mutable std::mutex mutex_;
  uint64_t state_;
  std::map<size_t, std::deque<std::vector<uint8_t>>> scripted_;
  std::map<size_t, int> calls_;
};

// Fakes PasswordHasher (crypto/ScryptPasswordHasher) without the cost: the "hash" is
// "plain:" + password and the token digest is "digest:" + token. Counts Verify calls so a test
// can see that unknown users are verified too (timing equaliser).
class FakePasswordHasher final : public PasswordHasher {
 public:
  std::string Hash(std::string_view password) const override;
  bool Verify(std::string_view password, std::string_view phc) const override;
  std::string TokenDigest(std::string_view token) const override;

  int verify_calls() const;

 private:
  mutable std::mutex mutex_;
  mutable int verify_calls_ = 0;
};

}  // namespace loyalty::test_support
