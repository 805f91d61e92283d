// Port: checkout quotes. A quote prices a basket and holds its coupons (and, as a claim on the
// member's balance, the points it redeems) until it expires or the sale commits.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"
#include "loyalty/domain/earn.h"

namespace loyalty {

struct StoredQuote {
  std::string quote_id;
  std::string store_id;
  std::string terminal_id;
  std::optional<std::string> member_id;
  std::vector<BasketLine> lines;  // as the till sent them (net before coupons)
  std::vector<std::string> coupon_codes;
  int64_t redeem_points = 0;
  int64_t total_minor = 0;         // basket before anything
  int64_t discount_minor = 0;      // coupons
  int64_t points_value_minor = 0;  // what the redeemed points pay
  int64_t due_minor = 0;           // left for the other tenders
  int64_t points_to_earn = 0;
  Instant created_at{};
  Instant expires_at{};
};

class QuoteStore {
 public:
  virtual ~QuoteStore() = default;
  // Inserts the quote, or replaces it when a till re-prices it under the same id.
  virtual Status Save(const StoredQuote& quote) = 0;
  // Ends the quote at `at` (cancelled or committed): its points are no longer held.
  virtual Status End(const std::string& quote_id, Instant at) = 0;
  virtual Result<std::optional<StoredQuote>> Find(const std::string& quote_id) = 0;
  // Points that the member's other quotes still live at `now` mean to redeem.
  virtual Result<int64_t> HeldPoints(const std::string& member_id, Instant now,
                                     const std::string& except_quote_id) = 0;
};

}  // namespace loyalty
