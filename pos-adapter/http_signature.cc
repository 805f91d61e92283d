// RFC 9421 signature base, hmac-sha256 signing and the verification policy for terminals.
#include "pos-adapter/http_signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <type_traits>

#include "pos-adapter/content_digest.h"

namespace loyalty::pos {
namespace {

constexpr std::string_view kAlgorithm = "hmac-sha256";
constexpr size_t kMacBytes = 32;

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ToLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsPrintableAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
}

// An sf key: what a label and a parameter name must be.
bool IsSfKey(std::string_view s) {
  if (s.empty() || !((s[0] >= 'a' && s[0] <= 'z') || s[0] == '*')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
           c == '*';
  });
}

// A header field name (RFC 9110 token), lower case as RFC 9421 §2.1 requires of identifiers.
bool IsLowerFieldName(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

tl::unexpected<Error> Malformed(std::string message) {
  return Fail(Code::kInvalidArgument, "malformed_signature", std::move(message));
}

tl::unexpected<Error> MissingComponent(std::string component, std::string message) {
  Error e{Code::kInvalidArgument, "missing_component", std::move(message), {}};
  e.With("component", std::move(component));
  return Fail(std::move(e));
}

tl::unexpected<Error> MissingParameter(std::string parameter) {
  Error e{Code::kInvalidArgument,
          "missing_component",
          "Signature-Input has no " + parameter + " parameter; terminal signatures must carry " +
              "created, nonce and keyid",
          {}};
  e.With("parameter", std::move(parameter));
  return Fail(std::move(e));
}

// The value of one covered component (RFC 9421 §2.1, §2.2).
Result<std::string> ComponentValue(const HttpRequest& request, const std::string& name) {
  const std::string path = request.path.empty() ? "/" : request.path;
  const std::string query = "?" + request.query;
  std::string value;
  if (name.starts_with('@')) {
    if (name == "@method") {
      value = request.method;
    } else if (name == "@target-uri") {
      value = ToLower(request.scheme) + "://" + ToLower(request.authority) + path +
              (request.query.empty() ? "" : query);
    } else if (name == "@authority") {
      value = ToLower(request.authority);
    } else if (name == "@scheme") {
      value = ToLower(request.scheme);
    } else if (name == "@request-target") {
      value = path + (request.query.empty() ? "" : query);
    } else if (name == "@path") {
      value = path;
    } else if (name == "@query") {
      value = query;  // "?" alone when there is no query (RFC 9421 §2.2.7)
    } else {
      return Malformed("covered component \"" + name +
                       "\" is not supported; use @method, @target-uri, @authority, @scheme, "
                       "@request-target, @path, @query or header names");
    }
  } else {
    if (!IsLowerFieldName(name)) {
      return Malformed("covered component \"" + name +
                       "\" is not a lower-case header field name (RFC 9421 §2.1)");
    }
    auto header = request.Header(name);
    if (!header) {
      return MissingComponent(
          name, "the signature covers \"" + name + "\" but the request has no such header");
    }
    value = std::move(*header);
  }
  // A line break would let one component forge the next line of the signature base.
  if (value.find_first_of("\r\n") != std::string::npos) {
    return Malformed("covered component \"" + name + "\" contains a line break");
  }
  return value;
}

Result<std::string> BuildBase(const HttpRequest& request,
                              const std::vector<std::string>& components,
                              std::string_view params_value) {
  std::string base;
  for (size_t i = 0; i < components.size(); ++i) {
    const std::string& name = components[i];
    if (std::find(components.begin(), components.begin() + i, name) != components.begin() + i) {
      return Malformed("covered component \"" + name + "\" is listed twice");
    }
    auto value = ComponentValue(request, name);
    if (!value) return Fail(value.error());
    base += '"';
    base += name;
    base += "\": ";
    base += *value;
    base += '\n';
  }
  base += "\"@signature-params\": ";
  base += params_value;
  return base;
}


bool MacMatches(std::string_view key, std::string_view base, std::string_view presented) {
  if (key.empty()) return false;
  if (presented.size() != kMacBytes) return false;
  const std::string expected = HmacSha256(key, base);
  return expected.size() == kMacBytes &&
         CRYPTO_memcmp(expected.data(), presented.data(), expected.size()) == 0;
}

sf::Item StringItem(std::string s) {
  sf::Item item;
  item.type = sf::Item::Type::kString;
  item.text = std::move(s);
  return item;
}

sf::Item IntegerItem(int64_t n) {
  sf::Item item;
  item.type = sf::Item::Type::kInteger;
  item.integer = n;
  return item;
}

// Reads one parameter of the expected type into `out`; absent leaves `out` empty.
template <typename T>
Status ReadParam(const sf::Parameters& params, std::string_view key, sf::Item::Type type,
                 std::optional<T>& out) {
  const sf::Item* item = sf::FindParameter(params, key);
  if (item == nullptr) return {};
  if (item->type != type) {
    return Malformed(
        "Signature-Input parameter " + std::string(key) + " must be " +
        (type == sf::Item::Type::kInteger ? "an integer (Unix seconds)" : "a quoted string"));
  }
  if constexpr (std::is_same_v<T, int64_t>) {
    out = item->integer;
  } else {
    out = item->text;
  }
  return {};
}

}  // namespace

