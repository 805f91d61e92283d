# The till basket rules (loyalty/domain/checkout.*).
loyalty_test(pos_checkout_rules_test unit SOURCES checkout_rules_test.cc DEPS loyalty_domain)
# Return arithmetic: refunds, claw-backs and restores of a sale returned in parts
# (loyalty/domain/pos_transaction.*).
loyalty_test(pos_return_plan_test unit SOURCES return_plan_test.cc DEPS loyalty_domain)
