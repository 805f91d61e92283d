// The Pistache adapter: converts requests, runs the Dispatcher on the worker pool, writes replies.
#pragma once

#include <memory>
#include <string>

#include "api/http/dispatcher.h"
#include "api/http/worker_pool.h"

namespace loyalty::api {

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;          // 0 picks a free port (tests)
  int io_threads = 2;
};

class HttpServer {
 public:
  HttpServer(const Dispatcher& dispatcher, WorkerPool& workers, HttpServerOptions options);
  ~HttpServer();
  // Binds and starts serving on background threads; returns the bound port.
  uint16_t Start();
  // Stops accepting and reading requests. Responses still being computed on the worker pool
  // may be sent until the server object is destroyed, so stop the pool before destroying it.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace loyalty::api
