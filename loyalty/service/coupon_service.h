// Coupon use cases: definitions, issuance (to members, anonymous bulk jobs, birthday and
// points-for-coupon), the wallet, and the checkout side: quote (evaluate and reserve) → redeem →
// restore.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/common/clock.h"
#include "loyalty/domain/coupon_evaluator.h"
#include "loyalty/domain/ports/coupon_definition_store.h"
#include "loyalty/domain/ports/coupon_issue_jobs.h"
#include "loyalty/domain/ports/coupon_repository.h"
#include "loyalty/domain/ports/pos_transaction_store.h"
#include "loyalty/domain/ports/random_source.h"
#include "loyalty/domain/ports/segment_audience.h"
#include "loyalty/service/actor.h"
#include "loyalty/service/member_service.h"
#include "loyalty/service/points_service.h"
#include "loyalty/service/tier_service.h"

namespace loyalty {

struct CouponServiceOptions {
  std::chrono::seconds reservation_ttl{300};  // how long a quote holds its coupons
  size_t max_members_per_issue = 1000;        // a larger audience is a segment or a job
  int64_t max_bulk_count = 10'000'000;        // codes one anonymous job may make
  size_t bulk_batch = 2000;                   // codes per insert; progress is kept per batch
  size_t segment_fetch = 50'000;              // members read per evaluation of a segment
  size_t segment_page = 1000;                 // members a segment job issues to per step
};

// Exactly one of `member_ids`, `count` (anonymous codes, run as a job) or `segment_id` (one
// coupon to each member of the segment, run as a job).
struct IssueRequest {
  std::vector<std::string> member_ids;
  std::optional<int64_t> count;
  std::optional<std::string> segment_id;
  std::string prefix;  // optional code prefix, e.g. "SPRING"
};

struct IssueResult {
  std::vector<IssuedCoupon> issued;  // one per member (the one they already had from this
                                     // request when it is repeated)
  std::optional<IssueJob> job;       // for `count` and `segment_id`
};

// A coupon with its definition, as the wallet and a code lookup show it.
struct CouponView {
  IssuedCoupon coupon;
  CouponDefinition definition;
  CouponWalletState state = CouponWalletState::kAvailable;
  std::string currency;  // the program's, for the discount taken
};

struct WalletPage {
  std::vector<CouponView> coupons;
  std::optional<std::string> next_cursor;
};

// The coupon part of a checkout: who, where, what is in the basket and the codes presented.
struct CouponCheckout {
  std::string reservation_id;  // the quote's id; coupons it applies are held under it
  std::optional<std::string> member_id;
  std::string store_id;
  std::string store_zone = "Asia/Shanghai";
  std::vector<BasketLine> lines;
  std::vector<std::string> codes;  // as typed or scanned
};

struct CouponQuote {
  CouponEvaluation evaluation;  // codes that cannot be used are in `rejected` with the reason
  std::optional<Instant> reserved_until;  // set when something was reserved
};

class CouponService {
 public:
  CouponService(CouponDefinitionStore& definitions, CouponRepository& coupons,
                CouponIssueJobs& jobs, MemberService& members, TierService& tiers,
                PointsService& points, RandomSource& random, const Clock& clock,
                CouponServiceOptions options = {}, SegmentAudience* segments = nullptr)
      : definitions_(definitions),
        coupons_(coupons),
        jobs_(jobs),
        members_(members),
        tiers_(tiers),
        points_(points),
        random_(random),
        clock_(clock),
        options_(options),
        segments_(segments) {}

  // Marketers and admins. Validates the whole definition (400 naming the field), assigns the id.
  Result<CouponDefinition> CreateDefinition(const Actor& actor, CouponDefinition definition);
  // Every staff role may read (tills show coupon names). 404 coupon_definition_not_found.
  Result<CouponDefinition> GetDefinition(const Actor& actor, const std::string& definition_id);

  // Marketers and admins. Members: each gets one coupon, in one transaction; `issue_ref` (at most
  // 48 characters, from the request's Idempotency-Key; empty = a new issue) makes a repeat give
  // back the same coupons. Count and segment: queue a job (RunIssueJobs makes the coupons; a
  // segment is evaluated while the job runs, and its size when queued is the job's `requested`).
  // Unknown members are 404 member_not_found naming the id; an unknown segment 404
  // segment_not_found.
  Result<IssueResult> Issue(const Actor& actor, const std::string& definition_id,
                            const IssueRequest& request, const std::string& issue_ref);
  // One coupon per member (already checked to exist) under `issue_ref`, in one transaction with
  // `audit`; a member who already has one from this issue_ref gets that one back.
  Result<std::vector<IssuedCoupon>> IssueToMembers(const CouponDefinition& definition,
                                                   const std::vector<std::string>& member_ids,
                                                   const std::string& prefix,
                                                   const std::string& issue_ref, AuditEntry audit);
  Result<IssueJob> GetJob(const Actor& actor, const std::string& job_id);
  // The codes a finished (or running) job has made so far, by code.
  Result<CouponPage> JobCodes(const Actor& actor, const std::string& job_id,
                              const std::string& after_code, int limit);
  // Makes the coupons of queued jobs (and of jobs whose worker died), a batch at a time; returns
  // how many were made. Run by serve's background worker and by tests.
  Result<int64_t> RunIssueJobs();

