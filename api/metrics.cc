// Metrics registry and exposition.
#include "api/metrics.h"

#include <sstream>

namespace loyalty::api {

void Metrics::ObserveRequest(const std::string& method, const std::string& route, int status,
                             double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{method, route, status}];
  Series& s = latency_[{method, route}];
  ++s.count;
  s.sum += seconds;
  for (size_t i = 0; i < std::size(kBuckets); ++i) {
    if (seconds <= kBuckets[i]) ++s.buckets[i];
  }
}

std::string Metrics::Render(const std::string& extra) const {
  std::ostringstream out;
  std::lock_guard lock(mutex_);
  out << "# HELP loyalty_http_requests_total HTTP requests by method, route and status.\n"
      << "# TYPE loyalty_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out << "loyalty_http_requests_total{method=\"" << method << "\",route=\"" << route
        << "\",status=\"" << status << "\"} " << n << "\n";
  }
  out << "# HELP loyalty_http_request_duration_seconds Time from request to response.\n"
      << "# TYPE loyalty_http_request_duration_seconds histogram\n";
  for (const auto& [key, s] : latency_) {
    const std::string labels = "method=\"" + key.first + "\",route=\"" + key.second + "\"";
    for (size_t i = 0; i < std::size(kBuckets); ++i) {
      out << "loyalty_http_request_duration_seconds_bucket{" << labels << ",le=\"" << kBuckets[i]
          << "\"} " << s.buckets[i] << "\n";
    }
    out << "loyalty_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} "
        << s.count << "\n"
        << "loyalty_http_request_duration_seconds_sum{" << labels << "} " << s.sum << "\n"
        << "loyalty_http_request_duration_seconds_count{" << labels << "} " << s.count << "\n";
  }
  out << extra;
  return out.str();
}

}  // namespace loyalty::api
