// JSON and CSV shapes of issued coupons and issue jobs.
#include "api/handlers/coupon_view_json.h"

#include "api/handlers/points_json.h"
#include "loyalty/common/time_format.h"
#include "loyalty/domain/coupon_code.h"
#include "loyalty/json/coupon_json.h"

namespace loyalty::api {
namespace {

Json Optional(const std::optional<std::string>& v) { return v ? Json(*v) : Json(); }
Json Optional(const std::optional<Instant>& t) { return t ? Json(FormatInstant(*t)) : Json(); }

}  // namespace

Json CouponViewJson(const CouponView& view) {
  const IssuedCoupon& c = view.coupon;
  Json redeemed;  // null unless used
  if (c.status == CouponStatus::kRedeemed) {
    redeemed =
        Json{{"txn_ref", Optional(c.redeemed_txn)},
             {"at", Optional(c.redeemed_at)},
             {"store_id", Optional(c.redeemed_store_id)},
             {"member_id", Optional(c.redeemed_member_id)},
             {"discount", MoneyJson(Money{c.discount_minor, view.currency})}};
  }
  const bool reserved = view.state == CouponWalletState::kReserved;
  return Json{
      {"code", c.instance.code},
      {"display_code", FormatCouponCode(c.instance.code)},
      {"state", WalletStateName(view.state)},
      {"definition_id", c.instance.definition_id},
      {"name_zh", view.definition.name_zh},
      {"name_en", view.definition.name_en},
      {"member_id", Optional(c.instance.member_id)},
      {"issued_at", FormatInstant(c.instance.issued_at)},
      {"valid_from", Optional(c.instance.valid_from)},
      {"valid_until", Optional(c.instance.valid_until)},
      {"reserved_until", reserved ? Optional(c.reserved_until) : Json()},
      {"redeemed", redeemed},
      {"restored_at", Optional(c.restored_at)},
      {"revoked_at", Optional(c.revoked_at)},
      {"revoke_reason", c.status == CouponStatus::kRevoked ? Json(c.revoke_reason) : Json()},
      {"definition", CouponDefinitionToJson(view.definition)}};
}

Json IssuedCodeJson(const IssuedCoupon& c) {
  return Json{{"member_id", Optional(c.instance.member_id)},
              {"code", c.instance.code},
              {"display_code", FormatCouponCode(c.instance.code)},
              {"valid_from", Optional(c.instance.valid_from)},
              {"valid_until", Optional(c.instance.valid_until)}};
}

Json IssueJobJson(const IssueJob& job) {
  return Json{{"job_id", job.job_id},
              {"definition_id", job.definition_id},
              {"segment_id", job.segment_id ? Json(*job.segment_id) : Json()},
              {"state", IssueJobStateName(job.state)},
              {"requested", job.requested},
              {"issued", job.issued},
              {"prefix", job.prefix},
              {"created_at", FormatInstant(job.created_at)},
              {"finished_at", Optional(job.finished_at)},
              {"error", job.error.empty() ? Json() : Json(job.error)},
              {"codes_url", "/v1/coupon-issue-jobs/" + job.job_id + "/codes"}};
}

std::string CouponCsvHeader() { return "code,display_code,valid_from,valid_until\r\n"; }

std::string CouponCsvLine(const IssuedCoupon& coupon) {
  // Codes and RFC 3339 instants contain no commas or quotes, so no field needs quoting.
  const CouponInstance& in = coupon.instance;
  return in.code + "," + FormatCouponCode(in.code) + "," +
         (in.valid_from ? FormatInstant(*in.valid_from) : "") + "," +
         (in.valid_until ? FormatInstant(*in.valid_until) : "") + "\r\n";
}

}  // namespace loyalty::api
