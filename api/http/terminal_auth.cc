// Terminal signature checks for the POS endpoints.
#include "api/http/terminal_auth.h"

#include "pos-adapter/http_signature.h"

namespace loyalty::api {
namespace {

// Nonces are remembered for the whole window a signature can be accepted in: created may lie up
// to max_clock_skew either side of now.
constexpr std::chrono::seconds kNonceMemory{2 * 300};

pos::HttpRequest ForVerification(const HttpRequest& r) {
  pos::HttpRequest out;
  out.method = r.method;
  out.scheme = "http";
  out.authority = r.Header("host");
  out.path = r.path;
  out.query = r.raw_query;
  for (const auto& [name, value] : r.headers) out.headers.emplace_back(name, value);
  out.body = r.body;
  return out;
}

}  // namespace

Result<Actor> TerminalAuthenticator::Authenticate(const HttpRequest& request) {
  const Instant now = clock_.Now();
  std::optional<TerminalRecord> terminal;
  Status lookup_failed;  // a database error is a 503, not "unknown key"
  auto lookup = [&](std::string_view keyid) -> std::optional<pos::TerminalKeys> {
    auto found = terminals_.Find(std::string(keyid));
    if (!found) {
      lookup_failed = Fail(found.error());
      return std::nullopt;
    }
    if (!*found) return std::nullopt;
    terminal = **found;
    auto current = keys_.Decrypt(terminal->key_cipher);
    if (!current) {
      lookup_failed = Fail(current.error());
      return std::nullopt;
    }
    pos::TerminalKeys keys{*current, std::nullopt};
    if (terminal->previous_key_cipher && terminal->previous_valid_until &&
        now < *terminal->previous_valid_until) {
      if (auto previous = keys_.Decrypt(*terminal->previous_key_cipher)) keys.previous = *previous;
    }
    return keys;
  };
  auto verified = pos::VerifyRequestSignature(ForVerification(request), lookup, now);
  if (!lookup_failed) return Fail(lookup_failed.error());
  if (!verified) return Fail(verified.error());
  if (!terminal->active) {
    return Fail(Code::kPermissionDenied, "terminal_disabled",
                "terminal " + terminal->terminal_id + " is disabled");
  }
  if (!nonces_.FirstUse(terminal->terminal_id + ":" + verified->nonce, kNonceMemory)) {
    return Fail(Code::kUnauthenticated, "signature_replayed",
                "this signed request was already received; sign every request with a new nonce");
  }
  return Actor{Principal{"terminal:" + terminal->terminal_id,
                         terminal->terminal_id,
                         Role::kCashier,
                         {terminal->store_id}},
               request.request_id};
}

}  // namespace loyalty::api
