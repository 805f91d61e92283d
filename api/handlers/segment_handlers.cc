// Segment endpoints (campaign module): define, read, list and preview marketing segments.
#include "api/handlers/routes.h"
#include "api/http/problem.h"
#include "campaigns/json/segment_json.h"
#include "loyalty/common/time_format.h"

namespace loyalty::api {
namespace {

constexpr int kDefaultSample = 20;

Json PreviewJson(const SegmentPreview& p) {
  Json sample = Json::array();
  for (const SegmentSampleMember& m : p.sample) {
    sample.push_back(Json{{"member_id", m.member_id},
                          {"card_no", m.card_no},
                          {"tier", m.tier},
                          {"home_store_id", m.home_store_id ? Json(*m.home_store_id) : Json()},
                          {"enrolled_at", FormatInstant(m.enrolled_at)}});
  }
  return Json{{"segment_id", p.segment.id},
              {"evaluated_at", FormatInstant(p.evaluated_at)},
              {"count", p.counts.members},
              {"reachable",
               {{"sms", p.counts.sms}, {"email", p.counts.email}, {"wechat", p.counts.wechat}}},
              {"sample", sample}};
}

}  // namespace

void AddSegmentRoutes(Router& router, AppContext& app) {
  router.Add("POST", "/v1/segments", Idempotent(app, [&app](HttpRequest& req) {
               auto actor = Authenticate(app, req);
               if (!actor) return Problem(actor.error(), req.request_id);
               auto body =
                   ReadJsonObject(req);  // the mapper reports unknown fields with their path
               if (!body) return body.error();
               auto segment = SegmentFromJson(*body);
               if (!segment) return Problem(segment.error(), req.request_id);
               auto created = app.segments.Create(*actor, std::move(*segment));
               if (!created) return Problem(created.error(), req.request_id);
               HttpResponse r = JsonResponse(201, SegmentToJson(*created));
               r.headers.emplace_back("Location", "/v1/segments/" + created->id);
               return r;
             }));

  router.Add("GET", "/v1/segments", [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto limit = LimitParam(req, 50, 200);
    if (!limit) return Problem(limit.error(), req.request_id);
    const std::string* cursor = req.Query("cursor");
    auto page = app.segments.List(*actor, cursor ? *cursor : "", *limit);
    if (!page) return Problem(page.error(), req.request_id);
    Json items = Json::array();
    for (const Segment& s : page->segments) items.push_back(SegmentToJson(s));
    return JsonResponse(
        200, Json{{"items", items},
                  {"next_cursor", page->next_cursor ? Json(*page->next_cursor) : Json()}});
  });

  router.Add("GET", "/v1/segments/:id", [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    auto segment = app.segments.Get(*actor, req.path_params["id"]);
    if (!segment) return Problem(segment.error(), req.request_id);
    return JsonResponse(200, SegmentToJson(*segment));
  });

  router.Add("GET", "/v1/segments/:id/preview", [&app](HttpRequest& req) {
    auto actor = Authenticate(app, req);
    if (!actor) return Problem(actor.error(), req.request_id);
    int sample = kDefaultSample;
    if (const std::string* text = req.Query("sample")) {
      const bool digits = !text->empty() && text->size() <= 3 &&
                          text->find_first_not_of("0123456789") == std::string::npos;
      sample = digits ? std::stoi(*text) : 0;  // 0 is refused with the allowed range
    }
    auto preview = app.segments.Preview(*actor, req.path_params["id"], sample);
    if (!preview) return Problem(preview.error(), req.request_id);
    return JsonResponse(200, PreviewJson(*preview));
  });
}

}  // namespace loyalty::api
