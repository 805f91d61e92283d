// Terminal request signatures: HTTP Message Signatures (RFC 9421) with hmac-sha256 only.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loyalty/common/clock.h"
#include "loyalty/common/error.h"

namespace loyalty::pos {

// The parts of a request a signature can cover, as the HTTP layer received them. Nothing here is
// trusted: every value may come from a hostile client.
struct HttpRequest {
  std::string method;     // "POST"; compared as sent (RFC 9421 §2.2.1)
  std::string scheme;     // "https" or "http", for @target-uri
  std::string authority;  // the Host header: "example.com" or "host:8080"
  std::string path;       // "/v1/pos/quotes"; empty means "/"
  std::string query;      // without the '?': "param=Value&Pet=dog"; empty when there is none
  // Header fields in the order received; names in any case, a name may repeat.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The combined value of a field (RFC 9421 §2.1): the values of every line with that name,
  // trimmed, joined with ", "; nullopt when the request has no such field.
  std::optional<std::string> Header(std::string_view name) const;
};

// The parameters of one signature (RFC 9421 §2.3) as our signer writes them.
struct SignatureParams {
  // Covered components in order: derived ones ("@method", "@target-uri", "@authority",
  // "@scheme", "@request-target", "@path", "@query") or lower-case header names.
  std::vector<std::string> components;
  std::optional<int64_t> created;  // Unix seconds
  std::optional<int64_t> expires;  // Unix seconds
  std::optional<std::string> nonce;
  std::optional<std::string> alg;  // "hmac-sha256"; RFC 9421 B.2.5 leaves it out
  std::optional<std::string> keyid;
  std::optional<std::string> tag;
};

// The raw 32-byte HMAC-SHA256 of `data` under `key` (empty if OpenSSL fails, so it never
// verifies). Shared by request signatures and offline journal entries.
std::string HmacSha256(std::string_view key, std::string_view data);

// The "@signature-params" value: the inner list and its parameters in the order created,
// expires, keyid, nonce, alg, tag, e.g. ("@method" "@path");created=1618884473;keyid="S1-T1".
std::string SerializeSignatureParams(const SignatureParams& params);

// The signature base (RFC 9421 §2.5) that the HMAC is computed over: one line per covered
// component, then the "@signature-params" line, no trailing newline. Errors:
//  - missing_component (kInvalidArgument): a covered header field is not in the request;
//  - malformed_signature (kInvalidArgument): a component we do not support (@status,
//    @query-param, ...), a name that is not lower case, a component listed twice, or a value
//    containing a line break.
Result<std::string> SignatureBase(const HttpRequest& request, const SignatureParams& params);

struct SignatureHeaders {
  std::string signature_input;  // value of Signature-Input: label=(...);created=...
  std::string signature;        // value of Signature: label=:base64:
  std::string signature_base;   // what was signed; for tests and for debugging a vendor's client
};

// Signs `request` with hmac-sha256 under `key` (raw bytes; for the demo terminals the ASCII
// string "demo-key-" + terminal id). `label` must be an sf key ("sig1"). Used by tests, the demo
// and our test clients; the till software does the same in its own language. Errors: those of
// SignatureBase, and malformed_signature for an empty key, a bad label or a nonce, keyid or tag
// that is not printable ASCII.
Result<SignatureHeaders> SignRequest(const HttpRequest& request, std::string_view key,
                                     const SignatureParams& params,
                                     std::string_view label = "sig1");

// A terminal's keys. During a rotation both are accepted so tills can switch over one by one;
// `previous` is dropped once every till has the new key.
struct TerminalKeys {
  std::string current;
  std::optional<std::string> previous;
};

// keyid (the terminal id) -> its keys; nullopt for a terminal we do not know (or one that is
// disabled). Called at most once per verification.
using KeyLookup = std::function<std::optional<TerminalKeys>(std::string_view keyid)>;

struct VerifyOptions {
  // Components every signature must cover. Method and path bind the signature to the endpoint,
  // so a signed GET cannot be replayed as a POST to another path.
  std::vector<std::string> required_components = {"@method", "@path"};

  // When the request has a body, "content-digest" must be covered and the Content-Digest header
  // must match the body; without it the body could be swapped under a valid signature.
  bool require_content_digest_for_body = true;

  // Allowed distance between `created` and now, either way: tills' clocks drift, and the nonce
  // store only has to remember nonces this long (GUIDE §6: ±300 s).
  std::chrono::seconds max_clock_skew{300};

  // Both are required by default: `created` bounds the replay window, `nonce` closes it (the
  // caller records the nonce in Redis for max_clock_skew * 2).
  bool require_created = true;
  bool require_nonce = true;

  // Longest nonce accepted; it becomes part of a Redis key.
  size_t max_nonce_length = 128;

  // Which signature to check when Signature-Input has several; empty means the first label that
  // appears in both Signature-Input and Signature.
  std::string label;
};

// What the caller needs after a successful verification: check `nonce` was not seen before
// (replay) and that terminal `keyid` belongs to the store named in the body.
struct VerifiedSignature {
  std::string label;
  std::string keyid;
  std::string nonce;    // empty only when require_nonce is false and none was sent
  int64_t created = 0;  // Unix seconds; 0 only when require_created is false and none was sent
  std::optional<int64_t> expires;
  std::vector<std::string> components;
  bool used_previous_key = false;  // the till still signs with the key being rotated out
};

// Verifies the signature of `request` (Signature-Input and Signature headers). `now` is injected;
// this function never reads a clock. Format and policy are checked before the key is looked up,
// the signature before the body digest; the first failure is returned. Outcomes:
//  - the verified signature;
//  - missing_signature (kUnauthenticated): no Signature-Input or Signature header, or no label
//    present in both (or not `options.label`);
//  - malformed_signature (kInvalidArgument): a header is not valid Structured Fields, the
//    signature member is not an inner list of strings / a byte sequence, a parameter has the
//    wrong type, a component is unsupported or repeated, or the nonce is too long;
//  - unsupported_signature_algorithm (kInvalidArgument): `alg` is present and not hmac-sha256;
//  - missing_component (kInvalidArgument, detail "component" or "parameter"): a required
//    component or content-digest (request with a body) is not covered, a covered header is not
//    in the request, or created, nonce or keyid is missing;
//  - stale_signature (kUnauthenticated): |now - created| > max_clock_skew, or now >= expires;
//    details "created" and "server_time" so the vendor can see the drift;
//  - unknown_key (kUnauthenticated): the lookup knows no terminal `keyid`;
//  - bad_signature (kUnauthenticated): the HMAC matches neither the current nor the previous key;
//  - the Content-Digest errors (content_digest.h) when content-digest is covered: the body does
//    not match the signed digest.
Result<VerifiedSignature> VerifyRequestSignature(const HttpRequest& request,
                                                 const KeyLookup& lookup, Instant now,
                                                 const VerifyOptions& options = {});

}  // namespace loyalty::pos
