// Content-Digest (RFC 9530) checks and the RFC 8941 Structured Fields parser they stand on.
#include "pos-adapter/content_digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>

namespace loyalty::pos {
namespace sf {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLcAlpha(char c) { return c >= 'a' && c <= 'z'; }
bool IsAlpha(char c) { return IsLcAlpha(c) || (c >= 'A' && c <= 'Z'); }

// tchar of RFC 9110 §5.6.2.
bool IsTchar(char c) {
  return IsAlpha(c) || IsDigit(c) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsKeyChar(char c) {
  return IsLcAlpha(c) || IsDigit(c) || c == '_' || c == '-' || c == '.' || c == '*';
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (IsDigit(c)) return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// A cursor over one field value. Errors quote the offset because vendors debug their
// serializers with a hex dump of the header in hand.
class Parser {
 public:
  Parser(std::string_view input, std::string_view field, std::string_view slug)
      : in_(input), field_(field), slug_(slug) {}

  Result<Dictionary> DictionaryValue() {
    sf::Dictionary dict;
    SkipSp();
    if (AtEnd()) return dict;
    while (true) {
      auto key = Key();
      if (!key) return Fail(key.error());
      Member member;
      if (Peek('=')) {
        ++pos_;
        auto parsed = ItemOrInnerList();
        if (!parsed) return Fail(parsed.error());
        member = std::move(*parsed);
      } else {
        // A bare key is the Boolean true (RFC 8941 §3.2).
        member.item = Item{};
        auto params = ParametersAt();
        if (!params) return Fail(params.error());
        member.params = std::move(*params);
      }
      Put(dict, std::move(*key), std::move(member));
      SkipOws();
      if (AtEnd()) return dict;
      if (!Peek(',')) return Malformed("expected ',' between dictionary members");
      ++pos_;
      SkipOws();
      if (AtEnd()) return Malformed("a trailing ',' ends the dictionary");
    }
  }

 private:
  template <typename T>
  static void Put(std::vector<std::pair<std::string, T>>& out, std::string key, T value) {
    for (auto& [k, v] : out) {
      if (k == key) {
        v = std::move(value);
        return;
      }
    }
    out.emplace_back(std::move(key), std::move(value));
  }

  bool AtEnd() const { return pos_ >= in_.size(); }
  bool Peek(char c) const { return !AtEnd() && in_[pos_] == c; }
  void SkipSp() {
    while (Peek(' ')) ++pos_;
  }
  void SkipOws() {
    while (Peek(' ') || Peek('\t')) ++pos_;
  }

  tl::unexpected<loyalty::Error> Malformed(std::string_view what) const {
    std::string message =
        std::string(field_) +
        " is not a valid Structured Fields value (RFC 8941): " + std::string(what) + " at offset " +
        std::to_string(pos_);
    return InvalidField(std::string(field_), std::string(slug_), std::move(message));
  }

  Result<std::string> Key() {
    if (AtEnd() || !(IsLcAlpha(in_[pos_]) || in_[pos_] == '*')) {
      return Malformed("expected a key (lower-case letter or '*')");
    }
    const size_t start = pos_;
    while (!AtEnd() && IsKeyChar(in_[pos_])) ++pos_;
    return std::string(in_.substr(start, pos_ - start));
  }

  Result<Member> ItemOrInnerList() {
    Member member;
    if (Peek('(')) {
      member.is_inner_list = true;
      ++pos_;
      while (true) {
        SkipSp();
        if (AtEnd()) return Malformed("an inner list is missing its ')'");
        if (Peek(')')) {
          ++pos_;
          break;
        }
        auto item = ParameterizedItemAt();
        if (!item) return Fail(item.error());
        member.list.push_back(std::move(*item));
        if (!Peek(' ') && !Peek(')')) return Malformed("expected ' ' or ')' in an inner list");
      }
      auto params = ParametersAt();
      if (!params) return Fail(params.error());
      member.params = std::move(*params);
      return member;
    }
    auto item = ParameterizedItemAt();
    if (!item) return Fail(item.error());
    member.item = std::move(item->item);
    member.params = std::move(item->params);
    return member;
  }

  Result<ParameterizedItem> ParameterizedItemAt() {
    auto item = BareItem();
    if (!item) return Fail(item.error());
    auto params = ParametersAt();
    if (!params) return Fail(params.error());
    return ParameterizedItem{std::move(*item), std::move(*params)};
  }

  Result<Parameters> ParametersAt() {
    Parameters params;
    while (Peek(';')) {
      ++pos_;
      SkipSp();
      auto key = Key();
      if (!key) return Fail(key.error());
      Item value;  // Boolean true unless a value follows
      if (Peek('=')) {
        ++pos_;
        auto parsed = BareItem();
        if (!parsed) return Fail(parsed.error());
        value = std::move(*parsed);
      }
      Put(params, std::move(*key), std::move(value));
    }
    return params;
  }

  Result<Item> BareItem() {
    if (AtEnd()) return Malformed("expected a value, found the end");
    const char c = in_[pos_];
    if (c == '-' || IsDigit(c)) return Number();
    if (c == '"') return String();
    if (c == '*' || IsAlpha(c)) return Token();
    if (c == ':') return ByteSequence();
    if (c == '?') return Boolean();
    return Malformed("expected a value (number, \"string\", token, :base64:, ?1/?0)");
  }

  Result<Item> Number() {
    const size_t start = pos_;
    bool negative = false;
    if (Peek('-')) {
      negative = true;
      ++pos_;
    }
    if (AtEnd() || !IsDigit(in_[pos_])) return Malformed("expected a digit");
    const size_t digits_start = pos_;
    while (!AtEnd() && IsDigit(in_[pos_])) ++pos_;
    const size_t int_digits = pos_ - digits_start;
    if (!Peek('.')) {
      if (int_digits > 15) return Malformed("an integer has more than 15 digits");
      int64_t value = 0;
      for (size_t i = digits_start; i < pos_; ++i) value = value * 10 + (in_[i] - '0');
      Item item;
      item.type = Item::Type::kInteger;
      item.integer = negative ? -value : value;
      return item;
    }
    if (int_digits > 12) return Malformed("a decimal has more than 12 integer digits");
    ++pos_;
    const size_t frac_start = pos_;
    while (!AtEnd() && IsDigit(in_[pos_])) ++pos_;
    const size_t frac_digits = pos_ - frac_start;
    if (frac_digits == 0 || frac_digits > 3)
      return Malformed("a decimal needs 1 to 3 fraction digits");
    Item item;
    item.type = Item::Type::kDecimal;
    item.text = std::string(in_.substr(start, pos_ - start));
    return item;
  }

  Result<Item> String() {
    ++pos_;  // opening quote
    Item item;
    item.type = Item::Type::kString;
    while (true) {
      if (AtEnd()) return Malformed("a string is missing its closing '\"'");
      const char c = in_[pos_++];
      if (c == '"') return item;
      if (c == '\\') {
        if (AtEnd() || (in_[pos_] != '"' && in_[pos_] != '\\')) {
          return Malformed("only \\\" and \\\\ may be escaped in a string");
        }
        item.text += in_[pos_++];
        continue;
      }
      if (c < 0x20 || c > 0x7E) {
        --pos_;
        return Malformed("a string holds a character outside printable ASCII");
      }
      item.text += c;
    }
  }

  Result<Item> Token() {
    const size_t start = pos_++;
    while (!AtEnd() && (IsTchar(in_[pos_]) || in_[pos_] == ':' || in_[pos_] == '/')) ++pos_;
    Item item;
    item.type = Item::Type::kToken;
    item.text = std::string(in_.substr(start, pos_ - start));
    return item;
  }

  Result<Item> ByteSequence() {
    const size_t start = ++pos_;
    while (!AtEnd() && in_[pos_] != ':') ++pos_;
    if (AtEnd()) return Malformed("a byte sequence is missing its closing ':'");
    auto bytes = Base64Decode(in_.substr(start, pos_ - start));
    if (!bytes) {
      pos_ = start;
      return Malformed("a byte sequence is not base64");
    }
    ++pos_;
    Item item;
    item.type = Item::Type::kByteSequence;
    item.text = std::move(*bytes);
    return item;
  }

  Result<Item> Boolean() {
    ++pos_;
    if (Peek('1') || Peek('0')) {
      Item item;
      item.type = Item::Type::kBoolean;
      item.boolean = in_[pos_++] == '1';
      return item;
    }
    return Malformed("a boolean must be ?1 or ?0");
  }

  std::string_view in_;
  std::string_view field_;
  std::string_view slug_;
  size_t pos_ = 0;
};

}  // namespace

Result<Dictionary> ParseDictionary(std::string_view value, std::string_view field_name,
                                   std::string_view malformed_slug) {
  if (value.size() > kMaxFieldBytes) {
    return InvalidField(
        std::string(field_name), std::string(malformed_slug),
        std::string(field_name) + " is longer than " + std::to_string(kMaxFieldBytes) + " bytes");
  }
  // HTTP strips surrounding whitespace from field values; be as lenient for callers that did not.
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  while (!value.empty() && value.front() == '\t') value.remove_prefix(1);
  return Parser(value, field_name, malformed_slug).DictionaryValue();
}

std::string SerializeItem(const Item& item) {
  switch (item.type) {
    case Item::Type::kInteger:
      return std::to_string(item.integer);
    case Item::Type::kDecimal:
    case Item::Type::kToken:
      return item.text;
    case Item::Type::kString: {
      std::string out = "\"";
      for (char c : item.text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      out += '"';
      return out;
    }
    case Item::Type::kByteSequence:
      return ":" + Base64Encode(item.text) + ":";
    case Item::Type::kBoolean:
      return item.boolean ? "?1" : "?0";
  }
  return {};
}

std::string SerializeParameters(const Parameters& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    out += ';';
    out += key;
    if (value.type == Item::Type::kBoolean && value.boolean) continue;
    out += '=';
    out += SerializeItem(value);
  }
  return out;
}

std::string SerializeInnerList(const std::vector<ParameterizedItem>& list,
                               const Parameters& params) {
  std::string out = "(";
  for (size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += ' ';
    out += SerializeItem(list[i].item);
    out += SerializeParameters(list[i].params);
  }
  out += ')';
  out += SerializeParameters(params);
  return out;
}

const Item* FindParameter(const Parameters& params, std::string_view key) {
  for (const auto& [k, v] : params) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::string Base64Encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t n = static_cast<uint8_t>(bytes[i]) << 16 |
                       static_cast<uint8_t>(bytes[i + 1]) << 8 | static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  const size_t rest = bytes.size() - i;
  if (rest == 1) {
    const uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    const uint32_t n = static_cast<uint8_t>(bytes[i]) << 16 | static_cast<uint8_t>(bytes[i + 1])
                                                                  << 8;
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  size_t padding = 0;
  while (!text.empty() && text.back() == '=' && padding < 2) {
    text.remove_suffix(1);
    ++padding;
  }
  if (text.size() % 4 == 1) return std::nullopt;
  if (padding > 0 && (text.size() + padding) % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = Base64Value(c);
    if (v < 0) return std::nullopt;  // also a stray '=' inside the text
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

}  // namespace sf

namespace {

constexpr std::string_view kField = "Content-Digest";

std::string Digest(const EVP_MD* md, std::string_view body) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  if (EVP_Digest(body.data(), body.size(), out.data(), &len, md, nullptr) != 1) {
    // Only a broken OpenSSL install fails here; an empty digest can never match a real one.
    return {};
  }
  return std::string(reinterpret_cast<const char*>(out.data()), len);
}

bool SameBytes(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::string ContentDigestHeader(std::string_view body, bool with_sha512) {
  std::string out = "sha-256=:" + sf::Base64Encode(Digest(EVP_sha256(), body)) + ":";
  if (with_sha512) out += ", sha-512=:" + sf::Base64Encode(Digest(EVP_sha512(), body)) + ":";
  return out;
}

Result<ContentDigest> ParseContentDigest(std::string_view header) {
  const bool blank = header.find_first_not_of(" \t") == std::string_view::npos;
  if (blank) {
    return InvalidField(std::string(kField), "missing_content_digest",
                        "the request has a body but no Content-Digest header; send "
                        "Content-Digest: sha-256=:<base64 of SHA-256 of the body>: (RFC 9530)");
  }
  auto dict = sf::ParseDictionary(header, kField, "malformed_content_digest");
  if (!dict) return Fail(dict.error());
  ContentDigest digest;
  for (const auto& [algorithm, member] : *dict) {
    size_t want = 0;
    std::optional<std::string>* slot = nullptr;
    if (algorithm == "sha-256") {
      want = 32;
      slot = &digest.sha256;
    } else if (algorithm == "sha-512") {
      want = 64;
      slot = &digest.sha512;
    } else {
      continue;  // RFC 9530 §2: unknown algorithms are ignored
    }
    if (member.is_inner_list || member.item.type != sf::Item::Type::kByteSequence ||
        member.item.text.size() != want) {
      return InvalidField(std::string(kField), "malformed_content_digest",
                          "Content-Digest " + algorithm + " must be a byte sequence of " +
                              std::to_string(want) + " bytes written as :<base64>:");
    }
    *slot = member.item.text;
  }
  if (!digest.sha256 && !digest.sha512) {
    return InvalidField(std::string(kField), "unsupported_content_digest",
                        "Content-Digest lists no sha-256 or sha-512 digest; send "
                        "sha-256=:<base64>: (other algorithms are not accepted)");
  }
  return digest;
}

Status VerifyContentDigest(std::string_view header, std::string_view body) {
  auto digest = ParseContentDigest(header);
  if (!digest) return Fail(digest.error());
  auto mismatch = [](std::string_view algorithm) {
    return InvalidField(std::string(kField), "content_digest_mismatch",
                        "the " + std::string(algorithm) +
                            " digest in Content-Digest does not match the request body; hash "
                            "exactly the bytes that are sent, after any re-encoding");
  };
  if (digest->sha256 && !SameBytes(*digest->sha256, Digest(EVP_sha256(), body))) {
    return mismatch("sha-256");
  }
  if (digest->sha512 && !SameBytes(*digest->sha512, Digest(EVP_sha512(), body))) {
    return mismatch("sha-512");
  }
  return {};
}

}  // namespace loyalty::pos
