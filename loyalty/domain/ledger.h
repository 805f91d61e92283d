// The points ledger as values: an account, its lots and the append-only entries, and the pure
// operations (earn, activate, redeem, expire, adjust, claw back, transfer) that change them.
// Each operation returns a LedgerChange; a repository applies it in one transaction.
//
// Invariant (checked by CheckInvariants and `loyalty audit`):
//   available == sum(entries.available_delta) == sum(remaining of active lots) - debt
//   pending   == sum(entries.pending_delta)   == sum(remaining of pending lots)
//   debt > 0 only under RefundPolicy::kAllowNegative; nothing negative otherwise.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"
#include "loyalty/domain/program.h"

namespace loyalty {

enum class LotState { kPending, kActive, kExpired, kCancelled };
const char* LotStateName(LotState s);
std::optional<LotState> ParseLotState(const std::string& s);

struct Lot {
  std::string lot_id;
  int64_t points = 0;     // as earned
  int64_t remaining = 0;  // not yet redeemed, expired or clawed back
  LotState state = LotState::kActive;
  Instant earned_at{};
  Instant activates_at{};
  std::optional<Instant> expires_at;
  std::optional<std::string> store_id;
  std::string source;  // purchase, award, adjustment, transfer
  std::string ref;     // what earned it: a transaction id, adjustment id, ...
};

enum class EntryKind { kEarn, kActivate, kRedeem, kExpire, kAdjust, kReverse, kTransferIn, kTransferOut };
const char* EntryKindName(EntryKind k);
std::optional<EntryKind> ParseEntryKind(const std::string& s);

// Which lot a debit took points from (for redemption order, restores and the auditor).
struct Allocation {
  std::string lot_id;
  int64_t points = 0;
};

struct Entry {
  std::string entry_id;
  Instant at{};
  EntryKind kind = EntryKind::kEarn;
  int64_t available_delta = 0;
  int64_t pending_delta = 0;
  std::optional<std::string> lot_id;  // the lot an earn created or an activation/expiry touched
  std::vector<Allocation> allocations;  // debits: the lots they drew from
  std::string ref_type;  // transaction, adjustment, transfer, award, system
  std::string ref_id;
  std::string reason;    // a sentence for the member and the auditor
  std::string staff_id;  // who caused it ("system" for scheduled work)
  std::optional<std::string> store_id;
};

struct Account {
  std::string member_id;
  int64_t available = 0;
  int64_t pending = 0;
  int64_t debt = 0;  // owed after a return under kAllowNegative; paid by the next points
  int64_t lifetime_earned = 0;
  std::optional<Instant> last_activity_at;
  int64_t version = 0;
};

// The account with its open lots (pending, or active with points remaining).
struct AccountState {
  Account account;
  std::vector<Lot> lots;
};

// What an operation did. `state` is the account after it; `changed_lots` are the lots whose
// row must be written (new or updated), `entries` are appended.
struct LedgerChange {
  AccountState state;
  std::vector<Lot> changed_lots;
  std::vector<Entry> entries;
};

// Context every operation needs: the program, the time, who acts, ids for new rows.
struct LedgerContext {
  const ProgramConfig& program;
  Instant now;
  std::string zone;  // the store's (or chain's) IANA zone for expiry dates
  std::string staff_id = "system";
  std::optional<std::string> store_id;
  // Supplies fresh ids for lots and entries (RandomSource::NewId in production).
  std::function<std::string()> new_id;
};

// The lot source of points earned by a purchase: only these wait out the return window.
inline constexpr const char* kPurchaseSource = "transaction";

// Credits `points` (> 0) as a new lot: purchases (kEarn from kPurchaseSource) stay pending for
// program.pending_days and then activate on their own; everything else is active at once. Pays
// any debt first. A lot's (source, ref) is unique per member, so crediting the same purchase or
// award twice fails in the repository (already_credited).
Result<LedgerChange> Credit(const AccountState& state, const LedgerContext& ctx, int64_t points,
                            EntryKind kind, const std::string& source, const std::string& ref_type,
                            const std::string& ref_id, const std::string& reason,
                            std::optional<Instant> expires_at_override = std::nullopt);

// Debits `points` (> 0) from active lots, soonest expiry first (lots that never expire last,
// then oldest first). insufficient_points (kFailedPrecondition) when available is short.
Result<LedgerChange> Debit(const AccountState& state, const LedgerContext& ctx, int64_t points,
                           EntryKind kind, const std::string& ref_type, const std::string& ref_id,
                           const std::string& reason);

// A redemption a till already granted while offline: at most `coverable` points (the member's
// offline allowance left today) are taken from active lots as far as they go; the rest becomes
// debt under RefundPolicy::kAllowNegative (a negative balance the next points pay), otherwise it
// is written off (`uncovered`) for the reconciliation report. Never fails for lack of points.
struct GrantedDebit {
  LedgerChange change;
  int64_t debt = 0;
  int64_t uncovered = 0;
};
Result<GrantedDebit> DebitGranted(const AccountState& state, const LedgerContext& ctx,
                                  int64_t points, int64_t coverable, const std::string& ref_type,
                                  const std::string& ref_id, const std::string& reason);
// The debt and write-off of the granted redemption (kind kRedeem) among `change`'s entries, as
// DebitGranted decided them for `requested` points.
std::pair<int64_t, int64_t> GrantedShortfall(const LedgerChange& change, int64_t requested);

// Activates every pending lot whose time has come. No change when none is due.
LedgerChange ActivateDue(const AccountState& state, const LedgerContext& ctx);

// Expires every lot whose expiry has passed (and, under kInactivityMonths, everything once the
// member has been inactive long enough). No change when none is due.
LedgerChange ExpireDue(const AccountState& state, const LedgerContext& ctx);

// Takes back up to `points` earned by the lots with ref `ref` (a returned purchase): first what
// remains of those lots (pending or active), then per program.refund from the rest of the
// balance: kOnlyPending stops there, kWithinBalance takes from other active lots down to zero,
// kAllowNegative records the rest as debt. Returns the change and how many points it took.
Result<LedgerChange> ClawBack(const AccountState& state, const LedgerContext& ctx,
                              const std::string& ref, int64_t points, const std::string& ref_type,
                              const std::string& ref_id, const std::string& reason);

// `first` then `second` (decided on first.state) as one change: second's state, each lot in its
// latest version, and both changes' entries in order.
LedgerChange Combine(LedgerChange first, const LedgerChange& second);

// A manual correction by staff; above the program's threshold it waits for a second person.
enum class AdjustmentStatus { kPendingApproval, kApplied, kRejected };
const char* AdjustmentStatusName(AdjustmentStatus s);
std::optional<AdjustmentStatus> ParseAdjustmentStatus(const std::string& s);

struct Adjustment {
  std::string adjustment_id;
  std::string member_id;
  int64_t points = 0;  // signed: positive credits, negative debits
  std::string reason;
  AdjustmentStatus status = AdjustmentStatus::kPendingApproval;
  std::string requested_by;
  Instant requested_at{};
  std::optional<std::string> decided_by;
  std::optional<Instant> decided_at;
  std::optional<std::string> store_id;
};

// The ledger change an adjustment makes: a credit lot for positive points, a debit (never below
// zero) for negative ones.
Result<LedgerChange> ApplyAdjustment(const AccountState& state, const LedgerContext& ctx,
                                     const Adjustment& adjustment);

// Checks the invariant for one account against its entries' sums and all of its lots.
struct LedgerTotals {
  int64_t entries_available = 0;
  int64_t entries_pending = 0;
  int64_t active_remaining = 0;
  int64_t pending_remaining = 0;
};
// Empty when consistent, else one sentence per broken rule.
std::vector<std::string> CheckInvariants(const Account& account, const LedgerTotals& totals,
                                         RefundPolicy refund);

}  // namespace loyalty