std::string HmacSha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(),
           &len) == nullptr) {
    return {};  // never equal to a 32-byte signature, so a failure cannot verify
  }
  return std::string(reinterpret_cast<const char*>(out.data()), len);
}

std::optional<std::string> HttpRequest::Header(std::string_view name) const {
  std::optional<std::string> combined;
  for (const auto& [k, v] : headers) {
    if (!EqualsIgnoreCase(k, name)) continue;
    if (combined) {
      *combined += ", ";
    } else {
      combined.emplace();
    }
    *combined += Trim(v);
  }
  return combined;
}

std::string SerializeSignatureParams(const SignatureParams& params) {
  std::vector<sf::ParameterizedItem> list;
  for (const std::string& c : params.components) list.push_back({StringItem(c), {}});
  sf::Parameters p;
  if (params.created) p.emplace_back("created", IntegerItem(*params.created));
  if (params.expires) p.emplace_back("expires", IntegerItem(*params.expires));
  if (params.keyid) p.emplace_back("keyid", StringItem(*params.keyid));
  if (params.nonce) p.emplace_back("nonce", StringItem(*params.nonce));
  if (params.alg) p.emplace_back("alg", StringItem(*params.alg));
  if (params.tag) p.emplace_back("tag", StringItem(*params.tag));
  return sf::SerializeInnerList(list, p);
}

Result<std::string> SignatureBase(const HttpRequest& request, const SignatureParams& params) {
  for (const auto* s : {&params.nonce, &params.alg, &params.keyid, &params.tag}) {
    if (*s && !IsPrintableAscii(**s)) {
      return Malformed("signature parameters must be printable ASCII");
    }
  }
  for (const std::string& c : params.components) {
    if (!IsPrintableAscii(c)) return Malformed("component names must be printable ASCII");
  }
  return BuildBase(request, params.components, SerializeSignatureParams(params));
}

Result<SignatureHeaders> SignRequest(const HttpRequest& request, std::string_view key,
                                     const SignatureParams& params, std::string_view label) {
  if (key.empty()) return Malformed("the signing key is empty");
  if (!IsSfKey(label)) {
    return Malformed("signature label \"" + std::string(label) +
                     "\" must be lower-case letters, digits, '_', '-', '.' or '*'");
  }
  auto base = SignatureBase(request, params);
  if (!base) return Fail(base.error());
  SignatureHeaders out;
  out.signature_input = std::string(label) + "=" + SerializeSignatureParams(params);
  out.signature = std::string(label) + "=:" + sf::Base64Encode(HmacSha256(key, *base)) + ":";
  out.signature_base = std::move(*base);
  return out;
}

