// MysqlAuditLog against MariaDB: store scoping, target filter, and cursor pagination that neither
// skips nor repeats entries, also when several entries share the same instant.
#include <cppconn/connection.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "loyalty/mysql/mysql_audit_log.h"
#include "tests/db/db_test_util.h"

namespace loyalty {
namespace {

using dbtest::Db;
using dbtest::NewId;
using dbtest::SampleAudit;
using dbtest::SampleTime;
using std::chrono::seconds;

void Write(const std::vector<AuditEntry>& entries) {
  auto written = Db().pool().Transaction([&](sql::Connection& c) -> Status {
    for (const auto& e : entries) InsertAudit(c, e);
    return {};
  });
  ASSERT_TRUE(written.has_value()) << written.error().message;
}

std::vector<std::string> Ids(const std::vector<AuditEntry>& entries) {
  std::vector<std::string> ids;
  for (const auto& e : entries) ids.push_back(e.audit_id);
  return ids;
}

std::multiset<std::string> IdSet(const std::vector<AuditEntry>& entries) {
  auto ids = Ids(entries);
  return {ids.begin(), ids.end()};
}

class AuditLogTest : public ::testing::Test {
 protected:
  MysqlAuditLog log_{Db().pool()};
  const std::string s1_ = "S1-" + NewId().substr(0, 8);
  const std::string s2_ = "S2-" + NewId().substr(0, 8);
  const std::string target_ = "m-" + NewId();
};

TEST_F(AuditLogTest, StoreFilterReturnsOnlyThoseStoresEntries) {
  const Instant t = SampleTime();
  std::vector<AuditEntry> s1, s2, chain_wide;
  for (int i = 0; i < 3; ++i) s1.push_back(SampleAudit(target_, t + seconds(i), s1_));
  for (int i = 0; i < 2; ++i) s2.push_back(SampleAudit(target_, t + seconds(10 + i), s2_));
  for (int i = 0; i < 2; ++i) chain_wide.push_back(SampleAudit(target_, t + seconds(20 + i)));
  Write(s1);
  Write(s2);
  Write(chain_wide);

  AuditFilter only_s1;
  only_s1.store_ids = std::vector<std::string>{s1_};
  auto s1_view = log_.List(only_s1);
  ASSERT_TRUE(s1_view.has_value()) << s1_view.error().message;
  EXPECT_EQ(IdSet(*s1_view), IdSet(s1));
  for (const auto& e : *s1_view) EXPECT_EQ(e.store_id, s1_);
  // Newest first.
  EXPECT_EQ(Ids(*s1_view),
            (std::vector<std::string>{s1[2].audit_id, s1[1].audit_id, s1[0].audit_id}));

  AuditFilter both;
  both.store_ids = std::vector<std::string>{s1_, s2_};
  auto both_view = log_.List(both);
  ASSERT_TRUE(both_view.has_value());
  std::vector<AuditEntry> expected = s1;
  expected.insert(expected.end(), s2.begin(), s2.end());
  EXPECT_EQ(IdSet(*both_view), IdSet(expected));

  // A store-scoped reader with no stores sees nothing, not everything.
  AuditFilter no_stores;
  no_stores.store_ids = std::vector<std::string>{};
  auto none = log_.List(no_stores);
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());

