// Fuzzes the ARTS POSLog parser (pos-adapter/poslog_parser.h) with arbitrary bytes: it must
// never crash or hang, refuse whole files only with an invalid-argument "poslog_*" error, and
// every transaction it returns must keep the promises of the header (complete key, return lines
// signed negative, card numbers at most masked to four characters).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "pos-adapter/poslog_parser.h"

namespace {

bool IsMasked(const std::string& masked) {
  return masked.empty() || (masked.size() <= 8 && masked.compare(0, 4, "****") == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace loyalty;
  using namespace loyalty::pos;
  std::string_view xml(reinterpret_cast<const char*>(data), size);

  PoslogParseOptions options;
  options.max_input_bytes = 1 << 20;  // libFuzzer inputs stay far below; keeps runs fast
  options.max_depth = 32;
  auto result = ParsePoslog(xml, options);
  if (!result) {
    FUZZ_CHECK(result.error().code == Code::kInvalidArgument);
    FUZZ_CHECK(result.error().slug.compare(0, 7, "poslog_") == 0);
    FUZZ_CHECK(!result.error().message.empty());
    return 0;
  }
  for (const PoslogTransaction& t : result->transactions) {
    FUZZ_CHECK(!t.key.store_id.empty());
    FUZZ_CHECK(!t.key.workstation_id.empty());
    FUZZ_CHECK(!t.key.sequence_number.empty());
    FUZZ_CHECK(t.key.business_day.size() == 10);
    FUZZ_CHECK(t.currency.empty() || t.currency.size() == 3);
    for (const PoslogLine& l : t.lines) {
      FUZZ_CHECK(!l.sku.empty());
      if (l.is_return) FUZZ_CHECK(l.quantity_milli <= 0 && l.net_minor <= 0);
      if (!l.is_return) FUZZ_CHECK(l.quantity_milli >= 0);
    }
    for (const PoslogTender& td : t.tenders) FUZZ_CHECK(IsMasked(td.masked_card));
    if (t.member) FUZZ_CHECK(IsMasked(t.member->masked_card));
  }
  for (const PoslogRejectedTransaction& r : result->rejected) FUZZ_CHECK(!r.problems.empty());
  return 0;
}
