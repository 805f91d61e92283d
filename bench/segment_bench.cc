// Segment evaluation and issuance to a segment at scale: fills an empty database with N members,
// their purchase activity and till sales (generated inside MariaDB), then times what a marketer
// does: count segments of every rule kind, read a segment's members, issue a coupon to a segment.
// Prints Markdown rows for docs/BENCHMARKS.md. Run through bench/run-segments.
#include <chrono>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <cppconn/connection.h>
#include <cppconn/statement.h>

#include "campaigns/mysql/mysql_segment_store.h"
#include "campaigns/service/segment_service.h"
#include "loyalty/crypto/openssl_crypto.h"
#include "loyalty/mysql/migrator.h"
#include "loyalty/mysql/mysql_audit_log.h"
#include "loyalty/mysql/mysql_coupon_definition_store.h"
#include "loyalty/mysql/mysql_coupon_issue_jobs.h"
#include "loyalty/mysql/mysql_coupon_repository.h"
#include "loyalty/mysql/mysql_ledger_repository.h"
#include "loyalty/mysql/mysql_member_repository.h"
#include "loyalty/mysql/mysql_program_store.h"
#include "loyalty/mysql/mysql_tier_repository.h"
#include "loyalty/mysql/sql_values.h"
#include "loyalty/service/coupon_service.h"

namespace loyalty {
namespace {

using Steady = std::chrono::steady_clock;

double SecondsSince(Steady::time_point since) {
  return std::chrono::duration<double>(Steady::now() - since).count();
}

std::string Fixed(double v, int digits) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(digits) << v;
  return out.str();
}

[[noreturn]] void Die(const std::string& what, const Error& e) {
  std::cerr << what << ": " << e.message << "\n";
  std::exit(1);
}

void Execute(MysqlPool& pool, const std::string& sql) {
  auto ran = pool.Run([&](sql::Connection& c) -> Status {
    std::unique_ptr<sql::Statement> s(c.createStatement());
    s->execute(sql);
    return {};
  });
  if (!ran) Die(sql.substr(0, 80), ran.error());
}

// Members with ids spread like random ones, a quarter in each tier, 1..700 days since enrolment;
// five purchases each on average over the last 400 days (tier activity), and two till sales each
// with two lines in five categories. `now` is a DATETIME literal.
void Generate(MysqlPool& pool, int64_t members, const std::string& now) {
  const std::string n = std::to_string(members);
  const std::string at = "TIMESTAMP('" + now + "')";
  const std::string member_of = "SUBSTR(SHA2(1 + (seq * 7) % " + n + ", 256), 1, 24)";
  Execute(pool,
          "INSERT INTO members (member_id, card_no, home_store_id, consent_sms, consent_email, "
          "consent_wechat, tier, status, created_at, updated_at, version) SELECT "
          "SUBSTR(SHA2(seq, 256), 1, 24), LPAD(seq, 16, '0'), CONCAT('S', 1 + seq % 3), "
          "seq % 3 = 0, seq % 2 = 0, seq % 5 = 0, "
          "ELT(1 + seq % 4, 'base', 'silver', 'gold', 'diamond'), 'active', " +
              at + " - INTERVAL (1 + seq % 700) DAY, " + at + ", 1 FROM seq_1_to_" + n);
  Execute(pool, "INSERT INTO point_accounts (member_id, available) SELECT SUBSTR(SHA2(seq, 256), "
                "1, 24), (seq * 7919) % 20000 FROM seq_1_to_" +
                    n);
  Execute(pool,
          "INSERT INTO tier_activity (member_id, activity_id, at, spend_minor, points, visits, ref) "
          "SELECT " +
              member_of + ", LPAD(seq, 24, '0'), " + at +
              " - INTERVAL ((seq * 13) % 400) DAY, 1000 + (seq * 31) % 50000, 0, 1, 'bench' "
              "FROM seq_1_to_" +
              std::to_string(members * 5));
  Execute(pool,
          "INSERT INTO pos_transactions (txn_id, store_id, terminal_id, pos_txn_id, kind, "
          "request_hash, member_id, occurred_at, committed_at, currency, total_minor, "
          "discount_minor, points_redeemed, points_value_minor, due_minor, points_earned, "
          "rejected_codes, coupon_codes, receipt_zh, receipt_en) SELECT LPAD(seq, 24, '0'), "
          "CONCAT('S', 1 + seq % 3), 'T1', seq, 'sale', '', " +
              member_of + ", " + at + " - INTERVAL ((seq * 17) % 400) DAY, " + at +
              ", 'CNY', 0, 0, 0, 0, 0, 0, '', '', '', '' FROM seq_1_to_" +
              std::to_string(members * 2));
  Execute(pool,
          "INSERT INTO pos_transaction_lines (txn_id, line_no, sku, category, qty, "
          "unit_price_minor, net_minor, discount_minor, paid_minor, returned_qty) SELECT "
          "LPAD(seq DIV 2, 24, '0'), 1 + seq % 2, CONCAT('SKU-', seq % 500), "
          "ELT(1 + seq % 5, 'rice', 'oil', 'cosmetics', 'household', 'bakery'), 1 + seq % 3, "
          "1000, 1000, 0, 1000 * (1 + seq % 3), 0 FROM seq_2_to_" +
              std::to_string(members * 4 + 1));
}

// The bench never reads members one by one; the member service just needs a cache.
class NoMemberCache final : public MemberCache {
 public:
  std::optional<StoredMember> Get(const std::string&) override { return std::nullopt; }
  void Put(const StoredMember&) override {}
  void Invalidate(const std::string&) override {}
};

struct Case {
  const char* what;
  SegmentRules rules;
};

std::vector<Case> Cases() {
  PurchaseRule rice_twice;
  rice_twice.categories = {"rice"};
  rice_twice.within_days = 90;
  rice_twice.count = {2, std::nullopt};
  PurchaseRule no_bakery;
  no_bakery.categories = {"bakery"};
  no_bakery.within_days = 365;
  no_bakery.count = {std::nullopt, 0};
  SegmentRules tier;
  tier.tiers = {"gold"};
  SegmentRules profile = tier;
  profile.home_store_ids = {"S1"};
  profile.consents = {ConsentChannel::kSms};
  profile.points_available = {5000, std::nullopt};
  SegmentRules lifecycle;
  lifecycle.lifecycle = {LifecycleStage::kAtRisk, LifecycleStage::kLapsed};
  SegmentRules rfm;
  rfm.rfm.recency = {4, 5};
  rfm.rfm.monetary = {5};
  SegmentRules bought;
  bought.purchases = {rice_twice};
  SegmentRules not_bought;
  not_bought.purchases = {no_bakery};
  SegmentRules all = profile;
  all.lifecycle = {LifecycleStage::kActive};
  all.rfm.frequency = {3, 4, 5};
  all.purchases = {rice_twice};
  return {{"tier", tier},
          {"tier + store + sms consent + points >= 5000", profile},
          {"lifecycle at_risk or lapsed", lifecycle},
          {"RFM recency 4-5 and monetary 5", rfm},
          {"bought rice twice in 90 days", bought},
          {"did not buy bakery in 365 days", not_bought},
          {"all of the above kinds together", all}};
}

}  // namespace
}  // namespace loyalty

