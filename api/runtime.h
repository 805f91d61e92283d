// The composition root's object graph: adapters wired into services, built once per process.
#pragma once

#include <memory>

#include "api/http/terminal_auth.h"
#include "api/server_options.h"
#include "campaigns/mysql/mysql_segment_store.h"
#include "campaigns/service/segment_service.h"
#include "loyalty/crypto/openssl_crypto.h"
#include "loyalty/mysql/migrator.h"
#include "loyalty/mysql/mysql_audit_log.h"
#include "loyalty/mysql/mysql_coupon_definition_store.h"
#include "loyalty/mysql/mysql_coupon_issue_jobs.h"
#include "loyalty/mysql/mysql_coupon_repository.h"
#include "loyalty/mysql/mysql_idempotency_store.h"
#include "loyalty/mysql/mysql_journal_store.h"
#include "loyalty/mysql/mysql_ledger_repository.h"
#include "loyalty/mysql/mysql_member_repository.h"
#include "loyalty/mysql/mysql_pool.h"
#include "loyalty/mysql/mysql_pos_transaction_store.h"
#include "loyalty/mysql/mysql_program_store.h"
#include "loyalty/mysql/mysql_quote_store.h"
#include "loyalty/mysql/mysql_referral_store.h"
#include "loyalty/mysql/mysql_staff_repository.h"
#include "loyalty/mysql/mysql_store_repository.h"
#include "loyalty/mysql/mysql_terminal_repository.h"
#include "loyalty/mysql/mysql_tier_repository.h"
#include "loyalty/redis/redis_client.h"
#include "loyalty/redis/redis_member_cache.h"
#include "loyalty/redis/redis_nonce_store.h"
#include "loyalty/redis/redis_rate_limiter.h"
#include "loyalty/service/checkout_service.h"
#include "loyalty/service/coupon_service.h"
#include "loyalty/service/member_service.h"
#include "loyalty/service/points_service.h"
#include "loyalty/service/purchase_service.h"
#include "loyalty/service/sale_service.h"
#include "loyalty/service/staff_service.h"
#include "loyalty/service/tier_service.h"
#include "pos-adapter/journal_apply.h"
#include "pos-adapter/member_qr_tokens.h"
#include "pos-adapter/poslog_import.h"

namespace loyalty::api {

struct Runtime {
  ServerOptions options;
  SystemClock clock;
  OpenSslRandom random;
  std::unique_ptr<AesGcmPiiProtector> pii;
  std::unique_ptr<ScryptPasswordHasher> hasher;
  std::unique_ptr<MysqlPool> pool;
  std::unique_ptr<RedisClient> redis;
  std::unique_ptr<MysqlMemberRepository> member_repository;
  std::unique_ptr<MysqlStaffRepository> staff_repository;
  std::unique_ptr<MysqlStoreRepository> store_repository;
  std::unique_ptr<MysqlAuditLog> audit_log;
  std::unique_ptr<MysqlIdempotencyStore> idempotency;
  std::unique_ptr<MysqlLedgerRepository> ledger;
  std::unique_ptr<MysqlProgramStore> program;
  std::unique_ptr<MysqlTierRepository> tier_repository;
  std::unique_ptr<MysqlReferralStore> referral_store;
  std::unique_ptr<MysqlTerminalRepository> terminals;
  std::unique_ptr<MysqlCouponDefinitionStore> coupon_definitions;
  std::unique_ptr<MysqlCouponRepository> coupon_repository;
  std::unique_ptr<MysqlCouponIssueJobs> coupon_jobs;
  std::unique_ptr<RedisMemberCache> member_cache;
  std::unique_ptr<RedisRateLimiter> login_limiter;
  std::unique_ptr<MemberService> members;
  std::unique_ptr<StaffService> staff;
  std::unique_ptr<PointsService> points;
  std::unique_ptr<TierService> tiers;
  std::unique_ptr<ReferralService> referrals;
  std::unique_ptr<MysqlPool> segment_pool;  // long segment queries, apart from the tills' pool
  std::unique_ptr<MysqlSegmentStore> segment_store;
  std::unique_ptr<MysqlSegmentResolver> segment_resolver;
  std::unique_ptr<SegmentService> segments;
  std::unique_ptr<CouponService> coupons;
  std::unique_ptr<PurchaseService> purchases;
  std::unique_ptr<RedisNonceStore> nonces;
  std::unique_ptr<MysqlQuoteStore> quotes;
  std::unique_ptr<pos::HmacMemberTokens> member_tokens;
  std::unique_ptr<CheckoutService> checkout;
  std::unique_ptr<MysqlPosTransactionStore> pos_transactions;
  std::unique_ptr<SaleService> sales;
  std::unique_ptr<MysqlJournalStore> journal_store;
  std::unique_ptr<pos::JournalService> journal;
  std::unique_ptr<pos::PoslogImporter> poslog;
  std::unique_ptr<TerminalAuthenticator> terminal_auth;
};

// Validates URLs and the master key; connects lazily (a database that is down now is fine).
Result<std::unique_ptr<Runtime>> BuildRuntime(const ServerOptions& options);

}  // namespace loyalty::api
