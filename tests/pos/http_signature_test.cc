// RFC 9421 terminal signatures: the RFC's own hmac-sha256 example, the policy, and hostile headers.
#include "pos-adapter/http_signature.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "pos-adapter/content_digest.h"

namespace loyalty::pos {
namespace {

using std::chrono::seconds;

Instant At(int64_t unix_seconds) { return Instant(seconds(unix_seconds)); }

// RFC 9421 B.1.5 test-shared-secret (base64 as printed in the RFC).
constexpr std::string_view kRfcSharedSecretB64 =
    "uzvJfB4u3N0Jy4T7NZ75MDVcr8zSTInedJtkgcu46YW4XByzNJjxBdtjUkdJPBtbmHhIDi6pcl8jsasjlTMtDQ==";
constexpr int64_t kRfcCreated = 1618884473;

// RFC 9421 B.2 test request:
//   POST /foo?param=Value&Pet=dog HTTP/1.1
//   Host: example.com
//   Date: Tue, 20 Apr 2021 02:07:55 GMT
//   Content-Type: application/json
//   Content-Digest: sha-512=:WZDPaVn/7XgH...==:
//   Content-Length: 18
//
//   {"hello": "world"}
HttpRequest RfcTestRequest() {
  HttpRequest r;
  r.method = "POST";
  r.scheme = "https";
  r.authority = "example.com";
  r.path = "/foo";
  r.query = "param=Value&Pet=dog";
  r.headers = {
      {"Host", "example.com"},
      {"Date", "Tue, 20 Apr 2021 02:07:55 GMT"},
      {"Content-Type", "application/json"},
      {"Content-Digest",
       "sha-512=:WZDPaVn/"
       "7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJ"
       "wew==:"},
      {"Content-Length", "18"},
  };
  r.body = R"({"hello": "world"})";
  return r;
}

std::string RfcSharedSecret() { return sf::Base64Decode(kRfcSharedSecretB64).value(); }

TEST(HttpSignatureRfcTest, ReproducesAppendixB25HmacSha256) {
  SignatureParams params;
  params.components = {"date", "@authority", "content-type"};
  params.created = kRfcCreated;
  params.keyid = "test-shared-secret";

  auto base = SignatureBase(RfcTestRequest(), params);
  ASSERT_TRUE(base) << base.error().message;
  EXPECT_EQ(*base,
            "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n"
            "\"@authority\": example.com\n"
            "\"content-type\": application/json\n"
            "\"@signature-params\": (\"date\" \"@authority\" \"content-type\")"
            ";created=1618884473;keyid=\"test-shared-secret\"");

  auto headers = SignRequest(RfcTestRequest(), RfcSharedSecret(), params, "sig-b25");
  ASSERT_TRUE(headers) << headers.error().message;
  EXPECT_EQ(headers->signature_base, *base);
  EXPECT_EQ(headers->signature_input,
            "sig-b25=(\"date\" \"@authority\" \"content-type\")"
            ";created=1618884473;keyid=\"test-shared-secret\"");
  EXPECT_EQ(headers->signature, "sig-b25=:pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=:");
}

// The same example from the verifier's side: the RFC's headers verify once our terminal policy
// (method, path, nonce, digest coverage) is relaxed to what the example covers.
TEST(HttpSignatureRfcTest, VerifiesAppendixB25Headers) {
  HttpRequest r = RfcTestRequest();
  r.headers.emplace_back("Signature-Input",
                         "sig-b25=(\"date\" \"@authority\" \"content-type\")"
                         ";created=1618884473;keyid=\"test-shared-secret\"");
  r.headers.emplace_back("Signature", "sig-b25=:pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=:");
  auto lookup = [](std::string_view keyid) -> std::optional<TerminalKeys> {
    if (keyid != "test-shared-secret") return std::nullopt;
    return TerminalKeys{RfcSharedSecret(), std::nullopt};
  };
  VerifyOptions relaxed;
  relaxed.required_components.clear();
  relaxed.require_nonce = false;
  relaxed.require_content_digest_for_body = false;
  auto verified = VerifyRequestSignature(r, lookup, At(kRfcCreated), relaxed);
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->label, "sig-b25");
  EXPECT_EQ(verified->keyid, "test-shared-secret");
  EXPECT_EQ(verified->created, kRfcCreated);

