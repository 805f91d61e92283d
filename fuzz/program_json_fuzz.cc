// Fuzzes the program configuration mapping (PUT /v1/program bodies and stored versions):
// ProgramFromJson must never throw or return kInternal, and whatever it accepts must survive
// ProgramToJson -> ProgramFromJson unchanged. ValidateProgram must not crash on any mapped value.
#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "fuzz/fuzz_check.h"
#include "loyalty/domain/program.h"
#include "loyalty/json/program_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace loyalty;
  auto json = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return 0;

  auto program = ProgramFromJson(json);
  if (!program) {
    FUZZ_CHECK(program.error().code == Code::kInvalidArgument);
    return 0;
  }
  (void)ValidateProgram(*program);

  nlohmann::json out = ProgramToJson(*program);
  auto again = ProgramFromJson(out);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(ProgramToJson(*again) == out);
  // Partial updates: the document applied over its own result changes nothing.
  auto over = ProgramFromJson(json, *program);
  FUZZ_CHECK(over.has_value());
  FUZZ_CHECK(ProgramToJson(*over) == out);
  return 0;
}
