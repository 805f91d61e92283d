# Tests of pos-adapter/ terminal authentication: Content-Digest, RFC 9421 signatures, member QR.
loyalty_test(content_digest_test unit SOURCES content_digest_test.cc DEPS loyalty_pos_auth)
loyalty_test(http_signature_test unit SOURCES http_signature_test.cc DEPS loyalty_pos_auth)
loyalty_test(member_qr_test unit SOURCES member_qr_test.cc DEPS loyalty_pos_auth)
