// Authenticates POS terminals: every /v1/pos request carries an RFC 9421 signature made with the
// terminal's own key (pos-adapter/http_signature.h), a nonce never seen before, and acts for the
// terminal's store only.
#pragma once

#include "api/http/http_types.h"
#include "loyalty/domain/ports/nonce_store.h"
#include "loyalty/domain/ports/pii_protector.h"
#include "loyalty/domain/ports/terminal_directory.h"
#include "loyalty/service/actor.h"

namespace loyalty::api {

class TerminalAuthenticator {
 public:
  TerminalAuthenticator(TerminalDirectory& terminals, const PiiProtector& keys, NonceStore& nonces,
                        const Clock& clock)
      : terminals_(terminals), keys_(keys), nonces_(nonces), clock_(clock) {}

  // The terminal as an actor with the cashier role scoped to its store (principal staff_id
  // "terminal:<id>"), or: 401 for a missing, stale, unknown-key, bad or replayed signature
  // (signature_replayed), 400 for a malformed one, 403 terminal_disabled.
  Result<Actor> Authenticate(const HttpRequest& request);

 private:
  TerminalDirectory& terminals_;
  const PiiProtector& keys_;
  NonceStore& nonces_;
  const Clock& clock_;
};

}  // namespace loyalty::api