  // The member's coupons with their state now. In the member's birthday month (in the chain's
  // zone) the tier's birthday coupon is issued first if this year's is not there yet.
  Result<WalletPage> Wallet(const Actor& actor, const std::string& member_id,
                            const std::string& after_code, int limit);
  // A typed or scanned code: 400 invalid_code for a typo, 404 coupon_not_found.
  Result<CouponView> Lookup(const Actor& actor, const std::string& raw_code);
  // Marketers and admins withdraw an unused coupon, with a reason.
  Result<CouponView> Revoke(const Actor& actor, const std::string& raw_code,
                            const std::string& reason);
  // Points for a coupon (rewards catalogue): the definition's points_cost is redeemed from the
  // member's ledger and one coupon issued to them, in one transaction. `exchange_ref` (at most
  // 48 characters; empty = a new exchange) makes a repeat a no-op that charges nothing.
  Result<CouponView> Exchange(const Actor& actor, const std::string& member_id,
                              const std::string& definition_id, const std::string& exchange_ref);

  // Checkout. Quote: evaluates the presented codes against the basket and holds the coupons it
  // applies under checkout.reservation_id until now + reservation_ttl. A coupon another quote
  // grabbed in the meantime is rejected (reserved) and the rest evaluated again.
  Result<CouponQuote> Quote(const Actor& actor, const CouponCheckout& checkout);
  // An abandoned quote: its coupons go back to the wallets at once.
  Status Release(const Actor& actor, const std::string& reservation_id);
  // Commit: redeems what `applied` lists (the evaluation the sale was priced with) under
  // `txn_ref`, counting every limit. All or nothing; a replay of txn_ref is a no-op.
  Status Redeem(const Actor& actor, const CouponCheckout& checkout,
                const std::vector<AppliedCoupon>& applied, const std::string& txn_ref);
  // Redeem's redemption without writing it, for a till transaction that writes it with the sale.
  Result<CouponRedemption> RedemptionFor(const Actor& actor, const CouponCheckout& checkout,
                                         const std::vector<AppliedCoupon>& applied,
                                         const std::string& txn_ref);
  // The coupons sale `txn_ref` redeemed, as a return or void gives them back (the till's store
  // was checked by the caller: a return may be taken at another store of the chain).
  Result<CouponRestore> RestoreFor(const std::string& txn_ref, const std::string& store_zone);
  // Return or void: the sale's coupons go back to the wallets (their limits too). Returns the
  // codes restored; a second call restores nothing.
  Result<std::vector<std::string>> Restore(const Actor& actor, const std::string& txn_ref,
                                           const std::string& store_zone);

  // How long a quote holds its coupons.
  std::chrono::seconds ReservationTtl() const { return options_.reservation_ttl; }

  // Maintenance: reservations past their end are set back to issued (they already read so).
  Result<int> ReleaseEndedReservations();

 private:
  Result<CouponDefinition> Definition(const std::string& definition_id);
  Result<CouponView> View(IssuedCoupon coupon);
  std::string NewCode(const std::string& prefix);
  Status IssueBirthdayCoupon(const Actor& actor, const std::string& member_id);
  Result<std::vector<CouponUse>> Uses(const std::vector<IssuedCoupon>& coupons,
                                      const std::string& store_zone);
  Result<CouponQuote> EvaluateAndReserve(const CouponCheckout& checkout);
  Status RequireSegments() const;
  Result<int64_t> RunBulkJob(const IssueJob& job, const CouponDefinition& definition);
  Result<int64_t> RunSegmentJob(IssueJob job, const CouponDefinition& definition);
  // One coupon to each of `members` under the job's lease (lease_lost when another worker took
  // it); returns how many were new.
  Result<int64_t> IssueSegmentPage(const IssueJob& job, const CouponDefinition& definition,
                                   std::vector<std::string> members);
  // Inserts a batch of member coupons; returns the codes it skipped (or may have skipped).
  using InsertCoupons =
      std::function<Result<std::vector<std::string>>(const std::vector<IssuedCoupon>&)>;
  // Draws a code for each member and inserts the coupons through `insert`. A skipped member who
  // has a coupon from issue_ref already keeps it; the others (their code was drawn twice) draw
  // again. Returns each member's coupon.
  Result<std::map<std::string, IssuedCoupon>> DrawAndInsert(const CouponDefinition& definition,
                                                            std::vector<std::string> members,
                                                            const std::string& prefix,
                                                            const std::string& issue_ref,
                                                            const InsertCoupons& insert);

  CouponDefinitionStore& definitions_;
  CouponRepository& coupons_;
  CouponIssueJobs& jobs_;
  MemberService& members_;
  TierService& tiers_;
  PointsService& points_;
  RandomSource& random_;
  const Clock& clock_;
  CouponServiceOptions options_;
  SegmentAudience* segments_;  // null: this process cannot issue to segments
};

}  // namespace loyalty
