# The till basket rules (loyalty/domain/checkout.*).
loyalty_test(pos_checkout_rules_test unit SOURCES checkout_rules_test.cc DEPS loyalty_domain)
