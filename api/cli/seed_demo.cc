// `loyalty admin seed-demo`: the demo chain of shared/API.md (stores S1-S3, staff of every role,
// 张伟 13800138000 and a few hundred members with till sales), made through the real services.
#include <chrono>
#include <iostream>
#include <random>

#include "api/cli/commands.h"
#include "loyalty/crypto/openssl_crypto.h"

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

// The enrolment time of the member being enrolled: members joined over the last two years, so
// segments by enrolment and lifecycle stage find some in every stage.
class EnrolmentClock final : public Clock {
 public:
  Instant Now() const override { return at; }
  Instant at{};
};

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

  EnrolmentClock enrolment;
  MemberService enrol(MemberPorts{*rt.member_repository, *rt.pii, rt.random, enrolment,
                                  *rt.member_cache, *rt.audit_log});
  const Instant now = rt.clock.Now();
  auto days = [](int64_t n) { return std::chrono::hours(24 * n); };
  EnrolRequest zhang{"13800138000", "zhang.wei@example.com", "张伟", "1988-05-17", "S1",
                     Consents{true, true, false}};
  enrolment.at = now - days(400);
  auto zhang_wei = enrol.Enrol(system, zhang);
  if (!zhang_wei) {
    std::cerr << "error: " << zhang_wei.error().message << "\n";
    return 1;
  }
  std::vector<std::string> shoppers = {zhang_wei->member_id};
  std::vector<int64_t> member_days = {400};  // how long ago each shopper enrolled
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
    const int64_t enrolled_days_ago = 1 + static_cast<int64_t>(rng() % 730);
    enrolment.at = now - days(enrolled_days_ago);
    auto ok = enrol.Enrol(system, r);
    if (ok) {
      ++enrolled;
      if (enrolled % 2 == 0) {
        shoppers.push_back(ok->member_id);
        member_days.push_back(enrolled_days_ago);
      }
    } else if (ok.error().code != Code::kAlreadyExists) {  // a repeated random phone is skipped
      std::cerr << "error: " << ok.error().message << "\n";
      return 1;
    }
  }
  // Till sales through the real sale service (points, tier, basket lines), since each shopper
  // enrolled and within the last 13 months, so segments by lifecycle, RFM and purchases have
  // something to find. 张伟 buys three times today and reaches 银卡 (silver); every other shopper
  // buys 1 to 6 times.
  struct Product {
    const char* sku;
    const char* category;
    int64_t price_minor;
  };
  const Product products[] = {{"6901234567890", "rice", 5990},
                              {"6901234567891", "oil", 8990},
                              {"6909876543210", "cosmetics", 29900},
                              {"6905555000111", "household", 3990},
                              {"6907777000222", "bakery", 16800}};
  int sales = 0;
  for (size_t i = 0; i < shoppers.size(); ++i) {
    const int count = i == 0 ? 3 : 1 + static_cast<int>(rng() % 6);
    for (int k = 0; k < count; ++k) {
      const std::string store = std::string("S") + static_cast<char>('1' + rng() % 3);
      CommitRequest sale;
      sale.till = TillTxn{store,
                          store + "-T1",
                          "DEMO-" + std::to_string(i) + "-" + std::to_string(k),
                          Sha256Hex("demo sale " + std::to_string(i) + "-" + std::to_string(k)),
                          "demo",
                          now - days(i == 0 ? 0 : rng() % std::min<int64_t>(400, member_days[i]))};
      sale.member_id = shoppers[i];
      const int lines = i == 0 ? 1 : 1 + static_cast<int>(rng() % 3);
      for (int n = 1; n <= lines; ++n) {
        const Product& p = i == 0 ? products[2] : products[rng() % std::size(products)];
        sale.lines.push_back(TillLine{
            n, p.sku, p.category, i == 0 ? 3 : 1 + static_cast<int64_t>(rng() % 3), p.price_minor});
      }
      if (auto ok = rt.sales->Commit(system, sale); !ok) {
        std::cerr << "error: " << ok.error().message << "\n";
        return 1;
      }
      ++sales;
    }
  }
  // A segment the marketing console and the tour start from.
  Segment rice_and_oil;
  rice_and_oil.name_zh = "近90天买过米面粮油的会员";
  rice_and_oil.name_en = "Bought rice or oil in the last 90 days";
  PurchaseRule bought;
  bought.categories = {"rice", "oil"};
  bought.within_days = 90;
  rice_and_oil.rules.purchases = {bought};
  if (auto ok = rt.segments->Create(system, rice_and_oil); !ok) {
    std::cerr << "error: " << ok.error().message << "\n";
    return 1;
  }
  std::cout << "demo data loaded: 3 stores with 2 terminals each, 5 staff, " << enrolled
            << " members, " << sales << " till sales, 1 segment\n";
  return 0;
}

}  // namespace loyalty::api
