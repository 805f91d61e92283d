// Ledger operations as pure functions over an account and its open lots.
#include "loyalty/domain/ledger.h"

#include <algorithm>

#include "loyalty/domain/expiry.h"

namespace loyalty {
namespace {

Entry NewEntry(const LedgerContext& ctx, EntryKind kind, const std::string& ref_type,
               const std::string& ref_id, const std::string& reason) {
  Entry e;
  e.entry_id = ctx.new_id();
  e.at = ctx.now;
  e.kind = kind;
  e.ref_type = ref_type;
  e.ref_id = ref_id;
  e.reason = reason;
  e.staff_id = ctx.staff_id;
  e.store_id = ctx.store_id;
  return e;
}

// Redemption order: soonest expiry first, lots that never expire last, then oldest first.
bool DrawsFirst(const Lot& a, const Lot& b) {
  if (a.expires_at != b.expires_at) {
    if (!a.expires_at) return false;
    if (!b.expires_at) return true;
    return *a.expires_at < *b.expires_at;
  }
  return a.earned_at < b.earned_at;
}

// Records `lot` as changed in `change` (replacing an earlier copy of the same lot).
void Touch(LedgerChange& change, const Lot& lot) {
  for (auto& l : change.changed_lots) {
    if (l.lot_id == lot.lot_id) {
      l = lot;
      return;
    }
  }
  change.changed_lots.push_back(lot);
}

// A lot is unusable from its expiry instant, even before the sweep writes its expire entry.
bool Usable(const Lot& lot, Instant now) {
  return lot.state == LotState::kActive && lot.remaining > 0 &&
         (!lot.expires_at || *lot.expires_at > now);
}

// Points that may be spent now: the balance less what has expired but is not swept yet.
int64_t Spendable(const AccountState& state, Instant now) {
  int64_t unusable = 0;
  for (const Lot& lot : state.lots) {
    if (lot.state == LotState::kActive && lot.remaining > 0 && !Usable(lot, now)) {
      unusable += lot.remaining;
    }
  }
  return state.account.available - unusable;
}

// Takes up to `points` from the usable active lots of `change.state` in redemption order
// (optionally only lots matching `only_ref`); returns the allocations.
std::vector<Allocation> TakeFromActive(LedgerChange& change, int64_t points, Instant now,
                                       const std::string* only_ref) {
  std::vector<Lot*> order;
  for (auto& lot : change.state.lots) {
    if (Usable(lot, now) && (!only_ref || lot.ref == *only_ref)) order.push_back(&lot);
  }
  std::sort(order.begin(), order.end(), [](const Lot* a, const Lot* b) { return DrawsFirst(*a, *b); });
  std::vector<Allocation> taken;
  for (Lot* lot : order) {
    if (points == 0) break;
    const int64_t take = std::min(points, lot->remaining);
    lot->remaining -= take;
    points -= take;
    taken.push_back({lot->lot_id, take});
    Touch(change, *lot);
  }
  return taken;
}

void DropClosedLots(AccountState& state) {
  std::erase_if(state.lots, [](const Lot& l) {
    return l.state == LotState::kExpired || l.state == LotState::kCancelled ||
           (l.state == LotState::kActive && l.remaining == 0);
  });
}

Status CheckPoints(int64_t points) {
  if (points <= 0) {
    return InvalidField("points", "invalid_points", "points must be a whole number above zero");
  }
  if (points > 1'000'000'000'000) {
    return InvalidField("points", "invalid_points", "points must be at most 1,000,000,000,000");
  }
  return {};
}

}  // namespace

const char* LotStateName(LotState s) {
  switch (s) {
    case LotState::kPending: return "pending";
    case LotState::kActive: return "active";
    case LotState::kExpired: return "expired";
    case LotState::kCancelled: return "cancelled";
  }
  return "?";
}

std::optional<LotState> ParseLotState(const std::string& s) {
  for (LotState v : {LotState::kPending, LotState::kActive, LotState::kExpired, LotState::kCancelled}) {
    if (s == LotStateName(v)) return v;
  }
  return std::nullopt;
}

const char* EntryKindName(EntryKind k) {
  switch (k) {
    case EntryKind::kEarn: return "earn";
    case EntryKind::kActivate: return "activate";
    case EntryKind::kRedeem: return "redeem";
    case EntryKind::kExpire: return "expire";
    case EntryKind::kAdjust: return "adjust";
    case EntryKind::kReverse: return "reverse";
    case EntryKind::kTransferIn: return "transfer_in";
    case EntryKind::kTransferOut: return "transfer_out";
  }
  return "?";
}

std::optional<EntryKind> ParseEntryKind(const std::string& s) {
  for (EntryKind k : {EntryKind::kEarn, EntryKind::kActivate, EntryKind::kRedeem, EntryKind::kExpire,
                      EntryKind::kAdjust, EntryKind::kReverse, EntryKind::kTransferIn,
                      EntryKind::kTransferOut}) {
    if (s == EntryKindName(k)) return k;
  }
  return std::nullopt;
}

Result<LedgerChange> Credit(const AccountState& state, const LedgerContext& ctx, int64_t points,
                            EntryKind kind, const std::string& source, const std::string& ref_type,
                            const std::string& ref_id, const std::string& reason,
                            std::optional<Instant> expires_at_override) {
  if (auto ok = CheckPoints(points); !ok) return Fail(ok.error());
  LedgerChange change{state, {}, {}};
  Account& a = change.state.account;
  Lot lot;
  lot.lot_id = ctx.new_id();
  lot.points = points;
  lot.remaining = points;
  lot.earned_at = ctx.now;
  lot.store_id = ctx.store_id;
  lot.source = source;
  lot.ref = ref_id;
  lot.expires_at = expires_at_override ? expires_at_override
                                       : LotExpiry(ctx.program.expiry, ctx.now, ctx.zone);
  // Only purchases wait out the return window; awards, adjustments and transfers are final.
  const bool pending = kind == EntryKind::kEarn && source == kPurchaseSource &&
                       ctx.program.pending_days > 0;
  lot.activates_at = pending ? LocalDayStartAfter(ctx.now, ctx.program.pending_days, ctx.zone) : ctx.now;
  lot.state = pending ? LotState::kPending : LotState::kActive;

  Entry e = NewEntry(ctx, kind, ref_type, ref_id, reason);
  e.lot_id = lot.lot_id;
  if (pending) {
    e.pending_delta = points;
    a.pending += points;
  } else {
    const int64_t paid = std::min(a.debt, points);  // a debt is paid before points are usable
    lot.remaining -= paid;
    a.debt -= paid;
    e.available_delta = points;
    a.available += points;
  }
  if (kind == EntryKind::kEarn) a.lifetime_earned += points;
  a.last_activity_at = ctx.now;
  change.state.lots.push_back(lot);
  change.changed_lots.push_back(lot);
  change.entries.push_back(std::move(e));
  DropClosedLots(change.state);
  return change;
}

Result<LedgerChange> Debit(const AccountState& state, const LedgerContext& ctx, int64_t points,
                           EntryKind kind, const std::string& ref_type, const std::string& ref_id,
                           const std::string& reason) {
  if (auto ok = CheckPoints(points); !ok) return Fail(ok.error());
  const int64_t spendable = std::max<int64_t>(Spendable(state, ctx.now), 0);
  if (spendable < points) {
    Error e{Code::kFailedPrecondition, "insufficient_points",
            "the member has " + std::to_string(spendable) + " points available, fewer than the " +
                std::to_string(points) + " asked for",
            {}};
    e.With("available", std::to_string(spendable));
    return Fail(std::move(e));
  }
  LedgerChange change{state, {}, {}};
  Entry e = NewEntry(ctx, kind, ref_type, ref_id, reason);
  e.available_delta = -points;
  e.allocations = TakeFromActive(change, points, ctx.now, nullptr);
  change.state.account.available -= points;
  change.state.account.last_activity_at = ctx.now;
  change.entries.push_back(std::move(e));
  DropClosedLots(change.state);
  return change;
}

Result<GrantedDebit> DebitGranted(const AccountState& state, const LedgerContext& ctx,
                                  int64_t points, int64_t coverable, const std::string& ref_type,
                                  const std::string& ref_id, const std::string& reason) {
  if (auto ok = CheckPoints(points); !ok) return Fail(ok.error());
  const int64_t spendable = std::max<int64_t>(Spendable(state, ctx.now), 0);
  const int64_t covered = std::min({points, std::max<int64_t>(coverable, 0), spendable});
  const int64_t over = points - covered;
  GrantedDebit out{LedgerChange{state, {}, {}}, 0, 0};
  out.debt = ctx.program.refund == RefundPolicy::kAllowNegative ? over : 0;
  out.uncovered = over - out.debt;
  LedgerChange& change = out.change;
  if (covered + out.debt > 0) {
    Entry e = NewEntry(ctx, EntryKind::kRedeem, ref_type, ref_id, reason);
    e.available_delta = -(covered + out.debt);
    if (covered > 0) e.allocations = TakeFromActive(change, covered, ctx.now, nullptr);
    change.state.account.available -= covered + out.debt;
    change.state.account.debt += out.debt;
    change.entries.push_back(std::move(e));
  }
  change.state.account.last_activity_at = ctx.now;
  DropClosedLots(change.state);
  return out;
}

std::pair<int64_t, int64_t> GrantedShortfall(const LedgerChange& change, int64_t requested) {
  for (const Entry& e : change.entries) {
    if (e.kind != EntryKind::kRedeem) continue;
    int64_t covered = 0;
    for (const Allocation& a : e.allocations) covered += a.points;
    const int64_t granted = -e.available_delta;
    return {granted - covered, requested - granted};
  }
  return {0, requested};
}

LedgerChange ActivateDue(const AccountState& state, const LedgerContext& ctx) {
  LedgerChange change{state, {}, {}};
  Account& a = change.state.account;
  for (Lot& lot : change.state.lots) {
    if (lot.state != LotState::kPending || lot.activates_at > ctx.now) continue;
    Entry e = NewEntry(ctx, EntryKind::kActivate, "lot", lot.lot_id,
                       "return window over: points available");
    e.lot_id = lot.lot_id;
    e.pending_delta = -lot.remaining;
    e.available_delta = lot.remaining;
    a.pending -= lot.remaining;
    a.available += lot.remaining;
    const int64_t paid = std::min(a.debt, lot.remaining);
    lot.remaining -= paid;
    a.debt -= paid;
    lot.state = LotState::kActive;
    Touch(change, lot);
    change.entries.push_back(std::move(e));
  }
  DropClosedLots(change.state);
  return change;
}

LedgerChange ExpireDue(const AccountState& state, const LedgerContext& ctx) {
  LedgerChange change{state, {}, {}};
  Account& a = change.state.account;
  const auto inactive_since =
      a.last_activity_at ? InactivityExpiry(ctx.program.expiry, *a.last_activity_at, ctx.zone)
                         : std::nullopt;
  const bool all_inactive = inactive_since && *inactive_since <= ctx.now;
  for (Lot& lot : change.state.lots) {
    const bool due = (lot.expires_at && *lot.expires_at <= ctx.now) ||
                     (all_inactive && lot.state == LotState::kActive);
    if (!due || lot.remaining == 0) continue;
    Entry e = NewEntry(ctx, EntryKind::kExpire, "lot", lot.lot_id,
                       all_inactive ? "expired after inactivity" : "expired");
    e.lot_id = lot.lot_id;
    if (lot.state == LotState::kPending) {
      e.pending_delta = -lot.remaining;
      a.pending -= lot.remaining;
    } else {
      e.available_delta = -lot.remaining;
      a.available -= lot.remaining;
    }
    lot.remaining = 0;
    lot.state = LotState::kExpired;
    Touch(change, lot);
    change.entries.push_back(std::move(e));
  }
  DropClosedLots(change.state);
  return change;
}

LedgerChange Combine(LedgerChange first, const LedgerChange& second) {
  first.state = second.state;
  for (const Lot& lot : second.changed_lots) {
    auto same = std::find_if(first.changed_lots.begin(), first.changed_lots.end(),
                             [&](const Lot& l) { return l.lot_id == lot.lot_id; });
    if (same == first.changed_lots.end()) {
      first.changed_lots.push_back(lot);
    } else {
      *same = lot;
    }
  }
  first.entries.insert(first.entries.end(), second.entries.begin(), second.entries.end());
  return first;
}

Result<LedgerChange> ClawBack(const AccountState& state, const LedgerContext& ctx,
                              const std::string& ref, int64_t points, const std::string& ref_type,
                              const std::string& ref_id, const std::string& reason) {
  if (auto ok = CheckPoints(points); !ok) return Fail(ok.error());
  LedgerChange change{state, {}, {}};
  Account& a = change.state.account;
  int64_t left = points;
  // 1. What is still pending from those lots: cancelled before it ever became available.
  for (Lot& lot : change.state.lots) {
    if (left == 0) break;
    if (lot.ref != ref || lot.state != LotState::kPending || lot.remaining == 0) continue;
    const int64_t take = std::min(left, lot.remaining);
    Entry e = NewEntry(ctx, EntryKind::kReverse, ref_type, ref_id, reason);
    e.lot_id = lot.lot_id;
    e.pending_delta = -take;
    lot.remaining -= take;
    if (lot.remaining == 0) lot.state = LotState::kCancelled;
    a.pending -= take;
    left -= take;
    Touch(change, lot);
    change.entries.push_back(std::move(e));
  }
  // 2. What remains active of those lots, then (policy permitting) the rest of the balance.
  std::vector<Allocation> taken;
  int64_t from_active = 0;
  if (left > 0 && ctx.program.refund != RefundPolicy::kOnlyPending) {
    taken = TakeFromActive(change, left, ctx.now, &ref);
    for (const auto& t : taken) from_active += t.points;
    if (from_active < left) {
      auto more = TakeFromActive(change, left - from_active, ctx.now, nullptr);
      for (const auto& t : more) from_active += t.points;
      taken.insert(taken.end(), more.begin(), more.end());
    }
  }
  int64_t debt = 0;
  if (ctx.program.refund == RefundPolicy::kAllowNegative) debt = left - from_active;
  if (from_active + debt > 0) {
    Entry e = NewEntry(ctx, EntryKind::kReverse, ref_type, ref_id, reason);
    e.available_delta = -(from_active + debt);
    e.allocations = std::move(taken);
    a.available -= from_active + debt;
    a.debt += debt;
    change.entries.push_back(std::move(e));
  }
  a.last_activity_at = ctx.now;
  DropClosedLots(change.state);
  return change;
}

const char* AdjustmentStatusName(AdjustmentStatus s) {
  switch (s) {
    case AdjustmentStatus::kPendingApproval: return "pending_approval";
    case AdjustmentStatus::kApplied: return "applied";
    case AdjustmentStatus::kRejected: return "rejected";
  }
  return "?";
}

std::optional<AdjustmentStatus> ParseAdjustmentStatus(const std::string& s) {
  for (AdjustmentStatus v : {AdjustmentStatus::kPendingApproval, AdjustmentStatus::kApplied,
                             AdjustmentStatus::kRejected}) {
    if (s == AdjustmentStatusName(v)) return v;
  }
  return std::nullopt;
}

Result<LedgerChange> ApplyAdjustment(const AccountState& state, const LedgerContext& ctx,
                                     const Adjustment& adjustment) {
  const std::string reason = "adjustment: " + adjustment.reason;
  if (adjustment.points > 0) {
    return Credit(state, ctx, adjustment.points, EntryKind::kAdjust, "adjustment", "adjustment",
                  adjustment.adjustment_id, reason);
  }
  if (adjustment.points == INT64_MIN) return Fail(CheckPoints(0).error());
  return Debit(state, ctx, -adjustment.points, EntryKind::kAdjust, "adjustment",
               adjustment.adjustment_id, reason);
}

std::vector<std::string> CheckInvariants(const Account& a, const LedgerTotals& t,
                                         RefundPolicy refund) {
  std::vector<std::string> problems;
  auto check = [&](bool ok, std::string what) {
    if (!ok) problems.push_back(std::move(what));
  };
  check(a.available == t.entries_available,
        "available " + std::to_string(a.available) + " != sum of entries " +
            std::to_string(t.entries_available));
  check(a.pending == t.entries_pending, "pending " + std::to_string(a.pending) +
                                            " != sum of entries " + std::to_string(t.entries_pending));
  check(a.available == t.active_remaining - a.debt,
        "available " + std::to_string(a.available) + " != active lots " +
            std::to_string(t.active_remaining) + " - debt " + std::to_string(a.debt));
  check(a.pending == t.pending_remaining, "pending " + std::to_string(a.pending) +
                                              " != pending lots " + std::to_string(t.pending_remaining));
  check(a.debt >= 0, "debt is negative");
  check(a.pending >= 0, "pending is negative");
  check(a.available >= 0 || refund == RefundPolicy::kAllowNegative,
        "available is negative without the allow_negative refund policy");
  return problems;
}

}  // namespace loyalty
