// ServerOptions: every setting with its documented default, read from LOYALTY_* variables.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "loyalty/common/error.h"

namespace loyalty::api {

struct ServerOptions {
  std::string http_address = "127.0.0.1";  // LOYALTY_HTTP_ADDR
  uint16_t http_port = 8080;               // LOYALTY_HTTP_PORT (0 = any free port)
  std::string mysql_url;                   // LOYALTY_MYSQL_URL, required: mysql://u:p@h:port/db
  std::string redis_url = "redis://127.0.0.1:6379";  // LOYALTY_REDIS_URL
  std::string master_key_hex;  // LOYALTY_MASTER_KEY, required: 64 hex digits, keys PII crypto
  int db_pool_size = 8;        // LOYALTY_DB_POOL_SIZE: MariaDB connections at most
  int workers = 8;             // LOYALTY_WORKERS: request threads (blocking work)
  int io_threads = 2;          // LOYALTY_IO_THREADS: Pistache reactor threads
  int session_ttl_minutes = 720;   // LOYALTY_SESSION_TTL_MINUTES: staff login lifetime
  int login_max_failures = 5;      // LOYALTY_LOGIN_MAX_FAILURES: then 429 for the window
  int login_window_seconds = 900;  // LOYALTY_LOGIN_WINDOW_SECONDS
  int scrypt_log2_n = 17;          // LOYALTY_SCRYPT_LOG2N: cost of new password hashes (14..19)
  std::string log_level = "info";  // LOYALTY_LOG_LEVEL: debug, info, warn, error
  int sweep_seconds = 60;  // LOYALTY_SWEEP_SECONDS: points activation/expiry run (0 = off)
  int coupon_reservation_seconds = 300;  // LOYALTY_COUPON_RESERVATION_SECONDS: a quote's hold
  int job_poll_seconds = 2;  // LOYALTY_JOB_POLL_SECONDS: bulk coupon jobs checked (0 = off)
};

using Getenv = std::function<const char*(const char*)>;

// Fails with a message naming the variable and what it must look like.
Result<ServerOptions> OptionsFromEnv(const Getenv& getenv);

}  // namespace loyalty::api
