// Staff roles and account rules (domain/staff.*): who may do what, in which stores, and which
// usernames, stores and passwords an admin may give a new account.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "loyalty/domain/staff.h"

namespace loyalty {
namespace {

constexpr Role kRoles[] = {Role::kAdmin, Role::kMarketer, Role::kStoreManager, Role::kCashier,
                           Role::kAuditor};
constexpr Permission kPermissions[] = {
    Permission::kMembersRead,  Permission::kMembersWrite,   Permission::kMembersExport,
    Permission::kMembersErase, Permission::kStaffManage,    Permission::kAuditRead,
    Permission::kPointsRedeem, Permission::kPointsAdjust,   Permission::kProgramRead,
    Permission::kProgramWrite, Permission::kReportsRead,    Permission::kCouponsManage,
    Permission::kCheckout,     Permission::kCampaignsManage};

const char* PermissionName(Permission p) {
  switch (p) {
    case Permission::kMembersRead:
      return "members.read";
    case Permission::kMembersWrite:
      return "members.write";
    case Permission::kMembersExport:
      return "members.export";
    case Permission::kMembersErase:
      return "members.erase";
    case Permission::kStaffManage:
      return "staff.manage";
    case Permission::kAuditRead:
      return "audit.read";
    case Permission::kPointsRedeem:
      return "points.redeem";
    case Permission::kPointsAdjust:
      return "points.adjust";
    case Permission::kProgramRead:
      return "program.read";
    case Permission::kProgramWrite:
      return "program.write";
    case Permission::kReportsRead:
      return "reports.read";
    case Permission::kCouponsManage:
      return "coupons.manage";
    case Permission::kCheckout:
      return "checkout";
    case Permission::kCampaignsManage:
      return "campaigns.manage";
  }
  return "?";
}

// The role table as loyalty/domain/staff.cc defines it: every pair not listed is denied.
struct RoleRow {
  Role role;
  std::set<Permission> allowed;
};
const std::vector<RoleRow>& RoleTable() {
  static const std::vector<RoleRow> kTable = {
      {Role::kAdmin, std::set<Permission>(std::begin(kPermissions), std::end(kPermissions))},
      {Role::kMarketer,
       {Permission::kMembersRead, Permission::kProgramRead, Permission::kCouponsManage,
        Permission::kCampaignsManage}},
      {Role::kStoreManager,
       {Permission::kMembersRead, Permission::kMembersWrite, Permission::kAuditRead,
        Permission::kPointsRedeem, Permission::kPointsAdjust, Permission::kProgramRead,
        Permission::kCheckout}},
      {Role::kCashier,
       {Permission::kMembersRead, Permission::kMembersWrite, Permission::kPointsRedeem,
        Permission::kProgramRead, Permission::kCheckout}},
      {Role::kAuditor,
       {Permission::kMembersRead, Permission::kAuditRead, Permission::kProgramRead,
        Permission::kReportsRead}},
  };
  return kTable;
}

Principal Staff(Role role, std::vector<std::string> stores = {}) {
  return Principal{"id-" + std::string(RoleName(role)), RoleName(role), role, std::move(stores)};
}

template <typename T>
void ExpectFieldError(const Result<T>& result, const std::string& slug, const std::string& field) {
  ASSERT_FALSE(result.has_value()) << "accepted";
  EXPECT_EQ(result.error().code, Code::kInvalidArgument);
  EXPECT_EQ(result.error().slug, slug);
  ASSERT_NE(result.error().Detail("field"), nullptr);
  EXPECT_EQ(*result.error().Detail("field"), field);
}

NewStaff Cashier() { return NewStaff{"zhang.wei", "张伟", Role::kCashier, {"sh-001"}}; }

// ---------------------------------------------------------------------------------------------
// Roles

TEST(RoleTable, EveryRoleAndPermissionPairAsSpecified) {
  ASSERT_EQ(RoleTable().size(), std::size(kRoles));
  for (const RoleRow& row : RoleTable()) {
    for (Permission p : kPermissions) {
      SCOPED_TRACE(std::string(RoleName(row.role)) + " x " + PermissionName(p));
      const bool expected = row.allowed.count(p) > 0;
      EXPECT_EQ(RoleAllows(row.role, p), expected);
      EXPECT_EQ(Staff(row.role, {"s1"}).Can(p), expected);
      auto required = Require(Staff(row.role, {"s1"}), p);
      EXPECT_EQ(required.has_value(), expected);
      if (!expected) {
        EXPECT_EQ(required.error().code, Code::kPermissionDenied);
        EXPECT_EQ(required.error().slug, "forbidden");
        // The message says which role was refused, so the person knows whom to ask.
        EXPECT_NE(required.error().message.find(RoleName(row.role)), std::string::npos)
            << required.error().message;
      }
    }
  }
}

TEST(RoleTable, OnlyAdminManagesStaffExportsOrErasesMembers) {
  for (Role r : kRoles) {
    SCOPED_TRACE(RoleName(r));
    const bool admin = r == Role::kAdmin;
    EXPECT_EQ(RoleAllows(r, Permission::kStaffManage), admin);
    EXPECT_EQ(RoleAllows(r, Permission::kMembersExport), admin);
    EXPECT_EQ(RoleAllows(r, Permission::kMembersErase), admin);
  }
}

TEST(RoleNames, RoundTripAndUnknownNames) {
  const std::vector<std::pair<Role, std::string>> names = {{Role::kAdmin, "admin"},
                                                           {Role::kMarketer, "marketer"},
                                                           {Role::kStoreManager, "store_manager"},
                                                           {Role::kCashier, "cashier"},
                                                           {Role::kAuditor, "auditor"}};
  for (const auto& [role, name] : names) {
    EXPECT_EQ(RoleName(role), name);
    EXPECT_EQ(ParseRole(name), role);
  }
  for (const char* unknown :
       {"", "Admin", "ADMIN", "store-manager", "storemanager", "root", "admin ", "?"}) {
    SCOPED_TRACE(unknown);
    EXPECT_FALSE(ParseRole(unknown).has_value());
  }
}

TEST(StoreScope, OnlyStoreManagerAndCashierAreTiedToStores) {
  EXPECT_TRUE(IsStoreScoped(Role::kStoreManager));
  EXPECT_TRUE(IsStoreScoped(Role::kCashier));
  EXPECT_FALSE(IsStoreScoped(Role::kAdmin));
  EXPECT_FALSE(IsStoreScoped(Role::kMarketer));
  EXPECT_FALSE(IsStoreScoped(Role::kAuditor));
}

TEST(StoreScope, StoreStaffSeeOnlyTheirStores) {
  for (Role r : {Role::kCashier, Role::kStoreManager}) {
    SCOPED_TRACE(RoleName(r));
    const Principal p = Staff(r, {"sh-001", "sh-002"});
    EXPECT_TRUE(p.SeesStore("sh-001"));
    EXPECT_TRUE(p.SeesStore("sh-002"));
    EXPECT_FALSE(p.SeesStore("sh-003"));
    EXPECT_FALSE(p.SeesStore("SH-001"));
    EXPECT_FALSE(p.SeesStore("sh-00"));
    EXPECT_FALSE(p.SeesStore(""));
    // A store account without stores (should not exist) sees nothing rather than everything.
    EXPECT_FALSE(Staff(r).SeesStore("sh-001"));
  }
}

TEST(StoreScope, ChainWideRolesSeeEveryStore) {
  for (Role r : {Role::kAdmin, Role::kMarketer, Role::kAuditor}) {
    SCOPED_TRACE(RoleName(r));
    EXPECT_TRUE(Staff(r).SeesStore("sh-001"));
    EXPECT_TRUE(Staff(r).SeesStore("bj-999"));
  }
}

// ---------------------------------------------------------------------------------------------
// ValidateNewStaff

TEST(ValidateNewStaff, AcceptsWellFormedAccounts) {
  std::vector<NewStaff> good = {
      Cashier(),
      {"abc", "", Role::kAdmin, {}},
      {std::string(32, 'a'), "Ops", Role::kAuditor, {}},
      {"li_na-2.mgr", "李娜", Role::kStoreManager, {"sh-001", "sh-002"}},
      {"mkt01", std::string(40, 'x'), Role::kMarketer, {}},
  };
  for (const NewStaff& s : good) {
    SCOPED_TRACE(s.username);
    auto ok = ValidateNewStaff(s);
    EXPECT_TRUE(ok.has_value()) << ok.error().message;
  }
}

TEST(ValidateNewStaff, UsernameIsThreeToThirtyTwoLowerCaseLettersDigitsOrDotDashUnderscore) {
  for (const std::string& bad :
       {std::string(""), std::string("ab"), std::string(33, 'a'), std::string("Zhang"),
        std::string("zhang wei"), std::string("张伟"), std::string("zhang@shop"),
        std::string("zhang/wei"), std::string("jos\xc3\xa9"), std::string("zhang\n")}) {
    SCOPED_TRACE(::testing::PrintToString(bad));
    NewStaff s = Cashier();
    s.username = bad;
    ExpectFieldError(ValidateNewStaff(s), "invalid_username", "username");
  }
}

TEST(ValidateNewStaff, DisplayNameIsAtMostFortyCharactersOfValidText) {
  NewStaff s = Cashier();
  std::string forty_cjk;
  for (int i = 0; i < 40; ++i) forty_cjk += "张";
  s.display_name = forty_cjk;
  EXPECT_TRUE(ValidateNewStaff(s).has_value());
  for (const std::string& bad : {forty_cjk + "伟", std::string(41, 'x'), std::string("Zhang\xC0\x80"),
                                 std::string("Zhang\nWei")}) {
    SCOPED_TRACE(::testing::PrintToString(bad));
    s.display_name = bad;
    ExpectFieldError(ValidateNewStaff(s), "invalid_display_name", "display_name");
  }
}

TEST(ValidateNewStaff, StoreStaffNeedAStore) {
  for (Role r : {Role::kCashier, Role::kStoreManager}) {
    SCOPED_TRACE(RoleName(r));
    NewStaff s{"store.user", "", r, {}};
    ExpectFieldError(ValidateNewStaff(s), "store_required", "store_ids");
  }
}

TEST(ValidateNewStaff, ChainWideStaffTakeNoStore) {
  for (Role r : {Role::kAdmin, Role::kMarketer, Role::kAuditor}) {
    SCOPED_TRACE(RoleName(r));
    NewStaff s{"chain.user", "", r, {"sh-001"}};
    ExpectFieldError(ValidateNewStaff(s), "store_not_allowed", "store_ids");
  }
}

// staff_stores has PRIMARY KEY (staff_id, store_id) and store_id VARCHAR(32): a repeated or
// over-long store id is bad input, and must be refused here with a 400 instead of surfacing as a
// database error (500) from MysqlStaffRepository::Create. An empty id names no store at all.
TEST(ValidateNewStaff, StoreIdsMustBeDistinctWellFormedIds) {
  for (const std::vector<std::string>& stores :
       {std::vector<std::string>{"sh-001", "sh-001"}, std::vector<std::string>{""},
        std::vector<std::string>{std::string(33, 'a')},
        std::vector<std::string>{"sh-001", "sh 002"}}) {
    SCOPED_TRACE(::testing::PrintToString(stores));
    NewStaff s = Cashier();
    s.store_ids = stores;
    auto ok = ValidateNewStaff(s);
    EXPECT_FALSE(ok.has_value()) << "accepted";
    if (ok.has_value()) continue;
    EXPECT_EQ(ok.error().code, Code::kInvalidArgument);
    ASSERT_NE(ok.error().Detail("field"), nullptr);
    EXPECT_EQ(*ok.error().Detail("field"), "store_ids");
  }
}

// ---------------------------------------------------------------------------------------------
// ValidatePassword

TEST(ValidatePassword, TwelveToOneHundredTwentyEightCharacters) {
  for (const std::string& good :
       {std::string(12, 'a'), std::string("correct horse battery"), std::string(128, 'p')}) {
    SCOPED_TRACE(good.size());
    EXPECT_TRUE(ValidatePassword(good).has_value());
  }
  for (const std::string& bad : {std::string(), std::string(11, 'a'), std::string("password123"),
                                 std::string(129, 'p'), std::string(10000, 'p')}) {
    SCOPED_TRACE(bad.size());
    ExpectFieldError(ValidatePassword(bad), "weak_password", "password");
  }
}

}  // namespace
}  // namespace loyalty
