// Coupon use cases.
#include "loyalty/service/coupon_service.h"

#include <algorithm>
#include <map>
#include <set>

#include "loyalty/common/business_date.h"
#include "loyalty/domain/coupon_code.h"
#include "loyalty/service/audit_entry.h"

namespace loyalty {
namespace {

// Lease on a bulk job: renewed with every batch, so a live worker never loses it.
constexpr std::chrono::seconds kJobLease{60};
constexpr int kMaxCodeRedraws = 5;

Error CouponNotFound(const std::string& code) {
  Error e{Code::kNotFound, "coupon_not_found", "no coupon has the code " + code, {}};
  e.With("coupon_code", code);
  return e;
}

Status RequireStore(const Actor& actor, const std::string& store_id) {
  if (actor.principal.SeesStore(store_id)) return {};
  return Fail(Code::kPermissionDenied, "store_forbidden",
              "you may not check out in store " + store_id);
}

// A code rejected before evaluation, from its stored state at `now`; nullopt when the
// evaluator should judge it (available, expired, or held by this checkout).
std::optional<CouponRejection> StateRejection(const IssuedCoupon& coupon,
                                              const std::string& reservation_id, Instant now) {
  switch (WalletState(coupon, now)) {
    case CouponWalletState::kUsed:
      return CouponRejection::kUsed;
    case CouponWalletState::kRevoked:
      return CouponRejection::kRevoked;
    case CouponWalletState::kReserved:
      if (coupon.reservation_id != reservation_id) return CouponRejection::kReserved;
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

IssuedCoupon NewCoupon(const CouponDefinition& definition, std::string code,
                       std::optional<std::string> member_id, Instant at, std::string issue_ref) {
  IssuedCoupon c;
  c.instance = IssueCouponInstance(definition, std::move(code), std::move(member_id), at);
  c.issue_ref = std::move(issue_ref);
  return c;
}

// The rejection a failed reservation stands for.
CouponRejection RejectionOf(const Error& error) {
  if (error.slug == "coupon_used") return CouponRejection::kUsed;
  if (error.slug == "coupon_revoked") return CouponRejection::kRevoked;
  if (error.slug == "coupon_expired") return CouponRejection::kExpired;
  if (error.slug == "coupon_not_yet_valid") return CouponRejection::kNotYetValid;
  if (error.slug == "coupon_not_found") return CouponRejection::kUnknownCode;
  if (error.slug == "coupon_reserved") return CouponRejection::kReserved;
  return CouponRejection::kInvalidCoupon;
}

}  // namespace

Result<CouponDefinition> CouponService::CreateDefinition(const Actor& actor,
                                                         CouponDefinition definition) {
  if (auto ok = Require(actor.principal, Permission::kCouponsManage); !ok) return Fail(ok.error());
  definition.id = random_.NewId();
  if (auto ok = ValidateCouponDefinition(definition); !ok) return Fail(ok.error());
  if (auto ok = definitions_.Create(definition,
                                    NewAuditEntry(actor, random_, clock_, "coupon_definition.create",
                                                  "coupon_definition", definition.id));
      !ok) {
    return Fail(ok.error());
  }
  return definition;
}

Result<CouponDefinition> CouponService::GetDefinition(const Actor& actor,
                                                      const std::string& definition_id) {
  if (auto ok = Require(actor.principal, Permission::kProgramRead); !ok) return Fail(ok.error());
  return Definition(definition_id);
}

Result<CouponDefinition> CouponService::Definition(const std::string& definition_id) {
  auto found = definitions_.Find(definition_id);
  if (!found) return Fail(found.error());
  if (!*found) {
    Error e{
        Code::kNotFound, "coupon_definition_not_found", "no coupon definition with this id", {}};
    e.With("definition_id", definition_id);
    return Fail(std::move(e));
  }
  return **found;
}

std::string CouponService::NewCode(const std::string& prefix) {
  return MakeCouponCode(random_.Bytes(kCouponRandomBytes), prefix);
}

// ---- Issuance -------------------------------------------------------------------------------

Result<IssueResult> CouponService::Issue(const Actor& actor, const std::string& definition_id,
                                         const IssueRequest& request,
                                         const std::string& issue_ref) {
  if (auto ok = Require(actor.principal, Permission::kCouponsManage); !ok) return Fail(ok.error());
  if (!request.member_ids.empty() + request.count.has_value() + request.segment_id.has_value() !=
      1) {
    return InvalidField("member_ids", "invalid_issue_request",
                        "send exactly one of member_ids (coupons for those members), segment_id "
                        "(a coupon for each member of the segment) or count (anonymous codes)");
  }
  auto prefix = NormalizeCouponPrefix(request.prefix);
  if (!prefix) return Fail(prefix.error());
  auto definition = Definition(definition_id);
  if (!definition) return Fail(definition.error());
  const Instant now = clock_.Now();

  // Count and segment: a job, with `detail` in its audit entry.
  auto queue_job = [&](std::optional<std::string> segment_id, int64_t requested, const char* action,
                       const std::string& detail) -> Result<IssueResult> {
    IssueJob job;
    job.job_id = random_.NewId();
    job.definition_id = definition_id;
    job.segment_id = std::move(segment_id);
    job.requested = requested;
    job.prefix = *prefix;
    job.created_at = now;
    job.created_by = actor.principal.staff_id;
    auto created = jobs_.Create(
        job, NewAuditEntry(actor, random_, clock_, action, "coupon_definition", definition_id,
                           "{" + detail + ",\"job_id\":\"" + job.job_id + "\"}"));
    if (!created) return Fail(created.error());
    return IssueResult{{}, std::move(job)};
  };
  if (request.segment_id) {
    if (auto ok = RequireSegments(); !ok) return Fail(ok.error());
    auto size = segments_->AudienceSize(*request.segment_id);
    if (!size) {
      Error e = size.error();
      if (e.code == Code::kNotFound) e.With("field", "segment_id");
      return Fail(std::move(e));
    }
    // The id was found, so it is one of ours and safe inside the JSON detail.
    return queue_job(
        request.segment_id, *size, "coupon.issue_segment",
        "\"segment_id\":\"" + *request.segment_id + "\",\"members\":" + std::to_string(*size));
  }
  if (request.count) {
    if (*request.count < 1 || *request.count > options_.max_bulk_count) {
      return InvalidField("count", "invalid_count",
                          "count must be between 1 and " + std::to_string(options_.max_bulk_count));
    }
    return queue_job(std::nullopt, *request.count, "coupon.issue_bulk",
                     "\"count\":" + std::to_string(*request.count));
  }

  if (request.member_ids.size() > options_.max_members_per_issue) {
    return InvalidField("member_ids", "too_many_members",
                        "at most " + std::to_string(options_.max_members_per_issue) +
                            " members per request; issue to a segment for more");
  }
  std::vector<std::string> member_ids;
  std::set<std::string> seen;
  for (size_t i = 0; i < request.member_ids.size(); ++i) {
    const std::string& id = request.member_ids[i];
    if (!seen.insert(id).second) continue;
    auto member = members_.Get(actor, id);
    if (!member || member->status == MemberStatus::kErased) {
      if (!member && member.error().code != Code::kNotFound) return Fail(member.error());
      Error e{Code::kNotFound, "member_not_found", "no member with id " + id, {}};
      e.With("field", "member_ids[" + std::to_string(i) + "]");
      e.With("member_id", id);
      return Fail(std::move(e));
    }
    member_ids.push_back(id);
  }
  auto issued = IssueToMembers(
      *definition, member_ids, *prefix,
      issue_ref.empty() ? "request:" + random_.NewId() : issue_ref,
      NewAuditEntry(actor, random_, clock_, "coupon.issue", "coupon_definition", definition_id,
                    "{\"members\":" + std::to_string(member_ids.size()) + "}"));
  if (!issued) return Fail(issued.error());
  return IssueResult{std::move(*issued), std::nullopt};
}

Result<std::vector<IssuedCoupon>> CouponService::IssueToMembers(
    const CouponDefinition& definition, const std::vector<std::string>& member_ids,
    const std::string& prefix, const std::string& issue_ref, AuditEntry audit) {
  std::optional<AuditEntry> unwritten = std::move(audit);
  auto by_member = DrawAndInsert(
      definition, member_ids, prefix, issue_ref,
      [&](const std::vector<IssuedCoupon>& batch) -> Result<std::vector<std::string>> {
        auto skipped = coupons_.Insert(batch, unwritten);
        unwritten.reset();  // written with the first batch
        return skipped;
      });
  if (!by_member) return Fail(by_member.error());
  std::vector<IssuedCoupon> out;
  for (const std::string& id : member_ids) out.push_back(std::move((*by_member)[id]));
  return out;
}

Result<std::map<std::string, IssuedCoupon>> CouponService::DrawAndInsert(
    const CouponDefinition& definition, std::vector<std::string> pending, const std::string& prefix,
    const std::string& issue_ref, const InsertCoupons& insert) {
  const Instant now = clock_.Now();
  std::map<std::string, IssuedCoupon> by_member;
  for (int attempt = 0; !pending.empty(); ++attempt) {
    if (attempt > kMaxCodeRedraws) {
      return Fail(Code::kInternal, "code_space_exhausted", "could not draw unused coupon codes");
    }
    std::vector<IssuedCoupon> batch;
    batch.reserve(pending.size());
    for (const std::string& id : pending) {
      batch.push_back(NewCoupon(definition, NewCode(prefix), id, now, issue_ref));
    }
    auto skipped = insert(batch);
    if (!skipped) return Fail(skipped.error());
    const std::set<std::string> skipped_codes(skipped->begin(), skipped->end());
    pending.clear();
    for (IssuedCoupon& c : batch) {
      const std::string& id = *c.instance.member_id;
      if (!skipped_codes.count(c.instance.code)) {
        by_member[id] = std::move(c);
        continue;
      }
      auto existing = coupons_.FindByIssue(id, definition.id, issue_ref);
      if (!existing) return Fail(existing.error());
      if (*existing) {
        by_member[id] = std::move(**existing);  // issued before under this issue_ref
      } else {
        pending.push_back(id);  // the code was taken: draw another
      }
    }
  }
  return by_member;
}

Result<IssueJob> CouponService::GetJob(const Actor& actor, const std::string& job_id) {
  if (auto ok = Require(actor.principal, Permission::kCouponsManage); !ok) return Fail(ok.error());
  auto job = jobs_.Find(job_id);
  if (!job) return Fail(job.error());
  if (!*job) return Fail(Code::kNotFound, "issue_job_not_found", "no issue job with this id");
  return **job;
}

Result<CouponPage> CouponService::JobCodes(const Actor& actor, const std::string& job_id,
                                           const std::string& after_code, int limit) {
  auto job = GetJob(actor, job_id);
  if (!job) return Fail(job.error());
  return coupons_.ForIssueRef("job:" + job_id, after_code, limit);
}

Status CouponService::RequireSegments() const {
  if (segments_) return {};
  return Fail(Code::kFailedPrecondition, "segments_unavailable",
              "this server was started without the campaign module's segments");
}

Result<int64_t> CouponService::RunIssueJobs() {
  int64_t made = 0;
  while (true) {
    auto claimed = jobs_.Claim(clock_.Now(), clock_.Now() + kJobLease);
    if (!claimed) return Fail(claimed.error());
    if (!*claimed) return made;
    const IssueJob& job = **claimed;
    auto definition = Definition(job.definition_id);
    auto ran = !definition      ? Result<int64_t>(Fail(definition.error()))
               : job.segment_id ? RunSegmentJob(job, *definition)
                                : RunBulkJob(job, *definition);
    const bool transient =
        !ran && (ran.error().code == Code::kUnavailable || ran.error().code == Code::kAborted);
    if (!ran && !transient) {
      // The definition or the segment is gone or cannot be read: running again would fail the
      // same way, so the job ends with the reason.
      if (auto ok = jobs_.Finish(job, IssueJobState::kFailed, ran.error().message, clock_.Now());
          !ok) {
        return Fail(ok.error());
      }
      continue;
    }
    if (!ran) return Fail(ran.error());  // the lease runs out; another run resumes
    made += *ran;
  }
}

// Anonymous codes. Resuming counts what is already there; batches are fenced by the lease, so a
// job never makes more codes than requested. Finishes the job unless another worker took it.
Result<int64_t> CouponService::RunBulkJob(const IssueJob& job, const CouponDefinition& definition) {
  const std::string issue_ref = "job:" + job.job_id;
  auto issued = coupons_.CountByIssueRef(issue_ref);
  if (!issued) return Fail(issued.error());
  int64_t done = *issued;
  int64_t made = 0;
  while (done < job.requested) {
    const size_t n =
        static_cast<size_t>(std::min<int64_t>(job.requested - done, options_.bulk_batch));
    const Instant now = clock_.Now();
    std::vector<IssuedCoupon> batch;
    batch.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      batch.push_back(NewCoupon(definition, NewCode(job.prefix), std::nullopt, now, issue_ref));
    }
    // In key order, so the batch fills neighbouring index pages instead of random ones.
    std::sort(batch.begin(), batch.end(), [](const IssuedCoupon& a, const IssuedCoupon& b) {
      return a.instance.code < b.instance.code;
    });
    auto inserted = jobs_.InsertBatch(job, batch, clock_.Now() + kJobLease);
    if (!inserted) {
      if (inserted.error().slug == "lease_lost") return made;  // another worker carries on
      return Fail(inserted.error());
    }
    done += *inserted;  // fewer than the batch when a drawn code existed: draw again
    made += *inserted;
  }
  if (auto ok = jobs_.Finish(job, IssueJobState::kDone, "", clock_.Now()); !ok) {
    return Fail(ok.error());
  }
  return made;
}

// One coupon to each member of the segment, in member id order. One evaluation of the segment
// fetches up to segment_fetch members (a segment may rank everyone, e.g. by RFM, so it is not
// evaluated per page); they get their coupons segment_page at a time. The coupons carry the
// job's issue_ref, so a page done again after a crash gives nobody a second coupon (the (member,
// definition, issue_ref) key ignores the repeat); the job remembers the last member of each
// finished page.
Result<int64_t> CouponService::RunSegmentJob(IssueJob job, const CouponDefinition& definition) {
  if (auto ok = RequireSegments(); !ok) return Fail(ok.error());
  int64_t made = 0;
  auto lost = [](const Error& e) { return e.slug == "lease_lost"; };  // another worker goes on
  while (true) {
    auto fetched =
        segments_->AudienceAfter(*job.segment_id, job.after_member_id, options_.segment_fetch);
    if (!fetched) return Fail(fetched.error());
    // The evaluation may have taken a while: renew the lease (or learn it was lost) before
    // issuing from it.
    if (auto ok = jobs_.Advance(job, job.after_member_id, clock_.Now() + kJobLease); !ok) {
      return lost(ok.error()) ? Result<int64_t>(made) : Fail(ok.error());
    }
    for (size_t start = 0; start < fetched->size(); start += options_.segment_page) {
      const size_t end = std::min(fetched->size(), start + options_.segment_page);
      const std::vector<std::string> page(fetched->begin() + start, fetched->begin() + end);
      auto issued = IssueSegmentPage(job, definition, page);
      if (!issued) return lost(issued.error()) ? Result<int64_t>(made) : Fail(issued.error());
      made += *issued;
      job.after_member_id = page.back();
      if (auto ok = jobs_.Advance(job, job.after_member_id, clock_.Now() + kJobLease); !ok) {
        return lost(ok.error()) ? Result<int64_t>(made) : Fail(ok.error());
      }
    }
    if (fetched->size() < options_.segment_fetch) break;
  }
  if (auto ok = jobs_.Finish(job, IssueJobState::kDone, "", clock_.Now()); !ok) {
    return Fail(ok.error());
  }
  return made;
}

Result<int64_t> CouponService::IssueSegmentPage(const IssueJob& job,
                                                const CouponDefinition& definition,
                                                std::vector<std::string> members) {
  int64_t made = 0;
  auto issued = DrawAndInsert(
      definition, std::move(members), job.prefix, "job:" + job.job_id,
      [&](const std::vector<IssuedCoupon>& batch) -> Result<std::vector<std::string>> {
        auto inserted = jobs_.InsertBatch(job, batch, clock_.Now() + kJobLease);
        if (!inserted) return Fail(inserted.error());
        made += *inserted;
        if (*inserted == static_cast<int64_t>(batch.size())) return std::vector<std::string>{};
        // The job's insert says how many went in, not which: every member is looked up.
        std::vector<std::string> unsure;
        for (const IssuedCoupon& c : batch) unsure.push_back(c.instance.code);
        return unsure;
      });
  if (!issued) return Fail(issued.error());
  return made;
}

// ---- Wallet, lookup, revoke, exchange --------------------------------------------------------

Result<CouponView> CouponService::View(IssuedCoupon coupon) {
  auto program = points_.Program();
  if (!program) return Fail(program.error());
  auto definition = Definition(coupon.instance.definition_id);
  if (!definition) return Fail(definition.error());
  const CouponWalletState state = WalletState(coupon, clock_.Now());
  return CouponView{std::move(coupon), std::move(*definition), state, program->currency};
}

Status CouponService::IssueBirthdayCoupon(const Actor& actor, const std::string& member_id) {
  auto member = members_.Get(actor, member_id);
  if (!member) return Fail(member.error());
  if (!member->birthday || member->status == MemberStatus::kErased) return {};
  auto program = points_.Program();
  if (!program) return Fail(program.error());
  const Instant now = clock_.Now();
  const date::year_month_day today = BusinessDate(now, program->time_zone);
  if (today.month() != member->birthday->month()) return {};
  auto tier = tiers_.View(actor, member_id);
  if (!tier) return Fail(tier.error());
  const auto& definition_id = tier->level.benefits.birthday_coupon_definition_id;
  if (!definition_id) return {};
  auto definition = Definition(*definition_id);
  if (!definition) return Fail(definition.error());
  auto issued = IssueToMembers(
      *definition, {member_id}, "", "birthday:" + std::to_string(static_cast<int>(today.year())),
      NewAuditEntry(Actor::System(actor.request_id), random_, clock_, "coupon.issue_birthday",
                    "member", member_id, "{\"definition_id\":\"" + *definition_id + "\"}"));
  if (!issued) return Fail(issued.error());
  return {};
}

Result<WalletPage> CouponService::Wallet(const Actor& actor, const std::string& member_id,
                                         const std::string& after_code, int limit) {
  if (auto ok = Require(actor.principal, Permission::kMembersRead); !ok) return Fail(ok.error());
  if (after_code.empty()) {
    if (auto ok = IssueBirthdayCoupon(actor, member_id); !ok) return Fail(ok.error());
  } else if (auto member = members_.Get(actor, member_id); !member) {
    return Fail(member.error());
  }
  auto page = coupons_.ForMember(member_id, after_code, limit);
  if (!page) return Fail(page.error());
  auto program = points_.Program();
  if (!program) return Fail(program.error());
  WalletPage out;
  out.next_cursor = page->next_cursor;
  std::map<std::string, CouponDefinition> definitions;  // a wallet holds few definitions
  const Instant now = clock_.Now();
  for (IssuedCoupon& coupon : page->coupons) {
    const std::string id = coupon.instance.definition_id;  // a copy: `coupon` is moved below
    if (!definitions.count(id)) {
      auto definition = Definition(id);
      if (!definition) return Fail(definition.error());
      definitions.emplace(id, std::move(*definition));
    }
    const CouponWalletState state = WalletState(coupon, now);
    out.coupons.push_back(
        CouponView{std::move(coupon), definitions.at(id), state, program->currency});
  }
  return out;
}

Result<CouponView> CouponService::Lookup(const Actor& actor, const std::string& raw_code) {
  if (auto ok = Require(actor.principal, Permission::kProgramRead); !ok) return Fail(ok.error());
  auto code = NormalizeCouponCode(raw_code);
  if (!code) return Fail(code.error());
  auto found = coupons_.Find(*code);
  if (!found) return Fail(found.error());
  if (!*found) return Fail(CouponNotFound(*code));
  return View(std::move(**found));
}

Result<CouponView> CouponService::Revoke(const Actor& actor, const std::string& raw_code,
                                         const std::string& reason) {
  if (auto ok = Require(actor.principal, Permission::kCouponsManage); !ok) return Fail(ok.error());
  if (reason.empty() || reason.size() > 255) {
    return InvalidField("reason", "invalid_reason",
                        "say why in 1 to 255 characters; the member may be told");
  }
  auto code = NormalizeCouponCode(raw_code);
  if (!code) return Fail(code.error());
  auto revoked = coupons_.Revoke(
      *code, reason, NewAuditEntry(actor, random_, clock_, "coupon.revoke", "coupon", *code));
  if (!revoked) return Fail(revoked.error());
  return View(std::move(*revoked));
}

Result<CouponView> CouponService::Exchange(const Actor& actor, const std::string& member_id,
                                           const std::string& definition_id,
                                           const std::string& exchange_ref) {
  if (auto ok = Require(actor.principal, Permission::kPointsRedeem); !ok) return Fail(ok.error());
  auto definition = Definition(definition_id);
  if (!definition) return Fail(definition.error());
  if (definition->points_cost <= 0) {
    return Fail(Code::kFailedPrecondition, "coupon_not_exchangeable",
                "this coupon is not in the rewards catalogue (it has no points price)");
  }
  const std::string ref = exchange_ref.empty() ? random_.NewId() : exchange_ref;
  auto debit =
      points_.RewardDebit(actor, member_id, definition->points_cost,
                          PointsReason{"coupon_exchange", ref, definition->name_zh, std::nullopt});
  if (!debit) return Fail(debit.error());
  // Coupon and points in one transaction: a repeat with the same exchange_ref, even at the same
  // moment, finds the first coupon and pays nothing.
  for (int attempt = 0; attempt <= kMaxCodeRedraws; ++attempt) {
    auto paid = coupons_.InsertPaid(
        NewCoupon(*definition, NewCode(""), member_id, clock_.Now(), "exchange:" + ref), *debit,
        NewAuditEntry(actor, random_, clock_, "coupon.exchange", "member", member_id,
                      "{\"definition_id\":\"" + definition_id +
                          "\",\"points\":" + std::to_string(definition->points_cost) + "}"));
    if (paid) return View(std::move(paid->first));
    if (paid.error().slug != "coupon_code_taken") return Fail(paid.error());
  }
  return Fail(Code::kInternal, "code_space_exhausted", "could not draw an unused coupon code");
}

// ---- Checkout -------------------------------------------------------------------------------

Result<CouponQuote> CouponService::Quote(const Actor& actor, const CouponCheckout& checkout) {
  if (auto ok = Require(actor.principal, Permission::kCheckout); !ok) return Fail(ok.error());
  if (auto ok = RequireStore(actor, checkout.store_id); !ok) return Fail(ok.error());
  return EvaluateAndReserve(checkout);
}

Result<CouponQuote> CouponService::EvaluateAndReserve(const CouponCheckout& checkout) {
  const Instant now = clock_.Now();
  std::vector<RejectedCoupon> early;  // rejected before evaluation
  std::vector<std::pair<CouponInstance, CouponDefinition>> candidates;
  std::map<std::string, CouponDefinition> definitions;
  for (const std::string& raw : checkout.codes) {
    auto code = NormalizeCouponCode(raw);
    if (!code) {
      early.push_back(Reject(raw, CouponRejection::kInvalidCode));
      continue;
    }
    auto found = coupons_.Find(*code);
    if (!found) return Fail(found.error());
    if (!*found) {
      early.push_back(Reject(*code, CouponRejection::kUnknownCode));
      continue;
    }
    if (auto why = StateRejection(**found, checkout.reservation_id, now)) {
      early.push_back(Reject(*code, *why));
      continue;
    }
    const std::string& definition_id = (*found)->instance.definition_id;
    if (!definitions.count(definition_id)) {
      auto definition = Definition(definition_id);
      if (!definition) return Fail(definition.error());
      definitions.emplace(definition_id, std::move(*definition));
    }
    candidates.emplace_back((*found)->instance, definitions.at(definition_id));
  }
  const CouponContext context{checkout.member_id, checkout.store_id, now};
  // Anything this checkout held from an earlier quote is given back first; what the new
  // evaluation applies is held again below.
  if (auto ok = coupons_.Release(checkout.reservation_id); !ok) return Fail(ok.error());
  while (true) {
    auto evaluation = EvaluateCoupons(checkout.lines, context, candidates);
    if (!evaluation) return Fail(evaluation.error());
    std::vector<std::string> codes;
    for (const AppliedCoupon& a : evaluation->applied) codes.push_back(a.code);
    const Instant until = now + options_.reservation_ttl;
    auto reserved = coupons_.Reserve(codes, checkout.reservation_id, until, now);
    if (reserved) {
      CouponQuote quote{std::move(*evaluation), std::nullopt};
      if (!codes.empty()) quote.reserved_until = until;
      for (RejectedCoupon& r : early) quote.evaluation.rejected.push_back(std::move(r));
      std::sort(quote.evaluation.rejected.begin(), quote.evaluation.rejected.end(),
                [](const RejectedCoupon& a, const RejectedCoupon& b) { return a.code < b.code; });
      return quote;
    }
    // Another checkout took one of them since we looked: leave it out and evaluate again.
    const std::string* lost = reserved.error().Detail("coupon_code");
    if (!lost) return Fail(reserved.error());
    early.push_back(Reject(*lost, RejectionOf(reserved.error())));
    std::erase_if(candidates, [&](const auto& c) { return c.first.code == *lost; });
  }
}

Status CouponService::Release(const Actor& actor, const std::string& reservation_id) {
  if (auto ok = Require(actor.principal, Permission::kCheckout); !ok) return Fail(ok.error());
  return coupons_.Release(reservation_id);
}

Result<std::vector<CouponUse>> CouponService::Uses(const std::vector<IssuedCoupon>& coupons,
                                                   const std::string& store_zone) {
  std::vector<CouponUse> uses;
  for (const IssuedCoupon& coupon : coupons) {
    auto definition = Definition(coupon.instance.definition_id);
    if (!definition) return Fail(definition.error());
    const Instant at = coupon.redeemed_at.value_or(clock_.Now());
    uses.push_back(
        CouponUse{coupon.instance.code, definition->id, coupon.discount_minor,
                  CouponCounterTakes(*definition, coupon.redeemed_store_id.value_or(""),
                                     BusinessDate(at, store_zone), coupon.discount_minor),
                  definition->limits.per_member});
  }
  return uses;
}

Result<CouponRedemption> CouponService::RedemptionFor(const Actor& actor,
                                                      const CouponCheckout& checkout,
                                                      const std::vector<AppliedCoupon>& applied,
                                                      const std::string& txn_ref) {
  if (auto ok = Require(actor.principal, Permission::kCheckout); !ok) return Fail(ok.error());
  if (auto ok = RequireStore(actor, checkout.store_id); !ok) return Fail(ok.error());
  const Instant now = clock_.Now();
  std::vector<IssuedCoupon> redeemed;
  for (const AppliedCoupon& a : applied) {
    IssuedCoupon c;
    c.instance.code = a.code;
    c.instance.definition_id = a.definition_id;
    c.discount_minor = a.total_discount_minor;
    c.redeemed_at = now;
    c.redeemed_store_id = checkout.store_id;
    redeemed.push_back(std::move(c));
  }
  auto uses = Uses(redeemed, checkout.store_zone);
  if (!uses) return Fail(uses.error());
  return CouponRedemption{checkout.reservation_id, txn_ref, checkout.member_id,
                          checkout.store_id,       now,     std::move(*uses)};
}

Status CouponService::Redeem(const Actor& actor, const CouponCheckout& checkout,
                             const std::vector<AppliedCoupon>& applied,
                             const std::string& txn_ref) {
  auto redemption = RedemptionFor(actor, checkout, applied, txn_ref);
  if (!redemption) return Fail(redemption.error());
  return coupons_.Redeem(*redemption);
}

Result<CouponRestore> CouponService::RestoreFor(const std::string& txn_ref,
                                                const std::string& store_zone) {
  auto redeemed = coupons_.RedeemedBy(txn_ref);
  if (!redeemed) return Fail(redeemed.error());
  auto uses = Uses(*redeemed, store_zone);
  if (!uses) return Fail(uses.error());
  return CouponRestore{txn_ref, std::move(*uses)};
}

Result<std::vector<std::string>> CouponService::Restore(const Actor& actor,
                                                        const std::string& txn_ref,
                                                        const std::string& store_zone) {
  if (auto ok = Require(actor.principal, Permission::kCheckout); !ok) return Fail(ok.error());
  auto redeemed = coupons_.RedeemedBy(txn_ref);
  if (!redeemed) return Fail(redeemed.error());
  for (const IssuedCoupon& c : *redeemed) {
    if (auto ok = RequireStore(actor, c.redeemed_store_id.value_or("")); !ok) {
      return Fail(ok.error());
    }
  }
  auto restore = RestoreFor(txn_ref, store_zone);
  if (!restore) return Fail(restore.error());
  return coupons_.Restore(txn_ref, restore->uses, clock_.Now());
}

Result<int> CouponService::ReleaseEndedReservations() {
  return coupons_.ReleaseEnded(clock_.Now(), 10'000);
}

}  // namespace loyalty
