// Points use cases.
#include "loyalty/service/points_service.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "loyalty/common/business_date.h"
#include "loyalty/common/time_format.h"
#include "loyalty/domain/expiry.h"
#include "loyalty/service/audit_entry.h"

namespace loyalty {
namespace {

// `change` followed by `earn` points credited for the purchase `why` (nothing when 0).
Result<LedgerChange> ThenEarn(LedgerChange change, const LedgerContext& ctx, int64_t earn,
                              const PointsReason& why) {
  if (earn <= 0) return change;
  auto credit = Credit(change.state, ctx, earn, EntryKind::kEarn, kPurchaseSource, why.ref_type,
                       why.ref_id, why.reason);
  if (!credit) return credit;
  return Combine(std::move(change), *credit);
}

constexpr int kSweepBatch = 200;
constexpr size_t kExpiringDates = 3;

date::year_month_day LastUsableDay(Instant expires_at, const std::string& zone) {
  // A lot expiring at local midnight is usable through the day before.
  return BusinessDate(expires_at - std::chrono::microseconds(1), zone);
}

}  // namespace

Result<ProgramConfig> PointsService::Program() { return ports_.program.Current(); }

Status PointsService::RequireMember(const std::string& member_id) {
  auto found = ports_.members.FindById(member_id);
  if (!found) return Fail(found.error());
  if (!*found) {
    Error e{Code::kNotFound, "member_not_found", "no member with this id", {}};
    return Fail(e.With("member_id", member_id.substr(0, 64)));
  }
  if ((*found)->profile.status == MemberStatus::kErased) {
    return Fail(Code::kFailedPrecondition, "member_erased",
                "this member was erased at their request; points cannot change");
  }
  return {};
}

LedgerContext PointsService::Context(const ProgramConfig& program, const Actor& actor,
                                     std::optional<std::string> store_id) const {
  LedgerContext ctx{program, ports_.clock.Now(), program.time_zone, actor.principal.staff_id,
                    std::move(store_id), [this] { return ports_.random.NewId(); }};
  if (!ctx.store_id && IsStoreScoped(actor.principal.role) && !actor.principal.store_ids.empty()) {
    ctx.store_id = actor.principal.store_ids.front();
  }
  return ctx;
}

LedgerDecision PointsService::Deciding(const ProgramConfig& program, const Actor& actor,
                                       std::optional<std::string> store_id,
                                       LedgerOperation op) const {
  auto kept = std::make_shared<const ProgramConfig>(program);
  // The context refers to *kept, which the decision owns.
  LedgerContext ctx = Context(*kept, actor, std::move(store_id));
  return [kept, ctx = std::move(ctx), op = std::move(op)](const AccountState& state) {
    return op(state, ctx);
  };
}

Money PointsService::ValueOf(const ProgramConfig& program, int64_t points) const {
  const auto minor = MulDiv(points, program.redemption.value_minor, program.redemption.points,
                            Rounding::kFloor);
  return Money{minor.value_or(0), program.currency};
}

AuditEntry PointsService::Audit(const Actor& actor, std::string action, const std::string& member_id,
                                std::string detail_json) const {
  return NewAuditEntry(actor, ports_.random, ports_.clock, std::move(action), "member", member_id,
                       std::move(detail_json));
}

Result<PointsSummary> PointsService::Summary(const Actor& actor, const std::string& member_id) {
  if (auto ok = Require(actor.principal, Permission::kMembersRead); !ok) return Fail(ok.error());
  if (auto ok = RequireMember(member_id); !ok && ok.error().code == Code::kNotFound) {
    return Fail(ok.error());
  }
  auto program = Program();
  if (!program) return Fail(program.error());
  auto state = ports_.ledger.Load(member_id);
  if (!state) return Fail(state.error());
  PointsSummary s;
  s.available = state->account.available;
  s.pending = state->account.pending;
  s.debt = state->account.debt;
  s.lifetime_earned = state->account.lifetime_earned;
  s.value = ValueOf(*program, std::max<int64_t>(s.available, 0));
  std::map<date::sys_days, int64_t> by_day;
  for (const Lot& lot : state->lots) {
    if (lot.state == LotState::kActive && lot.expires_at && lot.remaining > 0) {
      by_day[date::sys_days(LastUsableDay(*lot.expires_at, program->time_zone))] += lot.remaining;
    }
  }
  for (const auto& [day, points] : by_day) {
    if (s.expiring.size() == kExpiringDates) break;
    s.expiring.push_back({date::year_month_day(day), points});
  }
  return s;
}

Result<LedgerPage> PointsService::History(const Actor& actor, const std::string& member_id,
                                          const std::optional<std::string>& cursor, int limit) {
  if (auto ok = Require(actor.principal, Permission::kMembersRead); !ok) return Fail(ok.error());
  if (limit < 1 || limit > 200) {
    return InvalidField("limit", "invalid_limit", "limit must be between 1 and 200");
  }
  if (auto ok = RequireMember(member_id); !ok && ok.error().code == Code::kNotFound) {
    return Fail(ok.error());
  }
  return ports_.ledger.Entries(member_id, cursor, limit);
}

Result<LedgerChange> PointsService::Earn(const Actor& actor, const std::string& member_id,
                                         int64_t points, const PointsReason& why) {
  if (auto ok = RequireMember(member_id); !ok) return Fail(ok.error());
  auto program = Program();
  if (!program) return Fail(program.error());
  const LedgerContext ctx = Context(*program, actor, why.store_id);
  return ports_.ledger.Apply(
      member_id,
      [&](const AccountState& state) {
        return Credit(state, ctx, points, EntryKind::kEarn, kPurchaseSource, why.ref_type,
                      why.ref_id, why.reason);
      },
      std::nullopt);
}

Result<std::optional<LedgerChange>> PointsService::Award(const Actor& actor,
                                                        const std::string& member_id,
                                                        const std::string& award, int64_t points) {
  if (points <= 0) return std::optional<LedgerChange>{};
  auto program = Program();
  if (!program) return Fail(program.error());
  const LedgerContext ctx = Context(*program, actor, std::nullopt);
  auto change = ports_.ledger.Apply(
      member_id,
      [&](const AccountState& state) {
        return Credit(state, ctx, points, EntryKind::kEarn, "award", "award", award,
                      "award: " + award);
      },
      std::nullopt);
  if (!change && change.error().slug == "already_credited") return std::optional<LedgerChange>{};
  if (!change) return Fail(change.error());
  return std::optional<LedgerChange>(std::move(*change));
}

Status PointsService::OnEnrolled(const Actor& actor, const Member& member) {
  auto program = Program();
  if (!program) return Fail(program.error());
  auto given = Award(actor, member.member_id, "enrolment", program->awards.enrolment);
  if (!given) return Fail(given.error());
  return OnProfileChanged(actor, member);
}

Status PointsService::OnProfileChanged(const Actor& actor, const Member& member) {
  const bool complete = !member.phone.empty() && member.email && !member.name.empty() && member.birthday;
  if (!complete || member.status != MemberStatus::kActive) return {};
  auto program = Program();
  if (!program) return Fail(program.error());
  auto given = Award(actor, member.member_id, "profile_completion", program->awards.profile_completion);
  if (!given) return Fail(given.error());
  return {};
}

Result<LedgerChange> PointsService::Redeem(const Actor& actor, const std::string& member_id,
                                           int64_t points, const PointsReason& why) {
  if (auto ok = Require(actor.principal, Permission::kPointsRedeem); !ok) return Fail(ok.error());
  auto program = Program();
  if (!program) return Fail(program.error());
  const RedemptionRules& r = program->redemption;
  if (points < r.min_points || points > r.max_points) {
    return InvalidField("points", "points_out_of_range",
                        "redeem between " + std::to_string(r.min_points) + " and " +
                            std::to_string(r.max_points) + " points in one go");
  }
  if (auto ok = RequireMember(member_id); !ok) return Fail(ok.error());
  const LedgerContext ctx = Context(*program, actor, why.store_id);
  return ports_.ledger.Apply(
      member_id,
      [&](const AccountState& state) {
        return Debit(state, ctx, points, EntryKind::kRedeem, why.ref_type, why.ref_id, why.reason);
      },
      Audit(actor, "points.redeem", member_id, "{\"points\":" + std::to_string(points) + "}"));
}

Result<LedgerDecision> PointsService::RewardDebit(const Actor& actor, const std::string& member_id,
                                                  int64_t points, const PointsReason& why) {
  if (auto ok = Require(actor.principal, Permission::kPointsRedeem); !ok) return Fail(ok.error());
  if (points <= 0)
    return InvalidField("points", "invalid_points", "the reward has no points price");
  auto program = Program();
  if (!program) return Fail(program.error());
  if (auto ok = RequireMember(member_id); !ok) return Fail(ok.error());
  return Deciding(*program, actor, why.store_id,
                  [points, why](const AccountState& state, const LedgerContext& ctx) {
                    return Debit(state, ctx, points, EntryKind::kRedeem, why.ref_type, why.ref_id,
                                 why.reason);
                  });
}

Result<LedgerDecision> PointsService::SaleDecision(const Actor& actor, const std::string& member_id,
                                                   int64_t redeem, int64_t earn,
                                                   const PointsReason& why) {
  if (redeem > 0) {
    if (auto ok = Require(actor.principal, Permission::kPointsRedeem); !ok) {
      return Fail(ok.error());
    }
  }
  auto program = Program();
  if (!program) return Fail(program.error());
  if (auto ok = RequireMember(member_id); !ok) return Fail(ok.error());
  return Deciding(*program, actor, why.store_id,
                  [redeem, earn, why](const AccountState& state,
                                      const LedgerContext& ctx) -> Result<LedgerChange> {
                    LedgerChange change{state, {}, {}};
                    if (redeem > 0) {
                      auto debit = Debit(state, ctx, redeem, EntryKind::kRedeem, why.ref_type,
                                         why.ref_id, "points used at the till: " + why.reason);
                      if (!debit) return debit;
                      change = std::move(*debit);
                    }
                    return ThenEarn(std::move(change), ctx, earn, why);
                  });
}

Result<LedgerDecision> PointsService::OfflineSaleDecision(const Actor& actor,
                                                          const std::string& member_id,
                                                          int64_t redeem, int64_t coverable,
                                                          int64_t earn, const PointsReason& why) {
  auto program = Program();
  if (!program) return Fail(program.error());
  if (auto ok = RequireMember(member_id); !ok) return Fail(ok.error());
  return Deciding(*program, actor, why.store_id,
                  [redeem, coverable, earn, why](const AccountState& state,
                                                 const LedgerContext& ctx) -> Result<LedgerChange> {
                    LedgerChange change{state, {}, {}};
                    if (redeem > 0) {
                      auto granted =
                          DebitGranted(state, ctx, redeem, coverable, why.ref_type, why.ref_id,
                                       "points used at an offline till: " + why.reason);
                      if (!granted) return Fail(granted.error());
                      change = std::move(granted->change);
                    }
                    return ThenEarn(std::move(change), ctx, earn, why);
                  });
}

Result<LedgerDecision> PointsService::ReturnDecision(const Actor& actor,
                                                     const std::string& sale_txn_id,
                                                     int64_t claw_back, int64_t restore,
                                                     const PointsReason& why) {
  auto program = Program();
  if (!program) return Fail(program.error());
  return Deciding(*program, actor, why.store_id,
                  [sale_txn_id, claw_back, restore, why](
                      const AccountState& state, const LedgerContext& ctx) -> Result<LedgerChange> {
                    LedgerChange change{state, {}, {}};
                    if (claw_back > 0) {
                      auto taken = ClawBack(state, ctx, sale_txn_id, claw_back, why.ref_type,
                                            why.ref_id, "returned: " + why.reason);
                      if (!taken) return taken;
                      change = std::move(*taken);
                    }
                    if (restore > 0) {
                      auto back =
                          Credit(change.state, ctx, restore, EntryKind::kReverse, "refund",
                                 why.ref_type, why.ref_id, "points given back: " + why.reason);
                      if (!back) return back;
                      change = Combine(std::move(change), *back);
                    }
                    return change;
                  });
}

Result<Adjustment> PointsService::RequestAdjustment(const Actor& actor, const std::string& member_id,
                                                    int64_t points, const std::string& reason) {
  if (auto ok = Require(actor.principal, Permission::kPointsAdjust); !ok) return Fail(ok.error());
  if (points == 0 || points > 1'000'000'000'000 || points < -1'000'000'000'000) {
    return InvalidField("points", "invalid_points",
                        "points must be a whole number other than zero, at most 10^12 either way");
  }
  if (reason.empty() || reason.size() > 255) {
    return InvalidField("reason", "invalid_reason",
                        "say why in 1 to 255 characters; the member and the auditor will read it");
  }
  if (auto ok = RequireMember(member_id); !ok) return Fail(ok.error());
  auto program = Program();
  if (!program) return Fail(program.error());
  const LedgerContext ctx = Context(*program, actor, std::nullopt);
  Adjustment a;
  a.adjustment_id = ports_.random.NewId();
  a.member_id = member_id;
  a.points = points;
  a.reason = reason;
  a.requested_by = actor.principal.staff_id;
  a.requested_at = ctx.now;
  a.store_id = ctx.store_id;
  const bool needs_approval = points > program->adjustments.approval_threshold ||
                              -points > program->adjustments.approval_threshold;
  const LedgerDecision apply = [&](const AccountState& state) { return ApplyAdjustment(state, ctx, a); };
  return ports_.ledger.RecordAdjustment(
      a, needs_approval ? nullptr : &apply,
      Audit(actor, needs_approval ? "points.adjustment_requested" : "points.adjust", member_id,
            "{\"adjustment_id\":\"" + a.adjustment_id + "\",\"points\":" + std::to_string(points) + "}"));
}

Result<Adjustment> PointsService::ApproveAdjustment(const Actor& actor,
                                                    const std::string& adjustment_id) {
  if (auto ok = Require(actor.principal, Permission::kPointsAdjust); !ok) return Fail(ok.error());
  auto program = Program();
  if (!program) return Fail(program.error());
  const LedgerContext ctx = Context(*program, actor, std::nullopt);
  return ports_.ledger.ApproveAdjustment(
      adjustment_id, actor.principal.staff_id, ctx.now,
      [&](const Adjustment& a, const AccountState& state) -> Result<LedgerChange> {
        if (a.requested_by == actor.principal.staff_id) {
          return Fail(Code::kPermissionDenied, "four_eyes",
                      "a large adjustment must be approved by someone other than who asked for it");
        }
        return ApplyAdjustment(state, ctx, a);
      },
      [&](const Adjustment& a) {
        return Audit(actor, "points.adjustment_approved", a.member_id,
                     "{\"adjustment_id\":\"" + a.adjustment_id + "\",\"points\":" +
                         std::to_string(a.points) + "}");
      });
}

Result<std::pair<LedgerChange, LedgerChange>> PointsService::Transfer(const Actor& actor,
                                                                      const std::string& from,
                                                                      const std::string& to,
                                                                      int64_t points) {
  if (auto ok = Require(actor.principal, Permission::kPointsRedeem); !ok) return Fail(ok.error());
  auto program = Program();
  if (!program) return Fail(program.error());
  const TransferRules& rules = program->transfers;
  if (!rules.enabled) {
    return Fail(Code::kFailedPrecondition, "transfers_disabled", "the program does not allow transfers");
  }
  if (from == to) {
    return InvalidField("to_member_id", "same_member", "points cannot be transferred to the same member");
  }
  if (points < rules.min_points || points > rules.max_points_per_day) {
    return InvalidField("points", "points_out_of_range",
                        "transfer between " + std::to_string(rules.min_points) + " and " +
                            std::to_string(rules.max_points_per_day) + " points");
  }
  if (auto ok = RequireMember(from); !ok) return Fail(ok.error());
  if (auto ok = RequireMember(to); !ok) {
    Error e = ok.error();
    e.With("field", "to_member_id");
    return Fail(std::move(e));
  }
  const LedgerContext ctx = Context(*program, actor, std::nullopt);
  const Instant day_start = LocalDayStartAfter(ctx.now, 0, ctx.zone);
  const std::string transfer_id = ports_.random.NewId();
  return ports_.ledger.ApplyTransfer(
      from, to, day_start,
      [&](const AccountState& giver, const AccountState& receiver, int64_t sent_today)
          -> Result<std::pair<LedgerChange, LedgerChange>> {
        if (sent_today + points > rules.max_points_per_day) {
          return Fail(Code::kFailedPrecondition, "transfer_limit",
                      "this member can send " +
                          std::to_string(std::max<int64_t>(rules.max_points_per_day - sent_today, 0)) +
                          " more points today");
        }
        auto out = Debit(giver, ctx, points, EntryKind::kTransferOut, "transfer", transfer_id,
                         "sent to member " + to);
        if (!out) return Fail(out.error());
        // The receiver gets one lot per lot drawn, keeping each one's expiry: a transfer must
        // not extend the life of points.
        LedgerChange in{receiver, {}, {}};
        std::map<std::string, std::optional<Instant>> expiry;
        for (const Lot& lot : giver.lots) expiry[lot.lot_id] = lot.expires_at;
        const auto& drawn = out->entries.front().allocations;
        for (size_t i = 0; i < drawn.size(); ++i) {
          const Allocation& a = drawn[i];
          // One lot per lot drawn; the suffix keeps each lot's (source, ref) unique.
          auto credited = Credit(in.state, ctx, a.points, EntryKind::kTransferIn, "transfer",
                                 "transfer", transfer_id + ":" + std::to_string(i + 1),
                                 "received from member " + from, expiry[a.lot_id]);
          if (!credited) return Fail(credited.error());
          in.state = credited->state;
          in.changed_lots.insert(in.changed_lots.end(), credited->changed_lots.begin(),
                                 credited->changed_lots.end());
          in.entries.insert(in.entries.end(), credited->entries.begin(), credited->entries.end());
        }
        return std::pair{std::move(*out), std::move(in)};
      },
      Audit(actor, "points.transfer", from,
            "{\"to_member_id\":\"" + to.substr(0, 24) + "\",\"points\":" + std::to_string(points) + "}"));
}

Result<SweepReport> PointsService::Sweep(Instant now, bool activate, bool expire) {
  auto program = Program();
  if (!program) return Fail(program.error());
  SweepReport report;
  std::optional<Instant> inactive_before;
  if (expire && program->expiry.kind == ExpiryKind::kInactivityMonths) {
    // Everyone whose last activity is older than the shortest possible inactivity period (28-day
    // months): a superset; ExpireDue decides exactly from each member's own dates.
    inactive_before = now - std::chrono::days(28 * program->expiry.months_or_years);
  }
  const Actor system = Actor::System("sweep");
  std::set<std::string> unchanged;  // due by the query but nothing to do (inactivity superset)
  for (;;) {
    auto due = ports_.ledger.MembersDue(now, inactive_before, kSweepBatch + static_cast<int>(unchanged.size()));
    if (!due) return Fail(due.error());
    int progressed = 0;
    for (const std::string& member_id : *due) {
      if (unchanged.count(member_id)) continue;
      LedgerContext ctx = Context(*program, system, std::nullopt);
      ctx.now = now;
      int activated = 0, expired = 0;
      auto applied = ports_.ledger.Apply(
          member_id,
          [&](const AccountState& state) -> Result<LedgerChange> {
            LedgerChange a = activate ? ActivateDue(state, ctx) : LedgerChange{state, {}, {}};
            LedgerChange e = expire ? ExpireDue(a.state, ctx) : LedgerChange{a.state, {}, {}};
            activated = static_cast<int>(a.entries.size());
            expired = static_cast<int>(e.entries.size());
            for (const Lot& lot : e.changed_lots) {
              auto it = std::find_if(a.changed_lots.begin(), a.changed_lots.end(),
                                     [&](const Lot& l) { return l.lot_id == lot.lot_id; });
              if (it != a.changed_lots.end()) {
                *it = lot;
              } else {
                a.changed_lots.push_back(lot);
              }
            }
            a.entries.insert(a.entries.end(), e.entries.begin(), e.entries.end());
            a.state = e.state;
            return a;
          },
          std::nullopt);
      if (!applied) return Fail(applied.error());
      if (activated + expired == 0) {
        unchanged.insert(member_id);
        continue;
      }
      ++progressed;
      ++report.members;
      report.activated_lots += activated;
      report.expired_lots += expired;
    }
    if (progressed == 0) break;
  }
  return report;
}

Result<std::vector<AuditFinding>> PointsService::AuditLedger() {
  auto program = Program();
  if (!program) return Fail(program.error());
  std::vector<AuditFinding> findings;
  std::string after;
  for (;;) {
    auto ids = ports_.ledger.AccountIds(after, 500);
    if (!ids) return Fail(ids.error());
    for (const std::string& id : *ids) {
      auto totals = ports_.ledger.Totals(id);
      if (!totals) return Fail(totals.error());
      auto problems = CheckInvariants(totals->first, totals->second, program->refund);
      if (!problems.empty()) findings.push_back({id, std::move(problems)});
    }
    if (ids->size() < 500) break;
    after = ids->back();
  }
  return findings;
}

Result<LiabilityReport> PointsService::Liability(const Actor& actor) {
  if (auto ok = Require(actor.principal, Permission::kReportsRead); !ok) return Fail(ok.error());
  auto program = Program();
  if (!program) return Fail(program.error());
  auto rows = ports_.ledger.Liability();
  if (!rows) return Fail(rows.error());
  std::map<std::pair<std::string, std::string>, LiabilityLine> lines;
  LiabilityReport report;
  for (const LiabilityRow& row : *rows) {
    const std::string month =
        row.expires_at ? FormatDate(LastUsableDay(*row.expires_at, program->time_zone)).substr(0, 7)
                       : "";
    LiabilityLine& line = lines[{row.store_id.value_or(""), month}];
    line.store_id = row.store_id;
    line.expiry_month = month;
    line.active += row.active;
    line.pending += row.pending;
    report.active += row.active;
    report.pending += row.pending;
  }
  for (auto& [key, line] : lines) {
    line.active_value = ValueOf(*program, line.active);
    report.lines.push_back(line);
  }
  report.active_value = ValueOf(*program, report.active);
  report.pending_value = ValueOf(*program, report.pending);
  return report;
}

Result<ProgramConfig> PointsService::GetProgram(const Actor& actor) {
  if (auto ok = Require(actor.principal, Permission::kProgramRead); !ok) return Fail(ok.error());
  return Program();
}

Result<ProgramConfig> PointsService::PutProgram(const Actor& actor, const ProgramConfig& program) {
  if (auto ok = Require(actor.principal, Permission::kProgramWrite); !ok) return Fail(ok.error());
  if (auto ok = ValidateProgram(program); !ok) return Fail(ok.error());
  return ports_.program.Save(
      program, NewAuditEntry(actor, ports_.random, ports_.clock, "program.update", "program",
                             "program",
                             "{\"replaces_version\":" + std::to_string(program.version) + "}"));
}

}  // namespace loyalty
