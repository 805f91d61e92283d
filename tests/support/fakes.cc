// In-memory fakes of the loyalty ports; the outcomes mirror the MariaDB/OpenSSL adapters.
#include "tests/support/fakes.h"

#include <algorithm>

namespace loyalty::test_support {

// ---------------------------------------------------------------------------------------------
// InMemoryAuditLog

void InMemoryAuditLog::Record(const AuditEntry& entry) {
  std::lock_guard lock(mutex_);
  entries_.push_back(entry);
}

std::vector<AuditEntry> InMemoryAuditLog::Entries() const {
  std::lock_guard lock(mutex_);
  return entries_;
}

Result<std::vector<AuditEntry>> InMemoryAuditLog::List(const AuditFilter& filter) {
  std::lock_guard lock(mutex_);
  // Newest first: by `at`, then by write order (see the class comment).
  std::vector<size_t> order(entries_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (entries_[a].at != entries_[b].at) return entries_[a].at > entries_[b].at;
    return a > b;
  });
  size_t start = 0;
  if (filter.before_audit_id) {
    // Like the SQL subquery: an unknown cursor matches nothing.
    auto it = std::find_if(order.begin(), order.end(), [&](size_t i) {
      return entries_[i].audit_id == *filter.before_audit_id;
    });
    if (it == order.end()) return std::vector<AuditEntry>{};
    start = static_cast<size_t>(it - order.begin()) + 1;
  }
  std::vector<AuditEntry> out;
  for (size_t k = start; k < order.size(); ++k) {
    if (filter.limit >= 0 && out.size() >= static_cast<size_t>(filter.limit)) break;
    const AuditEntry& e = entries_[order[k]];
    if (filter.store_ids) {
      // SQL `store_id IN (...)`: entries without a store never match.
      if (!e.store_id) continue;
      const auto& ids = *filter.store_ids;
      if (std::find(ids.begin(), ids.end(), *e.store_id) == ids.end()) continue;
    }
    if (filter.target_id && e.target_id != *filter.target_id) continue;
    out.push_back(e);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// InMemoryMemberRepository

std::optional<Error> InMemoryMemberRepository::Conflict(const StoredMember& m) const {
  const std::string& id = m.profile.member_id;
  // InnoDB checks unique keys in creation order: card, phone, e-mail.
  for (const auto& [other_id, row] : rows_) {
    if (other_id != id && row.profile.card_no == m.profile.card_no) {
      return Error{Code::kAlreadyExists, "duplicate_card", "card number collision", {}};
    }
  }
  if (!m.phone_index.empty()) {
    for (const auto& [other_id, row] : rows_) {
      if (other_id != id && row.phone_index == m.phone_index) {
        Error e{Code::kAlreadyExists,
                "duplicate_phone",
                "this phone number already belongs to a member",
                {}};
        e.With("field", "phone").With("existing_member_id", other_id);
        return e;
      }
    }
  }
  if (m.email_index && !m.email_index->empty()) {
    for (const auto& [other_id, row] : rows_) {
      if (other_id != id && row.email_index && *row.email_index == *m.email_index) {
        Error e{Code::kAlreadyExists,
                "duplicate_email",
                "this e-mail address already belongs to a member",
                {}};
        e.With("field", "email").With("existing_member_id", other_id);
        return e;
      }
    }
  }
  return std::nullopt;
}

Status InMemoryMemberRepository::Insert(const StoredMember& member,
                                        const std::vector<ConsentEvent>& consents,
                                        const AuditEntry& audit) {
  std::lock_guard lock(mutex_);
  ++insert_calls_;
  if (fail_next_write_) {
    Error e = std::move(*fail_next_write_);
    fail_next_write_.reset();
    return Fail(std::move(e));
  }
  if (rows_.count(member.profile.member_id)) {
    // The real adapter does not expect this either (ids are 96 random bits).
    return Fail(Code::kInternal, "duplicate_member_id", "member id collision");
  }
  if (auto conflict = Conflict(member)) return Fail(std::move(*conflict));
  rows_[member.profile.member_id] = member;
  auto& history = consents_[member.profile.member_id];
  history.insert(history.end(), consents.begin(), consents.end());
  audit_.Record(audit);
  return {};
}

Status InMemoryMemberRepository::Update(const StoredMember& member,
                                        const std::vector<ConsentEvent>& consents,
                                        const AuditEntry& audit) {
  std::lock_guard lock(mutex_);
  if (fail_next_write_) {
    Error e = std::move(*fail_next_write_);
    fail_next_write_.reset();
    return Fail(std::move(e));
  }
  auto it = rows_.find(member.profile.member_id);
  if (it == rows_.end() || it->second.profile.version != member.profile.version - 1) {
    return Fail(Code::kAborted, "concurrent_update",
                "the member was changed by someone else meanwhile; reload and try again");
  }
  if (auto conflict = Conflict(member)) return Fail(std::move(*conflict));
  it->second = member;
  auto& history = consents_[member.profile.member_id];
  history.insert(history.end(), consents.begin(), consents.end());
  audit_.Record(audit);
  return {};
}

Result<std::optional<StoredMember>> InMemoryMemberRepository::FindWhere(
    const std::function<bool(const StoredMember&)>& match) const {
  std::lock_guard lock(mutex_);
  for (const auto& [id, row] : rows_) {
    if (match(row)) return std::optional<StoredMember>(row);
  }
  return std::optional<StoredMember>();
}

Result<std::optional<StoredMember>> InMemoryMemberRepository::FindById(
    const std::string& member_id) {
  return FindWhere([&](const StoredMember& m) { return m.profile.member_id == member_id; });
}

Result<std::optional<StoredMember>> InMemoryMemberRepository::FindByPhoneIndex(
    const std::string& index) {
  if (index.empty()) return std::optional<StoredMember>();
  return FindWhere([&](const StoredMember& m) { return m.phone_index == index; });
}

Result<std::optional<StoredMember>> InMemoryMemberRepository::FindByEmailIndex(
    const std::string& index) {
  if (index.empty()) return std::optional<StoredMember>();
  return FindWhere([&](const StoredMember& m) { return m.email_index && *m.email_index == index; });
}

Result<std::optional<StoredMember>> InMemoryMemberRepository::FindByCard(
    const std::string& card_no) {
  return FindWhere([&](const StoredMember& m) { return m.profile.card_no == card_no; });
}

Result<std::vector<ConsentEvent>> InMemoryMemberRepository::ConsentHistory(
    const std::string& member_id) {
  std::lock_guard lock(mutex_);
  auto it = consents_.find(member_id);
  if (it == consents_.end()) return std::vector<ConsentEvent>{};
  std::vector<ConsentEvent> events = it->second;
  // ORDER BY at, channel (an ENUM, so in declaration order sms, email, wechat).
  std::stable_sort(events.begin(), events.end(), [](const ConsentEvent& a, const ConsentEvent& b) {
    if (a.at != b.at) return a.at < b.at;
    return static_cast<int>(a.channel) < static_cast<int>(b.channel);
  });
  return events;
}

std::optional<StoredMember> InMemoryMemberRepository::Stored(const std::string& member_id) const {
  std::lock_guard lock(mutex_);
  auto it = rows_.find(member_id);
  if (it == rows_.end()) return std::nullopt;
  return it->second;
}

size_t InMemoryMemberRepository::Size() const {
  std::lock_guard lock(mutex_);
  return rows_.size();
}

int InMemoryMemberRepository::insert_calls() const {
  std::lock_guard lock(mutex_);
  return insert_calls_;
}

void InMemoryMemberRepository::FailNextWrite(Error error) {
  std::lock_guard lock(mutex_);
  fail_next_write_ = std::move(error);
}

// ---------------------------------------------------------------------------------------------
// InMemoryStaffRepository

Status InMemoryStaffRepository::Create(const StaffAccount& account, const AuditEntry& audit) {
  std::lock_guard lock(mutex_);
  const std::string& username = account.principal.username;
  if (by_username_.count(username)) {
    Error error{
        Code::kAlreadyExists, "duplicate_username", "the username '" + username + "' is taken", {}};
    return Fail(error.With("field", "username"));
  }
  by_username_[username] = account;
  audit_.Record(audit);
  return {};
}

Result<std::optional<StaffAccount>> InMemoryStaffRepository::FindByUsername(
    const std::string& username) {
  std::lock_guard lock(mutex_);
  auto it = by_username_.find(username);
  if (it == by_username_.end()) return std::optional<StaffAccount>();
  StaffAccount account = it->second;
  account.principal = Read(account.principal);
  return std::optional<StaffAccount>(std::move(account));
}

Status InMemoryStaffRepository::CreateSession(const std::string& token_digest,
                                              const std::string& staff_id, Instant expires_at,
                                              const AuditEntry& audit) {
  std::lock_guard lock(mutex_);
  if (sessions_.count(token_digest)) {
    return Fail(Code::kInternal, "duplicate_session", "session token collision");
  }
  sessions_[token_digest] = StoredSession{staff_id, expires_at, std::nullopt};
  audit_.Record(audit);
  return {};
}

Principal InMemoryStaffRepository::Read(Principal p) {
  std::sort(p.store_ids.begin(), p.store_ids.end());
  return p;
}

bool InMemoryStaffRepository::Live(const StoredSession& s, Instant now) const {
  return !s.revoked_at && s.expires_at > now;
}

Result<std::optional<Principal>> InMemoryStaffRepository::FindSession(
    const std::string& token_digest, Instant now) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(token_digest);
  if (it == sessions_.end() || !Live(it->second, now)) return std::optional<Principal>();
  for (const auto& [username, account] : by_username_) {
    if (account.principal.staff_id == it->second.staff_id) {
      if (!account.active) return std::optional<Principal>();
      return std::optional<Principal>(Read(account.principal));
    }
  }
  return std::optional<Principal>();
}

Result<bool> InMemoryStaffRepository::RevokeSession(const std::string& token_digest, Instant now,
                                                    const AuditEntry& audit) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(token_digest);
  if (it == sessions_.end() || !Live(it->second, now)) return false;
  it->second.revoked_at = now;
  audit_.Record(audit);
  return true;
}