  // Unscoped readers also see the entries that belong to no store.
  AuditFilter everything_of_target;
  everything_of_target.target_id = target_;
  auto all = log_.List(everything_of_target);
  ASSERT_TRUE(all.has_value());
  expected.insert(expected.end(), chain_wide.begin(), chain_wide.end());
  EXPECT_EQ(IdSet(*all), IdSet(expected));
}

TEST_F(AuditLogTest, TargetFilterReturnsOnlyThatTarget) {
  const std::string other = "m-" + NewId();
  const Instant t = SampleTime();
  std::vector<AuditEntry> mine = {SampleAudit(target_, t, s1_),
                                  SampleAudit(target_, t + seconds(1))};
  Write(mine);
  Write({SampleAudit(other, t, s1_), SampleAudit(other, t + seconds(2))});

  AuditFilter filter;
  filter.target_id = target_;
  auto entries = log_.List(filter);
  ASSERT_TRUE(entries.has_value()) << entries.error().message;
  EXPECT_EQ(Ids(*entries), (std::vector<std::string>{mine[1].audit_id, mine[0].audit_id}));

  // Both filters at once.
  filter.store_ids = std::vector<std::string>{s1_};
  auto scoped = log_.List(filter);
  ASSERT_TRUE(scoped.has_value());
  EXPECT_EQ(Ids(*scoped), (std::vector<std::string>{mine[0].audit_id}));
}

TEST_F(AuditLogTest, LimitCapsThePage) {
  const Instant t = SampleTime();
  std::vector<AuditEntry> entries;
  for (int i = 0; i < 5; ++i) entries.push_back(SampleAudit(target_, t + seconds(i)));
  Write(entries);

  AuditFilter filter;
  filter.target_id = target_;
  filter.limit = 2;
  auto page = log_.List(filter);
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(Ids(*page), (std::vector<std::string>{entries[4].audit_id, entries[3].audit_id}));
}

TEST_F(AuditLogTest, CursorPagesReturnEveryEntryOnceNewestFirstEvenWithEqualTimes) {
  // 23 entries in 5 groups that share an instant (a burst of writes in one microsecond is what
  // a busy till produces); written in an order unrelated to their time.
  const Instant t = SampleTime();
  std::vector<AuditEntry> entries;
  for (int i = 0; i < 23; ++i) {
    entries.push_back(SampleAudit(target_, t + seconds((i * 7) % 5), (i % 2) ? s1_ : s2_));
  }
  Write(entries);

  for (int limit : {1, 2, 4, 5, 7, 23, 50}) {
    SCOPED_TRACE("limit " + std::to_string(limit));
    std::vector<AuditEntry> seen;
    AuditFilter filter;
    filter.target_id = target_;
    filter.limit = limit;
    for (int page = 0; page < 30; ++page) {
      auto entries_page = log_.List(filter);
      ASSERT_TRUE(entries_page.has_value()) << entries_page.error().message;
      ASSERT_LE(entries_page->size(), static_cast<size_t>(limit));
      if (entries_page->empty()) break;
      seen.insert(seen.end(), entries_page->begin(), entries_page->end());
      filter.before_audit_id = entries_page->back().audit_id;
    }
    // Every entry exactly once...
    ASSERT_EQ(seen.size(), entries.size());
    EXPECT_EQ(IdSet(seen), IdSet(entries));
    // ...newest first across the page boundaries.
    for (size_t i = 1; i < seen.size(); ++i) {
      EXPECT_GE(seen[i - 1].at, seen[i].at) << "position " << i;
    }
  }
}

TEST_F(AuditLogTest, CursorPagesWithAStoreFilterStayWithinTheStore) {
  const Instant t = SampleTime();
  std::vector<AuditEntry> s1_entries, all;
  for (int i = 0; i < 12; ++i) {
    AuditEntry e = SampleAudit(target_, t + seconds(i / 3), (i % 3 == 0) ? s2_ : s1_);
    if (e.store_id == s1_) s1_entries.push_back(e);
    all.push_back(e);
  }
  Write(all);

  std::vector<AuditEntry> seen;
  AuditFilter filter;
  filter.store_ids = std::vector<std::string>{s1_};
  filter.limit = 3;
  for (int page = 0; page < 20; ++page) {
    auto entries_page = log_.List(filter);
    ASSERT_TRUE(entries_page.has_value()) << entries_page.error().message;
    if (entries_page->empty()) break;
    seen.insert(seen.end(), entries_page->begin(), entries_page->end());
    filter.before_audit_id = entries_page->back().audit_id;
  }
  EXPECT_EQ(IdSet(seen), IdSet(s1_entries));
  EXPECT_EQ(seen.size(), s1_entries.size());
}

TEST_F(AuditLogTest, UnknownCursorGivesAnEmptyPage) {
  Write({SampleAudit(target_, SampleTime())});
  AuditFilter filter;
  filter.target_id = target_;
  filter.before_audit_id = NewId();
  auto page = log_.List(filter);
  ASSERT_TRUE(page.has_value()) << page.error().message;
  EXPECT_TRUE(page->empty());
}

TEST_F(AuditLogTest, EntryRoundTripsEveryField) {
  AuditEntry e = SampleAudit(target_, SampleTime(), s1_, "member.update");
  e.detail_json = "{\"fields\":[\"phone\",\"consents.sms\"],\"note\":\"张伟 → 138****8000\"}";
  Write({e});

  AuditFilter filter;
  filter.target_id = target_;
  auto entries = log_.List(filter);
  ASSERT_TRUE(entries.has_value());
  ASSERT_EQ(entries->size(), 1u);
  const AuditEntry& r = entries->front();
  EXPECT_EQ(r.audit_id, e.audit_id);
  EXPECT_EQ(r.at, e.at);
  EXPECT_EQ(r.actor_staff_id, e.actor_staff_id);
  EXPECT_EQ(r.actor_role, e.actor_role);
  EXPECT_EQ(r.store_id, e.store_id);
  EXPECT_EQ(r.action, e.action);
  EXPECT_EQ(r.target_type, e.target_type);
  EXPECT_EQ(r.target_id, e.target_id);
  EXPECT_EQ(r.detail_json, e.detail_json);
  EXPECT_EQ(r.request_id, e.request_id);
}

}  // namespace
}  // namespace loyalty
