// Wiring of adapters into services.
#include "api/runtime.h"

namespace loyalty::api {

Result<std::unique_ptr<Runtime>> BuildRuntime(const ServerOptions& options) {
  auto key = ParseMasterKey(options.master_key_hex);
  if (!key) return Fail(key.error());
  auto mysql = ParseMysqlUrl(options.mysql_url);
  if (!mysql) return Fail(mysql.error());
  auto redis = ParseRedisUrl(options.redis_url);
  if (!redis) return Fail(redis.error());

  auto rt = std::make_unique<Runtime>();
  rt->options = options;
  rt->pii = std::make_unique<AesGcmPiiProtector>(*key);
  rt->hasher = std::make_unique<ScryptPasswordHasher>(options.scrypt_log2_n);
  MysqlPoolOptions pool_options;
  pool_options.size = static_cast<size_t>(options.db_pool_size);
  rt->pool = std::make_unique<MysqlPool>(*mysql, pool_options);
  RedisOptions redis_options;
  redis_options.key_prefix = "loyalty:" + mysql->database + ":";
  rt->redis = std::make_unique<RedisClient>(*redis, redis_options);
  rt->member_repository = std::make_unique<MysqlMemberRepository>(*rt->pool);
  rt->staff_repository = std::make_unique<MysqlStaffRepository>(*rt->pool);
  rt->store_repository = std::make_unique<MysqlStoreRepository>(*rt->pool);
  rt->audit_log = std::make_unique<MysqlAuditLog>(*rt->pool);
  rt->idempotency = std::make_unique<MysqlIdempotencyStore>(*rt->pool);
  rt->ledger = std::make_unique<MysqlLedgerRepository>(*rt->pool);
  rt->program = std::make_unique<MysqlProgramStore>(*rt->pool);
  rt->tier_repository = std::make_unique<MysqlTierRepository>(*rt->pool);
  rt->referral_store = std::make_unique<MysqlReferralStore>(*rt->pool);
  rt->terminals = std::make_unique<MysqlTerminalRepository>(*rt->pool);
  rt->coupon_definitions = std::make_unique<MysqlCouponDefinitionStore>(*rt->pool);
  rt->coupon_repository = std::make_unique<MysqlCouponRepository>(*rt->pool);
  rt->coupon_jobs = std::make_unique<MysqlCouponIssueJobs>(*rt->pool, rt->random);
  rt->member_cache = std::make_unique<RedisMemberCache>(*rt->redis);
  rt->login_limiter = std::make_unique<RedisRateLimiter>(
      *rt->redis, rt->clock,
      RateLimitOptions{options.login_max_failures,
                       std::chrono::seconds(options.login_window_seconds)});
  rt->members = std::make_unique<MemberService>(
      MemberPorts{*rt->member_repository, *rt->pii, rt->random, rt->clock, *rt->member_cache,
                  *rt->audit_log});
  rt->staff = std::make_unique<StaffService>(
      StaffPorts{*rt->staff_repository, *rt->hasher, rt->random, rt->clock, *rt->login_limiter,
                 *rt->audit_log},
      StaffServiceOptions{std::chrono::minutes(options.session_ttl_minutes)});
  rt->points = std::make_unique<PointsService>(
      PointsPorts{*rt->ledger, *rt->program, *rt->member_repository, rt->random, rt->clock});
  rt->tiers = std::make_unique<TierService>(
      TierPorts{*rt->tier_repository, *rt->program, rt->random, rt->clock});
  rt->referrals = std::make_unique<ReferralService>(*rt->referral_store, *rt->member_repository,
                                                    *rt->program, *rt->points, rt->clock);
  rt->purchases = std::make_unique<PurchaseService>(*rt->member_repository, *rt->pii, *rt->program,
                                                    *rt->points, *rt->tiers, rt->referrals.get());
  // Evaluating a segment of a million members takes seconds (docs/BENCHMARKS.md): it gets two
  // connections of its own with a long read timeout, so previews and segment jobs never hold
  // the connections checkouts need, nor hit their 10 s timeout.
  MysqlPoolOptions segment_pool_options;
  segment_pool_options.size = 2;
  segment_pool_options.acquire_timeout = std::chrono::seconds(30);
  segment_pool_options.read_timeout_seconds = 600;
  rt->segment_pool = std::make_unique<MysqlPool>(*mysql, segment_pool_options);
  rt->segment_store = std::make_unique<MysqlSegmentStore>(*rt->pool);
  rt->segment_resolver = std::make_unique<MysqlSegmentResolver>(*rt->segment_pool);
  rt->segments = std::make_unique<SegmentService>(*rt->segment_store, *rt->segment_resolver,
                                                  *rt->points, rt->random, rt->clock);
  CouponServiceOptions coupon_options;
  coupon_options.reservation_ttl = std::chrono::seconds(options.coupon_reservation_seconds);
  rt->coupons = std::make_unique<CouponService>(
      *rt->coupon_definitions, *rt->coupon_repository, *rt->coupon_jobs, *rt->members, *rt->tiers,
      *rt->points, rt->random, rt->clock, coupon_options, rt->segments.get());
  const auto qr_key = DeriveKey(*key, "loyalty/member-qr/v1");
  rt->member_tokens = std::make_unique<pos::HmacMemberTokens>(
      std::string(reinterpret_cast<const char*>(qr_key.data()), qr_key.size()));
  rt->quotes = std::make_unique<MysqlQuoteStore>(*rt->pool);
  rt->pos_transactions = std::make_unique<MysqlPosTransactionStore>(*rt->pool);
  rt->checkout = std::make_unique<CheckoutService>(
      CheckoutPorts{*rt->store_repository, *rt->quotes, *rt->pos_transactions, rt->random,
                    *rt->member_tokens, rt->clock},
      *rt->members, *rt->points, *rt->tiers, *rt->coupons, *rt->purchases);
  rt->sales = std::make_unique<SaleService>(*rt->pos_transactions, *rt->checkout, *rt->members,
                                            *rt->points, *rt->tiers, *rt->coupons, rt->random,
                                            rt->clock, rt->referrals.get());
  rt->journal_store = std::make_unique<MysqlJournalStore>(*rt->pool);
  rt->journal = std::make_unique<pos::JournalService>(*rt->journal_store, *rt->terminals, *rt->pii,
                                                      *rt->checkout, rt->clock);
  rt->poslog = std::make_unique<pos::PoslogImporter>(*rt->sales, *rt->checkout, *rt->members,
                                                     *rt->points, *rt->pos_transactions);
  rt->nonces = std::make_unique<RedisNonceStore>(*rt->redis, rt->clock);
  rt->terminal_auth =
      std::make_unique<TerminalAuthenticator>(*rt->terminals, *rt->pii, *rt->nonces, rt->clock);
  return rt;
}

}  // namespace loyalty::api