  // Our default policy refuses it: it covers neither @method nor @path.
  auto strict = VerifyRequestSignature(r, lookup, At(kRfcCreated));
  ASSERT_FALSE(strict);
  EXPECT_EQ(strict.error().slug, "missing_component");
}

// Derived component values from RFC 9421 §2.2.
TEST(HttpSignatureRfcTest, DerivedComponents) {
  HttpRequest r;
  r.method = "POST";
  r.scheme = "https";
  r.authority = "WWW.Example.com";
  r.path = "/path";
  r.query = "param=value&foo=bar&baz=bat%2Dman";
  SignatureParams p;
  p.components = {"@method",         "@target-uri", "@authority", "@scheme",
                  "@request-target", "@path",       "@query"};
  auto base = SignatureBase(r, p);
  ASSERT_TRUE(base) << base.error().message;
  EXPECT_EQ(*base,
            "\"@method\": POST\n"
            "\"@target-uri\": https://www.example.com/path?param=value&foo=bar&baz=bat%2Dman\n"
            "\"@authority\": www.example.com\n"
            "\"@scheme\": https\n"
            "\"@request-target\": /path?param=value&foo=bar&baz=bat%2Dman\n"
            "\"@path\": /path\n"
            "\"@query\": ?param=value&foo=bar&baz=bat%2Dman\n"
            "\"@signature-params\": (\"@method\" \"@target-uri\" \"@authority\" \"@scheme\" "
            "\"@request-target\" \"@path\" \"@query\")");

  r.query.clear();
  r.path.clear();
  p.components = {"@query", "@path", "@target-uri"};
  base = SignatureBase(r, p);
  ASSERT_TRUE(base);
  EXPECT_EQ(*base,
            "\"@query\": ?\n\"@path\": /\n\"@target-uri\": https://www.example.com/\n"
            "\"@signature-params\": (\"@query\" \"@path\" \"@target-uri\")");
}

TEST(HttpSignatureRfcTest, HeaderValuesAreTrimmedAndRepeatedFieldsJoined) {
  HttpRequest r;
  r.headers = {{"X-Tag", "  a \t"}, {"x-tag", "b"}, {"X-EMPTY", ""}};
  SignatureParams p;
  p.components = {"x-tag", "x-empty"};
  auto base = SignatureBase(r, p);
  ASSERT_TRUE(base);
  EXPECT_EQ(*base,
            "\"x-tag\": a, b\n\"x-empty\": \n\"@signature-params\": (\"x-tag\" \"x-empty\")");
}

// --- Terminal policy --------------------------------------------------------------------------

constexpr int64_t kNow = 1767225600;  // 2026-01-01T00:00:00Z
constexpr std::string_view kTerminal = "S1-T1";
const std::string kDemoKey = "demo-key-S1-T1";  // API.md demo data: "demo-key-" + terminal id

HttpRequest QuoteRequest() {
  HttpRequest r;
  r.method = "POST";
  r.scheme = "http";
  r.authority = "localhost:8080";
  r.path = "/v1/pos/quotes";
  r.body = R"({"store_id":"S1","terminal_id":"S1-T1","lines":[]})";
  r.headers = {{"Host", "localhost:8080"},
               {"Content-Type", "application/json"},
               {"Content-Digest", ContentDigestHeader(r.body)}};
  return r;
}

SignatureParams TerminalParams(int64_t created = kNow) {
  SignatureParams p;
  p.components = {"@method", "@path", "@authority", "content-digest", "content-type"};
  p.created = created;
  p.keyid = std::string(kTerminal);
  p.nonce = "c2b1f0a4-7d1e-4a52-9d1b-0f0e2f3c4d5e";
  return p;
}

// Adds the signature headers for `params`, signed with `key`.
HttpRequest Signed(HttpRequest r, const SignatureParams& params,
                   const std::string& key = kDemoKey) {
  auto headers = SignRequest(r, key, params);
  EXPECT_TRUE(headers) << headers.error().message;
  r.headers.emplace_back("Signature-Input", headers->signature_input);
  r.headers.emplace_back("Signature", headers->signature);
  return r;
}

std::optional<TerminalKeys> DemoKeys(std::string_view keyid) {
  if (keyid == kTerminal) return TerminalKeys{kDemoKey, std::nullopt};
  return std::nullopt;
}

std::string SlugOf(const Result<VerifiedSignature>& r) { return r ? "ok" : r.error().slug; }

Result<VerifiedSignature> Verify(const HttpRequest& r, int64_t now = kNow,
                                 const VerifyOptions& options = {}) {
  return VerifyRequestSignature(r, DemoKeys, At(now), options);
}

TEST(HttpSignatureTest, SignThenVerifyRoundTrip) {
  auto verified = Verify(Signed(QuoteRequest(), TerminalParams()));
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->keyid, "S1-T1");
  EXPECT_EQ(verified->nonce, "c2b1f0a4-7d1e-4a52-9d1b-0f0e2f3c4d5e");
  EXPECT_EQ(verified->created, kNow);
  EXPECT_EQ(verified->label, "sig1");
  EXPECT_FALSE(verified->used_previous_key);
  EXPECT_EQ(verified->components, TerminalParams().components);
}

