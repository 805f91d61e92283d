// Fuzzes request bodies as the member endpoints read them: ReadJsonObject (Content-Type and
// syntax checks, unknown-field check), then the enrol and patch mappers and NewMember, which
// normalises and validates every field. Nothing may throw or crash; a rejected body must be a 4xx.
#include <cstddef>
#include <cstdint>
#include <string>

#include <date/date.h>

#include "api/handlers/member_json.h"
#include "api/http/json_body.h"
#include "fuzz/fuzz_check.h"
#include "loyalty/domain/member.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace loyalty;
  api::HttpRequest request;
  request.method = "POST";
  request.path = "/v1/members";
  request.headers["content-type"] = "application/json";
  request.body.assign(reinterpret_cast<const char*>(data), size);

  auto body = api::ReadJsonObject(request, api::kEnrolFields);
  if (!body) {
    FUZZ_CHECK(body.error().status >= 400 && body.error().status < 500);
    return 0;
  }
  FUZZ_CHECK(body->is_object());

  if (auto enrol = api::EnrolRequestFrom(*body)) {
    using namespace date::literals;
    (void)NewMember(*enrol, 2026_y / date::November / 23);
  } else {
    FUZZ_CHECK(enrol.error().code != Code::kInternal);
  }
  if (auto patch = api::MemberPatchFrom(*body); !patch) {
    FUZZ_CHECK(patch.error().code != Code::kInternal);
  }

  // The same body without the field check (the overload for self-checking mappers) must agree.
  auto unchecked = api::ReadJsonObject(request);
  FUZZ_CHECK(unchecked.has_value());
  FUZZ_CHECK(*unchecked == *body);
  return 0;
}
