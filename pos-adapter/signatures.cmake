# Terminal authentication: Content-Digest (RFC 9530), HTTP Message Signatures (RFC 9421,
# hmac-sha256) and rotating member QR tokens. Pure functions over request parts: no I/O.
loyalty_library(loyalty_pos_auth
  SOURCES content_digest.cc http_signature.cc member_qr.cc member_qr_tokens.cc
  DEPS loyalty_common OpenSSL::Crypto)