Result<VerifiedSignature> VerifyRequestSignature(const HttpRequest& request,
                                                 const KeyLookup& lookup, Instant now,
                                                 const VerifyOptions& options) {
  const auto input_raw = request.Header("signature-input");
  const auto signature_raw = request.Header("signature");
  if (!input_raw || !signature_raw) {
    return Fail(Code::kUnauthenticated, "missing_signature",
                "terminal requests must be signed: send Signature-Input and Signature headers "
                "(RFC 9421, hmac-sha256, keyid = terminal id)");
  }
  auto inputs = sf::ParseDictionary(*input_raw, "Signature-Input", "malformed_signature");
  if (!inputs) return Fail(inputs.error());
  auto signatures = sf::ParseDictionary(*signature_raw, "Signature", "malformed_signature");
  if (!signatures) return Fail(signatures.error());

  // Pick the signature: the requested label, or the first label both headers carry.
  const sf::Member* input = nullptr;
  const sf::Member* signature = nullptr;
  std::string label;
  for (const auto& [name, member] : *inputs) {
    if (!options.label.empty() && name != options.label) continue;
    for (const auto& [sig_name, sig_member] : *signatures) {
      if (sig_name == name) {
        input = &member;
        signature = &sig_member;
        label = name;
        break;
      }
    }
    if (input != nullptr) break;
  }
  if (input == nullptr) {
    return Fail(Code::kUnauthenticated, "missing_signature",
                options.label.empty()
                    ? "Signature-Input and Signature share no label; send both as label=..."
                    : "no signature labelled \"" + options.label +
                          "\" in both Signature-Input and Signature");
  }
  if (!input->is_inner_list) {
    return Malformed("Signature-Input " + label +
                     " must be an inner list of components, e.g. (\"@method\" \"@path\")");
  }
  if (signature->is_inner_list || signature->item.type != sf::Item::Type::kByteSequence) {
    return Malformed("Signature " + label + " must be a byte sequence, e.g. :base64:");
  }

  VerifiedSignature verified;
  verified.label = label;
  for (const sf::ParameterizedItem& c : input->list) {
    if (c.item.type != sf::Item::Type::kString) {
      return Malformed("Signature-Input components must be quoted strings, e.g. \"@method\"");
    }
    if (!c.params.empty()) {
      return Malformed(
          "component parameters (;sf, ;key, ;bs, ;req, ;name, ;tr) are not "
          "supported; cover \"" +
          c.item.text + "\" without parameters");
    }
    verified.components.push_back(c.item.text);
  }

  std::optional<int64_t> created, expires;
  std::optional<std::string> nonce, alg, keyid;
  for (Status s : {ReadParam(input->params, "created", sf::Item::Type::kInteger, created),
                   ReadParam(input->params, "expires", sf::Item::Type::kInteger, expires),
                   ReadParam(input->params, "nonce", sf::Item::Type::kString, nonce),
                   ReadParam(input->params, "alg", sf::Item::Type::kString, alg),
                   ReadParam(input->params, "keyid", sf::Item::Type::kString, keyid)}) {
    if (!s) return Fail(s.error());
  }
  if (alg && *alg != kAlgorithm) {
    return Fail(Code::kInvalidArgument, "unsupported_signature_algorithm",
                "alg \"" + *alg + "\" is not accepted; terminals sign with hmac-sha256");
  }
  if (!keyid || keyid->empty()) return MissingParameter("keyid");
  if (options.require_created && !created) return MissingParameter("created");
  if (options.require_nonce && (!nonce || nonce->empty())) return MissingParameter("nonce");
  if (nonce && nonce->size() > options.max_nonce_length) {
    return Malformed("nonce is longer than " + std::to_string(options.max_nonce_length) +
                     " characters");
  }

  auto covers = [&](std::string_view name) {
    return std::find(verified.components.begin(), verified.components.end(), name) !=
           verified.components.end();
  };
  for (const std::string& required : options.required_components) {
    if (!covers(required)) {
      return MissingComponent(required, "the signature must cover \"" + required + "\"");
    }
  }
  if (options.require_content_digest_for_body && !request.body.empty() &&
      !covers("content-digest")) {
    return MissingComponent("content-digest",
                            "a request with a body must send Content-Digest (RFC 9530) and "
                            "cover \"content-digest\" in the signature");
  }

  const int64_t now_s = std::chrono::floor<std::chrono::seconds>(now).time_since_epoch().count();
  if (created) {
    const int64_t skew = now_s - *created;  // |created| < 10^15, so no overflow
    if (skew > options.max_clock_skew.count() || -skew > options.max_clock_skew.count()) {
      Error e{Code::kUnauthenticated,
              "stale_signature",
              "signature created " + std::to_string(skew < 0 ? -skew : skew) + " s " +
                  (skew < 0 ? "in the future" : "ago") + "; the limit is " +
                  std::to_string(options.max_clock_skew.count()) +
                  " s: sync the terminal clock (NTP) and sign each request when it is sent",
              {}};
      e.With("created", std::to_string(*created)).With("server_time", std::to_string(now_s));
      return Fail(std::move(e));
    }
  }
  if (expires && now_s >= *expires) {
    Error e{Code::kUnauthenticated, "stale_signature", "the signature has expired", {}};
    e.With("expires", std::to_string(*expires)).With("server_time", std::to_string(now_s));
    return Fail(std::move(e));
  }

  const std::optional<TerminalKeys> keys = lookup ? lookup(*keyid) : std::nullopt;
  if (!keys || keys->current.empty()) {
    Error e{Code::kUnauthenticated,
            "unknown_key",
            "keyid \"" + *keyid + "\" is not an active terminal; use the terminal id as keyid",
            {}};
    e.With("keyid", *keyid);
    return Fail(std::move(e));
  }

  // The @signature-params line is the member re-serialized (RFC 9421 §2.3), so parameters we do
  // not read (tag, unknown ones) are still signed over exactly as sent.
  auto base =
      BuildBase(request, verified.components, sf::SerializeInnerList(input->list, input->params));
  if (!base) return Fail(base.error());
  const std::string& presented = signature->item.text;
  if (MacMatches(keys->current, *base, presented)) {
    verified.used_previous_key = false;
  } else if (keys->previous && MacMatches(*keys->previous, *base, presented)) {
    verified.used_previous_key = true;
  } else {
    Error e{Code::kUnauthenticated,
            "bad_signature",
            "the signature does not match the request; sign the signature base of RFC 9421 "
            "§2.5 with hmac-sha256 and this terminal's key",
            {}};
    e.With("keyid", *keyid);
    return Fail(std::move(e));
  }

  // The signature vouches for the Content-Digest header; this ties the body to that header.
  if (covers("content-digest")) {
    auto digest = VerifyContentDigest(*request.Header("content-digest"), request.body);
    if (!digest) return Fail(digest.error());
  }

  verified.keyid = std::move(*keyid);
  verified.nonce = nonce.value_or("");
  verified.created = created.value_or(0);
  verified.expires = expires;
  return verified;
}

}  // namespace loyalty::pos
