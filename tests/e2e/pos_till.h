// What the POS e2e suites share: stores and tills registered through `loyalty admin` with the
// keys it prints, and the headers of a correctly signed till request (docs/POS.md).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "pos-adapter/content_digest.h"
#include "pos-adapter/http_signature.h"
#include "tests/e2e/e2e_helpers.h"

namespace loyalty::testing::e2e {

// The key `loyalty admin add-terminal` / `rotate-terminal-key` printed ("key <64 hex>").
inline std::string KeyFrom(const CommandResult& r) {
  const auto at = r.output.find("key ");
  if (r.exit_code != 0 || at == std::string::npos) return "";
  return r.output.substr(at + 4, 64);
}

inline int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Adds `stores` and `tills` ("S1-T1": store = the part before '-') to the suite's database
// before the server starts; fills `keys` (till id -> key). For SuiteServer::Start's prepare step.
inline void AddStoresAndTills(SuiteServer& s, const std::vector<std::string>& stores,
                              const std::vector<std::string>& tills,
                              std::map<std::string, std::string>& keys) {
  for (const std::string& store : stores) {
    const CommandResult r =
        RunLoyalty(s.env, {"admin", "add-store", "--id", store, "--name", store});
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  for (const std::string& id : tills) {
    const std::string store = id.substr(0, id.find('-'));
    const CommandResult r =
        RunLoyalty(s.env, {"admin", "add-terminal", "--store", store, "--id", id});
    keys[id] = KeyFrom(r);
    ASSERT_EQ(keys[id].size(), 64u) << r.output;
  }
}

// Headers of a correctly signed request of `body` to `path` by till `keyid` (RFC 9421 over
// "@method" "@path" "content-digest", created now, a fresh nonce).
inline std::map<std::string, std::string> SignedTillHeaders(const std::string& path,
                                                            const std::string& body,
                                                            const std::string& keyid,
                                                            const std::string& key, int port,
                                                            const std::string& method = "POST") {
  const std::string digest = pos::ContentDigestHeader(body);
  pos::HttpRequest request;
  request.method = method;
  request.scheme = "http";
  request.authority = "127.0.0.1:" + std::to_string(port);
  request.path = path;
  request.headers = {{"content-type", "application/json"}, {"content-digest", digest}};
  request.body = body;
  pos::SignatureParams params;
  params.components = {"@method", "@path", "content-digest"};
  params.created = UnixNow();
  params.nonce = RandomHex(32);
  params.keyid = keyid;
  auto signed_ = pos::SignRequest(request, key, params);
  EXPECT_TRUE(signed_.has_value()) << (signed_ ? "" : signed_.error().message);
  if (!signed_) return {};
  return {{"Content-Type", "application/json"},
          {"Content-Digest", digest},
          {"Signature-Input", signed_->signature_input},
          {"Signature", signed_->signature}};
}

// The POS suites' basket from `till`'s store: 2 × 45.00 rice + 1 × 30.00 oil = 120.00.
inline nlohmann::json RiceAndOilBasket(const std::string& till = "S1-T1") {
  return nlohmann::json{{"store_id", till.substr(0, 2)},
                        {"terminal_id", till},
                        {"lines",
                         {{{"line_no", 1},
                           {"sku", "RICE-5KG"},
                           {"category", "grocery"},
                           {"qty", 2},
                           {"unit_price_minor", 4500}},
                          {{"line_no", 2},
                           {"sku", "OIL-1L"},
                           {"category", "grocery"},
                           {"qty", 1},
                           {"unit_price_minor", 3000}}}}};
}

}  // namespace loyalty::testing::e2e
