// Reading and validating ServerOptions.
#include "api/server_options.h"

#include <charconv>

namespace loyalty::api {
namespace {

Status ReadInt(const Getenv& getenv, const char* name, int min, int max, int& out) {
  const char* raw = getenv(name);
  if (raw == nullptr || *raw == '\0') return {};
  int value = 0;
  const std::string text(raw);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return Fail(Code::kInvalidArgument, "invalid_config",
                std::string(name) + " must be a whole number from " + std::to_string(min) +
                    " to " + std::to_string(max) + ", got '" + text + "'");
  }
  out = value;
  return {};
}

void ReadString(const Getenv& getenv, const char* name, std::string& out) {
  const char* raw = getenv(name);
  if (raw != nullptr && *raw != '\0') out = raw;
}

}  // namespace

Result<ServerOptions> OptionsFromEnv(const Getenv& getenv) {
  ServerOptions o;
  int port = o.http_port;
  for (auto [name, min, max, slot] :
       {std::tuple{"LOYALTY_HTTP_PORT", 0, 65535, &port},
        std::tuple{"LOYALTY_DB_POOL_SIZE", 1, 256, &o.db_pool_size},
        std::tuple{"LOYALTY_WORKERS", 1, 512, &o.workers},
        std::tuple{"LOYALTY_IO_THREADS", 1, 64, &o.io_threads},
        std::tuple{"LOYALTY_SESSION_TTL_MINUTES", 5, 7 * 24 * 60, &o.session_ttl_minutes},
        std::tuple{"LOYALTY_LOGIN_MAX_FAILURES", 1, 100, &o.login_max_failures},
        std::tuple{"LOYALTY_LOGIN_WINDOW_SECONDS", 10, 86400, &o.login_window_seconds},
        std::tuple{"LOYALTY_SCRYPT_LOG2N", 14, 19, &o.scrypt_log2_n},
        std::tuple{"LOYALTY_SWEEP_SECONDS", 0, 86400, &o.sweep_seconds},
        std::tuple{"LOYALTY_COUPON_RESERVATION_SECONDS", 1, 3600, &o.coupon_reservation_seconds},
        std::tuple{"LOYALTY_JOB_POLL_SECONDS", 0, 3600, &o.job_poll_seconds}}) {
    if (auto ok = ReadInt(getenv, name, min, max, *slot); !ok) return Fail(ok.error());
  }
  o.http_port = static_cast<uint16_t>(port);
  if (!getenv("LOYALTY_WORKERS")) o.workers = o.db_pool_size;
  ReadString(getenv, "LOYALTY_HTTP_ADDR", o.http_address);
  ReadString(getenv, "LOYALTY_MYSQL_URL", o.mysql_url);
  ReadString(getenv, "LOYALTY_REDIS_URL", o.redis_url);
  ReadString(getenv, "LOYALTY_MASTER_KEY", o.master_key_hex);
  ReadString(getenv, "LOYALTY_LOG_LEVEL", o.log_level);
  if (o.mysql_url.empty()) {
    return Fail(Code::kInvalidArgument, "invalid_config",
                "LOYALTY_MYSQL_URL is not set; e.g. mysql://loyalty:secret@127.0.0.1:3306/loyalty");
  }
  if (o.master_key_hex.empty()) {
    return Fail(Code::kInvalidArgument, "invalid_config",
                "LOYALTY_MASTER_KEY is not set; create one with `openssl rand -hex 32` and keep "
                "it safe: without it stored phone numbers cannot be read");
  }
  if (o.log_level != "debug" && o.log_level != "info" && o.log_level != "warn" &&
      o.log_level != "error") {
    return Fail(Code::kInvalidArgument, "invalid_config",
                "LOYALTY_LOG_LEVEL must be debug, info, warn or error");
  }
  return o;
}

}  // namespace loyalty::api
