// Fuzzes the segment mapping (POST /v1/segments bodies and stored segments): SegmentFromJson
// must never throw or return kInternal, whatever it accepts must survive SegmentToJson ->
// SegmentFromJson unchanged, and ValidateSegment must not crash on any mapped value.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "campaigns/domain/segment.h"
#include "campaigns/json/segment_json.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace loyalty;
  auto json = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return 0;

  auto segment = SegmentFromJson(json);
  if (!segment) {
    FUZZ_CHECK(segment.error().code == Code::kInvalidArgument);
    return 0;
  }
  (void)ValidateSegment(*segment, {"base", "silver", "gold"});

  nlohmann::json out = SegmentToJson(*segment);
  auto again = SegmentFromJson(out, /*stored=*/true);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(SegmentToJson(*again) == out);
  return 0;
}