TEST(HttpSignatureTest, AcceptsExplicitAlgAndExpiresAndTag) {
  SignatureParams p = TerminalParams();
  p.alg = "hmac-sha256";
  p.expires = kNow + 60;
  p.tag = "loyalty-pos";
  auto verified = Verify(Signed(QuoteRequest(), p));
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->expires, kNow + 60);
}

TEST(HttpSignatureTest, TamperedBodyFailsTheDigest) {
  HttpRequest r = Signed(QuoteRequest(), TerminalParams());
  r.body = R"({"store_id":"S2","terminal_id":"S1-T1","lines":[]})";
  auto verified = Verify(r);
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().slug, "content_digest_mismatch");
}

TEST(HttpSignatureTest, TamperedBodyWithRecomputedDigestFailsTheSignature) {
  HttpRequest r = Signed(QuoteRequest(), TerminalParams());
  r.body = R"({"store_id":"S2"})";
  for (auto& [name, value] : r.headers) {
    if (name == "Content-Digest") value = ContentDigestHeader(r.body);
  }
  EXPECT_EQ(SlugOf(Verify(r)), "bad_signature");
}

TEST(HttpSignatureTest, TamperedPathOrMethodFailsTheSignature) {
  HttpRequest r = Signed(QuoteRequest(), TerminalParams());
  r.path = "/v1/pos/transactions";
  EXPECT_EQ(SlugOf(Verify(r)), "bad_signature");

  r = Signed(QuoteRequest(), TerminalParams());
  r.method = "PUT";
  EXPECT_EQ(SlugOf(Verify(r)), "bad_signature");

  r = Signed(QuoteRequest(), TerminalParams());
  r.headers[1].second = "text/plain";  // Content-Type, covered
  EXPECT_EQ(SlugOf(Verify(r)), "bad_signature");
}

TEST(HttpSignatureTest, AlteredSignatureParametersFailTheSignature) {
  HttpRequest r = Signed(QuoteRequest(), TerminalParams());
  for (auto& [name, value] : r.headers) {
    if (name == "Signature-Input") value.replace(value.find("c2b1"), 4, "ffff");  // new nonce
  }
  EXPECT_EQ(SlugOf(Verify(r)), "bad_signature");
}

TEST(HttpSignatureTest, WrongKeyFailsTheSignature) {
  EXPECT_EQ(SlugOf(Verify(Signed(QuoteRequest(), TerminalParams(), "demo-key-S1-T2"))),
            "bad_signature");
}

TEST(HttpSignatureTest, ClockSkewWindowIsThreeHundredSecondsEitherWay) {
  const HttpRequest r = Signed(QuoteRequest(), TerminalParams());
  EXPECT_TRUE(Verify(r, kNow + 300));
  EXPECT_TRUE(Verify(r, kNow - 300));
  auto late = Verify(r, kNow + 301);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().slug, "stale_signature");
  EXPECT_EQ(late.error().code, Code::kUnauthenticated);
  ASSERT_NE(late.error().Detail("server_time"), nullptr);
  EXPECT_EQ(*late.error().Detail("server_time"), std::to_string(kNow + 301));
  EXPECT_EQ(SlugOf(Verify(r, kNow - 301)), "stale_signature");  // till clock ahead

  // The instant is injected with sub-second precision; only whole seconds count.
  EXPECT_TRUE(VerifyRequestSignature(r, DemoKeys, At(kNow + 300) + std::chrono::milliseconds(999)));

  VerifyOptions wide;
  wide.max_clock_skew = seconds(600);
  EXPECT_TRUE(Verify(r, kNow + 301, wide));
}

TEST(HttpSignatureTest, ExpiredSignatureIsStale) {
  SignatureParams p = TerminalParams();
  p.expires = kNow + 10;
  const HttpRequest r = Signed(QuoteRequest(), p);
  EXPECT_TRUE(Verify(r, kNow + 9));
  EXPECT_EQ(SlugOf(Verify(r, kNow + 10)), "stale_signature");
}

