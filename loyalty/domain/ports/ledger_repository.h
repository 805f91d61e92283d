// Port: durable points ledger. The MariaDB adapter locks the member's account row for every
// change (GUIDE §4 Concurrency), so concurrent redemptions can never overdraw.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/common/error.h"
#include "loyalty/domain/audit.h"
#include "loyalty/domain/ledger.h"

namespace loyalty {

// Decides a change from the locked state; may run more than once (deadlock retries), so it
// must not have side effects. An error aborts the transaction and is returned as is.
using LedgerDecision = std::function<Result<LedgerChange>(const AccountState&)>;
using TransferDecision = std::function<Result<std::pair<LedgerChange, LedgerChange>>(
    const AccountState& from, const AccountState& to, int64_t sent_since)>;

struct LedgerPage {
  std::vector<Entry> entries;  // newest first
  std::optional<std::string> next_cursor;
};

// Open points grouped by store and exact expiry instant (the service groups them into months
// of the chain's calendar).
struct LiabilityRow {
  std::optional<std::string> store_id;
  std::optional<Instant> expires_at;  // nullopt: never expires
  int64_t active = 0;
  int64_t pending = 0;
};

class LedgerRepository {
 public:
  virtual ~LedgerRepository() = default;

  // In one transaction: locks (creating if missing) the member's account, loads its open lots,
  // runs `decide`, and writes the account, changed lots, entries with their allocations, and
  // `audit` if given. kUnavailable when the database is down; kAborted after repeated deadlocks.
  virtual Result<LedgerChange> Apply(const std::string& member_id, const LedgerDecision& decide,
                                     const std::optional<AuditEntry>& audit) = 0;

  // A transfer: both accounts locked in id order (no deadlock between opposite transfers);
  // `decide` gets the giver, the receiver and the points the giver transferred out since
  // `sent_since` (read under the lock, for daily limits) and returns both changes.
  virtual Result<std::pair<LedgerChange, LedgerChange>> ApplyTransfer(
      const std::string& from_member_id, const std::string& to_member_id, Instant sent_since,
      const TransferDecision& decide, const std::optional<AuditEntry>& audit) = 0;

  // Current state without locking (reads for display). A member without an account gets zeros.
  virtual Result<AccountState> Load(const std::string& member_id) = 0;
  virtual Result<LedgerPage> Entries(const std::string& member_id,
                                     const std::optional<std::string>& cursor, int limit) = 0;

  // Members with a pending lot due to activate, a lot due to expire by `now`, or (when given)
  // last activity before `inactive_before` and points left; at most `limit`.
  virtual Result<std::vector<std::string>> MembersDue(Instant now,
                                                      std::optional<Instant> inactive_before,
                                                      int limit) = 0;

  // For `loyalty audit`: member ids with an account after `after_member_id` (ascending), and
  // the totals the invariant compares with the account row.
  virtual Result<std::vector<std::string>> AccountIds(const std::string& after_member_id, int limit) = 0;
  virtual Result<std::pair<Account, LedgerTotals>> Totals(const std::string& member_id) = 0;

  virtual Result<std::vector<LiabilityRow>> Liability() = 0;

  // Records an adjustment. With `apply_now` its ledger change is written in the same
  // transaction and the adjustment is stored as applied; without, it waits for approval.
  virtual Result<Adjustment> RecordAdjustment(const Adjustment& adjustment,
                                              const LedgerDecision* apply_now,
                                              const AuditEntry& audit) = 0;
  // Approves a waiting adjustment: locks it, runs `decide` (which may refuse, e.g. the requester
  // approving their own), writes the ledger change and marks it applied by `approver`.
  // not_found / already_decided (kFailedPrecondition) otherwise.
  virtual Result<Adjustment> ApproveAdjustment(
      const std::string& adjustment_id, const std::string& approver, Instant at,
      const std::function<Result<LedgerChange>(const Adjustment&, const AccountState&)>& decide,
      const std::function<AuditEntry(const Adjustment&)>& audit_for) = 0;
};

}  // namespace loyalty
