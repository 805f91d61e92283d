// Points use cases: balances and history, earning, redeeming, manual adjustments with approval,
// transfers, the activation/expiry sweep, the invariant audit and the liability report.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/common/clock.h"
#include "loyalty/domain/ledger.h"
#include "loyalty/domain/member.h"
#include "loyalty/domain/ports/audit_log.h"
#include "loyalty/domain/ports/ledger_repository.h"
#include "loyalty/domain/ports/member_repository.h"
#include "loyalty/domain/ports/program_store.h"
#include "loyalty/domain/ports/random_source.h"
#include "loyalty/service/actor.h"

namespace loyalty {

struct ExpiringPoints {
  date::year_month_day last_day;  // the last local day the points can be used
  int64_t points = 0;
};

struct PointsSummary {
  int64_t available = 0;
  int64_t pending = 0;
  int64_t debt = 0;
  int64_t lifetime_earned = 0;
  std::vector<ExpiringPoints> expiring;  // soonest first, at most 3 dates
  Money value;                           // what `available` is worth when redeemed
};

// Why points are credited or debited, for the ledger line the member will read.
struct PointsReason {
  std::string ref_type;  // transaction, award, service_desk, ...
  std::string ref_id;
  std::string reason;
  std::optional<std::string> store_id;
};

struct SweepReport {
  int members = 0;
  int activated_lots = 0;
  int expired_lots = 0;
};

struct AuditFinding {
  std::string member_id;
  std::vector<std::string> problems;
};

struct LiabilityLine {
  std::optional<std::string> store_id;
  std::string expiry_month;  // "2027-03" in the chain's zone; "" = never expires
  int64_t active = 0;
  int64_t pending = 0;
  Money active_value;
};

struct LiabilityReport {
  int64_t active = 0, pending = 0;
  Money active_value, pending_value;
  std::vector<LiabilityLine> lines;
};

struct PointsPorts {
  LedgerRepository& ledger;
  ProgramStore& program;
  MemberRepository& members;
  RandomSource& random;
  const Clock& clock;
};

class PointsService {
 public:
  explicit PointsService(PointsPorts ports) : ports_(ports) {}

  Result<PointsSummary> Summary(const Actor& actor, const std::string& member_id);
  Result<LedgerPage> History(const Actor& actor, const std::string& member_id,
                             const std::optional<std::string>& cursor, int limit);

  // Credits earned points (purchases pass through the pending period). Used by checkout.
  Result<LedgerChange> Earn(const Actor& actor, const std::string& member_id, int64_t points,
                            const PointsReason& why);
  // Non-purchase awards from the program (enrolment, profile completion), each at most once per
  // member whatever retries happen; a zero award or one already given is a no-op (nullopt).
  Result<std::optional<LedgerChange>> Award(const Actor& actor, const std::string& member_id,
                                            const std::string& award, int64_t points);
  // The program's awards for a new member (enrolment, and profile completion if the profile is
  // already complete) and for an edited one (profile completion).
  Status OnEnrolled(const Actor& actor, const Member& member);
  Status OnProfileChanged(const Actor& actor, const Member& member);
  // Spends points within the program's per-transaction minimum and maximum.
  Result<LedgerChange> Redeem(const Actor& actor, const std::string& member_id, int64_t points,
                              const PointsReason& why);
  // The debit of a catalogue reward (a coupon), for the use case that writes it together with
  // what it buys. The reward sets the price, so the service-desk minimum and maximum do not
  // apply; the permission and the member are checked here.
  Result<LedgerDecision> RewardDebit(const Actor& actor, const std::string& member_id,
                                     int64_t points, const PointsReason& why);

  // A till sale's points, for the checkout that writes them with the sale: `redeem` points spent
  // as tender (the quote checked the program's range), then `earn` credited as a purchase (pending
  // for the return window), both under the sale's txn_id.
  Result<LedgerDecision> SaleDecision(const Actor& actor, const std::string& member_id,
                                      int64_t redeem, int64_t earn, const PointsReason& why);
  // SaleDecision for a sale recorded offline: the redemption was granted already, so it never
  // fails for lack of points (DebitGranted with `coverable`, the member's offline allowance).
  Result<LedgerDecision> OfflineSaleDecision(const Actor& actor, const std::string& member_id,
                                             int64_t redeem, int64_t coverable, int64_t earn,
                                             const PointsReason& why);
  // A return's points: up to `claw_back` of what sale `sale_txn_id` earned is taken back (per the
  // refund policy), and `restore` redeemed points are credited back, under the return's id.
  Result<LedgerDecision> ReturnDecision(const Actor& actor, const std::string& sale_txn_id,
                                        int64_t claw_back, int64_t restore,
                                        const PointsReason& why);

  // Applied at once when |points| <= the approval threshold, otherwise pending approval.
  Result<Adjustment> RequestAdjustment(const Actor& actor, const std::string& member_id,
                                       int64_t points, const std::string& reason);
  // By a staff member other than the requester.
  Result<Adjustment> ApproveAdjustment(const Actor& actor, const std::string& adjustment_id);

  // Moves active points between two members (family pooling), within the program's limits.
  Result<std::pair<LedgerChange, LedgerChange>> Transfer(const Actor& actor, const std::string& from,
                                                         const std::string& to, int64_t points);

  // Activates and/or expires whatever is due at `now`, member by member; safe to run again or
  // concurrently (each member's change is decided under its lock from current state).
  Result<SweepReport> Sweep(Instant now, bool activate = true, bool expire = true);
  // Every account against its entries and lots.
  Result<std::vector<AuditFinding>> AuditLedger();
  Result<LiabilityReport> Liability(const Actor& actor);

  Result<ProgramConfig> GetProgram(const Actor& actor);
  // Validates and saves `program` as the next version; program.version must be the version it
  // replaces (409 program_changed otherwise).
  Result<ProgramConfig> PutProgram(const Actor& actor, const ProgramConfig& program);
  // The current program, for other use cases (no permission check: they have done theirs).
  Result<ProgramConfig> Program();

 private:
  Status RequireMember(const std::string& member_id);

  LedgerContext Context(const ProgramConfig& program, const Actor& actor,
                        std::optional<std::string> store_id) const;
  // A decision that runs `op` with a context over its own copy of `program` (the decision may run
  // after the caller's program is gone).
  using LedgerOperation =
      std::function<Result<LedgerChange>(const AccountState&, const LedgerContext&)>;
  LedgerDecision Deciding(const ProgramConfig& program, const Actor& actor,
                          std::optional<std::string> store_id, LedgerOperation op) const;
  AuditEntry Audit(const Actor& actor, std::string action, const std::string& member_id,
                   std::string detail_json) const;
  Money ValueOf(const ProgramConfig& program, int64_t points) const;

  PointsPorts ports_;
};

}  // namespace loyalty