TEST(HttpSignatureTest, MissingNonceCreatedOrKeyidIsRefused) {
  for (std::string_view parameter : {"nonce", "created", "keyid"}) {
    SignatureParams p = TerminalParams();
    if (parameter == "nonce") p.nonce.reset();
    if (parameter == "created") p.created.reset();
    if (parameter == "keyid") p.keyid.reset();
    auto verified = Verify(Signed(QuoteRequest(), p));
    ASSERT_FALSE(verified) << parameter;
    EXPECT_EQ(verified.error().slug, "missing_component") << parameter;
    ASSERT_NE(verified.error().Detail("parameter"), nullptr);
    EXPECT_EQ(*verified.error().Detail("parameter"), parameter);
  }
  SignatureParams empty_nonce = TerminalParams();
  empty_nonce.nonce = "";
  EXPECT_EQ(SlugOf(Verify(Signed(QuoteRequest(), empty_nonce))), "missing_component");

  SignatureParams long_nonce = TerminalParams();
  long_nonce.nonce = std::string(129, 'n');
  EXPECT_EQ(SlugOf(Verify(Signed(QuoteRequest(), long_nonce))), "malformed_signature");
}

TEST(HttpSignatureTest, UnknownKeyid) {
  SignatureParams p = TerminalParams();
  p.keyid = "S9-T9";
  auto verified = Verify(Signed(QuoteRequest(), p));
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().slug, "unknown_key");
  EXPECT_EQ(verified.error().code, Code::kUnauthenticated);
  EXPECT_EQ(*verified.error().Detail("keyid"), "S9-T9");

  // A lookup that hands back an empty key (a provisioning bug) is no key at all.
  auto empty = [](std::string_view) { return std::optional<TerminalKeys>(TerminalKeys{}); };
  EXPECT_EQ(
      SlugOf(VerifyRequestSignature(Signed(QuoteRequest(), TerminalParams()), empty, At(kNow))),
      "unknown_key");
}

TEST(HttpSignatureTest, PreviousKeyIsAcceptedDuringRotation) {
  const std::string new_key = "rotated-key-S1-T1-2026";
  auto rotating = [&](std::string_view) {
    return std::optional<TerminalKeys>(TerminalKeys{new_key, kDemoKey});
  };
  auto old_till =
      VerifyRequestSignature(Signed(QuoteRequest(), TerminalParams()), rotating, At(kNow));
  ASSERT_TRUE(old_till) << old_till.error().message;
  EXPECT_TRUE(old_till->used_previous_key);

  auto new_till =
      VerifyRequestSignature(Signed(QuoteRequest(), TerminalParams(), new_key), rotating, At(kNow));
  ASSERT_TRUE(new_till);
  EXPECT_FALSE(new_till->used_previous_key);

  // Rotation finished: the old key is gone.
  auto rotated = [&](std::string_view) {
    return std::optional<TerminalKeys>(TerminalKeys{new_key, std::nullopt});
  };
  EXPECT_EQ(
      SlugOf(VerifyRequestSignature(Signed(QuoteRequest(), TerminalParams()), rotated, At(kNow))),
      "bad_signature");
}

TEST(HttpSignatureTest, RequiredComponentsMustBeCovered) {
  SignatureParams p = TerminalParams();
  p.components = {"@method", "@authority", "content-digest"};  // no @path
  auto verified = Verify(Signed(QuoteRequest(), p));
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().slug, "missing_component");
  EXPECT_EQ(*verified.error().Detail("component"), "@path");

  p.components = {"@method", "@path"};  // a body, but no content-digest
  verified = Verify(Signed(QuoteRequest(), p));
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().slug, "missing_component");
  EXPECT_EQ(*verified.error().Detail("component"), "content-digest");

  // Without a body (GET) the digest is not required.
  HttpRequest get;
  get.method = "GET";
  get.scheme = "http";
  get.authority = "localhost:8080";
  get.path = "/v1/pos/identify";
  EXPECT_TRUE(Verify(Signed(get, p)));
}

