// Tier use cases.
#include "loyalty/service/tier_service.h"

#include "loyalty/service/audit_entry.h"

namespace loyalty {
namespace {

constexpr int kReviewBatch = 200;

}  // namespace

// Every window is at most a year (+ a day for the rolling one); load a little more.
Instant TierService::ActivitiesSince(Instant now) const { return now - std::chrono::days(400); }

Result<TierView> TierService::View(const Actor& actor, const std::string& member_id) {
  if (auto ok = Require(actor.principal, Permission::kMembersRead); !ok) return Fail(ok.error());
  auto program = ports_.program.Current();
  if (!program) return Fail(program.error());
  const TierRules& rules = program->tiers;
  const Instant now = ports_.clock.Now();
  auto record = ports_.tiers.Load(member_id, rules.levels.front().code, ActivitiesSince(now));
  if (!record) return Fail(record.error());
  TierView view;
  view.status = record->status;
  view.metric = rules.metric;
  view.currency = program->currency;
  const TierWindowRange window = QualificationWindow(rules, now, record->enrolled_at, program->time_zone);
  view.window_start = window.start;
  view.window_end = window.end;
  view.qualifying_value = QualifyingValue(rules, record->activities, window);
  TierRules by_spend = rules;
  by_spend.metric = TierMetric::kSpend;
  view.qualifying_spend = QualifyingValue(by_spend, record->activities, window);
  const size_t current = LevelIndex(rules, view.status.tier).value_or(0);
  view.level = rules.levels[current];
  if (current + 1 < rules.levels.size()) {
    view.next_level = rules.levels[current + 1];
    view.remaining_to_next = std::max<int64_t>(view.next_level->threshold - view.qualifying_value, 0);
  }
  view.history = record->history;
  return view;
}

Result<TierUpdate> TierService::PurchaseUpdate(const Actor& actor, const std::string& member_id,
                                               const TierActivity& activity,
                                               const std::string& ref) {
  auto program = ports_.program.Current();
  if (!program) return Fail(program.error());
  const TierRules rules = program->tiers;
  const std::string zone = program->time_zone;
  return TierUpdate{
      member_id,
      rules.levels.front().code,
      TierActivityRecord{ports_.random.NewId(), ref, activity},
      ActivitiesSince(activity.at),
      actor.principal.staff_id,
      [rules, zone, at = activity.at](
          TierStatus& status, const TierRecord& record) -> Result<std::optional<TierChange>> {
        const auto window = QualificationWindow(rules, at, record.enrolled_at, zone);
        return Upgrade(rules, status, QualifyingValue(rules, record.activities, window), at, zone);
      }};
}

Result<TierUpdate> TierService::ReturnUpdate(const Actor& actor, const std::string& member_id,
                                             const TierActivity& activity, const std::string& ref) {
  auto program = ports_.program.Current();
  if (!program) return Fail(program.error());
  const TierRules rules = program->tiers;
  const std::string zone = program->time_zone;
  const Instant now = ports_.clock.Now();
  return TierUpdate{
      member_id,
      rules.levels.front().code,
      TierActivityRecord{ports_.random.NewId(), ref, activity},
      ActivitiesSince(now),
      actor.principal.staff_id,
      [rules, zone, now](TierStatus& status,
                         const TierRecord& record) -> Result<std::optional<TierChange>> {
        const auto window = QualificationWindow(rules, now, record.enrolled_at, zone);
        std::optional<TierChange> last;
        if (!record.history.empty()) last = record.history.front();
        return AfterReturn(rules, status, QualifyingValue(rules, record.activities, window), last,
                           window.start, now, zone);
      }};
}

Result<std::optional<TierChange>> TierService::RecordPurchase(const Actor& actor,
                                                              const std::string& member_id,
                                                              const TierActivity& activity,
                                                              const std::string& ref) {
  auto update = PurchaseUpdate(actor, member_id, activity, ref);
  if (!update) return Fail(update.error());
  auto applied =
      ports_.tiers.Apply(update->member_id, update->base_tier, update->activity,
                         update->activities_since, update->staff_id, update->decide, std::nullopt);
  if (!applied) return Fail(applied.error());
  return applied->second;
}

Result<TierChange> TierService::Assign(const Actor& actor, const std::string& member_id,
                                       const std::string& tier, const std::string& reason) {
  if (auto ok = Require(actor.principal, Permission::kPointsAdjust); !ok) return Fail(ok.error());
  if (reason.empty() || reason.size() > 200) {
    return InvalidField("reason", "invalid_reason", "say why in 1 to 200 characters");
  }
  auto program = ports_.program.Current();
  if (!program) return Fail(program.error());
  const TierRules& rules = program->tiers;
  const Instant now = ports_.clock.Now();
  const AuditEntry audit = NewAuditEntry(actor, ports_.random, ports_.clock, "tier.assign", "member",
                                         member_id, "{\"tier\":\"" + tier.substr(0, 32) + "\"}");
  if (!LevelIndex(rules, tier)) {
    TierStatus scratch;
    return Fail(AssignTier(rules, scratch, tier, reason, now, program->time_zone).error());
  }
  auto applied = ports_.tiers.Apply(
      member_id, rules.levels.front().code, std::nullopt, ActivitiesSince(now),
      actor.principal.staff_id,
      [&](TierStatus& status, const TierRecord&) -> Result<std::optional<TierChange>> {
        auto change = AssignTier(rules, status, tier, reason, now, program->time_zone);
        if (!change) return Fail(change.error());
        return std::optional<TierChange>(*change);
      },
      audit);
  if (!applied) return Fail(applied.error());
  return *applied->second;
}

Result<int> TierService::ReviewDue(Instant now) {
  auto program = ports_.program.Current();
  if (!program) return Fail(program.error());
  const TierRules& rules = program->tiers;
  const Instant before = now - std::chrono::days(rules.grace_days);
  int changed = 0;
  std::set<std::string> seen;
  for (;;) {
    auto due = ports_.tiers.DueForReview(before, kReviewBatch + static_cast<int>(seen.size()));
    if (!due) return Fail(due.error());
    int fresh = 0;
    for (const std::string& member_id : *due) {
      if (!seen.insert(member_id).second) continue;
      ++fresh;
      auto applied = ports_.tiers.Apply(
          member_id, rules.levels.front().code, std::nullopt, ActivitiesSince(now), "system",
          [&](TierStatus& status, const TierRecord& record) -> Result<std::optional<TierChange>> {
            // The qualification measured over the window that ended at the review date.
            const Instant at = status.review_at.value_or(now);
            const auto window = QualificationWindow(rules, at - std::chrono::microseconds(1),
                                                    record.enrolled_at, program->time_zone);
            return Review(rules, status, QualifyingValue(rules, record.activities, window), now,
                          program->time_zone);
          },
          std::nullopt);
      if (!applied) return Fail(applied.error());
      if (applied->second) ++changed;
    }
    if (fresh == 0) break;
  }
  return changed;
}

}  // namespace loyalty