int main(int argc, char** argv) {
  using namespace loyalty;
  if (argc < 2) {
    std::cerr << "usage: segment_bench mysql://user:pass@host:port/empty_database [members]\n";
    return 2;
  }
  const int64_t members = argc > 2 ? std::atoll(argv[2]) : 200'000;
  auto endpoint = ParseMysqlUrl(argv[1]);
  if (!endpoint) Die("url", endpoint.error());
  MysqlPoolOptions pool_options;
  pool_options.size = 4;
  pool_options.read_timeout_seconds = 600;  // the data generation statements run for a while
  MysqlPool pool(*endpoint, pool_options);
  if (auto migrated = Migrate(pool, EmbeddedMigrations()); !migrated) {
    Die("migrate", migrated.error());
  }

  SystemClock clock;
  OpenSslRandom random;
  const Instant now = clock.Now();
  auto started = Steady::now();
  std::cerr << "generating " << members << " members...\n";
  Generate(pool, members, ToSqlTime(now));
  std::cout << "| generate " << members << " members, " << members * 5 << " purchases, "
            << members * 2 << " till sales with " << members * 4 << " lines | | "
            << Fixed(SecondsSince(started), 1) << " s |\n";

  MysqlSegmentResolver resolver(pool);
  for (const Case& c : Cases()) {
    started = Steady::now();
    auto counted = resolver.Count(c.rules, now);
    if (!counted) Die(c.what, counted.error());
    std::cout << "| count: " << c.what << " | " << counted->members << " | "
              << Fixed(SecondsSince(started), 2) << " s |\n";
  }
  {
    const Case rfm = Cases()[3];
    started = Steady::now();
    auto page = resolver.MembersAfter(rfm.rules, now, "", 50'000);
    if (!page) Die("page", page.error());
    std::cout << "| read 50,000 members of: " << rfm.what << " | " << page->size() << " | "
              << Fixed(SecondsSince(started), 2) << " s |\n";
  }

  // A coupon to every gold member, through the same job the server runs.
  MysqlSegmentStore segment_store(pool);
  MysqlLedgerRepository ledger(pool);
  MysqlProgramStore program(pool);
  MysqlMemberRepository member_repo(pool);
  MysqlTierRepository tier_repo(pool);
  MysqlAuditLog audit(pool);
  MysqlCouponDefinitionStore definitions(pool);
  MysqlCouponRepository coupon_repo(pool);
  MysqlCouponIssueJobs jobs(pool, random);
  auto key = ParseMasterKey(std::string(64, '7'));  // no personal data is written here
  if (!key) Die("key", key.error());
  AesGcmPiiProtector pii(*key);
  NoMemberCache cache;
  MemberService member_service(MemberPorts{member_repo, pii, random, clock, cache, audit});
  PointsService points(PointsPorts{ledger, program, member_repo, random, clock});
  TierService tiers(TierPorts{tier_repo, program, random, clock});
  SegmentService segments(segment_store, resolver, points, random, clock);
  CouponService coupons(definitions, coupon_repo, jobs, member_service, tiers, points, random,
                        clock, CouponServiceOptions{}, &segments);
  const Actor admin = Actor::System("bench");
  Segment gold;
  gold.name_en = "Gold";
  gold.rules.tiers = {"gold"};
  auto segment = segments.Create(admin, gold);
  if (!segment) Die("segment", segment.error());
  CouponDefinition thanks;
  thanks.name_zh = "金卡回馈";
  thanks.name_en = "Gold thanks";
  thanks.kind = CouponKind::kFixedAmount;
  thanks.amount_minor = 1000;
  auto definition = coupons.CreateDefinition(admin, thanks);
  if (!definition) Die("definition", definition.error());
  IssueRequest request;
  request.segment_id = segment->id;
  started = Steady::now();
  auto queued = coupons.Issue(admin, definition->id, request, "");
  if (!queued) Die("issue", queued.error());
  auto made = coupons.RunIssueJobs();
  if (!made) Die("job", made.error());
  const double took = SecondsSince(started);
  std::cout << "| issue a coupon to each member of: tier gold (queue + job) | " << *made << " | "
            << Fixed(took, 1) << " s (" << Fixed(*made / took, 0) << " coupons/s) |\n";
  return 0;
}
