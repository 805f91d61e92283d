// Prometheus text-format metrics: request counts and latency per route, plus gauges from probes.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace loyalty::api {

class Metrics {
 public:
  void ObserveRequest(const std::string& method, const std::string& route, int status,
                      double seconds);
  // The exposition text; `extra` is appended verbatim (gauges owned by others).
  std::string Render(const std::string& extra) const;

 private:
  static constexpr double kBuckets[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  struct Series {
    uint64_t count = 0;
    double sum = 0;
    uint64_t buckets[std::size(kBuckets)] = {};
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, Series> latency_;
};

}  // namespace loyalty::api