TEST(HttpSignatureTest, CoveredHeaderMissingFromTheRequest) {
  HttpRequest r = Signed(QuoteRequest(), TerminalParams());
  std::erase_if(r.headers, [](const auto& h) { return h.first == "Content-Type"; });
  auto verified = Verify(r);
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().slug, "missing_component");
  EXPECT_EQ(*verified.error().Detail("component"), "content-type");

  // SignRequest refuses the same mistake on the client side.
  HttpRequest no_digest = QuoteRequest();
  no_digest.headers.pop_back();
  auto headers = SignRequest(no_digest, kDemoKey, TerminalParams());
  ASSERT_FALSE(headers);
  EXPECT_EQ(headers.error().slug, "missing_component");
}

TEST(HttpSignatureTest, OnlyHmacSha256) {
  SignatureParams p = TerminalParams();
  p.alg = "ed25519";
  EXPECT_EQ(SlugOf(Verify(Signed(QuoteRequest(), p))), "unsupported_signature_algorithm");
}

TEST(HttpSignatureTest, MissingSignatureHeaders) {
  HttpRequest r = QuoteRequest();
  EXPECT_EQ(SlugOf(Verify(r)), "missing_signature");
  r = Signed(QuoteRequest(), TerminalParams());
  std::erase_if(r.headers, [](const auto& h) { return h.first == "Signature"; });
  EXPECT_EQ(SlugOf(Verify(r)), "missing_signature");

  r = Signed(QuoteRequest(), TerminalParams());
  for (auto& [name, value] : r.headers) {
    if (name == "Signature") value.replace(0, 4, "sig2");  // labels no longer pair up
  }
  EXPECT_EQ(SlugOf(Verify(r)), "missing_signature");
}

TEST(HttpSignatureTest, PicksTheRequestedLabelAmongSeveral) {
  HttpRequest r = QuoteRequest();
  auto mine = SignRequest(r, kDemoKey, TerminalParams(), "pos");
  ASSERT_TRUE(mine);
  // A proxy's signature we cannot check comes first.
  r.headers.emplace_back("Signature-Input",
                         "proxy=(\"@method\");created=1;keyid=\"edge\", " + mine->signature_input);
  r.headers.emplace_back("Signature", "proxy=:AAAA:, " + mine->signature);
  EXPECT_EQ(SlugOf(Verify(r)), "missing_component");  // first label: "proxy"
  VerifyOptions options;
  options.label = "pos";
  auto verified = Verify(r, kNow, options);
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->label, "pos");
}

TEST(HttpSignatureTest, HeaderNamesAreCaseInsensitiveAndSplitFieldsCombine) {
  HttpRequest r = QuoteRequest();
  auto h = SignRequest(r, kDemoKey, TerminalParams());
  ASSERT_TRUE(h);
  r.headers.emplace_back("signature-input", h->signature_input);
  r.headers.emplace_back("SIGNATURE", "other=:AAAA:");
  r.headers.emplace_back("Signature", h->signature);  // second line of the same field
  EXPECT_TRUE(Verify(r));
}

TEST(HttpSignatureTest, SignRefusesBadArguments) {
  EXPECT_EQ(SignRequest(QuoteRequest(), "", TerminalParams()).error().slug, "malformed_signature");
  EXPECT_EQ(SignRequest(QuoteRequest(), kDemoKey, TerminalParams(), "Sig").error().slug,
            "malformed_signature");
  SignatureParams p = TerminalParams();
  p.nonce = "caf\xc3\xa9";
  EXPECT_EQ(SignRequest(QuoteRequest(), kDemoKey, p).error().slug, "malformed_signature");
  p = TerminalParams();
  p.components.push_back("@method");
  EXPECT_EQ(SignRequest(QuoteRequest(), kDemoKey, p).error().slug, "malformed_signature");
  p = TerminalParams();
  p.components.push_back("@status");
  EXPECT_EQ(SignRequest(QuoteRequest(), kDemoKey, p).error().slug, "malformed_signature");
}

// --- Hostile headers --------------------------------------------------------------------------

HttpRequest WithSignatureHeaders(std::string input, std::string signature) {
  HttpRequest r = QuoteRequest();
  r.headers.emplace_back("Signature-Input", std::move(input));
  r.headers.emplace_back("Signature", std::move(signature));
  return r;
}

