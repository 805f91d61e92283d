// POS end to end: tills sign POST /v1/pos/identify with their own key (RFC 9421 hmac-sha256 over
// "@method" "@path" "content-digest", created, nonce, keyid = terminal id) and find the shopper by
// card number, phone in any usual format or the rotating QR token of the member's card page.
// Every way a signature can be wrong has its own answer (missing, bad, stale, replayed, unknown
// terminal, body swapped under a valid signature); key rotation keeps the old key for the overlap
// only; a disabled till is 403; bad identify bodies are 400s naming the field, an old QR token is
// 409, and an erased member is not found however scanned.
#include <gtest/gtest.h>

#include <chrono>

#include "loyalty/crypto/openssl_crypto.h"
#include "pos-adapter/content_digest.h"
#include "pos-adapter/http_signature.h"
#include "pos-adapter/member_qr.h"
#include "tests/e2e/pos_till.h"

namespace loyalty::testing::e2e {
namespace {

using nlohmann::json;

constexpr const char* kIdentify = "/v1/pos/identify";
constexpr const char* kZhangPhone = "13800138000";


// Damm check digit, written independently of the server's (loyalty/domain/card_number.cc).
char DammCheck(const std::string& digits) {
  static constexpr int kTable[10][10] = {
      {0, 3, 1, 7, 5, 9, 8, 6, 4, 2}, {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
      {4, 2, 0, 6, 8, 7, 1, 3, 5, 9}, {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
      {6, 1, 2, 3, 0, 4, 5, 9, 7, 8}, {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
      {5, 8, 6, 9, 7, 2, 0, 1, 3, 4}, {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
      {9, 4, 3, 8, 6, 1, 7, 2, 0, 5}, {2, 5, 8, 1, 4, 3, 6, 7, 9, 0}};
  int interim = 0;
  for (char c : digits) interim = kTable[interim][c - '0'];
  return static_cast<char>('0' + interim);
}


// How a test wants its request signed; the defaults are what a correct till sends.
struct Signing {
  std::string keyid;
  std::string key;
  std::optional<int64_t> created;  // default: now
  std::string nonce;               // default: random
  std::vector<std::string> components = {"@method", "@path", "content-digest"};
  std::string path = kIdentify;    // the path that is signed (normally the one requested)
  std::string authority;           // the Host that is signed; default: the one curl sends
  std::optional<std::string> alg;  // left out by default, as in the POS guide's example
  bool sha512 = false;             // Content-Digest with sha-512 as well
};

Signing As(const std::string& keyid, const std::string& key) {
  Signing s;
  s.keyid = keyid;
  s.key = key;
  return s;
}

class PosE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = SuiteServer::Start([](SuiteServer& s) {
      AddStoresAndTills(s, {"S1", "S2"}, {"S1-T1", "S2-T1"}, keys_);
    });
    if (!suite_ || !suite_->server) return;
    // 张伟 with one coupon in the wallet (and one revoked, which a till must not offer).
    const HttpResult enrolled = suite_->http->Post(
        "/v1/members", {{"phone", kZhangPhone}, {"name", "张伟"}}, suite_->Token("cashier1"));
    if (enrolled.status != 201) {
      ADD_FAILURE() << "enrol: " << enrolled.body;
      return;
    }
    const json definition = {{"name_zh", "九折券"},
                             {"name_en", "10% off"},
                             {"kind", "percent_off"},
                             {"percent_bp", 1000},
                             {"cap_minor", 5000},
                             {"scope", {{"categories", {"cosmetics"}}}},
                             {"validity", {{"days_after_issue", 30}}},
                             {"stacking", {{"group", "discounts"}, {"priority", 10}}}};
    const HttpResult defined =
        suite_->http->Post("/v1/coupon-definitions", definition, suite_->Token("marketer"));
    if (defined.status != 201) {
      ADD_FAILURE() << "coupon definition: " << defined.body;
      return;
    }
    const std::string definition_id = defined.Json().value("id", "");
    std::vector<std::string> codes;
    for (int i = 0; i < 2; ++i) {
      const HttpResult issued = suite_->http->Post(
          "/v1/coupon-definitions/" + definition_id + "/issue",
          {{"member_ids", {enrolled.Json()["member_id"]}}}, suite_->Token("marketer"));
      const json list = issued.Json().is_object() ? issued.Json().value("issued", json::array())
                                                  : json::array();
      if (issued.status != 201 || list.size() != 1) {
        ADD_FAILURE() << "issue: " << issued.body;
        return;
      }
      codes.push_back(list[0].value("code", ""));
    }
    const HttpResult revoked = suite_->http->Post("/v1/coupons/" + codes[1] + "/revoke",
                                                  {{"reason", "issued by mistake"}},
                                                  suite_->Token("marketer"));
    if (revoked.status != 200) {
      ADD_FAILURE() << "revoke: " << revoked.body;
      return;
    }
    zhang_ = enrolled.Json();
    coupon_code_ = codes[0];
    revoked_code_ = codes[1];
  }
  static void TearDownTestSuite() {
    if (suite_) suite_->ExpectCleanStop();
    suite_.reset();
  }
  void SetUp() override {
    ASSERT_TRUE(suite_ && suite_->server) << "suite setup failed";
    ASSERT_TRUE(zhang_.is_object()) << "enrolling the shared member or issuing its coupon failed";
  }

  HttpClient& http() { return *suite_->http; }
  static std::string ZhangId() { return zhang_["member_id"]; }
  static std::string ZhangCard() { return zhang_["card_no"]; }
  static Signing Till(const std::string& id = "S1-T1") { return As(id, keys_[id]); }

  // The headers a till sends for `body`: Content-Type, Content-Digest, Signature-Input and
  // Signature, signed over the request as the server will see it (curl sends
  // Host: 127.0.0.1:<port>).
  static std::map<std::string, std::string> SignedHeaders(const std::string& body,
                                                          const Signing& s) {
    const std::string digest = pos::ContentDigestHeader(body, s.sha512);
    pos::HttpRequest request;
    request.method = "POST";
    request.scheme = "http";
    request.authority = s.authority.empty() ? "127.0.0.1:" + std::to_string(suite_->server->port())
                                            : s.authority;
    request.path = s.path;
    request.headers = {{"content-type", "application/json"}, {"content-digest", digest}};
    request.body = body;
    pos::SignatureParams params;
    params.components = s.components;
    params.created = s.created.value_or(UnixNow());
    params.nonce = s.nonce.empty() ? RandomHex(32) : s.nonce;
    params.keyid = s.keyid;
    params.alg = s.alg;
    auto signed_ = pos::SignRequest(request, s.key, params);
    EXPECT_TRUE(signed_.has_value()) << (signed_ ? "" : signed_.error().message);
    if (!signed_) return {};
    return {{"Content-Type", "application/json"},
            {"Content-Digest", digest},
            {"Signature-Input", signed_->signature_input},
            {"Signature", signed_->signature}};
  }

  HttpResult Send(const std::string& body, const std::map<std::string, std::string>& headers) {
    return http().Request("POST", kIdentify, body, headers);
  }
  HttpResult Identify(const json& body, const Signing& s = Till()) {
    const std::string text = body.dump();
    return Send(text, SignedHeaders(text, s));
  }

  // The identify answer for 张伟: the same member whichever way the till found them.
  static void ExpectZhang(const HttpResult& r) {
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("content-type").substr(0, 16), "application/json");
    const json j = r.Json();
    ASSERT_TRUE(j.is_object()) << r.body;
    EXPECT_EQ(j["member"]["member_id"], ZhangId());
    EXPECT_EQ(j["member"]["card_no"], ZhangCard());
    EXPECT_EQ(j["member"]["name"], "张伟");
    EXPECT_EQ(j["member"]["phone_masked"], "138****8000");
    EXPECT_EQ(r.body.find("13800138000"), std::string::npos) << "unmasked phone in " << r.body;
    EXPECT_TRUE(j["tier"]["code"].is_string()) << r.body;
    EXPECT_TRUE(j["tier"]["name_zh"].is_string()) << r.body;
    EXPECT_TRUE(j["tier"]["name_en"].is_string()) << r.body;
    EXPECT_EQ(j["points"]["available"], 0) << r.body;
    EXPECT_EQ(j["points"]["pending"], 0) << r.body;
    EXPECT_TRUE(j["points"]["expiring"].is_array()) << r.body;
    // The available coupon, and not the revoked one.
    ASSERT_TRUE(j["coupons"].is_array()) << r.body;
    ASSERT_EQ(j["coupons"].size(), 1u) << r.body;
    EXPECT_EQ(j["coupons"][0]["code"], coupon_code_);
    EXPECT_EQ(j["coupons"][0]["state"], "available");
    EXPECT_EQ(j["coupons"][0]["member_id"], ZhangId());
    EXPECT_EQ(j["coupons"][0]["name_en"], "10% off");
    EXPECT_EQ(r.body.find(revoked_code_), std::string::npos) << "revoked coupon offered";
  }

  static inline std::unique_ptr<SuiteServer> suite_;
  static inline std::map<std::string, std::string> keys_;
  static inline json zhang_;
  static inline std::string coupon_code_, revoked_code_;
};

// ---- identifying the shopper ----

TEST_F(PosE2e, IdentifiesByCardNumberAsPrintedOrTyped) {
  ExpectZhang(Identify({{"card_no", ZhangCard()}}));
  const std::string card = ZhangCard();
  const std::string spaced = card.substr(0, 4) + " " + card.substr(4, 4) + " " +
                             card.substr(8, 4) + " " + card.substr(12, 4);
  ExpectZhang(Identify({{"card_no", spaced}}));
}

TEST_F(PosE2e, IdentifiesByPhoneInAnyUsualFormat) {
  for (const std::string phone : {"+86 138 0013 8000", "138 0013 8000", "+8613800138000",
                                  "8613800138000"}) {
    SCOPED_TRACE(phone);
    ExpectZhang(Identify({{"phone", phone}}));
  }
}

TEST_F(PosE2e, IdentifiesByTheQrTokenOfTheCardPage) {
  const HttpResult qr =
      http().Get("/v1/members/" + ZhangId() + "/qr-token", suite_->Token("cashier1"));
  ASSERT_EQ(qr.status, 200) << qr.body;
  const json j = qr.Json();
  EXPECT_EQ(j["refresh_seconds"], 30);
  ASSERT_TRUE(j["token"].is_string()) << qr.body;
  const std::string token = j["token"];
  EXPECT_TRUE(token.starts_with("M1." + ZhangId() + ".")) << token;
  ExpectZhang(Identify({{"qr_token", token}}));
  // A till in another store finds the same member with it (the token is not single-use).
  ExpectZhang(Identify({{"qr_token", token}}, Till("S2-T1")));
}

TEST_F(PosE2e, QrTokenNeedsStaffAndAKnownMember) {
  EXPECT_TRUE(IsProblem(http().Get("/v1/members/" + ZhangId() + "/qr-token"), 401,
                        "unauthenticated"));
  EXPECT_EQ(http().Get("/v1/members/000000000000000000000000/qr-token", suite_->Token("cashier1"))
                .status,
            404);
}

TEST_F(PosE2e, UnknownPhoneOrCardIsNotFound) {
  EXPECT_TRUE(IsProblem(Identify({{"phone", "+86 139 0000 0000"}}), 404, "member_not_found"));
  // A well-formed card number (check digit right) that nobody holds.
  std::string other = ZhangCard().substr(0, 15);
  other[0] = other[0] == '9' ? '8' : '9';
  other += DammCheck(other);
  EXPECT_TRUE(IsProblem(Identify({{"card_no", other}}), 404, "member_not_found")) << other;
}

TEST_F(PosE2e, BadBodiesAre400NamingTheField) {
  EXPECT_TRUE(IsProblem(Identify(json::object()), 400, "invalid_identify_request"));
  EXPECT_TRUE(IsProblem(Identify({{"card_no", ZhangCard()}, {"phone", kZhangPhone}}), 400,
                        "invalid_identify_request"));
  EXPECT_TRUE(IsProblem(Identify({{"card_no", ZhangCard()}, {"qr_token", "M1.x.1.A"}}), 400,
                        "invalid_identify_request"));
  // A mistyped card number (one digit off; the Damm check digit catches it): never another member.
  std::string typo = ZhangCard();
  typo[5] = static_cast<char>('0' + (typo[5] - '0' + 1) % 10);
  EXPECT_TRUE(IsProblem(Identify({{"card_no", typo}}), 400, "invalid_card_number", "card_no"));
  EXPECT_TRUE(IsProblem(Identify({{"card_no", "1234"}}), 400, "invalid_card_number", "card_no"));
  // A forged QR token: the right member and step, a made-up tag; and one altered to another member.
  const HttpResult qr =
      http().Get("/v1/members/" + ZhangId() + "/qr-token", suite_->Token("cashier1"));
  ASSERT_EQ(qr.status, 200) << qr.body;
  const std::string token = qr.Json()["token"];
  const std::string forged = token.substr(0, token.rfind('.') + 1) + "AAAAAAAAAAAAAAAA";
  EXPECT_TRUE(IsProblem(Identify({{"qr_token", forged}}), 400, "invalid_qr_token", "qr_token"));
  std::string other_member = token;
  other_member[3] = other_member[3] == 'a' ? 'b' : 'a';
  EXPECT_TRUE(
      IsProblem(Identify({{"qr_token", other_member}}), 400, "invalid_qr_token", "qr_token"));
  EXPECT_TRUE(IsProblem(Identify({{"qr_token", "not a token"}}), 400, "invalid_qr_token", "qr_token"));
  EXPECT_TRUE(IsProblem(Identify({{"phone", "12345"}}), 400, "invalid_phone", "phone"));
  EXPECT_TRUE(IsProblem(Identify({{"card_no", 1234}}), 400, "invalid_type", "card_no"));
  EXPECT_TRUE(IsProblem(Identify({{"email", "zhang.wei@example.com"}}), 400, "unknown_field", "email"));
  // Not JSON, or not an object (signed correctly all the same).
  for (const std::string& text : {std::string("{\"card_no\":"), std::string("[]")}) {
    EXPECT_TRUE(IsProblem(Send(text, SignedHeaders(text, Till())), 400, "invalid_json")) << text;
  }
}

// ---- signatures ----

TEST_F(PosE2e, AnUnsignedRequestIsMissingSignature) {
  const std::string body = json{{"card_no", ZhangCard()}}.dump();
  EXPECT_TRUE(IsProblem(Send(body, {{"Content-Type", "application/json"}}), 401,
                        "missing_signature"));
  // A staff bearer token is not a terminal signature.
  EXPECT_TRUE(IsProblem(Send(body, {{"Content-Type", "application/json"},
                                    {"Authorization", "Bearer " + suite_->Token("cashier1")}}),
                        401, "missing_signature"));
  // Signature-Input without Signature.
  auto headers = SignedHeaders(body, Till());
  headers.erase("Signature");
  EXPECT_TRUE(IsProblem(Send(body, headers), 401, "missing_signature"));
}

TEST_F(PosE2e, AWrongKeyIsBadSignature) {
  Signing s = Till();
  s.key = keys_["S2-T1"];  // another till's key
  EXPECT_TRUE(IsProblem(Identify({{"card_no", ZhangCard()}}, s), 401, "bad_signature"));
  s.key = "demo-key-S1-T1";  // the demo key is not this installation's key
  EXPECT_TRUE(IsProblem(Identify({{"card_no", ZhangCard()}}, s), 401, "bad_signature"));
}

TEST_F(PosE2e, ASignatureForAnotherPathIsBadSignature) {
  Signing s = Till();
  s.path = "/v1/pos/quotes";
  EXPECT_TRUE(IsProblem(Identify({{"card_no", ZhangCard()}}, s), 401, "bad_signature"));
}

TEST_F(PosE2e, ASignatureOutsideTheClockWindowIsStale) {
  Signing s = Till();
  s.created = UnixNow() - 301;
  const HttpResult past = Identify({{"card_no", ZhangCard()}}, s);
  EXPECT_TRUE(IsProblem(past, 401, "stale_signature"));
  EXPECT_TRUE(past.Json().contains("server_time")) << past.body;
  s.created = UnixNow() + 301;
  EXPECT_TRUE(IsProblem(Identify({{"card_no", ZhangCard()}}, s), 401, "stale_signature"));
  // Inside the window either way (a till's clock a few minutes off) is fine.
  s.created = UnixNow() - 240;
  ExpectZhang(Identify({{"card_no", ZhangCard()}}, s));
  s.created = UnixNow() + 240;
  ExpectZhang(Identify({{"card_no", ZhangCard()}}, s));
}

TEST_F(PosE2e, TheSameSignedRequestTwiceIsAReplay) {
  const std::string body = json{{"card_no", ZhangCard()}}.dump();
  const auto headers = SignedHeaders(body, Till());
  ExpectZhang(Send(body, headers));
  EXPECT_TRUE(IsProblem(Send(body, headers), 401, "signature_replayed"));
  // The nonce is remembered per terminal: another till may happen to pick the same nonce.
  Signing same_nonce = Till("S2-T1");
  same_nonce.nonce = "shared-nonce-" + RandomHex(8);
  Signing first = Till();
  first.nonce = same_nonce.nonce;
  ExpectZhang(Identify({{"card_no", ZhangCard()}}, first));
  ExpectZhang(Identify({{"card_no", ZhangCard()}}, same_nonce));
  // A fresh nonce from the same till is a new request.
  ExpectZhang(Identify({{"card_no", ZhangCard()}}));
}

TEST_F(PosE2e, ABodyChangedAfterSigningIsRefused) {
  const std::string signed_body = json{{"card_no", ZhangCard()}}.dump();
  const std::string swapped = json{{"phone", "+86 139 0000 0001"}}.dump();
  // The signed Content-Digest no longer matches the body.
  EXPECT_TRUE(IsProblem(Send(swapped, SignedHeaders(signed_body, Till())), 400,
                        "content_digest_mismatch"));
  // Recomputing Content-Digest for the new body breaks the signature instead.
  auto headers = SignedHeaders(signed_body, Till());
  headers["Content-Digest"] = pos::ContentDigestHeader(swapped);
  EXPECT_TRUE(IsProblem(Send(swapped, headers), 401, "bad_signature"));
}

TEST_F(PosE2e, ASignatureMustCoverTheBodyDigest) {
  Signing s = Till();
  s.components = {"@method", "@path"};
  EXPECT_TRUE(IsProblem(Identify({{"card_no", ZhangCard()}}, s), 400, "missing_component"));
  s.components = {"@path", "content-digest"};
  EXPECT_TRUE(IsProblem(Identify({{"card_no", ZhangCard()}}, s), 400, "missing_component"));
}

TEST_F(PosE2e, AnUnknownTerminalIsUnknownKey) {
  const Signing s = As("S9-T9", keys_["S1-T1"]);
  EXPECT_TRUE(IsProblem(Identify({{"card_no", ZhangCard()}}, s), 401, "unknown_key"));
}

TEST_F(PosE2e, KeyRotationKeepsTheOldKeyForTheOverlapOnly) {
  const std::string id = "S1-R" + RandomHex(4);
  const std::string k1 = KeyFrom(RunLoyalty(suite_->env, {"admin", "add-terminal", "--store", "S1", "--id", id}));
  ASSERT_EQ(k1.size(), 64u);
  const json body = {{"card_no", ZhangCard()}};
  ExpectZhang(Identify(body, As(id, k1)));

  // Rotated with an overlap: both keys work.
  const CommandResult rotated =
      RunLoyalty(suite_->env, {"admin", "rotate-terminal-key", "--id", id, "--overlap-hours", "2"});
  const std::string k2 = KeyFrom(rotated);
  ASSERT_EQ(k2.size(), 64u) << rotated.output;
  EXPECT_NE(k2, k1);
  ExpectZhang(Identify(body, As(id, k2)));
  ExpectZhang(Identify(body, As(id, k1)));

  // Rotated again without an overlap: only the newest key works; the one before it and the one
  // before that are refused.
  const CommandResult again =
      RunLoyalty(suite_->env, {"admin", "rotate-terminal-key", "--id", id, "--overlap-hours", "0"});
  const std::string k3 = KeyFrom(again);
  ASSERT_EQ(k3.size(), 64u) << again.output;
  ExpectZhang(Identify(body, As(id, k3)));
  EXPECT_TRUE(IsProblem(Identify(body, As(id, k2)), 401, "bad_signature"));
  EXPECT_TRUE(IsProblem(Identify(body, As(id, k1)), 401, "bad_signature"));

  // Rotating a terminal that does not exist fails on the command line.
  const CommandResult unknown =
      RunLoyalty(suite_->env, {"admin", "rotate-terminal-key", "--id", "S9-T9"});
  EXPECT_EQ(unknown.exit_code, 2) << unknown.output;
  EXPECT_NE(unknown.output.find("terminal_not_found"), std::string::npos) << unknown.output;
}


TEST_F(PosE2e, ADisabledTerminalIsForbidden) {
  const std::string id = "S1-D" + RandomHex(4);
  const std::string key =
      KeyFrom(RunLoyalty(suite_->env, {"admin", "add-terminal", "--store", "S1", "--id", id}));
  ASSERT_EQ(key.size(), 64u);
  ExpectZhang(Identify({{"card_no", ZhangCard()}}, As(id, key)));
  suite_->db->Execute("UPDATE terminals SET active = 0 WHERE terminal_id = '" + id + "'");
  EXPECT_TRUE(
      IsProblem(Identify({{"card_no", ZhangCard()}}, As(id, key)), 403, "terminal_disabled"));
}

TEST_F(PosE2e, ARefusedRequestDoesNotUseUpItsNonce) {
  // Otherwise anyone could burn a till's next nonces without knowing its key.
  Signing wrong = Till();
  wrong.key = keys_["S2-T1"];
  wrong.nonce = RandomHex(32);
  EXPECT_TRUE(IsProblem(Identify({{"card_no", ZhangCard()}}, wrong), 401, "bad_signature"));
  Signing stale = Till();
  stale.created = UnixNow() - 400;
  stale.nonce = RandomHex(32);
  EXPECT_TRUE(IsProblem(Identify({{"card_no", ZhangCard()}}, stale), 401, "stale_signature"));
  for (const std::string& nonce : {wrong.nonce, stale.nonce}) {
    Signing right = Till();
    right.nonce = nonce;
    ExpectZhang(Identify({{"card_no", ZhangCard()}}, right));
  }
}

TEST_F(PosE2e, ATillMayCoverMoreComponentsAndAnnounceItsAlgorithm) {
  // Host and Content-Type must reach the verifier byte for byte as curl sent them.
  Signing more = Till();
  more.components = {"@method", "@authority", "@path", "content-type", "content-digest"};
  ExpectZhang(Identify({{"card_no", ZhangCard()}}, more));
  // The same, signed for another host: the signature no longer matches.
  more.authority = "loyalty.example.com";
  EXPECT_TRUE(IsProblem(Identify({{"card_no", ZhangCard()}}, more), 401, "bad_signature"));
  Signing with_alg = Till();
  with_alg.alg = "hmac-sha256";
  with_alg.sha512 = true;
  ExpectZhang(Identify({{"card_no", ZhangCard()}}, with_alg));
  with_alg.alg = "rsa-pss-sha512";
  EXPECT_TRUE(IsProblem(Identify({{"card_no", ZhangCard()}}, with_alg), 400,
                        "unsupported_signature_algorithm"));
  Signing long_nonce = Till();
  long_nonce.nonce = std::string(129, 'n');
  EXPECT_TRUE(
      IsProblem(Identify({{"card_no", ZhangCard()}}, long_nonce), 400, "malformed_signature"));
}

TEST_F(PosE2e, AnOldQrTokenIsExpiredAndOneFromTheFutureInvalid) {
  // Tokens are minted here with the key the server derives from its master key, at chosen times,
  // instead of waiting a minute for a real one to age.
  auto master = ParseMasterKey(suite_->env.at("LOYALTY_MASTER_KEY"));
  ASSERT_TRUE(master.has_value());
  const auto derived = DeriveKey(*master, "loyalty/member-qr/v1");
  const std::string key(reinterpret_cast<const char*>(derived.data()), derived.size());
  const Instant now =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  auto token_at = [&](std::chrono::seconds offset) {
    auto t = pos::IssueMemberQrToken(key, ZhangId(), now + offset);
    EXPECT_TRUE(t.has_value());
    return t ? *t : std::string();
  };
  ExpectZhang(Identify({{"qr_token", token_at(std::chrono::seconds(0))}}));  // the key is right
  EXPECT_TRUE(IsProblem(Identify({{"qr_token", token_at(std::chrono::seconds(-120))}}), 409,
                        "expired_qr_token", "qr_token"));
  EXPECT_TRUE(IsProblem(Identify({{"qr_token", token_at(std::chrono::seconds(120))}}), 400,
                        "invalid_qr_token", "qr_token"));
}

TEST_F(PosE2e, AnErasedMemberIsNotFoundHoweverScanned) {
  const std::string phone = "1385999" + std::to_string(1000 + std::random_device()() % 9000);
  const HttpResult enrolled = http().Post("/v1/members", {{"phone", phone}, {"name", "被遗忘"}},
                                          suite_->Token("cashier1"));
  ASSERT_EQ(enrolled.status, 201) << enrolled.body;
  const std::string id = enrolled.Json()["member_id"];
  const std::string card = enrolled.Json()["card_no"];
  const HttpResult qr = http().Get("/v1/members/" + id + "/qr-token", suite_->Token("cashier1"));
  ASSERT_EQ(qr.status, 200) << qr.body;
  const std::string token = qr.Json()["token"];
  ASSERT_EQ(Identify({{"qr_token", token}}).status, 200);

  const HttpResult erased = http().Delete("/v1/members/" + id, suite_->Token("admin"));
  ASSERT_EQ(erased.status, 200) << erased.body;
  EXPECT_TRUE(IsProblem(Identify({{"card_no", card}}), 404, "member_not_found"));
  EXPECT_TRUE(IsProblem(Identify({{"phone", phone}}), 404, "member_not_found"));
  EXPECT_TRUE(IsProblem(Identify({{"qr_token", token}}), 404, "member_not_found"));
  EXPECT_TRUE(IsProblem(http().Get("/v1/members/" + id + "/qr-token", suite_->Token("cashier1")),
                        404, "member_not_found"));
}

}  // namespace
}  // namespace loyalty::testing::e2e
