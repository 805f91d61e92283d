// `loyalty admin seed-demo`: the demo chain of shared/API.md (stores S1-S3, staff of every role,
// 张伟 13800138000 and a few hundred members), enrolled through the real services.
#include <iostream>
#include <random>

#include "api/cli/commands.h"

namespace loyalty::api {
namespace {

constexpr const char* kDemoPassword = "demo-pass-2026";
constexpr int kDemoMembers = 300;

const char* const kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                 "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗"};
const char* const kGivenNames[] = {"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军",
                                   "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞",
                                   "平", "刚", "桂英", "婷", "浩", "欣怡", "子轩", "雨涵", "梓涵", "宇航"};
const char* const kMobilePrefixes[] = {"130", "131", "132", "135", "136", "137", "138", "139",
                                       "150", "151", "152", "158", "159", "186", "187", "188"};

}  // namespace

int SeedDemo(Runtime& rt) {
  auto existing = rt.staff_repository->FindByUsername("admin");
  if (!existing) {
    std::cerr << "error: " << existing.error().message << "\n";
    return 1;
  }
  if (*existing) {
    std::cout << "demo data already loaded\n";
    return 0;
  }
  const Actor system = Actor::System("seed-demo");
  for (const auto& [id, name] : {std::pair{"S1", "上海南京西路店"}, std::pair{"S2", "上海徐家汇店"},
                                 std::pair{"S3", "杭州西湖店"}}) {
    if (auto ok = rt.store_repository->Upsert(Store{id, name}); !ok) {
      std::cerr << "error: " << ok.error().message << "\n";
      return 1;
    }
    // Two tills per store; the demo key is the ASCII text "demo-key-<terminal id>" (API.md).
    for (const char* till : {"-T1", "-T2"}) {
      TerminalRecord terminal;
      terminal.terminal_id = std::string(id) + till;
      terminal.store_id = id;
      terminal.key_cipher = rt.pii->Encrypt("demo-key-" + terminal.terminal_id);
      if (auto ok = rt.terminals->Insert(terminal, rt.clock.Now()); !ok) {
        std::cerr << "error: " << ok.error().message << "\n";
        return 1;
      }
    }
  }
  const NewStaff staff[] = {{"admin", "系统管理员", Role::kAdmin, {}},
                            {"marketer", "市场部 李娜", Role::kMarketer, {}},
                            {"manager1", "S1 店长 王强", Role::kStoreManager, {"S1"}},
                            {"cashier1", "S1 收银员 陈静", Role::kCashier, {"S1"}},
                            {"auditor", "审计 赵敏", Role::kAuditor, {}}};
  for (const auto& s : staff) {
    if (auto ok = rt.staff->CreateStaff(system, s, kDemoPassword); !ok) {
      std::cerr << "error: " << ok.error().message << "\n";
      return 1;
    }
  }

  EnrolRequest zhang{"13800138000", "zhang.wei@example.com", "张伟", "1988-05-17", "S1",
                     Consents{true, true, false}};
  auto zhang_wei = rt.members->Enrol(system, zhang);
  if (!zhang_wei) {
    std::cerr << "error: " << zhang_wei.error().message << "\n";
    return 1;
  }
  std::vector<std::string> shoppers = {zhang_wei->member_id};
  std::mt19937 rng(20261123);  // fixed seed: every demo install has the same members
  int enrolled = 1;
  while (enrolled < kDemoMembers) {
    auto pick = [&](const auto& list) { return list[rng() % std::size(list)]; };
    std::string phone = pick(kMobilePrefixes);
    for (int i = 0; i < 8; ++i) phone += static_cast<char>('0' + rng() % 10);
    EnrolRequest r;
    r.phone = phone;
    r.name = std::string(pick(kSurnames)) + pick(kGivenNames);
    r.home_store_id = std::string("S") + static_cast<char>('1' + rng() % 3);
    const int year = 1960 + static_cast<int>(rng() % 45);
    const int month = 1 + static_cast<int>(rng() % 12), day = 1 + static_cast<int>(rng() % 28);
    char birthday[11];
    std::snprintf(birthday, sizeof birthday, "%04d-%02d-%02d", year, month, day);
    r.birthday = birthday;
    r.consents = Consents{rng() % 3 != 0, rng() % 2 == 0, rng() % 4 == 0};
    auto ok = rt.members->Enrol(system, r);
    if (ok) {
      ++enrolled;
      if (enrolled % 5 == 0) shoppers.push_back(ok->member_id);
    } else if (ok.error().code != Code::kAlreadyExists) {  // a repeated random phone is skipped
      std::cerr << "error: " << ok.error().message << "\n";
      return 1;
    }
  }
  // Purchases through the real earn and tier rules: 张伟 reaches 银卡 (silver), others earn points.
  const std::pair<const char*, const char*> products[] = {
      {"6901234567890", "grocery"}, {"6909876543210", "cosmetics"}, {"6905555000111", "household"}};
  int purchases = 0;
  for (size_t i = 0; i < shoppers.size(); ++i) {
    const int count = i == 0 ? 3 : 1 + static_cast<int>(rng() % 2);
    for (int k = 0; k < count; ++k) {
      Purchase p;
      p.ref = "demo-" + std::to_string(i) + "-" + std::to_string(k);
      p.store_id = std::string("S") + static_cast<char>('1' + rng() % 3);
      p.at = rt.clock.Now();
      const auto& [sku, category] = products[rng() % std::size(products)];
      const int64_t amount = i == 0 ? 90000 : 2000 + static_cast<int64_t>(rng() % 60000);
      p.lines.push_back(BasketLine{1, sku, category, 1, amount, amount * 13 / 113});
      if (auto ok = rt.purchases->Record(system, shoppers[i], p); !ok) {
        std::cerr << "error: " << ok.error().message << "\n";
        return 1;
      }
      ++purchases;
    }
  }
  std::cout << "demo data loaded: 3 stores with 2 terminals each, 5 staff, " << enrolled << " members, " << purchases
            << " purchases\n";
  return 0;
}

}  // namespace loyalty::api