TEST(HttpSignatureBadInputTest, MalformedSignatureInput) {
  const std::string good_sig = "sig1=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:";
  const std::string params = ";created=1767225600;keyid=\"S1-T1\";nonce=\"n\"";
  const std::string cases[] = {
      "sig1",                                       // boolean member, not an inner list
      "sig1=",                                      // no value
      "sig1=(",                                     // unbalanced paren
      "sig1=(\"@method\"",                          //
      "sig1=(\"@method)" + params,                  // unbalanced quote
      "sig1=(\"@method\" \"@path)" + params,        //
      "sig1=(@method \"@path\")" + params,          // token component, not a string
      "sig1=(\"@method\";req \"@path\")" + params,  // component parameters unsupported
      "sig1=(\"@m\xc3\xa9thod\")" + params,         // non-ASCII inside a string
      "sig1=(\"@method\" \"@path\")\xff" + params,  // non-ASCII outside
      "sig1=\"@method\"" + params,                  // a string, not an inner list
      "sig1=(\"@method\" \"@path\");created=\"1767225600\";keyid=\"S1-T1\";nonce=\"n\"",
      "sig1=(\"@method\" \"@path\");created=1767225600;keyid=S1;nonce=\"n\"",  // token keyid
      "sig1=(\"@method\" \"@path\" \"content-digest\" \"Content-Type\")" + params,
      "sig1=(\"@method\" \"@path\" \"content-digest\" \"@method\")" + params,  // repeated
      "sig1=(\"@method\" \"@path\" \"content-digest\" \"@status\")" + params,
      "sig1=(\"@method\" \"@path\")" + params + ",",
      std::string(sf::kMaxFieldBytes + 10, '('),
      "sig1=(" + std::string(20000, ' ') + ")",
  };
  for (const std::string& input : cases) {
    auto verified = Verify(WithSignatureHeaders(input, good_sig));
    ASSERT_FALSE(verified) << input.substr(0, 80);
    EXPECT_EQ(verified.error().slug, "malformed_signature") << input.substr(0, 80);
    EXPECT_EQ(verified.error().code, Code::kInvalidArgument);
  }
}

TEST(HttpSignatureBadInputTest, MalformedSignature) {
  const std::string input =
      SignRequest(QuoteRequest(), kDemoKey, TerminalParams())->signature_input;
  const std::string cases[] = {
      "sig1=:AAAA",     // unbalanced colon
      "sig1=:A!A=:",    // not base64
      "sig1=\"AAAA\"",  // a string
      "sig1=(:AAAA:)",  // an inner list
      "sig1",           // boolean
      "sig1=:\xe4\xb8\xad:",
  };
  for (const std::string& signature : cases) {
    EXPECT_EQ(SlugOf(Verify(WithSignatureHeaders(input, signature))), "malformed_signature")
        << signature;
  }
  // Well formed but the wrong length: simply does not match.
  for (std::string signature : {"sig1=::", "sig1=:YQ==:"}) {
    EXPECT_EQ(SlugOf(Verify(WithSignatureHeaders(input, signature))), "bad_signature");
  }
}

TEST(HttpSignatureBadInputTest, EmptyHeadersAreMissing) {
  EXPECT_EQ(SlugOf(Verify(WithSignatureHeaders("", ""))), "missing_signature");
  EXPECT_EQ(SlugOf(Verify(WithSignatureHeaders("   ", "sig1=:AAAA:"))), "missing_signature");
}

TEST(HttpSignatureBadInputTest, LineBreakInACoveredValueCannotForgeABaseLine) {
  HttpRequest r = QuoteRequest();
  r.headers.emplace_back("X-Note", "a\n\"@method\": GET");
  SignatureParams p = TerminalParams();
  p.components.push_back("x-note");
  auto headers = SignRequest(r, kDemoKey, p);
  ASSERT_FALSE(headers);
  EXPECT_EQ(headers.error().slug, "malformed_signature");
}

// Mutating each byte of valid headers never crashes and never yields kInternal.
TEST(HttpSignatureBadInputTest, MutatedHeadersNeverCrash) {
  const HttpRequest good = Signed(QuoteRequest(), TerminalParams());
  std::mt19937 rng(9421);
  using namespace std::string_literals;
  const std::string bytes =
      "\"():;=,?* \t\\\x00\x7f\xc3\xa9"
      "aZ09-/+"s;
  for (size_t h = good.headers.size() - 2; h < good.headers.size(); ++h) {
    const std::string& original = good.headers[h].second;
    for (size_t i = 0; i < original.size(); ++i) {
      for (int k = 0; k < 4; ++k) {
        HttpRequest r = good;
        r.headers[h].second[i] = bytes[rng() % bytes.size()];
        if (r.headers[h].second == original) continue;
        auto verified = Verify(r);
        if (!verified) {
          EXPECT_NE(verified.error().code, Code::kInternal);
        }
      }
    }
  }
}

}  // namespace
}  // namespace loyalty::pos
