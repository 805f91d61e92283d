// `loyalty serve`: HTTP API on a worker pool until SIGINT/SIGTERM.
#include <pthread.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "api/cli/commands.h"
#include "api/handlers/routes.h"
#include "api/http/dispatcher.h"
#include "api/http/pistache_server.h"
#include "api/periodic_task.h"

namespace loyalty::api {
namespace {

std::string PoolMetrics(Runtime& rt) {
  const MysqlPoolStats s = rt.pool->Stats();
  std::string out;
  auto gauge = [&](const char* name, const char* help, const char* type, uint64_t value) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
           name + " " + std::to_string(value) + "\n";
  };
  gauge("loyalty_db_pool_size", "MariaDB connections allowed.", "gauge", s.size);
  gauge("loyalty_db_pool_idle", "MariaDB connections idle.", "gauge", s.idle);
  gauge("loyalty_db_pool_leased", "MariaDB connections in use.", "gauge", s.leased);
  gauge("loyalty_db_connect_failures_total", "Failed MariaDB connection attempts.", "counter",
        s.connect_failures);
  gauge("loyalty_db_transaction_retries_total", "Transactions re-run after a deadlock.",
        "counter", s.retries);
  return out;
}

}  // namespace

int ServeCommand(Runtime& rt) {
  // Signals are taken by sigwait below; block them before any thread starts so none of the
  // worker or reactor threads receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Metrics metrics;
  AppContext app{*rt.members,
                 *rt.staff,
                 *rt.points,
                 *rt.tiers,
                 *rt.referrals,
                 *rt.coupons,
                 *rt.checkout,
                 *rt.sales,
                 *rt.journal,
                 *rt.poslog,
                 *rt.segments,
                 *rt.terminal_auth,
                 *rt.idempotency,
                 rt.clock,
                 metrics,
                 [&rt] {
                   return Readiness{static_cast<bool>(rt.pool->Ping()), rt.redis->Ping()};
                 },
                 [&rt] { return PoolMetrics(rt); }};
  Router router;
  AddAllRoutes(router, app);
  Dispatcher dispatcher(router, metrics, [&rt] { return rt.random.NewId(); });
  WorkerPool workers(static_cast<size_t>(rt.options.workers), 1024);
  HttpServer server(dispatcher, workers,
                    HttpServerOptions{rt.options.http_address, rt.options.http_port,
                                      rt.options.io_threads});
  // Points activation and expiry; several servers may sweep at once (each member's change is
  // decided under its row lock), so no leader election is needed.
  std::optional<PeriodicTask> sweeper;
  if (rt.options.sweep_seconds > 0) {
    sweeper.emplace(std::chrono::seconds(rt.options.sweep_seconds), [&rt] {
      auto reviewed = rt.tiers->ReviewDue(rt.clock.Now());
      if (!reviewed) {
        spdlog::warn(nlohmann::json{{"msg", "tier review failed"}, {"error", reviewed.error().message}}.dump());
      }
      auto released = rt.coupons->ReleaseEndedReservations();
      if (!released) {
        spdlog::warn(
            nlohmann::json{{"msg", "coupon release failed"}, {"error", released.error().message}}
                .dump());
      }
      auto report = rt.points->Sweep(rt.clock.Now());
      if (!report) {
        spdlog::warn(nlohmann::json{{"msg", "points sweep failed"}, {"error", report.error().message}}.dump());
      } else if (report->members > 0) {
        spdlog::info(nlohmann::json{{"msg", "points sweep"},
                                    {"members", report->members},
                                    {"activated_lots", report->activated_lots},
                                    {"expired_lots", report->expired_lots}}
                         .dump());
      }
    });
  }
  // Bulk coupon issuance; jobs are leased, so several servers can poll at once.
  std::optional<PeriodicTask> job_runner;
  if (rt.options.job_poll_seconds > 0) {
    job_runner.emplace(std::chrono::seconds(rt.options.job_poll_seconds), [&rt] {
      auto made = rt.coupons->RunIssueJobs();
      if (!made) {
        spdlog::warn(
            nlohmann::json{{"msg", "coupon issue job failed"}, {"error", made.error().message}}
                .dump());
      } else if (*made > 0) {
        spdlog::info(nlohmann::json{{"msg", "coupon codes issued"}, {"codes", *made}}.dump());
      }
    });
  }
  uint16_t port = 0;
  try {
    port = server.Start();
  } catch (const std::exception& e) {
    spdlog::critical(nlohmann::json{{"msg", "cannot listen"},
                                    {"address", rt.options.http_address},
                                    {"port", rt.options.http_port},
                                    {"error", e.what()}}
                         .dump());
    return 1;
  }
  spdlog::info(nlohmann::json{{"msg", "listening"},
                              {"url", "http://" + rt.options.http_address + ":" +
                                          std::to_string(port)}}
                   .dump());
  int received = 0;
  sigwait(&signals, &received);
  spdlog::info(nlohmann::json{{"msg", "stopping"}, {"signal", received}}.dump());
  // Order matters: no new requests, then finish the ones in progress, then tear down the
  // sockets their answers are written to.
  server.Stop();
  workers.Stop();
  return 0;
}

int MigrateCommand(Runtime& rt) {
  auto report = Migrate(*rt.pool, EmbeddedMigrations());
  if (!report) {
    spdlog::error(nlohmann::json{{"msg", "migrate failed"},
                                 {"code", report.error().slug},
                                 {"error", report.error().message}}
                      .dump());
    return 1;
  }
  spdlog::info(nlohmann::json{{"msg", "migrated"},
                              {"applied", report->applied},
                              {"already_applied", report->already_applied}}
                   .dump());
  return 0;
}

}  // namespace loyalty::api
