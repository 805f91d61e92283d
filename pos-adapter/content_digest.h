// Content-Digest (RFC 9530) for POS request bodies, and the Structured Fields parser it shares.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loyalty/common/error.h"

namespace loyalty::pos {

// Structured Field Values (RFC 8941), the subset HTTP signature headers need: Dictionaries whose
// members are Items or Inner Lists, with Parameters. It lives beside Content-Digest because that
// is the lowest layer of terminal authentication; http_signature.cc parses with it too. Every
// function here takes bytes from the network: malformed input is an Error, never a crash.
namespace sf {

// Longer headers are refused before parsing: a till sends a few hundred bytes, and a cap keeps
// a hostile client from making us allocate for megabytes of parameters.
inline constexpr size_t kMaxFieldBytes = 16 * 1024;

struct Item {
  enum class Type { kInteger, kDecimal, kString, kToken, kByteSequence, kBoolean };
  Type type = Type::kBoolean;
  int64_t integer = 0;  // kInteger
  // kDecimal: the digits as sent (we never compute with them); kString, kToken: the value
  // unescaped; kByteSequence: the decoded bytes.
  std::string text;
  bool boolean = true;  // kBoolean

  bool operator==(const Item&) const = default;
};

// Ordered; a repeated key overwrites the earlier value in place (RFC 8941 §4.2.3.2).
using Parameters = std::vector<std::pair<std::string, Item>>;

struct ParameterizedItem {
  Item item;
  Parameters params;
};

// A Dictionary member: one Item, or an Inner List "(a b c)" of Items; either way with Parameters.
struct Member {
  bool is_inner_list = false;
  Item item;                            // when !is_inner_list
  std::vector<ParameterizedItem> list;  // when is_inner_list
  Parameters params;
};

using Dictionary = std::vector<std::pair<std::string, Member>>;

// Parses a Dictionary field value. Outcomes: the members in order; or an Error with slug
// `malformed_slug` (kInvalidArgument, detail "field" = `field_name`) whose message names the
// offset and what was expected, so a POS vendor can find the bug in their serializer.
Result<Dictionary> ParseDictionary(std::string_view value, std::string_view field_name,
                                   std::string_view malformed_slug);

// Canonical serialization (RFC 8941 §4.1), used to rebuild "@signature-params" from what was
// parsed. Strings must be printable ASCII, tokens and keys valid: callers only pass values that
// came from the parser or from our own code.
std::string SerializeItem(const Item& item);
std::string SerializeParameters(const Parameters& params);
std::string SerializeInnerList(const std::vector<ParameterizedItem>& list,
                               const Parameters& params);

const Item* FindParameter(const Parameters& params, std::string_view key);

// Standard base64 with padding (the alphabet of sf byte sequences and of RFC 9421 keys).
std::string Base64Encode(std::string_view bytes);
// nullopt unless `text` is standard base64; the "=" padding may be left off (RFC 8941 §4.2.7).
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace sf

// Digests we compute and check. Others a client lists (RFC 9530 registry: md5, sha, ...) are
// ignored as the RFC asks, but at least one of ours must be present.
struct ContentDigest {
  std::optional<std::string> sha256;  // raw 32 bytes
  std::optional<std::string> sha512;  // raw 64 bytes
};

// The header value for `body`: "sha-256=:<base64>:", or with `with_sha512` also
// ", sha-512=:<base64>:".
std::string ContentDigestHeader(std::string_view body, bool with_sha512 = false);

// Parses a Content-Digest value. Outcomes (all kInvalidArgument, detail "field" =
// "Content-Digest"):
//  - missing_content_digest: empty value (a body was sent without the header);
//  - malformed_content_digest: not a Structured Fields Dictionary, or sha-256/sha-512 is not a
//    byte sequence of the right length;
//  - unsupported_content_digest: neither sha-256 nor sha-512 is listed.
Result<ContentDigest> ParseContentDigest(std::string_view header);

// Parses `header` and checks every digest we know (sha-256, and sha-512 when listed) against
// `body`. Outcomes: ok; the errors of ParseContentDigest; content_digest_mismatch
// (kInvalidArgument) when a digest differs: the body was altered or the client hashed other bytes
// than it sent (e.g. before re-encoding the JSON).
Status VerifyContentDigest(std::string_view header, std::string_view body);

}  // namespace loyalty::pos
