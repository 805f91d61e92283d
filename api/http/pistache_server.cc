// Pistache 0.0.5 adapter. Handlers run on WorkerPool threads: ResponseWriter is moved there and
// its send() queues the write back to the reactor (Transport::asyncWrite is thread-safe).
#include "api/http/pistache_server.h"

#include <pistache/endpoint.h>
#include <pistache/http.h>

#include "api/http/problem.h"

namespace loyalty::api {
namespace {

using namespace Pistache;

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

HttpRequest Convert(const Http::Request& in) {
  HttpRequest r;
  r.method = Http::methodString(in.method());
  r.path = in.resource();
  r.raw_query = in.query().as_str();
  if (r.raw_query.starts_with('?')) r.raw_query.erase(0, 1);
  for (auto it = in.query().parameters_begin(); it != in.query().parameters_end(); ++it) {
    r.query[PercentDecode(it->first)] = PercentDecode(it->second);
  }
  for (const auto& header : in.headers().list()) {
    std::ostringstream value;
    header->write(value);
    r.headers[Lower(header->name())] = value.str();
  }
  for (const auto& [name, raw] : in.headers().rawList()) r.headers[Lower(name)] = raw.value();
  r.body = in.body();
  r.remote_address = in.address().host();
  return r;
}

// Pistache 0.0.5 writes only typed headers into responses (raw ones are dropped), so every
// header we send goes through this one typed class with a run-time name.
class NamedHeader final : public Http::Header::Header {
 public:
  NamedHeader(std::string name, std::string value)
      : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  void write(std::ostream& out) const override { out << value_; }
#ifdef SAFE_HEADER_CAST
  uint64_t hash() const override { return std::hash<std::string>()(name_); }
#endif

 private:
  std::string name_, value_;
};

void Send(Http::ResponseWriter& writer, const HttpResponse& response) {
  for (const auto& [name, value] : response.headers) {
    writer.headers().add(std::make_shared<NamedHeader>(name, value));
  }
  if (response.status != 204) {
    writer.headers().add(std::make_shared<NamedHeader>("Content-Type", response.content_type));
  }
  writer.send(static_cast<Http::Code>(response.status), response.body);
}

class RequestHandler final : public Http::Handler {
 public:
  HTTP_PROTOTYPE(RequestHandler)
  RequestHandler(const Dispatcher* dispatcher, WorkerPool* workers)
      : dispatcher_(dispatcher), workers_(workers) {}

  void onRequest(const Http::Request& request, Http::ResponseWriter writer) override {
    auto shared_writer = std::make_shared<Http::ResponseWriter>(std::move(writer));
    auto converted = std::make_shared<HttpRequest>(Convert(request));
    const Dispatcher* dispatcher = dispatcher_;
    const bool queued = workers_->Submit([dispatcher, shared_writer, converted] {
      Send(*shared_writer, dispatcher->Handle(*converted));
    });
    if (!queued) {
      HttpResponse busy = Problem(503, "server_busy", "the server is overloaded; retry shortly", "");
      busy.headers.emplace_back("Retry-After", "1");
      Send(*shared_writer, busy);
    }
  }

 private:
  const Dispatcher* dispatcher_;
  WorkerPool* workers_;
};

}  // namespace

struct HttpServer::Impl {
  const Dispatcher& dispatcher;
  WorkerPool& workers;
  HttpServerOptions options;
  std::unique_ptr<Http::Endpoint> endpoint;
  bool stopped = false;
};

HttpServer::HttpServer(const Dispatcher& dispatcher, WorkerPool& workers,
                       HttpServerOptions options)
    : impl_(new Impl{dispatcher, workers, std::move(options), nullptr, false}) {}

HttpServer::~HttpServer() {
  Stop();
  impl_->endpoint.reset();
}

uint16_t HttpServer::Start() {
  Address address(impl_->options.address, Port(impl_->options.port));
  impl_->endpoint = std::make_unique<Http::Endpoint>(address);
  // Pistache answers bodies above this itself (413); the Dispatcher's 1 MiB limit is the real one
  // and answers problem+json.
  impl_->endpoint->init(Http::Endpoint::options()
                            .threads(impl_->options.io_threads)
                            .flags(Tcp::Options::ReuseAddr)
                            .maxRequestSize(8 << 20)
                            .maxResponseSize(64 << 20));
  impl_->endpoint->setHandler(Http::make_handler<RequestHandler>(&impl_->dispatcher, &impl_->workers));
  impl_->endpoint->serveThreaded();
  return static_cast<uint16_t>(impl_->endpoint->getPort());
}

void HttpServer::Stop() {
  if (impl_->endpoint && !impl_->stopped) {
    impl_->endpoint->shutdown();
    impl_->stopped = true;
  }
}

}  // namespace loyalty::api