void InMemoryStaffRepository::SetActive(const std::string& username, bool active) {
  std::lock_guard lock(mutex_);
  by_username_.at(username).active = active;
}

size_t InMemoryStaffRepository::SessionCount() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

bool InMemoryStaffRepository::HasSessionKey(const std::string& key) const {
  std::lock_guard lock(mutex_);
  return sessions_.count(key) > 0;
}

// ---------------------------------------------------------------------------------------------
// SequenceRandom

uint64_t SequenceRandom::Next() {
  // splitmix64 (Steele, Lea, Flood 2014): good enough spread for ids and card digits.
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::vector<uint8_t> SequenceRandom::Bytes(size_t n) {
  std::lock_guard lock(mutex_);
  ++calls_[n];
  if (auto it = scripted_.find(n); it != scripted_.end() && !it->second.empty()) {
    std::vector<uint8_t> out = std::move(it->second.front());
    it->second.pop_front();
    return out;
  }
  std::vector<uint8_t> out(n);
  for (size_t i = 0; i < n; i += 8) {
    uint64_t word = Next();
    for (size_t k = i; k < n && k < i + 8; ++k, word >>= 8) out[k] = static_cast<uint8_t>(word);
  }
  return out;
}

void SequenceRandom::Script(std::vector<uint8_t> bytes, int times) {
  std::lock_guard lock(mutex_);
  auto& queue = scripted_[bytes.size()];
  for (int i = 0; i < times; ++i) queue.push_back(bytes);
}

int SequenceRandom::CallsOfSize(size_t n) const {
  std::lock_guard lock(mutex_);
  auto it = calls_.find(n);
  return it == calls_.end() ? 0 : it->second;
}

// ---------------------------------------------------------------------------------------------
// FakePasswordHasher

std::string FakePasswordHasher::Hash(std::string_view password) const {
  return "plain:" + std::string(password);
}

bool FakePasswordHasher::Verify(std::string_view password, std::string_view phc) const {
  {
    std::lock_guard lock(mutex_);
    ++verify_calls_;
  }
  return phc == "plain:" + std::string(password);
}

std::string FakePasswordHasher::TokenDigest(std::string_view token) const {
  return "digest:" + std::string(token);
}

int FakePasswordHasher::verify_calls() const {
  std::lock_guard lock(mutex_);
  return verify_calls_;
}

}  // namespace loyalty::test_support
