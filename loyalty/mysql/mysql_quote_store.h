// MariaDB adapter for QuoteStore; the basket is kept as a JSON array.
#pragma once

#include "loyalty/domain/ports/quote_store.h"
#include "loyalty/mysql/mysql_pool.h"

namespace loyalty {

class MysqlQuoteStore final : public QuoteStore {
 public:
  explicit MysqlQuoteStore(MysqlPool& pool) : pool_(pool) {}
  Status Save(const StoredQuote& quote) override;
  Status End(const std::string& quote_id, Instant at) override;
  Result<std::optional<StoredQuote>> Find(const std::string& quote_id) override;
  Result<int64_t> HeldPoints(const std::string& member_id, Instant now,
                             const std::string& except_quote_id) override;

 private:
  MysqlPool& pool_;
};

}  // namespace loyalty
