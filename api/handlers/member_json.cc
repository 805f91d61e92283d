// Member JSON mapping.
#include "api/handlers/member_json.h"

#include "loyalty/common/time_format.h"
#include "loyalty/domain/email.h"
#include "loyalty/domain/phone.h"

namespace loyalty::api {
namespace {

Json Nullable(const std::optional<std::string>& v) { return v ? Json(*v) : Json(); }

struct ConsentFields {
  std::optional<bool> sms, email, wechat;
};

Result<ConsentFields> ConsentsFrom(const Json& body) {
  auto it = body.find("consents");
  if (it == body.end() || it->is_null()) return ConsentFields{};
  if (!it->is_object()) {
    return InvalidField("consents", "invalid_type",
                        "consents must be an object like {\"sms\": true, \"email\": false}");
  }
  for (const auto& [key, value] : it->items()) {
    if (key != "sms" && key != "email" && key != "wechat") {
      return InvalidField("consents", "unknown_field",
                          "unknown consent channel '" + key.substr(0, 32) +
                              "'; channels are sms, email, wechat");
    }
  }
  ConsentFields c;
  for (auto [name, slot] : {std::pair{"sms", &c.sms}, std::pair{"email", &c.email},
                            std::pair{"wechat", &c.wechat}}) {
    auto v = OptionalBool(*it, name);
    if (!v) {
      return InvalidField(std::string("consents.") + name, "invalid_type",
                          std::string("consents.") + name + " must be true or false");
    }
    *slot = *v;
  }
  return c;
}

}  // namespace

Json MemberJson(const Member& m, const Principal& viewer) {
  const bool full = viewer.Can(Permission::kMembersWrite);
  Json email = Json();
  if (m.email) email = full ? *m.email : MaskEmail(*m.email);
  return Json{
      {"member_id", m.member_id},
      {"card_no", m.card_no},
      {"phone", m.phone.empty() ? Json() : Json(full ? m.phone : MaskPhone(m.phone))},
      {"email", email},
      {"name", m.name},
      {"birthday", m.birthday ? Json(FormatDate(*m.birthday)) : Json()},
      {"home_store_id", Nullable(m.home_store_id)},
      {"consents", {{"sms", m.consents.sms}, {"email", m.consents.email},
                    {"wechat", m.consents.wechat}}},
      {"tier", m.tier},
      {"status", MemberStatusName(m.status)},
      {"created_at", FormatInstant(m.created_at)},
      {"updated_at", FormatInstant(m.updated_at)},
  };
}

Json AuditEntryJson(const AuditEntry& e) {
  Json detail = Json::parse(e.detail_json, nullptr, false);
  return Json{{"audit_id", e.audit_id},
              {"at", FormatInstant(e.at)},
              {"actor_staff_id", e.actor_staff_id},
              {"actor_role", e.actor_role},
              {"store_id", Nullable(e.store_id)},
              {"action", e.action},
              {"target_type", e.target_type},
              {"target_id", e.target_id},
              {"detail", detail.is_discarded() ? Json(e.detail_json) : detail},
              {"request_id", e.request_id}};
}

Json ExportJson(const MemberExport& e) {
  Json consents = Json::array();
  for (const auto& c : e.consent_history) {
    consents.push_back({{"channel", ConsentChannelName(c.channel)},
                        {"granted", c.granted},
                        {"at", FormatInstant(c.at)},
                        {"source", c.source}});
  }
  Json actions = Json::array();
  for (const auto& a : e.staff_actions) actions.push_back(AuditEntryJson(a));
  return Json{{"member", MemberJson(e.member, Principal{"", "", Role::kAdmin, {}})},
              {"consent_history", consents},
              {"staff_actions", actions}};
}

Result<EnrolRequest> EnrolRequestFrom(const Json& body) {
  EnrolRequest r;
  auto phone = RequiredString(body, "phone");
  if (!phone) return Fail(phone.error());
  r.phone = *phone;
  auto name = RequiredString(body, "name");
  if (!name) return Fail(name.error());
  r.name = *name;
  auto email = OptionalString(body, "email");
  auto birthday = OptionalString(body, "birthday");
  auto store = OptionalString(body, "home_store_id");
  auto consents = ConsentsFrom(body);
  for (const Error* e : {email ? nullptr : &email.error(), birthday ? nullptr : &birthday.error(),
                         store ? nullptr : &store.error(),
                         consents ? nullptr : &consents.error()}) {
    if (e) return Fail(*e);
  }
  r.email = *email;
  r.birthday = *birthday;
  r.home_store_id = *store;
  r.consents = Consents{consents->sms.value_or(false), consents->email.value_or(false),
                        consents->wechat.value_or(false)};
  return r;
}

Result<MemberPatch> MemberPatchFrom(const Json& body) {
  MemberPatch p;
  for (auto [name, slot] : {std::pair{"phone", &p.phone}, std::pair{"email", &p.email},
                            std::pair{"name", &p.name}, std::pair{"birthday", &p.birthday},
                            std::pair{"home_store_id", &p.home_store_id}}) {
    auto v = OptionalString(body, name);
    if (!v) return Fail(v.error());
    *slot = *v;
  }
  // JSON null clears the optional fields; for the required ones it is a mistake.
  for (const char* name : {"phone", "name", "home_store_id"}) {
    if (body.contains(name) && body[name].is_null()) {
      return InvalidField(name, "missing_field", std::string(name) + " cannot be removed");
    }
  }
  if (body.contains("email") && body["email"].is_null()) p.email = "";
  if (body.contains("birthday") && body["birthday"].is_null()) p.birthday = "";
  auto consents = ConsentsFrom(body);
  if (!consents) return Fail(consents.error());
  p.consent_sms = consents->sms;
  p.consent_email = consents->email;
  p.consent_wechat = consents->wechat;
  return p;
}

}  // namespace loyalty::api
